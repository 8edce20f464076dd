//! A tail expression or return value that diverges (`panic!()`,
//! `unreachable!()`, a call to a `-> !` fn) lowers without warnings from rustc
//! or clippy (CI runs clippy with `-D warnings` over this file), and the
//! deferred calls still run while the panic unwinds.

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::panic::catch_unwind;
use support::{say, trace};

fn fail(msg: &str) -> ! {
    panic!("{msg}")
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn tail_panics(n: i32) -> i32 {
            defer!(say("deferred"));
            if n > 0 {
                return n;
            }
            panic!("tail panic")
        }

        #[with_defer($($s)?)]
        fn tail_calls_never(n: i32) -> i32 {
            defer!(say("deferred"));
            if n > 0 {
                return n;
            }
            fail("never returns")
        }

        #[test]
        fn diverging_tails_run_the_deferred_calls() {
            assert_eq!(trace(|| assert_eq!(tail_panics(1), 1)), ["deferred"]);
            assert_eq!(trace(|| assert!(catch_unwind(|| tail_panics(0)).is_err())), ["deferred"]);
            assert_eq!(trace(|| assert_eq!(tail_calls_never(2), 2)), ["deferred"]);
            assert_eq!(
                trace(|| assert!(catch_unwind(|| tail_calls_never(0)).is_err())),
                ["deferred"]
            );
        }
    };
}

for_each_lowering!(suite);
