// A defer inside a loop: records go to a loop stack, the function uses the chain.
use godefer::{defer, with_defer};

fn remove(part: &str) {
    println!("removed {part}");
}

#[with_defer]
pub fn copy(parts: &[&str], limit: usize) -> Result<usize, String> {
    defer!(println!("copy done"));
    for (i, part) in parts.iter().enumerate() {
        defer!(remove(part));
        if i == limit {
            return Err(format!("stopped at {part}"));
        }
    }
    let n: usize = parts.len().to_string().parse().map_err(|_| "bad count")?;
    Ok(n)
}
