//! Nesting: a `defer!` belongs to the innermost `#[with_defer]` fn; a nested fn
//! item with its own attribute has its own defers; `?` and `return` inside
//! closures and async blocks are theirs; each recursive frame has its own
//! defers.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::num::ParseIntError;
use support::{block_on, say, trace};

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn outer_with_nested_fn() -> i32 {
            defer!(say("outer deferred"));

            #[with_defer($($s)?)]
            fn inner(x: i32) -> i32 {
                defer!(say(format!("inner deferred {x}")));
                say(format!("inner body {x}"));
                x * 2
            }

            let a = inner(1);
            say("between inner calls");
            let b = inner(2);
            say("outer body end");
            a + b
        }

        #[test]
        fn nested_fn_item_has_its_own_defers() {
            assert_eq!(
                trace(|| assert_eq!(outer_with_nested_fn(), 6)),
                [
                    "inner body 1",
                    "inner deferred 1",
                    "between inner calls",
                    "inner body 2",
                    "inner deferred 2",
                    "outer body end",
                    "outer deferred"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn nested_fn_without_defer_in_outer() -> u8 {
            say("outer start");

            #[with_defer($($s)?)]
            fn helper() -> u8 {
                defer!(say("helper deferred"));
                1
            }

            defer!(say("outer deferred"));
            let v = helper();
            say("outer end");
            v
        }

        #[test]
        fn nested_fn_declared_before_outer_defers() {
            assert_eq!(
                trace(|| assert_eq!(nested_fn_without_defer_in_outer(), 1)),
                ["outer start", "helper deferred", "outer end", "outer deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn nested_impl_block() -> String {
            defer!(say("outer deferred"));

            struct Local(&'static str);
            impl Local {
                #[with_defer($($s)?)]
                fn name(&self) -> String {
                    defer!(say(format!("method deferred {}", self.0)));
                    self.0.to_uppercase()
                }
            }

            Local("loc").name()
        }

        #[test]
        fn nested_impl_method_has_its_own_defers() {
            assert_eq!(
                trace(|| assert_eq!(nested_impl_block(), "LOC")),
                ["method deferred loc", "outer deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn closure_with_question_mark(inputs: &[&str]) -> Result<i32, String> {
            defer!(say("function deferred"));
            let parse = |s: &str| -> Result<i32, ParseIntError> {
                let n: i32 = s.parse()?;
                say(format!("closure parsed {n}"));
                Ok(n * 2)
            };
            let mut total = 0;
            for (i, s) in inputs.iter().enumerate() {
                match parse(s) {
                    Ok(v) => total += v,
                    Err(_) => say(format!("closure failed on {i}")),
                }
            }
            let strict = |s: &str| -> Option<i32> {
                if s.is_empty() {
                    return None;
                }
                Some(s.len() as i32)
            };
            let extra = strict("").unwrap_or(-100) + strict("ab").unwrap_or(0);
            say("function still running");
            if total > 100 {
                return Err("too big".into());
            }
            Ok(total + extra)
        }

        #[test]
        fn question_mark_and_return_in_closures_belong_to_the_closure() {
            assert_eq!(
                trace(|| assert_eq!(closure_with_question_mark(&["1", "x", "3"]), Ok(-90))),
                [
                    "closure parsed 1",
                    "closure failed on 1",
                    "closure parsed 3",
                    "function still running",
                    "function deferred"
                ]
            );
            assert_eq!(
                trace(|| assert_eq!(closure_with_question_mark(&["60"]), Err("too big".into()))),
                ["closure parsed 60", "function still running", "function deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn async_block_with_question_mark(input: &str) -> i32 {
            defer!(say("function deferred"));
            let fut = async {
                let n: i32 = input.parse()?;
                say("async block parsed");
                Ok::<i32, ParseIntError>(n)
            };
            let result = block_on(fut);
            say(format!("async block gave ok = {}", result.is_ok()));
            result.unwrap_or(-1)
        }

        #[test]
        fn question_mark_in_async_block_belongs_to_the_block() {
            assert_eq!(
                trace(|| assert_eq!(async_block_with_question_mark("5"), 5)),
                ["async block parsed", "async block gave ok = true", "function deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(async_block_with_question_mark("?"), -1)),
                ["async block gave ok = false", "function deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn closure_return_inside_defer_arguments(n: i32) -> i32 {
            defer!(say((|| {
                if n > 0 {
                    return "positive";
                }
                "not positive"
            })()));
            say("body");
            n
        }

        #[test]
        fn return_in_a_closure_in_defer_arguments_is_the_closures() {
            assert_eq!(
                trace(|| assert_eq!(closure_return_inside_defer_arguments(1), 1)),
                ["body", "positive"]
            );
            assert_eq!(
                trace(|| assert_eq!(closure_return_inside_defer_arguments(0), 0)),
                ["body", "not positive"]
            );
        }

        #[with_defer($($s)?)]
        fn recurse(n: u32) -> u32 {
            defer!(say(format!("exit {n}")));
            say(format!("enter {n}"));
            if n == 0 {
                return 0;
            }
            n + recurse(n - 1)
        }

        #[test]
        fn each_recursive_frame_has_its_own_defers() {
            assert_eq!(
                trace(|| assert_eq!(recurse(3), 6)),
                [
                    "enter 3", "enter 2", "enter 1", "enter 0", "exit 0", "exit 1", "exit 2", "exit 3"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn mutual_a(n: u32) -> u32 {
            defer!(say(format!("a{n}")));
            if n == 0 {
                0
            } else {
                mutual_b(n - 1) + 1
            }
        }

        #[with_defer($($s)?)]
        fn mutual_b(n: u32) -> u32 {
            defer!(say(format!("b{n}")));
            if n == 0 {
                0
            } else {
                mutual_a(n - 1) + 1
            }
        }

        #[test]
        fn mutual_recursion() {
            assert_eq!(trace(|| assert_eq!(mutual_a(3), 3)), ["b0", "a1", "b2", "a3"]);
        }

        #[with_defer($($s)?)]
        fn nested_fn_called_from_a_defer() {
            #[with_defer($($s)?)]
            fn cleanup(tag: &str) {
                defer!(say(format!("cleanup's own deferred {tag}")));
                say(format!("cleanup {tag}"));
            }

            defer!(cleanup("first"));
            defer!(|| cleanup("second"));
            say("body");
        }

        #[test]
        fn deferred_call_to_a_function_with_its_own_defers() {
            assert_eq!(
                trace(nested_fn_called_from_a_defer),
                [
                    "body",
                    "cleanup second",
                    "cleanup's own deferred second",
                    "cleanup first",
                    "cleanup's own deferred first"
                ]
            );
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn loop_calls_nested(n: u32) {
            #[with_defer($($s)?)]
            fn step(i: u32) {
                defer!(say(format!("step {i} done")));
                say(format!("step {i}"));
            }

            for i in 0..n {
                defer!(say(format!("outer loop {i}")));
                step(i);
            }
        }

        #[test]
        fn nested_fn_in_a_loop_runs_its_defers_per_call() {
            assert_eq!(
                trace(|| loop_calls_nested(2)),
                ["step 0", "step 0 done", "step 1", "step 1 done", "outer loop 1", "outer loop 0"]
            );
        }

        #[with_defer($($s)?)]
        fn recurse_in_loop(depth: u32) {
            for i in 0..2 {
                defer!(say(format!("d{depth} i{i}")));
            }
            if depth > 0 {
                recurse_in_loop(depth - 1);
            }
        }

        #[test]
        fn recursive_frames_have_separate_loop_records() {
            assert_eq!(
                trace(|| recurse_in_loop(1)),
                ["d0 i1", "d0 i0", "d1 i1", "d1 i0"]
            );
        }
    };
}

for_each_loop_lowering!(loops);
