// Mistake: a `return` inside another macro's arguments in a function whose
// deferred closures read a result that is neither a `Result` nor an `Option`.
//
// Go has no macros; every return in Go sets the named results before the
// deferred calls run.
//
// Rust: #[with_defer] sees the exits in `println!`, `format!`, `assert!`,
// `write!` and the like. Other macros run in a closure that catches their
// exits as a value when the function returns `Result` or `Option`; for any
// other result type they cannot be caught, so this `return` would leave
// without handing the result to the `defer!(|ret| ..)` closure.
//
// Fix: take the exit out of the macro: `if n < 0 { return 0; } log!(n);`.
use godefer::{defer, with_defer};

macro_rules! log {
    ($e:expr) => {
        println!("log: {}", $e)
    };
}

#[with_defer]
fn clamp(n: i64) -> i64 {
    defer!(|ret| println!("returning {:?}", ret));
    log!(if n < 0 { return 0 } else { n });
    n
}

fn main() {
    let _ = clamp(7);
}
