// Mistake: a `defer!` inside a `const { }` block.
//
// Go has no code that runs at compile time: `const n = compute()` is
// refused ("is not constant"), so there is nowhere to put a `defer` that
// would run while compiling. In a Go function, the defer simply runs at exit:
//
//     func work() int {
//         defer cleanup()
//         return 1
//     }
//
// returns 1 after `cleanup` has run.
//
// Rust: a const block is evaluated by the compiler, and const evaluation
// cannot run the closures and `Drop` that deferred calls need; the attribute
// refuses the `defer!` inside it.
//
// Fix: move the `defer!` out of the const block and keep only constant work
// in it: `defer!(cleanup()); const { 1 }`, which returns 1 after `cleanup`.
use godefer::{defer, with_defer};

const fn cleanup() {}

#[with_defer]
fn work() -> u32 {
    const {
        defer!(cleanup());
        1
    }
}

fn main() {
    work();
}
