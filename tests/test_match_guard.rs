//! A `defer!` in a match guard. Rust runs the guard of an or-pattern once per
//! alternative that matches, until one passes, so the `defer!` in it can run
//! several times in one call: each run defers one call, as a loop's would,
//! and all of them run at exit, last in first out.

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::Cell;
use support::{say, trace};

macro_rules! suite {
    ($($strategy:ident)?) => {
        use super::*;

        // The guard fails the first time and passes the second.
        #[with_defer($($strategy)?)]
        fn classify(pair: (u32, u32)) -> &'static str {
            let runs = Cell::new(0);
            defer!(say("first defer"));
            match pair {
                (1, _) | (_, 1)
                    if {
                        runs.set(runs.get() + 1);
                        defer!(say(format!("guard run {}", runs.get())));
                        runs.get() == 2
                    } =>
                {
                    "one"
                }
                _ => "other",
            }
        }

        // A guard without alternatives runs at most once.
        #[with_defer($($strategy)?)]
        fn single(n: u32) -> &'static str {
            defer!(say("first defer"));
            match n {
                1 if {
                    defer!(say("guard ran"));
                    true
                } => "one",
                _ => "other",
            }
        }

        #[test]
        fn a_guard_that_runs_twice_defers_twice() {
            let lines = trace(|| assert_eq!(classify((1, 1)), "one"));
            assert_eq!(lines, ["guard run 2", "guard run 1", "first defer"]);
        }

        #[test]
        fn a_guard_that_runs_once_defers_once() {
            let lines = trace(|| assert_eq!(classify((1, 5)), "other"));
            assert_eq!(lines, ["guard run 1", "first defer"]);
            let lines = trace(|| assert_eq!(classify((7, 7)), "other"));
            assert_eq!(lines, ["first defer"]);
        }

        #[test]
        fn a_guard_without_alternatives_defers_once() {
            assert_eq!(trace(|| assert_eq!(single(1), "one")), ["guard ran", "first defer"]);
            assert_eq!(trace(|| assert_eq!(single(2), "other")), ["first defer"]);
        }
    };
}

// Forcing `open_coded` on a guard of an or-pattern is a compile error
// (ui-tests/open-coded-defer-in-or-pattern-guard.rs); the other lowerings:
mod chain {
    suite!(chain);
}

mod auto {
    suite!();
}

// Without alternatives the guard runs at most once, so it can be open-coded.
#[with_defer(open_coded)]
fn single_open(n: u32) -> &'static str {
    defer!(say("first defer"));
    match n {
        1 if {
            defer!(say("guard ran"));
            true
        } =>
        {
            "one"
        }
        _ => "other",
    }
}

#[test]
fn a_guard_without_alternatives_can_be_open_coded() {
    assert_eq!(
        trace(|| assert_eq!(single_open(1), "one")),
        ["guard ran", "first defer"]
    );
}
