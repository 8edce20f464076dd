// Mistake: `#[with_defer]` on a `const fn`.
//
// Go has no functions that run at compile time: `const answer = compute()`
// is refused ("is not constant"). A Go function that defers runs at run
// time:
//
//     func answer() int {
//         defer cleanup()
//         return 42
//     }
//
// returns 42 after `cleanup` has run.
//
// Rust: a `const fn` may be evaluated by the compiler, and const evaluation
// cannot run the closures and `Drop` that deferred calls need; the attribute
// refuses the `const` and points at it.
//
// Fix: remove `const` (the function then runs only at run time, like Go's),
// or keep the cleanup out of the const fn.
use godefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
const fn answer() -> u32 {
    defer!(cleanup());
    42
}

fn main() {
    answer();
}
