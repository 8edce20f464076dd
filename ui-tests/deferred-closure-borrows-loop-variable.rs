// Mistake: a deferred closure that borrows the loop variable.
//
// Go, before 1.22 (one `i` shared by every iteration):
//
//     func countdown() {
//         for i := 0; i < 3; i++ {
//             defer func() { fmt.Print(i, " ") }()
//         }
//     }
//
// prints `3 3 3 `: the closures all read the same variable, and they read it
// when the function returns, after the loop has left it at 3. Nothing warns.
//
// Rust: here each iteration has its own `i`, which dies when the iteration
// ends, while the deferred closure runs when `countdown` returns. A closure
// without `move` captures `i` by reference, and that reference would outlive
// `i`: E0597, "`i` does not live long enough". Go's old cure, a
// per-iteration copy `i := i`, does not help in Rust: the copy is a local of
// the loop body and dies just as soon.
//
// Fix: let the closure own a copy, `defer!(move || print!("{i} "))`, or defer
// a call, `defer!(show(i))`, whose argument is evaluated at the `defer!`.
// Either prints `2 1 0 `, what Go 1.22 prints.
use godefer::{defer, with_defer};

#[with_defer]
fn countdown() {
    for i in 0..3 {
        defer!(|| print!("{} ", i));
    }
}

fn main() {
    countdown();
}
