// `#[with_defer]` on an item that is not a function: only a function body can
// hold `defer!`. Put the attribute on a fn.
use go_defer::with_defer;

#[with_defer]
struct Conn {
    open: bool,
}

fn main() {}
