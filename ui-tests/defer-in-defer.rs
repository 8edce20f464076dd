// A `defer!` inside another `defer!`: a deferred call cannot defer in turn.
// Write the two `defer!` statements one after the other.
use go_defer::{defer, with_defer};

fn f(_: ()) {}
fn g() {}

#[with_defer]
fn in_arguments() {
    defer!(f(defer!(g())));
}

#[with_defer]
fn in_block() {
    defer! {
        g();
        defer!(g());
    }
}

fn main() {}
