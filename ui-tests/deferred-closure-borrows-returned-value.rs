// A deferred closure that borrows a local which the function then moves out
// (here: returns). The closure runs after the move, so Rust rejects it
// (E0505). Defer a call on a copy taken now, e.g. `defer!(report(name.len()))`,
// or clone what the closure needs and capture the clone with `move`.
use go_defer::{defer, with_defer};

#[with_defer]
fn work() -> String {
    let name = String::from("conn");
    defer!(|| println!("closing {}", name));
    name
}

fn main() {}
