//! The examples are programs that check their own results: run each `main`.
#![allow(dead_code)]
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

#[path = "../examples/copy_file.rs"]
mod copy_file;
#[path = "../examples/lowering.rs"]
mod lowering;
#[path = "../examples/shutdown.rs"]
mod shutdown;
#[path = "../examples/trace.rs"]
mod trace;
#[path = "../examples/transaction.rs"]
mod transaction;

#[test]
fn copy_file_wraps_errors_and_removes_partial_output() {
    copy_file::main();
}

#[test]
fn transaction_commits_or_rolls_back() {
    transaction::main();
}

#[test]
fn shutdown_drains_the_engine_on_every_exit() {
    shutdown::main();
}

#[test]
fn trace_and_lowering_run() {
    lowering::main();
    trace::main();
}
