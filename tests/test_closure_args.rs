//! Closure literals as arguments of a deferred call need no annotations, as in
//! a plain call: `defer!(apply(|s| s.len(), "abc"))` saves its arguments
//! through a function whose bound gives the closure the callee's signature,
//! closures over references (`f: impl Fn(&i32)`) included; a non-`move`
//! closure argument of a deferred method call is created at exit, in the call.

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use support::{say, trace};

fn apply(f: impl Fn(&str) -> usize, s: &str) {
    say(format!("apply -> {}", f(s)));
}

fn each(v: &[i32], f: impl Fn(&i32)) {
    v.iter().for_each(f);
}

struct List(Vec<i32>);

impl List {
    fn visit(&self, f: impl Fn(&i32)) {
        self.0.iter().for_each(f);
    }
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn closure_needs_the_callee_signature() {
            defer!(apply(|s| s.len(), "abc"));
            say("body");
        }

        #[test]
        fn closure_argument_with_inferred_parameter_type() {
            assert_eq!(trace(closure_needs_the_callee_signature), ["body", "apply -> 3"]);
        }

        #[with_defer($($s)?)]
        fn higher_ranked_closure_argument() {
            let v = vec![1, 2];
            defer!(each(&v, |x| say(format!("each {x}"))));
            let list = List(vec![3]);
            defer!(list.visit(|x| say(format!("visit {x}"))));
            say("body");
        }

        #[test]
        fn closure_argument_over_references() {
            assert_eq!(
                trace(higher_ranked_closure_argument),
                ["body", "visit 3", "each 1", "each 2"]
            );
        }
    };
}

for_each_lowering!(suite);
