//! Go's file copy with cleanup and error wrapping: `cargo run --example copy_file`.
//!
//! ```go
//! func CopyFile(dst, src string) (written int64, err error) {
//!     defer func() {
//!         if err != nil { err = fmt.Errorf("copy %s to %s: %w", src, dst, err) }
//!     }()
//!     r, err := os.Open(src); if err != nil { return 0, err }
//!     defer r.Close()
//!     w, err := os.Create(dst); if err != nil { return 0, err }
//!     defer func() {
//!         if cerr := w.Close(); err == nil { err = cerr }
//!         if err != nil { os.Remove(dst) }
//!     }()
//!     return io.Copy(w, r)
//! }
//! ```

use godefer::{defer, with_defer};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Copies `src` to `dst`. On failure the error names both paths, and a
/// partly written `dst` is removed.
#[with_defer]
pub fn copy_file(src: &Path, dst: &Path) -> io::Result<u64> {
    // Registered first, runs last: wraps whatever error the function returns.
    defer!(|ret| {
        if let Some(Err(e)) = ret {
            *e = io::Error::new(
                e.kind(),
                format!("copy {} to {}: {e}", src.display(), dst.display()),
            );
        }
    });
    let mut reader = File::open(src)?;
    let mut writer = File::create(dst)?;
    // Zig's errdefer: only if the function fails from here on.
    defer!(|ret: &mut Option<io::Result<u64>>| {
        if matches!(ret, Some(Err(_))) {
            let _ = fs::remove_file(dst);
        }
    });
    let copied = io::copy(&mut reader, &mut writer)?;
    // Go checks `w.Close()`'s error in its defer; a Rust `File` closes on drop
    // and ignores it, so flush and sync while the error can still be returned.
    writer.flush()?;
    writer.sync_all()?;
    Ok(copied)
}

pub fn main() {
    let dir = std::env::temp_dir().join(format!("godefer-copy-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let src = dir.join("src.txt");
    fs::write(&src, "hello, defer\n").unwrap();

    let copied = copy_file(&src, &dir.join("dst.txt")).unwrap();
    println!("copied {copied} bytes");
    assert_eq!(
        fs::read_to_string(dir.join("dst.txt")).unwrap(),
        "hello, defer\n"
    );

    let missing = dir.join("missing.txt");
    let err = copy_file(&missing, &dir.join("never.txt")).unwrap_err();
    println!("error: {err}");
    assert!(
        err.to_string()
            .starts_with(&format!("copy {} to ", missing.display()))
    );
    assert!(!dir.join("never.txt").exists());

    fs::remove_dir_all(&dir).unwrap();
}
