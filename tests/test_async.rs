//! `async fn`: the deferred calls run when the future completes, and when it is
//! dropped after it started (polled to a Pending point past the `defer!`). The
//! future is `Send` exactly when it would be without the defers.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::Cell;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use support::{block_on, poll_once, say, trace, yield_now};

fn assert_send<T: Send>(_: &T) {}

/// `is_send(&value)` without naming the type: the inherent-looking method of
/// `IsSend` applies only when `T: Send`, else autoref falls back to `NotSend`.
struct Probe<T>(PhantomData<T>);

trait IsSend {
    fn is_send(&self) -> bool {
        true
    }
}

impl<T: Send> IsSend for Probe<T> {}

trait NotSend {
    fn is_send(&self) -> bool {
        false
    }
}

impl<T> NotSend for &Probe<T> {}

fn probe<T>(_: &T) -> Probe<T> {
    Probe(PhantomData)
}

macro_rules! is_send {
    ($e:expr) => {
        (&probe(&$e)).is_send()
    };
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        async fn completes(n: u32, cell: &Cell<u32>) -> u32 {
            say("start");
            defer!(say(format!("deferred 1, n = {n}")));
            yield_now().await;
            defer!(|| say(format!("deferred 2 sees {}", cell.get())));
            yield_now().await;
            cell.set(n * 2);
            say("end of body");
            cell.get() + 1
        }

        #[test]
        fn deferred_calls_run_when_the_future_completes() {
            let cell = Cell::new(0);
            let lines = trace(|| assert_eq!(block_on(completes(4, &cell)), 9));
            assert_eq!(
                lines,
                ["start", "end of body", "deferred 2 sees 8", "deferred 1, n = 4"]
            );
        }

        #[test]
        fn deferred_calls_run_when_a_started_future_is_dropped() {
            let cell = Cell::new(0);
            let lines = trace(|| {
                let mut fut = Box::pin(completes(4, &cell));
                assert!(poll_once(fut.as_mut()).is_pending());
                say("polled once");
                assert!(poll_once(fut.as_mut()).is_pending());
                say("polled twice");
                drop(fut);
                say("dropped");
            });
            assert_eq!(
                lines,
                [
                    "start",
                    "polled once",
                    "polled twice",
                    "deferred 2 sees 0",
                    "deferred 1, n = 4",
                    "dropped"
                ]
            );
        }

        #[test]
        fn only_executed_defers_run_on_drop() {
            let cell = Cell::new(0);
            let lines = trace(|| {
                let mut fut = Box::pin(completes(5, &cell));
                assert!(poll_once(fut.as_mut()).is_pending());
                drop(fut);
            });
            assert_eq!(lines, ["start", "deferred 1, n = 5"]);
        }

        #[test]
        fn unstarted_future_runs_nothing() {
            let cell = Cell::new(0);
            let lines = trace(|| drop(completes(1, &cell)));
            assert!(lines.is_empty(), "{lines:?}");
        }

        #[test]
        fn completed_then_dropped_runs_each_call_once() {
            let cell = Cell::new(0);
            let lines = trace(|| {
                let mut fut = Box::pin(completes(1, &cell));
                while poll_once(fut.as_mut()).is_pending() {}
                say("completed");
                drop(fut);
            });
            assert_eq!(
                lines,
                ["start", "end of body", "deferred 2 sees 2", "deferred 1, n = 1", "completed"]
            );
        }

        #[with_defer($($s)?)]
        async fn fallible(input: &str) -> Result<i32, std::num::ParseIntError> {
            defer!(say("fallible deferred"));
            yield_now().await;
            let n: i32 = input.parse()?;
            let m = async { "2".parse::<i32>() }.await?;
            Ok(n * m)
        }

        #[test]
        fn question_mark_in_async_fn() {
            assert_eq!(trace(|| assert_eq!(block_on(fallible("21")), Ok(42))), ["fallible deferred"]);
            assert_eq!(
                trace(|| assert!(block_on(fallible("x")).is_err())),
                ["fallible deferred"]
            );
        }

        #[with_defer($($s)?)]
        async fn awaits_in_defer_arguments() {
            defer!(say(async { say("argument awaited now"); "value" }.await));
            say("body");
            yield_now().await;
        }

        #[test]
        fn defer_arguments_may_await() {
            assert_eq!(
                trace(|| block_on(awaits_in_defer_arguments())),
                ["argument awaited now", "body", "value"]
            );
        }

        #[with_defer($($s)?)]
        async fn panics_after_await() {
            defer!(say("deferred despite panic"));
            yield_now().await;
            panic!("async boom");
        }

        #[test]
        fn panic_while_polled_runs_the_deferred_calls() {
            let lines = trace(|| {
                let mut fut = Box::pin(panics_after_await());
                assert!(poll_once(fut.as_mut()).is_pending());
                let payload = catch_unwind(AssertUnwindSafe(|| poll_once(fut.as_mut()))).unwrap_err();
                assert_eq!(payload.downcast_ref::<&str>(), Some(&"async boom"));
                say("caught");
                drop(fut);
            });
            assert_eq!(lines, ["deferred despite panic", "caught"]);
        }

        fn boom(msg: &'static str) {
            say(format!("panicking: {msg}"));
            panic!("{}", msg);
        }

        #[with_defer($($s)?)]
        async fn panicking_defer_on_drop() {
            defer!(say("a"));
            defer!(boom("deferred on drop"));
            defer!(say("c"));
            yield_now().await;
        }

        #[test]
        fn dropped_future_whose_deferred_call_panics_runs_the_rest() {
            let lines = trace(|| {
                let mut fut = Box::pin(panicking_defer_on_drop());
                assert!(poll_once(fut.as_mut()).is_pending());
                let payload = catch_unwind(AssertUnwindSafe(|| drop(fut))).unwrap_err();
                assert_eq!(
                    payload.downcast_ref::<String>().map(String::as_str),
                    Some("deferred on drop")
                );
            });
            assert_eq!(lines, ["c", "panicking: deferred on drop", "a"]);
        }

        struct Service {
            name: &'static str,
        }

        impl Service {
            #[with_defer($($s)?)]
            async fn handle(&self, req: u32) -> String {
                defer!(say(format!("{} handled {req}", self.name)));
                yield_now().await;
                format!("{}:{req}", self.name)
            }
        }

        #[test]
        fn async_methods() {
            let svc = Service { name: "svc" };
            assert_eq!(
                trace(|| assert_eq!(block_on(svc.handle(3)), "svc:3")),
                ["svc handled 3"]
            );
        }

        trait Handler {
            async fn run(&self, n: u32) -> u32;
        }

        impl Handler for Service {
            #[with_defer($($s)?)]
            async fn run(&self, n: u32) -> u32 {
                defer!(say(format!("{} trait run {n}", self.name)));
                yield_now().await;
                n + 1
            }
        }

        #[test]
        fn async_fn_in_trait() {
            let svc = Service { name: "t" };
            assert_eq!(trace(|| assert_eq!(block_on(svc.run(1)), 2)), ["t trait run 1"]);
        }

        #[with_defer($($s)?)]
        async fn send_future(name: String) -> usize {
            defer!(say(format!("send_future {name}")));
            let local = vec![1, 2, 3];
            yield_now().await;
            local.len() + name.len()
        }

        #[with_defer($($s)?)]
        async fn send_future_with_question_mark(input: String) -> Result<usize, String> {
            defer!(say("send ?"));
            let n: usize = input.parse().map_err(|_| String::from("bad"))?;
            yield_now().await;
            let m = async { Ok::<usize, String>(1) }.await?;
            Ok(n + m)
        }

        #[with_defer($($s)?)]
        async fn rc_across_await() -> usize {
            defer!(say("rc deferred"));
            let rc = Rc::new(5);
            yield_now().await;
            *rc
        }

        #[with_defer($($s)?)]
        async fn rc_not_across_await() -> usize {
            defer!(say("rc scoped deferred"));
            let n = {
                let rc = Rc::new(5);
                *rc
            };
            yield_now().await;
            n
        }

        #[test]
        fn send_when_it_would_be_without_defers() {
            let fut = send_future("a".into());
            assert_send(&fut);
            assert!(is_send!(fut));
            assert_eq!(trace(|| assert_eq!(block_on(fut), 4)), ["send_future a"]);
            let fut = send_future_with_question_mark("2".into());
            assert_send(&fut);
            assert_eq!(trace(|| assert_eq!(block_on(fut), Ok(3))), ["send ?"]);
            let fut = rc_not_across_await();
            assert!(is_send!(fut));
            assert_eq!(trace(|| assert_eq!(block_on(fut), 5)), ["rc scoped deferred"]);
        }

        #[test]
        fn not_send_when_it_would_not_be_without_defers() {
            let fut = rc_across_await();
            assert!(!is_send!(fut));
            assert_eq!(trace(|| assert_eq!(block_on(fut), 5)), ["rc deferred"]);
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        async fn loop_defers(n: u32) -> u32 {
            defer!(say("outer"));
            let mut sum = 0;
            for i in 0..n {
                defer!(say(format!("loop {i}")));
                yield_now().await;
                sum += i;
            }
            sum
        }

        #[test]
        fn loop_records_run_on_completion() {
            assert_eq!(
                trace(|| assert_eq!(block_on(loop_defers(3)), 3)),
                ["loop 2", "loop 1", "loop 0", "outer"]
            );
        }

        #[test]
        fn loop_records_run_on_drop_mid_loop() {
            let lines = trace(|| {
                let mut fut = Box::pin(loop_defers(5));
                for _ in 0..2 {
                    assert!(poll_once(fut.as_mut()).is_pending());
                }
                say("dropping");
                drop(fut);
            });
            assert_eq!(lines, ["dropping", "loop 1", "loop 0", "outer"]);
        }

        #[with_defer($($s)?)]
        async fn loop_record_panics(n: u32) {
            defer!(say("outer"));
            for i in 0..n {
                defer!(move || {
                    say(format!("loop {i}"));
                    if i == 1 {
                        panic!("loop record 1");
                    }
                });
                yield_now().await;
            }
        }

        /// A loop record that panics while a started future is dropped does
        /// not stop the older records of the same stack from running.
        #[test]
        fn dropped_future_with_panicking_loop_record_runs_the_rest() {
            let lines = trace(|| {
                let mut fut = Box::pin(loop_record_panics(5));
                for _ in 0..3 {
                    assert!(poll_once(fut.as_mut()).is_pending());
                }
                let payload = catch_unwind(AssertUnwindSafe(|| drop(fut))).unwrap_err();
                assert_eq!(payload.downcast_ref::<&str>(), Some(&"loop record 1"));
            });
            assert_eq!(lines, ["loop 2", "loop 1", "loop 0", "outer"]);
        }

        #[test]
        fn loop_future_is_send() {
            let fut = loop_defers(2);
            assert_send(&fut);
            assert!(is_send!(fut));
            drop(fut);
        }

        #[with_defer($($s)?)]
        async fn loop_with_rc(n: u32) -> u32 {
            for i in 0..n {
                defer!(say(format!("rc loop {i}")));
                let rc = Rc::new(i);
                yield_now().await;
                drop(rc);
            }
            n
        }

        #[test]
        fn loop_future_holding_rc_is_not_send() {
            let fut = loop_with_rc(2);
            assert!(!is_send!(fut));
            assert_eq!(
                trace(|| assert_eq!(block_on(fut), 2)),
                ["rc loop 1", "rc loop 0"]
            );
        }
    };
}

for_each_loop_lowering!(loops);

/// Sanity check of the probe itself, on futures without any defer.
#[test]
fn probe_distinguishes_send_from_not_send() {
    async fn plain_rc() -> usize {
        let rc = Rc::new(1);
        yield_now().await;
        *rc
    }
    async fn plain() -> usize {
        yield_now().await;
        1
    }
    assert!(!is_send!(plain_rc()));
    assert!(is_send!(plain()));
    assert!(!is_send!(Rc::new(1)));
    assert!(is_send!(1u8));
}
