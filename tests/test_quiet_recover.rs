//! Recovered panics print nothing, as in Go: while one of the runtime's
//! catches runs, its panic hook holds each report back, drops it when the
//! panic is recovered, and prints it, in the default hook's shape, when the
//! panic leaves the outermost catch unrecovered (after the panics it
//! superseded, oldest first, each marked) or when a `catch_unwind` of the
//! program ended it. Outside the catches, and over a hook the program set,
//! panics are reported as before.
//!
//! A test binary cannot read its own stderr, so each test runs its scenario in
//! a child process (this binary, re-run on that one test) and reads the
//! child's.

use godefer::{Panic, defer, recover, with_defer};
use std::hint::black_box;
use std::panic::{catch_unwind, resume_unwind};
use std::process::Command;
use std::task::{Context, Poll, Waker};

/// Marks the child process; its value is the test whose scenario it runs.
const CHILD: &str = "GODEFER_QUIET_RECOVER_CHILD";

/// The line the runtime adds after the report of a superseded panic.
const SUPERSEDED: &str = "note: superseded by the next panic";

/// In the child process of `test`, runs `scenario` and returns `None`;
/// elsewhere runs that child, with `RUST_BACKTRACE` set to `backtrace`, and
/// returns what it printed to stderr; the child must succeed.
fn child_stderr(test: &str, backtrace: &str, scenario: fn()) -> Option<String> {
    let (succeeded, stderr) = child(test, backtrace, scenario)?;
    assert!(succeeded, "the child failed:\n{stderr}");
    Some(stderr)
}

/// `child_stderr`, for a child that may fail: whether it succeeded, and its
/// stderr.
fn child(test: &str, backtrace: &str, scenario: fn()) -> Option<(bool, String)> {
    if std::env::var(CHILD).as_deref() == Ok(test) {
        scenario();
        return None;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .env("RUST_BACKTRACE", backtrace)
        .output()
        .expect("re-run the test binary");
    let stderr = String::from_utf8(output.stderr).unwrap();
    Some((output.status.success(), stderr))
}

/// The messages of the panic reports in `stderr`, in order: each report is
/// `thread '<name>' panicked at <file>:<line>:<col>:` (the default hook of
/// Rust 1.95 adds the thread's id after the name), then the message.
fn reported(stderr: &str) -> Vec<&str> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.starts_with("thread '") && line.contains(" panicked at "))
        .map(|(at, _)| lines.get(at + 1).copied().unwrap_or(""))
        .collect()
}

/// The line after the report of the panic with `message`.
fn line_after<'a>(stderr: &'a str, message: &str) -> Option<&'a str> {
    let mut lines = stderr.lines().skip_while(|line| *line != message);
    lines.next()?;
    lines.next()
}

/// `newest <- [oldest, ..]`: a recovered panic and the ones it superseded.
fn chain(panic: &Panic) -> String {
    let older: Vec<String> = panic.superseded().iter().map(|p| p.to_string()).collect();
    format!("{panic} <- {older:?}")
}

#[with_defer]
fn recovers(f: fn()) -> String {
    defer!(|ret| {
        if let Some(p) = recover() {
            *ret = Some(chain(&p));
        }
    });
    f();
    String::from("no panic")
}

#[with_defer]
async fn recovers_async(f: fn()) -> String {
    defer!(|ret| {
        if let Some(p) = recover() {
            *ret = Some(chain(&p));
        }
    });
    std::future::ready(()).await;
    f();
    String::from("no panic")
}

/// A plain function whose deferred call panics while its body's panic unwinds.
#[with_defer]
fn plain_chain() {
    defer!(panic!("chain deferred"));
    panic!("chain body");
}

/// Recovers, then raises the recovered panic again (Go's `panic(r)`).
#[with_defer]
fn resumes() {
    defer!(|| {
        if let Some(p) = recover() {
            p.resume();
        }
    });
    panic!("resumed");
}

/// Whether `catches_nothing` and `three_panics` recover: never, but the
/// compiler cannot know, so their deferred closures call `recover()` and the
/// functions have a catch.
static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn stop() -> bool {
    STOP.load(std::sync::atomic::Ordering::Relaxed)
}

