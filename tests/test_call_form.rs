//! Call form: `defer!(f(a, b))` evaluates the callee and the arguments at the
//! defer statement, left to right, even Copy ones, and calls at exit;
//! `defer!(trace("x")())`; `defer!(recv.m(a))` uses a place receiver in place
//! at exit and evaluates any other receiver now.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::{Cell, RefCell};
use support::{say, trace};

fn arg<T: std::fmt::Debug>(name: &str, v: T) -> T {
    say(format!("eval {name} = {v:?}"));
    v
}

fn show2(a: i32, b: &str) {
    say(format!("show2({a}, {b})"));
}

fn pick(name: &'static str) -> fn(i32, &str) {
    say(format!("eval callee {name}"));
    show2
}

fn show(v: i32) {
    say(format!("show({v})"));
}

fn show_string(s: String) {
    say(format!("show_string({s})"));
}

fn show_cell(c: &Cell<i32>) {
    say(format!("show_cell({})", c.get()));
}

fn generic_show<T: std::fmt::Display>(v: T) {
    say(format!("generic_show({v})"));
}

/// Go's `defer trace("x")()` idiom: the outer call runs now, the returned
/// function at exit.
fn enter(name: &'static str) -> impl FnOnce() {
    say(format!("enter {name}"));
    move || say(format!("leave {name}"))
}

struct Counter {
    tag: &'static str,
    value: Cell<i32>,
}

impl Counter {
    fn new(tag: &'static str, v: i32) -> Self {
        Counter {
            tag,
            value: Cell::new(v),
        }
    }

    fn report(&self) {
        say(format!("{} reports {}", self.tag, self.value.get()));
    }

    fn report_with(&self, a: i32, b: i32) {
        say(format!(
            "{} reports {} with ({a}, {b})",
            self.tag,
            self.value.get()
        ));
    }

    fn report_as<T: From<i32> + std::fmt::Debug>(&self) {
        say(format!("{} as {:?}", self.tag, T::from(self.value.get())));
    }

    fn finish(self) {
        say(format!("{} finished at {}", self.tag, self.value.get()));
    }

    fn bump(&mut self) {
        self.value.set(self.value.get() + 1000);
        say(format!("{} bumped to {}", self.tag, self.value.get()));
    }
}

struct Holder {
    counter: Counter,
    list: Vec<Counter>,
}

fn make(tag: &'static str, v: i32) -> Counter {
    say(format!("make {tag}"));
    Counter::new(tag, v)
}

fn apply(f: impl Fn(&str) -> usize, s: &str) {
    say(format!("apply -> {}", f(s)));
}

