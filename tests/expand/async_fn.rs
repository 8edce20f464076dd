// An async fn: the records live in the future and run when it completes or is dropped.
use godefer::{defer, with_defer};

async fn step(n: u32) -> u32 {
    n + 1
}

#[with_defer]
async fn run(n: u32) -> u32 {
    defer!(println!("run {n} finished"));
    let m = step(n).await;
    m * 2
}