/// Has a catch (a deferred closure that calls `recover()`) but recovers nothing.
#[with_defer]
fn catches_nothing(f: fn()) -> u8 {
    defer!(|| {
        if stop() {
            let _ = recover();
        }
    });
    f();
    1
}

/// Three panics, A superseded by B, superseded by C; nothing recovers.
#[with_defer]
fn three_panics() -> u8 {
    defer!(|| {
        if stop() {
            let _ = recover();
        }
    });
    defer!(panic!("C"));
    defer!(panic!("B"));
    panic!("A");
}

/// Runs a recovering helper from a deferred call while a panic unwinds.
#[with_defer]
fn helper_while_unwinding() {
    defer!(|| assert_eq!(recovers(|| panic!("helper's own")), "helper's own <- []"));
    panic!("outer");
}

/// Polls a future that does not wait, once.
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the future waits"),
    }
}

#[test]
fn a_recovered_panic_prints_nothing() {
    let Some(stderr) = child_stderr("a_recovered_panic_prints_nothing", "0", || {
        assert_eq!(recovers(|| panic!("body")), "body <- []");
        assert_eq!(recovers(plain_chain), r#"chain deferred <- ["chain body"]"#);
        assert_eq!(
            recovers(|| {
                let v: Vec<u8> = Vec::new();
                black_box(v[black_box(0)]);
            }),
            "index out of bounds: the len is 0 but the index is 0 <- []"
        );
        assert_eq!(ready(recovers_async(|| panic!("async"))), "async <- []");
        assert_eq!(recovers(helper_while_unwinding), "outer <- []");
        assert_eq!(recovers(resumes), "resumed <- []");
        assert_eq!(
            recovers(|| {
                catches_nothing(|| panic!("through a catch that recovers nothing"));
            }),
            "through a catch that recovers nothing <- []"
        );
        assert_eq!(
            recovers(|| {
                three_panics();
            }),
            r#"C <- ["A", "B"]"#
        );
    }) else {
        return;
    };
    assert!(!stderr.contains("panicked at"), "stderr:\n{stderr}");
    assert!(stderr.trim().is_empty(), "stderr:\n{stderr}");
}

#[test]
fn an_unrecovered_panic_is_reported_when_it_leaves_the_last_catch() {
    let Some(stderr) = child_stderr(
        "an_unrecovered_panic_is_reported_when_it_leaves_the_last_catch",
        "0",
        || {
            assert!(catch_unwind(resumes).is_err());
            assert!(catch_unwind(|| catches_nothing(|| panic!("unrecovered"))).is_err());
            // Recovered after it left a catch, by another: still quiet.
            assert_eq!(recovers(resumes), "resumed <- []");
        },
    ) else {
        return;
    };
    assert_eq!(
        reported(&stderr),
        ["resumed", "unrecovered"],
        "stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("test_quiet_recover.rs:"),
        "stderr:\n{stderr}"
    );
    let notes = stderr
        .matches("note: run with `RUST_BACKTRACE=1` environment variable")
        .count();
    assert_eq!(notes, 1, "stderr:\n{stderr}");
}

#[test]
fn an_unrecovered_chain_is_reported_oldest_first_with_the_superseded_marked() {
    let Some(stderr) = child_stderr(
        "an_unrecovered_chain_is_reported_oldest_first_with_the_superseded_marked",
        "0",
        || {
            assert!(catch_unwind(three_panics).is_err());
            assert!(catch_unwind(|| catches_nothing(plain_chain)).is_err());
        },
    ) else {
        return;
    };
    assert_eq!(
        reported(&stderr),
        ["A", "B", "C", "chain body", "chain deferred"],
        "stderr:\n{stderr}"
    );
    for superseded in ["A", "B", "chain body"] {
        let after = line_after(&stderr, superseded).unwrap_or("");
        assert!(
            after.starts_with(SUPERSEDED),
            "after {superseded}: {after}\n{stderr}"
        );
    }
    for newest in ["C", "chain deferred"] {
        let after = line_after(&stderr, newest).unwrap_or("");
        assert!(
            !after.starts_with(SUPERSEDED),
            "after {newest}: {after}\n{stderr}"
        );
    }
}

#[with_defer]
fn swallows(then_panic: bool) {
    defer!(|| {
        let _ = recover();
    });
    assert!(catch_unwind(|| panic!("swallowed")).is_err());
    assert!(catch_unwind(plain_chain).is_err());
    if then_panic {
        panic!("recovered after swallowing");
    }
}

#[test]
fn a_panic_a_catch_unwind_ended_inside_a_catch_is_still_reported() {
    let Some(stderr) = child_stderr(
        "a_panic_a_catch_unwind_ended_inside_a_catch_is_still_reported",
        "0",
        || {
            swallows(false);
            swallows(true);
        },
    ) else {
        return;
    };
    let swallowed = ["swallowed", "chain body", "chain deferred"];
    let twice: Vec<&str> = swallowed.iter().chain(&swallowed).copied().collect();
    assert_eq!(reported(&stderr), twice, "stderr:\n{stderr}");
}

#[test]
fn outside_the_catches_panics_are_reported_as_before() {
    let Some(stderr) = child_stderr(
        "outside_the_catches_panics_are_reported_as_before",
        "0",
        || {
            assert!(catch_unwind(|| panic!("plain")).is_err());
            assert!(catch_unwind(plain_chain).is_err());
            assert!(catch_unwind(|| resume_unwind(Box::new("no hook"))).is_err());
        },
    ) else {
        return;
    };
    assert_eq!(
        reported(&stderr),
        ["plain", "chain body", "chain deferred"],
        "stderr:\n{stderr}"
    );
}

#[test]
fn an_unrecovered_panic_has_its_backtrace_when_asked() {
    let Some(stderr) = child_stderr(
        "an_unrecovered_panic_has_its_backtrace_when_asked",
        "1",
        || {
            assert_eq!(recovers(|| panic!("recovered")), "recovered <- []");
            assert!(catch_unwind(|| catches_nothing(|| panic!("unrecovered"))).is_err());
        },
    ) else {
        return;
    };
    assert_eq!(reported(&stderr), ["unrecovered"], "stderr:\n{stderr}");
    assert_eq!(
        line_after(&stderr, "unrecovered"),
        Some("stack backtrace:"),
        "{stderr}"
    );
}

/// A hook of the program's own: one line per panic.
fn program_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.payload().downcast_ref::<&str>().copied();
        eprintln!("program's hook: {}", message.unwrap_or("?"));
    }));
}

