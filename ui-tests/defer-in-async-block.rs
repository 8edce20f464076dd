// Mistake: a `defer!` inside an async block.
//
// Go idiom being translated, a goroutine with its own cleanup:
//
//     var wg sync.WaitGroup
//     wg.Add(1)
//     go func() {
//         defer wg.Done()
//         defer fmt.Println("cleanup")
//         fmt.Println("working")
//     }()
//     wg.Wait()
//
// prints `working`, then `cleanup` when the func literal returns: in Go the
// defer belongs to the function it is written in.
//
// Rust: an async block is a separate future; `work` returns it unpolled and
// it runs later, after `work` has exited. `#[with_defer]` rewrites `work`'s
// own exits only, so it cannot tie the call to the block's end, and says so
// at the `defer!`.
//
// Fix: give the block's work to an `async fn` marked `#[with_defer]`, whose
// deferred calls run when its future completes:
// `#[with_defer] async fn job() { defer!(cleanup()); println!("working"); }`,
// and return `job()` from `work`. Awaiting it prints `working`, `cleanup`.
use godefer::{defer, with_defer};

fn cleanup() {
    println!("cleanup");
}

#[with_defer]
fn work() -> impl std::future::Future<Output = ()> {
    async {
        defer!(cleanup());
        println!("working");
    }
}

fn main() {
    drop(work());
}
