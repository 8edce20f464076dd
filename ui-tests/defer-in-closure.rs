// A `defer!` inside a closure: the closure has no exit of its own that
// `#[with_defer]` could tie the deferred call to. Put the `defer!` in the
// function body, or give the closure's work to a nested `#[with_defer]` fn.
use go_defer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn work() {
    let f = || {
        defer!(cleanup());
    };
    f();
}

fn main() {}
