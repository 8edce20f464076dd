//! The runtime's panic hook, and the reports it holds back.
//!
//! Rust's default hook prints a report (`thread '..' panicked at ..`, the
//! message, a backtrace or the `RUST_BACKTRACE` note) when a panic is raised;
//! Go prints nothing for a panic that is recovered. The runtime's hook,
//! installed once, wraps the hook that was there: it numbers every panic (the
//! tags of `inflight`), and while one of the runtime's catches runs on the
//! thread, if the hook it wraps is Rust's default one, it renders the default
//! report and stashes it beside the unwinding instead of printing it. The
//! report then follows the panic: dropped with it if it is recovered, printed
//! (with the panics it superseded, oldest first) if it leaves the outermost
//! catch unrecovered, printed on its own if a `catch_unwind` of the program
//! ended it. Outside the runtime's catches, or over a hook the program set
//! before the runtime's, the wrapped hook is called as it would have been.

use core::any::{Any, TypeId};
use core::fmt::Write as _;
use core::ops::Range;
use core::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::backtrace::Backtrace;
use std::boxed::Box;
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::string::{String, ToString};
use std::sync::Once;
use std::vec::Vec;

use super::inflight;

/// `RUST_BACKTRACE` unset or `0`: no backtrace, a note the first time.
const OFF: u8 = 1;
/// `RUST_BACKTRACE=1` (or anything but `0` and `full`): a short backtrace.
const SHORT: u8 = 2;
/// `RUST_BACKTRACE=full`: every frame.
const FULL: u8 = 3;

/// What Rust's default hook would have printed for one panic. Boxed, so that
/// a `Panic` stays small on the paths where nothing panics.
pub(crate) struct Report(Box<Details>);

/// The parts of a [`Report`].
struct Details {
    /// The panic's id, in the order the panics were raised.
    id: u64,
    /// `\nthread '<name>' panicked at <file>:<line>:<col>:\n<message>\n`.
    text: String,
    /// Where the message is in `text`.
    message: Range<usize>,
    /// The payload's type, to match the report with the payload a catch gets.
    payload_type: TypeId,
    /// The backtrace, when one is printed, and whether in full.
    backtrace: Option<(Backtrace, bool)>,
}

impl Report {
    /// Renders the report of the panic `info`; `nested`: raised while another
    /// panic unwinds (the default hook then prints a full backtrace).
    fn new(info: &PanicHookInfo<'_>, id: u64, nested: bool) -> Report {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("<unnamed>");
        let mut text = String::new();
        let _ = write!(text, "\nthread '{name}' panicked at ");
        match info.location() {
            Some(location) => {
                let _ = write!(text, "{location}");
            }
            None => text.push_str("<unknown>"),
        }
        text.push_str(":\n");
        let start = text.len();
        text.push_str(super::message_of(info.payload()).unwrap_or("Box<dyn Any>"));
        let message = start..text.len();
        text.push('\n');
        let style = if nested { FULL } else { style() };
        let backtrace = (style != OFF).then(|| (Backtrace::force_capture(), style == FULL));
        Report(Box::new(Details {
            id,
            text,
            message,
            payload_type: Any::type_id(info.payload()),
            backtrace,
        }))
    }

    /// Whether this is the report of the panic that unwound with `payload`.
    pub(crate) fn is_for(&self, payload: &(dyn Any + Send)) -> bool {
        let report = &self.0;
        let message = &report.text[report.message.clone()];
        Any::type_id(payload) == report.payload_type
            && super::message_of(payload).is_none_or(|m| m == message)
    }
}

/// The `RUST_BACKTRACE` style, read once, as the default hook does.
fn style() -> u8 {
    static STYLE: AtomicU8 = AtomicU8::new(0);
    match STYLE.load(Ordering::Relaxed) {
        0 => {
            let style = match std::env::var_os("RUST_BACKTRACE") {
                None => OFF,
                Some(value) if value == "0" => OFF,
                Some(value) if value == "full" => FULL,
                Some(_) => SHORT,
            };
            STYLE.store(style, Ordering::Relaxed);
            style
        }
        style => style,
    }
}

/// Installs the runtime's hook, once, outside a panic (where setting the hook
/// is allowed). It holds reports back only over Rust's default hook: asking
/// for the hook twice gives the one that was there, then the default one, and
/// the default hook is the same value both times.
pub(crate) fn install_hook() {
    static INSTALLED: Once = Once::new();
    if INSTALLED.is_completed() || std::thread::panicking() {
        return;
    }
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        let default = std::panic::take_hook();
        let holds_back = core::ptr::eq(&*previous, &*default);
        drop(default);
        std::panic::set_hook(Box::new(move |info| {
            let id = inflight::begin_unwinding();
            if !(holds_back && hold_back(info, id)) {
                previous(info);
            }
        }));
    });
}

/// The hook over the default one: stashes the report of the panic `id` if a
/// catch of the runtime may recover it. Returns whether it did. Must not panic
/// (a panic in a hook aborts).
fn hold_back(info: &PanicHookInfo<'_>, id: u64) -> bool {
    let Some(nested) = inflight::catch_running() else {
        return false;
    };
    if aborts(info) {
        print_from_hook(inflight::take_all_reports());
        return false;
    }
    match inflight::stash(id, Report::new(info, id, nested)) {
        Ok(unclaimed) => {
            print_from_hook(unclaimed);
            true
        }
        Err(_) => false,
    }
}

