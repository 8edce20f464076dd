// Mistake: a deferred closure with parameters.
//
// Go:
//
//     func work(n int) {
//         defer func(v int) { fmt.Println("deferred with", v) }(n)
//         n++
//         fmt.Println("working on", n)
//     }
//
// `work(1)` prints `working on 2`, then `deferred with 1`: the literal's
// argument list `(n)` is evaluated at the `defer`.
//
// Rust: a deferred closure with a parameter is the result form, which
// receives the function's result as `&mut Option<R>` (here `&mut
// Option<()>`), never a `u32` of yours; the macro says so at the type.
//
// Fix: call the closure in the `defer!`, `defer!((|v: u32| ..)(n))`: the call
// form evaluates `n` at the `defer!`, like Go's `(n)`; or defer a named
// function, `defer!(show(n))`; or let a `move` closure capture a copy,
// `defer!(move || show(n))`. All print `deferred with 1` last.
use godefer::{defer, with_defer};

#[with_defer]
fn work(mut n: u32) {
    defer!(|v: u32| println!("deferred with {}", v));
    n += 1;
    println!("working on {}", n);
}

fn main() {
    work(1);
}
