// Mistake: a `?` inside another macro's arguments in a function whose
// deferred closures read the result.
//
// Go has no macros; every return in Go sets the named results before the
// deferred calls run.
//
// Rust: #[with_defer] sees the `?` in `println!`, `format!`, `assert!`,
// `write!` and the like, but not inside other macros, so this `?` would
// return without handing the result to the `defer!(|ret| ..)` closure.
//
// Fix: take the `?` out of the macro: `let n = parse(text)?; log!(n);`.
use godefer::{defer, with_defer};

macro_rules! log {
    ($e:expr) => {
        println!("log: {}", $e)
    };
}

#[with_defer]
fn parse(text: &str) -> Result<u32, std::num::ParseIntError> {
    defer!(|ret| println!("returning {:?}", ret));
    log!(text.parse::<u32>()?);
    text.parse()
}

fn main() {
    let _ = parse("7");
}
