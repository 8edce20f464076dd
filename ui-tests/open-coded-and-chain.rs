// Mistake: `#[with_defer(open_coded, chain)]`.
//
// No Go analogue: the Go compiler alone picks open-coded defers or defer
// records for each function, and `go build -gcflags=-d=defer` only reports
// its choice. The Go program is just
//
//     func work() {
//         defer cleanup()
//     }
//
// Rust: the two arguments each force one lowering, and a function can only
// have one; the attribute points at the second.
//
// Fix: pick one, `#[with_defer(open_coded)]` or `#[with_defer(chain)]`, or
// write neither and let Go's rule choose. All three run `cleanup` at exit.
use godefer::{defer, with_defer};

fn cleanup() {}

#[with_defer(open_coded, chain)]
fn work() {
    defer!(cleanup());
}

fn main() {
    work();
}
