//! `recover()` returns the panic in flight, never a stale one: the panics that
//! deferred calls raised during an earlier unwinding, which a `catch_unwind`
//! of the program ended, do not join a later panic's chain. Covered: a
//! deferred call run while a panic unwinds that catches a chain itself; a
//! recovering function called from such a deferred call; a payload raised by
//! `resume_unwind` (which calls no panic hook); a chain ended by a plain
//! `catch_unwind`, then an unrelated panic; and all of these again in a child
//! process, under a panic hook the program set after the runtime's (which
//! replaces it), except the cases that only the runtime's hook tells apart
//! (two unwindings in a row inside the same catch, named `..._by_the_hook`).

#[macro_use]
mod support;

use godefer::{Panic, defer, recover, with_defer};
use std::panic::{catch_unwind, resume_unwind};
use std::process::Command;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{block_on, say, yield_now};

/// Set in the child process that runs these tests again under a hook of the
/// program's own, set after the runtime's.
const USER_HOOK: &str = "GODEFER_IN_FLIGHT_USER_HOOK";

/// Panics the program's hook saw, in the child process.
static USER_HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);

fn boom(msg: &'static str) {
    say(format!("panicking: {msg}"));
    panic!("{}", msg);
}

/// `newest <- [oldest, ..]`: a recovered panic and the ones it superseded.
fn chain(panic: &Panic) -> String {
    let older: Vec<String> = panic.superseded().iter().map(|p| p.to_string()).collect();
    format!("{panic} <- {older:?}")
}

/// In the child process, once: runs a recovering function (which installs
/// the runtime's hook), then sets the program's own hook over it.
fn setup() {
    static ONCE: Once = Once::new();
    if std::env::var_os(USER_HOOK).is_none() {
        return;
    }
    ONCE.call_once(|| {
        installs_the_runtime_hook();
        std::panic::set_hook(Box::new(|_| {
            USER_HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
        }));
    });
}

#[with_defer]
fn installs_the_runtime_hook() {
    defer!(|| {
        let _ = recover();
    });
    panic!("installing");
}

