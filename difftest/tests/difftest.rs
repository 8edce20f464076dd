//! The batch of generated programs (`DIFFTEST_SEED`, `DIFFTEST_COUNT`; see
//! `build.rs`): each one runs under `open_coded`, `chain` and the default
//! lowering, and must print exactly the model's trace.
#![allow(
    deprecated, // `defer!` in a loop warns by design
    unused,
    unreachable_code,
    unused_must_use,
    clippy::all,
    clippy::pedantic
)]

include!(concat!(env!("OUT_DIR"), "/programs.rs"));
