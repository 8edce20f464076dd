//! Exits hidden in another macro's definition: `anyhow::bail!`, `ensure!`,
//! eyre's, and a user's `macro_rules!` that expands to `return` or `?`. In a
//! function with result-form closures or `recover()` returning `Result` or
//! `Option`, such a call runs in a closure of the function's result type, so
//! the hidden exit comes back as a value and leaves through the exit sequence:
//! the result-form closures see it, as Go's deferred closures see a named
//! result, whether the macro is a statement, an expression or the tail, in a
//! plain or an `async fn`, defined outside the function or inside it. Macros
//! whose tokens merely contain `return` or `?` (`stringify!`) are left alone.
// A deferred closure in a loop is part of the point: silence the loop warning.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, recover, with_defer};
use support::{block_on, say, trace, yield_now};

/// A user macro defined outside the function: a hidden `return`.
macro_rules! check {
    ($cond:expr, $msg:expr) => {
        if !$cond {
            return Err(String::from($msg));
        }
    };
}

/// A user macro used as an expression: a hidden `?`.
macro_rules! number {
    ($text:expr) => {
        $text.parse::<i64>().map_err(|e| e.to_string())?
    };
}

/// A whole result, with a hidden `?` and a hidden `return`.
macro_rules! parsed {
    ($text:expr) => {{
        let v = $text.parse::<i64>().map_err(|e| e.to_string())?;
        if v == 0 {
            return Err(String::from("zero"));
        }
        Ok(v)
    }};
}

/// A hidden `return None`.
macro_rules! need {
    ($value:expr) => {
        match $value {
            Some(v) => v,
            None => return None,
        }
    };
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn with_anyhow_ensure(n: i64) -> anyhow::Result<i64> {
            defer!(|ret| *ret = ret.take().map(|r| r.map_err(|e| e.context("with_anyhow_ensure"))));
            defer!(say("deferred runs"));
            anyhow::ensure!(n >= 0, "negative");
            if n > 100 {
                anyhow::bail!("too big: {n}");
            }
            Ok(n * 2)
        }

        #[test]
        fn anyhow_ensure_and_bail_reach_the_closure() {
            let lines = trace(|| {
                let err = with_anyhow_ensure(-1).unwrap_err();
                say(format!("{err:#}"));
                let err = with_anyhow_ensure(101).unwrap_err();
                say(format!("{err:#}"));
                say(format!("{}", with_anyhow_ensure(4).unwrap()));
            });
            assert_eq!(
                lines,
                [
                    "deferred runs",
                    "with_anyhow_ensure: negative",
                    "deferred runs",
                    "with_anyhow_ensure: too big: 101",
                    "deferred runs",
                    "8",
                ]
            );
        }

        #[with_defer($($s)?)]
        fn with_eyre(n: i64) -> eyre::Result<i64> {
            defer!(|ret| *ret = ret.take().map(|r| r.map_err(|e| e.wrap_err("with_eyre"))));
            eyre::ensure!(n != 0, "zero");
            if n < 0 {
                eyre::bail!("negative");
            }
            Ok(n)
        }

        #[test]
        fn eyre_ensure_and_bail_reach_the_closure() {
            assert_eq!(format!("{:#}", with_eyre(0).unwrap_err()), "with_eyre: zero");
            assert_eq!(format!("{:#}", with_eyre(-3).unwrap_err()), "with_eyre: negative");
            assert_eq!(with_eyre(3).unwrap(), 3);
        }

        #[with_defer($($s)?)]
        fn user_macros(text: &str) -> Result<i64, String> {
            // Defined inside the function, after the first defer.
            defer!(|ret| {
                if let Some(Err(e)) = ret {
                    *e = format!("user_macros({text}): {e}");
                }
            });
            macro_rules! positive {
                ($v:expr) => {
                    if $v <= 0 {
                        return Err(format!("{} is not positive", $v));
                    }
                };
            }
            check!(!text.is_empty(), "empty");
            let v = number!(text);
            positive!(v);
            Ok(v)
        }

        #[test]
        fn user_macros_hiding_return_and_question_mark_reach_the_closure() {
            assert_eq!(user_macros(""), Err("user_macros(): empty".to_string()));
            assert_eq!(
                user_macros("x"),
                Err("user_macros(x): invalid digit found in string".to_string())
            );
            assert_eq!(user_macros("-2"), Err("user_macros(-2): -2 is not positive".to_string()));
            assert_eq!(user_macros("7"), Ok(7));
        }

        #[with_defer($($s)?)]
        fn option_result(v: Option<u8>) -> Option<u8> {
            defer!(|ret| {
                say(format!("sees {ret:?}"));
                if let Some(None) = ret {
                    *ret = Some(Some(0));
                }
            });
            let v = need!(v);
            Some(v + 1)
        }

        #[test]
        fn a_hidden_return_none_reaches_the_closure() {
            let lines = trace(|| {
                say(format!("{:?}", option_result(None)));
                say(format!("{:?}", option_result(Some(1))));
            });
            assert_eq!(lines, ["sees Some(None)", "Some(0)", "sees Some(Some(2))", "Some(2)"]);
        }

        #[with_defer($($s)?)]
        fn tail_macro(n: i64) -> Result<i64, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            check!(n > 0, "not positive");
            parsed! { (n - 1).to_string() }
        }

        #[with_defer($($s)?)]
        fn braced_tail(n: i64) -> Result<i64, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            parsed!(n.to_string())
        }

        #[test]
        fn hidden_exits_in_statements_and_tails_reach_the_closure() {
            let lines = trace(|| {
                let _ = tail_macro(0);
                let _ = tail_macro(1);
                let _ = tail_macro(3);
                let _ = braced_tail(0);
                let _ = braced_tail(1);
            });
            assert_eq!(
                lines,
                [
                    "sees Some(Err(\"not positive\"))",
                    "sees Some(Err(\"zero\"))",
                    "sees Some(Ok(2))",
                    "sees Some(Err(\"zero\"))",
                    "sees Some(Ok(1))",
                ]
            );
        }

        #[with_defer($($s)?)]
        fn recovering(n: i64) -> Result<i64, String> {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(Err(format!("recovered: {p}")));
                }
                say(format!("sees {ret:?}"));
            });
            check!(n != 0, "zero");
            if n < 0 {
                panic!("negative");
            }
            Ok(n)
        }

        #[test]
        fn hidden_exits_in_a_recovering_function() {
            let lines = trace(|| {
                say(format!("{:?}", recovering(0)));
                say(format!("{:?}", recovering(-1)));
                say(format!("{:?}", recovering(1)));
            });
            assert_eq!(
                lines,
                [
                    "sees Some(Err(\"zero\"))",
                    "Err(\"zero\")",
                    "sees Some(Err(\"recovered: negative\"))",
                    "Err(\"recovered: negative\")",
                    "sees Some(Ok(1))",
                    "Ok(1)",
                ]
            );
        }

        #[with_defer($($s)?)]
        async fn in_async(text: &str) -> Result<i64, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            yield_now().await;
            check!(!text.is_empty(), "empty");
            let v = number!(text);
            yield_now().await;
            Ok(v)
        }

        #[test]
        fn hidden_exits_in_an_async_fn() {
            let lines = trace(|| {
                let _ = block_on(in_async(""));
                let _ = block_on(in_async("x"));
                let _ = block_on(in_async("5"));
            });
            assert_eq!(
                lines,
                [
                    "sees Some(Err(\"empty\"))",
                    "sees Some(Err(\"invalid digit found in string\"))",
                    "sees Some(Ok(5))",
                ]
            );
        }

        #[with_defer($($s)?)]
        fn inert_tokens() -> Result<&'static str, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            let text = stringify!(return x?);
            Ok(text)
        }

        #[test]
        fn tokens_that_merely_contain_exits_are_not_exits() {
            let lines = trace(|| {
                let _ = inert_tokens();
            });
            assert_eq!(lines, ["sees Some(Ok(\"return x ?\"))"]);
        }

        #[with_defer($($s)?)]
        fn moves_and_borrows(names: Vec<String>) -> Result<usize, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            let first = &names[0];
            check!(first != "bad", "bad first");
            let taken = names;
            check!(taken.len() < 3, "too many");
            Ok(taken.len())
        }

        #[test]
        fn wrapped_calls_borrow_and_move_as_written() {
            let lines = trace(|| {
                let _ = moves_and_borrows(vec!["bad".into()]);
                let _ = moves_and_borrows(vec!["a".into(); 3]);
                let _ = moves_and_borrows(vec!["a".into()]);
            });
            assert_eq!(
                lines,
                [
                    "sees Some(Err(\"bad first\"))",
                    "sees Some(Err(\"too many\"))",
                    "sees Some(Ok(1))",
                ]
            );
        }
    };
}

