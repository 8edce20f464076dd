//! Last in, first out over the whole function: across branches, loops (several
//! defer sites in one loop, nested loops), and loops followed by more defers.
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
        fn straight_line() {
            defer!(say("first registered"));
            defer!(say("second registered"));
            defer!(say("third registered"));
            say("body");
        }

        #[test]
        fn straight_line_is_lifo() {
            assert_eq!(
                trace(straight_line),
                ["body", "third registered", "second registered", "first registered"]
            );
        }

        #[with_defer($($s)?)]
        fn across_branches(a: bool, b: bool) {
            defer!(say("1"));
            if a {
                defer!(say("2 (a)"));
            } else {
                defer!(say("2 (not a)"));
            }
            defer!(say("3"));
            match b {
                true => defer!(say("4 (b)")),
                false => {}
            }
            {
                defer!(say("5"));
            }
        }

        #[test]
        fn lifo_across_branches() {
            assert_eq!(
                trace(|| across_branches(true, true)),
                ["5", "4 (b)", "3", "2 (a)", "1"]
            );
            assert_eq!(
                trace(|| across_branches(false, false)),
                ["5", "3", "2 (not a)", "1"]
            );
        }

        #[with_defer($($s)?)]
        fn registered_in_one_statement(c: bool) -> u8 {
            let v = if c {
                defer!(say("a"));
                defer!(say("b"));
                {
                    defer!(say("c"));
                }
                1
            } else {
                defer!(say("x"));
                2
            };
            defer!(say("after"));
            v
        }

        #[test]
        fn lifo_within_one_top_level_statement() {
            assert_eq!(
                trace(|| assert_eq!(registered_in_one_statement(true), 1)),
                ["after", "c", "b", "a"]
            );
            assert_eq!(
                trace(|| assert_eq!(registered_in_one_statement(false), 2)),
                ["after", "x"]
            );
        }

        #[with_defer($($s)?)]
        fn in_call_arguments() -> u32 {
            let pair = (
                {
                    defer!(say("arg 0"));
                    0
                },
                {
                    defer!(say("arg 1"));
                    1
                },
            );
            pair.0 + pair.1
        }

        #[test]
        fn lifo_follows_left_to_right_evaluation() {
            assert_eq!(trace(|| assert_eq!(in_call_arguments(), 1)), ["arg 1", "arg 0"]);
        }
    };
}

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn two_sites_in_one_loop(n: u32) {
            for i in 0..n {
                defer!(say(format!("a{i}")));
                if i % 2 == 0 {
                    defer!(say(format!("b{i}")));
                }
            }
        }

        #[test]
        fn several_sites_in_one_loop_interleave_in_execution_order() {
            assert_eq!(
                trace(|| two_sites_in_one_loop(3)),
                ["b2", "a2", "a1", "b0", "a0"]
            );
        }

        #[with_defer($($s)?)]
        fn three_sites_past_the_inline_records(n: u32) {
            for i in 0..n {
                defer!(say(format!("x{i}")));
                match i % 3 {
                    0 => defer!(say(format!("y{i}"))),
                    1 => defer!(move || say(format!("z{i}"))),
                    _ => {}
                }
            }
        }

        #[test]
        fn three_sites_many_iterations() {
            let mut expected = Vec::new();
            for i in 0..20 {
                expected.push(format!("x{i}"));
                match i % 3 {
                    0 => expected.push(format!("y{i}")),
                    1 => expected.push(format!("z{i}")),
                    _ => {}
                }
            }
            expected.reverse();
            assert_eq!(trace(|| three_sites_past_the_inline_records(20)), expected);
        }

        #[with_defer($($s)?)]
        fn nested_loops() {
            for i in 0..2 {
                for j in 0..2 {
                    defer!(say(format!("inner {i}{j}")));
                }
                defer!(say(format!("outer {i}")));
            }
        }

        #[test]
        fn nested_loops_are_lifo() {
            assert_eq!(
                trace(nested_loops),
                [
                    "outer 1", "inner 11", "inner 10", "outer 0", "inner 01", "inner 00"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn loops_and_straight_defers() {
            defer!(say("first"));
            for i in 0..2 {
                defer!(say(format!("loop A {i}")));
            }
            defer!(say("between"));
            let mut k = 0;
            while k < 2 {
                defer!(say(format!("loop B {k}")));
                k += 1;
            }
            defer!(say("last"));
        }

        #[test]
        fn loops_followed_by_more_defers() {
            assert_eq!(
                trace(loops_and_straight_defers),
                [
                    "last", "loop B 1", "loop B 0", "between", "loop A 1", "loop A 0", "first"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn loop_and_site_in_one_block(c: bool) {
            if c {
                defer!(say("before loop"));
                for i in 0..2 {
                    defer!(say(format!("in loop {i}")));
                }
                defer!(say("after loop"));
            }
            defer!(say("end"));
        }

        #[test]
        fn loop_inside_a_branch_keeps_order() {
            assert_eq!(
                trace(|| loop_and_site_in_one_block(true)),
                ["end", "after loop", "in loop 1", "in loop 0", "before loop"]
            );
            assert_eq!(trace(|| loop_and_site_in_one_block(false)), ["end"]);
        }
    };
}

for_each_lowering!(suite);

for_each_loop_lowering!(loops);

/// The deferred calls should run in the reverse of the order in which the
/// `defer!` statements *executed*. Rust evaluates the right-hand side of an
/// assignment before the place on its left, so here the right-hand `defer!`
/// executes first and its call should run last.
#[with_defer]
fn assignment_sides(slots: &mut [u8; 2]) {
    slots[{
        defer!(say("left side (executed second)"));
        0
    }] = {
        defer!(say("right side (executed first)"));
        1
    };
}

#[test]
fn lifo_follows_execution_order_in_assignments() {
    let mut slots = [0, 0];
    assert_eq!(
        trace(|| assignment_sides(&mut slots)),
        ["left side (executed second)", "right side (executed first)"]
    );
    assert_eq!(slots, [1, 0]);
}
