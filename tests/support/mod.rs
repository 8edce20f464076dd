//! Shared by the integration tests: a per-thread trace of printed lines.
#![allow(dead_code)]

use std::cell::RefCell;

thread_local! {
    static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records one line of a program's trace and prints it, as the Go programs do.
pub fn say(line: impl Into<String>) {
    let line = line.into();
    println!("{line}");
    LINES.with(|lines| lines.borrow_mut().push(line));
}

/// Takes the lines recorded so far on this thread, leaving the trace empty.
pub fn take() -> Vec<String> {
    LINES.with(|lines| std::mem::take(&mut *lines.borrow_mut()))
}

/// Runs `f` on a fresh trace and returns the lines it recorded.
pub fn trace(f: impl FnOnce()) -> Vec<String> {
    take();
    f();
    take()
}

/// Instantiates a test suite macro (`suite!($($strategy)?)`) once per
/// lowering: `mod open_coded`, `mod chain`, and `mod auto` (Go's rule).
#[allow(unused_macros)] // each test file uses what it needs
macro_rules! for_each_lowering {
    ($suite:ident) => {
        mod open_coded {
            $suite!(open_coded);
        }

        mod chain {
            $suite!(chain);
        }

        mod auto {
            $suite!();
        }
    };
}

/// Instantiates a suite of functions with a defer in a loop, which only the
/// chain lowering (forced, or chosen by Go's rule) can hold.
#[allow(unused_macros)]
macro_rules! for_each_loop_lowering {
    ($suite:ident) => {
        mod chain_loops {
            $suite!(chain);
        }

        mod auto_loops {
            $suite!();
        }
    };
}

/// Polls a future once with a no-op waker.
pub fn poll_once<F: std::future::Future>(fut: std::pin::Pin<&mut F>) -> std::task::Poll<F::Output> {
    fut.poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
}

/// Polls a future to completion with a no-op waker (the futures under test
/// never wait on anything but themselves).
pub fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    loop {
        if let std::task::Poll::Ready(v) = poll_once(fut.as_mut()) {
            return v;
        }
    }
}

/// Pending once, then ready: a suspension point for the `async fn` tests.
pub struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            std::task::Poll::Pending
        }
    }
}

/// A future that is pending once before it completes.
pub fn yield_now() -> YieldOnce {
    YieldOnce(false)
}

/// The message of a panic payload (`&str` or `String`), or a placeholder.
pub fn message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<other payload>".into()
    }
}

/// Runs `f` under `catch_unwind` on a fresh trace: its value or the message of
/// the panic that escaped, and the lines it recorded.
pub fn run<R>(f: impl FnOnce() -> R) -> (Result<R, String>, Vec<String>) {
    let mut outcome = None;
    let lines = trace(|| {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        outcome = Some(caught.map_err(|p| message(&*p)));
    });
    (outcome.expect("ran"), lines)
}
