// Mistake: `#[with_defer]` on a trait method without a body.
//
// Go: an interface lists methods without bodies; each concrete type writes
// its own method, with its own defers:
//
//     type Closer interface{ Close() }
//     func (f *File) Close() {
//         defer fmt.Println("closed")
//         fmt.Println("flushing")
//     }
//
// prints `flushing`, `closed`.
//
// Rust: a bodiless trait method has no body to rewrite; the attribute
// reports this at itself, the misplaced attribute.
//
// Fix: put `#[with_defer]` on the method in each `impl`, or on a default
// body in the trait.
use godefer::with_defer;

trait Close {
    #[with_defer]
    fn close(&mut self);
}

fn main() {}
