//! The passing twins of the teaching cases in `ui-tests/`: for each case, the
//! fixed code its header shows, run, with its real trace asserted. One test
//! per case, named after the case's file.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

mod support;

use godefer::{defer, with_defer};
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc;
use support::{block_on, say, trace};

fn require_send<T: Send>(_: &T) {}

// ---- borrows and moves -------------------------------------------------------

#[test]
fn deferred_closure_borrows_loop_variable() {
    fn show(i: u32) {
        say(format!("{i}"));
    }

    #[with_defer]
    fn countdown_move() {
        for i in 0..3 {
            defer!(move || say(format!("{i}")));
        }
    }

    #[with_defer]
    fn countdown_call() {
        for i in 0..3 {
            defer!(show(i));
        }
    }

    assert_eq!(trace(countdown_move), ["2", "1", "0"]);
    assert_eq!(trace(countdown_call), ["2", "1", "0"]);
}

#[test]
fn deferred_closure_borrows_returned_value() {
    fn report(len: usize) {
        say(format!("closing a name of {len} bytes"));
    }

    #[with_defer]
    fn open_call() -> String {
        let name = String::from("conn");
        defer!(report(name.len()));
        name
    }

    #[with_defer]
    fn open_clone() -> String {
        let name = String::from("conn");
        let shown = name.clone();
        defer!(move || say(format!("closing {shown}")));
        name
    }

    let lines = trace(|| assert_eq!(open_call(), "conn"));
    assert_eq!(lines, ["closing a name of 4 bytes"]);
    let lines = trace(|| assert_eq!(open_clone(), "conn"));
    assert_eq!(lines, ["closing conn"]);
}

#[test]
fn deferred_closure_borrows_mutated_value() {
    fn report(count: u32) {
        say(format!("handled {count}"));
    }

    #[with_defer]
    fn serve_cell(reqs: &[&str]) {
        let count = Cell::new(0);
        defer!(|| say(format!("handled {}", count.get())));
        for _ in reqs {
            count.set(count.get() + 1);
        }
    }

    #[with_defer]
    fn serve_call(reqs: &[&str]) {
        let mut count = 0;
        defer!(report(count));
        for _ in reqs {
            count += 1;
        }
        say(format!("loop counted {count}"));
    }

    assert_eq!(trace(|| serve_cell(&["a", "b", "c"])), ["handled 3"]);
    assert_eq!(
        trace(|| serve_call(&["a", "b", "c"])),
        ["loop counted 3", "handled 0"]
    );
}

#[test]
fn deferred_closure_borrows_moved_value() {
    fn report(len: usize) {
        say(format!("sent {len} bytes"));
    }

    #[with_defer]
    fn send_call(tx: &mpsc::Sender<Vec<u8>>) {
        let buf = b"hello".to_vec();
        defer!(report(buf.len()));
        tx.send(buf).unwrap();
    }

    #[with_defer]
    fn send_clone(tx: &mpsc::Sender<Vec<u8>>) {
        let buf = b"hello".to_vec();
        let sent = buf.clone();
        defer!(move || say(format!("sent {} bytes", sent.len())));
        tx.send(buf).unwrap();
    }

    let (tx, rx) = mpsc::channel();
    assert_eq!(trace(|| send_call(&tx)), ["sent 5 bytes"]);
    assert_eq!(rx.recv().unwrap(), b"hello");
    assert_eq!(trace(|| send_clone(&tx)), ["sent 5 bytes"]);
    assert_eq!(rx.recv().unwrap(), b"hello");
}

#[test]
fn deferred_closure_borrows_block_local() {
    struct File {
        name: String,
    }

    impl File {
        fn open(name: &str) -> File {
            File {
                name: name.to_string(),
            }
        }

        fn close(&self) {
            say(format!("closed {}", self.name));
        }
    }

    #[with_defer]
    fn load_move() {
        {
            let f = File::open("a.txt");
            say(format!("reading {}", f.name));
            defer!(move || f.close());
        }
        say("after the block");
    }

    #[with_defer]
    fn load_function_level() {
        let f = File::open("a.txt");
        {
            defer!(|| f.close());
            say(format!("reading {}", f.name));
        }
        say("after the block");
    }

    // The cleanup at the end of the block: the block as a function of its own.
    #[with_defer]
    fn read_block() {
        let f = File::open("a.txt");
        defer!(|| f.close());
        say(format!("reading {}", f.name));
    }

    fn load_nested() {
        read_block();
        say("after the block");
    }

    let go_order = ["reading a.txt", "after the block", "closed a.txt"];
    assert_eq!(trace(load_move), go_order);
    assert_eq!(trace(load_function_level), go_order);
    assert_eq!(
        trace(load_nested),
        ["reading a.txt", "closed a.txt", "after the block"]
    );
}

