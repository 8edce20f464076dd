// Mistake (compiles, fails at run time): a deferred method call whose
// receiver is not a place, `defer!(log.borrow_mut().push("exit"))`, followed
// by another use of `log`.
//
// Go evaluates the receiver of a deferred method call at the `defer`:
//
//     func (c *Counter) locked() *Counter { c.mu.Lock(); return c }
//     func (c *Counter) add(n int)        { c.n += n; c.mu.Unlock() }
//
//     func work(c *Counter) int {
//         defer c.locked().add(1) // locked() runs now: the mutex is held from here
//         c.mu.Lock()             // waits for a mutex this goroutine holds
//         return c.n
//     }
//
// compiles, then stops with `fatal error: all goroutines are asleep -
// deadlock!` (when nothing else can run).
//
// Rust does the same: a receiver that is not a place (a variable, field,
// index or deref) is evaluated at the `defer!`, so `log.borrow_mut()` runs
// there and its `RefMut` is kept for the call at exit. The borrow checker
// cannot see a `RefCell`'s borrows, so this compiles; the next
// `log.borrow()` then panics ("already mutably borrowed"). The deferred push
// still runs while the panic unwinds, then the panic goes on.
//
// Fix: borrow at exit, inside the deferred code:
// `defer!(|| log.borrow_mut().push("exit"))` (or `defer! { .. }`). Then
// `log.borrow().len()` returns 0 and the push happens at exit.
use godefer::{defer, with_defer};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

#[with_defer]
fn record(log: &RefCell<Vec<&'static str>>) -> usize {
    defer!(log.borrow_mut().push("exit"));
    log.borrow().len()
}

#[with_defer]
fn record_fixed(log: &RefCell<Vec<&'static str>>) -> usize {
    defer!(|| log.borrow_mut().push("exit"));
    log.borrow().len()
}

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let log = RefCell::new(Vec::new());
    let result = catch_unwind(AssertUnwindSafe(|| record(&log)));
    let payload = result.expect_err("the second borrow panics");
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(message.contains("already mutably borrowed"), "{message}");
    assert_eq!(*log.borrow(), ["exit"]);
    drop(std::panic::take_hook());

    let log = RefCell::new(Vec::new());
    assert_eq!(record_fixed(&log), 0);
    assert_eq!(*log.borrow(), ["exit"]);
}
