// Mistake: several misplaced `defer!`s in one function (here, one per
// closure). Every one is reported in the same build, at its own `defer!`.
//
// Go idiom being translated, per-step cleanup in func literals:
//
//     func work() {
//         openA := func() { defer fmt.Println("done a"); fmt.Println("open a") }
//         openB := func() { defer fmt.Println("done b"); fmt.Println("open b") }
//         openA()
//         openB()
//     }
//
// prints `open a`, `done a`, `open b`, `done b`: each literal's defer runs
// when that literal returns.
//
// Rust: `#[with_defer]` rewrites the exits of `work`, not of its closures,
// so each `defer!` inside a closure is refused (see `defer-in-closure`).
//
// Fix: one nested fn marked `#[with_defer]`, called per step:
// `#[with_defer] fn step(name: &str) { defer!(done(name)); println!("open {name}"); }`
// then `step("a"); step("b");`. It prints what Go prints.
use godefer::{defer, with_defer};

fn done(name: &str) {
    println!("done {}", name);
}

#[with_defer]
fn work() {
    let open_a = || {
        defer!(done("a"));
        println!("open a");
    };
    let open_b = || {
        defer!(done("b"));
        println!("open b");
    };
    open_a();
    open_b();
}

fn main() {
    work();
}
