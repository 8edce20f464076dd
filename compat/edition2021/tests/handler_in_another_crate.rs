//! Go's `defer handlePanic()` with the handler in another crate: the offer
//! that lets the deferred function stop the panic does not depend on where
//! the handler was compiled.

use godefer::{defer, with_defer};
use godefer_edition2021::{handle_panic, take_seen, Guard};
use std::panic::catch_unwind;

#[with_defer]
fn work(fail: bool) -> u32 {
    defer!(handle_panic("work"));
    if fail {
        panic!("boom");
    }
    5
}

#[with_defer]
fn guarded(guard: &Guard) -> String {
    defer!(guard.on_panic());
    panic!("guarded");
}

#[with_defer]
fn after_a_let() {
    let name = "late";
    defer!(handle_panic(name));
    panic!("too late");
}

#[test]
fn a_handler_of_another_crate_stops_the_panic() {
    std::panic::set_hook(Box::new(|_| {}));
    assert_eq!((work(true), work(false)), (0, 5));
    assert_eq!(guarded(&Guard { name: "guard" }), "");
    assert_eq!(
        take_seen(),
        [
            "work: recovered boom",
            "work: nothing to recover",
            "guard: recovered guarded"
        ]
    );
    assert!(catch_unwind(after_a_let).is_err());
    assert_eq!(take_seen(), ["late: nothing to recover"]);
}
