//! Expansions under strict lints: generated code must not trip rustc's or
//! clippy's lints (pedantic included) in a user crate that denies them. CI runs
//! clippy with `-D warnings` over this file.
#![deny(warnings, unused, rust_2018_idioms, missing_debug_implementations)]
#![deny(clippy::all, clippy::pedantic)]

use godefer::{defer, recover, with_defer};
use std::cell::{Cell, RefCell};
use std::future::Future;

fn note(log: &RefCell<Vec<String>>, line: &str) {
    log.borrow_mut().push(line.to_owned());
}

#[with_defer]
fn open_coded(log: &RefCell<Vec<String>>, fail: bool) -> Result<u32, String> {
    defer!(note(log, "call"));
    defer!(|| note(log, "closure"));
    defer! {
        note(log, "block");
    }
    if fail {
        return Err("fail".to_owned());
    }
    let n: u32 = "7".parse().map_err(|_| "parse".to_owned())?;
    Ok(n)
}

#[allow(deprecated)] // the loop defers accumulate on purpose
#[with_defer]
fn chain(log: &RefCell<Vec<String>>, n: usize) -> usize {
    for i in 0..n {
        let line = format!("loop {i}");
        defer!(move || note(log, &line));
        if i % 2 == 0 {
            defer!(note(log, if i == 0 { "even 0" } else { "even 2" }));
        }
    }
    n
}

struct Counter {
    hits: Cell<u32>,
}

impl Counter {
    fn hit(&self) {
        self.hits.set(self.hits.get() + 1);
    }

    #[with_defer]
    fn twice(&self) -> u32 {
        defer!(self.hit());
        defer!(self.hit());
        self.hits.get()
    }
}

struct NoDefault(u8);

#[with_defer]
fn recovering(fail: bool) -> Result<u32, String> {
    defer!(|ret| {
        if let Some(panic) = recover() {
            *ret = Some(Err(panic.to_string()));
        }
    });
    assert!(!fail, "failed");
    Ok(1)
}

#[with_defer]
fn recovering_without_default(fail: bool) -> NoDefault {
    defer!(|| drop(recover()));
    assert!(!fail, "failed");
    NoDefault(2)
}

#[with_defer]
fn result_form(n: u32) -> u32 {
    defer!(|ret| {
        if let Some(v) = ret {
            *v += 1;
        }
    });
    n
}

#[with_defer]
async fn async_recovering() -> u32 {
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(0);
        }
    });
    std::future::ready(()).await;
    panic!("async")
}

#[with_defer]
async fn in_async(log: &RefCell<Vec<String>>) {
    defer!(note(log, "async"));
    std::future::ready(()).await;
}

#[test]
fn strict_lints_accept_result_form_and_recover() {
    std::panic::set_hook(Box::new(|_| {}));
    assert_eq!(recovering(false), Ok(1));
    assert_eq!(recovering(true), Err("failed".to_owned()));
    assert_eq!(recovering_without_default(false).0, 2);
    assert!(std::panic::catch_unwind(|| recovering_without_default(true)).is_err());
    assert_eq!(result_form(1), 2);
    let mut future = std::pin::pin!(async_recovering());
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    assert_eq!(future.as_mut().poll(&mut cx), std::task::Poll::Ready(0));
}

#[test]
fn strict_lints_accept_every_form() {
    let log = RefCell::new(Vec::new());
    assert_eq!(open_coded(&log, false), Ok(7));
    assert_eq!(open_coded(&log, true), Err("fail".to_owned()));
    assert_eq!(chain(&log, 3), 3);
    let counter = Counter { hits: Cell::new(0) };
    assert_eq!(counter.twice(), 0);
    assert_eq!(counter.hits.get(), 2);
    {
        let mut future = std::pin::pin!(in_async(&log));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(future.as_mut().poll(&mut cx).is_ready());
    }
    assert_eq!(
        log.into_inner(),
        [
            "block", "closure", "call", "block", "closure", "call", "even 2", "loop 2", "loop 1",
            "even 0", "loop 0", "async"
        ]
    );
}
