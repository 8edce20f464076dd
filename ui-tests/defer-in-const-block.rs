// A `defer!` inside a `const { }` block: const evaluation cannot run deferred
// calls. Move the `defer!` out of the const block.
use go_defer::{defer, with_defer};

const fn cleanup() {}

#[with_defer]
fn work() -> u32 {
    const {
        defer!(cleanup());
        1
    }
}

fn main() {}
