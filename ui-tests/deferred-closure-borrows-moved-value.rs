// Mistake: a deferred closure that borrows a value the function then gives
// away.
//
// Go:
//
//     func send(out chan<- []byte) {
//         buf := []byte("hello")
//         defer func() { fmt.Println("sent", len(buf), "bytes") }()
//         out <- buf
//     }
//
// prints `sent 5 bytes`. Nothing stops the deferred closure from reading
// `buf` while the receiving goroutine writes to it: they share one backing
// array, and only the race detector would notice.
//
// Rust: `tx.send(buf)` moves `buf` to the receiver while the deferred closure
// still borrows it to read it at exit: E0505, "cannot move out of `buf`
// because it is borrowed".
//
// Fix: take what the deferred code needs before the move. Defer a call whose
// argument is evaluated now, `defer!(report(buf.len()))`, or clone for the
// closure: `let sent = buf.clone();`
// `defer!(move || println!("sent {} bytes", sent.len()));`. Both print
// `sent 5 bytes`, and the receiver owns `buf` alone.
use godefer::{defer, with_defer};
use std::sync::mpsc::Sender;

#[with_defer]
fn send(tx: &Sender<Vec<u8>>) {
    let buf = b"hello".to_vec();
    defer!(|| println!("sent {} bytes", buf.len()));
    tx.send(buf).unwrap();
}

fn main() {
    let (tx, _rx) = std::sync::mpsc::channel();
    send(&tx);
}