#[test]
fn value_used_after_move_into_deferred_closure() {
    #[with_defer]
    fn run_shared() {
        let lines = RefCell::new(vec!["start"]);
        defer!(|| say(format!("{:?}", lines.borrow())));
        lines.borrow_mut().push("end");
    }

    #[with_defer]
    fn run_snapshot() {
        let mut lines = vec!["start"];
        let snapshot = lines.clone();
        defer!(move || say(format!("{snapshot:?}")));
        lines.push("end");
        say(format!("now {lines:?}"));
    }

    assert_eq!(trace(run_shared), [r#"["start", "end"]"#]);
    assert_eq!(
        trace(run_snapshot),
        [r#"now ["start", "end"]"#, r#"["start"]"#]
    );
}

#[test]
fn deferred_closure_changes_result() {
    // The result form: the deferred closure gets the result itself.
    #[with_defer]
    fn double_at_exit() -> u32 {
        let n = 21;
        defer!(|ret| {
            if let Some(n) = ret {
                say(format!("doubling {n}"));
                *n *= 2;
            }
        });
        n
    }

    #[with_defer]
    fn double_before_return() -> u32 {
        let mut n = 21;
        defer!(say("done"));
        n *= 2;
        n
    }

    let lines = trace(|| assert_eq!(double_at_exit(), 42));
    assert_eq!(lines, ["doubling 21"]);
    let lines = trace(|| assert_eq!(double_before_return(), 42));
    assert_eq!(lines, ["done"]);
}

#[test]
fn deferred_method_holds_mut_borrow() {
    // Finish with `v` before the `defer!`.
    #[with_defer]
    fn work_len_first(v: &mut Vec<i32>) -> usize {
        let len = v.len();
        defer!(v.push(1));
        len
    }

    // Share `v`: the deferred closure borrows it mutably only when it runs.
    #[with_defer]
    fn work_shared(v: &RefCell<Vec<i32>>) -> usize {
        defer!(|| v.borrow_mut().push(1));
        v.borrow().len()
    }

    let mut v = Vec::new();
    assert_eq!(work_len_first(&mut v), 0);
    assert_eq!(v, [1]);
    let v = RefCell::new(Vec::new());
    assert_eq!(work_shared(&v), 0);
    assert_eq!(*v.borrow(), [1]);
}

#[test]
fn deferred_call_borrows_temporary() {
    fn log(msg: &str) {
        say(msg);
    }

    #[with_defer]
    fn run_bound(job: u32) {
        let msg = format!("job {job} done");
        defer!(log(&msg));
        say(format!("running job {job}"));
    }

    #[with_defer]
    fn run_owned(job: u32) {
        let msg = format!("job {job} done");
        defer!(move || log(&msg));
        say(format!("running job {job}"));
    }

    #[with_defer]
    fn run_built_at_exit(job: u32) {
        defer!(move || log(&format!("job {job} done")));
        say(format!("running job {job}"));
    }

    let expected = ["running job 7", "job 7 done"];
    assert_eq!(trace(|| run_bound(7)), expected);
    assert_eq!(trace(|| run_owned(7)), expected);
    assert_eq!(trace(|| run_built_at_exit(7)), expected);
}

#[test]
fn non_send_value_deferred_in_send_future() {
    async fn tick() {}

    #[with_defer]
    async fn serve(id: u32) {
        let name: Arc<str> = Arc::from(format!("conn {id}"));
        defer!(move || say(format!("closed {name}")));
        tick().await;
    }

    let lines = trace(|| {
        let fut = serve(1);
        require_send(&fut);
        block_on(fut);
    });
    assert_eq!(lines, ["closed conn 1"]);
}

/// The twin of `ui-tests/pass/deferred-receiver-borrow-held-until-exit.rs`:
/// the receiver `log.borrow_mut()` is evaluated at the `defer!`, so the next
/// `log.borrow()` panics; borrowing inside the deferred closure fixes it.
#[test]
fn deferred_receiver_borrow_held_until_exit() {
    #[with_defer]
    fn record(log: &RefCell<Vec<&'static str>>) -> usize {
        defer!(log.borrow_mut().push("exit"));
        say("before the second borrow");
        log.borrow().len()
    }

    #[with_defer]
    fn record_fixed(log: &RefCell<Vec<&'static str>>) -> usize {
        defer!(|| log.borrow_mut().push("exit"));
        log.borrow().len()
    }

    let log = RefCell::new(Vec::new());
    let mut outcome = None;
    let lines = trace(|| outcome = Some(catch_unwind(AssertUnwindSafe(|| record(&log)))));
    assert_eq!(lines, ["before the second borrow"]);
    let payload = outcome.unwrap().expect_err("the second borrow panics");
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(message.contains("already mutably borrowed"), "{message}");
    // The deferred push still ran while the panic unwound.
    assert_eq!(*log.borrow(), ["exit"]);

    let log = RefCell::new(Vec::new());
    assert_eq!(record_fixed(&log), 0);
    assert_eq!(*log.borrow(), ["exit"]);
}

// ---- misplaced defers and attributes ----------------------------------------

#[test]
fn defer_in_async_block() {
    fn cleanup() {
        say("cleanup");
    }

    #[with_defer]
    async fn job() {
        defer!(cleanup());
        say("working");
    }

    fn work() -> impl std::future::Future<Output = ()> {
        job()
    }

    assert_eq!(trace(|| block_on(work())), ["working", "cleanup"]);
}

#[test]
fn defer_in_closure() {
    fn cleanup() {
        say("step cleanup");
    }

    #[with_defer]
    fn work() {
        #[with_defer]
        fn step() {
            defer!(cleanup());
            say("step");
        }
        let run = || step();
        run();
        say("work");
    }

    assert_eq!(trace(work), ["step", "step cleanup", "work"]);
}

#[test]
fn defer_in_const_block() {
    fn cleanup() {
        say("cleanup");
    }

    #[with_defer]
    fn work() -> u32 {
        defer!(cleanup());
        const { 1 }
    }

    let lines = trace(|| assert_eq!(work(), 1));
    assert_eq!(lines, ["cleanup"]);
}

#[test]
fn defer_in_defer() {
    fn first() {
        say("first");
    }

    fn second() {
        say("second");
    }

    #[with_defer]
    fn work() {
        defer!(second());
        defer!(first());
    }

    assert_eq!(trace(work), ["first", "second"]);
}

#[test]
fn defer_in_nested_fn_without_attribute() {
    #[with_defer]
    fn outer() {
        defer!(say("outer cleanup"));

        #[with_defer]
        fn inner() {
            defer!(say("inner cleanup"));
        }

        inner();
    }

    assert_eq!(trace(outer), ["inner cleanup", "outer cleanup"]);
}

#[test]
fn defer_in_other_macro() {
    macro_rules! wrap {
        ($($t:tt)*) => { $($t)* };
    }

    fn cleanup() {
        say("cleanup");
    }

    #[with_defer]
    fn work() {
        defer!(cleanup());
        wrap!(say("work"));
    }

    assert_eq!(trace(work), ["work", "cleanup"]);
}

#[test]
fn defer_with_two_expressions() {
    fn a() {
        say("a");
    }

    fn b() {
        say("b");
    }

    #[with_defer]
    fn work_block() {
        defer! {
            a();
            b();
        }
    }

    #[with_defer]
    fn work_two() {
        defer!(b());
        defer!(a());
    }

    assert_eq!(trace(work_block), ["a", "b"]);
    assert_eq!(trace(work_two), ["a", "b"]);
}

#[test]
fn deferred_async_closure() {
    fn flush() {
        say("flushed");
    }

    #[with_defer]
    fn work_closure() {
        defer!(|| flush());
        say("main done");
    }

    #[with_defer]
    fn work_call() {
        defer!(flush());
        say("main done");
    }

    assert_eq!(trace(work_closure), ["main done", "flushed"]);
    assert_eq!(trace(work_call), ["main done", "flushed"]);
}

#[test]
fn deferred_closure_with_parameters() {
    fn show(v: u32) {
        say(format!("deferred with {v}"));
    }

    #[with_defer]
    fn work_call(mut n: u32) {
        defer!(show(n));
        n += 1;
        say(format!("working on {n}"));
    }

    #[with_defer]
    fn work_move(mut n: u32) {
        defer!(move || show(n));
        n += 1;
        say(format!("working on {n}"));
    }

    let expected = ["working on 2", "deferred with 1"];
    assert_eq!(trace(|| work_call(1)), expected);
    assert_eq!(trace(|| work_move(1)), expected);
}

#[test]
fn empty_defer() {
    fn cleanup() {
        say("cleanup");
    }

    #[with_defer]
    fn work() {
        defer!(cleanup());
    }

    assert_eq!(trace(work), ["cleanup"]);
}

#[test]
fn open_coded_and_chain() {
    fn cleanup() {
        say("cleanup");
    }

    #[with_defer(open_coded)]
    fn work_open_coded() {
        defer!(cleanup());
    }

    #[with_defer(chain)]
    fn work_chain() {
        defer!(cleanup());
    }

    #[with_defer]
    fn work_auto() {
        defer!(cleanup());
    }

    assert_eq!(trace(work_open_coded), ["cleanup"]);
    assert_eq!(trace(work_chain), ["cleanup"]);
    assert_eq!(trace(work_auto), ["cleanup"]);
}

#[test]
fn open_coded_defer_in_loop() {
    fn release(i: u32) {
        say(format!("release({i})"));
    }

    #[with_defer]
    fn work() {
        for i in 0..3 {
            defer!(release(i));
        }
    }

    // The loop body as a nested fn: its defer runs at the end of each step.
    #[with_defer(open_coded)]
    fn step(i: u32) {
        defer!(release(i));
    }

    fn work_nested() {
        for i in 0..3 {
            step(i);
        }
    }

    assert_eq!(trace(work), ["release(2)", "release(1)", "release(0)"]);
    assert_eq!(
        trace(work_nested),
        ["release(0)", "release(1)", "release(2)"]
    );
}

#[test]
fn question_mark_in_deferred_block() {
    fn flush() -> Result<(), String> {
        Err(String::from("disk full"))
    }

    // The `;` after the `if` keeps clippy's `unnecessary_operation` from
    // firing on the lowered block (see the report on the teaching cases).
    #[with_defer]
    fn save_handled() -> Result<(), String> {
        defer! {
            if let Err(e) = flush() {
                say(format!("flush failed: {e}"));
            };
        }
        Ok(())
    }

    #[with_defer]
    fn save_checked() -> Result<(), String> {
        defer!(say("closed"));
        flush()?;
        Ok(())
    }

    let lines = trace(|| assert_eq!(save_handled(), Ok(())));
    assert_eq!(lines, ["flush failed: disk full"]);
    let lines = trace(|| assert_eq!(save_checked(), Err(String::from("disk full"))));
    assert_eq!(lines, ["closed"]);
}

#[test]
fn several_misplaced_defers() {
    fn done(name: &str) {
        say(format!("done {name}"));
    }

    #[with_defer]
    fn step(name: &str) {
        defer!(done(name));
        say(format!("open {name}"));
    }

    fn work() {
        step("a");
        step("b");
    }

    assert_eq!(trace(work), ["open a", "done a", "open b", "done b"]);
}

#[test]
fn stray_defer() {
    fn cleanup() {
        say("cleanup");
    }

    #[with_defer]
    fn work() {
        defer!(cleanup());
        say("work");
    }

    assert_eq!(trace(work), ["work", "cleanup"]);
}

#[test]
fn unknown_attribute_argument() {
    fn cleanup() {
        say("cleanup");
    }

    #[with_defer]
    fn work_auto() {
        defer!(cleanup());
    }

    #[with_defer(open_coded)]
    fn work_open_coded() {
        defer!(cleanup());
    }

    #[with_defer(chain)]
    fn work_chain() {
        defer!(cleanup());
    }

    assert_eq!(trace(work_auto), ["cleanup"]);
    assert_eq!(trace(work_open_coded), ["cleanup"]);
    assert_eq!(trace(work_chain), ["cleanup"]);
}

#[test]
fn with_defer_on_const_fn() {
    fn cleanup() {
        say("cleanup");
    }

    #[with_defer]
    fn answer() -> u32 {
        defer!(cleanup());
        42
    }

    let lines = trace(|| assert_eq!(answer(), 42));
    assert_eq!(lines, ["cleanup"]);
}

#[test]
fn with_defer_on_struct() {
    struct Conn {
        open: bool,
    }

    impl Conn {
        fn close(&mut self) {
            self.open = false;
            say("closed");
        }

        #[with_defer]
        fn serve(&mut self) {
            defer!(self.close());
            say("serving");
        }
    }

    let mut conn = Conn { open: true };
    assert_eq!(trace(|| conn.serve()), ["serving", "closed"]);
    assert!(!conn.open);
}

#[test]
fn with_defer_on_trait_method_without_body() {
    trait Close {
        fn close(&mut self);

        #[with_defer]
        fn close_logged(&mut self) {
            defer!(say("logged"));
            self.close();
        }
    }

    struct File;

    impl Close for File {
        #[with_defer]
        fn close(&mut self) {
            defer!(say("closed"));
            say("flushing");
        }
    }

    assert_eq!(trace(|| File.close()), ["flushing", "closed"]);
    assert_eq!(
        trace(|| File.close_logged()),
        ["flushing", "closed", "logged"]
    );
}
