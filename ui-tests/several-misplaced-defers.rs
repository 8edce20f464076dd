// Two misplaced `defer!`s in one function: each is reported, in one
// expansion. Move each `defer!` out of its closure.
use go_defer::{defer, with_defer};

fn a() {}
fn b() {}

#[with_defer]
fn work() {
    let first = || {
        defer!(a());
    };
    let second = || {
        defer!(b());
    };
    first();
    second();
}

fn main() {}
