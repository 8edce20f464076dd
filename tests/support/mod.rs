//! Shared by the integration tests: a per-thread trace of printed lines.
#![allow(dead_code)]

use std::cell::RefCell;

thread_local! {
    static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records one line of a program's trace and prints it, as the Go programs do.
pub fn say(line: impl Into<String>) {
    let line = line.into();
    println!("{line}");
    LINES.with(|lines| lines.borrow_mut().push(line));
}

/// Takes the lines recorded so far on this thread, leaving the trace empty.
pub fn take() -> Vec<String> {
    LINES.with(|lines| std::mem::take(&mut *lines.borrow_mut()))
}

/// Runs `f` on a fresh trace and returns the lines it recorded.
pub fn trace(f: impl FnOnce()) -> Vec<String> {
    take();
    f();
    take()
}
