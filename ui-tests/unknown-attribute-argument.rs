// An unknown argument to `#[with_defer]`: the only arguments are `open_coded`
// and `chain`; with none, Go's rule chooses the lowering.
use go_defer::{defer, with_defer};

fn cleanup() {}

#[with_defer(fast)]
fn work() {
    defer!(cleanup());
}

fn main() {}
