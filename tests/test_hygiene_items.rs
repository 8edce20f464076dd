//! Hygiene against items: a `const`, `static`, unit struct or other item in
//! scope named like a generated local or like the enum for loop sites does not
//! change the lowering. (Mixed-site hygiene hides generated locals from the
//! function's variables, not from its items, so generated names are prefixed
//! `__defer_` and the enum's name avoids every identifier of the function.)
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

mod support;

use support::trace;

#[allow(non_upper_case_globals)]
mod const_named_ret {
    use super::support::say;
    use godefer::{defer, with_defer};

    const __ret: i32 = 7;

    #[with_defer]
    pub fn f() -> i32 {
        defer!(say("deferred"));
        __ret + 1
    }
}

#[test]
fn const_named_like_the_return_local() {
    assert_eq!(trace(|| assert_eq!(const_named_ret::f(), 8)), ["deferred"]);
}

#[allow(non_camel_case_types)]
mod unit_struct_named_args {
    use super::support::say;
    use godefer::{defer, with_defer};

    #[derive(Debug)]
    pub struct __args;

    #[with_defer]
    pub fn f() -> String {
        defer!(say(format!("deferred {:?}", __args)));
        String::from("body")
    }
}

#[test]
fn unit_struct_named_like_the_arguments_local() {
    assert_eq!(
        trace(|| assert_eq!(unit_struct_named_args::f(), "body")),
        ["deferred __args"]
    );
}

#[allow(non_upper_case_globals)]
mod static_named_residual {
    use super::support::say;
    use godefer::{defer, with_defer};

    static __residual: &str = "user static";
    static __val: &str = "user static";

    #[with_defer(chain)]
    pub fn f(input: &str) -> Result<i32, std::num::ParseIntError> {
        defer!(say(format!("deferred {__residual} {__val}")));
        let n: i32 = input.parse()?;
        Ok(n)
    }
}

#[test]
fn statics_named_like_the_question_mark_locals() {
    assert_eq!(
        trace(|| assert_eq!(static_named_residual::f("3"), Ok(3))),
        ["deferred user static user static"]
    );
    assert_eq!(
        trace(|| assert!(static_named_residual::f("x").is_err())),
        ["deferred user static user static"]
    );
}

#[allow(non_upper_case_globals)]
mod const_named_deferred {
    use super::support::say;
    use godefer::{defer, with_defer};

    const __deferred: u8 = 0;
    const __callee: u8 = 0;
    const __arg_0: u8 = 0;

    #[with_defer(open_coded)]
    pub fn f() -> u8 {
        defer!(|| say("closure"));
        defer!(say("call"));
        __deferred + __callee + __arg_0
    }
}

#[test]
fn consts_named_like_the_closure_and_call_locals() {
    assert_eq!(
        trace(|| assert_eq!(const_named_deferred::f(), 0)),
        ["call", "closure"]
    );
}

mod loop_sites_enum {
    use super::support::say;
    use godefer::{defer, with_defer};

    #[with_defer]
    pub fn f() -> usize {
        #[allow(non_camel_case_types, dead_code)]
        struct __GoDeferSites0;

        for i in 0..2 {
            defer!(say(format!("a{i}")));
            defer!(say(format!("b{i}")));
        }
        std::mem::size_of::<__GoDeferSites0>()
    }
}

#[test]
fn user_item_named_like_the_loop_sites_enum() {
    assert_eq!(
        trace(|| assert_eq!(loop_sites_enum::f(), 0)),
        ["b1", "a1", "b0", "a0"]
    );
}
