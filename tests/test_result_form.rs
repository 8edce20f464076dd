//! The result form `defer!(|ret| ..)`: the closure gets the function's result
//! slot as `&mut Option<R>`. On every normal exit (`return`, `?`, the tail,
//! and exits inside the standard macros' arguments) it runs after the value is
//! computed, sees `Some(value)`, may change or replace it, and the caller gets
//! what is left (Go's named results). While a panic that began before a return
//! value existed unwinds, it sees `None`; a panic raised by a deferred call
//! after a normal return leaves the value in the slot for the older closures.
// A deferred closure in a loop is the point of the loop tests: silence the
// warning that every record lives until the function returns.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::io::{self, Read};
use std::num::ParseIntError;
use std::rc::Rc;
use support::{block_on, poll_once, run, say, yield_now};

fn boom(msg: &'static str) {
    say(format!("panicking: {msg}"));
    panic!("{}", msg);
}

#[derive(Debug, PartialEq)]
struct AppError(String);

impl From<ParseIntError> for AppError {
    fn from(e: ParseIntError) -> Self {
        AppError(format!("parse: {e}"))
    }
}

/// Counts a function's outcomes, including panics (the slot is `None`).
#[derive(Default)]
struct Stats {
    ok: Cell<u32>,
    err: Cell<u32>,
    panicked: Cell<u32>,
}

impl Stats {
    fn count<T, E>(&self, ret: &Option<Result<T, E>>) {
        let counter = match ret {
            Some(Ok(_)) => &self.ok,
            Some(Err(_)) => &self.err,
            None => &self.panicked,
        };
        counter.set(counter.get() + 1);
    }

    fn get(&self) -> (u32, u32, u32) {
        (self.ok.get(), self.err.get(), self.panicked.get())
    }
}

fn validate(name: &str) -> Result<&str, String> {
    match name.is_empty() {
        true => Err("empty name".into()),
        false => Ok(name),
    }
}

