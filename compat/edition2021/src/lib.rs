//! Handlers for `tests/handler_in_another_crate.rs`: a `#[with_defer]` fn
//! whose body calls `recover()`, defined in this crate and deferred by a
//! function of another crate (the test), as Go's `defer handlePanic()` may
//! name a handler of another package.

use godefer::{recover, with_defer};
use std::cell::RefCell;

thread_local! {
    static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// What the handlers of this crate saw on this thread, oldest first; clears it.
pub fn take_seen() -> Vec<String> {
    SEEN.with(|seen| std::mem::take(&mut *seen.borrow_mut()))
}

fn note(line: String) {
    SEEN.with(|seen| seen.borrow_mut().push(line));
}

/// Go's `handlePanic(name)`.
#[with_defer]
pub fn handle_panic(name: &str) {
    match recover() {
        Some(p) => note(format!("{name}: recovered {p}")),
        None => note(format!("{name}: nothing to recover")),
    }
}

/// A type whose method is a handler.
#[derive(Debug)]
pub struct Guard {
    pub name: &'static str,
}

impl Guard {
    /// `defer!(guard.on_panic())`.
    #[with_defer]
    pub fn on_panic(&self) {
        if let Some(p) = recover() {
            note(format!("{}: recovered {p}", self.name));
        }
    }
}
