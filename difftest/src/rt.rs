//! What the generated Rust programs call: the trace, the helpers that print
//! events, and the check of one program against the model's trace.

use std::cell::{Cell, RefCell};
use std::fmt::Write;
use std::sync::Once;

use godefer::Panic;

use crate::ast::zero_panic_message;

thread_local! {
    static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Set while a generated program runs: its panics are part of the trace,
    /// and the panic hook keeps quiet about them.
    static IN_PROGRAM: Cell<bool> = const { Cell::new(false) };
}

/// Records one line of the trace.
pub fn say(line: impl Into<String>) {
    LINES.with(|l| l.borrow_mut().push(line.into()));
}

/// A call-form argument with a side effect: prints `{label} eval {v}`.
pub fn ev(label: &str, v: i64) -> i64 {
    say(format!("{label} eval {v}"));
    v
}

/// A call-form argument whose evaluation panics: the defer statement panics.
pub fn ev_bad(label: &str, v: i64) -> i64 {
    say(format!("{label} eval {v}"));
    panic!("{label} bad arg {v}")
}

/// A deferred function.
pub fn note(label: &str, v: i64) {
    say(format!("{label} note {v}"));
}

/// A deferred function that panics.
pub fn boom(label: &str, v: i64) {
    say(format!("{label} boom {v}"));
    panic!("{label} boom {v}")
}

/// The target of `?`: an error when `v` is a multiple of 3.
pub fn check(v: i64) -> Result<i64, String> {
    if v % 3 == 0 {
        Err(format!("check {v}"))
    } else {
        Ok(v)
    }
}

pub fn show_i(v: i64) -> String {
    v.to_string()
}

pub fn show_r(v: Result<i64, String>) -> String {
    match v {
        Ok(v) => format!("ok {v}"),
        Err(e) => format!("err {e}"),
    }
}

/// A result slot as a result-form closure sees it.
pub fn slot_i(v: &Option<i64>) -> String {
    v.map_or_else(|| "unset".to_string(), show_i)
}

pub fn slot_r(v: &Option<Result<i64, String>>) -> String {
    v.clone().map_or_else(|| "unset".to_string(), show_r)
}

/// A panic's message as the trace shows it: Go's `fmt.Sprint(recover())` of
/// a string panic, with the runtime's "no result to return" panic reduced to
/// [`zero_panic_message`] (its wording is not what is tested).
pub fn msg(p: &Panic) -> String {
    let text = p.to_string();
    match text.strip_prefix('`').and_then(|rest| rest.split_once('`')) {
        Some((function, rest)) if rest.starts_with(" has no result to return") => {
            zero_panic_message(function)
        }
        _ => text,
    }
}

/// `recover()`'s value as the trace shows it.
pub fn show_rec(r: &Option<Panic>) -> String {
    r.as_ref().map_or_else(|| "nil".to_string(), msg)
}

/// Installs (once) a panic hook that is silent while a program runs and
/// otherwise defers to the default hook.
fn quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_PROGRAM.with(Cell::get) {
                default(info);
            }
        }));
    });
}

/// Runs `top(n)` for each input and returns the trace.
pub fn trace_of(top: fn(i64), inputs: &[i64]) -> Vec<String> {
    quiet_hook();
    LINES.with(|l| l.borrow_mut().clear());
    IN_PROGRAM.with(|f| f.set(true));
    let outcome = std::panic::catch_unwind(|| {
        for &n in inputs {
            top(n);
        }
    });
    IN_PROGRAM.with(|f| f.set(false));
    let mut lines = LINES.with(|l| std::mem::take(&mut *l.borrow_mut()));
    if let Err(payload) = outcome {
        // `top` recovers every panic; one that still escapes is a finding.
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "Box<dyn Any>".into());
        lines.push(format!("!! panic escaped top's recover: {msg}"));
    }
    lines
}

/// A lowering's name and the program's `top` compiled with it.
pub type Lowering = (&'static str, fn(i64));

/// Checks program `index` of the batch `seed` under each lowering against the
/// model's trace; panics with a report naming every lowering that differs.
pub fn check_program(
    seed: u64,
    index: usize,
    inputs: &[i64],
    expected: &[&str],
    tops: &[Lowering],
) {
    let mut report = String::new();
    for (lowering, top) in tops {
        let got = trace_of(*top, inputs);
        if got != expected {
            writeln!(
                report,
                "program {index} of seed {seed} under `{lowering}` differs from the model:"
            )
            .unwrap();
            report.push_str(&diff(expected, &got));
        }
    }
    if !report.is_empty() {
        writeln!(
            report,
            "show the program (Rust, Go, model trace): cargo run -p godefer-difftest --bin difftest -- show {seed} {index}"
        )
        .unwrap();
        panic!("{report}");
    }
}

/// A line diff: the common prefix, then both remainders.
pub fn diff(expected: &[impl AsRef<str>], got: &[impl AsRef<str>]) -> String {
    let same = expected
        .iter()
        .zip(got)
        .take_while(|(a, b)| a.as_ref() == b.as_ref())
        .count();
    let mut out = String::new();
    for line in &expected[..same] {
        writeln!(out, "    {}", line.as_ref()).unwrap();
    }
    for line in &expected[same..] {
        writeln!(out, "  - {}", line.as_ref()).unwrap();
    }
    for line in &got[same..] {
        writeln!(out, "  + {}", line.as_ref()).unwrap();
    }
    out
}
