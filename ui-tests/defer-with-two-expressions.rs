// Mistake: two expressions in one `defer!`, `defer!(a(), b())`.
//
// Go:
//
//     func work() {
//         defer func() {
//             a()
//             b()
//         }()
//     }
//
// prints `a`, `b` at exit. (`defer a(), b()` is a Go syntax error too.)
//
// Rust: `defer!` takes one expression, and refuses the tokens after it.
//
// Fix: defer a block, `defer! { a(); b(); }`, which prints `a`, `b`; or
// write two statements, the one to run last first:
// `defer!(b()); defer!(a());`.
use godefer::{defer, with_defer};

fn a() {
    println!("a");
}

fn b() {
    println!("b");
}

#[with_defer]
fn work() {
    defer!(a(), b());
}

fn main() {
    work();
}
