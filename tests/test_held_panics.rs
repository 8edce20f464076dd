//! What a thread holds for panics in flight stays bounded: a `catch_unwind`
//! loop around a function whose deferred call panics while its body panics
//! holds at most the last unwinding's panics at top level (kept there for a
//! handler's catch, which keeps no scope), and at most one unwinding's panics inside a
//! function that can recover, inside a deferred call run while a panic
//! unwinds, and in an `async fn`; the panics raised again with
//! `resume_unwind` (which the panic hook does not see) are bounded too; and
//! everything is released when the catch that held it ends.

use godefer::__private::held_panics;
use godefer::{defer, recover, with_defer};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Once;
use std::task::{Context, Poll, Waker};

/// Iterations of each loop.
const ROUNDS: usize = 20_000;

/// The most a catch may hold when the runtime's hook cannot tell unwindings
/// apart (the runtime's own bound, plus the unwinding in flight).
const HOOKLESS_BOUND: usize = 1024 + 2;

/// The loops panic 40 000 times each: a silent hook, set before the runtime's
/// (which wraps it, so that it still numbers the panics). The runtime's is
/// installed right after, by a function with a catch, so that every test
/// runs under it whatever the order the tests start in.
fn quiet() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|_| {}));
        inside_a_catch(|| {});
    });
}

#[with_defer]
fn panics_twice() {
    defer!(panic!("deferred"));
    panic!("body");
}

#[with_defer]
fn resumes_then_panics() {
    defer!(panic!("deferred"));
    resume_unwind(Box::new("body"))
}

/// Runs `f` `ROUNDS` times under `catch_unwind`: the most the thread held
/// after a round.
fn most_held(f: fn()) -> usize {
    (0..ROUNDS)
        .map(|_| {
            let _ = catch_unwind(f);
            held_panics()
        })
        .max()
        .unwrap_or(0)
}

#[with_defer]
fn inside_a_catch(f: fn()) -> usize {
    defer!(|| {
        let _ = recover();
    });
    most_held(f)
}

#[with_defer]
fn inside_a_deferred_call(f: fn(), most: &Cell<usize>) {
    defer!(|| most.set(most_held(f)));
    panic!("outer");
}

#[with_defer]
async fn inside_an_async_fn(f: fn()) -> usize {
    defer!(|| {
        let _ = recover();
    });
    most_held(f)
}

/// A catch of a handler (`defer!(handle(..))` at the top of a function)
/// keeps no scope, so the panics that travel beside an unwinding with no
/// scope around it wait at top level for it; each new unwinding replaces
/// them, and a scope entered while nothing unwinds drops them.
#[test]
fn at_top_level_only_the_last_unwinding_is_held() {
    quiet();
    assert_eq!(most_held(panics_twice), 1);
    assert!(most_held(resumes_then_panics) <= HOOKLESS_BOUND);
    assert_eq!(inside_a_catch(|| {}), 0);
    assert_eq!(held_panics(), 0);
}

#[test]
fn a_catch_holds_at_most_the_unwinding_in_flight() {
    quiet();
    assert!(inside_a_catch(panics_twice) <= 2);
    assert_eq!(held_panics(), 0);
    let most = Cell::new(usize::MAX);
    assert!(
        catch_unwind(AssertUnwindSafe(|| inside_a_deferred_call(
            panics_twice,
            &most
        )))
        .is_err()
    );
    assert!(most.get() <= 2, "{}", most.get());
    assert_eq!(held_panics(), 0);
    let mut future = std::pin::pin!(inside_an_async_fn(panics_twice));
    let Poll::Ready(most) =
        std::future::Future::poll(future.as_mut(), &mut Context::from_waker(Waker::noop()))
    else {
        panic!("the async fn does not wait");
    };
    assert!(most <= 2, "{most}");
    assert_eq!(held_panics(), 0);
}

#[test]
fn panics_the_hook_does_not_see_are_bounded_too() {
    quiet();
    let most = inside_a_catch(resumes_then_panics);
    assert!(most <= HOOKLESS_BOUND, "{most}");
    assert_eq!(held_panics(), 0);
}
