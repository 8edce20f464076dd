// A `defer!` in a function that is not marked `#[with_defer]`: nothing
// rewrites it. Add `#[with_defer]` to the function.
use go_defer::defer;

fn cleanup() {}

fn work() {
    defer!(cleanup());
}

fn main() {}
