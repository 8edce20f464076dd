//! Go's `defer handlePanic()`: a `#[with_defer]` fn whose body calls
//! `recover()` is a handler, and a call-form `defer!` of it (written before the
//! caller's first `let`) stops the caller's panic, as the deferred function
//! does in Go. Only the deferred function itself recovers: a helper it calls,
//! the handler called as a plain function, and the handler called from inside
//! a deferred closure get `None`, and the panic goes on.

#[macro_use]
mod support;

use godefer::{Panic, defer, recover, with_defer};
use std::panic::catch_unwind;
use std::process::Command;
use support::{block_on, message, say, trace};

/// Marks the child process of the test that reads stderr.
const CHILD: &str = "GODEFER_HANDLER_IDIOM_CHILD";

fn boom(msg: &'static str) {
    say(format!("panicking: {msg}"));
    panic!("{}", msg);
}

/// Go's `handlePanic(name)`: logs what it recovered, if anything.
#[with_defer]
fn handle_panic(name: &str) {
    match recover() {
        Some(p) => say(format!("{name}: recovered {p}")),
        None => say(format!("{name}: nothing to recover")),
    }
}

/// A plain helper that calls `recover()`: one call deeper than the deferred
/// function.
fn helper_recovers() -> Option<Panic> {
    recover()
}

/// A handler that leaves the recovering to a helper.
#[with_defer]
fn handle_through_helper(name: &str) {
    let got = helper_recovers().map(|p| p.to_string());
    say(format!("{name}: helper got {got:?}"));
}

/// A handler that recovers, then raises the panic again (Go's `panic(r)`).
#[with_defer]
fn handle_and_repanic(name: &str) {
    if let Some(p) = recover() {
        say(format!("{name}: recovered {p}, again"));
        p.resume();
    }
}

/// A generic handler.
#[with_defer]
fn handle_tagged<T: std::fmt::Display>(tag: T) {
    if let Some(p) = recover() {
        say(format!("{tag}: recovered {p}"));
    }
}

mod elsewhere {
    use godefer::{recover, with_defer};

    /// A handler in another module, reached by its path.
    #[with_defer]
    pub fn handle(name: &str) {
        if let Some(p) = recover() {
            super::say(format!("{name}: recovered {p} elsewhere"));
        }
    }
}

struct Job {
    name: &'static str,
}

impl Job {
    /// A method handler: `defer!(self.on_panic())`.
    #[with_defer]
    fn on_panic(&self) {
        if let Some(p) = recover() {
            say(format!("job {}: recovered {p}", self.name));
        }
    }

    #[with_defer]
    fn run(&self, fail: bool) -> u32 {
        defer!(self.on_panic());
        if fail {
            boom("job failed");
        }
        7
    }
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn work(n: u32) -> u32 {
            defer!(say("oldest deferred"));
            defer!(handle_panic("work"));
            defer!(say("newest deferred"));
            if n == 0 {
                boom("division by zero");
            }
            say("body done");
            10 / n
        }

        #[test]
        fn the_handler_stops_the_panic_and_the_function_returns_its_zero_value() {
            let mut out = None;
            let lines = trace(|| out = Some(work(0)));
            assert_eq!(out, Some(0));
            assert_eq!(
                lines,
                [
                    "panicking: division by zero",
                    "newest deferred",
                    "work: recovered division by zero",
                    "oldest deferred"
                ]
            );
        }

        #[test]
        fn without_a_panic_the_handler_finds_nothing() {
            let mut out = None;
            let lines = trace(|| out = Some(work(5)));
            assert_eq!(out, Some(2));
            assert_eq!(
                lines,
                ["body done", "newest deferred", "work: nothing to recover", "oldest deferred"]
            );
        }

        #[test]
        fn a_method_handler_stops_the_panic() {
            let job = Job { name: "backup" };
            let mut out = None;
            let lines = trace(|| out = Some((job.run(true), job.run(false))));
            assert_eq!(out, Some((0, 7)));
            assert_eq!(lines, ["panicking: job failed", "job backup: recovered job failed"]);
        }

        #[with_defer($($s)?)]
        fn generic_and_elsewhere(which: u8) -> String {
            defer!(handle_tagged(which));
            defer!(elsewhere::handle("nested module"));
            if which == 1 {
                boom("first");
            }
            String::from("fine")
        }

