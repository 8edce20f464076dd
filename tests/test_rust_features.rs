//! What Rust allows in a plain function still works with the result form and
//! `recover()`: `#[track_caller]` (the result form runs no closure around the
//! body), nested `fn` items declared after a `defer!` and used before it, a
//! `-> !` function, a generic result without `Default` that a deferred
//! closure sets after a recover, and an `async fn` whose result is not `Send`
//! but is made after its last `.await`: the future stays `Send`.

#[macro_use]
mod support;

use godefer::{defer, recover, with_defer};
use std::panic::Location;
use std::rc::Rc;
use support::{block_on, say, trace, yield_now};

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn items_declared_later(n: u32) -> Result<u32, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            defer!(|ret| {
                if let Some(p) = recover() {
                    say(format!("recovered {p}"));
                    *ret = Some(Err(p.to_string()));
                }
            });
            let a = double(n);
            defer!(say("second"));
            let b = Offset::new(a).0;
            defer!(say("third"));
            fn double(n: u32) -> u32 {
                if n == 0 {
                    panic!("zero");
                }
                n * 2
            }
            struct Offset(u32);
            impl Offset {
                fn new(v: u32) -> Self {
                    Offset(v + 1)
                }
            }
            Ok(b)
        }

        #[test]
        fn nested_items_declared_after_a_defer_are_in_scope_before_it() {
            assert_eq!(
                trace(|| assert_eq!(items_declared_later(2), Ok(5))),
                ["third", "second", "sees Some(Ok(5))"]
            );
            assert_eq!(
                trace(|| assert!(items_declared_later(0).is_err())),
                ["recovered zero", "sees Some(Err(\"zero\"))"]
            );
        }

        #[with_defer($($s)?)]
        fn never_returns(n: u32) -> ! {
            defer!(|ret| say(format!("sees {}", ret.is_some())));
            defer!(|| {
                if let Some(p) = recover() {
                    say(format!("recovered {p}"));
                }
            });
            panic!("boom {n}")
        }

        #[test]
        fn a_function_returning_never_can_defer_and_recover() {
            // Recovered, it still cannot return: a panic that says so.
            let mut message = String::new();
            let lines = trace(|| {
                let caught = std::panic::catch_unwind(|| never_returns(1));
                message = support::message(&*caught.unwrap_err());
            });
            assert_eq!(lines, ["recovered boom 1", "sees false"]);
            assert!(message.contains("`never_returns` has no result to return"), "{message}");
        }

        #[with_defer($($s)?)]
        fn generic_without_default<T: Clone>(fallback: T, fail: bool, make: impl Fn() -> T) -> T {
            defer!(|ret| {
                if recover().is_some() {
                    *ret = Some(fallback.clone());
                }
            });
            if fail {
                panic!("fail");
            }
            make()
        }

        #[test]
        fn a_generic_result_without_default_set_after_a_recover() {
            struct NoDefault(&'static str);
            impl Clone for NoDefault {
                fn clone(&self) -> Self {
                    NoDefault(self.0)
                }
            }
            let got = generic_without_default(NoDefault("fallback"), true, || NoDefault("made"));
            assert_eq!(got.0, "fallback");
            let got = generic_without_default(NoDefault("fallback"), false, || NoDefault("made"));
            assert_eq!(got.0, "made");
        }

        #[with_defer($($s)?)]
        async fn not_send_result(n: u8) -> Result<Rc<u8>, String> {
            defer!(|ret| say(format!("sees {ret:?}")));
            yield_now().await;
            Ok(Rc::new(n))
        }

        #[with_defer($($s)?)]
        async fn not_send_result_recovering(n: u8) -> Result<Rc<u8>, String> {
            defer!(|ret| {
                if let Some(p) = recover() {
                    *ret = Some(Err(p.to_string()));
                }
            });
            yield_now().await;
            if n == 0 {
                panic!("zero");
            }
            Ok(Rc::new(n))
        }

        fn assert_send<F: std::future::Future + Send>(f: F) -> F {
            f
        }

        #[test]
        fn an_async_fn_with_a_result_made_after_the_last_await_stays_send() {
            let lines = trace(|| {
                let got = block_on(assert_send(not_send_result(3)));
                assert_eq!(*got.unwrap(), 3);
            });
            assert_eq!(lines, ["sees Some(Ok(3))"]);
            assert_eq!(*block_on(assert_send(not_send_result_recovering(4))).unwrap(), 4);
            assert_eq!(
                block_on(assert_send(not_send_result_recovering(0))).unwrap_err(),
                "zero"
            );
        }
    };
}

for_each_lowering!(suite);

/// Outside the suite macro, where `line!()` and `Location::caller()` see the
/// lines as written.
mod track_caller {
    use super::*;

    #[track_caller]
    #[with_defer(open_coded)]
    fn open_coded() -> Result<&'static Location<'static>, String> {
        defer!(|ret| {
            if let Some(Ok(at)) = ret {
                say(format!("called from line {}", at.line()));
            }
        });
        Ok(Location::caller())
    }

    #[track_caller]
    #[with_defer(chain)]
    fn chain(fail: bool) -> Result<&'static Location<'static>, String> {
        defer!(|ret| {
            if let Some(Err(e)) = ret {
                e.push_str(" (wrapped)");
            }
        });
        if fail {
            return Err("failed".into());
        }
        Ok(Location::caller())
    }

    #[test]
    fn track_caller_sees_the_caller_with_the_result_form() {
        let mut seen = Vec::new();
        let lines = trace(|| seen.push((open_coded().unwrap().line(), line!())));
        seen.push((chain(false).unwrap().line(), line!()));
        assert_eq!(seen[0].0, seen[0].1);
        assert_eq!(seen[1].0, seen[1].1);
        assert_eq!(lines, [format!("called from line {}", seen[0].1)]);
        assert_eq!(chain(true).unwrap_err(), "failed (wrapped)");
    }
}