#[test]
fn a_hook_set_before_the_runtimes_is_called_for_every_panic() {
    let Some(stderr) = child_stderr(
        "a_hook_set_before_the_runtimes_is_called_for_every_panic",
        "0",
        || {
            program_hook();
            assert_eq!(recovers(|| panic!("recovered")), "recovered <- []");
            assert!(catch_unwind(|| catches_nothing(|| panic!("unrecovered"))).is_err());
        },
    ) else {
        return;
    };
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        ["program's hook: recovered", "program's hook: unrecovered"],
        "stderr:\n{stderr}"
    );
}

#[test]
fn a_hook_set_after_the_runtimes_replaces_it() {
    let Some(stderr) = child_stderr("a_hook_set_after_the_runtimes_replaces_it", "0", || {
        assert_eq!(recovers(|| panic!("quiet")), "quiet <- []");
        program_hook();
        assert_eq!(recovers(|| panic!("recovered")), "recovered <- []");
    }) else {
        return;
    };
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        ["program's hook: recovered"],
        "stderr:\n{stderr}"
    );
}

/// Panics when dropped.
struct PanicsInDrop;

impl Drop for PanicsInDrop {
    fn drop(&mut self) {
        panic!("in drop");
    }
}

#[test]
fn the_reports_held_back_are_printed_before_a_destructor_aborts_the_process() {
    let test = "the_reports_held_back_are_printed_before_a_destructor_aborts_the_process";
    let Some((succeeded, stderr)) = child(test, "0", || {
        recovers(|| {
            let _guard = PanicsInDrop;
            panic!("unwinding");
        });
    }) else {
        return;
    };
    assert!(!succeeded, "a panic in a destructor during cleanup aborts");
    assert_eq!(
        reported(&stderr),
        [
            "unwinding",
            "in drop",
            "panic in a destructor during cleanup"
        ],
        "stderr:\n{stderr}"
    );
}