fn parse(s: &str) -> Result<i32, String> {
    s.parse::<i32>().map_err(|e| format!("{s:?}: {e}"))
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn doubled(n: u32, early: bool) -> u32 {
            defer!(|ret| {
                say(format!("sees {ret:?}"));
                if let Some(v) = ret {
                    *v *= 2;
                }
            });
            if early {
                return n + 1;
            }
            say("tail");
            n + 100
        }

        #[test]
        fn the_closure_sees_and_changes_the_value_of_return_and_tail() {
            assert_eq!(run(|| doubled(1, true)), (Ok(4), vec!["sees Some(2)".to_string()]));
            assert_eq!(
                run(|| doubled(1, false)),
                (Ok(202), vec!["tail".to_string(), "sees Some(101)".to_string()])
            );
        }

        #[with_defer($($s)?)]
        fn unit_result(log: &RefCell<Vec<String>>) {
            defer!(|ret: &mut Option<()>| log.borrow_mut().push(format!("unit sees {ret:?}")));
            log.borrow_mut().push("body".into());
        }

        #[test]
        fn a_unit_function_falling_off_its_end_gives_some_unit() {
            let log = RefCell::new(Vec::new());
            unit_result(&log);
            assert_eq!(*log.borrow(), ["body", "unit sees Some(())"]);
        }

        #[with_defer($($s)?)]
        fn question_mark(input: &str) -> Result<i32, AppError> {
            defer!(|ret: &mut Option<Result<i32, AppError>>| say(format!("sees {ret:?}")));
            let n: i32 = input.parse()?;
            Ok(n * 2)
        }

        #[test]
        fn the_closure_sees_the_converted_error_of_a_question_mark() {
            assert_eq!(
                run(|| question_mark("x")),
                (
                    Ok(Err(AppError("parse: invalid digit found in string".into()))),
                    vec![r#"sees Some(Err(AppError("parse: invalid digit found in string")))"#.to_string()]
                )
            );
            assert_eq!(
                run(|| question_mark("21")),
                (Ok(Ok(42)), vec!["sees Some(Ok(42))".to_string()])
            );
        }

        #[with_defer($($s)?)]
        fn read_len(mut input: &[u8], fail: bool) -> io::Result<u64> {
            defer!(|ret: &mut Option<io::Result<u64>>| {
                if let Some(Err(e)) = ret {
                    *e = io::Error::new(e.kind(), format!("read_len: {e}"));
                }
            });
            if fail {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "short read"));
            }
            let mut buf = Vec::new();
            input.read_to_end(&mut buf)?;
            Ok(buf.len() as u64)
        }

        #[test]
        fn wraps_an_error_with_context_annotated() {
            let err = read_len(b"abc", true).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
            assert_eq!(err.to_string(), "read_len: short read");
            assert_eq!(read_len(b"abc", false).unwrap(), 3);
        }

        #[with_defer($($s)?)]
        fn parse_port(text: &str) -> Result<u16, String> {
            defer!(|ret| {
                if let Some(Err(e)) = ret {
                    *e = format!("parse_port({text:?}): {e}");
                }
            });
            let port: u16 = text.trim().parse().map_err(|e| format!("{e}"))?;
            if port == 0 {
                return Err("port 0".into());
            }
            Ok(port)
        }

        #[test]
        fn wraps_an_error_with_context_unannotated() {
            assert_eq!(parse_port(" 80 "), Ok(80));
            assert_eq!(
                parse_port("x"),
                Err("parse_port(\"x\"): invalid digit found in string".to_string())
            );
            assert_eq!(parse_port("0"), Err("parse_port(\"0\"): port 0".to_string()));
        }

        #[with_defer($($s)?)]
        fn create_all(store: &RefCell<Vec<String>>, names: &[&str]) -> Result<usize, String> {
            defer!(|ret| {
                if let Some(Err(e)) = ret {
                    say(format!("undo after: {e}"));
                    store.borrow_mut().clear();
                }
            });
            for name in names {
                let name = validate(name)?;
                store.borrow_mut().push(name.to_string());
            }
            Ok(names.len())
        }

        #[test]
        fn errdefer_undoes_the_work_when_the_function_fails() {
            let store = RefCell::new(Vec::new());
            assert_eq!(run(|| create_all(&store, &["a", "b"])), (Ok(Ok(2)), vec![]));
            assert_eq!(*store.borrow(), ["a", "b"]);
            let store = RefCell::new(Vec::new());
            assert_eq!(
                run(|| create_all(&store, &["a", "", "c"])),
                (Ok(Err("empty name".to_string())), vec!["undo after: empty name".to_string()])
            );
            assert!(store.borrow().is_empty());
        }

        #[with_defer($($s)?)]
        fn counted(stats: &Stats, input: &str) -> Result<i32, ParseIntError> {
            defer!(|ret| stats.count(ret));
            let n: i32 = input.parse()?;
            if n < 0 {
                panic!("negative");
            }
            Ok(n)
        }

        #[test]
        fn counts_outcomes_including_panics() {
            let stats = Stats::default();
            assert_eq!(run(|| counted(&stats, "1")).0, Ok(Ok(1)));
            assert_eq!(run(|| counted(&stats, "2")).0, Ok(Ok(2)));
            assert!(run(|| counted(&stats, "z")).0.unwrap().is_err());
            assert_eq!(run(|| counted(&stats, "-1")).0, Err("negative".into()));
            assert_eq!(stats.get(), (2, 1, 1));
        }

        #[with_defer($($s)?)]
        fn fallback(input: &str) -> Result<i32, String> {
            defer!(|ret| {
                if matches!(ret, Some(Err(_))) {
                    *ret = Some(Ok(-1));
                }
            });
            parse(input)
        }

        #[test]
        fn the_closure_replaces_the_value() {
            assert_eq!(fallback("5"), Ok(5));
            assert_eq!(fallback("five"), Ok(-1));
        }

        #[with_defer($($s)?)]
        fn layered() -> String {
            defer!(|ret| {
                say(format!("oldest sees {ret:?}"));
                if let Some(s) = ret {
                    s.push_str(" c");
                }
            });
            defer!(say("plain"));
            defer!(move |ret: &mut Option<String>| {
                say(format!("newest sees {ret:?}"));
                ret.as_mut().expect("a value").push_str(" b");
            });
            String::from("a")
        }

        #[test]
        fn several_closures_run_newest_first_each_seeing_the_last_change() {
            let (out, lines) = run(layered);
            assert_eq!(out, Ok("a b c".to_string()));
            assert_eq!(lines, [r#"newest sees Some("a")"#, "plain", r#"oldest sees Some("a b")"#]);
        }

        #[with_defer($($s)?)]
        fn sees_none_on_panic(fail: bool) -> u32 {
            defer!(|ret| say(format!("oldest sees {ret:?}")));
            defer!(|ret| {
                say(format!("newest sees {ret:?}"));
                if ret.is_none() {
                    *ret = Some(5);
                }
            });
            if fail {
                panic!("before a value");
            }
            1
        }

        #[test]
        /// While a panic unwinds before any value exists the slot is `None`;
        /// the closures share it, as Go's deferred closures share a named
        /// result: what the newest sets, the older ones see.
        fn while_a_panic_unwinds_the_closures_see_none_then_what_was_set() {
            assert_eq!(
                run(|| sees_none_on_panic(true)),
                (
                    Err("before a value".to_string()),
                    vec!["newest sees None".to_string(), "oldest sees Some(5)".to_string()]
                )
            );
            assert_eq!(
                run(|| sees_none_on_panic(false)),
                (
                    Ok(1),
                    vec!["newest sees Some(1)".to_string(), "oldest sees Some(1)".to_string()]
                )
            );
        }

        #[with_defer($($s)?)]
        fn deferred_panic_after_return(token: Rc<()>) -> (u32, Rc<()>) {
            defer!(|ret: &mut Option<(u32, Rc<()>)>| {
                say(format!("oldest sees {:?}", ret.as_ref().map(|r| r.0)));
            });
            defer!(boom("deferred"));
            defer!(|ret: &mut Option<(u32, Rc<()>)>| {
                say(format!("newest sees {:?}", ret.as_ref().map(|r| r.0)));
                if let Some(r) = ret {
                    r.0 += 1;
                }
            });
            (41, token)
        }

        #[test]
        fn a_panic_raised_by_a_deferred_call_after_a_return_leaves_the_value_for_older_closures() {
            let token = Rc::new(());
            let (out, lines) = run(|| deferred_panic_after_return(Rc::clone(&token)));
            assert_eq!(out.unwrap_err(), "deferred");
            assert_eq!(lines, ["newest sees Some(41)", "panicking: deferred", "oldest sees Some(42)"]);
            assert_eq!(Rc::strong_count(&token), 1, "the returned value leaked");
        }

        #[with_defer($($s)?)]
        fn in_standard_macros(input: &str, which: u8) -> Result<String, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            match which {
                0 => println!("{}", parse(input)?),
                1 => return Ok(format!("<{}>", parse(input)?)),
                2 => assert!(parse(input)? > 0, "must be positive"),
                3 => {
                    let mut s = String::new();
                    write!(s, "[{}]", parse(input)?).map_err(|e| e.to_string())?;
                    return Ok(s);
                }
                4 => return Ok(format!("{:?}", vec![parse(input)?, 0])),
                5 => return Ok(format!("{:?}", vec![parse(input)?; 2])),
                6 => assert_eq!(parse(input)?, 5),
                7 => eprintln!("{}", format!("{}", parse(input)?)),
                8 => println!(
                    "{}",
                    if input.is_empty() {
                        return Err("returned inside println!".into());
                    } else {
                        input
                    }
                ),
                _ => {}
            }
            Ok(format!("end {which}"))
        }

        #[test]
        fn question_marks_and_returns_inside_standard_macros_reach_the_closure() {
            let err = |s: &str| Err::<String, String>(format!("{s:?}: invalid digit found in string"));
            for which in 0..=7 {
                let (out, lines) = run(|| in_standard_macros("x", which));
                assert_eq!(out, Ok(err("x")), "case {which}");
                assert_eq!(lines, [format!("sees Some({:?})", err("x"))], "case {which}");
            }
            let expected = [
                "end 0", "<5>", "end 2", "[5]", "[5, 0]", "[5, 5]", "end 6", "end 7", "end 8",
            ];
            for (which, expected) in (0..).zip(expected) {
                let (out, lines) = run(|| in_standard_macros("5", which));
                assert_eq!(out, Ok(Ok(expected.to_string())), "case {which}");
                assert_eq!(lines, [format!("sees Some(Ok({expected:?}))")], "case {which}");
            }
            let (out, lines) = run(|| in_standard_macros("", 8));
            assert_eq!(out, Ok(Err("returned inside println!".to_string())));
            assert_eq!(lines, [r#"sees Some(Err("returned inside println!"))"#]);
        }

        #[with_defer($($s)?)]
        fn in_more_standard_macros(input: &str, which: u8) -> Result<String, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            let mut out = String::new();
            match which {
                0 => writeln!(out, "{}", parse(input)?).map_err(|e| e.to_string())?,
                1 => out = dbg!(parse(input)?).to_string(),
                2 => assert_ne!(parse(input)?, 0),
                3 => debug_assert!(parse(input)? != 0),
                4 => out = std::format!("{}", parse(input)?),
                _ => out = format!("{}", format!("{}", parse(input)?)),
            }
            Ok(format!("{which}:{}", out.trim_end()))
        }

        #[test]
        fn question_marks_inside_more_standard_macros_reach_the_closure() {
            let err = Err::<String, String>("\"x\": invalid digit found in string".into());
            for which in 0..=5 {
                let (out, lines) = run(|| in_more_standard_macros("x", which));
                assert_eq!(out, Ok(err.clone()), "case {which}");
                assert_eq!(lines, [format!("sees Some({err:?})")], "case {which}");
            }
            let expected = ["0:3", "1:3", "2:", "3:", "4:3", "5:3"];
            for (which, expected) in (0..).zip(expected) {
                let (out, lines) = run(|| in_more_standard_macros("3", which));
                assert_eq!(out, Ok(Ok(expected.to_string())), "case {which}");
                assert_eq!(lines, [format!("sees Some(Ok({expected:?}))")], "case {which}");
            }
        }

        struct Counter {
            hits: u32,
        }

        impl Counter {
            #[with_defer($($s)?)]
            fn bump(&mut self, by: u32) -> Result<u32, String> {
                defer!(|ret| {
                    if let Some(Ok(v)) = ret {
                        *v += 1000;
                    }
                });
                if by == 0 {
                    return Err("zero".into());
                }
                self.hits += by;
                Ok(self.hits)
            }
        }

        #[test]
        fn result_form_in_a_method() {
            let mut counter = Counter { hits: 0 };
            assert_eq!(counter.bump(2), Ok(1002));
            assert_eq!(counter.bump(0), Err("zero".into()));
            assert_eq!(counter.hits, 2);
        }

        #[with_defer($($s)?)]
        fn generic_result<T: Clone + std::fmt::Debug>(value: T, twice: bool) -> Vec<T> {
            defer!(|ret| {
                if let Some(v) = ret {
                    if twice {
                        let again = v.clone();
                        v.extend(again);
                    }
                }
            });
            vec![value]
        }

        #[test]
        fn result_form_in_a_generic_function() {
            assert_eq!(generic_result('a', true), ['a', 'a']);
            assert_eq!(generic_result(1_u8, false), [1]);
        }

        #[with_defer($($s)?)]
        fn impl_trait_result(n: u32) -> impl std::fmt::Display {
            defer!(|ret: &mut Option<String>| {
                if let Some(s) = ret {
                    s.push('!');
                }
            });
            if n == 0 {
                return String::from("zero");
            }
            n.to_string()
        }

        #[test]
        fn result_form_with_an_impl_trait_return_and_an_annotation() {
            assert_eq!(impl_trait_result(0).to_string(), "zero!");
            assert_eq!(impl_trait_result(3).to_string(), "3!");
        }

        // ---- async fn ----

        #[with_defer($($s)?)]
        async fn async_doubled(n: u32, early: bool) -> u32 {
            defer!(|ret| {
                say(format!("async sees {ret:?}"));
                if let Some(v) = ret {
                    *v *= 2;
                }
            });
            yield_now().await;
            if early {
                return n + 1;
            }
            yield_now().await;
            n + 100
        }

        #[test]
        fn async_the_closure_sees_and_changes_the_value() {
            assert_eq!(
                run(|| block_on(async_doubled(1, true))),
                (Ok(4), vec!["async sees Some(2)".to_string()])
            );
            assert_eq!(
                run(|| block_on(async_doubled(1, false))),
                (Ok(202), vec!["async sees Some(101)".to_string()])
            );
        }

        #[with_defer($($s)?)]
        async fn async_read_len(mut input: &[u8], fail: bool) -> io::Result<u64> {
            defer!(|ret: &mut Option<io::Result<u64>>| {
                if let Some(Err(e)) = ret {
                    *e = io::Error::new(e.kind(), format!("async_read_len: {e}"));
                }
            });
            yield_now().await;
            if fail {
                Err(io::Error::new(io::ErrorKind::InvalidData, "bad"))?;
            }
            let mut buf = Vec::new();
            input.read_to_end(&mut buf)?;
            Ok(buf.len() as u64)
        }

        #[test]
        fn async_wraps_an_error_with_context() {
            let err = block_on(async_read_len(b"ab", true)).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
            assert_eq!(err.to_string(), "async_read_len: bad");
            assert_eq!(block_on(async_read_len(b"ab", false)).unwrap(), 2);
        }

        #[with_defer($($s)?)]
        async fn async_create_all(store: &RefCell<Vec<String>>, names: &[&str]) -> Result<usize, String> {
            defer!(|ret| {
                if let Some(Err(_)) = ret {
                    store.borrow_mut().clear();
                }
            });
            for name in names {
                yield_now().await;
                let name = validate(name)?;
                store.borrow_mut().push(name.to_string());
            }
            Ok(names.len())
        }

        #[test]
        fn async_errdefer() {
            let store = RefCell::new(Vec::new());
            assert_eq!(block_on(async_create_all(&store, &["a"])), Ok(1));
            assert_eq!(*store.borrow(), ["a"]);
            let store = RefCell::new(Vec::new());
            assert_eq!(block_on(async_create_all(&store, &["a", ""])), Err("empty name".into()));
            assert!(store.borrow().is_empty());
        }

        #[with_defer($($s)?)]
        async fn async_counted(stats: &Stats, input: &str) -> Result<i32, ParseIntError> {
            defer!(|ret| stats.count(ret));
            yield_now().await;
            let n: i32 = input.parse()?;
            if n < 0 {
                panic!("async negative");
            }
            Ok(n)
        }

        #[test]
        fn async_counts_outcomes_including_panics_after_an_await() {
            let stats = Stats::default();
            assert_eq!(run(|| block_on(async_counted(&stats, "1"))).0, Ok(Ok(1)));
            assert!(run(|| block_on(async_counted(&stats, "q"))).0.unwrap().is_err());
            assert_eq!(run(|| block_on(async_counted(&stats, "-3"))).0, Err("async negative".into()));
            assert_eq!(stats.get(), (1, 1, 1));
        }

        #[test]
        fn async_a_dropped_future_runs_the_closure_with_none() {
            let stats = Stats::default();
            let mut fut = Box::pin(async_counted(&stats, "1"));
            assert!(poll_once(fut.as_mut()).is_pending());
            drop(fut);
            assert_eq!(stats.get(), (0, 0, 1));
        }

        #[with_defer($($s)?)]
        async fn async_deferred_panic_after_return() -> u32 {
            defer!(|ret| say(format!("oldest sees {ret:?}")));
            defer!(boom("async deferred"));
            defer!(|ret| {
                if let Some(v) = ret {
                    *v += 1;
                }
            });
            yield_now().await;
            41
        }

        #[test]
        fn async_a_deferred_panic_after_return_leaves_the_value_for_older_closures() {
            let (out, lines) = run(|| block_on(async_deferred_panic_after_return()));
            assert_eq!(out, Err("async deferred".into()));
            assert_eq!(lines, ["panicking: async deferred", "oldest sees Some(42)"]);
        }

        #[with_defer($($s)?)]
        async fn async_in_standard_macros(input: &str) -> Result<String, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            yield_now().await;
            let s = format!("{}", parse(input)?);
            println!("{}", parse(input)?);
            Ok(s)
        }

        #[test]
        fn async_question_marks_inside_standard_macros_reach_the_closure() {
            assert_eq!(
                run(|| block_on(async_in_standard_macros("k"))),
                (
                    Ok(Err("\"k\": invalid digit found in string".to_string())),
                    vec![r#"sees Some(Err("\"k\": invalid digit found in string"))"#.to_string()]
                )
            );
            assert_eq!(
                run(|| block_on(async_in_standard_macros("8"))),
                (Ok(Ok("8".to_string())), vec![r#"sees Some(Ok("8"))"#.to_string()])
            );
        }
    };
}

for_each_lowering!(suite);

macro_rules! loops {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn loop_closures(n: u32) -> Vec<u32> {
            for i in 0..n {
                defer!(move |ret: &mut Option<Vec<u32>>| {
                    if let Some(v) = ret {
                        v.push(i);
                    }
                });
            }
            vec![]
        }

        #[test]
        fn result_form_in_a_loop() {
            assert_eq!(loop_closures(3), [2, 1, 0]);
            assert_eq!(loop_closures(40), (0..40).rev().collect::<Vec<_>>());
        }

        #[with_defer($($s)?)]
        fn loop_with_exits(inputs: &[&str]) -> Result<i32, String> {
            defer!(|ret| say(format!("outer sees {ret:?}")));
            let mut sum = 0;
            for (i, input) in inputs.iter().enumerate() {
                defer!(say(format!("plain {i}")));
                defer!(move |ret| {
                    if let Some(Err(e)) = ret {
                        *e = format!("{e} (item {i})");
                    }
                });
                let n = parse(input)?;
                if n < 0 {
                    return Err("negative".into());
                }
                sum += n;
            }
            Ok(sum)
        }

        #[test]
        fn result_form_in_a_loop_with_plain_records_and_exits() {
            assert_eq!(
                run(|| loop_with_exits(&["1", "2"])),
                (
                    Ok(Ok(3)),
                    vec!["plain 1".to_string(), "plain 0".into(), "outer sees Some(Ok(3))".into()]
                )
            );
            assert_eq!(
                run(|| loop_with_exits(&["1", "y"])),
                (
                    Ok(Err("\"y\": invalid digit found in string (item 1) (item 0)".to_string())),
                    vec![
                        "plain 1".to_string(),
                        "plain 0".into(),
                        r#"outer sees Some(Err("\"y\": invalid digit found in string (item 1) (item 0)"))"#.into()
                    ]
                )
            );
            assert_eq!(
                run(|| loop_with_exits(&["-1"])).0,
                Ok(Err("negative (item 0)".to_string()))
            );
        }

        #[with_defer($($s)?)]
        fn loop_sees_none_on_panic(n: u32) -> u32 {
            for i in 0..n {
                defer!(move |ret: &mut Option<u32>| say(format!("{i} sees {ret:?}")));
            }
            panic!("after the loop");
        }

        #[test]
        fn loop_closures_see_none_while_a_panic_unwinds() {
            let (out, lines) = run(|| loop_sees_none_on_panic(2));
            assert_eq!(out, Err("after the loop".into()));
            assert_eq!(lines, ["1 sees None", "0 sees None"]);
        }

        #[with_defer($($s)?)]
        async fn async_loop_closures(n: u32) -> Vec<u32> {
            for i in 0..n {
                defer!(move |ret: &mut Option<Vec<u32>>| {
                    if let Some(v) = ret {
                        v.push(i);
                    }
                });
                yield_now().await;
            }
            vec![n]
        }

        #[test]
        fn async_result_form_in_a_loop() {
            assert_eq!(block_on(async_loop_closures(3)), [3, 2, 1, 0]);
        }
    };
}

for_each_loop_lowering!(loops);
