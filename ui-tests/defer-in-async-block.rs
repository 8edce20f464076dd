// A `defer!` inside an async block: the block is a separate future that may
// run after the function has returned. Put the `defer!` in the function body,
// or make the block's work an `async fn` marked `#[with_defer]`.
use go_defer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn work() -> impl std::future::Future<Output = ()> {
    async {
        defer!(cleanup());
    }
}

fn main() {}
