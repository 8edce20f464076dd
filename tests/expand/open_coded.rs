// Two defers and two exits (the `?` and the tail): 2 x 2 <= 15, open-coded.
use godefer::{defer, with_defer};
use std::fs::File;
use std::io::{self, Read};

#[with_defer]
pub fn read_config(path: &str, verbose: bool) -> io::Result<String> {
    let mut file = File::open(path)?;
    defer!(println!("closed {path}"));
    if verbose {
        defer!(|| eprintln!("read {path}"));
    }
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok(text)
}
