// `#[with_defer]` on a `const fn`: deferred calls run through closures and
// `Drop`, which const evaluation cannot run. Remove `const`, or keep the
// cleanup out of the const fn.
use go_defer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
const fn answer() -> u32 {
    defer!(cleanup());
    42
}

fn main() {}
