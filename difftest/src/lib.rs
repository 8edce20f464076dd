//! Differential testing of `godefer`, the way compilers are tested.
//!
//! A seeded generator ([`gen`]) writes small random `#[with_defer]` programs
//! ([`ast`]): defers of every form, branches, loops with `break`/`continue`,
//! early returns, `?`, nested calls, panics in the body and in deferred calls,
//! `recover()`, result-form closures. A reference model ([`model`]), an
//! interpreter that follows the Go spec, gives each program's trace. The build
//! script emits a batch as Rust ([`emit_rust`]) under every lowering, and the
//! test compares each trace with the model's; the `difftest` binary emits the
//! programs as Go ([`emit_go`]) and compares Go 1.19's output with the model.
//! See `README.md`.

pub mod ast;
pub mod batch;
pub mod emit_go;
pub mod emit_rust;
pub mod gen;
pub mod model;
pub mod rng;
pub mod rt;
