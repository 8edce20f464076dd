// Mistake: a deferred closure that borrows the value the function returns.
//
// Go:
//
//     func open() string {
//         name := "conn"
//         defer func() { fmt.Println("closing", name) }()
//         return name
//     }
//
// prints `closing conn`, and the caller gets "conn": Go copies the result
// out before the deferred call runs, and the closure keeps reading `name`.
//
// Rust: the function's result is moved out of `name` first, then the
// deferred calls run, so the closure would read a moved-out `String`. The
// move is refused while the closure's borrow is alive: E0505, "cannot move
// out of `name` because it is borrowed".
//
// Fix: give the deferred code what it needs at the `defer!`: a call whose
// argument is evaluated now, `defer!(report(name.len()))`, or a clone owned
// by a `move` closure, `let shown = name.clone();`
// `defer!(move || println!("closing {shown}"));`.
use godefer::{defer, with_defer};

#[with_defer]
fn open() -> String {
    let name = String::from("conn");
    defer!(|| println!("closing {}", name));
    name
}

fn main() {
    open();
}
