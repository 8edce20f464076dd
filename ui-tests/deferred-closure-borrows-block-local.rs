// Mistake: a deferred closure that borrows a local of an inner block.
//
// Go:
//
//     func load() {
//         {
//             f := open("a.txt")
//             defer func() { f.Close() }()
//             fmt.Println("reading", f.name)
//         }
//         fmt.Println("after the block")
//     }
//
// (with a `Close` that prints `closed` and the name) prints `reading a.txt`,
// `after the block`, then `closed a.txt`: a defer belongs to the function,
// not to the block, and the garbage collector keeps `f` alive for the
// closure.
//
// Rust: a `defer!` also runs when the function exits, not at the end of the
// block, but `f` is dropped at the end of the block. The closure borrows `f`,
// and that borrow would outlive it: E0597, "`f` does not live long enough".
//
// Fix: let the closure own the value, `defer!(move || f.close())`, which
// keeps `f` alive until the deferred call (read `f` before the `defer!`,
// since the closure now owns it); or declare `f` outside the block, at
// function level. If the cleanup should run at the end of the block, move
// the block into a function of its own marked `#[with_defer]`.
use godefer::{defer, with_defer};

struct File {
    name: String,
}

impl File {
    fn close(&self) {
        println!("closed {}", self.name);
    }
}

#[with_defer]
fn load() {
    {
        let f = File {
            name: String::from("a.txt"),
        };
        defer!(|| f.close());
        println!("reading {}", f.name);
    }
    println!("after the block");
}

fn main() {
    load();
}
