// The fixes that the compile-fail cases suggest, compiled and run: each
// rejected `defer!` rewritten the way its header comment says.
// The loop fixes accumulate on purpose: no warning about defers in a loop.
#![allow(deprecated)]

use godefer::{defer, with_defer};

fn show(v: u32) {
    println!("{v}");
}

fn report(len: usize) {
    println!("closing a name of {len} bytes");
}

fn flush() -> Result<(), String> {
    Ok(())
}

// deferred-closure-borrows-loop-variable: capture by value, or defer a call.
#[with_defer]
fn loop_locals() {
    for i in 0..3 {
        let v = i;
        defer!(move || println!("{}", v));
        defer!(show(v));
    }
}

// deferred-closure-borrows-returned-value: defer a call whose argument is taken now.
#[with_defer]
fn moved_local() -> String {
    let name = String::from("conn");
    defer!(report(name.len()));
    name
}

// deferred-method-holds-mut-borrow: finish reading `v` before the `defer!`.
#[with_defer]
fn mut_borrow() -> usize {
    let mut v = Vec::new();
    let len = v.len();
    defer!(v.push(1));
    len
}

// question-mark-in-deferred-block: handle the error inside the block.
#[with_defer]
fn question_mark() -> Result<(), String> {
    defer! {
        if let Err(e) = flush() {
            eprintln!("flush failed: {e}");
        }
    }
    Ok(())
}

// defer-in-closure: the closure's work in a nested fn with its own attribute.
#[with_defer]
fn nested() {
    #[with_defer]
    fn step() {
        defer!(show(1));
    }
    let f = || step();
    f();
}

fn main() {
    loop_locals();
    assert_eq!(moved_local(), "conn");
    assert_eq!(mut_borrow(), 0);
    question_mark().unwrap();
    nested();
}
