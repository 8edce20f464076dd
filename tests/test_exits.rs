//! Every exit runs the deferred calls: `return`, `?` (Result with `From`
//! conversion, Option), the tail expression, falling off the end, and panics
//! unwinding through the function. The return value is computed before the
//! deferred calls run, and the temporaries of the tail are dropped first.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::num::ParseIntError;
use std::panic::{AssertUnwindSafe, catch_unwind};
use support::{say, trace};

#[derive(Debug, PartialEq)]
enum AppError {
    Parse(String),
    Other(&'static str),
}

impl From<ParseIntError> for AppError {
    fn from(e: ParseIntError) -> Self {
        AppError::Parse(e.to_string())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

fn check(ok: bool) -> Result<bool, AppError> {
    if ok {
        Ok(true)
    } else {
        Err(AppError::Other("check failed"))
    }
}

/// A `return` hidden in a macro the attribute cannot look into.
macro_rules! bail_if {
    ($c:expr, $v:expr) => {
        if $c {
            return $v;
        }
    };
}

/// A `?`-like early return hidden in a macro the attribute cannot look into.
macro_rules! my_try {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Err(From::from(e)),
        }
    };
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn early_return(n: i32) -> i32 {
            defer!(say("registered before return"));
            if n < 0 {
                say("returning early");
                return -1;
            }
            defer!(say("registered after the early return"));
            say("normal path");
            n * 2
        }

