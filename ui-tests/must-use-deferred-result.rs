// Warning (here denied, to show it): the error of a deferred call vanishes.
//
// Go:
//
//     f, _ := os.Create("out.txt")
//     defer f.Close()   // Close's error is silently dropped (go vet: errcheck)
//
// Rust: a deferred call whose value is `#[must_use]` (an `io::Result` from
// `flush`, `sync_all`, ...) gets rustc's own `unused_must_use` warning, at
// the `defer!` line.
//
// Fix: handle it in the deferred code, `defer!(|| if let Err(e) =
// out.sync_all() { eprintln!("{e}") })`; use the result form to return it;
// or say that it is ignored, `#[allow(unused_must_use)] defer!(out.sync_all());`
#![deny(unused_must_use)]

use godefer::{defer, with_defer};
use std::fs::File;

#[with_defer]
fn write(path: &str) -> std::io::Result<()> {
    let out = File::create(path)?;
    defer!(out.sync_all());
    Ok(())
}

fn main() {
    let _ = write("/dev/null");
}
