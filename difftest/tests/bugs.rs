//! Regression tests: library bugs the differential test found, each reduced
//! to a minimal reproduction, with what Go 1.19 prints. All fixed; the random
//! batch generates their patterns again (`DIFFTEST_KNOWN_BUGS=0` leaves them
//! out, see `gen::Config::avoid_known_bugs`).
#![allow(unreachable_code)]

use std::cell::RefCell;

use godefer::{defer, recover, with_defer};

thread_local! {
    static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn say(line: String) {
    LINES.with(|l| l.borrow_mut().push(line));
}

fn take() -> Vec<String> {
    LINES.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

macro_rules! for_each_lowering {
    ($suite:ident) => {
        mod open_coded {
            $suite!(open_coded);
        }
        mod chain {
            $suite!(chain);
        }
        mod auto {
            $suite!();
        }
    };
}

/// A result-form closure that sets the result while a panic unwinds, before
/// an earlier-registered closure recovers: Go returns the value it set.
///
/// ```go
/// func f() (r int) {
///     defer func() { recover() }()
///     defer func() { r = 7 }()
///     panic("boom")
/// }                                       // f() == 7
/// ```
///
/// Here the setter's record runs from `Drop` while the panic unwinds (it is
/// declared inside the catch that the recovering closure's frame puts after
/// its record), where a result-form closure gets a fresh `&mut None`: the
/// value is lost, and `f` returns `0` (or, with a result type that has no
/// `Default`, panics with "has no result to return").
macro_rules! result_set_during_panic_lost_on_recover {
    ($($lowering:ident)?) => {
        use super::*;

        #[with_defer($($lowering)?)]
        fn int() -> i64 {
            defer!(|| {
                recover();
            });
            defer!(|ret| *ret = Some(7));
            panic!("boom");
        }

        #[with_defer($($lowering)?)]
        fn res() -> Result<i64, String> {
            defer!(|| {
                recover();
            });
            defer!(|ret| *ret = Some(Err("cleanup failed".to_string())));
            panic!("boom");
        }

        #[test]
        fn result_set_during_panic_is_kept_on_recover() {
            std::panic::set_hook(Box::new(|_| {}));
            let int = std::panic::catch_unwind(int).map_err(|_| "panicked");
            let res = std::panic::catch_unwind(res).map_err(|_| "panicked");
            let _ = std::panic::take_hook();
            assert_eq!(int, Ok(7), "Go returns the value the deferred closure set");
            assert_eq!(res, Ok(Err("cleanup failed".to_string())));
        }
    };
}

mod lost_on_recover {
    use super::*;
    for_each_lowering!(result_set_during_panic_lost_on_recover);
}

/// A result-form closure that reads the result while a panic unwinds, after a
/// later-registered one set it: Go's closure sees the named result's value.
///
/// ```go
/// func g() (r int) {
///     defer func() { fmt.Println("r =", r) }()   // prints "r = 7"
///     defer func() { r = 7 }()
///     panic("boom")
/// }
/// ```
///
/// Here each record run from `Drop` gets its own `&mut None`: the reader
/// prints `None`.
macro_rules! result_set_during_panic_invisible {
    ($($lowering:ident)?) => {
        use super::*;

        #[with_defer($($lowering)?)]
        fn g() -> i64 {
            defer!(|ret| say(format!("r = {ret:?}")));
            defer!(|ret| *ret = Some(7));
            panic!("boom");
        }

        #[test]
        fn result_set_during_panic_is_visible() {
            take();
            std::panic::set_hook(Box::new(|_| {}));
            let outcome = std::panic::catch_unwind(g);
            let _ = std::panic::take_hook();
            assert!(outcome.is_err());
            assert_eq!(take(), ["r = Some(7)"], "Go's closure sees r = 7");
        }
    };
}

/// The newest closure recovers, sets the result, and panics again: the new
/// panic leaves the catch of the recovering closure, so the older result-form
/// closure runs from `Drop` and sees `None`, though the slot holds `3` (an
/// older recovering closure stops the new panic and `f` does return 3).
///
/// ```go
/// func f() (r int) {
///     defer func() { recover() }()
///     defer func() { fmt.Println("r =", r) }()   // prints "r = 3"
///     defer func() {
///         if recover() != nil { r = 3 }
///         panic("again")
///     }()
///     panic("boom")
/// }                                               // f() == 3
/// ```
macro_rules! result_set_after_recover_invisible_after_new_panic {
    ($($lowering:ident)?) => {
        use super::*;

        #[with_defer($($lowering)?)]
        fn f() -> i64 {
            defer!(|| {
                recover();
            });
            defer!(|ret| say(format!("r = {ret:?}")));
            defer!(|ret| {
                if recover().is_some() {
                    *ret = Some(3);
                }
                panic!("again");
            });
            panic!("boom");
        }

        #[test]
        fn result_set_after_recover_is_visible_after_new_panic() {
            take();
            std::panic::set_hook(Box::new(|_| {}));
            let value = std::panic::catch_unwind(f).map_err(|_| "panicked");
            let _ = std::panic::take_hook();
            assert_eq!((take(), value), (vec!["r = Some(3)".to_string()], Ok(3)), "Go's closure sees r = 3");
        }
    };
}

mod invisible_after_new_panic {
    use super::*;
    for_each_lowering!(result_set_after_recover_invisible_after_new_panic);
}

mod invisible {
    use super::*;
    for_each_lowering!(result_set_during_panic_invisible);
}

/// A deferred call that panics (`B`) and whose own deferred call then panics
/// (`C`, superseding `B`), run while its caller panics (`A`): Go's `recover()`
/// returns the newest panic, `C`; here it returns `B`.
///
/// ```go
/// func inner() {
///     defer func() { panic("C") }()
///     panic("B")
/// }
/// func outer() {
///     defer inner()
///     panic("A")
/// }
/// func top() {
///     defer func() { fmt.Println("recovered", recover()) }()   // recovered C
///     outer()
/// }
/// ```
///
/// `C` is raised from `Drop` while `B` unwinds, so it is pushed on the
/// thread's list of superseding panics; then `B`'s payload escapes `inner`
/// and is caught by the record of `outer` that runs it (from `Drop`, or from
/// the recovering frame's `handle`), which pushes `B` after `C` (or makes it
/// the frame's current panic): the later-raised `C` ends up older than `B`.
/// The same deferred call on a normal exit is right.
macro_rules! superseded_inside_deferred_call {
    ($($lowering:ident)?) => {
        use super::*;

        #[with_defer($($lowering)?)]
        fn inner() {
            defer!(|| panic!("C"));
            panic!("B");
        }

        /// Runs `inner` from `Drop`, while `A` unwinds.
        #[with_defer($($lowering)?)]
        fn outer() {
            defer!(inner());
            panic!("A");
        }

        #[with_defer($($lowering)?)]
        fn top() {
            defer!(|| {
                if let Some(p) = recover() {
                    say(format!("recovered {p}"));
                }
            });
            outer();
        }

        /// Runs `inner` from the recovering frame's handler, while `A` is current.
        #[with_defer($($lowering)?)]
        fn recovering() -> i64 {
            defer!(|ret| {
                if let Some(p) = recover() {
                    say(format!("recovered {p}"));
                    *ret = Some(1);
                }
            });
            defer!(inner());
            panic!("A");
        }

        #[test]
        fn superseded_inside_deferred_call_from_drop() {
            take();
            std::panic::set_hook(Box::new(|_| {}));
            top();
            let _ = std::panic::take_hook();
            assert_eq!(take(), ["recovered C"], "Go's recover() returns C");
        }

        #[test]
        fn superseded_inside_deferred_call_in_recovering_frame() {
            take();
            std::panic::set_hook(Box::new(|_| {}));
            let value = recovering();
            let _ = std::panic::take_hook();
            assert_eq!((take(), value), (vec!["recovered C".to_string()], 1), "Go's recover() returns C");
        }
    };
}

mod superseded {
    use super::*;
    for_each_lowering!(superseded_inside_deferred_call);
}
