// A `defer!` in the arguments of a macro other than the standard expression
// macros: `#[with_defer]` cannot see through it. Write the `defer!` as its own
// statement in the function body.
use go_defer::{defer, with_defer};

macro_rules! wrap {
    ($($t:tt)*) => { $($t)* };
}

fn x() {}

#[with_defer]
fn work() {
    wrap!(defer!(x()));
}

fn main() {}
