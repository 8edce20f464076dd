//! The tail expression's temporaries against the deferred calls. Edition 2024
//! drops a block's tail temporaries before its locals; edition 2021 dropped
//! them after, so a scope guard declared at the top of a 2021 function runs
//! while a `MutexGuard` taken in the tail is still held. `#[with_defer]` binds
//! the tail's value before the exit sequence, so on both editions the tail's
//! temporaries are gone when the deferred calls run, and the deferred calls
//! run before the function's locals drop.
//!
//! This file runs twice: in the facade's tests (edition 2024) and in
//! `compat/edition2021` (edition 2021), which names it as one of its tests.

#[macro_use]
mod support;

use godefer::{defer, recover, with_defer};
use std::sync::{Mutex, TryLockError};
use support::{say, trace};

/// Says when it is dropped.
struct Noisy(&'static str);

impl Noisy {
    fn len(&self) -> usize {
        say(format!("read {}", self.0));
        self.0.len()
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        say(format!("drop {}", self.0));
    }
}

/// Whether the deferred call could take the lock, said as it runs.
fn try_push(m: &Mutex<Vec<u32>>, v: u32) {
    let mut guard = match m.try_lock() {
        Ok(guard) => guard,
        // A panic while the lock was held poisons it; the lock itself is free.
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(TryLockError::WouldBlock) => return say("deferred found the lock held"),
    };
    guard.push(v);
    say(format!("deferred pushed {v}"));
}

macro_rules! suite {
    ($($strategy:ident)?) => {
        use super::*;

        // A `MutexGuard` temporary in the tail; the deferred call locks the
        // same mutex.
        #[with_defer($($strategy)?)]
        fn lock_in_tail(m: &Mutex<Vec<u32>>) -> usize {
            defer!(|| try_push(m, 7));
            m.lock().unwrap().len()
        }

        // A temporary with a noisy drop in the tail, a local, two defers.
        #[with_defer($($strategy)?)]
        fn noisy_tail() -> usize {
            let _local = Noisy("local");
            defer!(say("deferred 1"));
            defer!(say("deferred 2"));
            Noisy("tail temporary").len()
        }

        // The same through `return`, whose temporaries drop at the statement
        // on every edition.
        #[with_defer($($strategy)?)]
        fn noisy_return() -> usize {
            let _local = Noisy("local");
            defer!(say("deferred"));
            return Noisy("return temporary").len();
        }

        // A `{}`-bodied tail that ends in a temporary of its own.
        #[with_defer($($strategy)?)]
        fn block_tail(flag: bool) -> usize {
            defer!(say("deferred"));
            if flag {
                Noisy("then temporary").len()
            } else {
                Noisy("else temporary").len() + 1
            }
        }

        #[test]
        fn a_lock_taken_in_the_tail_is_released_before_the_deferred_call() {
            let m = Mutex::new(vec![1, 2]);
            let lines = trace(|| assert_eq!(lock_in_tail(&m), 2));
            assert_eq!(lines, ["deferred pushed 7"]);
            assert_eq!(*m.lock().unwrap(), [1, 2, 7]);
        }

        #[test]
        fn tail_temporaries_drop_before_the_deferred_calls_and_locals_after() {
            let lines = trace(|| assert_eq!(noisy_tail(), 14));
            assert_eq!(
                lines,
                [
                    "read tail temporary",
                    "drop tail temporary",
                    "deferred 2",
                    "deferred 1",
                    "drop local",
                ]
            );
        }

        #[test]
        fn return_temporaries_drop_before_the_deferred_calls() {
            let lines = trace(|| assert_eq!(noisy_return(), 16));
            assert_eq!(
                lines,
                ["read return temporary", "drop return temporary", "deferred", "drop local"]
            );
        }

        #[test]
        fn temporaries_in_a_branching_tail_drop_before_the_deferred_call() {
            let lines = trace(|| assert_eq!(block_tail(true), 14));
            assert_eq!(lines, ["read then temporary", "drop then temporary", "deferred"]);
            let lines = trace(|| assert_eq!(block_tail(false), 15));
            assert_eq!(lines, ["read else temporary", "drop else temporary", "deferred"]);
        }
    };
}

for_each_lowering!(suite);

// The result form sees the tail's value after its temporaries are gone.
#[with_defer]
fn result_form_lock_in_tail(m: &Mutex<Vec<u32>>) -> usize {
    defer!(|ret: &mut Option<usize>| {
        try_push(m, 8);
        if let Some(n) = ret.as_mut() {
            *n += 100;
        }
    });
    m.lock().unwrap().len()
}

#[test]
fn a_result_form_closure_runs_after_the_tail_lock_is_released() {
    let m = Mutex::new(vec![1]);
    let lines = trace(|| assert_eq!(result_form_lock_in_tail(&m), 101));
    assert_eq!(lines, ["deferred pushed 8"]);
    assert_eq!(*m.lock().unwrap(), [1, 8]);
}

// A recovering function: the tail holds the lock, then panics; the deferred
// call that recovers finds the lock released (the unwinding dropped it).
#[with_defer]
fn recover_after_tail_panic(m: &Mutex<Vec<u32>>, fail: bool) -> usize {
    defer!(|| {
        if recover().is_some() {
            say("recovered");
        }
        try_push(m, 9);
    });
    m.lock()
        .unwrap()
        .iter()
        .map(|v| if fail { panic!("tail") } else { *v as usize })
        .sum()
}

#[test]
fn a_recovering_deferred_call_runs_after_the_tail_lock_is_released() {
    let m = Mutex::new(vec![4]);
    let lines = trace(|| assert_eq!(recover_after_tail_panic(&m, false), 4));
    assert_eq!(lines, ["deferred pushed 9"]);
    let lines = trace(|| assert_eq!(recover_after_tail_panic(&m, true), 0));
    assert_eq!(lines, ["recovered", "deferred pushed 9"]);
    assert_eq!(*m.lock().unwrap_or_else(|p| p.into_inner()), [4, 9, 9]);
}
