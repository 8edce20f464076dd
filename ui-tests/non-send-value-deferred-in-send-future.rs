// Mistake: a deferred call holds a non-`Send` value (`Rc`) in an `async fn`
// whose future must be `Send`, as a multi-threaded executor's spawn demands.
//
// Go idiom being translated, a goroutine with its own cleanup:
//
//     go func(id int) {
//         name := fmt.Sprint("conn ", id)
//         defer fmt.Println("closed", name)
//         tick()
//     }(1)
//
// prints `closed conn 1` when the goroutine ends. Go lets a goroutine hold
// any value and run on any thread; whether two goroutines share it safely is
// for the race detector to find, at run time.
//
// Rust: the deferred closure owns the `Rc` until the future completes, so the
// `Rc` is held across `tick().await`, where the future may move to another
// thread. `Rc` is not `Send`, so neither is the future, and the `Send`
// bound of `require_send` refuses it: "future cannot be sent between threads
// safely" (an unmet trait bound; rustc gives this form no error code), with
// a note at the `.await`.
//
// Fix: use a thread-safe value: `Arc<str>` instead of `Rc<str>` (or a plain
// `String` when nothing else shares it). The future is then `Send`, and it
// prints `closed conn 1` when it completes.
use godefer::{defer, with_defer};
use std::rc::Rc;

async fn tick() {}

fn require_send<F: Send>(_: F) {}

#[with_defer]
async fn serve(id: u32) {
    let name: Rc<str> = Rc::from(format!("conn {}", id));
    defer!(move || println!("closed {}", name));
    tick().await;
}

fn main() {
    require_send(serve(1));
}
