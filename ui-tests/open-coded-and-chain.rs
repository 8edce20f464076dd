// `#[with_defer(open_coded, chain)]`: the two lowerings exclude each other.
// Pick one, or neither to let Go's rule choose.
use go_defer::{defer, with_defer};

fn cleanup() {}

#[with_defer(open_coded, chain)]
fn work() {
    defer!(cleanup());
}

fn main() {}
