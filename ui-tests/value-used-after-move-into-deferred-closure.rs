// Mistake: a `move` deferred closure takes a value the function still uses.
//
// Go:
//
//     func run() {
//         lines := []string{"start"}
//         defer func() { fmt.Println(lines) }()
//         lines = append(lines, "end")
//     }
//
// prints `[start end]`: the closure shares `lines` with the function and
// sees the later append.
//
// Rust: `move` hands `lines` to the closure at the `defer!`, so the function
// no longer has it: E0382, "borrow of moved value: `lines`", at the `push`.
//
// Fix: to see the final value, as Go does, do not move; share it through a
// `RefCell`: `let lines = RefCell::new(vec!["start"]);`
// `defer!(|| println!("{:?}", lines.borrow()));` and
// `lines.borrow_mut().push("end");` prints `["start", "end"]`. To keep the
// value as it is at the `defer!`, move a clone:
// `let snapshot = lines.clone(); defer!(move || println!("{snapshot:?}"));`
// prints `["start"]`.
use godefer::{defer, with_defer};

#[with_defer]
fn run() {
    let mut lines = vec!["start"];
    defer!(move || println!("{:?}", lines));
    lines.push("end");
}

fn main() {
    run();
}
