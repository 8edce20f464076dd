//! Compile-fail tests: each misuse of `#[with_defer]` and `defer!` gives an
//! error at the user's own tokens.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui-tests/*.rs");
}
