//! Closure and block forms: `defer!(|| ..)` and `defer!(move || ..)` create the
//! closure now and call it at exit; `defer! { .. }` and any other expression
//! (macro calls, assignments) run as written at exit.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use support::{say, trace};

/// A macro call deferred as written: its arguments are evaluated at exit.
macro_rules! say_fmt {
    ($($t:tt)*) => {
        say(format!($($t)*))
    };
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn non_move_closure(c: &Cell<i32>) {
            defer!(|| say(format!("closure sees {}", c.get())));
            c.set(2);
            say("body");
        }

        #[test]
        fn non_move_closure_sees_the_state_at_exit() {
            let c = Cell::new(1);
            assert_eq!(trace(|| non_move_closure(&c)), ["body", "closure sees 2"]);
        }

        #[with_defer($($s)?)]
        fn move_closure() {
            let mut n = 1;
            let mut name = String::from("before");
            defer!(move || say(format!("moved n = {n}, name = {name}")));
            n += 1;
            name = String::from("after");
            say(format!("body n = {n}, name = {name}"));
        }

        #[test]
        fn move_closure_captures_at_the_defer() {
            assert_eq!(
                trace(move_closure),
                ["body n = 2, name = after", "moved n = 1, name = before"]
            );
        }

        #[with_defer($($s)?)]
        fn local_cell_closure() -> i32 {
            let shared = Rc::new(Cell::new(0));
            let seen = Rc::clone(&shared);
            defer!(move || say(format!("rc cell {}", seen.get())));
            shared.set(9);
            shared.get()
        }

        #[test]
        fn move_closure_with_shared_state() {
            assert_eq!(trace(|| assert_eq!(local_cell_closure(), 9)), ["rc cell 9"]);
        }

        #[with_defer($($s)?)]
        fn block_form(c: &Cell<i32>) {
            defer! {
                say("block 1 first line");
                say(format!("block 1 sees {}", c.get()));
            }
            defer! {
                let doubled = c.get() * 2;
                if doubled > 10 {
                    say("block 2 big");
                } else {
                    say("block 2 small");
                }
            }
            c.set(6);
            say("body");
        }

        #[test]
        fn block_form_runs_as_written_at_exit_lifo() {
            let c = Cell::new(1);
            assert_eq!(
                trace(|| block_form(&c)),
                ["body", "block 2 big", "block 1 first line", "block 1 sees 6"]
            );
        }

        #[with_defer($($s)?)]
        fn macro_expression(c: &Cell<i32>) {
            defer!(say_fmt!("macro sees {}", c.get()));
            defer!(println!("println deferred too, c = {}", c.get()));
            c.set(3);
            say("body");
        }

        #[test]
        fn macro_call_is_deferred_as_written() {
            let c = Cell::new(1);
            assert_eq!(trace(|| macro_expression(&c)), ["body", "macro sees 3"]);
        }

        #[with_defer($($s)?)]
        fn assignments(counter: &RefCell<i32>, out: &mut i32) {
            defer!(*counter.borrow_mut() += 1);
            defer!(*out = *counter.borrow() * 100);
            *counter.borrow_mut() = 5;
            say("body");
        }

        #[test]
        fn assignment_expressions_run_at_exit() {
            let counter = RefCell::new(0);
            let mut out = 0;
            assert_eq!(trace(|| assignments(&counter, &mut out)), ["body"]);
            assert_eq!(*counter.borrow(), 6);
            assert_eq!(out, 500);
        }

        #[with_defer($($s)?)]
        fn path_and_literal_forms(flag: &Cell<bool>) {
            let token = Rc::new(());
            let weak = Rc::downgrade(&token);
            defer!(drop(token));
            defer!(|| say(format!("token alive at exit: {}", weak.upgrade().is_some())));
            defer!(flag.set(true));
            defer!(if flag.get() { say("flag set by then") });
            say(format!("flag before exit {}", flag.get()));
        }

        #[test]
        fn other_expressions() {
            let flag = Cell::new(false);
            assert_eq!(
                trace(|| path_and_literal_forms(&flag)),
                ["flag before exit false", "token alive at exit: true"]
            );
            assert!(flag.get());
        }

        #[with_defer($($s)?)]
        fn closure_fn_once(out: &RefCell<Vec<String>>) {
            let owned = vec![String::from("x"), String::from("y")];
            defer!(move || out.borrow_mut().extend(owned));
            say("body");
        }

        #[test]
        fn fn_once_closure_consumes_its_capture() {
            let out = RefCell::new(Vec::new());
            assert_eq!(trace(|| closure_fn_once(&out)), ["body"]);
            assert_eq!(*out.borrow(), ["x", "y"]);
        }

        #[with_defer($($s)?)]
        fn closure_in_branch(c: bool) {
            if c {
                let local = String::from("branch local");
                defer!(move || say(format!("closure had {local}")));
            }
            say("after branch");
        }

        #[test]
        fn move_closure_keeps_a_block_local_alive() {
            assert_eq!(
                trace(|| closure_in_branch(true)),
                ["after branch", "closure had branch local"]
            );
            assert_eq!(trace(|| closure_in_branch(false)), ["after branch"]);
        }

        #[with_defer($($s)?)]
        fn non_move_fn_mut(out: &mut i32) {
            defer!(|| *out += 1);
            say("body");
        }

        #[test]
        fn non_move_closure_that_mutates_a_capture() {
            let mut out = 41;
            assert_eq!(trace(|| non_move_fn_mut(&mut out)), ["body"]);
            assert_eq!(out, 42);
        }

        #[with_defer($($s)?)]
        fn move_fn_mut() {
            let mut log = Vec::new();
            log.push("registered");
            defer!(move || {
                log.push("ran");
                say(log.join(" then "));
            });
            say("body");
        }

        #[test]
        fn move_closure_that_mutates_its_capture() {
            assert_eq!(trace(move_fn_mut), ["body", "registered then ran"]);
        }

        #[with_defer($($s)?)]
        fn deferred_code_with_own_exits(skip: bool, input: &'static str) -> u8 {
            defer! {
                let parsed = (|| -> Result<i32, std::num::ParseIntError> { Ok(input.parse::<i32>()? + 1) })();
                say(format!("parsed in deferred closure: {parsed:?}"));
            }
            defer! {
                if skip {
                    return;
                }
                say("not skipped");
            }
            defer!(|| {
                if skip {
                    return;
                }
                say("closure not skipped");
            });
            7
        }

        #[test]
        fn return_and_question_mark_inside_deferred_code_are_its_own() {
            assert_eq!(
                trace(|| assert_eq!(deferred_code_with_own_exits(true, "1"), 7)),
                ["parsed in deferred closure: Ok(2)"]
            );
            let lines = trace(|| assert_eq!(deferred_code_with_own_exits(false, "x"), 7));
            assert_eq!(lines.len(), 3, "{lines:?}");
            assert_eq!(lines[..2], ["closure not skipped", "not skipped"]);
            assert!(lines[2].starts_with("parsed in deferred closure: Err("), "{lines:?}");
        }

        #[with_defer($($s)?)]
        fn mixed_forms(c: &Cell<i32>) {
            defer!(say(format!("call {}", c.get())));
            defer!(|| say(format!("closure {}", c.get())));
            defer! { say(format!("block {}", c.get())); }
            defer!(say_fmt!("macro {}", c.get()));
            c.set(2);
        }

        #[test]
        fn forms_mix_in_lifo_order() {
            let c = Cell::new(1);
            assert_eq!(
                trace(|| mixed_forms(&c)),
                ["macro 2", "block 2", "closure 2", "call 1"]
            );
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn closures_in_loop(c: &Cell<i32>) {
            for i in 0..3 {
                defer!(move || say(format!("move {i} sees {}", c.get())));
                defer! { say(format!("block sees {}", c.get())); }
            }
            c.set(42);
        }

        #[test]
        fn closures_and_blocks_in_loops() {
            let c = Cell::new(0);
            assert_eq!(
                trace(|| closures_in_loop(&c)),
                [
                    "block sees 42",
                    "move 2 sees 42",
                    "block sees 42",
                    "move 1 sees 42",
                    "block sees 42",
                    "move 0 sees 42"
                ]
            );
        }
    };
}

for_each_loop_lowering!(loops);
