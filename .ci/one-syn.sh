#!/usr/bin/env bash
# Builds a throwaway user crate with serde's derive and godefer, and checks
# that its lock file holds one major version of syn: serde_derive already
# uses syn 3, and godefer-macros must not add a second major beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/target/one-syn"
rm -rf "$dir"
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "one-syn"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
godefer = { path = "$root" }
serde = { version = "1", features = ["derive"] }

[workspace]
TOML
cat > "$dir/src/main.rs" <<'RS'
use godefer::{defer, with_defer};

#[derive(serde::Serialize)]
struct Point {
    x: u32,
}

#[with_defer]
fn main() {
    defer!(println!("done"));
    let _ = Point { x: 1 }.x;
}
RS
(cd "$dir" && cargo build --quiet)
majors=$(awk '/^name = "syn"$/ { getline; print $3 }' "$dir/Cargo.lock" | tr -d '"' | cut -d. -f1 | sort -u)
echo "syn versions in the lock file:" $(awk '/^name = "syn"$/ { getline; print $3 }' "$dir/Cargo.lock" | tr -d '"')
if [ "$(echo "$majors" | wc -l)" -ne 1 ]; then
    echo "error: more than one major version of syn with serde + godefer: $majors" >&2
    (cd "$dir" && cargo tree -i syn --edges normal,build) >&2 || true
    exit 1
fi
