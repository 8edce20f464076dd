//! Panics in deferred calls: a deferred call that panics while the function
//! returns normally does not stop the remaining deferred calls, and then the
//! panic propagates; a deferred call that panics while a panic already unwinds
//! does not abort, the remaining calls still run, and the original payload is
//! what `catch_unwind` gets. No deferred call runs twice.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use support::{message, say, trace};

fn boom(msg: &'static str) {
    say(format!("panicking: {msg}"));
    panic!("{}", msg);
}

/// Runs `f` under `catch_unwind` on a fresh trace: (panic message or None, lines).
fn run<R>(f: impl FnOnce() -> R) -> (Option<String>, Vec<String>) {
    let mut outcome = None;
    let lines = trace(|| {
        outcome = catch_unwind(AssertUnwindSafe(f))
            .err()
            .map(|p| message(&*p));
    });
    (outcome, lines)
}

/// A `return` hidden in a macro the attribute cannot look into: the deferred
/// calls run from the records' `Drop`, outside any panic.
macro_rules! hidden_return {
    () => {
        return
    };
}

/// Counts how many live values it has been cloned into.
fn live(counter: &Rc<()>) -> usize {
    Rc::strong_count(counter) - 1
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn deferred_panics_on_return() -> u8 {
            defer!(say("a"));
            defer!(boom("b"));
            defer!(say("c"));
            say("body");
            1
        }

        #[test]
        fn remaining_deferred_calls_run_then_the_panic_propagates() {
            let (panic, lines) = run(deferred_panics_on_return);
            assert_eq!(panic.as_deref(), Some("b"));
            assert_eq!(lines, ["body", "c", "panicking: b", "a"]);
        }

        #[with_defer($($s)?)]
        fn two_deferred_panics() {
            defer!(say("first registered"));
            defer!(boom("older"));
            defer!(boom("newer"));
            say("body");
        }

        #[test]
        fn a_second_deferred_panic_does_not_abort() {
            let (panic, lines) = run(two_deferred_panics);
            assert_eq!(panic.as_deref(), Some("newer"));
            assert_eq!(
                lines,
                ["body", "panicking: newer", "panicking: older", "first registered"]
            );
        }

        #[with_defer($($s)?)]
        fn body_panics_then_deferred_panics() {
            defer!(say("oldest still runs"));
            defer!(boom("from deferred"));
            defer!(say("newest"));
            boom("original");
        }

        #[test]
        fn deferred_panic_during_unwinding_keeps_the_original_payload() {
            let (panic, lines) = run(body_panics_then_deferred_panics);
            assert_eq!(panic.as_deref(), Some("original"));
            assert_eq!(
                lines,
                [
                    "panicking: original",
                    "newest",
                    "panicking: from deferred",
                    "oldest still runs"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn every_deferred_panics_during_unwinding() {
            defer!(boom("d1"));
            defer!(boom("d2"));
            defer!(boom("d3"));
            boom("body");
        }

        #[test]
        fn all_deferred_calls_panicking_during_unwinding() {
            let (panic, lines) = run(every_deferred_panics_during_unwinding);
            assert_eq!(panic.as_deref(), Some("body"));
            assert_eq!(
                lines,
                ["panicking: body", "panicking: d3", "panicking: d2", "panicking: d1"]
            );
        }

        #[with_defer($($s)?)]
        fn deferred_panics_on_question_mark(input: &str) -> Result<i32, std::num::ParseIntError> {
            defer!(say("a"));
            defer!(boom("on ? exit"));
            let n: i32 = input.parse()?;
            defer!(say("after parse"));
            Ok(n)
        }

        #[test]
        fn deferred_panic_on_question_mark_and_return_paths() {
            let (panic, lines) = run(|| deferred_panics_on_question_mark("x"));
            assert_eq!(panic.as_deref(), Some("on ? exit"));
            assert_eq!(lines, ["panicking: on ? exit", "a"]);
            let (panic, lines) = run(|| deferred_panics_on_question_mark("1"));
            assert_eq!(panic.as_deref(), Some("on ? exit"));
            assert_eq!(lines, ["after parse", "panicking: on ? exit", "a"]);
        }

        #[with_defer($($s)?)]
        fn early_return_with_deferred_panic(early: bool) -> u8 {
            defer!(say("a"));
            defer!(boom("early"));
            if early {
                return 1;
            }
            defer!(say("late"));
            2
        }

        #[test]
        fn deferred_panic_on_an_early_return() {
            let (panic, lines) = run(|| early_return_with_deferred_panic(true));
            assert_eq!(panic.as_deref(), Some("early"));
            assert_eq!(lines, ["panicking: early", "a"]);
        }

        #[with_defer($($s)?)]
        fn return_value_dropped_once(token: Rc<()>) -> Rc<()> {
            defer!(boom("after computing the value"));
            token
        }

        #[test]
        fn the_computed_return_value_is_dropped_once_by_the_unwinding() {
            let token = Rc::new(());
            let (panic, _) = run(|| return_value_dropped_once(Rc::clone(&token)));
            assert_eq!(panic.as_deref(), Some("after computing the value"));
            assert_eq!(Rc::strong_count(&token), 1);
        }

        #[with_defer($($s)?)]
        fn inner_with_panicking_defer() {
            defer!(say("inner a"));
            defer!(boom("inner deferred"));
        }

        #[with_defer($($s)?)]
        fn outer_calls_inner() {
            defer!(say("outer a"));
            inner_with_panicking_defer();
            say("not reached");
        }

        #[test]
        fn deferred_panic_propagates_through_callers_defers() {
            let (panic, lines) = run(outer_calls_inner);
            assert_eq!(panic.as_deref(), Some("inner deferred"));
            assert_eq!(lines, ["panicking: inner deferred", "inner a", "outer a"]);
        }

        #[with_defer($($s)?)]
        fn hidden_return_with_deferred_panic() {
            defer!(say("a"));
            defer!(boom("hidden"));
            defer!(say("c"));
            hidden_return!();
        }

        #[test]
        fn deferred_panic_after_a_hidden_return() {
            let (panic, lines) = run(hidden_return_with_deferred_panic);
            assert_eq!(panic.as_deref(), Some("hidden"));
            assert_eq!(lines, ["c", "panicking: hidden", "a"]);
        }

        #[with_defer($($s)?)]
        fn catches_inside_a_defer() {
            defer!(|| {
                let caught = catch_unwind(|| boom("caught in defer")).is_err();
                say(format!("defer caught: {caught}"));
            });
            say("body");
        }

        #[test]
        fn a_deferred_call_may_catch_its_own_panic() {
            let (panic, lines) = run(catches_inside_a_defer);
            assert_eq!(panic, None);
            assert_eq!(lines, ["body", "panicking: caught in defer", "defer caught: true"]);
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        fn maybe_boom(i: u32, at: u32) {
            say(format!("loop {i}"));
            if i == at {
                panic!("loop record {i}");
            }
        }

        #[with_defer($($s)?)]
        fn loop_record_panics(n: u32, at: u32) {
            defer!(say("before loop"));
            for i in 0..n {
                defer!(maybe_boom(i, at));
            }
            say("body");
        }

        #[test]
        fn panicking_loop_record_on_return_leaves_the_rest_to_run() {
            let (panic, lines) = run(|| loop_record_panics(20, 17));
            assert_eq!(panic.as_deref(), Some("loop record 17"));
            let mut expected = vec!["body".to_string()];
            expected.extend((0..20).rev().map(|i| format!("loop {i}")));
            expected.push("before loop".into());
            assert_eq!(lines, expected);
        }

        #[with_defer($($s)?)]
        fn loop_body_panics(n: u32) {
            defer!(say("before loop"));
            for i in 0..n {
                defer!(maybe_boom(i, 1));
                if i == n - 1 {
                    panic!("body panic");
                }
            }
        }

        #[test]
        fn loop_record_panicking_during_unwinding() {
            let (panic, lines) = run(|| loop_body_panics(3));
            assert_eq!(panic.as_deref(), Some("body panic"));
            assert_eq!(lines, ["loop 2", "loop 1", "loop 0", "before loop"]);
        }

        #[with_defer($($s)?)]
        fn several_loop_records_panic(n: u32) {
            for i in 0..n {
                defer!(move || {
                    say(format!("record {i}"));
                    if i % 2 == 0 {
                        panic!("record {i}");
                    }
                });
            }
        }

        #[test]
        fn first_deferred_panic_wins_when_several_records_panic() {
            let (panic, lines) = run(|| several_loop_records_panic(5));
            assert_eq!(panic.as_deref(), Some("record 4"));
            assert_eq!(lines, ["record 4", "record 3", "record 2", "record 1", "record 0"]);
        }

        #[with_defer($($s)?)]
        fn loop_records_after_hidden_return(n: u32, at: u32, counter: &Rc<()>) {
            defer!(say("before loop"));
            for i in 0..n {
                let held = Rc::clone(counter);
                defer!(move || {
                    drop(held);
                    maybe_boom(i, at);
                });
            }
            hidden_return!();
        }

        /// When a loop record run by `Drop` outside an unwinding (hidden
        /// return, dropped future) panics, the older records still run, once,
        /// and their captures are dropped.
        #[test]
        fn loop_record_panicking_from_drop_leaves_the_rest_to_run() {
            let counter = Rc::new(());
            let (panic, lines) = run(|| loop_records_after_hidden_return(5, 2, &counter));
            assert_eq!(panic.as_deref(), Some("loop record 2"));
            assert_eq!(
                lines,
                ["loop 4", "loop 3", "loop 2", "loop 1", "loop 0", "before loop"]
            );
            assert_eq!(live(&counter), 0, "captures of loop records leaked");
        }

        #[test]
        fn spilled_loop_record_panicking_from_drop_leaves_the_rest_to_run() {
            let counter = Rc::new(());
            let (panic, lines) = run(|| loop_records_after_hidden_return(20, 18, &counter));
            assert_eq!(panic.as_deref(), Some("loop record 18"));
            let mut expected: Vec<String> = (0..20).rev().map(|i| format!("loop {i}")).collect();
            expected.push("before loop".into());
            assert_eq!(lines, expected);
            assert_eq!(live(&counter), 0, "captures of loop records leaked");
        }

        #[test]
        fn loop_records_after_a_hidden_return_without_panics() {
            let counter = Rc::new(());
            let (panic, lines) = run(|| loop_records_after_hidden_return(3, 99, &counter));
            assert_eq!(panic, None);
            assert_eq!(lines, ["loop 2", "loop 1", "loop 0", "before loop"]);
            assert_eq!(live(&counter), 0);
        }
    };
}

for_each_loop_lowering!(loops);
