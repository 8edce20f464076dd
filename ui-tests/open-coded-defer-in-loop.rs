// `#[with_defer(open_coded)]` on a function with a `defer!` in a loop: the
// `defer!` can run any number of times, and one slot per site cannot hold
// them. Remove `open_coded` (the chain lowering handles loops), or move the
// loop body into a nested fn marked `#[with_defer]`.
use go_defer::{defer, with_defer};

fn close(_: u32) {}

#[with_defer(open_coded)]
fn work() {
    for i in 0..3 {
        defer!(close(i));
    }
}

fn main() {}
