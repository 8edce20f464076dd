//! Go conformance cases (see `../shared/go-conformance/README.md`) ported to Rust.
//!
//! Each port re-writes one Go program with `#[with_defer]` / `defer!` and checks
//! that it prints exactly the lines Go 1.19 printed, which are kept as data in
//! `tests/go/NNN_name.out` (copies of the corpus files). Every port is compiled
//! three times by `ports!`: forcing `open_coded`, forcing `chain`, and with the
//! default `#[with_defer]`. A function with a `defer!` inside a loop cannot be
//! open-coded, so it takes `$looped` instead, which is empty (the default
//! lowering, which picks the chain) in the `open_coded` module.
// `defer!` in a loop is the point of several tests here: silence the warning
// that says every record lives until the function returns.
#![allow(deprecated)]

mod corpus;
mod support;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Display;
use std::rc::Rc;

use corpus::{expected, go_data, is_harness_running_line, meta_field};
use godefer::{defer, with_defer};
use support::{say, trace};

/// Go's `%v` of a slice or array: `[1 2 3]`.
fn go_list<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|item| item.to_string()).collect();
    format!("[{}]", items.join(" "))
}

/// Go's `%v` of a slice whose elements are shared (`[]int` aliasing a backing array).
fn go_cells(cells: &[Cell<i32>]) -> String {
    go_list(cells.iter().map(Cell::get))
}

/// Go's `%v` of a map: `map[k1:v1 k2:v2]`, keys sorted.
fn go_map<K: Display, V: Display>(map: &BTreeMap<K, V>) -> String {
    let entries: Vec<String> = map.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("map[{}]", entries.join(" "))
}

/// A fresh backing array holding `values`.
fn backing(values: &[i32]) -> Vec<Cell<i32>> {
    values.iter().copied().map(Cell::new).collect()
}

/// Go's `append` when the capacity is exceeded: a new backing array with the old
/// elements copied and `value` added; the old array is left as it was. (A Rust
/// slice never grows in place, so this is the only form the Go append can take.)
fn append(slice: &[Cell<i32>], value: i32) -> Vec<Cell<i32>> {
    slice.iter().cloned().chain([Cell::new(value)]).collect()
}

/// Go's map, a reference type: every copy of it refers to the same entries.
type GoMap<K, V> = Rc<RefCell<BTreeMap<K, V>>>;

/// Marks the child process of case 040; its value is the test to run as the Go program.
const CASE_040_CHILD: &str = "GODEFER_CONFORMANCE_040_CHILD";

