// Mistake: forcing `#[with_defer(open_coded)]` on a function with a `defer!`
// in a loop.
//
// Go:
//
//     func work() {
//         for i := 0; i < 3; i++ {
//             defer release(i)
//         }
//     }
//
// runs `release(2)`, `release(1)`, `release(0)` at exit. The compiler quietly
// gives up open-coding here: `go build -gcflags=-d=defer` reports
// `heap-allocated defer`, one record per iteration.
//
// Rust: an open-coded defer is one slot per `defer!`, which cannot hold the
// three calls of the loop; `open_coded` asks for what cannot be, and the
// attribute refuses it at the `defer!`.
//
// Fix: remove `open_coded` (the chain lowering keeps one record per
// iteration, and Go's rule picks it for a loop), or move the loop body into
// a nested fn marked `#[with_defer]` (its defer then runs each iteration).
// Without `open_coded` it runs `release(2)`, `release(1)`, `release(0)`.
use godefer::{defer, with_defer};

fn release(i: u32) {
    println!("release({})", i);
}

#[with_defer(open_coded)]
fn work() {
    for i in 0..3 {
        defer!(release(i));
    }
}

fn main() {
    work();
}
