// Go's `defer handlePanic()`: a fn whose body calls recover() is a handler
// (it takes the frame offered to it at its first statement), and a call-form
// defer! written before the caller's first `let` gets a catch after it, so
// that the handler can stop the caller's panic.
use godefer::{defer, recover, with_defer};

#[with_defer]
pub fn handle_panic(name: &str) {
    if let Some(panic) = recover() {
        println!("{name}: recovered {panic}");
    }
}

#[with_defer]
pub fn parse_port(text: &str) -> u16 {
    defer!(handle_panic("parse_port"));
    defer!(println!("parse_port done"));
    let port: u16 = text.parse().expect("a port number");
    port
}
