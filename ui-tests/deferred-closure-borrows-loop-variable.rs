// A deferred closure that borrows a local of a loop body. In Go (before 1.22)
//
//     for i := 0; i < 3; i++ { defer func() { fmt.Println(i) }() }
//
// prints `3 3 3`: every closure shares the one loop variable. Here the local
// `v` dies at the end of each iteration while the closure runs at function
// exit, so Rust rejects the borrow (E0597). Capture by value with
// `defer!(move || println!("{}", v))`, or defer a call, `defer!(show(v))`,
// whose argument is evaluated at the `defer!`.
use go_defer::{defer, with_defer};

#[with_defer]
fn work() {
    for i in 0..3 {
        let v = i;
        defer!(|| println!("{}", v));
    }
}

fn main() {}