/// Each port, with `#[with_defer($strategy)]` on its functions and
/// `#[with_defer($looped)]` on those with a `defer!` inside a loop.
macro_rules! ports {
    ($($strategy:ident)?; $($looped:ident)?) => {
        /// Case 001: deferred calls run newest first, after the body, before the caller goes on.
        mod case_001_lifo_basic {
            use super::*;

            #[with_defer($($strategy)?)]
            fn run() {
                say("body: start");
                defer!(say("deferred: registered 1st"));
                defer!(say("deferred: registered 2nd"));
                defer!(say("deferred: registered 3rd"));
                say("body: end");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    run();
                    say("main: after run returned");
                });
                assert_eq!(lines, expected("001_lifo_basic.out"));
            }
        }

        /// Case 002: one record per loop iteration, all run newest first at function exit,
        /// none at the end of an iteration; a loop that never runs defers nothing.
        mod case_002_loop_defers_accumulate {
            use super::*;

            #[with_defer($($looped)?)]
            fn collect(n: i32) {
                say(format!("collect {n} begins"));
                for k in 0..n {
                    say(format!("  iteration {k}"));
                    defer!(say(format!("  deferred from iteration {k}")));
                }
                say("  loop finished, nothing deferred has run yet");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    collect(4);
                    say("main: collect(4) returned");
                    collect(0);
                    say("main: collect(0) returned");
                });
                assert_eq!(lines, expected("002_loop_defers_accumulate.out"));
            }
        }

        /// Case 003: only the `defer!`s that execute (if/else, match arms) are recorded,
        /// and they run in reverse execution order.
        mod case_003_conditional_defers {
            use super::*;

            #[with_defer($($strategy)?)]
            fn pick(mode: i32) {
                say(format!("pick {mode}"));
                defer!(say("  always (registered first, runs last)"));
                if mode > 0 {
                    defer!(say("  positive branch"));
                    if mode > 5 {
                        defer!(say("  large branch"));
                    } else {
                        defer!(say("  small branch"));
                    }
                } else {
                    defer!(say("  non-positive branch"));
                }
                match mode % 2 {
                    0 => defer!(say("  even arm")),
                    _ => defer!(say("  odd arm")),
                }
                say("  body done");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    pick(-1);
                    pick(3);
                    pick(8);
                });
                assert_eq!(lines, expected("003_conditional_defers.out"));
            }
        }

        /// Case 004: every call, each recursive frame included, has its own deferred
        /// calls, run when that call returns.
        mod case_004_nested_calls_own_defers {
            use super::*;

            #[with_defer($($strategy)?)]
            fn leaf(tag: &str) {
                defer!(say(format!("    leaf {tag} deferred")));
                say(format!("    leaf {tag} body"));
            }

            #[with_defer($($strategy)?)]
            fn middle() {
                defer!(say("  middle deferred A"));
                leaf("x");
                defer!(say("  middle deferred B"));
                leaf("y");
                say("  middle body end");
            }

            #[with_defer($($strategy)?)]
            fn countdown(n: i32) {
                if n == 0 {
                    say("  countdown reached bottom");
                    return;
                }
                defer!(say(format!("  countdown unwinding {n}")));
                say(format!("  countdown descending {n}"));
                countdown(n - 1);
                say(format!("  countdown back in frame {n}"));
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    say("main: calling middle");
                    middle();
                    say("main: calling countdown");
                    countdown(3);
                    say("main: done");
                });
                assert_eq!(lines, expected("004_nested_calls_own_defers.out"));
            }
        }

        /// Case 005: leaving a block, a loop body or an if body runs nothing; Go's func
        /// literal with its own defer is a nested `#[with_defer]` fn (a closure cannot
        /// hold a `defer!`), whose defers run when it returns.
        mod case_005_block_scope_vs_func_literal {
            use super::*;

            #[with_defer($($looped)?)]
            fn blocks() {
                say("blocks: enter");
                {
                    defer!(say("blocks: deferred inside a bare block"));
                    say("blocks: leaving the bare block");
                }
                for i in 0..2 {
                    defer!(say(format!("blocks: deferred inside loop body {i}")));
                }
                if true {
                    defer!(say("blocks: deferred inside if body"));
                }
                say("blocks: end of body, no deferred call has run yet");
            }

            #[with_defer($($strategy)?)]
            fn literals() {
                say("literals: enter");
                defer!(say("literals: outer function's own defer"));
                for i in 0..2 {
                    #[with_defer($($strategy)?)]
                    fn literal(i: i32) {
                        defer!(say(format!("literals: literal's defer, iteration {i}")));
                        say(format!("literals: literal body, iteration {i}"));
                    }
                    literal(i);
                }
                #[with_defer($($strategy)?)]
                fn stored() {
                    defer!(say("literals: stored literal's defer"));
                    say("literals: stored literal body");
                }
                say("literals: literal defined, not yet called");
                stored();
                say("literals: end of outer body");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    blocks();
                    say("---");
                    literals();
                });
                assert_eq!(lines, expected("005_block_scope_vs_func_literal.out"));
            }
        }

        /// Case 006: a deferred call's arguments are evaluated left to right, side effects
        /// included, at the `defer!`; a closure reads the variable when it runs. `x` is a
        /// `Cell` because a deferred closure reads it while the body still changes it.
        mod case_006_args_evaluated_at_defer {
            use super::*;

            fn val(name: &str, v: i32) -> i32 {
                say(format!("  evaluating {name} -> {v}"));
                v
            }

            fn show(label: &str, a: i32, b: i32) {
                say(format!("  deferred show: {label} {a} {b}"));
            }

            #[with_defer($($strategy)?)]
            fn run() {
                let x = Cell::new(1);
                say(format!("  before first defer, x = {}", x.get()));
                defer!(show("saved args", val("arg a", x.get()), val("arg b", x.get() * 10)));
                x.set(2);
                say(format!("  after first defer, x = {}", x.get()));
                defer!(|| say(format!("  closure reads x at run time = {}", x.get())));
                defer!((|seen: i32| {
                    say(format!(
                        "  closure param saved at defer = {seen} current x = {}",
                        x.get()
                    ))
                })(x.get()));
                x.set(3);
                say(format!("  end of body, x = {}", x.get()));
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    say("run:");
                    run();
                    say("main: done");
                });
                assert_eq!(lines, expected("006_args_evaluated_at_defer.out"));
            }
        }

        /// Case 008: the callee (a variable or a struct field) is evaluated at the
        /// `defer!`; reassigning it later changes nothing, but a closure that calls the
        /// variable sees the new function (hence the `Cell`).
        mod case_008_func_value_evaluated_at_defer {
            use super::*;

            fn alpha() {
                say("  alpha runs");
            }

            fn beta() {
                say("  beta runs");
            }

            struct Holder {
                f: fn(),
            }

            #[with_defer($($strategy)?)]
            fn run() {
                let action: Cell<fn()> = Cell::new(alpha);
                defer!((action.get())());
                defer!(|| {
                    say("  closure calling the variable:");
                    (action.get())();
                });
                let h = &mut Holder { f: alpha };
                defer!((h.f)());
                action.set(beta);
                h.f = beta;
                say("  variable and field reassigned to beta");
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    run();
                    say("main: done");
                });
                assert_eq!(lines, expected("008_func_value_evaluated_at_defer.out"));
            }
        }

        /// Case 009: a receiver evaluated at the `defer!` is a copy (later changes unseen);
        /// a place receiver, borrowed in place, sees them. Every Go form has a Rust one:
        /// a value receiver is `b.clone()` (not a place, so evaluated now); `b.by_pointer`
        /// autorefs like Go's implicit `&b`; "p saved" is `{ p }`, a copy of the pointer
        /// taken now; the interface is a `Box<dyn Trait>` holding a clone; the method value
        /// is a closure bound to a clone; the method expression is a path call. The fields
        /// are `Cell`s because the body changes them while deferred calls borrow `b`.
        mod case_009_method_receiver_capture {
            use super::*;

            #[derive(Clone)]
            struct Carton {
                label: Cell<&'static str>,
                n: Cell<i32>,
            }

            impl Carton {
                fn new(label: &'static str, n: i32) -> Self {
                    Carton {
                        label: Cell::new(label),
                        n: Cell::new(n),
                    }
                }

                fn by_value(self, tag: &str) {
                    say(format!(
                        "  [{tag}] value receiver sees: {} {}",
                        self.label.get(),
                        self.n.get()
                    ));
                }

                fn by_pointer(&self, tag: &str) {
                    say(format!(
                        "  [{tag}] pointer receiver sees: {} {}",
                        self.label.get(),
                        self.n.get()
                    ));
                }
            }

            trait ValueShower {
                fn show_by_value(&self, tag: &str);
            }

            impl ValueShower for Carton {
                fn show_by_value(&self, tag: &str) {
                    self.clone().by_value(tag);
                }
            }

            #[with_defer($($strategy)?)]
            fn run() {
                // Declared first so that it outlives the deferred calls: `p` later
                // points at it, and `p`'s type has one lifetime.
                let other = Carton::new("other box", 99);
                let b = Carton::new("orig", 1);
                defer!(b.clone().by_value("b.ByValue"));
                defer!(b.by_pointer("b.ByPointer (implicit &b)"));
                let mut p = &b;
                defer!(p.clone().by_value("p.ByValue (copies *p now)"));
                defer!({ p }.by_pointer("p.ByPointer (p saved)"));
                let s: Box<dyn ValueShower> = Box::new(b.clone());
                defer!(s.show_by_value("interface holding a copy"));
                let mv = {
                    let bound = b.clone();
                    move |tag: &str| bound.by_value(tag)
                };
                defer!(mv("method value bound earlier"));
                defer!(Carton::by_value(b.clone(), "method expression with b as argument"));

                b.label.set("changed");
                b.n.set(2);
                p = &other;
                say(format!(
                    "  fields changed to {} {} and p now points elsewhere: {}",
                    b.label.get(),
                    b.n.get(),
                    p.label.get()
                ));
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    run();
                    say("main: done");
                });
                assert_eq!(lines, expected("009_method_receiver_capture.out"));
            }
        }

        /// Case 011: saved arguments are shallow copies. A Go slice is a `&[Cell<i32>]`
        /// (elements shared with later writes), a map a `&RefCell<BTreeMap>`, a pointer a
        /// `&Cell`; an array is copied. Rust has no variadic parameters: `s...` is passing
        /// the slice itself, the explicit list a fresh array of copies. The reallocating
        /// append is `append`, which builds a new backing array the saved slice never sees.
        mod case_011_reference_args_aliasing {
            use super::*;

            fn show_slice(tag: &str, s: &[Cell<i32>]) {
                say(format!("  {tag} {} len {}", go_cells(s), s.len()));
            }

            fn show_variadic(tag: &str, xs: impl AsRef<[Cell<i32>]>) {
                say(format!("  {tag} {}", go_cells(xs.as_ref())));
            }

            fn show_array(tag: &str, a: [i32; 3]) {
                say(format!("  {tag} {}", go_list(a)));
            }

            fn show_map(tag: &str, m: &RefCell<BTreeMap<&str, i32>>) {
                let m = m.borrow();
                say(format!("  {tag} k = {} len = {}", m["k"], m.len()));
            }

            fn show_ptr(tag: &str, p: &Cell<i32>) {
                say(format!("  {tag} {}", p.get()));
            }

            #[with_defer($($strategy)?)]
            fn run() {
                let first = backing(&[1, 2, 3]);
                // Declared before the deferred calls, which hold `s`'s type.
                let grown;
                let mut s: &[Cell<i32>] = &first;
                let mut a = [1, 2, 3];
                let m = RefCell::new(BTreeMap::from([("k", 1)]));
                let n = Cell::new(1);

                defer!(show_slice("slice arg (header saved, elements shared):", s));
                defer!(show_variadic("s... spread (shares backing array):", s));
                defer!(show_variadic(
                    "explicit list s[0],s[1],s[2] (copied):",
                    [s[0].clone(), s[1].clone(), s[2].clone()]
                ));
                defer!(show_array("array arg (copied):", a));
                defer!(show_map("map arg (shared):", &m));
                defer!(show_ptr("pointer arg (target read late):", &n));

                s[0].set(100);
                grown = append(s, 4);
                s = &grown;
                s[1].set(200);
                a[0] = 100;
                m.borrow_mut().insert("k", 100);
                m.borrow_mut().insert("extra", 1);
                n.set(100);
                say(format!(
                    "  body end: s = {} a = {} n = {}",
                    go_cells(s),
                    go_list(a),
                    n.get()
                ));
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    run();
                    say("main: done");
                });
                assert_eq!(lines, expected("011_reference_args_aliasing.out"));
            }
        }

        /// Case 014: the return value is computed before the deferred calls run, so a
        /// deferred write to the local does not change it; writes through a returned
        /// pointer (`Rc<Cell>`), slice (`Rc<[Cell]>`) or map (`Rc<RefCell<BTreeMap>>`) do
        /// show, and re-binding the local slice does not.
        mod case_014_unnamed_result_unaffected {
            use super::*;

            #[with_defer($($strategy)?)]
            fn plain_int() -> i32 {
                let v = Cell::new(1);
                defer!(|| {
                    v.set(99);
                    say(format!("  deferred set local v = {}", v.get()));
                });
                return v.get();
            }

            #[with_defer($($strategy)?)]
            fn pointer_result() -> Rc<Cell<i32>> {
                let v = Rc::new(Cell::new(1));
                defer!(|| v.set(99));
                return Rc::clone(&v);
            }

            #[with_defer($($strategy)?)]
            fn slice_result() -> Rc<[Cell<i32>]> {
                let s: RefCell<Rc<[Cell<i32>]>> = RefCell::new(backing(&[1, 2]).into());
                defer!(|| {
                    s.borrow()[0].set(99);
                    let grown = append(&s.borrow(), 3).into();
                    *s.borrow_mut() = grown;
                });
                Rc::clone(&s.borrow())
            }

            #[with_defer($($strategy)?)]
            fn map_result() -> GoMap<&'static str, i32> {
                let m = Rc::new(RefCell::new(BTreeMap::from([("a", 1)])));
                defer!(|| {
                    m.borrow_mut().insert("b", 2);
                });
                Rc::clone(&m)
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    say(format!("plainInt: {}", plain_int()));
                    say(format!("pointerResult target: {}", pointer_result().get()));
                    say(format!("sliceResult: {}", go_cells(&slice_result())));
                    say(format!("mapResult: {}", go_map(&map_result().borrow())));
                });
                assert_eq!(lines, expected("014_unnamed_result_unaffected.out"));
            }
        }

        /// Case 016: Go's deferrable built-ins as their Rust operations, deferred in call
        /// form so their arguments are evaluated at the `defer!`: `delete` removes a key
        /// from the shared map, `close` is dropping the `SyncSender`, `copy` copies between
        /// shared slices (the saved `src` sees the later write). A deferred call's results
        /// (`copy`'s count, `with_results`'s pair) are discarded.
        mod case_016_builtins_and_discarded_results {
            use super::*;
            use std::sync::mpsc::{sync_channel, SyncSender, TryRecvError};

            fn with_results() -> (i32, &'static str) {
                say("  withResults ran; its results are dropped");
                (1, "ignored")
            }

            fn delete(m: &RefCell<BTreeMap<i32, &str>>, k: i32) {
                m.borrow_mut().remove(&k);
            }

            fn copy(dst: &[Cell<i32>], src: &[Cell<i32>]) -> usize {
                for (d, s) in dst.iter().zip(src) {
                    d.set(s.get());
                }
                dst.len().min(src.len())
            }

            #[with_defer($($looped)?)]
            fn run(m: &RefCell<BTreeMap<i32, &str>>, ch: SyncSender<i32>, dst: &[Cell<i32>]) {
                for k in 1..=3 {
                    defer!(delete(m, k));
                }
                defer!(drop(ch));
                let src = backing(&[7, 8, 9]);
                defer!(copy(dst, &src));
                src[2].set(90);
                defer!(with_results());
                say(format!(
                    "  during body: len(m) = {} dst = {}",
                    m.borrow().len(),
                    go_cells(dst)
                ));
            }

            #[test]
            fn prints_go_trace() {
                let lines = trace(|| {
                    let m = RefCell::new(BTreeMap::from([(1, "a"), (2, "b"), (3, "c"), (4, "d")]));
                    let (tx, rx) = sync_channel::<i32>(1);
                    let dst = backing(&[0, 0, 0]);
                    run(&m, tx, &dst);
                    let (v, ok) = match rx.try_recv() {
                        Ok(v) => (v, true),
                        Err(TryRecvError::Disconnected) => (0, false),
                        Err(TryRecvError::Empty) => panic!("the channel is still open"),
                    };
                    say(format!(
                        "after run: m = {} dst = {} receive from ch: {v} {ok}",
                        go_map(&m.borrow()),
                        go_cells(&dst)
                    ));
                });
                assert_eq!(lines, expected("016_builtins_and_discarded_results.out"));
            }
        }

        /// Case 040: `std::process::exit(3)` skips the pending deferred calls of every
        /// frame; those of calls that already returned have run. Runs in a child process
        /// (this test binary, re-executed on this one test).
        mod case_040_os_exit_skips_defers {
            use super::*;

            #[with_defer($($strategy)?)]
            fn finished() {
                defer!(say("finished: deferred (runs, function returned normally)"));
                say("finished: body");
            }

            #[with_defer($($strategy)?)]
            fn quit() {
                defer!(say("quit: deferred (never printed)"));
                say("quit: calling os.Exit(3)");
                std::process::exit(3);
            }

            #[with_defer($($strategy)?)]
            fn go_main() {
                defer!(say("main: deferred (never printed)"));
                finished();
                quit();
                say("main: not reached");
            }

            #[test]
            fn exit_status_and_trace() {
                let test = format!(
                    "{}::exit_status_and_trace",
                    module_path!().split_once("::").unwrap().1
                );
                if std::env::var(CASE_040_CHILD).as_deref() == Ok(test.as_str()) {
                    go_main();
                    return;
                }
                check_case_040(&test);
            }
        }
    };
}

