// Mistake: a deferred method call on a variable, `defer!(v.push(1))`, and
// then more use of the variable.
//
// Go:
//
//     type Stack struct{ items []int }
//     func (s *Stack) Push(x int) { s.items = append(s.items, x) }
//
//     func work() int {
//         var v Stack
//         defer v.Push(1)
//         return len(v.items)
//     }
//
// returns 0, and the push happens afterwards: Go takes `&v` at the `defer`
// and keeps using `v` meanwhile.
//
// Rust: a receiver that is a place (here the variable `v`) is used in place
// at exit, so the deferred call holds `&mut v` from the `defer!` until the
// function returns. Reading `v` meanwhile is refused: E0502, "cannot borrow
// `v` as immutable because it is also borrowed as mutable".
//
// Fix: finish with `v` before the `defer!` (`let len = v.len();` then
// `defer!(v.push(1));` then `len`), or let the value be shared: with
// `let v = RefCell::new(Vec::new());`, `defer!(|| v.borrow_mut().push(1))`
// only borrows `v` mutably when it runs at exit, and `v.borrow().len()`
// works meanwhile. Both return 0.
use godefer::{defer, with_defer};

#[with_defer]
fn work() -> usize {
    let mut v = Vec::new();
    defer!(v.push(1));
    v.len()
}

fn main() {
    work();
}