        #[test]
        fn generic_handlers_and_handlers_in_other_modules_recover() {
            let mut out = None;
            let lines = trace(|| out = Some(generic_and_elsewhere(1)));
            // The newest handler recovers; the older one finds nothing left.
            assert_eq!(out.as_deref(), Some(""));
            assert_eq!(lines, ["panicking: first", "nested module: recovered first elsewhere"]);
        }

        #[with_defer($($s)?)]
        fn helper_one_deeper() {
            defer!(handle_through_helper("deeper"));
            boom("lost");
        }

        #[test]
        fn a_helper_one_call_deeper_gets_none_and_the_panic_goes_on() {
            let mut escaped = None;
            let lines = trace(|| {
                escaped = catch_unwind(helper_one_deeper).err().map(|p| message(&*p));
            });
            assert_eq!(escaped.as_deref(), Some("lost"));
            assert_eq!(lines, ["panicking: lost", "deeper: helper got None"]);
        }

        #[with_defer($($s)?)]
        fn from_a_deferred_closure() {
            defer!(|| handle_panic("in closure"));
            boom("through closure");
        }

        #[test]
        fn a_handler_called_inside_a_deferred_closure_is_one_call_deeper() {
            let mut escaped = None;
            let lines = trace(|| {
                escaped = catch_unwind(from_a_deferred_closure).err().map(|p| message(&*p));
            });
            assert_eq!(escaped.as_deref(), Some("through closure"));
            assert_eq!(lines, ["panicking: through closure", "in closure: nothing to recover"]);
        }

        #[with_defer($($s)?)]
        fn repanics() {
            defer!(say("runs after the re-panic"));
            defer!(handle_and_repanic("repanics"));
            boom("first");
        }

        #[with_defer($($s)?)]
        fn recovers_outside() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(format!("outer recovered {p}"));
                }
            });
            repanics();
            String::from("not reached")
        }

        #[test]
        fn a_handler_that_panics_again_passes_the_panic_on() {
            let mut out = None;
            let lines = trace(|| out = Some(recovers_outside()));
            assert_eq!(out.as_deref(), Some("outer recovered first"));
            assert_eq!(
                lines,
                [
                    "panicking: first",
                    "repanics: recovered first, again",
                    "runs after the re-panic"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn superseded_while_unwinding() {
            defer!(handle_panic("newest"));
            let step = "second";
            defer!(boom(step));
            boom("first");
        }

        #[test]
        fn the_handler_recovers_the_newest_panic_as_in_go() {
            // `boom(step)` is declared after a `let`, so it runs from `Drop`
            // while "first" unwinds; its panic supersedes "first", and the
            // handler gets it, with "first" superseded.
            let mut escaped = None;
            let lines = trace(|| {
                escaped = catch_unwind(superseded_while_unwinding).err().map(|p| message(&*p));
            });
            assert_eq!(escaped, None);
            assert_eq!(
                lines,
                ["panicking: first", "panicking: second", "newest: recovered second"]
            );
        }

        #[with_defer($($s)?)]
        fn after_a_let() {
            let name = "after a let";
            defer!(handle_panic(name));
            boom("too late");
        }

        #[test]
        fn a_handler_deferred_after_a_let_cannot_stop_the_panic() {
            let mut escaped = None;
            let lines = trace(|| {
                escaped = catch_unwind(after_a_let).err().map(|p| message(&*p));
            });
            assert_eq!(escaped.as_deref(), Some("too late"));
            assert_eq!(lines, ["panicking: too late", "after a let: nothing to recover"]);
        }

        #[with_defer($($s)?)]
        fn result_form_keeps_its_value() -> Result<u32, String> {
            defer!(|ret| {
                if ret.is_none() {
                    *ret = Some(Err(String::from("recovered, no result")));
                }
            });
            defer!(handle_panic("result"));
            boom("in a Result fn");
            Ok(1)
        }

        #[test]
        fn a_result_form_closure_gives_the_result_after_a_handler_recovered() {
            let mut out = None;
            let lines = trace(|| out = Some(result_form_keeps_its_value()));
            assert_eq!(out, Some(Err(String::from("recovered, no result"))));
            assert_eq!(lines, ["panicking: in a Result fn", "result: recovered in a Result fn"]);
        }

        #[with_defer($($s)?)]
        fn handler_and_recovering_closure(handler_first: bool) -> &'static str {
            defer!(|ret| {
                if let Some(p) = recover() {
                    say(format!("closure: recovered {p}"));
                    *ret = Some("by the closure");
                }
            });
            defer!(handle_panic("handler"));
            if handler_first {
                boom("one");
            }
            "no panic"
        }

        #[test]
        fn in_a_recovering_function_the_newest_deferred_call_recovers() {
            let mut out = None;
            let lines = trace(|| out = Some(handler_and_recovering_closure(true)));
            // The handler ran first and stopped the panic: the closure finds none.
            assert_eq!(out, Some(""));
            assert_eq!(lines, ["panicking: one", "handler: recovered one"]);
        }
    };
}

