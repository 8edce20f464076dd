// Mistake: a `break` inside the arguments of a macro that #[with_defer] must
// run in a closure.
//
// Go has no macros.
//
// Rust: in a function with result-form closures or `recover()` that returns
// `Result` or `Option`, a call of a macro that may hide a `return` or `?` in
// its definition (as `anyhow::bail!` does) runs in a closure, so that such an
// exit comes back as a value and reaches the deferred closures. A `break` or
// `continue` cannot leave a closure, so the call cannot be wrapped.
//
// Fix: keep the loop control outside the macro:
// `if n % 2 == 0 { found = Some(n); break; }`, or compute a flag with the macro.
use godefer::{defer, with_defer};

macro_rules! when {
    ($cond:expr, $then:expr) => {
        if $cond {
            $then
        }
    };
}

#[with_defer]
fn first_even(items: &[i64]) -> Result<i64, String> {
    defer!(|ret| println!("returning {:?}", ret));
    let mut found = None;
    for &n in items {
        when!(n % 2 == 0, {
            found = Some(n);
            break;
        });
    }
    found.ok_or_else(|| "none".to_string())
}

fn main() {
    let _ = first_even(&[1, 2]);
}
