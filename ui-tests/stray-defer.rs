// Mistake: a `defer!` in a function without `#[with_defer]`.
//
// Go: every function may defer,
//
//     func work() {
//         defer cleanup()
//         fmt.Println("work")
//     }
//
// prints `work`, then runs `cleanup`.
//
// Rust: `defer!` is only a marker; the `#[with_defer]` attribute on the
// function is what turns it into a call at exit. Without it, `defer!`
// expands by itself into an error at the `defer!`.
//
// Fix: add `#[with_defer]` to the function.
use godefer::defer;

fn cleanup() {}

fn work() {
    defer!(cleanup());
    println!("work");
}

fn main() {
    work();
}
