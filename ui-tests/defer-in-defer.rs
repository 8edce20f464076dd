// Mistake: a `defer!` inside another `defer!`.
//
// Go:
//
//     func work() {
//         defer func() {
//             defer second()
//             first()
//         }()
//     }
//
// prints `first`, `second`: the inner defer belongs to the func literal and
// runs when that literal returns. (`defer wrap(defer second())` is a Go
// syntax error: `defer` is a statement, not a value.)
//
// Rust: deferred code is not a function with exits of its own, so it cannot
// defer in turn; the attribute refuses the inner `defer!`, in an argument or
// in a deferred block alike.
//
// Fix: write the two `defer!` statements one after the other, the one to run
// last first: `defer!(second()); defer!(first());` prints `first`, `second`.
use godefer::{defer, with_defer};

fn wrap(_: ()) {}

fn first() {
    println!("first");
}

fn second() {
    println!("second");
}

#[with_defer]
fn in_arguments() {
    defer!(wrap(defer!(second())));
}

#[with_defer]
fn in_block() {
    defer! {
        first();
        defer!(second());
    }
}

fn main() {
    in_arguments();
    in_block();
}