/// `support::run` after `setup`.
fn run<R>(f: impl FnOnce() -> R) -> (Result<R, String>, Vec<String>) {
    setup();
    support::run(f)
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        /// A plain function whose body panics and whose deferred call panics
        /// while that panic unwinds: a chain for someone else to end.
        #[with_defer($($s)?)]
        fn swallowed_chain() {
            defer!(boom("swallowed deferred"));
            boom("swallowed body");
        }

        #[with_defer($($s)?)]
        fn recovers(f: fn()) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            f();
            String::from("no panic")
        }

        // ---- (a) a deferred call run while a panic unwinds catches a chain ----

        #[with_defer($($s)?)]
        fn unwinds_through_a_swallowing_defer() {
            defer!(|| {
                let swallowed = catch_unwind(swallowed_chain).is_err();
                say(format!("swallowed: {swallowed}"));
            });
            boom("outer body");
        }

        #[test]
        fn a_chain_caught_inside_a_deferred_call_stays_out_of_the_panic_in_flight() {
            let (out, lines) = run(|| recovers(unwinds_through_a_swallowing_defer));
            assert_eq!(out, Ok(r#"outer body <- []"#.to_string()));
            assert_eq!(
                lines,
                [
                    "panicking: outer body",
                    "panicking: swallowed body",
                    "panicking: swallowed deferred",
                    "swallowed: true"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn swallows_then_panics() {
            defer!(|| {
                let _ = catch_unwind(swallowed_chain);
                boom("after swallowing");
            });
            boom("outer body");
        }

        /// The deferred call run from `Drop` ends a chain, then panics: two
        /// unwindings in a row inside the catch around that deferred call.
        #[test]
        fn a_deferred_call_that_caught_a_chain_then_panics_supersedes_alone_by_the_hook() {
            let (out, _) = run(|| recovers(swallows_then_panics));
            assert_eq!(out, Ok(r#"after swallowing <- ["outer body"]"#.to_string()));
        }

        // ---- (b) a recovering function called from a deferred call while a panic unwinds ----

        #[with_defer($($s)?)]
        fn helper_recovers(f: fn()) -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            f();
            String::from("no panic")
        }

        #[with_defer($($s)?)]
        fn unwinds_through_recovering_helpers() {
            defer!(|| say(format!("second helper: {}", helper_recovers(swallowed_chain))));
            defer!(|| say(format!("first helper: {}", helper_recovers(|| boom("helper's own")))));
            defer!(boom("outer deferred"));
            boom("outer body");
        }

        #[test]
        fn recovering_helpers_called_while_a_panic_unwinds_keep_to_their_own_panics() {
            let (out, lines) = run(|| recovers(unwinds_through_recovering_helpers));
            assert_eq!(out, Ok(r#"outer deferred <- ["outer body"]"#.to_string()));
            assert_eq!(
                lines,
                [
                    "panicking: outer body",
                    "panicking: outer deferred",
                    "panicking: helper's own",
                    "first helper: helper's own <- []",
                    "panicking: swallowed body",
                    "panicking: swallowed deferred",
                    r#"second helper: swallowed deferred <- ["swallowed body"]"#
                ]
            );
        }

        #[with_defer($($s)?)]
        fn helper_resumes() {
            defer!(|| {
                if let Some(p) = recover() {
                    p.resume();
                }
            });
            boom("helper's own");
        }

        #[with_defer($($s)?)]
        fn unwinds_through_a_resuming_helper() {
            defer!(helper_resumes());
            boom("outer body");
        }

        #[test]
        fn a_helper_that_resumes_while_a_panic_unwinds_supersedes_it() {
            let (out, _) = run(|| recovers(unwinds_through_a_resuming_helper));
            assert_eq!(out, Ok(r#"helper's own <- ["outer body"]"#.to_string()));
        }

        fn swallows_a_chain_then_panics() {
            let _ = catch_unwind(swallowed_chain);
            boom("helper's own");
        }

        #[with_defer($($s)?)]
        fn unwinds_through_a_helper_that_swallows() {
            defer!(|| say(format!("helper: {}", helper_recovers(swallows_a_chain_then_panics))));
            boom("outer body");
        }

        /// The helper's body ends a chain with `catch_unwind` and then panics:
        /// two unwindings in a row inside the helper's catch, which only the
        /// runtime's hook tells apart.
        #[test]
        fn a_recovering_helper_called_while_a_panic_unwinds_ignores_a_chain_it_swallowed_by_the_hook() {
            let (out, lines) = run(|| recovers(unwinds_through_a_helper_that_swallows));
            assert_eq!(out, Ok(r#"outer body <- []"#.to_string()));
            assert_eq!(lines.last().map(String::as_str), Some("helper: helper's own <- []"));
        }

        // ---- (c) `resume_unwind` of a payload, which calls no panic hook ----

        #[with_defer($($s)?)]
        fn resumes_a_payload_through_a_swallowing_defer() {
            defer!(say("first deferred"));
            defer!(|| {
                let _ = catch_unwind(swallowed_chain);
            });
            resume_unwind(Box::new("resumed payload"))
        }

        #[test]
        fn a_resumed_payload_does_not_take_a_chain_swallowed_by_a_deferred_call() {
            let (out, lines) = run(|| recovers(resumes_a_payload_through_a_swallowing_defer));
            assert_eq!(out, Ok(r#"resumed payload <- []"#.to_string()));
            assert_eq!(lines.last().map(String::as_str), Some("first deferred"));
        }

        #[with_defer($($s)?)]
        fn resumes_a_payload_through_a_panicking_defer() {
            defer!(boom("deferred"));
            resume_unwind(Box::new("resumed payload"))
        }

        #[test]
        fn a_resumed_payload_is_superseded_by_a_deferred_panic() {
            let (out, _) = run(|| recovers(resumes_a_payload_through_a_panicking_defer));
            assert_eq!(out, Ok(r#"deferred <- ["resumed payload"]"#.to_string()));
            let (out, _) = run(|| {
                let _ = catch_unwind(resumes_a_payload_through_a_panicking_defer);
                recovers(|| resume_unwind(Box::new("own")))
            });
            assert_eq!(out, Ok(r#"own <- []"#.to_string()));
        }

        // ---- (e) a chain ended by a plain `catch_unwind`, then an unrelated panic ----

        #[test]
        fn a_chain_ended_by_catch_unwind_is_not_taken_by_a_later_recover() {
            let (out, _) = run(|| {
                assert!(catch_unwind(swallowed_chain).is_err());
                recovers(|| boom("later"))
            });
            assert_eq!(out, Ok(r#"later <- []"#.to_string()));
            let (out, _) = run(|| {
                assert!(catch_unwind(helper_resumes_a_chain).is_err());
                recovers(|| boom("later"))
            });
            assert_eq!(out, Ok(r#"later <- []"#.to_string()));
        }

        #[with_defer($($s)?)]
        fn helper_resumes_a_chain() {
            defer!(|| {
                if let Some(p) = recover() {
                    p.resume();
                }
            });
            swallowed_chain();
        }

        #[with_defer($($s)?)]
        fn a_deferred_call_swallows_then_panics() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            defer!(|| {
                let _ = catch_unwind(swallowed_chain);
                boom("later");
            });
            boom("body");
            String::new()
        }

        /// The deferred call ends a chain and then panics: two unwindings in a
        /// row inside the catch around that deferred call.
        #[test]
        fn a_chain_ended_inside_a_recovering_functions_deferred_call_stays_out_by_the_hook() {
            let (out, _) = run(a_deferred_call_swallows_then_panics);
            assert_eq!(out, Ok(r#"later <- ["body"]"#.to_string()));
        }

        #[with_defer($($s)?)]
        fn later_chain() {
            defer!(boom("later deferred"));
            boom("later body");
        }

        #[with_defer($($s)?)]
        fn body_swallows_then_panics() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            let _ = catch_unwind(swallowed_chain);
            later_chain();
            String::new()
        }

        /// A chain swallowed in the body, then another chain: two unwindings
        /// in a row inside the function's catch.
        #[test]
        fn a_chain_swallowed_in_the_body_stays_out_of_a_later_chain_by_the_hook() {
            let (out, _) = run(body_swallows_then_panics);
            assert_eq!(out, Ok(r#"later deferred <- ["later body"]"#.to_string()));
        }

        // ---- async fn ----

        #[with_defer($($s)?)]
        async fn async_recovers() -> String {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(chain(&p));
                }
            });
            yield_now().await;
            swallows_then_panics();
            String::from("no panic")
        }

        #[test]
        fn async_a_deferred_call_that_caught_a_chain_then_panics_supersedes_alone_by_the_hook() {
            let (out, _) = run(|| block_on(async_recovers()));
            assert_eq!(out, Ok(r#"after swallowing <- ["outer body"]"#.to_string()));
        }

        /// Once the panics are over, what is left is the last unwinding's
        /// panics at top level (for a handler's catch, which keeps no scope),
        /// and the next catch that starts drops it.
        #[test]
        fn nothing_is_held_once_the_panics_are_over() {
            let _ = run(|| recovers(unwinds_through_a_swallowing_defer));
            let _ = run(|| catch_unwind(swallowed_chain));
            let _ = run(|| catch_unwind(helper_resumes_a_chain));
            assert!(godefer::__private::held_panics() <= 2);
            assert_eq!(recovers(|| ()), "no panic");
            assert_eq!(godefer::__private::held_panics(), 0);
        }
    };
}

for_each_lowering!(suite);

/// (d) Every case again in a child process, under a hook the program set after
/// the runtime's; the cases that need the runtime's hook are left out.
#[test]
fn every_case_but_those_told_apart_by_the_hook_holds_under_a_hook_set_later() {
    if std::env::var_os(USER_HOOK).is_some() {
        return;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--skip", "by_the_hook", "--skip", "under_a_hook_set_later"])
        .env(USER_HOOK, "1")
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("test result: ok"), "{stdout}");
}

/// In the child process, the program's hook replaced the runtime's: it sees
/// recovered panics too.
#[test]
fn the_hook_set_later_sees_recovered_panics() {
    setup();
    let before = USER_HOOK_CALLS.load(Ordering::SeqCst);
    let out = catch_unwind(installs_the_runtime_hook);
    assert!(out.is_ok(), "the panic was recovered");
    let seen = USER_HOOK_CALLS.load(Ordering::SeqCst) > before;
    assert_eq!(seen, std::env::var_os(USER_HOOK).is_some());
}
