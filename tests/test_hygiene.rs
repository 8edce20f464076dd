//! Hygiene: the generated code works in a module that defines `mod core {}`,
//! `mod std {}`, items named like the runtime's (`Slot`, `deferreturn`, ...)
//! and like the generated locals (`fn __ret`, `fn __args`, ...), shadows
//! prelude names, and has traits in scope with the runtime's method names; and
//! user variables named like the generated locals do not clash with them.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

mod support;

#[allow(dead_code, non_camel_case_types, non_snake_case, clippy::all)]
mod hostile {
    mod core {}
    mod std {}
    mod godefer_runtime {}
    mod __private {}

    pub fn __ret() -> &'static str {
        "user fn __ret"
    }
    pub fn __args() -> &'static str {
        "user fn __args"
    }
    fn __callee() {}
    fn __deferred() {}
    fn __val() {}
    fn __residual() {}
    fn __receiver() {}
    fn __arg_0() {}
    fn __defer_open_0() {}
    fn __defer_stack_0() {}
    fn __defer_loop_0() {}
    fn deferreturn() {}
    fn deferproc() {}
    fn deferproc_stack() {}
    struct Slot;
    struct DeferStack;
    struct Args;
    struct ControlFlow;
    struct Continue;
    struct Break;
    trait Branch {}
    trait FromResidual {}
    trait Call {}
    trait Deferred {}
    // Prelude names shadowed.
    struct FnOnce;
    struct Option;
    struct Some;
    struct Vec;
    struct Box;
    struct Default;

    /// Traits in scope whose methods share the runtime's method names.
    trait Everything {
        fn run(&mut self) {
            panic!("user trait method `run` called")
        }
        fn arm(&mut self, _: u8) {
            panic!("user trait method `arm` called")
        }
        fn into_inner(self) -> u8
        where
            Self: Sized,
        {
            panic!("user trait method `into_inner` called")
        }
        fn call(self)
        where
            Self: Sized,
        {
            panic!("user trait method `call` called")
        }
        fn branch(self) -> u8
        where
            Self: Sized,
        {
            panic!("user trait method `branch` called")
        }
        fn run_deferred(&mut self) {
            panic!("user trait method `run_deferred` called")
        }
        fn push(&mut self, _: u8) {
            panic!("user trait method `push` called")
        }
    }
    impl<T: ?Sized> Everything for T {}

    use super::support::{say, trace};
    use ::godefer::{defer, with_defer};

    macro_rules! suite {
        ($($s:ident)?) => {
            use super::*;

            #[with_defer($($s)?)]
            fn user_names(flag: bool) -> ::core::result::Result<i32, ::std::string::String> {
                let __ret = 5;
                let __args = 10;
                let __callee = |x: i32| x + 1;
                let __deferred = "user __deferred";
                let __val = 100;
                let __residual = 1000;
                let __defer_open_0 = 3;
                let __defer_stack_0 = 4;
                let __receiver = Res("user receiver");
                defer!(say(format!("call form sees __ret = {__ret}, __args = {__args}")));
                defer!(|| say(format!("closure sees {__deferred} and {}", __callee(__val))));
                defer!(__receiver.close());
                defer! { say(format!("block sees {} {}", __defer_open_0, __defer_stack_0)); }
                let parsed: i32 = "7".parse::<i32>().map_err(|e| e.to_string())?;
                if flag {
                    return ::core::result::Result::Err(format!("early {}", __ret + parsed));
                }
                ::core::result::Result::Ok(__ret + __args + __val + __residual + parsed)
            }

            #[test]
            fn user_variables_named_like_generated_locals() {
                assert_eq!(
                    trace(|| assert_eq!(user_names(false), ::core::result::Result::Ok(1122))),
                    [
                        "block sees 3 4",
                        "close user receiver",
                        "closure sees user __deferred and 101",
                        "call form sees __ret = 5, __args = 10"
                    ]
                );
                assert_eq!(
                    trace(|| assert_eq!(
                        user_names(true),
                        ::core::result::Result::Err("early 12".into())
                    )),
                    [
                        "block sees 3 4",
                        "close user receiver",
                        "closure sees user __deferred and 101",
                        "call form sees __ret = 5, __args = 10"
                    ]
                );
            }

            #[with_defer($($s)?)]
            fn user_items_still_callable() -> &'static str {
                defer!(say(__args()));
                defer!(|| say(__ret()));
                __ret()
            }

            #[test]
            fn user_items_named_like_generated_locals() {
                assert_eq!(
                    trace(|| assert_eq!(user_items_still_callable(), "user fn __ret")),
                    ["user fn __ret", "user fn __args"]
                );
            }

            #[with_defer($($s)?)]
            fn options(v: ::core::option::Option<u8>) -> ::core::option::Option<u8> {
                defer!(say("option deferred"));
                let x = v?;
                ::core::option::Option::Some(x + 1)
            }

            #[test]
            fn question_mark_with_shadowed_prelude() {
                assert_eq!(
                    trace(|| assert_eq!(options(::core::option::Option::None), ::core::option::Option::None)),
                    ["option deferred"]
                );
                assert_eq!(
                    trace(|| assert_eq!(
                        options(::core::option::Option::Some(1)),
                        ::core::option::Option::Some(2)
                    )),
                    ["option deferred"]
                );
            }

            struct Res(&'static str);

            impl Res {
                fn close(&self) {
                    say(format!("close {}", self.0));
                }
            }

            #[with_defer($($s)?)]
            fn methods_with_user_traits_in_scope() {
                let r = Res("place");
                defer!(r.close());
                defer!(Res("value").close());
                say("body");
            }

            #[test]
            fn runtime_methods_are_not_confused_with_user_traits() {
                assert_eq!(
                    trace(methods_with_user_traits_in_scope),
                    ["body", "close value", "close place"]
                );
            }
        };
    }

    macro_rules! loops {
        ($($s:ident)?) => {
            use super::*;

            #[with_defer($($s)?)]
            fn loops_with_user_names(n: u8) -> u8 {
                let __defer_loop_0 = 9;
                let __S0 = 1;
                let At0 = 2;
                for i in 0..n {
                    defer!(say(format!("loop {i}")));
                    if i == 0 {
                        defer!(move || say(format!("first iteration {}", __defer_loop_0 + __S0 + At0)));
                    }
                }
                __defer_loop_0
            }

            #[test]
            fn loop_records_with_user_names() {
                assert_eq!(
                    trace(|| assert_eq!(loops_with_user_names(2), 9)),
                    ["loop 1", "first iteration 12", "loop 0"]
                );
            }
        };
    }

    mod open_coded {
        suite!(open_coded);
    }

    mod chain {
        suite!(chain);
    }

    mod auto {
        suite!();
    }

    mod chain_loops {
        loops!(chain);
    }

    mod auto_loops {
        loops!();
    }
}

/// The attribute and the macro by their full paths, without `use`.
#[godefer::with_defer]
fn full_paths() -> u8 {
    godefer::defer!(support::say("full path deferred"));
    ::godefer::defer!(support::say("absolute path deferred"));
    1
}

#[test]
fn attribute_and_macro_by_path() {
    assert_eq!(
        support::trace(|| assert_eq!(full_paths(), 1)),
        ["absolute path deferred", "full path deferred"]
    );
}
