//! A Go-style trace of deferred calls: `cargo run --example trace`.
//!
//! `copy` registers its cleanups as it acquires things, the way a Go function
//! would; each run prints the order in which they happen.

use godefer::{defer, with_defer};
use std::panic;

/// Go's `defer trace("name")()` idiom: "enter" prints at the defer statement,
/// the returned closure prints "leave" when the function returns.
fn trace(name: &str) -> impl FnOnce() + '_ {
    println!("enter {name}");
    move || println!("leave {name}")
}

fn close(name: &str) {
    println!("  close {name}");
}

fn remove_temp(part: usize) {
    println!("  remove temp file {part}");
}

fn check(parts: &[&str]) -> Result<usize, String> {
    match parts.iter().position(|p| p.is_empty()) {
        Some(i) => Err(format!("part {i} is empty")),
        None => Ok(parts.len()),
    }
}

#[with_defer]
fn copy(src: &str, dst: &str, parts: &[&str]) -> Result<usize, String> {
    defer!(trace("copy")());
    println!("  open {src}");
    defer!(println!("  close {src}"));
    if dst.is_empty() {
        return Err("no destination".to_string());
    }
    println!("  create {dst}");
    defer!(close(dst));
    for (i, part) in parts.iter().enumerate() {
        if part.len() > 3 {
            panic!("part {i} is too long");
        }
        println!("  write part {i} ({part})");
        #[allow(deprecated)] // every temp file is to live until copy returns
        defer!(remove_temp(i));
    }
    let n = check(parts)?;
    println!("  copied {n} parts");
    Ok(n)
}

pub fn main() {
    println!("-- every part written:");
    println!("=> {:?}", copy("a.txt", "b.txt", &["x", "y"]));
    println!("-- early return before the second defer:");
    println!("=> {:?}", copy("a.txt", "", &["x"]));
    println!("-- `?` returns after two loop iterations:");
    println!("=> {:?}", copy("a.txt", "b.txt", &["x", ""]));
    println!("-- a panic unwinds through copy:");
    panic::set_hook(Box::new(|info| {
        println!("  panic: {}", message(info.payload()))
    }));
    let caught = panic::catch_unwind(|| copy("a.txt", "b.txt", &["x", "long"]));
    println!("=> caught a panic: {}", caught.is_err());
}

// The panic's message, whether it was a literal or formatted (what
// `PanicHookInfo::payload_as_str` does, which is newer than the MSRV).
fn message(payload: &(dyn std::any::Any + Send)) -> &str {
    match payload.downcast_ref::<&str>() {
        Some(text) => text,
        None => payload.downcast_ref::<String>().map_or("?", String::as_str),
    }
}
