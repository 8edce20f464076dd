// Mistake: a result-form closure without a type in a function that returns
// `impl Trait`.
//
// Go has no `impl Trait`; its named results always have a written type.
//
// Rust: the result form's parameter is `&mut Option<R>`, and `impl Trait`
// hides `R` from the macro, so the closure's parameter type cannot be written
// for you.
//
// Fix: annotate the parameter with the concrete type the function returns:
// `defer!(|ret: &mut Option<std::ops::Range<u32>>| ..)`.
use godefer::{defer, with_defer};

#[with_defer]
fn numbers(n: u32) -> impl Iterator<Item = u32> {
    defer!(|ret| {
        if let Some(range) = ret {
            range.end += 1;
        }
    });
    0..n
}

fn main() {
    println!("{:?}", numbers(3).collect::<Vec<_>>());
}
