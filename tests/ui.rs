//! Compile-fail tests: each misuse of `#[with_defer]` and `defer!` gives an
//! error at the user's own tokens. The pass cases compile the fixes that the
//! compile-fail cases suggest.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui-tests/*.rs");
    t.pass("ui-tests/pass/*.rs");
}
