// Mistake: forcing `#[with_defer(open_coded)]` on a function with a `defer!`
// in the guard of a match arm whose pattern has alternatives.
//
// Go has no match guards; the nearest Go is a `defer` in a condition that a
// loop may test more than once, which Go lowers to heap records.
//
// Rust: the guard of `(1, _) | (_, 1) if ..` runs once per alternative that
// matches, until one passes: for `(1, 1)` it can run twice, deferring two
// calls. An open-coded defer is one slot per `defer!`, which cannot hold both,
// so `open_coded` is refused at the `defer!`.
//
// Fix: remove `open_coded` (the chain lowering keeps one record per run of the
// guard, and Go's rule picks it here), or move the `defer!` out of the guard.
use godefer::{defer, with_defer};

fn note(what: &str) -> bool {
    println!("{what}");
    true
}

#[with_defer(open_coded)]
fn classify(pair: (u32, u32)) -> &'static str {
    match pair {
        (1, _) | (_, 1) if {
            defer!(note("guard"));
            pair.0 == pair.1
        } => "same",
        _ => "other",
    }
}

fn main() {
    println!("{}", classify((1, 1)));
}
