// A deferred method call on a place, `defer!(v.push(1))`: the receiver is used
// in place at exit, so `v` stays mutably borrowed until the function returns,
// and reading `v` later is rejected (E0502). Finish using `v` before the
// `defer!`, or defer a call that takes ownership of what it needs.
use go_defer::{defer, with_defer};

#[with_defer]
fn work() -> usize {
    let mut v = Vec::new();
    defer!(v.push(1));
    v.len()
}

fn main() {}
