// Mistake: `#[with_defer]` on an item that is not a function (a struct).
//
// Go: `defer` is a statement, so it lives in a function body; a type has
// none. Cleanup for a connection is deferred in the function that uses it:
//
//     func (c *Conn) serve() {
//         defer c.close()
//         fmt.Println("serving")
//     }
//
// prints `serving`, then whatever `close` prints.
//
// Rust: only a function body can hold `defer!`; on a struct the attribute
// has nothing to rewrite, and it reports this at itself, the misplaced
// attribute.
//
// Fix: put the attribute on a fn, e.g. a method of `Conn` that defers its
// cleanup.
use godefer::with_defer;

#[with_defer]
struct Conn {
    open: bool,
}

fn main() {}
