//! A macro call as the tail expression, with any delimiter: `m! { .. }` gives
//! the body its value as `m!(..)` and `m![..]` do, so result-form closures see
//! that value and the deferred calls run in the same order against the drops
//! of the function's locals.

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use support::{say, trace};

/// Says when it is dropped.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        say(format!("drop {}", self.0));
    }
}

macro_rules! value {
    ($($e:tt)*) => {{
        say("tail evaluated");
        $($e)*
    }};
}

macro_rules! suite {
    ($($strategy:ident)?) => {
        use super::*;

        #[with_defer($($strategy)?)]
        fn braces(n: u32) -> u32 {
            let _local = Noisy("local");
            defer!(say("deferred"));
            value! { n + 1 }
        }

        #[with_defer($($strategy)?)]
        fn parens(n: u32) -> u32 {
            let _local = Noisy("local");
            defer!(say("deferred"));
            value!(n + 1)
        }

        #[with_defer($($strategy)?)]
        fn brackets(n: u32) -> u32 {
            let _local = Noisy("local");
            defer!(say("deferred"));
            value![n + 1]
        }

        // A unit function whose last statement is a braced macro.
        #[with_defer($($strategy)?)]
        fn unit_braces() {
            defer!(say("deferred"));
            value! { say("body") }
        }

        #[test]
        fn a_braced_macro_tail_runs_like_the_other_delimiters() {
            let expected = ["tail evaluated", "deferred", "drop local"];
            assert_eq!(trace(|| assert_eq!(parens(1), 2)), expected);
            assert_eq!(trace(|| assert_eq!(brackets(1), 2)), expected);
            assert_eq!(trace(|| assert_eq!(braces(1), 2)), expected);
        }

        #[test]
        fn a_braced_macro_ends_a_unit_function() {
            assert_eq!(trace(unit_braces), ["tail evaluated", "body", "deferred"]);
        }
    };
}

for_each_lowering!(suite);

// The result form sees the braced tail's value and can replace it.
#[with_defer]
fn wrapped(n: u32) -> Result<u32, String> {
    defer!(|ret| {
        if let Some(Ok(v)) = ret {
            *v *= 10;
        }
        say(format!("result form saw {ret:?}"));
    });
    value! { if n > 0 { Ok(n) } else { Err("zero".to_string()) } }
}

#[test]
fn a_result_form_closure_sees_a_braced_macro_tail() {
    assert_eq!(
        trace(|| assert_eq!(wrapped(4), Ok(40))),
        ["tail evaluated", "result form saw Some(Ok(40))"]
    );
    assert_eq!(
        trace(|| assert_eq!(wrapped(0), Err("zero".into()))),
        ["tail evaluated", "result form saw Some(Err(\"zero\"))"]
    );
}
