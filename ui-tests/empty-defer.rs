// Mistake: an empty `defer!()`.
//
// Go refuses a defer without a call as well: `defer cleanup` (no
// parentheses) is "expression in defer must be function call". The Go code
// meant is
//
//     func work() {
//         defer cleanup()
//     }
//
// which runs `cleanup` at exit.
//
// Rust: there is nothing to defer, and `defer!` says so.
//
// Fix: give it the call to run at exit, `defer!(cleanup())`.
use godefer::{defer, with_defer};

#[with_defer]
fn work() {
    defer!();
}

fn main() {
    work();
}
