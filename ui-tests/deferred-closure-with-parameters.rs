// A deferred closure with parameters: at exit it is called with no arguments,
// so it cannot take any. Capture the value instead (`defer!(move || f(x))`) or
// defer the call itself (`defer!(f(x))`, which evaluates `x` now).
use go_defer::{defer, with_defer};

#[with_defer]
fn work() {
    defer!(|x: u32| println!("{x}"));
}

fn main() {}