/// Whether the panic is one of those std raises right before it aborts the
/// process (a destructor that panicked while a panic unwound, a panic out of
/// a function that cannot unwind): the reports held back would be lost.
fn aborts(info: &PanicHookInfo<'_>) -> bool {
    let message = super::message_of(info.payload()).unwrap_or("");
    message == "panic in a destructor during cleanup"
        || message == "panic in a function that cannot unwind"
}

/// Prints `reports` from the hook, oldest first: to stderr itself, which
/// never panics (a panic in a hook aborts).
fn print_from_hook(reports: Vec<Report>) {
    if !reports.is_empty() {
        let text = render(sorted(reports).iter().map(|r| (r, false)));
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

/// Prints the reports of panics that a `catch_unwind` of the program ended
/// inside a catch of the runtime, each on its own, oldest first.
pub(crate) fn print_unclaimed(reports: Vec<Report>) {
    if !reports.is_empty() {
        print(&render(sorted(reports).iter().map(|r| (r, false))));
    }
}

/// Prints the reports of a panic leaving the outermost catch unrecovered:
/// `chain` is the panics it superseded, oldest first, then itself, each with
/// its report if one was held back.
pub(crate) fn print_escaping(chain: Vec<Option<Report>>) {
    let last = chain.len().saturating_sub(1);
    let reports: Vec<(Report, bool)> = chain
        .into_iter()
        .enumerate()
        .filter_map(|(at, report)| Some((report?, at != last)))
        .collect();
    if !reports.is_empty() {
        print(&render(
            reports.iter().map(|(r, superseded)| (r, *superseded)),
        ));
    }
}

/// Oldest first.
fn sorted(mut reports: Vec<Report>) -> Vec<Report> {
    reports.sort_by_key(|r| r.0.id);
    reports
}

/// The text of `reports` in the default hook's shape; a superseded one is
/// followed by a line that says so, as Go's crash report marks them.
fn render<'a>(reports: impl Iterator<Item = (&'a Report, bool)>) -> String {
    static NOTED: AtomicBool = AtomicBool::new(false);
    let mut out = String::new();
    let mut without_backtrace = false;
    for (report, superseded) in reports {
        out.push_str(&report.0.text);
        match &report.0.backtrace {
            Some((backtrace, true)) => {
                let _ = write!(out, "stack backtrace:\n{backtrace:#}");
            }
            Some((backtrace, false)) => {
                out.push_str("stack backtrace:\n");
                out.push_str(&short(backtrace));
                out.push_str("note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n");
            }
            None => without_backtrace = true,
        }
        if superseded {
            out.push_str("note: superseded by the next panic, which a deferred call raised while this one unwound\n");
        }
    }
    if without_backtrace && !NOTED.swap(true, Ordering::Relaxed) {
        out.push_str(
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
        );
    }
    out
}

/// The frames of `backtrace` between the panic machinery and the runtime's
/// entry point (std's short-backtrace markers), numbered from 0, as the
/// default hook prints them.
fn short(backtrace: &Backtrace) -> String {
    short_text(&backtrace.to_string())
}

/// [`short`] of a rendered backtrace.
fn short_text(text: &str) -> String {
    let mut frames: Vec<Vec<&str>> = Vec::new();
    for line in text.lines() {
        match (frame_number(line), frames.last_mut()) {
            (None, Some(frame)) => frame.push(line),
            _ => frames.push(std::vec![line]),
        }
    }
    let marked = |marker: &str| frames.iter().position(|f| f[0].contains(marker));
    let start = marked("__rust_end_short_backtrace").map_or(0, |at| at + 1);
    let end = marked("__rust_begin_short_backtrace")
        .filter(|&end| end >= start)
        .unwrap_or(frames.len());
    let mut out = String::new();
    for (n, frame) in frames[start..end].iter().enumerate() {
        let (_, name) = frame[0].split_once(": ").unwrap_or(("", frame[0]));
        let _ = writeln!(out, "{n:>4}: {name}");
        for line in &frame[1..] {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// Whether `line` starts a frame of a rendered backtrace (`  12: name`).
fn frame_number(line: &str) -> Option<&str> {
    let (number, _) = line.trim_start().split_once(": ")?;
    let digits = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    digits.then_some(number)
}

/// Prints to stderr as the default hook does (into the test harness's
/// capture, if any), never letting a failed write panic out.
fn print(text: &str) {
    let _ = catch_unwind(AssertUnwindSafe(|| std::eprint!("{text}")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_backtrace_keeps_the_frames_between_the_markers() {
        let text = concat!(
            "   0: hook\n",
            "   1: std::sys::backtrace::__rust_end_short_backtrace\n",
            "             at std.rs:1:1\n",
            "   2: core::panicking::panic_fmt\n",
            "             at core.rs:2:2\n",
            "   3: user::work\n",
            "  4: std::sys::backtrace::__rust_begin_short_backtrace\n",
            "   5: main\n",
        );
        assert_eq!(
            short_text(text),
            concat!(
                "   0: core::panicking::panic_fmt\n",
                "             at core.rs:2:2\n",
                "   1: user::work\n",
            )
        );
        assert_eq!(short_text("   0: only\n"), "   0: only\n");
    }

    #[test]
    fn frame_lines_are_numbered() {
        assert_eq!(frame_number("  12: name"), Some("12"));
        assert_eq!(frame_number("             at file.rs:1:2"), None);
        assert_eq!(frame_number(": name"), None);
    }
}
