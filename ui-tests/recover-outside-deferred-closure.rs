// Mistake: calling recover() in the function body.
//
// Go:
//
//     func work() {
//         if r := recover(); r != nil { fmt.Println("never") }
//         panic("boom")
//     }
//
// Go compiles it, and recover() returns nil: nothing is panicking while the
// body runs, so the panic crashes the program.
//
// Rust: a recover() that can never stop a panic is a compile error.
//
// Fix: call it in a deferred closure, which runs while the panic unwinds:
// `defer!(|| if let Some(p) = recover() { println!("recovered {p}") });`
use godefer::{defer, recover, with_defer};

#[with_defer]
fn work() {
    defer!(println!("done"));
    if let Some(p) = recover() {
        println!("never {p}");
    }
    panic!("boom");
}

fn main() {
    work();
}
