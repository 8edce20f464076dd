// Mistake: a deferred closure that borrows a value the function then changes.
//
// Go:
//
//     func serve(reqs []string) {
//         count := 0
//         defer func() { fmt.Println("handled", count) }()
//         for range reqs {
//             count++
//         }
//     }
//
// `serve([]string{"a", "b", "c"})` prints `handled 3`: the closure reads
// `count` when it runs, so it sees every later change.
//
// Rust: the closure borrows `count` from the `defer!` until the function
// returns, and a borrowed variable cannot be assigned: E0506, "cannot assign
// to `count` because it is borrowed", at `count += 1`.
//
// Fix: to see the value at exit, as Go does, keep it in a `Cell`, which can
// change behind a shared borrow: `let count = Cell::new(0);`
// `defer!(|| println!("handled {}", count.get()));` and
// `count.set(count.get() + 1);` prints `handled 3`. To report the value at
// the `defer!`, defer a call: `defer!(report(count))` prints `handled 0`, as
// Go's `defer fmt.Println("handled", count)` does.
use godefer::{defer, with_defer};

#[with_defer]
fn serve(reqs: &[&str]) {
    let mut count = 0;
    defer!(|| println!("handled {}", count));
    for _ in reqs {
        count += 1;
    }
}

fn main() {
    serve(&["a", "b", "c"]);
}
