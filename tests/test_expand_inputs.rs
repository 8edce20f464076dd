//! The inputs of the expansion snapshots (`tests/expand/*.rs`) are real code:
//! this test target compiles each of them through the real macro.
#![allow(dead_code)]
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

mod support;

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
#[path = "expand/recover.rs"]
mod recover;
#[path = "expand/recover_async.rs"]
mod recover_async;
#[path = "expand/result_form.rs"]
mod result_form;

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
    assert!(open_coded::read_config("/nonexistent/godefer", false).is_err());
    assert_eq!(result_form::parse_port(" 80 "), Ok(80));
    assert!(
        result_form::parse_port("x")
            .unwrap_err()
            .starts_with("parse_port(\"x\"): ")
    );
    assert_eq!(recover::safe_div(7, 2), 3);
    assert_eq!(recover::safe_div(1, 0), 0);
    assert_eq!(support::block_on(recover_async::guarded(3)), Some(3));
    assert_eq!(support::block_on(recover_async::guarded(30)), None);
}
