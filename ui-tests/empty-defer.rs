// An empty `defer!()`: there is nothing to defer. Give it the call to run at
// exit, e.g. `defer!(file.close())`.
use go_defer::{defer, with_defer};

#[with_defer]
fn work() {
    defer!();
}

fn main() {}
