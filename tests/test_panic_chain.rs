//! Panics inside deferred calls, with `recover()`: a deferred call that panics
//! while a panic unwinds never aborts, the remaining deferred calls still run,
//! and the newer panic supersedes the one in flight: `recover()` returns the
//! newest, recovering it ends the older ones too, and they stay reachable from
//! the `Panic`, oldest first (also across a plain `#[with_defer]` callee).
//! Recover-then-panic continues unwinding with the new value through this
//! frame's remaining deferred calls, then the callers'. A panic that leaves a
//! function carries the payload it was raised with, unwrapped.
// A deferred closure in a loop is the point of the loop tests: silence the
// warning that every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{Panic, defer, recover, with_defer};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, panic_any};
use support::{block_on, run, say, yield_now};

/// Runs `f` under `catch_unwind` and returns the payload that escaped.
fn escaped<R>(f: impl FnOnce() -> R) -> Box<dyn Any + Send> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic to escape"),
        Err(payload) => payload,
    }
}

fn boom(msg: &'static str) {
    say(format!("panicking: {msg}"));
    panic!("{}", msg);
}

/// A payload that is not a string.
#[derive(Debug, PartialEq, Clone, Copy)]
struct Custom {
    code: u32,
}

/// `newest <- [oldest, ..]`: a recovered panic and the ones it superseded.
fn chain(panic: &Panic) -> String {
    let older: Vec<String> = panic.superseded().iter().map(|p| p.to_string()).collect();
    format!("{panic} <- {older:?}")
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn body_then_deferred() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            defer!(say("still runs"));
            defer!(boom("deferred"));
            boom("body");
            String::from("unreachable")
        }

        #[test]
        fn recover_returns_the_newest_panic_with_the_superseded_one() {
            let (out, lines) = run(body_then_deferred);
            assert_eq!(out, Ok(r#"deferred <- ["body"]"#.to_string()));
            assert_eq!(lines, ["panicking: body", "panicking: deferred", "still runs"]);
        }

        #[with_defer($($s)?)]
        fn three_panics() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
                say(format!("second recover: {:?}", recover().map(|p| p.to_string())));
            });
            defer!(boom("runs last"));
            defer!(say("between"));
            defer!(boom("runs first"));
            boom("body");
            String::new()
        }

        #[test]
        fn superseded_panics_are_kept_oldest_first_and_recovering_ends_them_all() {
            let (out, lines) = run(three_panics);
            assert_eq!(out, Ok(r#"runs last <- ["body", "runs first"]"#.to_string()));
            assert_eq!(
                lines,
                [
                    "panicking: body",
                    "panicking: runs first",
                    "between",
                    "panicking: runs last",
                    "second recover: None"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn after_return(twice: bool) -> u32 {
            defer!(|ret| {
                let p = recover();
                say(format!("recovered {:?} with {ret:?}", p.as_ref().map(chain)));
            });
            if twice {
                defer!(boom("older"));
            }
            defer!(boom("newer"));
            5
        }

        #[test]
        fn a_deferred_panic_after_a_return_is_recovered_and_the_value_kept() {
            let (out, lines) = run(|| after_return(false));
            assert_eq!(out, Ok(5));
            assert_eq!(
                lines,
                ["panicking: newer", r#"recovered Some("newer <- []") with Some(5)"#]
            );
            let (out, lines) = run(|| after_return(true));
            assert_eq!(out, Ok(5));
            assert_eq!(
                lines,
                [
                    "panicking: newer",
                    "panicking: older",
                    r#"recovered Some("older <- [\"newer\"]") with Some(5)"#
                ]
            );
        }

        #[with_defer($($s)?)]
        fn plain_callee_unwinding() {
            defer!(say("callee first"));
            defer!(boom("callee deferred"));
            boom("callee body");
        }

        #[with_defer($($s)?)]
        fn result_form_callee_unwinding() -> u32 {
            defer!(|ret| say(format!("callee sees {ret:?}")));
            defer!(boom("callee deferred"));
            boom("callee body");
            1
        }

        #[with_defer($($s)?)]
        fn plain_callee_returning() {
            defer!(boom("callee older"));
            defer!(boom("callee newer"));
            say("callee body");
        }

        #[with_defer($($s)?)]
        fn result_form_callee_returning() -> u32 {
            defer!(boom("callee older"));
            defer!(|ret| say(format!("callee sees {ret:?}")));
            defer!(boom("callee newer"));
            2
        }

        #[with_defer($($s)?)]
        fn caller(which: u8) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            defer!(say("caller deferred"));
            match which {
                0 => plain_callee_unwinding(),
                1 => {
                    result_form_callee_unwinding();
                }
                2 => plain_callee_returning(),
                _ => {
                    result_form_callee_returning();
                }
            }
            "no panic".into()
        }

        #[test]
        fn the_chain_survives_a_plain_callee_whose_deferred_call_panics_while_unwinding() {
            let (out, lines) = run(|| caller(0));
            assert_eq!(out, Ok(r#"callee deferred <- ["callee body"]"#.to_string()));
            assert_eq!(
                lines,
                ["panicking: callee body", "panicking: callee deferred", "callee first", "caller deferred"]
            );
            let (out, lines) = run(|| caller(1));
            assert_eq!(out, Ok(r#"callee deferred <- ["callee body"]"#.to_string()));
            assert_eq!(
                lines,
                ["panicking: callee body", "panicking: callee deferred", "callee sees None", "caller deferred"]
            );
        }

        #[test]
        fn the_chain_survives_a_plain_callee_whose_deferred_calls_panic_on_return() {
            let (out, lines) = run(|| caller(2));
            assert_eq!(out, Ok(r#"callee older <- ["callee newer"]"#.to_string()));
            assert_eq!(
                lines,
                ["callee body", "panicking: callee newer", "panicking: callee older", "caller deferred"]
            );
            let (out, lines) = run(|| caller(3));
            assert_eq!(out, Ok(r#"callee older <- ["callee newer"]"#.to_string()));
            assert_eq!(
                lines,
                ["panicking: callee newer", "callee sees Some(2)", "panicking: callee older", "caller deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn resumes(which: u8) {
            defer!(say("resumer's older deferred"));
            defer!(|| {
                if let Some(p) = recover() {
                    say(format!("resumer recovered {}", chain(&p)));
                    match which {
                        1 => panic!("again after {p}"),
                        _ => p.resume(),
                    }
                }
            });
            defer!(say("resumer's newer deferred"));
            match which {
                0 | 1 => boom("first"),
                _ => plain_callee_unwinding(),
            }
        }

        #[with_defer($($s)?)]
        fn caller_of_resumer(which: u8) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            defer!(say("caller's deferred"));
            resumes(which);
            "no panic".into()
        }

        #[test]
        fn resume_continues_through_this_frame_then_the_callers() {
            let (out, lines) = run(|| resumes(0));
            assert_eq!(out, Err("first".into()));
            assert_eq!(
                lines,
                [
                    "panicking: first",
                    "resumer's newer deferred",
                    "resumer recovered first <- []",
                    "resumer's older deferred"
                ]
            );
            let (out, lines) = run(|| caller_of_resumer(0));
            assert_eq!(out, Ok("first <- []".to_string()));
            assert_eq!(
                lines,
                [
                    "panicking: first",
                    "resumer's newer deferred",
                    "resumer recovered first <- []",
                    "resumer's older deferred",
                    "caller's deferred"
                ]
            );
        }

        #[test]
        fn a_new_panic_after_recover_continues_through_this_frame_then_the_callers() {
            let (out, lines) = run(|| resumes(1));
            assert_eq!(out, Err("again after first".into()));
            assert_eq!(
                lines,
                [
                    "panicking: first",
                    "resumer's newer deferred",
                    "resumer recovered first <- []",
                    "resumer's older deferred"
                ]
            );
            let (out, _) = run(|| caller_of_resumer(1));
            assert_eq!(out, Ok("again after first <- []".to_string()));
        }

        #[test]
        fn resume_keeps_the_superseded_panics_for_the_caller() {
            let (out, lines) = run(|| caller_of_resumer(2));
            assert_eq!(
                lines,
                [
                    "panicking: callee body",
                    "panicking: callee deferred",
                    "callee first",
                    "resumer's newer deferred",
                    r#"resumer recovered callee deferred <- ["callee body"]"#,
                    "resumer's older deferred",
                    "caller's deferred"
                ]
            );
            assert_eq!(out, Ok(r#"callee deferred <- ["callee body"]"#.to_string()));
        }

        #[with_defer($($s)?)]
        fn plain_custom() -> u8 {
            defer!(say("plain deferred"));
            panic_any(Custom { code: 1 })
        }

        #[with_defer($($s)?)]
        fn result_form_custom() -> u8 {
            defer!(|ret| say(format!("sees {ret:?}")));
            panic_any(Custom { code: 2 })
        }

        #[with_defer($($s)?)]
        fn recovering_custom(take: bool) -> u8 {
            defer!(|ret| {
                if take {
                    if let Some(p) = recover() {
                        *ret = Some(p.downcast_ref::<Custom>().map_or(0, |c| c.code as u8));
                    }
                }
            });
            panic_any(Custom { code: 3 })
        }

        #[with_defer($($s)?)]
        fn resumed_custom() -> u8 {
            defer!(|| {
                if let Some(p) = recover() {
                    assert_eq!(p.downcast_ref::<Custom>(), Some(&Custom { code: 4 }));
                    p.resume();
                }
            });
            panic_any(Custom { code: 4 })
        }

        #[with_defer($($s)?)]
        fn custom_after_return() -> u8 {
            defer!(|ret| say(format!("sees {ret:?}")));
            defer!(|| panic_any(Custom { code: 5 }));
            7
        }

        #[with_defer($($s)?)]
        fn custom_after_recover() -> u8 {
            defer!(|| panic_any(Custom { code: 6 }));
            defer!(|ret| {
                if recover().is_some() {
                    *ret = Some(1);
                }
            });
            panic!("recovered, then a custom panic from an older deferred call")
        }

        #[test]
        fn a_custom_payload_leaves_the_function_unwrapped() {
            let code = |payload: Box<dyn Any + Send>| payload.downcast::<Custom>().map(|c| c.code).ok();
            assert_eq!(code(escaped(plain_custom)), Some(1));
            assert_eq!(code(escaped(result_form_custom)), Some(2));
            assert_eq!(code(escaped(|| recovering_custom(false))), Some(3));
            assert_eq!(run(|| recovering_custom(true)).0, Ok(3));
            assert_eq!(code(escaped(resumed_custom)), Some(4));
            assert_eq!(code(escaped(custom_after_return)), Some(5));
            assert_eq!(code(escaped(custom_after_recover)), Some(6));
        }

        #[with_defer($($s)?)]
        fn string_payload_after_return() -> u8 {
            defer!(|ret| say(format!("sees {ret:?}")));
            defer!(|| panic!("formatted {}", std::hint::black_box(8)));
            7
        }

        #[test]
        fn a_string_payload_leaves_the_function_unwrapped() {
            let payload = escaped(string_payload_after_return);
            assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("formatted 8"));
            let payload = escaped(|| resumes(0));
            assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("first"));
        }

        #[with_defer($($s)?)]
        fn inner_swallowed() {
            defer!(boom("swallowed deferred"));
            boom("swallowed body");
        }

        #[with_defer($($s)?)]
        fn recovers_after_a_swallowed_chain() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            let swallowed = catch_unwind(inner_swallowed).is_err();
            say(format!("swallowed: {swallowed}"));
            boom("own");
            String::new()
        }

        /// A chain whose unwinding ended in a plain `catch_unwind` inside the
        /// body of a recovering function is stale: the next catch, for a new
        /// panic, does not take it (the runtime's panic hook tells the
        /// unwindings apart).
        #[test]
        fn a_panic_chain_swallowed_by_catch_unwind_does_not_leak_into_a_later_recover() {
            let (out, lines) = run(recovers_after_a_swallowed_chain);
            assert_eq!(
                lines,
                [
                    "panicking: swallowed body",
                    "panicking: swallowed deferred",
                    "swallowed: true",
                    "panicking: own"
                ]
            );
            assert_eq!(out, Ok("own <- []".to_string()));
        }

        #[with_defer($($s)?)]
        fn resumes_a_chain_into_catch_unwind() -> u32 {
            defer!(boom("older on return"));
            defer!(|ret| say(format!("sees {ret:?}")));
            defer!(boom("newer on return"));
            1
        }

        #[with_defer($($s)?)]
        fn recovers_after_a_swallowed_resume() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            let swallowed = catch_unwind(resumes_a_chain_into_catch_unwind).is_err();
            say(format!("swallowed: {swallowed}"));
            boom("own");
            String::new()
        }

        /// The same for the panics a resumed chain carried (a non-recovering
        /// result-form callee whose two deferred calls panicked on return).
        #[test]
        fn a_resumed_chain_swallowed_by_catch_unwind_does_not_leak_into_a_later_recover() {
            let (out, lines) = run(recovers_after_a_swallowed_resume);
            assert_eq!(
                lines,
                [
                    "panicking: newer on return",
                    "sees Some(1)",
                    "panicking: older on return",
                    "swallowed: true",
                    "panicking: own"
                ]
            );
            assert_eq!(out, Ok("own <- []".to_string()));
        }

        #[with_defer($($s)?)]
        fn helper_recovers_its_own_panic() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            boom("helper's own");
            String::new()
        }

        #[with_defer($($s)?)]
        fn calls_a_recovering_helper_while_unwinding() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            defer!(|| say(format!("helper recovered {}", helper_recovers_its_own_panic())));
            defer!(boom("deferred"));
            boom("body");
            String::new()
        }

        #[test]
        fn a_helper_recovering_its_own_panic_while_a_chain_unwinds_leaves_the_chain() {
            let (out, lines) = run(calls_a_recovering_helper_while_unwinding);
            assert_eq!(
                (out, lines),
                (
                    Ok(r#"deferred <- ["body"]"#.to_string()),
                    vec![
                        "panicking: body".to_string(),
                        "panicking: deferred".into(),
                        "panicking: helper's own".into(),
                        "helper recovered helper's own <- []".into()
                    ]
                )
            );
        }

        #[with_defer($($s)?)]
        fn same_statement(first: bool) -> String {
            if first {
                defer!(|ret| {
                    if let Some(p) = recover() {
                        *ret = Some(chain(&p));
                    }
                });
                defer!(boom("same statement"));
                boom("body");
            }
            String::from("not taken")
        }

        #[test]
        fn a_deferred_panic_beside_the_recovering_closure_supersedes() {
            let (out, lines) = run(|| same_statement(true));
            assert_eq!(out, Ok(r#"same statement <- ["body"]"#.to_string()));
            assert_eq!(lines, ["panicking: body", "panicking: same statement"]);
            assert_eq!(run(|| same_statement(false)).0, Ok("not taken".to_string()));
        }

        #[with_defer($($s)?)]
        fn middle_plain() {
            defer!(boom("middle deferred"));
            plain_callee_unwinding();
        }

        #[with_defer($($s)?)]
        fn recovers_two_frames_down() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            middle_plain();
            String::new()
        }

        #[test]
        fn the_chain_grows_through_two_plain_frames() {
            let (out, lines) = run(recovers_two_frames_down);
            assert_eq!(
                out,
                Ok(r#"middle deferred <- ["callee body", "callee deferred"]"#.to_string())
            );
            assert_eq!(
                lines,
                [
                    "panicking: callee body",
                    "panicking: callee deferred",
                    "callee first",
                    "panicking: middle deferred"
                ]
            );
        }

        // ---- async fn ----

        #[with_defer($($s)?)]
        async fn async_body_then_deferred() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            defer!(say("still runs"));
            defer!(boom("deferred"));
            yield_now().await;
            boom("body");
            String::new()
        }

        #[test]
        fn async_recover_returns_the_newest_panic_with_the_superseded_one() {
            let (out, lines) = run(|| block_on(async_body_then_deferred()));
            assert_eq!(out, Ok(r#"deferred <- ["body"]"#.to_string()));
            assert_eq!(lines, ["panicking: body", "panicking: deferred", "still runs"]);
        }

        #[with_defer($($s)?)]
        async fn async_after_return() -> u32 {
            defer!(|ret| {
                let p = recover();
                say(format!("recovered {:?} with {ret:?}", p.as_ref().map(chain)));
            });
            defer!(boom("older"));
            defer!(boom("newer"));
            yield_now().await;
            6
        }

        #[test]
        fn async_deferred_panics_after_a_return_are_recovered_and_the_value_kept() {
            let (out, lines) = run(|| block_on(async_after_return()));
            assert_eq!(out, Ok(6));
            assert_eq!(
                lines,
                [
                    "panicking: newer",
                    "panicking: older",
                    r#"recovered Some("older <- [\"newer\"]") with Some(6)"#
                ]
            );
        }

        #[with_defer($($s)?)]
        async fn async_plain_callee() {
            defer!(say("callee first"));
            defer!(boom("callee deferred"));
            yield_now().await;
            boom("callee body");
        }

        #[with_defer($($s)?)]
        async fn async_caller() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            defer!(say("caller deferred"));
            async_plain_callee().await;
            "no panic".into()
        }

        #[test]
        fn async_the_chain_survives_a_plain_callee() {
            let (out, lines) = run(|| block_on(async_caller()));
            assert_eq!(out, Ok(r#"callee deferred <- ["callee body"]"#.to_string()));
            assert_eq!(
                lines,
                ["panicking: callee body", "panicking: callee deferred", "callee first", "caller deferred"]
            );
        }

        #[with_defer($($s)?)]
        async fn async_resumes(which: u8) {
            defer!(say("resumer's older deferred"));
            defer!(|| {
                if let Some(p) = recover() {
                    say(format!("resumer recovered {}", chain(&p)));
                    match which {
                        0 => p.resume(),
                        _ => panic_any(Custom { code: 40 }),
                    }
                }
            });
            yield_now().await;
            panic_any(Custom { code: 30 });
        }

        #[with_defer($($s)?)]
        async fn async_caller_of_resumer(which: u8) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    let code = p.downcast_ref::<Custom>().map(|c| c.code);
                    *ret = Some(format!("caller recovered {code:?}"));
                }
            });
            defer!(say("caller's deferred"));
            async_resumes(which).await;
            "no panic".into()
        }

        #[test]
        fn async_resume_and_new_panics_continue_with_unwrapped_payloads() {
            let payload = escaped(|| block_on(async_resumes(0)));
            assert_eq!(payload.downcast_ref::<Custom>(), Some(&Custom { code: 30 }));
            let payload = escaped(|| block_on(async_resumes(1)));
            assert_eq!(payload.downcast_ref::<Custom>(), Some(&Custom { code: 40 }));
            let (out, lines) = run(|| block_on(async_caller_of_resumer(0)));
            assert_eq!(out, Ok("caller recovered Some(30)".to_string()));
            assert_eq!(
                lines,
                ["resumer recovered Box<dyn Any> <- []", "resumer's older deferred", "caller's deferred"]
            );
            let (out, _) = run(|| block_on(async_caller_of_resumer(1)));
            assert_eq!(out, Ok("caller recovered Some(40)".to_string()));
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn loop_records_panic(n: u32) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            for i in 0..n {
                defer!(move || {
                    say(format!("record {i}"));
                    if i % 2 == 1 {
                        panic!("record {}", i);
                    }
                });
            }
            panic!("body after {} records", n);
        }

        #[test]
        fn panicking_loop_records_supersede_in_order() {
            let (out, lines) = run(|| loop_records_panic(4));
            assert_eq!(out, Ok(r#"record 1 <- ["body after 4 records", "record 3"]"#.to_string()));
            assert_eq!(lines, ["record 3", "record 2", "record 1", "record 0"]);
        }

        #[test]
        fn panicking_spilled_loop_records_supersede_in_order() {
            let (out, _) = run(|| loop_records_panic(20));
            let mut older = vec!["body after 20 records".to_string()];
            older.extend((3..20).rev().step_by(2).map(|i| format!("record {i}")));
            assert_eq!(out, Ok(format!("record 1 <- {older:?}")));
        }

        #[with_defer($($s)?)]
        fn recovering_loop_records_with_panics(n: u32) -> String {
            for i in 0..n {
                defer!(move |ret: &mut Option<String>| {
                    if i == 0 {
                        if let Some(p) = recover() {
                            *ret = Some(chain(&p));
                        }
                    } else {
                        say(format!("record {i}"));
                        panic!("record {}", i);
                    }
                });
            }
            "no panic".into()
        }

        #[test]
        fn loop_records_panicking_on_return_are_recovered_by_the_oldest() {
            let (out, lines) = run(|| recovering_loop_records_with_panics(3));
            assert_eq!(out, Ok(r#"record 1 <- ["record 2"]"#.to_string()));
            assert_eq!(lines, ["record 2", "record 1"]);
        }

        #[with_defer($($s)?)]
        async fn async_loop_records_panic(n: u32) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            for i in 0..n {
                defer!(move || {
                    if i % 2 == 1 {
                        panic!("record {}", i);
                    }
                });
                yield_now().await;
            }
            panic!("async body");
        }

        #[test]
        fn async_panicking_loop_records_supersede_in_order() {
            let (out, _) = run(|| block_on(async_loop_records_panic(4)));
            assert_eq!(out, Ok(r#"record 1 <- ["async body", "record 3"]"#.to_string()));
        }
    };
}

for_each_loop_lowering!(loops);
