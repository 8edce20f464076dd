#![feature(prelude_import)]
//! The two lowerings side by side; `docs/lowering.md` walks through their
//! `cargo expand` output (kept in `docs/lowering.expanded.rs`, checked by CI).
//!
//! Run it: `cargo run --example lowering`.
extern crate std;
#[prelude_import]
use std::prelude::rust_2024::*;
use godefer::{defer, with_defer};
fn release(what: &str) {
    {
        ::std::io::_print(format_args!("  release {0}\n", what));
    };
}
/// Two defer sites and two exits: 2 x 2 <= 15 and no loop, so Go's rule
/// open-codes them.
fn open_coded(fail: bool) -> Result<u32, String> {
    let lock = "lock";
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    {
        let __defer_args = ::godefer::__private::Args((release, lock));
        __defer_open_0
            .arm(|| {
                #[allow(unused_mut)]
                let (mut __defer_callee, __defer_arg_0) = __defer_args.into_inner();
                __defer_callee(__defer_arg_0);
            });
    }
    if fail {
        return {
            #[allow(clippy::diverging_sub_expression)]
            let __defer_ret = Err("failed".to_string());
            #[allow(unreachable_code)]
            {
                __defer_open_0.run();
            }
            __defer_ret
        };
    }
    let mut __defer_open_1 = ::godefer::__private::Slot::new();
    __defer_open_1
        .arm(|| {
            {
                ::std::io::_print(format_args!("  log: done\n"));
            };
        });
    {
        #[allow(clippy::diverging_sub_expression)]
        let __defer_ret = Ok(7);
        #[allow(unreachable_code)]
        {
            __defer_open_1.run();
            __defer_open_0.run();
        }
        __defer_ret
    }
}
/// A defer inside a loop needs a record per iteration: the chain.
fn chain(parts: &[&str]) -> usize {
    let buffer = "buffer";
    let mut __defer_stack_0 = ::godefer::__private::Slot::new();
    {
        let __defer_args = ::godefer::__private::Args((release, buffer));
        ::godefer::__private::deferproc_stack(
            &mut __defer_stack_0,
            || {
                #[allow(unused_mut)]
                let (mut __defer_callee, __defer_arg_0) = __defer_args.into_inner();
                __defer_callee(__defer_arg_0);
            },
        );
    }
    let mut __defer_loop_1 = ::godefer::__private::DeferStack::new();
    for part in parts {
        #[allow(deprecated)]
        {
            let __defer_args = ::godefer::__private::Args((release, part));
            ::godefer::__private::lints::defer_in_loop();
            ::godefer::__private::deferproc(
                &mut __defer_loop_1,
                || {
                    #[allow(unused_mut)]
                    let (mut __defer_callee, __defer_arg_0) = __defer_args.into_inner();
                    __defer_callee(__defer_arg_0);
                },
            );
        }
    }
    {
        #[allow(clippy::diverging_sub_expression)]
        let __defer_ret = parts.len();
        #[allow(unreachable_code)]
        ::godefer::__private::deferreturn(
            &mut [&mut __defer_loop_1, &mut __defer_stack_0],
        );
        __defer_ret
    }
}
pub fn main() {
    {
        ::std::io::_print(format_args!("open_coded(false):\n"));
    };
    {
        ::std::io::_print(format_args!("  -> {0:?}\n", open_coded(false)));
    };
    {
        ::std::io::_print(format_args!("open_coded(true):\n"));
    };
    {
        ::std::io::_print(format_args!("  -> {0:?}\n", open_coded(true)));
    };
    {
        ::std::io::_print(format_args!("chain([a, b]):\n"));
    };
    {
        ::std::io::_print(format_args!("  -> {0}\n", chain(&["a", "b"])));
    };
}
