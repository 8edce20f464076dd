//! Function scope: a deferred call runs when the annotated function exits,
//! never at the end of the block that holds the `defer!`. Defers in if/match
//! arms run only if the arm ran; defers in loops accumulate, one per
//! iteration, and all run at function exit.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::Cell;
use support::{say, trace};

/// Functions without loops, under one lowering (`open_coded`, `chain`, or
/// nothing for Go's rule).
macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn inner_block() {
            say("start");
            {
                defer!(say("deferred in block"));
                say("end of block");
            }
            say("after block");
        }

        #[test]
        fn defer_in_inner_block_runs_at_function_exit() {
            assert_eq!(
                trace(inner_block),
                ["start", "end of block", "after block", "deferred in block"]
            );
        }

        #[with_defer($($s)?)]
        fn nested_blocks() -> i32 {
            let x = {
                let y = {
                    defer!(say("innermost"));
                    say("in innermost block");
                    2
                };
                defer!(say("middle"));
                say("in middle block");
                y * 10
            };
            say("after blocks");
            x + 1
        }

        #[test]
        fn defers_in_value_blocks_wait_for_the_function() {
            let mut result = 0;
            let lines = trace(|| result = nested_blocks());
            assert_eq!(result, 21);
            assert_eq!(
                lines,
                [
                    "in innermost block",
                    "in middle block",
                    "after blocks",
                    "middle",
                    "innermost"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn if_else(c: bool) {
            if c {
                defer!(say("then arm"));
                say("in then");
            } else {
                defer!(say("else arm"));
                say("in else");
            }
            say("after if");
        }

        #[test]
        fn only_the_arm_that_ran_defers() {
            assert_eq!(trace(|| if_else(true)), ["in then", "after if", "then arm"]);
            assert_eq!(trace(|| if_else(false)), ["in else", "after if", "else arm"]);
        }

        #[with_defer($($s)?)]
        fn if_without_else(c: bool) -> &'static str {
            defer!(say("always"));
            if c {
                defer!(say("only if c"));
            }
            say("body");
            "done"
        }

        #[test]
        fn if_without_else_defers_only_when_taken() {
            assert_eq!(trace(|| assert_eq!(if_without_else(true), "done")), ["body", "only if c", "always"]);
            assert_eq!(trace(|| assert_eq!(if_without_else(false), "done")), ["body", "always"]);
        }

        #[with_defer($($s)?)]
        fn matching(n: u8) -> u8 {
            let doubled = match n {
                0 => {
                    defer!(say("zero"));
                    0
                }
                1 | 2 => {
                    defer!(say("small"));
                    n * 2
                }
                _ if n % 2 == 0 => {
                    defer!(say("big even"));
                    n * 2
                }
                _ => n * 2,
            };
            say(format!("matched {n}"));
            doubled
        }

        #[test]
        fn match_arms_defer_only_when_they_ran() {
            assert_eq!(trace(|| assert_eq!(matching(0), 0)), ["matched 0", "zero"]);
            assert_eq!(trace(|| assert_eq!(matching(2), 4)), ["matched 2", "small"]);
            assert_eq!(trace(|| assert_eq!(matching(8), 16)), ["matched 8", "big even"]);
            assert_eq!(trace(|| assert_eq!(matching(9), 18)), ["matched 9"]);
        }

        #[with_defer($($s)?)]
        fn nested_conditions(a: bool, b: bool) {
            if a {
                defer!(say("a"));
                if b {
                    defer!(say("a and b"));
                } else {
                    defer!(say("a not b"));
                }
            }
            say("body");
        }

        #[test]
        fn nested_conditions_defer_per_path() {
            assert_eq!(trace(|| nested_conditions(true, true)), ["body", "a and b", "a"]);
            assert_eq!(trace(|| nested_conditions(true, false)), ["body", "a not b", "a"]);
            assert_eq!(trace(|| nested_conditions(false, true)), ["body"]);
        }

        #[with_defer($($s)?)]
        fn if_let_and_let_else(v: Option<u8>) -> u8 {
            if let Some(x) = v {
                defer!(say(format!("had {x}")));
            }
            let Some(x) = v else {
                defer!(say("none branch"));
                say("returning early");
                return 0;
            };
            say("after let-else");
            x
        }

        #[test]
        fn if_let_and_let_else_branches() {
            assert_eq!(
                trace(|| assert_eq!(if_let_and_let_else(Some(4)), 4)),
                ["after let-else", "had 4"]
            );
            assert_eq!(
                trace(|| assert_eq!(if_let_and_let_else(None), 0)),
                ["returning early", "none branch"]
            );
        }

        #[with_defer($($s)?)]
        fn sees_state_at_exit(cell: &Cell<i32>) {
            {
                defer!(say(format!("call-form arg {}", cell.get())));
                defer!(|| say(format!("closure sees {}", cell.get())));
                cell.set(2);
            }
            cell.set(3);
            say("leaving");
        }

        #[test]
        fn block_end_does_not_run_the_call() {
            let cell = Cell::new(1);
            assert_eq!(
                trace(|| sees_state_at_exit(&cell)),
                ["leaving", "closure sees 3", "call-form arg 1"]
            );
        }

        #[with_defer($($s)?)]
        fn defers_in_the_tail(n: u8) -> u8 {
            say("start");
            match n {
                0 => {
                    defer!(say("tail arm 0"));
                    say("in arm 0");
                    10
                }
                _ => {
                    if n > 5 {
                        defer!(say("tail big"));
                    }
                    n
                }
            }
        }

        #[with_defer($($s)?)]
        fn body_is_only_a_tail() -> &'static str {
            {
                defer!(say("only statement"));
                "value"
            }
        }

        #[test]
        fn defers_inside_the_tail_expression() {
            assert_eq!(
                trace(|| assert_eq!(defers_in_the_tail(0), 10)),
                ["start", "in arm 0", "tail arm 0"]
            );
            assert_eq!(trace(|| assert_eq!(defers_in_the_tail(9), 9)), ["start", "tail big"]);
            assert_eq!(trace(|| assert_eq!(defers_in_the_tail(1), 1)), ["start"]);
            assert_eq!(
                trace(|| assert_eq!(body_is_only_a_tail(), "value")),
                ["only statement"]
            );
        }

        #[with_defer($($s)?)]
        fn labelled_block(early: bool) -> u8 {
            let v = 'blk: {
                defer!(say("in labelled block"));
                if early {
                    break 'blk 1;
                }
                2
            };
            say(format!("v = {v}"));
            v
        }

        #[test]
        fn breaking_out_of_a_labelled_block_does_not_run_the_call() {
            assert_eq!(trace(|| assert_eq!(labelled_block(true), 1)), ["v = 1", "in labelled block"]);
            assert_eq!(trace(|| assert_eq!(labelled_block(false), 2)), ["v = 2", "in labelled block"]);
        }
    };
}

