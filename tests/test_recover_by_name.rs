//! `recover` is the library's by name resolution, not by its spelling: a
//! function of yours named `recover` is called as written, in the body and in
//! deferred code alike; `godefer::recover()` and the crate under another name
//! recover; an alias the attribute cannot see (`use godefer::recover as r`)
//! returns `None` and lets the panic go on (with a note on stderr).

use godefer::{defer, with_defer};
use std::panic::catch_unwind;

/// The crate under another name, as a renamed dependency would be.
use godefer as gd;

mod own {
    use std::cell::Cell;

    thread_local! {
        pub static CALLS: Cell<u32> = const { Cell::new(0) };
    }

    /// A function of the user's that happens to be called `recover`.
    pub fn recover() -> u32 {
        CALLS.with(|c| c.set(c.get() + 1));
        7
    }

    pub fn calls() -> u32 {
        CALLS.with(Cell::get)
    }
}

mod same_signature {
    /// Even with the library's signature, a function of the user's is its own.
    pub fn recover() -> Option<godefer::Panic> {
        None
    }
}

#[with_defer]
fn users_recover_in_body_and_deferred_code(fail: bool) -> u32 {
    use own::recover;
    let before = recover();
    defer!(|| {
        let _ = recover();
    });
    if fail {
        panic!("not swallowed");
    }
    before
}

#[test]
fn a_function_of_yours_named_recover_is_called_as_written() {
    let calls = own::calls();
    assert_eq!(users_recover_in_body_and_deferred_code(false), 7);
    assert_eq!(own::calls(), calls + 2);
    // Its deferred call is not the library's recover: the panic goes on.
    assert!(catch_unwind(|| users_recover_in_body_and_deferred_code(true)).is_err());
    assert_eq!(own::calls(), calls + 4);
}

#[with_defer]
fn same_signature_does_not_recover() {
    use same_signature::recover;
    defer!(|| {
        assert!(recover().is_none());
    });
    panic!("still panicking");
}

#[test]
fn a_function_of_yours_with_the_library_signature_does_not_recover() {
    assert!(catch_unwind(same_signature_does_not_recover).is_err());
}

#[with_defer]
fn fully_qualified() -> Result<(), String> {
    defer!(|ret| {
        if let Some(p) = godefer::recover() {
            *ret = Some(Err(format!("qualified: {p}")));
        }
    });
    panic!("boom");
}

#[with_defer]
fn renamed_crate() -> Result<(), String> {
    defer!(|ret| {
        if let Some(p) = gd::recover() {
            *ret = Some(Err(format!("renamed: {p}")));
        }
    });
    panic!("boom");
}

#[test]
fn the_library_recover_by_any_path_recovers() {
    assert_eq!(fully_qualified(), Err("qualified: boom".to_string()));
    assert_eq!(renamed_crate(), Err("renamed: boom".to_string()));
}

#[with_defer]
fn through_an_alias() -> Result<(), String> {
    use godefer::recover as r;
    defer!(|ret| {
        if let Some(p) = r() {
            *ret = Some(Err(format!("alias: {p}")));
        }
    });
    panic!("boom");
}

#[test]
fn an_alias_the_attribute_cannot_see_does_not_recover() {
    // `r()` is not spelled `recover()`: the function has no catch, the call
    // returns `None` (printing a note, since a panic is in flight), and the
    // panic goes on.
    assert!(catch_unwind(through_an_alias).is_err());
}
