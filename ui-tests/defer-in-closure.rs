// Mistake: a `defer!` inside a closure.
//
// Go idiom being translated, a func literal with its own defer:
//
//     func work() {
//         step := func() {
//             defer fmt.Println("step cleanup")
//             fmt.Println("step")
//         }
//         step()
//         fmt.Println("work")
//     }
//
// prints `step`, `step cleanup`, `work`: the literal is a function, and its
// defer runs when the literal returns.
//
// Rust: `#[with_defer]` rewrites the exits of `work`, not those of the
// closures inside it. Tied to `work`, the cleanup would run after `work`,
// not when `step` returns, so the attribute refuses the `defer!` and points
// at it.
//
// Fix: make the step a nested fn with its own attribute,
// `#[with_defer] fn step() { defer!(cleanup()); println!("step"); }`, and
// call it (from a closure if need be). It prints what Go prints.
use godefer::{defer, with_defer};

fn cleanup() {
    println!("step cleanup");
}

#[with_defer]
fn work() {
    let step = || {
        defer!(cleanup());
        println!("step");
    };
    step();
    println!("work");
}

fn main() {
    work();
}
