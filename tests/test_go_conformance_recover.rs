//! Go conformance cases about results, `recover()` and panics (see
//! `../shared/go-conformance/README.md`) ported to Rust: 012, 017-021, 022,
//! 024, 025, 027, 030-032, 034, 035, 037; and 045-048, this project's own Go
//! programs about handlers (`tests/go/NNN_name.go`, beside their outputs).
//!
//! Each port re-writes one Go program with `#[with_defer]` / `defer!` /
//! `recover()` and checks that it prints the lines Go 1.19 printed, kept as
//! data in `tests/go/NNN_name.out` (byte-for-byte copies of the corpus files;
//! for 045-048, what Go 1.19.8 printed for the programs beside them).
//! Every port is compiled three times by `for_each_lowering!`: forcing
//! `open_coded`, forcing `chain`, and with the default rule (`auto`). No port
//! has a `defer!` in a loop, so every lowering can hold every port.
//!
//! How the Go forms are written in Rust:
//! - Go's `recover()` value printed with `fmt.Println` is `go_recovered`: the
//!   panic's message, or `<nil>`.
//! - `recover()` is called directly in a deferred closure and its result bound
//!   first (`let r = recover();`), then printed.
//! - Go's named results are locals (`Cell`/`RefCell`, since deferred closures
//!   read them while the body writes them); a result-form closure
//!   (`defer!(|ret| ..)`) reads or replaces the result a `return` put in the
//!   slot, and after a recover it puts the named results there, which is what
//!   Go returns.
//! - Go's `defer helper()` where `helper` calls `recover()` is
//!   `defer!(|| helper(recover()))`; a deferred function with its own defers
//!   is a nested `#[with_defer] fn` deferred in call form.
//! - Go's handler idiom, `defer handlePanic(..)` where `handlePanic`'s body
//!   calls `recover()` (045-048), is `defer!(handle_panic(..))` of a
//!   `#[with_defer] fn` that calls `recover()` in its body, written before the
//!   caller's first `let`.
//! - Rust's runtime-error panics (indexing, division by zero, `unwrap` on
//!   `None`) stand for Go's runtime errors; their messages differ, and each
//!   port that meets one compares the Rust message in place of Go's, in a
//!   mapping that names both (`with_rust_messages`).
//!
//! The crash cases (030, 032, 037) run in a child process (this test binary,
//! re-executed on one test): its exit status, stdout, and the panic messages
//! reported on stderr are checked.
//!
//! `nested_recover_keeps_the_callers_superseding_panic` is not a corpus
//! case: it combines 031 and 034, with the lines Go 1.19.8 printed for it (a
//! regression test: a recovering function deferred by a function whose
//! panic was superseded once took the caller's superseding panic).
//!
//! No test here installs a panic hook: the default hook's output in this
//! process goes to the harness's capture, and the crash cases read it in the
//! child's stderr.

mod corpus;
#[macro_use]
mod support;

use std::cell::{Cell, RefCell};
use std::error::Error;
use std::fmt::{self, Display};
use std::hint::black_box;
use std::io::Write;
use std::panic::catch_unwind;
use std::process::Command;

use corpus::{expected, go_data, is_harness_running_line, meta_field};
use godefer::{Panic, defer, recover, with_defer};
use support::{block_on, say, trace, yield_now};

/// Go's lines with the texts only Go has replaced by Rust's equivalents: each
/// mapping is (line index, Go's text, Rust's text), and Go's line must hold
/// Go's text; the rest of every line is compared exactly.
fn with_rust_messages(mut lines: Vec<String>, mappings: &[(usize, &str, &str)]) -> Vec<String> {
    for &(index, go, rust) in mappings {
        assert!(
            lines[index].contains(go),
            "line {index} of Go's output, {:?}, does not contain {go:?}",
            lines[index]
        );
        lines[index] = lines[index].replacen(go, rust, 1);
    }
    lines
}

/// The outputs of this project's own Go programs (045-048), which sit beside
/// them in `tests/go/`; the corpus has no copy of them.
const OWN_OUTPUTS: &[(&str, &str)] = &[
    (
        "045_recover_handler_idiom.out",
        include_str!("go/045_recover_handler_idiom.out"),
    ),
    (
        "046_recover_helper_one_deeper.out",
        include_str!("go/046_recover_helper_one_deeper.out"),
    ),
    (
        "047_recover_handler_repanics.out",
        include_str!("go/047_recover_handler_repanics.out"),
    ),
    (
        "048_recover_handler_shared.out",
        include_str!("go/048_recover_handler_shared.out"),
    ),
];

/// The lines Go printed for one of this project's own Go programs.
fn own_expected(out_file: &str) -> Vec<String> {
    OWN_OUTPUTS
        .iter()
        .find(|(file, _)| *file == out_file)
        .unwrap_or_else(|| panic!("{out_file} is not one of this project's own Go outputs"))
        .1
        .lines()
        .map(String::from)
        .collect()
}

/// Go's `fmt.Println(recover())`: the panic value, or `<nil>`.
fn go_recovered(r: &Option<Panic>) -> String {
    match r {
        Some(panic) => panic.to_string(),
        None => "<nil>".to_string(),
    }
}

/// Go's `%v` of a float64: `+Inf`, `-Inf`, `NaN`, or the number.
fn go_float(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        x.to_string()
    }
}

std::thread_local! {
    /// Messages a port stashes beside its trace (not printed, as Go prints
    /// nothing for them): the panics a recovered panic superseded.
    static STASH: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn stash(panic: &Panic) {
    let older = panic.superseded().iter().map(ToString::to_string);
    STASH.with(|s| s.borrow_mut().extend(older));
}

fn take_stash() -> Vec<String> {
    STASH.with(|s| std::mem::take(&mut *s.borrow_mut()))
}

/// The messages of a recovered panic and of those it superseded, oldest first.
fn chain_of(panic: &Panic) -> Vec<String> {
    panic
        .superseded()
        .iter()
        .chain([panic])
        .map(ToString::to_string)
        .collect()
}

/// Marks a child process of a crash case; its value is the test to run as the
/// Go program's `main`.
const CRASH_CHILD: &str = "GODEFER_CONFORMANCE_RECOVER_CHILD";

/// The test's name without the crate's, as the harness filters it.
fn test_name(module: &str, test: &str) -> String {
    format!("{}::{test}", module.split_once("::").unwrap().1)
}

/// In the child process of `test`, runs `go_main` as a Rust program's `main`
/// and exits; elsewhere returns. std's runtime (`lang_start`) runs `main`
/// under `catch_unwind` and exits with status 101 when a panic escapes it; a
/// test function is not `main`, so the child does the same here. The panic
/// hook is left as it is: Rust's default one reports each panic as it is
/// raised, except where the runtime holds the report back until the panic
/// leaves its catches unrecovered.
fn run_child(test: &str, go_main: fn()) {
    if std::env::var(CRASH_CHILD).as_deref() != Ok(test) {
        return;
    }
    let status = match catch_unwind(go_main) {
        Ok(()) => 0,
        Err(_) => 101,
    };
    std::io::stdout().flush().unwrap();
    std::process::exit(status);
}

/// Runs crash-case `test` in a child process and checks it against Go's: the
/// exit status (Go exits 2 on an unrecovered panic, Rust 101), stdout line for
/// line, and the panic messages reported on stderr, which must be `messages`,
/// in that order. Go's crash report (`panic: A` /
/// `\tpanic: B [recovered]` ...) is Go's format; only its first line is in the
/// `.meta`, and its value must be the first message the hook printed.
fn check_crash(test: &str, case: &str, messages: &[&str]) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            test,
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "--quiet",
        ])
        .env(CRASH_CHILD, test)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The harness prints a blank line and `running 1 test` before the test
    // starts, and nothing more: the child exits before the test can finish.
    let lines: Vec<String> = stdout
        .lines()
        .skip_while(|line| line.is_empty() || is_harness_running_line(line))
        .map(String::from)
        .collect();
    let meta = go_data(&format!("{case}.meta"));
    let go_exit: i32 = meta_field(meta, "exit:").parse().unwrap();
    assert_eq!(go_exit, 2, "Go's status for an unrecovered panic");
    assert_eq!(
        output.status.code(),
        Some(101),
        "child status (Rust's 101 where Go's is 2); stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert_eq!(lines, expected(&format!("{case}.out")), "stdout:\n{stdout}");
    let reported = hook_messages(&stderr);
    assert_eq!(reported, messages, "stderr:\n{stderr}");
    // `panic: <value>` or `panic: <value> [recovered]`
    let go_first = meta_field(meta, "stderr1:")
        .strip_prefix("panic: ")
        .expect("Go's crash report starts with `panic: `");
    let go_first = go_first.strip_suffix(" [recovered]").unwrap_or(go_first);
    assert_eq!(reported.first().map(String::as_str), Some(go_first));
}

