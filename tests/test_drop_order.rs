//! Drops: values moved into deferred calls are dropped exactly once (on return,
//! on panic, in loops, in dropped futures); values that a defer in an arm that
//! did not run would have captured are dropped normally; at a return the
//! deferred calls run before the function's locals are dropped.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::Cell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use support::{say, trace};

/// Logs its drop and counts it in a shared counter.
struct Tok {
    name: String,
    drops: Rc<Cell<u32>>,
}

impl Tok {
    fn new(name: &str, drops: &Rc<Cell<u32>>) -> Self {
        Tok {
            name: name.into(),
            drops: Rc::clone(drops),
        }
    }

    fn look(&self) {
        say(format!("look {}", self.name));
    }

    fn finish(self) {
        say(format!("finish {}", self.name));
    }
}

impl Drop for Tok {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
        say(format!("drop {}", self.name));
    }
}

fn consume(t: Tok) {
    say(format!("consume {}", t.name));
}

fn observe(t: &Tok) {
    say(format!("observe {}", t.name));
}

fn make(name: &str, drops: &Rc<Cell<u32>>) -> Tok {
    say(format!("make {name}"));
    Tok::new(name, drops)
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn moved_into_call(drops: &Rc<Cell<u32>>) {
            let t = Tok::new("arg", drops);
            defer!(consume(t));
            say("body");
        }

        #[test]
        fn argument_moved_into_a_deferred_call_is_dropped_once_after_it() {
            let drops = Rc::new(Cell::new(0));
            assert_eq!(
                trace(|| moved_into_call(&drops)),
                ["body", "consume arg", "drop arg"]
            );
            assert_eq!(drops.get(), 1);
        }

        #[with_defer($($s)?)]
        fn moved_into_closure(drops: &Rc<Cell<u32>>) {
            let t = Tok::new("captured", drops);
            defer!(move || t.look());
            say("body");
        }

        #[test]
        fn move_capture_is_dropped_once_after_the_call() {
            let drops = Rc::new(Cell::new(0));
            assert_eq!(
                trace(|| moved_into_closure(&drops)),
                ["body", "look captured", "drop captured"]
            );
            assert_eq!(drops.get(), 1);
        }

        #[with_defer($($s)?)]
        fn branch_capture(drops: &Rc<Cell<u32>>, take: bool) {
            let t = Tok::new("maybe", drops);
            let u = Tok::new("maybe arg", drops);
            if take {
                defer!(move || t.look());
                defer!(consume(u));
            }
            say("body");
        }

        #[test]
        fn captures_of_arms_that_did_not_run_are_unaffected() {
            let drops = Rc::new(Cell::new(0));
            assert_eq!(
                trace(|| branch_capture(&drops, false)),
                ["body", "drop maybe arg", "drop maybe"]
            );
            assert_eq!(drops.get(), 2);
            assert_eq!(
                trace(|| branch_capture(&drops, true)),
                ["body", "consume maybe arg", "drop maybe arg", "look maybe", "drop maybe"]
            );
            assert_eq!(drops.get(), 4);
        }

        #[with_defer($($s)?)]
        fn arguments_of_unexecuted_defer(drops: &Rc<Cell<u32>>, take: bool) {
            if take {
                defer!(consume(make("lazy", drops)));
            }
            say("body");
        }

        #[test]
        fn arguments_of_an_unexecuted_defer_are_never_evaluated() {
            let drops = Rc::new(Cell::new(0));
            assert_eq!(trace(|| arguments_of_unexecuted_defer(&drops, false)), ["body"]);
            assert_eq!(drops.get(), 0);
            assert_eq!(
                trace(|| arguments_of_unexecuted_defer(&drops, true)),
                ["make lazy", "body", "consume lazy", "drop lazy"]
            );
            assert_eq!(drops.get(), 1);
        }

        #[with_defer($($s)?)]
        fn deferred_before_locals(drops: &Rc<Cell<u32>>, early: bool) -> u8 {
            let _first = Tok::new("first local", drops);
            let borrowed = Tok::new("borrowed", drops);
            defer!(observe(&borrowed));
            defer!(say("deferred"));
            let _second = Tok::new("second local", drops);
            if early {
                return 1;
            }
            2
        }

        #[test]
        fn deferred_calls_run_before_locals_are_dropped() {
            let drops = Rc::new(Cell::new(0));
            for early in [true, false] {
                assert_eq!(
                    trace(|| assert_eq!(deferred_before_locals(&drops, early), if early { 1 } else { 2 })),
                    [
                        "deferred",
                        "observe borrowed",
                        "drop second local",
                        "drop borrowed",
                        "drop first local"
                    ]
                );
            }
            assert_eq!(drops.get(), 6);
        }

        #[with_defer($($s)?)]
        fn receiver_evaluated_now(drops: &Rc<Cell<u32>>) {
            defer!(make("receiver", drops).look());
            defer!(make("by value", drops).finish());
            say("body");
        }

        #[test]
        fn non_place_receiver_is_dropped_once_after_its_call() {
            let drops = Rc::new(Cell::new(0));
            assert_eq!(
                trace(|| receiver_evaluated_now(&drops)),
                [
                    "make receiver",
                    "make by value",
                    "body",
                    "finish by value",
                    "drop by value",
                    "look receiver",
                    "drop receiver"
                ]
            );
            assert_eq!(drops.get(), 2);
        }

        #[with_defer($($s)?)]
        fn panics_with_captures(drops: &Rc<Cell<u32>>) {
            let a = Tok::new("a", drops);
            let b = Tok::new("b", drops);
            defer!(consume(a));
            defer!(move || b.look());
            let _c = Tok::new("c", drops);
            panic!("unwind");
        }

        #[test]
        fn captures_are_dropped_once_when_panicking() {
            let drops = Rc::new(Cell::new(0));
            let lines = trace(|| {
                assert!(catch_unwind(AssertUnwindSafe(|| panics_with_captures(&drops))).is_err());
            });
            assert_eq!(drops.get(), 3);
            for name in ["a", "b", "c"] {
                let dropped = format!("drop {name}");
                assert_eq!(lines.iter().filter(|l| **l == dropped).count(), 1, "{lines:?}");
            }
            let pos = |s: &str| lines.iter().position(|l| l == s).unwrap();
            assert!(pos("look b") < pos("drop b"));
            assert!(pos("drop b") < pos("consume a"));
            assert!(pos("consume a") < pos("drop a"));
        }

        #[with_defer($($s)?)]
        fn deferred_call_panics(drops: &Rc<Cell<u32>>) {
            let a = Tok::new("a", drops);
            defer!(consume(a));
            defer!(|| panic!("deferred"));
            let b = Tok::new("b", drops);
            defer!(move || b.look());
        }

        #[test]
        fn captures_are_dropped_once_when_a_deferred_call_panics() {
            let drops = Rc::new(Cell::new(0));
            let lines = trace(|| {
                assert!(catch_unwind(AssertUnwindSafe(|| deferred_call_panics(&drops))).is_err());
            });
            assert_eq!(lines, ["look b", "drop b", "consume a", "drop a"]);
            assert_eq!(drops.get(), 2);
        }

        #[with_defer($($s)?)]
        fn returns_a_token(drops: &Rc<Cell<u32>>) -> Tok {
            defer!(say("deferred"));
            Tok::new("returned", drops)
        }

        #[test]
        fn the_return_value_is_not_dropped_by_the_function() {
            let drops = Rc::new(Cell::new(0));
            let mut kept = None;
            assert_eq!(trace(|| kept = Some(returns_a_token(&drops))), ["deferred"]);
            assert_eq!(drops.get(), 0);
            assert_eq!(trace(|| drop(kept.take())), ["drop returned"]);
            assert_eq!(drops.get(), 1);
        }

        struct Pending(bool);

        impl Future for Pending {
            type Output = ();
            fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
                if std::mem::replace(&mut self.0, true) {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
        }

        #[with_defer($($s)?)]
        async fn future_with_captures(drops: Rc<Cell<u32>>) {
            let a = Tok::new("async arg", &drops);
            let b = Tok::new("async capture", &drops);
            defer!(consume(a));
            defer!(move || b.look());
            Pending(false).await;
        }

        #[test]
        fn captures_of_a_dropped_future_are_dropped_once() {
            let drops = Rc::new(Cell::new(0));
            let lines = trace(|| {
                let mut fut = Box::pin(future_with_captures(Rc::clone(&drops)));
                let mut cx = Context::from_waker(Waker::noop());
                assert!(fut.as_mut().poll(&mut cx).is_pending());
                drop(fut);
            });
            assert_eq!(
                lines,
                ["look async capture", "drop async capture", "consume async arg", "drop async arg"]
            );
            assert_eq!(drops.get(), 2);
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn loop_tokens(drops: &Rc<Cell<u32>>, n: usize) {
            for i in 0..n {
                let t = Tok::new(&format!("t{i}"), drops);
                if i % 2 == 0 {
                    defer!(consume(t));
                } else {
                    defer!(move || t.look());
                }
            }
            say("body");
        }

        #[test]
        fn loop_captures_are_dropped_once_each_in_lifo_order() {
            let drops = Rc::new(Cell::new(0));
            let lines = trace(|| loop_tokens(&drops, 20));
            let mut expected = vec!["body".to_string()];
            for i in (0..20).rev() {
                if i % 2 == 0 {
                    expected.push(format!("consume t{i}"));
                } else {
                    expected.push(format!("look t{i}"));
                }
                expected.push(format!("drop t{i}"));
            }
            assert_eq!(lines, expected);
            assert_eq!(drops.get(), 20);
        }

        #[with_defer($($s)?)]
        fn loop_tokens_panic(drops: &Rc<Cell<u32>>, n: usize) {
            for i in 0..n {
                let t = Tok::new(&format!("t{i}"), drops);
                defer!(consume(t));
            }
            panic!("after loop");
        }

        #[test]
        fn loop_captures_are_dropped_once_when_panicking() {
            let drops = Rc::new(Cell::new(0));
            let lines = trace(|| {
                assert!(catch_unwind(AssertUnwindSafe(|| loop_tokens_panic(&drops, 18))).is_err());
            });
            let mut expected = Vec::new();
            for i in (0..18).rev() {
                expected.push(format!("consume t{i}"));
                expected.push(format!("drop t{i}"));
            }
            assert_eq!(lines, expected);
            assert_eq!(drops.get(), 18);
        }
    };
}

for_each_loop_lowering!(loops);