/// Runs `test` (a case 040 port) in a child process and checks it against Go's
/// exit status, stdout and first stderr line.
fn check_case_040(test: &str) {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            test,
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "--quiet",
        ])
        .env(CASE_040_CHILD, test)
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The harness prints a blank line and `running 1 test` before the test starts,
    // and nothing more: the port exits the process before the test can finish.
    let lines: Vec<String> = stdout
        .lines()
        .skip_while(|line| line.is_empty() || is_harness_running_line(line))
        .map(String::from)
        .collect();
    let meta = go_data("040_os_exit_skips_defers.meta");
    let exit: i32 = meta_field(meta, "exit:").parse().unwrap();
    let stderr1 = meta_field(meta, "stderr1:");
    assert_eq!(
        output.status.code(),
        Some(exit),
        "child status; stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert_eq!(
        lines,
        expected("040_os_exit_skips_defers.out"),
        "stdout:\n{stdout}"
    );
    assert_eq!(
        stderr.lines().next().unwrap_or("").trim(),
        stderr1,
        "stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
    if stderr1.is_empty() {
        // The corpus writes `stderr1: ` with nothing after it when Go wrote nothing.
        assert_eq!(stderr, "", "the Go program wrote nothing to stderr");
    }
}

mod open_coded {
    use super::*;
    ports!(open_coded;);
}

mod chain {
    use super::*;
    ports!(chain; chain);
}

mod default_rule {
    use super::*;
    ports!(;);
}

/// The copies under `tests/go/` (this file's and
/// `test_go_conformance_recover.rs`'s) are byte-identical to the corpus files.
#[test]
fn copied_go_files_match_the_corpus() {
    corpus::check_copies();
}