/// The messages of the panic reports (Rust's default hook's, or the runtime's
/// in the same shape), in order: each report is `thread '<name>' panicked at <file>:<line>:<col>:` (Rust 1.95
/// adds the thread id: `thread '<name>' (<id>) panicked at ..`) and then the
/// message on the next line. (A panic raised while another one unwinds is
/// reported with a backtrace even under `RUST_BACKTRACE=0`; its lines do not
/// start with `thread '`.)
fn hook_messages(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.starts_with("thread '") && line.contains(" panicked at "))
        .map(|(i, _)| lines.get(i + 1).copied().unwrap_or("").to_string())
        .collect()
}

/// Go's `error` built by `fmt.Errorf("context: %w", err)`: a message around
/// the error it wraps.
#[derive(Debug)]
struct Wrapped {
    context: &'static str,
    source: Box<dyn Error>,
}

impl Display for Wrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.context, self.source)
    }
}

impl Error for Wrapped {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

/// Go's `fmt.Println(err)`: the error's text, or `<nil>`.
fn go_error(err: &Option<Box<dyn Error>>) -> String {
    err.as_ref()
        .map_or_else(|| "<nil>".to_string(), ToString::to_string)
}

/// Each port, with `#[with_defer($($s)?)]` on its functions.
macro_rules! ports {
    ($($s:ident)?) => {
        use super::*;

        /// Case 012: result-form closures change the result after the return put it in
        /// the slot, newest first. Go's named result `n` is the slot: `n = 5; return` is
        /// returning 5, and Go's `defer addVia(&n, 1000)` passes the slot (`ret`, Go's
        /// `&n`) to the deferred call. Go's `(code int, msg string, err error)` is a tuple
        /// with an `Option<Box<dyn Error>>`; `fmt.Errorf("context: %w", err)` is `Wrapped`.
        mod case_012_named_result_modified {
            use super::*;

            #[with_defer($($s)?)]
            fn bare_return() -> i32 {
                defer!(|ret| {
                    if let Some(n) = ret {
                        *n += 10;
                    }
                });
                5
            }

            #[with_defer($($s)?)]
            fn return_literal() -> i32 {
                defer!(|ret| {
                    if let Some(n) = ret {
                        *n *= 2;
                    }
                });
                21
            }

            fn add_via(p: &mut Option<i32>, k: i32) {
                if let Some(n) = p {
                    *n += k;
                }
            }

            #[with_defer($($s)?)]
            fn via_pointer_arg() -> i32 {
                defer!(|ret| add_via(ret, 1000));
                7
            }

            #[with_defer($($s)?)]
            fn stacked() -> String {
                defer!(|ret| {
                    if let Some(s) = ret {
                        s.push_str("|first-registered");
                    }
                });
                defer!(|ret| {
                    if let Some(s) = ret {
                        s.push_str("|second-registered");
                    }
                });
                "ret".to_string()
            }

            #[with_defer($($s)?)]
            fn wrap_error() -> (i32, String, Option<Box<dyn Error>>) {
                defer!(|ret| {
                    if let Some((code, msg, err)) = ret {
                        if let Some(source) = err.take() {
                            *code = -1;
                            *msg = format!("wrapped: {msg}");
                            *err = Some(Box::new(Wrapped {
                                context: "context",
                                source,
                            }));
                        }
                    }
                });
                (3, "payload".to_string(), Some("base failure".into()))
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    say(format!("bareReturn: {}", bare_return()));
                    say(format!("returnLiteral: {}", return_literal()));
                    say(format!("viaPointerArg: {}", via_pointer_arg()));
                    say(format!("stacked: {}", stacked()));
                    let (c, m, e) = wrap_error();
                    say(format!("wrapError: {c} {m} {}", go_error(&e)));
                });
                assert_eq!(lines, expected("012_named_result_modified.out"));
            }
        }

        /// Case 017: `recover()` gives `None` outside a panic: in a fn without
        /// `#[with_defer]` (Go's `main` and `plain`), in a deferred closure during a normal
        /// return, and in a deferred closure that runs after an earlier one recovered.
        mod case_017_recover_nil_not_panicking {
            use super::*;

            fn plain() {
                let r = recover();
                say(format!("  plain call: recover() = {}", go_recovered(&r)));
            }

            #[with_defer($($s)?)]
            fn normal_return() -> i32 {
                defer!(|| {
                    let r = recover();
                    say(format!(
                        "  deferred during normal return: recover() = {}",
                        go_recovered(&r)
                    ));
                });
                1
            }

            #[with_defer($($s)?)]
            fn after_recovery() {
                defer!(|| {
                    let r = recover();
                    say(format!(
                        "  defer after the panic was stopped: recover() = {}",
                        go_recovered(&r)
                    ));
                });
                defer!(|| {
                    let r = recover();
                    say(format!(
                        "  defer that stops the panic: recover() = {}",
                        go_recovered(&r)
                    ));
                });
                panic!("stop me");
            }

            #[with_defer($($s)?)]
            async fn normal_return_async() -> i32 {
                defer!(|| {
                    let r = recover();
                    say(format!(
                        "  deferred during normal return: recover() = {}",
                        go_recovered(&r)
                    ));
                });
                yield_now().await;
                1
            }