fn each(v: &[i32], f: impl Fn(&i32)) {
    v.iter().for_each(f);
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn evaluation_order() {
            say("start");
            defer!(pick("f")(arg("a", 1), arg("b", "two")));
            say("body");
        }

        #[test]
        fn callee_and_arguments_are_evaluated_now_left_to_right() {
            assert_eq!(
                trace(evaluation_order),
                [
                    "start",
                    "eval callee f",
                    "eval a = 1",
                    "eval b = \"two\"",
                    "body",
                    "show2(1, two)"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn copy_arguments_now() {
            let mut x = 1;
            defer!(show(x));
            x += 1;
            defer!(show(x * 10));
            x += 1;
            say(format!("x at end {x}"));
        }

        #[test]
        fn copy_arguments_are_evaluated_now() {
            assert_eq!(
                trace(copy_arguments_now),
                ["x at end 3", "show(20)", "show(1)"]
            );
        }

        #[with_defer($($s)?)]
        fn cell_argument_now(c: &Cell<i32>) {
            defer!(show(c.get()));
            defer!(show_cell(c));
            c.set(5);
        }

        #[test]
        fn argument_values_vs_references() {
            let c = Cell::new(1);
            assert_eq!(
                trace(|| cell_argument_now(&c)),
                ["show_cell(5)", "show(1)"]
            );
        }

        #[with_defer($($s)?)]
        fn owned_argument_now() {
            let mut s = String::from("a");
            defer!(show_string(s.clone()));
            s.push('b');
            defer!(show_string(s));
        }

        #[test]
        fn owned_arguments_are_captured_at_the_defer() {
            assert_eq!(
                trace(owned_argument_now),
                ["show_string(ab)", "show_string(a)"]
            );
        }

        #[with_defer($($s)?)]
        fn trace_idiom() -> u8 {
            defer!(enter("outer")());
            say("working");
            defer!(enter("inner")());
            say("more work");
            7
        }

        #[test]
        fn trace_idiom_calls_now_and_at_exit() {
            assert_eq!(
                trace(|| assert_eq!(trace_idiom(), 7)),
                [
                    "enter outer",
                    "working",
                    "enter inner",
                    "more work",
                    "leave inner",
                    "leave outer"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn callee_variables() {
            let f = |v: i32| say(format!("closure callee {v}"));
            defer!(f(arg("x", 3)));
            let g: fn(i32) = show;
            defer!(g(4));
            defer!(generic_show::<u8>(5));
            defer!(<i32 as Into<i64>>::into(6));
            say("body");
        }

        #[test]
        fn callees_that_are_closures_fn_pointers_and_paths() {
            assert_eq!(
                trace(callee_variables),
                [
                    "eval x = 3",
                    "body",
                    "generic_show(5)",
                    "show(4)",
                    "closure callee 3"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn fn_mut_callee(seen: &Cell<i32>) {
            let mut n = 0;
            let mut bump = move |by: i32| {
                n += by;
                seen.set(n);
            };
            bump(1);
            defer!(bump(arg("by", 10)));
            say("body");
        }

        #[test]
        fn fn_mut_callee_is_called_at_exit() {
            let seen = Cell::new(0);
            assert_eq!(trace(|| fn_mut_callee(&seen)), ["eval by = 10", "body"]);
            assert_eq!(seen.get(), 11);
        }

        #[with_defer($($s)?)]
        fn annotated_closure_arguments() {
            let v = vec![1, 2];
            defer!(apply(|s: &str| s.len(), "abcd"));
            defer!(each(&v, |x: &i32| say(format!("each {x}"))));
            defer!(v.iter().for_each(|x| say(format!("for_each {x}"))));
            say("body");
        }

        #[test]
        fn closure_arguments_are_created_now_and_called_at_exit() {
            assert_eq!(
                trace(annotated_closure_arguments),
                ["body", "for_each 1", "for_each 2", "each 1", "each 2", "apply -> 4"]
            );
        }

        #[with_defer($($s)?)]
        fn place_receivers() {
            let c = Counter::new("var", 1);
            let holder = Holder {
                counter: Counter::new("field", 1),
                list: vec![Counter::new("idx0", 1), Counter::new("idx1", 1)],
            };
            let boxed = Box::new(Counter::new("deref", 1));
            defer!(c.report());
            defer!(holder.counter.report());
            defer!(holder.list[1].report());
            defer!((*boxed).report());
            defer!(c.report_as::<i64>());
            c.value.set(2);
            holder.counter.value.set(3);
            holder.list[1].value.set(4);
            boxed.value.set(5);
            say("changed");
        }

        #[test]
        fn place_receivers_are_used_in_place_at_exit() {
            assert_eq!(
                trace(place_receivers),
                [
                    "changed",
                    "var as 2",
                    "deref reports 5",
                    "idx1 reports 4",
                    "field reports 3",
                    "var reports 2"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn place_receiver_arguments_now() {
            let c = Counter::new("c", 1);
            defer!(c.report_with(arg("a", c.value.get()), arg("b", c.value.get() + 1)));
            c.value.set(50);
            say("body");
        }

        #[test]
        fn place_receiver_arguments_are_still_evaluated_now() {
            assert_eq!(
                trace(place_receiver_arguments_now),
                ["eval a = 1", "eval b = 2", "body", "c reports 50 with (1, 2)"]
            );
        }

        #[with_defer($($s)?)]
        fn by_value_receiver() {
            let c = Counter::new("owned", 1);
            c.value.set(2);
            defer!(c.finish());
            say("body");
        }

        #[test]
        fn place_receiver_taken_by_value_is_consumed_at_exit() {
            assert_eq!(trace(by_value_receiver), ["body", "owned finished at 2"]);
        }

        #[with_defer($($s)?)]
        fn mut_receiver(mut c: Counter) {
            c.value.set(2);
            defer!(c.bump());
            say("body");
        }

        #[test]
        fn place_receiver_borrowed_mutably_at_exit() {
            assert_eq!(
                trace(|| mut_receiver(Counter::new("m", 1))),
                ["body", "m bumped to 1002"]
            );
        }

        #[with_defer($($s)?)]
        fn non_place_receivers() {
            say("start");
            defer!(make("made", 1).report_with(arg("a", 10), arg("b", 20)));
            let counters = [Counter::new("arr", 7)];
            defer!(counters.iter().next().unwrap().report());
            defer!(make("fin", 3).finish());
            say("body");
        }

        #[test]
        fn non_place_receivers_are_evaluated_now_receiver_first() {
            assert_eq!(
                trace(non_place_receivers),
                [
                    "start",
                    "make made",
                    "eval a = 10",
                    "eval b = 20",
                    "make fin",
                    "body",
                    "fin finished at 3",
                    "arr reports 7",
                    "made reports 1 with (10, 20)"
                ]
            );
        }

        #[with_defer($($s)?)]
        fn non_place_borrow_now(log: &RefCell<Vec<i32>>) -> bool {
            defer!(log.borrow_mut().push(1));
            log.try_borrow().is_err()
        }

        #[test]
        fn non_place_receiver_borrow_is_taken_at_the_defer() {
            let log = RefCell::new(Vec::new());
            assert!(non_place_borrow_now(&log));
            assert_eq!(*log.borrow(), [1]);
        }

        #[with_defer($($s)?)]
        fn receiver_changed_after(c: &Cell<i32>) -> i32 {
            defer!(c.set(c.get() * 10));
            c.set(4);
            c.get()
        }

        #[test]
        fn method_argument_now_receiver_later() {
            let c = Cell::new(1);
            assert_eq!(receiver_changed_after(&c), 4);
            assert_eq!(c.get(), 10, "argument c.get() was evaluated at the defer");
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn loop_arguments(n: i32) {
            for i in 0..n {
                defer!(show(i));
                defer!(make("loop", i).report());
            }
            say("after loop");
        }

        #[test]
        fn loop_arguments_are_evaluated_per_iteration() {
            assert_eq!(
                trace(|| loop_arguments(2)),
                [
                    "make loop",
                    "make loop",
                    "after loop",
                    "loop reports 1",
                    "show(1)",
                    "loop reports 0",
                    "show(0)"
                ]
            );
        }
    };
}

for_each_loop_lowering!(loops);
