// Mistake: deferring an async closure.
//
// Go (the nearest thing, deferring a call that starts background work):
//
//     func main() {
//         defer func() { go flush() }()
//         fmt.Println("main done")
//     }
//
// prints `main done`, and usually nothing from `flush`: the program exits
// before the new goroutine gets to run. Nothing warns.
//
// Rust: calling an async closure only creates a future. At exit nobody would
// poll it, so its body would never run; `defer!` refuses it.
//
// Fix: defer a synchronous call, `defer!(|| flush())` or `defer!(flush())`,
// which runs at exit. (In an `async fn` marked `#[with_defer]`, the deferred
// call runs when the future completes.)
use godefer::{defer, with_defer};

#[with_defer]
fn work() {
    defer!(async || println!("flushed"));
    println!("main done");
}

fn main() {
    work();
}
