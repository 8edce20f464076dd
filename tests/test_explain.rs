//! `#[with_defer(explain)]` adds notes and nothing else: the function behaves
//! as without it, and the note's item hides no name of the user's code (the
//! notes are declared at the top of the body, each in its own block).
// The notes are `#[deprecated]` warnings, on purpose.
#![allow(deprecated)]

#[macro_use]
mod support;

use godefer::{defer, recover, with_defer};
use support::{say, trace};

/// A function of the user's with the name the notes use.
fn lowering() {
    say("the user's lowering()");
}

#[with_defer(explain)]
fn calls_its_own_lowering(fail: bool) -> u8 {
    defer!(lowering());
    defer!(|| lowering());
    lowering();
    if fail {
        return 1;
    }
    2
}

#[test]
fn explain_mode_calls_the_users_function_of_the_same_name() {
    let mut out = Vec::new();
    let lines = trace(|| out = vec![calls_its_own_lowering(true), calls_its_own_lowering(false)]);
    assert_eq!(out, [1, 2]);
    assert_eq!(lines, ["the user's lowering()"; 6]);
}

#[with_defer(explain)]
fn recovering_with_notes() -> &'static str {
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some("recovered");
        }
    });
    defer!(say("plain"));
    panic!("boom");
}

#[test]
fn explain_mode_changes_nothing_in_a_recovering_function() {
    std::panic::set_hook(Box::new(|_| {}));
    let mut out = None;
    let lines = trace(|| out = Some(recovering_with_notes()));
    assert_eq!(out, Some("recovered"));
    assert_eq!(lines, ["plain"]);
}
