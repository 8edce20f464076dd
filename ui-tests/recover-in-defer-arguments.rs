// Mistake: passing recover() as an argument of a deferred call.
//
// Go:
//
//     func report(r interface{}) { fmt.Println("recovered:", r) }
//     func work() {
//         defer report(recover())
//         panic("boom")
//     }
//
// prints `recovered: <nil>` and the panic goes on: the arguments of a
// deferred call are evaluated at the defer statement, when nothing panics.
//
// Rust: the macro rejects it, since it could only return None.
//
// Fix: call recover() inside the deferred closure: `defer!(|| report(recover()))`.
use godefer::{defer, recover, with_defer, Panic};

fn report(panic: Option<Panic>) {
    println!("recovered: {:?}", panic.map(|p| p.to_string()));
}

#[with_defer]
fn work() {
    defer!(report(recover()));
    panic!("boom");
}

fn main() {
    work();
}
