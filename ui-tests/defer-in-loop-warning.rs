// Warning (here denied, to show it): a defer inside a loop.
//
// Go:
//
//     for _, name := range names {
//         f, _ := os.Open(name)
//         defer f.Close()      // every file stays open until the function returns (Go linters flag it)
//     }
//
// Rust: the same code keeps every record (and every file) until the
// function returns; #[with_defer] warns at the `defer!`.
//
// Fix: give each iteration its own function, so its defer runs when the
// iteration ends: `for name in names { process(name)?; }` with
// `#[with_defer] fn process(..) { .. defer!(..) .. }`; or, if accumulating
// is what you want, `#[allow(deprecated)]` on the `defer!` (stable Rust lets
// a macro warn only through a deprecated item).
#![deny(deprecated)]

use godefer::{defer, with_defer};

fn close(name: &str) {
    println!("close {name}");
}

#[with_defer]
fn open_all(names: &[&str]) {
    for name in names {
        defer!(close(name));
    }
}

fn main() {
    open_all(&["a", "b"]);
}
