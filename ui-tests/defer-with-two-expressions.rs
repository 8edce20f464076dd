// `defer!(a(), b())`: a `defer!` takes exactly one expression. Write two
// `defer!` statements, or defer a block: `defer! { a(); b(); }`.
use go_defer::{defer, with_defer};

fn a() {}
fn b() {}

#[with_defer]
fn work() {
    defer!(a(), b());
}

fn main() {}
