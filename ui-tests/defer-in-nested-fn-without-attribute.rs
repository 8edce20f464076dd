// Mistake: a `defer!` in a nested fn that lacks its own `#[with_defer]`.
//
// Go (a func literal stands in for the nested fn):
//
//     func outer() {
//         defer fmt.Println("outer cleanup")
//         inner := func() { defer fmt.Println("inner cleanup") }
//         inner()
//     }
//
// prints `inner cleanup`, `outer cleanup`: every Go function has defers of
// its own.
//
// Rust: a nested `fn` is an item of its own; the attribute on `outer` leaves
// it alone, so its `defer!` expands by itself, which is an error at the
// `defer!`.
//
// Fix: mark the nested fn too: `#[with_defer] fn inner() { .. }`. It prints
// what Go prints.
use godefer::{defer, with_defer};

fn say(line: &str) {
    println!("{}", line);
}

#[with_defer]
fn outer() {
    defer!(say("outer cleanup"));

    fn inner() {
        defer!(say("inner cleanup"));
    }

    inner();
}

fn main() {
    outer();
}
