//! The two lowerings side by side; `docs/lowering.md` walks through their
//! `cargo expand` output (kept in `docs/lowering.expanded.rs`, checked by CI).
//!
//! Run it: `cargo run --example lowering`.

use godefer::{defer, with_defer};

fn release(what: &str) {
    println!("  release {what}");
}

/// Two defer sites and two exits: 2 x 2 <= 15 and no loop, so Go's rule
/// open-codes them.
#[with_defer]
fn open_coded(fail: bool) -> Result<u32, String> {
    let lock = "lock";
    defer!(release(lock));
    if fail {
        return Err("failed".to_string());
    }
    defer!(println!("  log: done"));
    Ok(7)
}

/// A defer inside a loop needs a record per iteration: the chain.
#[with_defer]
fn chain(parts: &[&str]) -> usize {
    let buffer = "buffer";
    defer!(release(buffer));
    for part in parts {
        #[allow(deprecated)] // accumulating is the point: see the `defer_in_loop` warning
        defer!(release(part));
    }
    parts.len()
}

pub fn main() {
    println!("open_coded(false):");
    println!("  -> {:?}", open_coded(false));
    println!("open_coded(true):");
    println!("  -> {:?}", open_coded(true));
    println!("chain([a, b]):");
    println!("  -> {}", chain(&["a", "b"]));
}