/// Functions with defers in loops: `chain`, or nothing (Go's rule picks chain).
macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn for_loop(n: u32) {
            for i in 0..n {
                defer!(say(format!("deferred {i}")));
                say(format!("iteration {i}"));
            }
            say("after loop");
        }

        #[test]
        fn loop_defers_accumulate_until_function_exit() {
            assert_eq!(
                trace(|| for_loop(3)),
                [
                    "iteration 0",
                    "iteration 1",
                    "iteration 2",
                    "after loop",
                    "deferred 2",
                    "deferred 1",
                    "deferred 0"
                ]
            );
        }

        #[test]
        fn zero_iterations_defer_nothing() {
            assert_eq!(trace(|| for_loop(0)), ["after loop"]);
        }

        #[test]
        fn many_iterations_all_run_once() {
            let lines = trace(|| for_loop(40));
            assert_eq!(lines.len(), 81);
            assert_eq!(lines[40], "after loop");
            let deferred: Vec<String> = (0..40).rev().map(|i| format!("deferred {i}")).collect();
            assert_eq!(lines[41..], deferred[..]);
        }

        #[with_defer($($s)?)]
        fn while_and_loop(n: u32) -> u32 {
            let mut i = 0;
            while i < n {
                defer!(say(format!("while {i}")));
                i += 1;
            }
            let mut j = 0;
            loop {
                if j == 2 {
                    break;
                }
                defer!(say(format!("loop {j}")));
                j += 1;
            }
            say("body done");
            i + j
        }

        #[test]
        fn while_and_loop_accumulate() {
            assert_eq!(
                trace(|| assert_eq!(while_and_loop(2), 4)),
                ["body done", "loop 1", "loop 0", "while 1", "while 0"]
            );
        }

        #[with_defer($($s)?)]
        fn conditional_in_loop(n: u32) {
            for i in 0..n {
                if i % 2 == 0 {
                    defer!(say(format!("even {i}")));
                }
            }
            say("done");
        }

        #[test]
        fn conditional_defer_in_loop_only_when_taken() {
            assert_eq!(
                trace(|| conditional_in_loop(5)),
                ["done", "even 4", "even 2", "even 0"]
            );
        }

        #[with_defer($($s)?)]
        fn while_let(mut items: Vec<&'static str>) {
            while let Some(item) = items.pop() {
                defer!(say(format!("popped {item}")));
            }
            say("empty");
        }

        #[test]
        fn while_let_accumulates() {
            assert_eq!(
                trace(|| while_let(vec!["a", "b", "c"])),
                ["empty", "popped a", "popped b", "popped c"]
            );
        }

        #[with_defer($($s)?)]
        fn labelled_break(grid: u32) {
            'outer: for i in 0..grid {
                for j in 0..grid {
                    if i == 1 && j == 1 {
                        break 'outer;
                    }
                    defer!(say(format!("{i},{j}")));
                }
            }
            say("out");
        }

        #[test]
        fn labelled_break_keeps_accumulated_records() {
            assert_eq!(
                trace(|| labelled_break(3)),
                ["out", "1,0", "0,2", "0,1", "0,0"]
            );
        }
    };
}

for_each_lowering!(suite);

for_each_loop_lowering!(loops);
