// A deferred async closure: at exit it would only create a future, which
// nobody would poll. Defer a synchronous call instead.
use go_defer::{defer, with_defer};

#[with_defer]
fn work() {
    defer!(async || println!("never runs"));
}

fn main() {}
