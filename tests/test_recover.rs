//! `recover()`: called directly in a deferred closure or block of a
//! `#[with_defer]` function while that function panics, it stops the panic and
//! returns it; the remaining deferred calls run and the function returns the
//! value in its result slot (or Go's zero value). It returns `None` when
//! nothing panics, on a second call, and from a helper function. Rust's
//! runtime errors are recoverable like any panic, in sync and async fns.
// A deferred closure in a loop is the point of the loop tests: silence the
// warning that every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{Panic, defer, recover, with_defer};
use std::cell::RefCell;
use std::hint::black_box;
use std::task::Poll;
use support::{block_on, poll_once, run, say, yield_now};

/// A recovered panic, or `none`, as one line.
fn shown(panic: Option<Panic>) -> String {
    panic.map_or_else(|| "none".to_string(), |p| p.to_string())
}

/// Go's `recover()` called by a function the deferred closure calls: never
/// the deferred function itself, so it always gets `None`.
fn helper_recover() -> Option<Panic> {
    godefer::recover()
}

fn boom(msg: &'static str) {
    say(format!("panicking: {msg}"));
    panic!("{}", msg);
}

/// A payload that is not a string.
#[derive(Debug, PartialEq)]
struct Custom {
    code: u32,
}

/// A type without `Default`: a recovering function returning it must set it.
#[derive(Debug, PartialEq)]
struct NoDefault(u8);

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn divide(a: i32, b: i32) -> Result<i32, String> {
            defer!(say("first deferred"));
            defer!(|ret| {
                let panic = recover();
                say(format!("recover: {}", shown_ref(&panic)));
                if let Some(p) = panic {
                    *ret = Some(Err(format!("recovered: {p}")));
                }
            });
            defer!(say("last deferred"));
            say("dividing");
            Ok(a / b)
        }

        fn shown_ref(panic: &Option<Panic>) -> String {
            panic.as_ref().map_or_else(|| "none".to_string(), |p| p.to_string())
        }

        #[test]
        fn recover_stops_the_panic_and_the_remaining_deferred_calls_run() {
            let (out, lines) = run(|| divide(1, black_box(0)));
            assert_eq!(out, Ok(Err("recovered: attempt to divide by zero".into())));
            assert_eq!(
                lines,
                [
                    "dividing",
                    "last deferred",
                    "recover: attempt to divide by zero",
                    "first deferred"
                ]
            );
        }

        #[test]
        fn recover_is_none_when_not_panicking() {
            let (out, lines) = run(|| divide(7, 2));
            assert_eq!(out, Ok(Ok(3)));
            assert_eq!(lines, ["dividing", "last deferred", "recover: none", "first deferred"]);
        }

        #[test]
        fn a_recovering_function_can_be_called_again() {
            assert_eq!(run(|| divide(1, black_box(0))).0, Ok(Err("recovered: attempt to divide by zero".into())));
            assert_eq!(run(|| divide(8, 2)).0, Ok(Ok(4)));
            assert_eq!(run(|| divide(2, black_box(0))).0, Ok(Err("recovered: attempt to divide by zero".into())));
        }

        #[with_defer($($s)?)]
        fn recovers_twice() -> u8 {
            defer!(|| {
                let first = recover();
                let second = recover();
                say(format!("first: {}, second: {}", shown(first), shown(second)));
            });
            panic!("once");
        }

        #[test]
        fn a_second_call_returns_none() {
            let (out, lines) = run(recovers_twice);
            assert_eq!(out, Ok(0));
            assert_eq!(lines, ["first: once, second: none"]);
        }

        #[with_defer($($s)?)]
        fn two_recovering_closures() -> &'static str {
            defer!(|| say(format!("older: {}", shown(recover()))));
            defer!(|ret| {
                say(format!("newer: {}", shown(recover())));
                *ret = Some("set by newer");
            });
            panic!("only once");
        }

        #[test]
        fn an_older_deferred_closure_gets_none_once_a_newer_one_recovered() {
            let (out, lines) = run(two_recovering_closures);
            assert_eq!(out, Ok("set by newer"));
            assert_eq!(lines, ["newer: only once", "older: none"]);
        }

        #[with_defer($($s)?)]
        fn recovers_through_a_helper() -> u8 {
            defer!(|| say(format!("helper: {}", shown(helper_recover()))));
            panic!("not stopped by a helper");
        }

        #[test]
        fn recover_in_a_helper_function_returns_none() {
            assert!(helper_recover().is_none());
            let (out, lines) = run(recovers_through_a_helper);
            assert_eq!(out, Err("not stopped by a helper".into()));
            assert_eq!(lines, ["helper: none"]);
        }

        #[with_defer($($s)?)]
        fn helper_with_its_own_recover() -> bool {
            defer!(|ret| *ret = Some(recover().is_some()));
            false
        }

        #[with_defer($($s)?)]
        fn calls_a_recovering_helper_while_panicking() -> u8 {
            defer!(|ret| {
                say(format!("own closure: {}", shown(recover())));
                *ret = Some(1);
            });
            defer!(|| say(format!("helper recovered: {}", helper_with_its_own_recover())));
            panic!("for the own closure");
        }

        #[test]
        fn a_deferred_closure_of_another_function_cannot_recover_this_panic() {
            let (out, lines) = run(calls_a_recovering_helper_while_panicking);
            assert_eq!(out, Ok(1));
            assert_eq!(
                lines,
                ["helper recovered: false", "own closure: for the own closure"]
            );
        }

        #[with_defer($($s)?)]
        fn block_form(fail: bool) {
            defer! {
                if let Some(p) = recover() {
                    say(format!("block recovered: {p}"));
                }
            }
            say("body");
            if fail {
                panic!("in block form");
            }
        }

        #[test]
        fn recover_in_a_deferred_block() {
            let (out, lines) = run(|| block_form(true));
            assert_eq!(out, Ok(()));
            assert_eq!(lines, ["body", "block recovered: in block form"]);
            let (out, lines) = run(|| block_form(false));
            assert_eq!(out, Ok(()));
            assert_eq!(lines, ["body"]);
        }

        #[with_defer($($s)?)]
        fn qualified_path(n: u8) -> u8 {
            defer!(move |ret| {
                if let Some(p) = godefer::recover() {
                    say(format!("qualified: {p}"));
                    *ret = Some(n);
                }
            });
            panic!("qualified {}", n);
        }

        #[test]
        fn recover_by_its_qualified_path_in_a_move_closure() {
            let (out, lines) = run(|| qualified_path(4));
            assert_eq!(out, Ok(4));
            assert_eq!(lines, ["qualified: qualified 4"]);
        }

        #[with_defer($($s)?)]
        fn older_closures_see_the_recovered_value() -> u32 {
            defer!(|ret| say(format!("oldest sees {ret:?}")));
            defer!(say("plain older"));
            defer!(|ret| {
                if recover().is_some() {
                    *ret = Some(7);
                }
            });
            defer!(|ret| say(format!("newest sees {ret:?}")));
            panic!("before any return value");
        }

        #[test]
        fn after_recover_older_deferred_calls_run_with_the_slot() {
            let (out, lines) = run(older_closures_see_the_recovered_value);
            assert_eq!(out, Ok(7));
            assert_eq!(lines, ["newest sees None", "plain older", "oldest sees Some(7)"]);
        }

        #[with_defer($($s)?)]
        fn unit_zero() {
            defer!(|| say(format!("unit: {}", shown(recover()))));
            panic!("unit");
        }

        #[with_defer($($s)?)]
        fn int_zero() -> i64 {
            defer!(|| {
                let _ = recover();
            });
            panic!("int");
        }

        #[with_defer($($s)?)]
        fn string_zero() -> String {
            defer!(|| {
                let _ = recover();
            });
            panic!("string");
        }

        #[with_defer($($s)?)]
        fn vec_zero() -> Vec<u8> {
            defer!(|| {
                let _ = recover();
            });
            panic!("vec");
        }

        #[with_defer($($s)?)]
        fn option_zero() -> Option<char> {
            defer!(|| {
                let _ = recover();
            });
            panic!("option");
        }

        #[with_defer($($s)?)]
        fn tuple_zero() -> (u8, bool, String) {
            defer!(|| {
                let _ = recover();
            });
            panic!("tuple");
        }

        #[test]
        fn an_unset_result_is_the_zero_value() {
            assert_eq!(run(unit_zero), (Ok(()), vec!["unit: unit".to_string()]));
            assert_eq!(run(int_zero).0, Ok(0));
            assert_eq!(run(string_zero).0, Ok(String::new()));
            assert_eq!(run(vec_zero).0, Ok(Vec::new()));
            assert_eq!(run(option_zero).0, Ok(None));
            assert_eq!(run(tuple_zero).0, Ok((0, false, String::new())));
        }

        #[with_defer($($s)?)]
        fn generic_zero<T: Default>(make: impl FnOnce() -> T) -> T {
            defer!(|| {
                let _ = recover();
            });
            make()
        }

        #[test]
        fn an_unset_generic_result_with_a_default_bound_is_the_zero_value() {
            assert_eq!(run(|| generic_zero::<u16>(|| panic!("generic"))).0, Ok(0));
            assert_eq!(run(|| generic_zero(|| 9_u16)).0, Ok(9));
        }

        #[with_defer($($s)?)]
        fn result_without_default() -> Result<u8, String> {
            defer!(|| say(format!("recovered: {}", shown(recover()))));
            panic!("no zero value");
        }

        #[with_defer($($s)?)]
        fn struct_without_default(set: bool) -> NoDefault {
            defer!(move |ret| {
                if recover().is_some() && set {
                    *ret = Some(NoDefault(3));
                }
            });
            panic!("no zero struct");
        }

        #[test]
        fn an_unset_result_without_default_panics_naming_the_function() {
            let (out, lines) = run(result_without_default);
            let msg = out.unwrap_err();
            assert!(msg.contains("`result_without_default`"), "{msg}");
            assert!(msg.contains("a recovering function must set the result"), "{msg}");
            assert_eq!(lines, ["recovered: no zero value"]);
            let msg = run(|| struct_without_default(false)).0.unwrap_err();
            assert!(msg.contains("`struct_without_default`"), "{msg}");
            assert!(msg.contains("a recovering function must set the result"), "{msg}");
            assert_eq!(run(|| struct_without_default(true)).0, Ok(NoDefault(3)));
        }

        #[with_defer($($s)?)]
        fn keeps_the_returned_value() -> NoDefault {
            defer!(|| say(format!("recovered: {}", shown(recover()))));
            defer!(boom("after the return value"));
            NoDefault(42)
        }

        #[test]
        fn a_panic_after_the_return_value_keeps_it_when_recovered() {
            let (out, lines) = run(keeps_the_returned_value);
            assert_eq!(out, Ok(NoDefault(42)));
            assert_eq!(
                lines,
                ["panicking: after the return value", "recovered: after the return value"]
            );
        }

        #[with_defer($($s)?)]
        fn runtime_error(kind: u8) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(format!("recovered: {p}"));
                }
            });
            let v = vec![1, 2, 3];
            let none: Option<u8> = black_box(None);
            let cell = RefCell::new(0);
            match kind {
                0 => v[black_box(7)].to_string(),
                1 => (1 / black_box(0)).to_string(),
                2 => none.unwrap().to_string(),
                3 => {
                    let _first = cell.borrow_mut();
                    let _second = cell.borrow_mut();
                    "borrowed twice".into()
                }
                4 => (u8::MAX + black_box(1)).to_string(),
                _ => "fine".into(),
            }
        }

        #[test]
        fn runtime_errors_are_recoverable() {
            assert_eq!(
                run(|| runtime_error(0)).0,
                Ok("recovered: index out of bounds: the len is 3 but the index is 7".into())
            );
            assert_eq!(run(|| runtime_error(1)).0, Ok("recovered: attempt to divide by zero".into()));
            assert_eq!(
                run(|| runtime_error(2)).0,
                Ok("recovered: called `Option::unwrap()` on a `None` value".into())
            );
            // std's wording: "RefCell already borrowed" (1.95), "already
            // borrowed: BorrowMutError" (1.85).
            let borrowed = run(|| runtime_error(3)).0.unwrap();
            assert!(
                borrowed.starts_with("recovered: ") && borrowed.contains("already borrowed"),
                "{borrowed}"
            );
            assert_eq!(run(|| runtime_error(4)).0, Ok("recovered: attempt to add with overflow".into()));
            assert_eq!(run(|| runtime_error(5)).0, Ok("fine".into()));
        }

        /// `kind`: 0 a `&'static str`, 1 a formatted `String`, 2 a custom payload.
        #[with_defer($($s)?)]
        fn describes(kind: u8) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(format!(
                        "display={p} message={:?} custom={:?} is_custom={} superseded={} debug={p:?}",
                        p.message(),
                        p.downcast_ref::<Custom>(),
                        p.payload().is::<Custom>(),
                        p.superseded().len(),
                    ));
                }
            });
            match kind {
                0 => panic!("static"),
                1 => panic!("formatted {}", kind),
                _ => std::panic::panic_any(Custom { code: 11 }),
            }
        }

        #[test]
        fn the_recovered_panic_gives_payload_message_display_and_debug() {
            assert_eq!(
                run(|| describes(0)).0.unwrap(),
                "display=static message=Some(\"static\") custom=None is_custom=false superseded=0 \
                 debug=Panic { message: Some(\"static\"), superseded: [] }"
            );
            assert_eq!(
                run(|| describes(1)).0.unwrap(),
                "display=formatted 1 message=Some(\"formatted 1\") custom=None is_custom=false \
                 superseded=0 debug=Panic { message: Some(\"formatted 1\"), superseded: [] }"
            );
            assert_eq!(
                run(|| describes(2)).0.unwrap(),
                "display=Box<dyn Any> message=None custom=Some(Custom { code: 11 }) is_custom=true \
                 superseded=0 debug=Panic { message: None, superseded: [] }"
            );
        }

        #[with_defer($($s)?)]
        fn into_payload() -> Option<Custom> {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(p.into_payload().downcast::<Custom>().ok().map(|b| *b));
                }
            });
            std::panic::panic_any(Custom { code: 5 })
        }

        #[test]
        fn the_payload_can_be_taken_and_downcast() {
            assert_eq!(run(into_payload).0, Ok(Some(Custom { code: 5 })));
        }

        #[with_defer($($s)?)]
        fn panics_before_the_recovering_defer(early: bool) -> u8 {
            defer!(say("registered first"));
            if early {
                panic!("too early");
            }
            defer!(|ret| {
                if let Some(p) = recover() {
                    say(format!("recovered: {p}"));
                    *ret = Some(9);
                }
            });
            panic!("late enough");
        }

        #[test]
        fn a_panic_before_the_recovering_defer_statement_ran_is_not_recovered() {
            assert_eq!(
                run(|| panics_before_the_recovering_defer(true)),
                (Err("too early".into()), vec!["registered first".to_string()])
            );
            assert_eq!(
                run(|| panics_before_the_recovering_defer(false)),
                (
                    Ok(9),
                    vec!["recovered: late enough".to_string(), "registered first".to_string()]
                )
            );
        }

        #[with_defer($($s)?)]
        fn recovering_defer_in_a_block(early: bool) -> u8 {
            {
                if early {
                    panic!("before the defer statement");
                }
                defer!(|ret| {
                    if recover().is_some() {
                        *ret = Some(1);
                    }
                });
            }
            panic!("after the defer statement");
        }

        #[test]
        fn a_recovering_defer_in_a_block_covers_only_what_follows_it() {
            assert_eq!(run(|| recovering_defer_in_a_block(true)).0, Err("before the defer statement".into()));
            assert_eq!(run(|| recovering_defer_in_a_block(false)).0, Ok(1));
        }

        #[with_defer($($s)?)]
        fn panicking_callee() -> u8 {
            defer!(say("callee deferred"));
            say("callee body");
            panic!("from the callee");
        }

        #[with_defer($($s)?)]
        fn recovers_a_callee() -> u8 {
            defer!(|ret| {
                if let Some(p) = recover() {
                    say(format!("caller recovered: {p}"));
                    *ret = Some(2);
                }
            });
            defer!(say("caller deferred"));
            panicking_callee() + 1
        }

        #[test]
        fn a_panic_from_a_callee_runs_its_deferred_calls_then_the_caller_recovers() {
            let (out, lines) = run(recovers_a_callee);
            assert_eq!(out, Ok(2));
            assert_eq!(
                lines,
                ["callee body", "callee deferred", "caller deferred", "caller recovered: from the callee"]
            );
        }

        #[with_defer($($s)?)]
        fn recovers_inside(fail: bool) -> u8 {
            defer!(|ret| {
                if let Some(p) = recover() {
                    say(format!("inner recovered: {p}"));
                    *ret = Some(10);
                }
            });
            if fail {
                panic!("inner");
            }
            20
        }

        #[with_defer($($s)?)]
        fn outer_of_a_recovering_callee() -> u8 {
            defer!(|| say(format!("outer: {}", shown(recover()))));
            recovers_inside(true) + recovers_inside(false)
        }

        #[test]
        fn a_panic_recovered_by_a_callee_is_over_for_the_caller() {
            let (out, lines) = run(outer_of_a_recovering_callee);
            assert_eq!(out, Ok(30));
            assert_eq!(lines, ["inner recovered: inner", "outer: none"]);
        }

        struct Account {
            balance: i64,
        }

        impl Account {
            #[with_defer($($s)?)]
            fn withdraw(&mut self, amount: i64) -> Result<i64, String> {
                defer!(|ret| {
                    if let Some(p) = recover() {
                        *ret = Some(Err(p.to_string()));
                    }
                });
                assert!(amount <= self.balance, "insufficient funds");
                self.balance -= amount;
                Ok(self.balance)
            }
        }

        #[test]
        fn recover_in_a_method() {
            let mut account = Account { balance: 10 };
            assert_eq!(run(|| account.withdraw(4)).0, Ok(Ok(6)));
            assert_eq!(run(|| account.withdraw(7)).0, Ok(Err("insufficient funds".into())));
            assert_eq!(account.balance, 6);
        }

        #[with_defer($($s)?)]
        fn panic_after_the_recovering_closure_ran() -> u8 {
            defer!(boom("older, after the recover ran"));
            defer!(|| say(format!("recover: {}", shown(recover()))));
            5
        }

        #[test]
        fn a_panic_raised_after_the_recovering_closure_ran_is_not_recovered() {
            let (out, lines) = run(panic_after_the_recovering_closure_ran);
            assert_eq!(out, Err("older, after the recover ran".into()));
            assert_eq!(lines, ["recover: none", "panicking: older, after the recover ran"]);
        }

        #[with_defer($($s)?)]
        fn exits_around_the_recover(input: &str) -> Result<i32, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            if input.is_empty() {
                return Err("empty".into());
            }
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(Err(format!("recovered: {p}")));
                }
            });
            let n: i32 = input.parse().map_err(|_| format!("bad {input}"))?;
            if n == 1 {
                return Ok(-1);
            }
            Ok(100 / n)
        }

        #[test]
        fn returns_and_question_marks_in_a_recovering_function() {
            let cases = [
                ("", Err("empty".to_string())),
                ("x", Err("bad x".to_string())),
                ("1", Ok(-1)),
                ("4", Ok(25)),
                ("0", Err("recovered: attempt to divide by zero".to_string())),
            ];
            for (input, expected) in cases {
                let (out, lines) = run(|| exits_around_the_recover(input));
                assert_eq!(out, Ok(expected.clone()), "{input:?}");
                assert_eq!(lines, [format!("sees Some({expected:?})")], "{input:?}");
            }
        }

        #[with_defer($($s)?)]
        fn recovering_with_macro_exits(input: &str) -> Result<String, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(Err(format!("recovered: {p}")));
                }
            });
            let n = format!("{}", input.parse::<i32>().map_err(|_| format!("bad {input}"))?);
            assert!(n.len() < 3, "too long: {}", n);
            Ok(format!("{}", 100 / input.parse::<i32>().map_err(|_| "unreachable".to_string())?))
        }

        #[test]
        fn question_marks_inside_standard_macros_in_a_recovering_function() {
            let cases = [
                ("x", Err("bad x".to_string())),
                ("5", Ok("20".to_string())),
                ("0", Err("recovered: attempt to divide by zero".to_string())),
                ("100", Err("recovered: too long: 100".to_string())),
            ];
            for (input, expected) in cases {
                let (out, lines) = run(|| recovering_with_macro_exits(input));
                assert_eq!(out, Ok(expected.clone()), "{input:?}");
                assert_eq!(lines, [format!("sees Some({expected:?})")], "{input:?}");
            }
        }

        #[with_defer($($s)?)]
        fn impl_trait_recovering(fail: bool) -> impl std::fmt::Display {
            defer!(|ret: &mut Option<String>| {
                if let Some(p) = recover() {
                    *ret = Some(format!("recovered: {p}"));
                }
            });
            if fail {
                panic!("hidden type");
            }
            String::from("fine")
        }

        #[with_defer($($s)?)]
        fn impl_trait_unset() -> impl std::fmt::Display {
            defer!(|| {
                let _ = recover();
            });
            if std::hint::black_box(true) {
                panic!("hidden type, nothing set");
            }
            String::from("fine")
        }

        /// A documented limit: with `-> impl Trait` the macro cannot name the
        /// type, so it cannot reach its `Default`; an unset result panics with
        /// a message that says so and how to set the result.
        #[test]
        fn an_unset_impl_trait_result_panics_saying_the_type_is_hidden() {
            let (out, _) = run(|| impl_trait_unset().to_string());
            let message = out.unwrap_err();
            assert!(message.contains("`impl_trait_unset` has no result to return"), "{message}");
            assert!(message.contains("`impl Trait`"), "{message}");
        }

        #[test]
        fn recover_with_an_impl_trait_return_and_an_annotated_closure() {
            assert_eq!(run(|| impl_trait_recovering(true).to_string()).0, Ok("recovered: hidden type".into()));
            assert_eq!(run(|| impl_trait_recovering(false).to_string()).0, Ok("fine".into()));
        }

        // ---- async fn ----

        #[with_defer($($s)?)]
        async fn async_divide(a: i32, b: i32) -> Result<i32, String> {
            defer!(say("async first deferred"));
            defer!(|ret| {
                let panic = recover();
                say(format!("async recover: {}", shown_ref(&panic)));
                if let Some(p) = panic {
                    *ret = Some(Err(format!("recovered: {p}")));
                }
            });
            say("before await");
            yield_now().await;
            say("after await");
            Ok(a / b)
        }

        #[test]
        fn async_recover_after_an_await() {
            let (out, lines) = run(|| block_on(async_divide(1, black_box(0))));
            assert_eq!(out, Ok(Err("recovered: attempt to divide by zero".into())));
            assert_eq!(
                lines,
                [
                    "before await",
                    "after await",
                    "async recover: attempt to divide by zero",
                    "async first deferred"
                ]
            );
        }

        #[test]
        fn async_recover_is_none_when_not_panicking() {
            let (out, lines) = run(|| block_on(async_divide(9, 3)));
            assert_eq!(out, Ok(Ok(3)));
            assert_eq!(
                lines,
                ["before await", "after await", "async recover: none", "async first deferred"]
            );
        }

        #[test]
        fn async_panic_while_polled_is_recovered_by_that_poll() {
            let (out, lines) = run(|| {
                let mut fut = Box::pin(async_divide(1, black_box(0)));
                assert!(poll_once(fut.as_mut()).is_pending());
                say("pending");
                poll_once(fut.as_mut())
            });
            assert_eq!(out, Ok(Poll::Ready(Err("recovered: attempt to divide by zero".into()))));
            assert_eq!(
                lines,
                [
                    "before await",
                    "pending",
                    "after await",
                    "async recover: attempt to divide by zero",
                    "async first deferred"
                ]
            );
        }

        #[test]
        fn async_dropped_future_runs_the_closure_with_nothing_to_recover() {
            let (out, lines) = run(|| {
                let mut fut = Box::pin(async_divide(1, black_box(0)));
                assert!(poll_once(fut.as_mut()).is_pending());
                drop(fut);
                say("dropped");
            });
            assert_eq!(out, Ok(()));
            assert_eq!(
                lines,
                ["before await", "async recover: none", "async first deferred", "dropped"]
            );
        }

        #[with_defer($($s)?)]
        async fn async_recovers_twice() -> u8 {
            defer!(|| say(format!("older: {}", shown(recover()))));
            defer!(|| {
                let first = recover();
                let second = recover();
                say(format!("first: {}, second: {}", shown(first), shown(second)));
            });
            defer!(|| say(format!("helper: {}", shown(helper_recover()))));
            yield_now().await;
            panic!("async once");
        }

        #[test]
        fn async_second_call_and_helper_return_none() {
            let (out, lines) = run(|| block_on(async_recovers_twice()));
            assert_eq!(out, Ok(0));
            assert_eq!(lines, ["helper: none", "first: async once, second: none", "older: none"]);
        }

        #[with_defer($($s)?)]
        async fn async_zero_string() -> String {
            defer!(|| {
                let _ = recover();
            });
            yield_now().await;
            panic!("async zero");
        }

        #[with_defer($($s)?)]
        async fn async_unit() {
            defer!(|| say(format!("async unit: {}", shown(recover()))));
            yield_now().await;
            panic!("async unit panic");
        }

        #[with_defer($($s)?)]
        async fn async_without_default() -> NoDefault {
            defer!(|| {
                let _ = recover();
            });
            yield_now().await;
            panic!("async no zero");
        }

        #[test]
        fn async_unset_results() {
            assert_eq!(run(|| block_on(async_zero_string())).0, Ok(String::new()));
            assert_eq!(
                run(|| block_on(async_unit())),
                (Ok(()), vec!["async unit: async unit panic".to_string()])
            );
            let msg = run(|| block_on(async_without_default())).0.unwrap_err();
            assert!(msg.contains("`async_without_default`"), "{msg}");
            assert!(msg.contains("a recovering function must set the result"), "{msg}");
        }

        #[with_defer($($s)?)]
        async fn async_runtime_error(kind: u8) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(format!("recovered: {p}"));
                }
            });
            yield_now().await;
            let v = vec![1, 2, 3];
            let none: Option<u8> = black_box(None);
            let cell = RefCell::new(0);
            match kind {
                0 => v[black_box(3)].to_string(),
                1 => (1 % black_box(0)).to_string(),
                2 => none.unwrap().to_string(),
                3 => {
                    let _first = cell.borrow_mut();
                    let _second = cell.borrow();
                    "borrowed twice".into()
                }
                _ => "fine".into(),
            }
        }

        #[test]
        fn async_runtime_errors_are_recoverable() {
            assert_eq!(
                run(|| block_on(async_runtime_error(0))).0,
                Ok("recovered: index out of bounds: the len is 3 but the index is 3".into())
            );
            assert_eq!(
                run(|| block_on(async_runtime_error(1))).0,
                Ok("recovered: attempt to calculate the remainder with a divisor of zero".into())
            );
            assert_eq!(
                run(|| block_on(async_runtime_error(2))).0,
                Ok("recovered: called `Option::unwrap()` on a `None` value".into())
            );
            // std's wording: "RefCell already mutably borrowed" (1.95),
            // "already mutably borrowed: BorrowError" (1.85).
            let borrowed = run(|| block_on(async_runtime_error(3))).0.unwrap();
            assert!(
                borrowed.starts_with("recovered: ")
                    && borrowed.contains("already mutably borrowed"),
                "{borrowed}"
            );
            assert_eq!(run(|| block_on(async_runtime_error(9))).0, Ok("fine".into()));
        }

        #[with_defer($($s)?)]
        async fn async_panicking_callee() -> u8 {
            defer!(say("async callee deferred"));
            yield_now().await;
            panic!("async callee");
        }

        #[with_defer($($s)?)]
        async fn async_recovers_a_callee() -> u8 {
            defer!(|ret| {
                if let Some(p) = recover() {
                    say(format!("async caller recovered: {p}"));
                    *ret = Some(3);
                }
            });
            defer!(say("async caller deferred"));
            async_panicking_callee().await + 1
        }

        #[test]
        fn async_callee_panic_is_recovered_by_the_caller() {
            let (out, lines) = run(|| block_on(async_recovers_a_callee()));
            assert_eq!(out, Ok(3));
            assert_eq!(
                lines,
                ["async callee deferred", "async caller deferred", "async caller recovered: async callee"]
            );
        }

        #[with_defer($($s)?)]
        async fn async_older_closures_see_the_recovered_value() -> u32 {
            defer!(|ret| say(format!("oldest sees {ret:?}")));
            defer!(|ret| {
                if recover().is_some() {
                    *ret = Some(70);
                }
            });
            defer!(|ret| say(format!("newest sees {ret:?}")));
            yield_now().await;
            panic!("async before a value");
        }

        #[with_defer($($s)?)]
        async fn async_move_closure_recovers(n: u8) -> u8 {
            defer!(move |ret| {
                if let Some(p) = recover() {
                    say(format!("recovered {p} with n = {n}"));
                    *ret = Some(n);
                }
            });
            yield_now().await;
            panic!("async move");
        }

        #[test]
        fn async_recover_in_a_move_closure() {
            assert_eq!(
                run(|| block_on(async_move_closure_recovers(4))),
                (Ok(4), vec!["recovered async move with n = 4".to_string()])
            );
        }

        #[test]
        fn async_recovering_futures_stay_send() {
            fn assert_send<T: Send>(t: T) -> T {
                t
            }
            assert_eq!(run(|| block_on(assert_send(async_divide(1, black_box(0))))).0, Ok(Err("recovered: attempt to divide by zero".into())));
        }

        #[test]
        fn async_after_recover_older_closures_see_the_slot() {
            let (out, lines) = run(|| block_on(async_older_closures_see_the_recovered_value()));
            assert_eq!(out, Ok(70));
            assert_eq!(lines, ["newest sees None", "oldest sees Some(70)"]);
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn recover_in_loop(n: u32, panic_at: u32) -> Vec<String> {
            defer!(|ret| say(format!("before the loop sees {ret:?}")));
            for i in 0..n {
                defer!(move |ret: &mut Option<Vec<String>>| {
                    let seen = format!("{i}: {}", shown(recover()));
                    ret.get_or_insert_with(Vec::new).push(seen);
                });
                if i == panic_at {
                    panic!("at {}", i);
                }
            }
            vec!["normal".into()]
        }

        #[test]
        fn the_newest_loop_record_recovers() {
            let (out, lines) = run(|| recover_in_loop(3, 1));
            assert_eq!(out, Ok(vec!["1: at 1".to_string(), "0: none".to_string()]));
            assert_eq!(lines, [r#"before the loop sees Some(["1: at 1", "0: none"])"#]);
        }

        #[test]
        fn loop_records_see_none_without_a_panic() {
            let (out, _) = run(|| recover_in_loop(3, 99));
            assert_eq!(out, Ok(vec!["normal".into(), "2: none".into(), "1: none".into(), "0: none".into()]));
        }

        #[test]
        fn the_newest_of_many_loop_records_recovers() {
            let (out, _) = run(|| recover_in_loop(30, 20));
            let mut expected = vec!["20: at 20".to_string()];
            expected.extend((0..20).rev().map(|i| format!("{i}: none")));
            assert_eq!(out, Ok(expected));
        }

        #[with_defer($($s)?)]
        fn plain_move_closures_in_loop(n: u32) {
            for i in 0..n {
                defer!(move || say(format!("{i}: {}", shown(recover()))));
            }
            panic!("after the loop");
        }

        #[test]
        fn move_closures_in_a_loop_recover_newest_first() {
            assert_eq!(
                run(|| plain_move_closures_in_loop(3)),
                (
                    Ok(()),
                    vec!["2: after the loop".to_string(), "1: none".into(), "0: none".into()]
                )
            );
        }

        #[with_defer($($s)?)]
        fn loop_with_plain_and_recovering_records(n: u32) -> u32 {
            defer!(say("outer"));
            for i in 0..n {
                defer!(say(format!("plain {i}")));
                if i == 0 {
                    defer!(|ret| {
                        if let Some(p) = recover() {
                            say(format!("recovered: {p}"));
                            *ret = Some(100);
                        }
                    });
                }
            }
            panic!("after {} iterations", n);
        }

        #[test]
        fn a_recovering_record_shares_the_loop_stack_with_plain_records() {
            let (out, lines) = run(|| loop_with_plain_and_recovering_records(3));
            assert_eq!(out, Ok(100));
            assert_eq!(
                lines,
                ["plain 2", "plain 1", "recovered: after 3 iterations", "plain 0", "outer"]
            );
        }

        #[with_defer($($s)?)]
        async fn async_recover_in_loop(n: u32, panic_at: u32) -> Vec<String> {
            for i in 0..n {
                defer!(move |ret: &mut Option<Vec<String>>| {
                    let seen = format!("{i}: {}", shown(recover()));
                    ret.get_or_insert_with(Vec::new).push(seen);
                });
                yield_now().await;
                if i == panic_at {
                    panic!("async at {}", i);
                }
            }
            vec!["normal".into()]
        }

        #[test]
        fn async_the_newest_loop_record_recovers() {
            let (out, _) = run(|| block_on(async_recover_in_loop(4, 2)));
            assert_eq!(
                out,
                Ok(vec!["2: async at 2".to_string(), "1: none".to_string(), "0: none".to_string()])
            );
            let (out, _) = run(|| block_on(async_recover_in_loop(2, 9)));
            assert_eq!(out, Ok(vec!["normal".to_string(), "1: none".to_string(), "0: none".to_string()]));
        }
    };
}

for_each_loop_lowering!(loops);
