// Mistake: a `defer!` in the arguments of a macro other than the standard
// expression macros (`println!`, `vec!`, ...).
//
// Go has no macros: a `defer` is always a statement the compiler sees, such
// as
//
//     func work() {
//         defer cleanup()
//         fmt.Println("work")
//     }
//
// which prints `work`, then whatever `cleanup` prints.
//
// Rust: `#[with_defer]` rewrites the body before `wrap!` expands, and cannot
// know what `wrap!` does with its tokens, so it refuses the `defer!` inside
// them and points at it.
//
// Fix: write the `defer!` as its own statement, `defer!(cleanup());`, and
// give the macro the rest.
use godefer::{defer, with_defer};

macro_rules! wrap {
    ($($t:tt)*) => { $($t)* };
}

fn cleanup() {}

#[with_defer]
fn work() {
    wrap!(defer!(cleanup()));
    println!("work");
}

fn main() {
    work();
}
