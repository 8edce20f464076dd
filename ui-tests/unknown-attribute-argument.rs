// Mistake: an unknown argument to `#[with_defer]`.
//
// No Go analogue: Go offers no setting for how a function's defers are
// lowered; the compiler decides. The Go program is just
//
//     func work() {
//         defer cleanup()
//     }
//
// Rust: the attribute takes only `open_coded` or `chain`, and points at
// anything else.
//
// Fix: `#[with_defer]` (Go's rule chooses), `#[with_defer(open_coded)]` or
// `#[with_defer(chain)]`. Each runs `cleanup` at exit.
use godefer::{defer, with_defer};

fn cleanup() {}

#[with_defer(fast)]
fn work() {
    defer!(cleanup());
}

fn main() {
    work();
}
