// A result-form closure reads and replaces the function's result, as Go's
// deferred closures do with named results: the exits fill a result slot first.
use godefer::{defer, with_defer};

#[with_defer]
pub fn parse_port(text: &str) -> Result<u16, String> {
    defer!(|ret| {
        if let Some(Err(e)) = ret {
            *e = format!("parse_port({text:?}): {e}");
        }
    });
    let port: u16 = text.trim().parse().map_err(|e| format!("{e}"))?;
    Ok(port)
}
