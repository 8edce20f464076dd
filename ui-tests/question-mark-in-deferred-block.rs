// Mistake: `?` inside a `defer! { }` block.
//
// Go:
//
//     func save() error {
//         w := newWriter()
//         defer w.Flush()
//         w.Write("data")
//         return nil
//     }
//
// returns nil, and prints nothing, even when `Flush` fails: the error that
// the deferred call returns is silently dropped. (Returning it takes a named
// result that the deferred closure assigns.)
//
// Rust: the deferred block runs at exit, after the function's result is
// decided, so its `?` has nothing to return the error through; the attribute
// refuses it at the `?`.
//
// Fix: handle the error inside the block,
// `defer! { if let Err(e) = flush() { eprintln!("flush failed: {e}"); } }`,
// or flush before returning and use `?` there.
use godefer::{defer, with_defer};

fn flush() -> Result<(), String> {
    Err(String::from("disk full"))
}

#[with_defer]
fn save() -> Result<(), String> {
    defer! {
        flush()?;
    }
    Ok(())
}

fn main() {
    let _ = save();
}