            #[with_defer($($s)?)]
            async fn after_recovery_async() {
                defer!(|| {
                    let r = recover();
                    say(format!(
                        "  defer after the panic was stopped: recover() = {}",
                        go_recovered(&r)
                    ));
                });
                defer!(|| {
                    let r = recover();
                    say(format!(
                        "  defer that stops the panic: recover() = {}",
                        go_recovered(&r)
                    ));
                });
                yield_now().await;
                panic!("stop me");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    let r = recover();
                    say(format!("main: recover() = {}", go_recovered(&r)));
                    plain();
                    say(format!("normalReturn returned {}", normal_return()));
                    after_recovery();
                    say("main: done");
                });
                assert_eq!(lines, expected("017_recover_nil_not_panicking.out"));
            }

            #[test]
            fn prints_go_trace_async() {
                let lines = trace(|| {
                    let r = recover();
                    say(format!("main: recover() = {}", go_recovered(&r)));
                    plain();
                    say(format!("normalReturn returned {}", block_on(normal_return_async())));
                    block_on(after_recovery_async());
                    say("main: done");
                });
                assert_eq!(lines, expected("017_recover_nil_not_panicking.out"));
            }
        }

        /// Case 018: a direct `recover()` stops the panic, the rest of the body is skipped,
        /// the earlier deferred call still runs (its argument was evaluated at the
        /// `defer!`), and the function returns its named results as they stand: `result`
        /// and `note` are locals, which the recovering closure puts in the slot. Go's `%q`
        /// of `""` is Rust's `{:?}`.
        mod case_018_recover_stops_panic_named_results {
            use super::*;

            #[with_defer($($s)?)]
            fn risky(n: i32) -> (i32, String) {
                let result = Cell::new(0);
                let note = RefCell::new(String::new());
                defer!(say(format!(
                    "  earliest defer still runs; note saved at the defer statement = {:?}",
                    note.borrow()
                )));
                defer!(|ret| {
                    if let Some(r) = recover() {
                        say(format!(
                            "  recovered: {r} | result so far: {} | note so far: {}",
                            result.get(),
                            note.borrow()
                        ));
                        *note.borrow_mut() = "recovered".to_string();
                        *ret = Some((result.get(), note.borrow().clone()));
                    }
                });
                result.set(n * 2);
                *note.borrow_mut() = "partial".to_string();
                if n > 2 {
                    panic!("n too big: {n}");
                }
                result.set(n * 3);
                *note.borrow_mut() = "complete".to_string();
                say("  tail of body ran");
                (result.get(), note.borrow().clone())
            }

            #[with_defer($($s)?)]
            async fn risky_async(n: i32) -> (i32, String) {
                let result = Cell::new(0);
                let note = RefCell::new(String::new());
                defer!(say(format!(
                    "  earliest defer still runs; note saved at the defer statement = {:?}",
                    note.borrow()
                )));
                defer!(|ret| {
                    if let Some(r) = recover() {
                        say(format!(
                            "  recovered: {r} | result so far: {} | note so far: {}",
                            result.get(),
                            note.borrow()
                        ));
                        *note.borrow_mut() = "recovered".to_string();
                        *ret = Some((result.get(), note.borrow().clone()));
                    }
                });
                result.set(n * 2);
                *note.borrow_mut() = "partial".to_string();
                yield_now().await;
                if n > 2 {
                    panic!("n too big: {n}");
                }
                result.set(n * 3);
                *note.borrow_mut() = "complete".to_string();
                yield_now().await;
                say("  tail of body ran");
                (result.get(), note.borrow().clone())
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    for n in [1, 5] {
                        let (r, note) = risky(n);
                        say(format!("risky {n} -> {r} {note}"));
                    }
                    say("main continues normally");
                });
                assert_eq!(lines, expected("018_recover_stops_panic_named_results.out"));
            }

            #[test]
            fn prints_go_trace_async() {
                let lines = trace(|| {
                    for n in [1, 5] {
                        let (r, note) = block_on(risky_async(n));
                        say(format!("risky {n} -> {r} {note}"));
                    }
                    say("main continues normally");
                });
                assert_eq!(lines, expected("018_recover_stops_panic_named_results.out"));
            }
        }

        /// Case 019: after a recover, a function with unnamed results returns Go's zero
        /// values (`Default`: `(0, "")`); named results (locals here, put in the slot by the
        /// recovering closure) keep what was assigned before the panic; a panic while the
        /// return expression is evaluated assigns no result: the slot is still empty when
        /// the deferred closure runs. Go's nil `*int` dereference is `unwrap` on a `None`.
        mod case_019_recover_unnamed_results_zero {
            use super::*;

            #[with_defer($($s)?)]
            fn unnamed() -> (i32, String) {
                defer!(|| {
                    let r = recover();
                    say(format!("  unnamed recovered: {}", go_recovered(&r)));
                });
                let x = black_box(42);
                let s = "computed".to_string();
                if x > 0 {
                    panic!("boom");
                }
                (x, s)
            }

            #[with_defer($($s)?)]
            fn named_set_before_panic() -> i32 {
                let v = Cell::new(0);
                defer!(|ret| {
                    if recover().is_some() {
                        *ret = Some(v.get());
                    }
                });
                v.set(7);
                panic!("after assignment");
            }

            #[with_defer($($s)?)]
            fn panic_in_return_expr() -> (i32, i32) {
                let a = Cell::new(0);
                let b = Cell::new(0);
                defer!(|ret| {
                    let r = recover();
                    // Go's named results: what a return assigned (the slot), else the locals.
                    let (ra, rb) = ret.unwrap_or((a.get(), b.get()));
                    say(format!("  recovered: {} | a, b = {ra} {rb}", go_recovered(&r)));
                    *ret = Some((ra, rb));
                });
                a.set(1);
                let p: Option<&i32> = black_box(None);
                (50, *p.unwrap())
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    let (n, s) = unnamed();
                    say(format!("unnamed -> {n} {s:?}"));
                    say(format!("namedSetBeforePanic -> {}", named_set_before_panic()));
                    let (a, b) = panic_in_return_expr();
                    say(format!("panicInReturnExpr -> {a} {b}"));
                });
                let go = with_rust_messages(
                    expected("019_recover_unnamed_results_zero.out"),
                    // Go's nil pointer dereference  ->  Rust's `unwrap` on `None`.
                    &[(
                        3,
                        "runtime error: invalid memory address or nil pointer dereference",
                        "called `Option::unwrap()` on a `None` value",
                    )],
                );
                assert_eq!(lines, go);
            }
        }

        /// Case 020: `recover()` in a helper called by the deferred closure is a call in a
        /// plain fn, which gives `None`, and the panic goes on to the caller (Go's func
        /// literal with its own deferred recover: a nested `#[with_defer] fn`). Go's `defer
        /// helperRecover(..)`, where the helper is the deferred function, is
        /// `defer!(|| helper_report(.., recover()))`: the deferred closure calls
        /// `recover()` directly and hands its result to the helper.
        mod case_020_recover_via_helper_ineffective {
            use super::*;

            fn helper_report(who: &str, r: Option<Panic>) {
                say(format!("  {who}: recover() = {}", go_recovered(&r)));
            }

            fn helper_recover(who: &str) {
                helper_report(who, recover());
            }

            #[with_defer($($s)?)]
            fn indirect() {
                defer!(|| {
                    helper_recover("helper called from deferred closure");
                    say("  deferred closure finished; panic still in flight");
                });
                panic!("P1");
            }

            #[with_defer($($s)?)]
            fn direct() {
                defer!(|| helper_report("helper deferred directly", recover()));
                panic!("P2");
            }

            #[with_defer($($s)?)]
            fn main_wrapper() {
                defer!(|| {
                    let r = recover();
                    say(format!("main wrapper recovered: {}", go_recovered(&r)));
                });
                indirect();
                say("not reached");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    main_wrapper();
                    direct();
                    say("direct returned normally");
                });
                assert_eq!(lines, expected("020_recover_via_helper_ineffective.out"));
            }
        }

        /// Case 021: Go's func literals that call `recover()` inside the deferred function
        /// are one call level too deep. Writing `recover()` in a closure nested in deferred
        /// code does not compile here (a UI test shows it), so the nested closures call
        /// `nested_recover`, a plain fn one level down, which gives `None`; the panic is
        /// untouched, and the direct `recover()` afterwards stops it.
        mod case_021_recover_nested_closure_ineffective {
            use super::*;

            fn nested_recover() -> Option<Panic> {
                recover()
            }

            #[with_defer($($s)?)]
            fn f() {
                defer!(|| {
                    say("  deferred closure starts");
                    let grab = || go_recovered(&nested_recover());
                    say(format!("  stored nested closure: recover() = {}", grab()));
                    // Go's immediately invoked func literal.
                    #[allow(clippy::redundant_closure_call)]
                    (|| {
                        let r = nested_recover();
                        say(format!(
                            "  immediately invoked literal: recover() = {}",
                            go_recovered(&r)
                        ));
                    })();
                    let r = recover();
                    say(format!(
                        "  direct in deferred closure: recover() = {}",
                        go_recovered(&r)
                    ));
                });
                panic!("only-direct-works");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    f();
                    say("main: f returned normally");
                });
                assert_eq!(lines, expected("021_recover_nested_closure_ineffective.out"));
            }
        }

        /// Case 022: Go's `defer recover()` in the panicking function is a no-op. Its Rust
        /// form, `defer!(recover())`, is a compile error (a UI test shows it), so it is left
        /// out of `f`: it printed nothing in Go, and every line of Go's output is compared.
        /// Go's `main`, which recovers, is a `#[with_defer] fn`.
        mod case_022_defer_recover_directly_noop {
            use super::*;

            #[with_defer($($s)?)]
            fn f() {
                defer!(say("  f: defer registered before `defer recover()` still runs"));
                // Go: `defer recover()` (no Rust form; a no-op in Go).
                panic!("still panicking");
            }

            #[with_defer($($s)?)]
            fn go_main() {
                defer!(|| {
                    let r = recover();
                    say(format!("main recovered: {}", go_recovered(&r)));
                });
                f();
                say("not reached");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(go_main);
                assert_eq!(lines, expected("022_defer_recover_directly_noop.out"));
            }
        }

        /// Case 024: a deferred method is a deferred function: Go's methods that call
        /// `recover()` take its result here (`|| g.method(recover())`, the deferred closure
        /// calls `recover()` directly). Value receiver (`self`, moved into the deferred
        /// closure at the `defer!`, Go's copy), pointer receiver (`&self`), calls through
        /// trait objects (Go's interfaces), a method value (a closure bound to the
        /// receiver) and a method expression (a path call).
        mod case_024_recover_in_deferred_method {
            use super::*;

            struct Guard {
                name: &'static str,
            }

            impl Guard {
                fn value_recover(self, r: Option<Panic>) {
                    say(format!(
                        "  {}: value-receiver method recover() = {}",
                        self.name,
                        go_recovered(&r)
                    ));
                }

                fn ptr_recover(&self, r: Option<Panic>) {
                    say(format!(
                        "  {}: pointer-receiver method recover() = {}",
                        self.name,
                        go_recovered(&r)
                    ));
                }
            }

            trait ValueRecoverer {
                fn value_recover_dyn(self: Box<Self>, r: Option<Panic>);
            }

            impl ValueRecoverer for Guard {
                fn value_recover_dyn(self: Box<Self>, r: Option<Panic>) {
                    (*self).value_recover(r);
                }
            }

            trait PtrRecoverer {
                fn ptr_recover_dyn(&self, r: Option<Panic>);
            }

            impl PtrRecoverer for Guard {
                fn ptr_recover_dyn(&self, r: Option<Panic>) {
                    self.ptr_recover(r);
                }
            }

            #[with_defer($($s)?)]
            fn via_value() {
                let g = Guard { name: "value" };
                defer!(move || g.value_recover(recover()));
                panic!("A");
            }

            #[with_defer($($s)?)]
            fn via_pointer() {
                let g = &Guard { name: "pointer" };
                defer!(move || g.ptr_recover(recover()));
                panic!("B");
            }

            #[with_defer($($s)?)]
            fn via_interface_value() {
                let r: Box<dyn ValueRecoverer> = Box::new(Guard {
                    name: "interface(value)",
                });
                defer!(move || r.value_recover_dyn(recover()));
                panic!("C");
            }

            #[with_defer($($s)?)]
            fn via_interface_pointer() {
                let r: &dyn PtrRecoverer = &Guard {
                    name: "interface(pointer)",
                };
                defer!(move || r.ptr_recover_dyn(recover()));
                panic!("D");
            }

            #[with_defer($($s)?)]
            fn via_method_value() {
                let g = Guard {
                    name: "method value",
                };
                let f = move |r: Option<Panic>| g.value_recover(r);
                defer!(move || f(recover()));
                panic!("E");
            }

            #[with_defer($($s)?)]
            fn via_method_expr() {
                defer!(|| Guard::value_recover(
                    Guard {
                        name: "method expression"
                    },
                    recover()
                ));
                panic!("F");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    via_value();
                    via_pointer();
                    via_interface_value();
                    via_interface_pointer();
                    via_method_value();
                    via_method_expr();
                    say("main: all returned normally");
                });
                assert_eq!(lines, expected("024_recover_in_deferred_method.out"));
            }
        }

        /// Case 025: integer `/` and `%` by zero are ordinary, recoverable panics; float
        /// division by zero gives +infinity. `divide`'s named results are `q` (a local) and
        /// `err`, set by the recovering closure; `remainder64` panics in its return
        /// expression and returns Go's zero values (`Default`). Go's `describe` prints the
        /// value and Go's dynamic-type facts about it (`runtime.errorString`, `error`,
        /// `runtime.Error`), which a Rust panic payload (a string) has no counterpart for:
        /// here it prints the message, and the mappings put Rust's message in place of Go's
        /// whole description.
        mod case_025_runtime_div_by_zero {
            use super::*;

            fn describe(r: &Panic) -> String {
                r.to_string()
            }

            #[with_defer($($s)?)]
            fn divide(a: i32, b: i32) -> (i32, Option<String>) {
                let q = Cell::new(0);
                defer!(|ret| {
                    if let Some(r) = recover() {
                        say(format!("  recovered: {}", describe(&r)));
                        *ret = Some((q.get(), Some(format!("division failed: {r}"))));
                    }
                });
                q.set(a / b);
                (q.get(), None)
            }

            #[with_defer($($s)?)]
            fn remainder64(a: i64, b: i64) -> (i64, bool) {
                defer!(|| {
                    if let Some(r) = recover() {
                        say(format!("  recovered: {}", describe(&r)));
                    }
                });
                (a % b, true)
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    let (q, err) = divide(7, 2);
                    say(format!("divide(7, 2) -> {q} {}", err.as_deref().unwrap_or("<nil>")));
                    let (q, err) = divide(7, 0);
                    say(format!("divide(7, 0) -> {q} {}", err.as_deref().unwrap_or("<nil>")));
                    let (m, ok) = remainder64(9, 0);
                    say(format!("remainder64(9, 0) -> {m} {ok}"));
                    let (fa, fb) = black_box((1.0_f64, 0.0_f64));
                    say(format!("float 1.0/0.0 -> {} (no panic)", go_float(fa / fb)));
                });
                let described = "runtime error: integer divide by zero \
                                 (type runtime.errorString, error=true, runtime.Error=true)";
                let go = with_rust_messages(
                    expected("025_runtime_div_by_zero.out"),
                    &[
                        // Go's integer division by zero  ->  Rust's.
                        (1, described, "attempt to divide by zero"),
                        (
                            2,
                            "runtime error: integer divide by zero",
                            "attempt to divide by zero",
                        ),
                        // Go's `%` by zero (the same Go error)  ->  Rust's remainder by zero.
                        (
                            3,
                            described,
                            "attempt to calculate the remainder with a divisor of zero",
                        ),
                    ],
                );
                assert_eq!(lines, go);
            }
        }

        /// Case 027: out-of-range indexing and slicing are recoverable panics whose messages
        /// name the index and the length. Go's slice is a `Vec`, its string index is a byte
        /// index (`as_bytes()[i]`), its negative index is the `isize` -1 cast to `usize`
        /// (Rust indexes are unsigned), `s[1:hi]` is `&s[1..hi]` and `s[lo:2:3]` is
        /// `&s[lo..2]` (Rust has no three-index slice; Go's check that fails is low > high).
        /// Rust has no `runtime.Error` type: every panic this program raises is a Rust
        /// runtime error (a bounds check), so `runtime.Error` prints whether a panic was
        /// recovered. Go's `%-18s` is `{:<18}`. The messages are mapped to Rust's.
        mod case_027_runtime_index_out_of_range {
            use super::*;

            #[with_defer($($s)?)]
            fn try_it(name: &str, f: impl FnOnce()) {
                defer!(|| {
                    let r = recover();
                    say(format!(
                        "  {name:<18} -> {} (runtime.Error={})",
                        go_recovered(&r),
                        r.is_some()
                    ));
                });
                f();
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    let s = vec![10, 20, 30];
                    let arr = [0; 4];
                    let st = "abc";
                    let (i, neg, hi): (usize, isize, usize) = black_box((5, -1, 7));
                    try_it("slice index", || {
                        black_box(s[i]);
                    });
                    try_it("array index", || {
                        black_box(arr[i]);
                    });
                    try_it("negative index", || {
                        black_box(s[neg as usize]);
                    });
                    try_it("string index", || {
                        black_box(st.as_bytes()[i]);
                    });
                    try_it("slice expr high", || {
                        black_box(&s[1..hi]);
                    });
                    try_it("slice expr low>hi", || {
                        let lo = black_box(3);
                        black_box(&s[lo..2]);
                    });
                    try_it("in range", || say(format!("    s[2] = {}", s[2])));
                });
                let negative = format!(
                    "index out of bounds: the len is 3 but the index is {}",
                    usize::MAX
                );
                let go = with_rust_messages(
                    expected("027_runtime_index_out_of_range.out"),
                    &[
                        (
                            0,
                            "runtime error: index out of range [5] with length 3",
                            "index out of bounds: the len is 3 but the index is 5",
                        ),
                        (
                            1,
                            "runtime error: index out of range [5] with length 4",
                            "index out of bounds: the len is 4 but the index is 5",
                        ),
                        (2, "runtime error: index out of range [-1]", &negative),
                        (
                            3,
                            "runtime error: index out of range [5] with length 3",
                            "index out of bounds: the len is 3 but the index is 5",
                        ),
                        (
                            4,
                            "runtime error: slice bounds out of range [:7] with capacity 3",
                            "range end index 7 out of range for slice of length 3",
                        ),
                        (
                            5,
                            "runtime error: slice bounds out of range [3:2:]",
                            "slice index starts at 3 but ends at 2",
                        ),
                    ],
                );
                assert_eq!(lines, go);
            }
        }

        /// Case 030: a recovered panic raised again (`Panic::resume`, Go's `panic(r)` of
        /// the recovered value) that nobody recovers ends the program after `main`'s
        /// deferred call ran. Go's report lists the value twice (`disk on fire
        /// [recovered]`, then the re-panic); here it is reported once: the runtime holds
        /// the report back while `work` may recover the panic, and prints it when the
        /// re-raised panic (`resume` uses `resume_unwind`, which calls no hook) leaves
        /// `work` unrecovered.
        mod case_030_repanic_unrecovered_crash {
            use super::*;

            #[with_defer($($s)?)]
            fn work() {
                defer!(|| {
                    let r = recover();
                    say(format!(
                        "work: recovered {} - logging and re-panicking",
                        go_recovered(&r)
                    ));
                    if let Some(panic) = r {
                        panic.resume();
                    }
                });
                say("work: about to fail");
                panic!("disk on fire");
            }

            #[with_defer($($s)?)]
            fn go_main() {
                defer!(say("main: deferred print runs before the crash"));
                work();
                say("main: not reached");
            }

            #[with_defer($($s)?)]
            fn catch_crash(chain: &RefCell<Vec<String>>) {
                defer!(|| {
                    if let Some(panic) = recover() {
                        *chain.borrow_mut() = chain_of(&panic);
                    }
                });
                go_main();
            }

            #[test]
            fn exit_status_and_trace() {
                let test = test_name(module_path!(), "exit_status_and_trace");
                run_child(&test, go_main);
                check_crash(&test, "030_repanic_unrecovered_crash", &["disk on fire"]);
            }

            /// The panic that leaves `go_main`, caught by a recovering caller: the re-raised
            /// value, which superseded nothing (the first one was recovered).
            #[test]
            fn escaping_panic() {
                let chain = RefCell::new(Vec::new());
                let lines = trace(|| catch_crash(&chain));
                assert_eq!(lines, expected("030_repanic_unrecovered_crash.out"));
                assert_eq!(*chain.borrow(), ["disk on fire"]);
            }
        }

        /// Case 031: a deferred call that panics while a panic unwinds supersedes it:
        /// `recover()` gets the newer panic (the older one is in its `superseded()`, which
        /// Go has no counterpart for, checked beside the trace), and a later `recover()`
        /// gets `None`. In `g`, which does not recover, the panic raised by the deferred
        /// call reaches the caller (Go's func literal: a nested `#[with_defer] fn`).
        mod case_031_panic_in_defer_replaces_inflight {
            use super::*;

            #[with_defer($($s)?)]
            fn f() {
                defer!(|| {
                    let r = recover();
                    say(format!("  third to run: recover() = {}", go_recovered(&r)));
                });
                defer!(|| {
                    let r = recover();
                    say(format!("  second to run: recover() = {}", go_recovered(&r)));
                    r.iter().for_each(stash);
                });
                defer!(|| {
                    say("  first to run: panicking with B while A is in flight");
                    panic!("B");
                });
                panic!("A");
            }

            #[with_defer($($s)?)]
            fn g() {
                defer!(|| panic!("replacement from g's defer"));
                panic!("g's original");
            }

            #[with_defer($($s)?)]
            fn caller_of_g() {
                defer!(|| {
                    let r = recover();
                    say(format!("main: caller of g recovered: {}", go_recovered(&r)));
                    r.iter().for_each(stash);
                });
                g();
            }

            #[with_defer($($s)?)]
            async fn f_async() {
                defer!(|| {
                    let r = recover();
                    say(format!("  third to run: recover() = {}", go_recovered(&r)));
                });
                defer!(|| {
                    let r = recover();
                    say(format!("  second to run: recover() = {}", go_recovered(&r)));
                    r.iter().for_each(stash);
                });
                defer!(|| {
                    say("  first to run: panicking with B while A is in flight");
                    panic!("B");
                });
                yield_now().await;
                panic!("A");
            }

            #[with_defer($($s)?)]
            async fn g_async() {
                defer!(|| panic!("replacement from g's defer"));
                yield_now().await;
                panic!("g's original");
            }

            #[with_defer($($s)?)]
            async fn caller_of_g_async() {
                defer!(|| {
                    let r = recover();
                    say(format!("main: caller of g recovered: {}", go_recovered(&r)));
                    r.iter().for_each(stash);
                });
                g_async().await;
            }

            #[test]
            fn prints_go_trace() {
                take_stash();
                let lines = trace(|| {
                    f();
                    say("main: f returned normally");
                    caller_of_g();
                    say("main: done");
                });
                assert_eq!(lines, expected("031_panic_in_defer_replaces_inflight.out"));
                assert_eq!(take_stash(), ["A", "g's original"]);
            }

            #[test]
            fn prints_go_trace_async() {
                take_stash();
                let lines = trace(|| {
                    block_on(f_async());
                    say("main: f returned normally");
                    block_on(caller_of_g_async());
                    say("main: done");
                });
                assert_eq!(lines, expected("031_panic_in_defer_replaces_inflight.out"));
                assert_eq!(take_stash(), ["A", "g's original"]);
            }
        }

        /// Case 032: deferred calls that panic while a panic unwinds do not stop the others;
        /// nothing recovers, so the program ends after all of them ran. Go's report lists
        /// A, then B and C; Rust's hook reports each as it is raised, in the same order, and
        /// a recovering caller gets C having superseded A and B.
        mod case_032_panic_in_defer_crash_chain {
            use super::*;

            #[with_defer($($s)?)]
            fn go_main() {
                defer!(say("main: earliest defer runs after both deferred panics"));
                defer!(|| {
                    say("main: second deferred call panics with C");
                    panic!("C");
                });
                defer!(|| {
                    say("main: first deferred call panics with B");
                    panic!("B");
                });
                say("main: panicking with A");
                panic!("A");
            }

            #[with_defer($($s)?)]
            fn catch_crash(chain: &RefCell<Vec<String>>) {
                defer!(|| {
                    if let Some(panic) = recover() {
                        *chain.borrow_mut() = chain_of(&panic);
                    }
                });
                go_main();
            }

            #[test]
            fn exit_status_and_trace() {
                let test = test_name(module_path!(), "exit_status_and_trace");
                run_child(&test, go_main);
                check_crash(&test, "032_panic_in_defer_crash_chain", &["A", "B", "C"]);
            }

            #[test]
            fn escaping_panic() {
                let chain = RefCell::new(Vec::new());
                let lines = trace(|| catch_crash(&chain));
                assert_eq!(lines, expected("032_panic_in_defer_crash_chain.out"));
                assert_eq!(*chain.borrow(), ["A", "B", "C"]);
            }
        }

        /// Case 034: Go's deferred closure D with its own deferred closure is a nested
        /// `#[with_defer] fn d`, deferred in call form. The `recover()` in D's deferred
        /// closure belongs to D, which is not panicking: `None`. The panic goes on, and
        /// `f`'s earlier deferred closure recovers it. Every line of Go's output is compared.
        mod case_034_recover_in_defer_of_defer_closure {
            use super::*;

            #[with_defer($($s)?)]
            fn d() {
                say("  deferred D runs (invoked by the panic)");
                defer!(|| {
                    let r = recover();
                    say(format!("  closure deferred inside D: recover() = {}", go_recovered(&r)));
                });
                say("  D body ends");
            }

            #[with_defer($($s)?)]
            fn f() {
                defer!(|| {
                    let r = recover();
                    say(format!("  f's earliest defer: recover() = {}", go_recovered(&r)));
                });
                defer!(d());
                panic!("P");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    f();
                    say("main: f returned normally");
                });
                assert_eq!(lines, expected("034_recover_in_defer_of_defer_closure.out"));
            }
        }

        /// Case 035: Go's `defer recover()` inside the deferred function D stops `f`'s
        /// panic. It has no Rust form: `defer!(recover())` is a compile error, and a
        /// `recover()` in `d`'s own deferred closure belongs to `d`, which is not
        /// panicking (case 034). So `d` is D without it, and the lines are compared one by
        /// one: D's line and `main`'s are Go's; `f`'s earliest deferred closure, which got
        /// `<nil>` in Go, recovers `Q` here, since nothing stopped the panic before it.
        /// `f`'s named result `out` is a local, put in the slot by that closure when no
        /// return filled it.
        mod case_035_defer_recover_inside_deferred {
            use super::*;

            #[with_defer($($s)?)]
            fn d() {
                // Go: `defer recover()` (no Rust form).
                say("  deferred D body runs");
            }

            #[with_defer($($s)?)]
            fn f() -> String {
                let out = "value set before panic".to_string();
                defer!(|ret| {
                    let r = recover();
                    say(format!("  f's earliest defer: recover() = {}", go_recovered(&r)));
                    if ret.is_none() {
                        *ret = Some(out.clone());
                    }
                });
                defer!(d());
                panic!("Q");
            }

            #[test]
            fn prints_go_trace_where_rust_has_the_form() {
                let lines = trace(|| {
                    say(format!("main: f returned normally: {}", f()));
                });
                let go = expected("035_defer_recover_inside_deferred.out");
                assert_eq!(go.len(), 3);
                assert_eq!(lines.len(), 3, "{lines:?}");
                assert_eq!(lines[0], go[0]);
                assert_eq!(go[1], "  f's earliest defer: recover() = <nil>");
                assert_eq!(lines[1], "  f's earliest defer: recover() = Q");
                assert_eq!(lines[2], go[2]);
            }
        }

        /// Not a corpus case: 031 and 034 combined, a deferred function with its own
        /// recovering deferred closure (a nested `#[with_defer] fn`, deferred in call form)
        /// that panics and recovers while its caller unwinds with a panic that superseded
        /// another. Go 1.19.8 (`go run`, this program) prints the lines below: `d`'s
        /// recover gets `d`'s own panic, and the caller's earliest deferred closure gets
        /// `B`, which superseded `A`. A regression test: `d`'s catch once took the panics
        /// travelling beside the caller's unwinding as its own.
        ///
        /// ```go
        /// func d() {
        ///     defer func() { fmt.Println("  d recovered:", recover()) }()
        ///     panic("inner")
        /// }
        /// func g() {
        ///     defer func() { fmt.Println("  g's earliest recovered:", recover()) }()
        ///     defer d()
        ///     defer func() {
        ///         fmt.Println("  panicking with B while A is in flight")
        ///         panic("B")
        ///     }()
        ///     panic("A")
        /// }
        /// func main() { g(); fmt.Println("main: g returned normally") }
        /// ```
        mod nested_recover_keeps_the_callers_superseding_panic {
            use super::*;

            #[with_defer($($s)?)]
            fn d() {
                defer!(|| {
                    let r = recover();
                    say(format!("  d recovered: {}", go_recovered(&r)));
                });
                panic!("inner");
            }

            #[with_defer($($s)?)]
            fn g() {
                defer!(|| {
                    let r = recover();
                    say(format!("  g's earliest recovered: {}", go_recovered(&r)));
                });
                defer!(d());
                defer!(|| {
                    say("  panicking with B while A is in flight");
                    panic!("B");
                });
                panic!("A");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    g();
                    say("main: g returned normally");
                });
                assert_eq!(
                    lines,
                    [
                        "  panicking with B while A is in flight",
                        "  d recovered: inner",
                        "  g's earliest recovered: B",
                        "main: g returned normally",
                    ]
                );
            }
        }

        /// Case 037: with no recover anywhere, each frame's deferred calls run, innermost
        /// first, through `main`'s, then the program ends: exit status, stdout and the one
        /// panic message (Rust's hook) are checked in a child process.
        mod case_037_unwind_frames_crash {
            use super::*;

            #[with_defer($($s)?)]
            fn descend(depth: i32, max: i32) {
                defer!(say(format!("  unwinding frame {depth}")));
                if depth == max {
                    defer!(say("  innermost frame's extra defer"));
                    panic!("unhandled at depth {depth}");
                }
                descend(depth + 1, max);
                say(format!("  not reached {depth}"));
            }

            #[with_defer($($s)?)]
            fn go_main() {
                defer!(say("main: deferred print runs last, before the crash"));
                descend(1, 3);
                say("main: not reached");
            }

            #[with_defer($($s)?)]
            fn catch_crash(chain: &RefCell<Vec<String>>) {
                defer!(|| {
                    if let Some(panic) = recover() {
                        *chain.borrow_mut() = chain_of(&panic);
                    }
                });
                go_main();
            }

            #[test]
            fn exit_status_and_trace() {
                let test = test_name(module_path!(), "exit_status_and_trace");
                run_child(&test, go_main);
                check_crash(&test, "037_unwind_frames_crash", &["unhandled at depth 3"]);
            }

            #[test]
            fn escaping_panic() {
                let chain = RefCell::new(Vec::new());
                let lines = trace(|| catch_crash(&chain));
                assert_eq!(lines, expected("037_unwind_frames_crash.out"));
                assert_eq!(*chain.borrow(), ["unhandled at depth 3"]);
            }
        }

        /// Case 045 (this project's own Go program): Go's handler idiom, `defer
        /// handlePanic("work")`, where the deferred function's body calls `recover()`. A
        /// `#[with_defer] fn` whose body calls `recover()` is such a handler, and
        /// `defer!(handle_panic("work"))` defers it in call form; the handler needs the
        /// attribute too (Go needs nothing), and the `defer!` comes before the caller's
        /// first `let`, which is where each function here has it. The method handler is
        /// `defer!(self.on_panic())` on `&self` (Go's pointer receiver), the generic one
        /// is deferred by a generic fn, whose `T: Default` bound is Go's zero value of `T`.
        /// After a recovery the functions return `Default` values (Go's zero values);
        /// Go's `error` is `Option<Box<dyn Error>>`. Go's named result `msg`, set by a
        /// deferred closure when it is `""`, is the slot of a result-form closure, which
        /// holds `None` after the handler recovered (no return put a value there).
        mod case_045_recover_handler_idiom {
            use super::*;

            #[with_defer($($s)?)]
            fn handle_panic(name: &str) {
                if let Some(r) = recover() {
                    say(format!("  {name}: recovered {r}"));
                } else {
                    say(format!("  {name}: nothing to recover"));
                }
            }

            #[with_defer($($s)?)]
            fn work(n: i32) -> i32 {
                defer!(handle_panic("work"));
                say(format!("  work: start {n}"));
                if n == 0 {
                    panic!("work with n == 0");
                }
                100 / n
            }

            #[with_defer($($s)?)]
            fn parse(s: &str) -> (usize, String, bool) {
                defer!(handle_panic("parse"));
                if s.is_empty() {
                    panic!("parse of an empty string");
                }
                (s.len(), s.to_string(), true)
            }

            struct Job {
                name: &'static str,
            }

            impl Job {
                #[with_defer($($s)?)]
                fn on_panic(&self) {
                    if let Some(r) = recover() {
                        say(format!("  job {}: onPanic recovered {r}", self.name));
                    }
                }

                #[with_defer($($s)?)]
                fn run(&self, fail: bool) -> (String, Option<Box<dyn Error>>) {
                    defer!(self.on_panic());
                    if fail {
                        panic!("job {} failed", self.name);
                    }
                    ("done".to_string(), None)
                }
            }

            #[with_defer($($s)?)]
            fn handle_tagged<T: Display>(tag: T) {
                if let Some(r) = recover() {
                    say(format!("  handleTagged: {tag} recovered {r}"));
                }
            }

            #[with_defer($($s)?)]
            fn first<T: Clone + Default>(xs: &[T]) -> T {
                defer!(handle_tagged(xs.len()));
                if xs.is_empty() {
                    panic!("first of an empty slice");
                }
                xs[0].clone()
            }

            #[with_defer($($s)?)]
            fn with_named(fail: bool) -> String {
                defer!(|ret| {
                    // Go's `msg == ""`: no value in the slot, or an empty one.
                    if ret.as_ref().is_none_or(String::is_empty) {
                        *ret = Some("set by a deferred closure".to_string());
                    }
                });
                defer!(handle_panic("withNamed"));
                if fail {
                    panic!("withNamed failed");
                }
                "returned".to_string()
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    say(format!("work(4) -> {}", work(4)));
                    say(format!("work(0) -> {}", work(0)));
                    let (n, s, ok) = parse("");
                    say(format!("parse(\"\") -> {n} {s:?} {ok}"));
                    let (n, s, ok) = parse("abc");
                    say(format!("parse(\"abc\") -> {n} {s:?} {ok}"));
                    let j = Job { name: "backup" };
                    let (res, err) = j.run(true);
                    say(format!("run(true) -> {res:?} {}", go_error(&err)));
                    let (res, err) = j.run(false);
                    say(format!("run(false) -> {res:?} {}", go_error(&err)));
                    say(format!("first([]int{{}}) -> {}", first::<i32>(&[])));
                    say(format!("first([]string{{}}) -> {:?}", first::<String>(&[])));
                    say(format!("first([]int{{7, 8}}) -> {}", first(&[7, 8])));
                    say(format!("withNamed(true) -> {}", with_named(true)));
                    say(format!("withNamed(false) -> {}", with_named(false)));
                    say("main: done");
                });
                assert_eq!(lines, own_expected("045_recover_handler_idiom.out"));
            }
        }

        /// Case 046 (this project's own Go program): only the deferred function itself
        /// recovers. `handle_via_helper` is a handler that leaves the `recover()` to
        /// `recover_helper`, a plain fn one call deeper: `None`, and the panic goes on
        /// through `middle` (whose deferred call runs) to `outer`'s deferred closure. The
        /// handler called as a plain function gets `None` (nothing is panicking), and so
        /// does the handler called inside a deferred closure (Go's `defer func() {
        /// handlePanic(..) }()`): the closure is the deferred function, and the panic goes
        /// on to `main`'s func literal, a nested `#[with_defer] fn`. Each of these
        /// `recover()`s that runs while a panic is in flight also prints a note on stderr.
        mod case_046_recover_helper_one_deeper {
            use super::*;

            fn recover_helper() -> Option<Panic> {
                recover()
            }

            #[with_defer($($s)?)]
            fn handle_via_helper(name: &str) {
                let r = recover_helper();
                say(format!("  {name}: the helper's recover() = {}", go_recovered(&r)));
            }

            #[with_defer($($s)?)]
            fn handle_panic(name: &str) {
                let r = recover();
                say(format!("  {name}: recover() = {}", go_recovered(&r)));
            }

            #[with_defer($($s)?)]
            fn inner() {
                defer!(handle_via_helper("inner's handler"));
                say("  inner: panicking");
                panic!("lost in the helper");
            }

            #[with_defer($($s)?)]
            fn middle() {
                defer!(say("  middle: its defer runs as the panic passes"));
                inner();
                say("  middle: not reached");
            }

            #[with_defer($($s)?)]
            fn outer() {
                defer!(|| {
                    let r = recover();
                    say(format!("  outer's deferred closure recovered: {}", go_recovered(&r)));
                });
                middle();
                say("  outer: not reached");
            }

            #[with_defer($($s)?)]
            fn via_closure() {
                defer!(|| {
                    handle_panic("handler called from a deferred closure");
                    say("  the deferred closure ends; the panic goes on");
                });
                panic!("past the closure's callee");
            }

            #[with_defer($($s)?)]
            fn main_wrapper() {
                defer!(|| {
                    let r = recover();
                    say(format!("  main's deferred closure recovered: {}", go_recovered(&r)));
                });
                via_closure();
                say("  not reached");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    say("a helper one call deeper:");
                    outer();
                    say("the handler called directly:");
                    handle_panic("handler called directly");
                    say("the handler called from a deferred closure:");
                    main_wrapper();
                    say("main: done");
                });
                assert_eq!(lines, own_expected("046_recover_helper_one_deeper.out"));
            }
        }

        /// Case 047 (this project's own Go program): handlers that recover and panic
        /// again. Go's `panic(r)` of the recovered value is `Panic::resume`; a new value is
        /// a new `panic!`. The function's older deferred calls run after the handler, then
        /// the new panic reaches `catch` (Go's `f func()` is `impl FnOnce()`), whose
        /// deferred closure recovers it. In `two_handlers` the older handler recovers the
        /// newer one's re-panic, and the function returns its zero value.
        mod case_047_recover_handler_repanics {
            use super::*;

            #[with_defer($($s)?)]
            fn repanic_same(name: &str) {
                if let Some(r) = recover() {
                    say(format!("  {name}: recovered {r} - panicking again with it"));
                    r.resume();
                }
            }

            #[with_defer($($s)?)]
            fn repanic_new(name: &str) {
                if let Some(r) = recover() {
                    say(format!("  {name}: recovered {r} - panicking with a new value"));
                    panic!("{name}: wrapped({r})");
                }
            }

            #[with_defer($($s)?)]
            fn handle_panic(name: &str) {
                if let Some(r) = recover() {
                    say(format!("  {name}: recovered {r}"));
                } else {
                    say(format!("  {name}: nothing to recover"));
                }
            }

            #[with_defer($($s)?)]
            fn same_value() -> i32 {
                defer!(say("  sameValue: oldest defer runs after the handler"));
                defer!(repanic_same("sameValue"));
                defer!(say("  sameValue: newest defer runs first"));
                say("  sameValue: panicking with disk full");
                panic!("disk full");
            }

            #[with_defer($($s)?)]
            fn new_value() -> String {
                defer!(say("  newValue: oldest defer runs after the handler"));
                defer!(repanic_new("newValue"));
                defer!(say("  newValue: newest defer runs first"));
                say("  newValue: panicking with timeout");
                panic!("timeout");
            }

            #[with_defer($($s)?)]
            fn two_handlers() -> i32 {
                defer!(say("  twoHandlers: oldest defer"));
                defer!(handle_panic("twoHandlers' older handler"));
                defer!(repanic_same("twoHandlers' newer handler"));
                say("  twoHandlers: panicking with first");
                panic!("first");
            }

            #[with_defer($($s)?)]
            fn catch(name: &str, f: impl FnOnce()) {
                defer!(|| {
                    let r = recover();
                    say(format!("  catch({name}) recovered: {}", go_recovered(&r)));
                });
                defer!(say(format!("  catch({name}): its newer defer runs first")));
                f();
                say("  catch: not reached");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    catch("sameValue", || say(format!("  sameValue returned {}", same_value())));
                    catch("newValue", || say(format!("  newValue returned {:?}", new_value())));
                    say(format!("twoHandlers() -> {}", two_handlers()));
                    say("main: done");
                });
                assert_eq!(lines, own_expected("047_recover_handler_repanics.out"));
            }
        }

        /// Case 048 (this project's own Go program): one handler, `handle_panic`, deferred
        /// by several functions, each with other deferred calls before and after it; they
        /// all run in LIFO order, panic or not, and the handler recovers only the panic of
        /// the function that deferred it. Two deferred calls of the handler in one
        /// function: the newer recovers, the older finds nothing; a callee's handler
        /// recovered, so the caller's finds nothing. The functions that recover return
        /// `Default` values (Go's zero values). Go's `%q` of a string is Rust's `{:?}`.
        /// The same functions as `async fn`s, each suspended once, print the same.
        mod case_048_recover_handler_shared {
            use super::*;

            #[with_defer($($s)?)]
            fn handle_panic(name: &str) {
                if let Some(r) = recover() {
                    say(format!("    handlePanic({name}): recovered {r}"));
                } else {
                    say(format!("    handlePanic({name}): nothing to recover"));
                }
            }

            #[with_defer($($s)?)]
            fn fetch(id: i32) -> String {
                defer!(say(format!("    fetch: close the connection for {id}")));
                defer!(handle_panic("fetch"));
                defer!(say(format!("    fetch: release the lock for {id}")));
                if id < 0 {
                    panic!("fetch: bad id {id}");
                }
                format!("item-{id}")
            }

            #[with_defer($($s)?)]
            fn save(item: &str) -> bool {
                defer!(handle_panic("save"));
                defer!(say(format!("    save: flush {item:?}")));
                if item.is_empty() {
                    panic!("save: nothing to save");
                }
                true
            }

            #[with_defer($($s)?)]
            fn cleanup(n: i32) -> i32 {
                defer!(say("    cleanup: oldest defer"));
                defer!(|| say("    cleanup: deferred closure before the handler"));
                defer!(handle_panic("cleanup"));
                if n > 1 {
                    panic!("cleanup: {n} is too many");
                }
                n
            }

            #[with_defer($($s)?)]
            fn twice() -> i32 {
                defer!(handle_panic("twice, deferred first"));
                defer!(handle_panic("twice, deferred second"));
                panic!("twice: one panic");
            }

            #[with_defer($($s)?)]
            fn inner() -> i32 {
                defer!(handle_panic("inner"));
                panic!("inner: failed");
            }

            #[with_defer($($s)?)]
            fn outer() -> i32 {
                defer!(handle_panic("outer"));
                defer!(say("    outer: its newer defer"));
                inner() + 1
            }

            #[with_defer($($s)?)]
            async fn fetch_async(id: i32) -> String {
                defer!(say(format!("    fetch: close the connection for {id}")));
                defer!(handle_panic("fetch"));
                defer!(say(format!("    fetch: release the lock for {id}")));
                yield_now().await;
                if id < 0 {
                    panic!("fetch: bad id {id}");
                }
                format!("item-{id}")
            }

            #[with_defer($($s)?)]
            async fn save_async(item: &str) -> bool {
                defer!(handle_panic("save"));
                defer!(say(format!("    save: flush {item:?}")));
                yield_now().await;
                if item.is_empty() {
                    panic!("save: nothing to save");
                }
                true
            }

            #[with_defer($($s)?)]
            async fn cleanup_async(n: i32) -> i32 {
                defer!(say("    cleanup: oldest defer"));
                defer!(|| say("    cleanup: deferred closure before the handler"));
                defer!(handle_panic("cleanup"));
                yield_now().await;
                if n > 1 {
                    panic!("cleanup: {n} is too many");
                }
                n
            }

            #[with_defer($($s)?)]
            async fn twice_async() -> i32 {
                defer!(handle_panic("twice, deferred first"));
                defer!(handle_panic("twice, deferred second"));
                yield_now().await;
                panic!("twice: one panic");
            }

            #[with_defer($($s)?)]
            async fn inner_async() -> i32 {
                defer!(handle_panic("inner"));
                yield_now().await;
                panic!("inner: failed");
            }

            #[with_defer($($s)?)]
            async fn outer_async() -> i32 {
                defer!(handle_panic("outer"));
                defer!(say("    outer: its newer defer"));
                inner_async().await + 1
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    say("fetch(1):");
                    say(format!("  -> {:?}", fetch(1)));
                    say("fetch(-1):");
                    say(format!("  -> {:?}", fetch(-1)));
                    say("save(\"a\"):");
                    say(format!("  -> {}", save("a")));
                    say("save(\"\"):");
                    say(format!("  -> {}", save("")));
                    say("cleanup(1):");
                    say(format!("  -> {}", cleanup(1)));
                    say("cleanup(3):");
                    say(format!("  -> {}", cleanup(3)));
                    say("twice():");
                    say(format!("  -> {}", twice()));
                    say("outer():");
                    say(format!("  -> {}", outer()));
                    say("main: done");
                });
                assert_eq!(lines, own_expected("048_recover_handler_shared.out"));
            }

            #[test]
            fn prints_go_trace_async() {
                let lines = trace(|| {
                    say("fetch(1):");
                    say(format!("  -> {:?}", block_on(fetch_async(1))));
                    say("fetch(-1):");
                    say(format!("  -> {:?}", block_on(fetch_async(-1))));
                    say("save(\"a\"):");
                    say(format!("  -> {}", block_on(save_async("a"))));
                    say("save(\"\"):");
                    say(format!("  -> {}", block_on(save_async(""))));
                    say("cleanup(1):");
                    say(format!("  -> {}", block_on(cleanup_async(1))));
                    say("cleanup(3):");
                    say(format!("  -> {}", block_on(cleanup_async(3))));
                    say("twice():");
                    say(format!("  -> {}", block_on(twice_async())));
                    say("outer():");
                    say(format!("  -> {}", block_on(outer_async())));
                    say("main: done");
                });
                assert_eq!(lines, own_expected("048_recover_handler_shared.out"));
            }
        }
    };
}

for_each_lowering!(ports);

/// The crash-case helpers read Rust's hook reports and the harness's lines.
#[test]
fn crash_helpers_parse_what_they_read() {
    let stderr = concat!(
        "\nthread 'main' panicked at tests/x.rs:1:2:\nA\n",
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
        "thread 'a::b' (77) panicked at tests/x.rs:3:4:\nB\nstack backtrace:\n   0: x\n",
    );
    assert_eq!(hook_messages(stderr), ["A", "B"]);
    assert!(is_harness_running_line("running 1 test"));
    assert!(!is_harness_running_line("main: panicking with A"));
    assert_eq!(
        with_rust_messages(vec!["x: go text".into()], &[(0, "go text", "rust")]),
        ["x: rust"]
    );
}
