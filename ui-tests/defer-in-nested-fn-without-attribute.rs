// A `defer!` in a nested fn inside a `#[with_defer]` fn: the nested fn is a
// function of its own and the outer attribute does not rewrite it. Mark the
// nested fn `#[with_defer]` too.
use go_defer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn outer() {
    defer!(cleanup());

    fn inner() {
        defer!(cleanup());
    }

    inner();
}

fn main() {}
