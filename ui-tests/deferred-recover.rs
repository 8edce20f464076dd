// Mistake: deferring recover() itself.
//
// Go:
//
//     func work() {
//         defer recover()
//         panic("boom")
//     }
//
// compiles, and does nothing: recover is the deferred function here, not
// called by one, so the panic goes on to the caller.
//
// Rust: the macro rejects `defer!(recover())` instead of letting it be a
// silent no-op.
//
// Fix: `defer!(|| { recover(); })` recovers (and drops the panic).
use godefer::{defer, recover, with_defer};

#[with_defer]
fn work() {
    defer!(recover());
    panic!("boom");
}

fn main() {
    work();
}
