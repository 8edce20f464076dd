use godefer::{defer, with_defer};
use std::fs::File;
use std::io::{self, Read};
pub fn read_config(path: &str, verbose: bool) -> io::Result<String> {
    defer!(__godefer_lowered);
    let mut file = File::open(path)?;
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    __defer_open_0.arm(|| {
        println!("closed {path}");
    });
    let mut __defer_open_1 = ::godefer::__private::Slot::new();
    if verbose {
        {
            #[allow(unused_mut)]
            let mut __defer_fn = || eprintln!("read {path}");
            __defer_open_1.arm(move || {
                __defer_fn();
            });
        }
    }
    let mut text = String::new();
    (match ::godefer::__private::Branch::branch(file.read_to_string(&mut text)) {
        ::core::ops::ControlFlow::Continue(__defer_val) => __defer_val,
        ::core::ops::ControlFlow::Break(__defer_residual) => {
            return {
                #[allow(clippy::diverging_sub_expression)]
                let __defer_ret =
                    ::godefer::__private::FromResidual::from_residual(__defer_residual);
                #[allow(unreachable_code)]
                {
                    __defer_open_1.run();
                    __defer_open_0.run();
                }
                __defer_ret
            }
        }
    });
    {
        #[allow(clippy::diverging_sub_expression)]
        let __defer_ret = Ok(text);
        #[allow(unreachable_code)]
        {
            __defer_open_1.run();
            __defer_open_0.run();
        }
        __defer_ret
    }
}
