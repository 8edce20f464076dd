//! `#[cfg(..)]` on a `defer!`, or on a statement, arm or block around it: a
//! configured-out `defer!` is simply absent (its record is still declared, and
//! the lowering pins its type so that it needs no closure to infer it), e.g.
//! `#[cfg(debug_assertions)] defer!(log(..));` in a release build.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use support::{say, trace};

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn configured_out() -> u8 {
            defer!(say("kept"));
            #[cfg(any())]
            defer!(say("configured out"));
            #[cfg(all())]
            defer!(say("configured in"));
            say("body");
            1
        }

        #[test]
        fn configured_out_defer_is_absent() {
            assert_eq!(
                trace(|| assert_eq!(configured_out(), 1)),
                ["body", "configured in", "kept"]
            );
        }

        #[with_defer($($s)?)]
        fn only_defer_configured_out(early: bool) -> u8 {
            #[cfg(any())]
            defer!(say("configured out"));
            if early {
                return 0;
            }
            say("body");
            1
        }

        #[test]
        fn the_only_defer_configured_out() {
            assert_eq!(trace(|| assert_eq!(only_defer_configured_out(true), 0)), [] as [&str; 0]);
            assert_eq!(trace(|| assert_eq!(only_defer_configured_out(false), 1)), ["body"]);
        }
    };
}

for_each_lowering!(suite);

#[with_defer]
fn configured_out_in_loop() {
    for i in 0..2 {
        #[cfg(any())]
        defer!(say(format!("configured out {i}")));
        defer!(say(format!("kept {i}")));
    }
}

#[with_defer]
fn only_loop_defer_configured_out() {
    for i in 0..2 {
        #[cfg(any())]
        defer!(say(format!("configured out {i}")));
        say(format!("iteration {i}"));
    }
}

#[test]
fn configured_out_defer_in_a_loop() {
    assert_eq!(trace(configured_out_in_loop), ["kept 1", "kept 0"]);
    assert_eq!(
        trace(only_loop_defer_configured_out),
        ["iteration 0", "iteration 1"]
    );
}
