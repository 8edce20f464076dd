//! `recover()` cannot work when panics abort: nothing unwinds, so no deferred
//! call runs. A function that calls it must then fail to compile, with the
//! macro's explanation. A `cfg(panic)` cannot be switched inside one test
//! binary, so this builds a small crate that depends on godefer by path,
//! once with `panic = "abort"` (it must fail with the explanation) and once
//! with `panic = "unwind"` (it must build, and recover when run).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

const MAIN_RS: &str = r#"use godefer::{defer, recover, with_defer};

#[with_defer]
fn guarded() -> u8 {
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(7);
        }
    });
    panic!("boom");
}

fn main() {
    println!("guarded() = {}", guarded());
}
"#;

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("godefer-{label}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes a crate named `name` under `root` whose dev profile uses `panic`.
fn write_crate(root: &Path, name: &str, panic: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("src")).expect("create the crate dir");
    let godefer = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
godefer = {{ path = {path:?} }}

[profile.dev]
panic = "{panic}"

[workspace]
"#,
        path = godefer.display().to_string(),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    std::fs::write(dir.join("src/main.rs"), MAIN_RS).expect("write main.rs");
    // The versions the main build resolved, which are in the registry cache.
    if let Ok(lock) = std::fs::read_to_string(godefer.join("Cargo.lock")) {
        std::fs::write(dir.join("Cargo.lock"), lock).expect("write Cargo.lock");
    }
    dir
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .args(["--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo")
}

#[test]
fn recover_under_panic_abort_is_a_compile_error_and_builds_under_unwind() {
    let root = TempDir::new("panic-abort");
    let target = root.0.join("target");

    let abort = write_crate(&root.0, "recover_under_abort", "abort");
    let out = cargo(&abort, &target, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "built under panic = \"abort\":\n{stderr}"
    );
    assert!(stderr.contains("`guarded` calls `recover()`"), "{stderr}");
    assert!(stderr.contains("panic = \"abort\""), "{stderr}");
    assert!(stderr.contains("recover()"), "{stderr}");
    assert!(stderr.contains("panic = \"unwind\""), "{stderr}");

    let unwind = write_crate(&root.0, "recover_under_unwind", "unwind");
    let out = cargo(&unwind, &target, &["run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "failed under panic = \"unwind\":\n{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "guarded() = 7\n",
        "{stderr}"
    );
}
