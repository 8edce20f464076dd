//! The inputs of the expansion snapshots (`tests/expand/*.rs`) are real code:
//! this test target compiles each of them through the real macro.
#![allow(dead_code)]

#[path = "expand/async_fn.rs"]
mod async_fn;
#[path = "expand/chain_loop.rs"]
mod chain_loop;
#[path = "expand/forced.rs"]
mod forced;
#[path = "expand/forms.rs"]
mod forms;
#[path = "expand/multi_site_loop.rs"]
mod multi_site_loop;
#[path = "expand/open_coded.rs"]
mod open_coded;

#[test]
fn snapshot_inputs_compile_and_run() {
    assert_eq!(forced::open(true), 1);
    assert_eq!(forced::chain(false), 2);
    assert_eq!(
        chain_loop::copy(&["a", "b", "c"], 1),
        Err("stopped at b".to_string())
    );
    assert_eq!(chain_loop::copy(&["a"], 5), Ok(1));
    multi_site_loop::interleave(3);
    let conn = forms::make_conn();
    forms::forms(&conn, 4);
    assert!(!conn.open.get());
    assert!(open_coded::read_config("/nonexistent/go-defer", false).is_err());
}
