// The warnings of `must-use-deferred-result.rs` and `defer-in-loop-warning.rs`,
// silenced where the code says it means it; everything else denies warnings.
#![deny(warnings)]

use godefer::{defer, with_defer};
use std::fs::File;

#[with_defer]
fn write(path: &str) -> std::io::Result<()> {
    let out = File::create(path)?;
    #[allow(unused_must_use)] // a failed sync is acceptable here
    defer!(out.sync_all());
    Ok(())
}

fn close(name: &str) {
    println!("close {name}");
}

#[with_defer]
fn open_all(names: &[&str]) {
    for name in names {
        #[allow(deprecated)] // every name is to stay open until open_all returns
        defer!(close(name));
    }
}

fn main() {
    write("/dev/null").unwrap();
    open_all(&["a", "b"]);
}