for_each_lowering!(suite);

/// Loops need the chain lowering: each deferred call of the handler is a
/// deferred function of its own; the first to run recovers.
#[with_defer]
#[allow(deprecated)] // a defer in a loop, on purpose
fn handlers_in_a_loop(n: u32) -> u32 {
    for i in 0..n {
        defer!(handle_tagged(i));
    }
    boom("in the loop's function");
    1
}

#[test]
fn each_deferred_handler_of_a_loop_is_a_deferred_function() {
    let mut out = None;
    let lines = trace(|| out = Some(handlers_in_a_loop(3)));
    assert_eq!(out, Some(0));
    assert_eq!(
        lines,
        [
            "panicking: in the loop's function",
            "2: recovered in the loop's function"
        ]
    );
}

#[with_defer]
fn shared_a(fail: bool) -> u8 {
    defer!(handle_panic("a"));
    if fail {
        boom("a failed");
    }
    1
}

#[with_defer]
fn shared_b(fail: bool) -> u8 {
    defer!(say("b: cleanup"));
    defer!(handle_panic("b"));
    if fail {
        boom("b failed");
    }
    2
}

#[test]
fn one_handler_serves_several_functions() {
    let mut out = Vec::new();
    let lines = trace(|| {
        out = vec![
            shared_a(true),
            shared_b(false),
            shared_b(true),
            shared_a(false),
        ];
    });
    assert_eq!(out, [0, 2, 0, 1]);
    assert_eq!(
        lines,
        [
            "panicking: a failed",
            "a: recovered a failed",
            "b: nothing to recover",
            "b: cleanup",
            "panicking: b failed",
            "b: recovered b failed",
            "b: cleanup",
            "a: nothing to recover"
        ]
    );
}

#[test]
fn the_handler_called_as_a_plain_function_gets_none() {
    let lines = trace(|| handle_panic("plain call"));
    assert_eq!(lines, ["plain call: nothing to recover"]);
}

#[with_defer]
async fn async_work(fail: bool) -> u32 {
    defer!(handle_panic("async"));
    support::yield_now().await;
    if fail {
        boom("async failed");
    }
    3
}

#[test]
fn an_async_fn_defers_a_handler_too() {
    let mut out = Vec::new();
    let lines = trace(|| out = vec![block_on(async_work(true)), block_on(async_work(false))]);
    assert_eq!(out, [0, 3]);
    assert_eq!(
        lines,
        [
            "panicking: async failed",
            "async: recovered async failed",
            "async: nothing to recover"
        ]
    );
}

#[with_defer]
fn quiet_helper_case() {
    defer!(handle_through_helper("note"));
    panic!("noted");
}

#[with_defer]
fn after_let_case() {
    let _guard = ();
    defer!(handle_panic("late"));
    panic!("late");
}

/// A `recover()` that cannot stop the panic in flight says why on stderr,
/// once per thread. A test binary cannot read its own stderr: the scenario
/// runs in a child process.
#[test]
fn a_recover_that_cannot_stop_the_panic_in_flight_says_why() {
    if std::env::var_os(CHILD).is_some() {
        let _ = catch_unwind(quiet_helper_case);
        let _ = catch_unwind(after_let_case);
        let _ = catch_unwind(after_let_case);
        return;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "a_recover_that_cannot_stop_the_panic_in_flight_says_why",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .expect("re-run the test binary");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    let helper =
        "godefer: recover() was called while a panic was in flight, but not as a direct call";
    let handler = "godefer: recover() in `handle_panic` was called while a panic was in flight";
    assert_eq!(stderr.matches(helper).count(), 1, "{stderr}");
    assert_eq!(stderr.matches(handler).count(), 1, "{stderr}");
    assert!(stderr.contains("before its first `let`"), "{stderr}");
}