for_each_lowering!(suite);

mod loops {
    use super::*;

    #[with_defer]
    fn in_a_loop(items: &[&str]) -> Result<i64, String> {
        defer!(|ret| say(format!("sees {ret:?}")));
        let mut sum = 0;
        for item in items {
            defer!(say(format!("done {item}")));
            sum += number!(item);
        }
        Ok(sum)
    }

    #[test]
    fn a_hidden_question_mark_in_a_loop_runs_the_loop_records() {
        let lines = trace(|| {
            let _ = in_a_loop(&["1", "x", "3"]);
        });
        assert_eq!(
            lines,
            [
                "done x",
                "done 1",
                "sees Some(Err(\"invalid digit found in string\"))",
            ]
        );
    }
}

/// The fixes the compile-fail cases suggest.
mod twins {
    use super::*;

    macro_rules! log {
        ($e:expr) => {
            say(format!("log: {}", $e))
        };
    }

    macro_rules! when {
        ($cond:expr, $then:expr) => {
            if $cond {
                $then
            }
        };
    }

    #[with_defer]
    fn return_outside_the_macro(n: i64) -> i64 {
        defer!(|ret| say(format!("returning {ret:?}")));
        if n < 0 {
            return 0;
        }
        log!(n);
        n
    }

    #[with_defer]
    fn loop_control_outside_the_macro(items: &[i64]) -> Result<i64, String> {
        defer!(|ret| say(format!("returning {ret:?}")));
        let mut found = None;
        for &n in items {
            let mut even = false;
            when!(n % 2 == 0, even = true);
            if even {
                found = Some(n);
                break;
            }
        }
        found.ok_or_else(|| "none".to_string())
    }

    #[test]
    fn the_fixes_compile_and_run() {
        let lines = trace(|| {
            return_outside_the_macro(-1);
            return_outside_the_macro(2);
            let _ = loop_control_outside_the_macro(&[1, 4, 6]);
            let _ = loop_control_outside_the_macro(&[1]);
        });
        assert_eq!(
            lines,
            [
                "returning Some(0)",
                "log: 2",
                "returning Some(2)",
                "returning Some(Ok(4))",
                "returning Some(Err(\"none\"))",
            ]
        );
    }
}
