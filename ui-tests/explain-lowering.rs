// Explain mode, like Go's `go build -gcflags=-d=defer`: each `defer!` of a
// function marked #[with_defer(explain)] gets a note saying which lowering the
// macro chose and why, in Go's words (open-coded, stack-allocated or
// heap-allocated defer). The notes are warnings; denied here to show them.
#![deny(deprecated)]

use godefer::{defer, with_defer};

fn note(what: &str) {
    println!("{what}");
}

fn note_step(i: u32) {
    println!("{i}");
}

#[with_defer(explain)]
fn single_return() {
    defer!(note("open-coded"));
}

#[with_defer(explain)]
fn within_limits(fail: bool) -> Result<(), String> {
    defer!(note("a"));
    defer!(note("b"));
    if fail {
        return Err("failed".into());
    }
    Ok(())
}

#[with_defer(explain)]
fn too_many(n: u32) -> u32 {
    defer!(note("1"));
    defer!(note("2"));
    defer!(note("3"));
    defer!(note("4"));
    if n == 0 {
        return 0;
    }
    if n == 1 {
        return 1;
    }
    if n == 2 {
        return 2;
    }
    n
}

#[with_defer(explain)]
#[allow(deprecated)] // the loop warning: accumulating is intended
fn in_a_loop(n: u32) {
    defer!(note("before"));
    for i in 0..n {
        #[deny(deprecated)]
        defer!(note_step(i));
    }
}

#[with_defer(explain)]
fn in_a_guard(pair: (u32, u32)) -> bool {
    match pair {
        (1, _) | (_, 1) if {
            defer!(note("guard"));
            pair.0 == pair.1
        } => true,
        _ => false,
    }
}

#[with_defer(chain, explain)]
fn forced() {
    defer!(note("forced"));
}

fn main() {
    single_return();
    let _ = within_limits(false);
    too_many(3);
    in_a_loop(2);
    in_a_guard((1, 1));
    forced();
}