        #[test]
        fn return_runs_only_registered_defers() {
            assert_eq!(
                trace(|| assert_eq!(early_return(-5), -1)),
                ["returning early", "registered before return"]
            );
            assert_eq!(
                trace(|| assert_eq!(early_return(5), 10)),
                [
                    "normal path",
                    "registered after the early return",
                    "registered before return"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn unit_return(stop: bool) {
            defer!(say("unit deferred"));
            if stop {
                say("stop");
                return;
            }
            say("fall off");
        }

        #[test]
        fn unit_return_and_falling_off() {
            assert_eq!(trace(|| unit_return(true)), ["stop", "unit deferred"]);
            assert_eq!(trace(|| unit_return(false)), ["fall off", "unit deferred"]);
        }

        #[with_defer($($s)?)]
        fn unit_ends_with_let(v: u8) {
            defer!(say("deferred"));
            let _doubled = v * 2;
        }

        #[test]
        fn unit_ending_in_a_let_runs_defers() {
            assert_eq!(trace(|| unit_ends_with_let(1)), ["deferred"]);
        }

        #[with_defer($($s)?)]
        fn unit_tail_if(c: bool) {
            defer!(say("deferred"));
            if c {
                say("then")
            } else {
                say("else")
            }
        }

        #[with_defer($($s)?)]
        fn unit_tail_match(n: u8) {
            defer!(say("deferred"));
            match n {
                0 => return,
                1 => say("one"),
                _ => {}
            }
        }

        #[with_defer($($s)?)]
        fn unit_tail_call() {
            defer!(say("deferred"));
            say("tail call")
        }

        #[test]
        fn unit_functions_ending_in_an_expression() {
            assert_eq!(trace(|| unit_tail_if(true)), ["then", "deferred"]);
            assert_eq!(trace(|| unit_tail_if(false)), ["else", "deferred"]);
            assert_eq!(trace(|| unit_tail_match(0)), ["deferred"]);
            assert_eq!(trace(|| unit_tail_match(1)), ["one", "deferred"]);
            assert_eq!(trace(|| unit_tail_match(2)), ["deferred"]);
            assert_eq!(trace(unit_tail_call), ["tail call", "deferred"]);
        }

        #[with_defer($($s)?)]
        fn control_flow(
            c: std::ops::ControlFlow<&'static str, u8>,
        ) -> std::ops::ControlFlow<&'static str, u8> {
            defer!(say("control flow deferred"));
            let v = c?;
            std::ops::ControlFlow::Continue(v + 1)
        }

        #[test]
        fn question_mark_on_control_flow() {
            use std::ops::ControlFlow::{Break, Continue};
            assert_eq!(
                trace(|| assert_eq!(control_flow(Continue(1)), Continue(2))),
                ["control flow deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(control_flow(Break("stop")), Break("stop"))),
                ["control flow deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn parse_sum(a: &str, b: &str) -> Result<i32, AppError> {
            defer!(say("parse_sum deferred"));
            let x: i32 = a.parse()?;
            say(format!("parsed {x}"));
            defer!(say("after first parse"));
            let y: i32 = b.parse()?;
            Ok(x + y)
        }

        #[test]
        fn question_mark_on_result_converts_and_runs_defers() {
            assert_eq!(
                trace(|| assert_eq!(parse_sum("1", "2"), Ok(3))),
                ["parsed 1", "after first parse", "parse_sum deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(
                    parse_sum("x", "2"),
                    Err(AppError::Parse("invalid digit found in string".into()))
                )),
                ["parse_sum deferred"]
            );
            assert_eq!(
                trace(|| assert!(matches!(parse_sum("1", ""), Err(AppError::Parse(_))))),
                ["parsed 1", "after first parse", "parse_sum deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn boxed_error(s: &str) -> Result<i32, Box<dyn std::error::Error>> {
            defer!(say("boxed deferred"));
            Ok(s.parse::<i32>()?)
        }

        #[test]
        fn question_mark_into_boxed_error() {
            assert_eq!(trace(|| assert_eq!(boxed_error("7").unwrap(), 7)), ["boxed deferred"]);
            assert_eq!(
                trace(|| assert_eq!(
                    boxed_error("z").unwrap_err().to_string(),
                    "invalid digit found in string"
                )),
                ["boxed deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn first_even(v: &[u32]) -> Option<u32> {
            defer!(say("option deferred"));
            let first = v.first()?;
            say(format!("first {first}"));
            let even = v.iter().find(|x| *x % 2 == 0)?;
            Some(*even)
        }

        #[test]
        fn question_mark_on_option() {
            assert_eq!(trace(|| assert_eq!(first_even(&[]), None)), ["option deferred"]);
            assert_eq!(
                trace(|| assert_eq!(first_even(&[1, 3]), None)),
                ["first 1", "option deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(first_even(&[1, 4]), Some(4))),
                ["first 1", "option deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn question_mark_in_defer_arguments(s: &str) -> Result<(), AppError> {
            defer!(say("outer"));
            defer!(say(format!("parsed {}", s.parse::<i32>()?)));
            say("body");
            Ok(())
        }

        #[test]
        fn question_mark_in_defer_arguments_returns_at_the_defer() {
            assert_eq!(
                trace(|| assert_eq!(question_mark_in_defer_arguments("4"), Ok(()))),
                ["body", "parsed 4", "outer"]
            );
            assert_eq!(
                trace(|| assert!(question_mark_in_defer_arguments("x").is_err())),
                ["outer"]
            );
        }

        #[with_defer($($s)?)]
        fn in_macros(a: &str, ok: bool) -> Result<String, AppError> {
            defer!(say("macros deferred"));
            println!("printing {}", a.parse::<i32>()?);
            let s = format!("{}-{}", a.parse::<i32>()?, a.len());
            assert!(check(ok)?, "check returned false");
            assert_eq!(check(true)?, true);
            let v = vec![a.parse::<i32>()?; 2];
            say(format!("s = {s}, v = {v:?}"));
            Ok(s)
        }

        #[test]
        fn question_mark_inside_println_format_assert() {
            assert_eq!(
                trace(|| assert_eq!(in_macros("12", true), Ok("12-2".to_string()))),
                ["s = 12-2, v = [12, 12]", "macros deferred"]
            );
            assert_eq!(
                trace(|| assert!(matches!(in_macros("q", true), Err(AppError::Parse(_))))),
                ["macros deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(in_macros("3", false), Err(AppError::Other("check failed")))),
                ["macros deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn hidden_exits(a: &str, stop: bool) -> Result<i32, AppError> {
            defer!(say("hidden deferred 1"));
            bail_if!(stop, Ok(-1));
            defer!(say("hidden deferred 2"));
            let n: i32 = my_try!(a.parse::<i32>());
            Ok(n)
        }

        #[test]
        fn exits_hidden_in_user_macros_still_run_defers() {
            assert_eq!(
                trace(|| assert_eq!(hidden_exits("1", true), Ok(-1))),
                ["hidden deferred 1"]
            );
            assert_eq!(
                trace(|| assert!(hidden_exits("x", false).is_err())),
                ["hidden deferred 2", "hidden deferred 1"]
            );
            assert_eq!(
                trace(|| assert_eq!(hidden_exits("8", false), Ok(8))),
                ["hidden deferred 2", "hidden deferred 1"]
            );
        }

        #[with_defer($($s)?)]
        fn value_before_defers(cell: &Cell<i32>) -> i32 {
            defer!(cell.set(100));
            defer!(|| say(format!("deferred sees {}", cell.get())));
            cell.set(cell.get() + 1);
            cell.get()
        }

        #[test]
        fn return_value_is_computed_before_the_deferred_calls() {
            let cell = Cell::new(1);
            assert_eq!(
                trace(|| assert_eq!(value_before_defers(&cell), 2)),
                ["deferred sees 2"]
            );
            assert_eq!(cell.get(), 100);
        }

        #[with_defer($($s)?)]
        fn early_value_before_defers(cell: &Cell<i32>, early: bool) -> Result<i32, AppError> {
            defer!(cell.set(-1));
            if early {
                return Ok(cell.get());
            }
            check(cell.get() > 10)?;
            Ok(cell.get() * 2)
        }

        #[test]
        fn return_and_question_mark_values_before_the_deferred_calls() {
            let cell = Cell::new(5);
            assert_eq!(early_value_before_defers(&cell, true), Ok(5));
            assert_eq!(cell.get(), -1);
            cell.set(20);
            assert_eq!(early_value_before_defers(&cell, false), Ok(40));
            assert_eq!(cell.get(), -1);
            cell.set(3);
            assert_eq!(
                early_value_before_defers(&cell, false),
                Err(AppError::Other("check failed"))
            );
            assert_eq!(cell.get(), -1);
        }

        #[with_defer($($s)?)]
        fn refcell_tail(log: &RefCell<Vec<i32>>) -> usize {
            defer!(|| log.borrow_mut().push(99));
            defer!(*log.borrow_mut() = vec![7]);
            log.borrow().len()
        }

        #[test]
        fn tail_temporaries_are_dropped_before_the_deferred_calls() {
            let log = RefCell::new(vec![1, 2, 3]);
            assert_eq!(refcell_tail(&log), 3);
            assert_eq!(*log.borrow(), [7, 99]);
        }

        #[with_defer($($s)?)]
        fn refcell_return(log: &RefCell<Vec<i32>>, early: bool) -> usize {
            defer!(|| log.borrow_mut().clear());
            if early {
                return log.borrow().iter().filter(|x| **x > 1).count();
            }
            log.borrow().iter().map(|x| *x as usize).sum()
        }

        #[test]
        fn return_temporaries_are_dropped_before_the_deferred_calls() {
            let log = RefCell::new(vec![1, 2, 3]);
            assert_eq!(refcell_return(&log, true), 2);
            assert!(log.borrow().is_empty());
            *log.borrow_mut() = vec![1, 2, 3];
            assert_eq!(refcell_return(&log, false), 6);
            assert!(log.borrow().is_empty());
        }

        #[with_defer($($s)?)]
        fn panics_midway(panic: bool) -> u8 {
            defer!(say("before panic 1"));
            defer!(say("before panic 2"));
            if panic {
                say("panicking");
                panic!("boom");
            }
            defer!(say("not reached when panicking"));
            0
        }

        #[test]
        fn panics_unwinding_run_the_registered_defers() {
            let lines = trace(|| {
                let result = catch_unwind(|| panics_midway(true));
                let payload = result.unwrap_err();
                assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
            });
            assert_eq!(lines, ["panicking", "before panic 2", "before panic 1"]);
            assert_eq!(
                trace(|| assert_eq!(panics_midway(false), 0)),
                ["not reached when panicking", "before panic 2", "before panic 1"]
            );
        }

        fn explode(v: &[u8]) -> u8 {
            v[10]
        }

        #[with_defer($($s)?)]
        fn panics_in_callee(v: &[u8]) -> u8 {
            defer!(say("callee panicked through me"));
            explode(v)
        }

        #[test]
        fn panic_from_a_callee_unwinds_through_the_defers() {
            let v = vec![1, 2];
            let lines = trace(|| {
                assert!(catch_unwind(AssertUnwindSafe(|| panics_in_callee(&v))).is_err());
            });
            assert_eq!(lines, ["callee panicked through me"]);
        }

        #[with_defer($($s)?)]
        fn returns_from_match(n: u8) -> &'static str {
            defer!(say("match deferred"));
            match n {
                0 => return "zero",
                1 => {
                    defer!(say("one"));
                    return "one";
                }
                _ => {}
            }
            "many"
        }

        #[test]
        fn returns_from_match_arms() {
            assert_eq!(trace(|| assert_eq!(returns_from_match(0), "zero")), ["match deferred"]);
            assert_eq!(
                trace(|| assert_eq!(returns_from_match(1), "one")),
                ["one", "match deferred"]
            );
            assert_eq!(trace(|| assert_eq!(returns_from_match(2), "many")), ["match deferred"]);
        }

        #[with_defer($($s)?)]
        fn diverging_tail(limit: u32) -> u32 {
            defer!(say("diverging deferred"));
            let mut i = 0;
            loop {
                i += 1;
                if i >= limit {
                    return i;
                }
            }
        }

        #[test]
        fn body_ending_in_a_loop_that_returns() {
            assert_eq!(trace(|| assert_eq!(diverging_tail(3), 3)), ["diverging deferred"]);
        }

        #[with_defer($($s)?)]
        fn returns_in_tail_of_nested_fn_body(user: &str) -> String {
            defer!(say("string deferred"));
            let name = user.trim();
            if name.is_empty() {
                return String::from("anonymous");
            }
            format!("hello {name}")
        }

        #[test]
        fn non_copy_return_values() {
            assert_eq!(
                trace(|| assert_eq!(returns_in_tail_of_nested_fn_body(" bob "), "hello bob")),
                ["string deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(returns_in_tail_of_nested_fn_body(" "), "anonymous")),
                ["string deferred"]
            );
        }
    };
}

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn return_inside_loop(items: &[&str]) -> Result<usize, AppError> {
            defer!(say("outer deferred"));
            let mut total = 0;
            for item in items {
                defer!(say(format!("item {item}")));
                if *item == "stop" {
                    return Ok(total);
                }
                total += item.parse::<usize>()?;
            }
            Ok(total)
        }

        #[test]
        fn exits_inside_a_loop_run_the_accumulated_records() {
            assert_eq!(
                trace(|| assert_eq!(return_inside_loop(&["1", "2", "stop", "3"]), Ok(3))),
                ["item stop", "item 2", "item 1", "outer deferred"]
            );
            assert_eq!(
                trace(|| assert!(return_inside_loop(&["1", "x", "3"]).is_err())),
                ["item x", "item 1", "outer deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(return_inside_loop(&["1", "3"]), Ok(4))),
                ["item 3", "item 1", "outer deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn panic_inside_loop(n: u32) {
            for i in 0..n {
                defer!(say(format!("loop {i}")));
                if i == 2 {
                    panic!("loop panic");
                }
            }
        }

        #[test]
        fn panic_inside_a_loop_runs_the_accumulated_records() {
            let lines = trace(|| assert!(catch_unwind(|| panic_inside_loop(5)).is_err()));
            assert_eq!(lines, ["loop 2", "loop 1", "loop 0"]);
        }
    };
}

for_each_lowering!(suite);

for_each_loop_lowering!(loops);
