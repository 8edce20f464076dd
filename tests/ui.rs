//! Compile-fail tests: each misuse of `#[with_defer]` and `defer!` gives an
//! error at the user's own tokens. The pass cases compile the fixes that the
//! compile-fail cases suggest.
//!
//! The `.stderr` snapshots are rustc's messages, which change from one
//! compiler release to the next, so they belong to one version. On another
//! compiler the test says so and skips the comparison, so that `cargo test`
//! still passes on a newer stable; with `GODEFER_UI=require` (as `.ci/run`
//! sets) a different compiler is a failure instead.

use std::process::Command;

/// The compiler the `.stderr` files were made with.
const SNAPSHOT_RUSTC: &str = "1.95.0";

#[test]
fn ui() {
    let version = rustc_version();
    if !version.starts_with(&format!("rustc {SNAPSHOT_RUSTC} ")) {
        let why = format!(
            "the UI snapshots belong to rustc {SNAPSHOT_RUSTC} and this is `{version}`; \
             run them with `cargo +{SNAPSHOT_RUSTC} test --test ui`"
        );
        assert!(
            std::env::var("GODEFER_UI").as_deref() != Ok("require"),
            "{why}"
        );
        eprintln!("ui: skipped: {why}");
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("ui-tests/*.rs");
    t.pass("ui-tests/pass/*.rs");
}

/// `rustc --version` of the toolchain that cargo runs for this test (rustup
/// passes it on in `RUSTUP_TOOLCHAIN`, and trybuild compiles with the same).
fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .arg("--version")
        .output()
        .expect("run `rustc --version`");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
