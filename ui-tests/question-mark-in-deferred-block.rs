// `?` inside a `defer! { }` block: the block runs at exit, after the function
// has chosen its return value, so it cannot return an error through `?`.
// Handle the error inside the block (`if let Err(e) = .. { .. }`), or check it
// before the `defer!`.
use go_defer::{defer, with_defer};

fn flush() -> Result<(), String> {
    Ok(())
}

#[with_defer]
fn work() -> Result<(), String> {
    defer! {
        flush()?;
    }
    Ok(())
}

fn main() {}
