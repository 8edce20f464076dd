// Mistake: calling recover() in a closure inside the deferred closure.
//
// Go:
//
//     defer func() {
//         grab := func() interface{} { return recover() }
//         fmt.Println("recovered:", grab())
//     }()
//     panic("boom")
//
// prints `recovered: <nil>` and the panic goes on: recover works only when
// called directly by the deferred function.
//
// Rust: such a recover() could never stop a panic, so it does not compile.
//
// Fix: call recover() directly in the deferred closure and pass the result:
// `defer!(|| { let p = recover(); report(p) })`.
use godefer::{defer, recover, with_defer};

#[with_defer]
fn work() {
    defer!(|| {
        let grab = || recover();
        println!("recovered: {:?}", grab().map(|p| p.to_string()));
    });
    panic!("boom");
}

fn main() {
    work();
}
