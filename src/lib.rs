//! Go's `defer` statement, lowered at compile time the way the Go compiler does.
//!
//! Put [`#[with_defer]`](with_defer) on a function and write [`defer!`]
//! statements in its body. Each deferred call runs when the function exits (by
//! `return`, by `?`, at the end of the body, or while a panic unwinds), last
//! in, first out, with Go's rules for what is evaluated when. Go's named
//! results have a Rust form, a deferred closure that gets the result, and so
//! does Go's [`recover()`](const@recover).
//!
//! This page is the tour. The guide for Go programmers is in the repository,
//! starting at `docs/README.md`, which maps each rule of Go's `defer`, `panic`
//! and `recover` to this crate; the sections below name the page that goes
//! further.
//!
//! # A first defer
//!
//! ```
//! use godefer::{defer, with_defer};
//! use std::cell::RefCell;
//!
//! #[with_defer]
//! fn work(log: &RefCell<Vec<String>>, fail: bool) -> Result<u32, String> {
//!     defer!(|| log.borrow_mut().push("unlock".into()));
//!     if fail {
//!         return Err("failed".into()); // runs the deferred call
//!     }
//!     log.borrow_mut().push("work".into());
//!     Ok(7) // and so does the end of the body
//! }
//!
//! let log = RefCell::new(Vec::new());
//! assert_eq!(work(&log, true), Err("failed".to_string()));
//! assert_eq!(work(&log, false), Ok(7));
//! assert_eq!(*log.borrow(), ["unlock", "work", "unlock"]);
//! ```
//!
//! A `defer!` in a block or a branch still runs when the *function* exits, and
//! only if control reached it. The return value is computed before the
//! deferred calls run, as Go sets the results first. The attribute goes on
//! free functions, methods, generic functions, `unsafe fn` and `async fn`.
//!
//! # What is evaluated when
//!
//! As in Go, a deferred *call* `defer!(f(a, b))` evaluates `f`, `a` and `b` at
//! the defer statement, left to right, and calls `f` at exit. Everything else
//! (a closure `defer!(|| ..)`, a block `defer! { .. }`, a macro call such as
//! `println!`) runs as written at exit, with Rust's capture rules. [`defer!`]
//! lists the forms, method calls included.
//!
//! ```
//! use godefer::{defer, with_defer};
//! use std::cell::{Cell, RefCell};
//!
//! fn note(log: &RefCell<Vec<String>>, form: &str, n: i32) {
//!     log.borrow_mut().push(format!("{form} {n}"));
//! }
//!
//! #[with_defer]
//! fn forms(log: &RefCell<Vec<String>>) {
//!     let n = Cell::new(1);
//!     defer!(note(log, "call", n.get()));       // n.get() runs now
//!     defer!(|| note(log, "closure", n.get())); // runs at exit
//!     defer! {
//!         note(log, "block", n.get());          // runs at exit
//!     }
//!     n.set(2);
//! }
//!
//! let log = RefCell::new(Vec::new());
//! forms(&log);
//! assert_eq!(*log.borrow(), ["block 2", "closure 2", "call 1"]);
//! ```
//!
//! A deferred closure borrows what it uses until the function exits, so the
//! function cannot assign or move those values meanwhile; share them through a
//! [`Cell`](core::cell::Cell) or [`RefCell`](core::cell::RefCell) when the
//! deferred code should see later changes, as Go's closures do.
//! `docs/capture-rules.md` in the repository has every case, with its fix.
//!
//! # Loops
//!
//! A `defer!` in a loop adds one record per iteration, and they all run when
//! the function returns, newest first. In Go that is a classic leak (a file
//! kept open per iteration), so here it draws a warning;
//! `#[allow(deprecated)]` says that accumulating is meant. To run the cleanup
//! at the end of each iteration, give the loop body a function of its own.
//!
//! ```
//! use godefer::{defer, with_defer};
//! use std::cell::RefCell;
//!
//! fn push(log: &RefCell<Vec<String>>, line: String) {
//!     log.borrow_mut().push(line);
//! }
//!
//! #[with_defer]
//! fn accumulate(log: &RefCell<Vec<String>>, n: u32) {
//!     for i in 0..n {
//!         #[allow(deprecated)] // every record is meant to wait for the end
//!         defer!(push(log, format!("release {i}")));
//!     }
//!     push(log, "loop done".into());
//! }
//!
//! #[with_defer]
//! fn step(log: &RefCell<Vec<String>>, i: u32) {
//!     defer!(push(log, format!("release {i}")));
//!     push(log, format!("use {i}"));
//! }
//!
//! let log = RefCell::new(Vec::new());
//! accumulate(&log, 2);
//! assert_eq!(*log.borrow(), ["loop done", "release 1", "release 0"]);
//!
//! let log = RefCell::new(Vec::new());
//! for i in 0..2 {
//!     step(&log, i);
//! }
//! assert_eq!(*log.borrow(), ["use 0", "release 0", "use 1", "release 1"]);
//! ```
//!
//! # Named results: the result form
//!
//! A deferred closure with one parameter gets the function's result as
//! `&mut Option<R>`: `Some(value)` after a return, `None` while a panic unwinds
//! before there is a value. Whatever it leaves there is what the caller gets,
//! as with Go's deferred closures that assign named results. (`recover()`
//! needs the default `std` feature, for `catch_unwind`; the result form works
//! without it.) `docs/go-patterns.md` in the repository maps Go's
//! uses of named results and `recover()`.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use godefer::{defer, with_defer};
//!
//! #[with_defer]
//! fn parse(text: &str) -> Result<u32, String> {
//!     defer!(|ret| {
//!         if let Some(Err(e)) = ret {
//!             *e = format!("parse {text:?}: {e}"); // wraps every error, `?` included
//!         }
//!     });
//!     let n: u32 = text.parse().map_err(|e: std::num::ParseIntError| e.to_string())?;
//!     Ok(n * 2)
//! }
//!
//! assert_eq!(parse("21"), Ok(42));
//! assert_eq!(parse("x"), Err(r#"parse "x": invalid digit found in string"#.to_string()));
//! # }
//! ```
//!
//! # `recover()`
//!
//! `recover()`, called directly in a deferred closure or block while the
//! function panics, stops the panic and returns it as a `Panic`. The other
//! deferred calls run, and the function returns what is in the result slot,
//! or Go's zero value (`Default::default()`) when nothing set it. Rust's
//! panics for index out of bounds, division by zero and the like are
//! recovered like any other, as Go's runtime errors are.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use godefer::{defer, recover, with_defer};
//!
//! #[with_defer]
//! fn first(v: &[u8]) -> u8 {
//!     defer!(|| {
//!         if let Some(panic) = recover() {
//!             assert!(panic.to_string().contains("out of bounds"));
//!         }
//!     });
//!     v[0]
//! }
//!
//! # std::panic::set_hook(Box::new(|_| {}));
//! assert_eq!(first(&[7]), 7);
//! assert_eq!(first(&[]), 0); // recovered: u8's zero value
//! # }
//! ```
//!
//! # Lowering, and `explain`
//!
//! Like the Go compiler, the macro either open-codes a function's deferred
//! calls (each in its own local, run inline at every exit) or stores them in
//! records that every exit runs, choosing by Go's rule, which
//! `docs/lowering.md` in the repository states and illustrates with real
//! `cargo expand` output. `#[with_defer(open_coded)]` and
//! `#[with_defer(chain)]` force one; `#[with_defer(explain)]`, like Go's
//! `go build -gcflags=-d=defer`, adds a warning at each `defer!` that says how
//! it was lowered and why. The behaviour is the same whichever lowering is
//! used.
//!
//! ```
//! use godefer::{defer, with_defer};
//! use std::cell::Cell;
//!
//! #[with_defer(chain)]
//! fn chained(n: &Cell<u32>) {
//!     defer!(|| n.set(n.get() * 10));
//!     defer!(|| n.set(n.get() + 1)); // runs first
//! }
//!
//! #[with_defer(open_coded, explain)] // warns: open-coded defer (forced by ..)
//! fn open_coded(n: &Cell<u32>) {
//!     defer!(|| n.set(n.get() * 10));
//!     defer!(|| n.set(n.get() + 1));
//! }
//!
//! let (a, b) = (Cell::new(1), Cell::new(1));
//! chained(&a);
//! open_coded(&b);
//! assert_eq!((a.get(), b.get()), (20, 20));
//! ```
//!
//! # Warnings
//!
//! A deferred call whose value is `#[must_use]` (an `io::Result`) gets rustc's
//! `unused_must_use` warning at the `defer!` line. Handle the error in the
//! deferred code, or say it is ignored with `#[allow(unused_must_use)]` on the
//! `defer!` or with `defer!(let _ = ..)`, which is deferred as written (its
//! arguments are evaluated at exit):
//!
//! ```
//! #![deny(unused_must_use)]
//! use godefer::{defer, with_defer};
//! use std::cell::RefCell;
//!
//! fn close(log: &RefCell<Vec<&'static str>>) -> Result<(), String> {
//!     log.borrow_mut().push("closed");
//!     Ok(())
//! }
//!
//! #[with_defer]
//! fn work(log: &RefCell<Vec<&'static str>>) {
//!     defer!(let _ = close(log));
//!     #[allow(unused_must_use)] // a failed close is acceptable here
//!     defer!(close(log));
//!     log.borrow_mut().push("work");
//! }
//!
//! let log = RefCell::new(Vec::new());
//! work(&log);
//! assert_eq!(*log.borrow(), ["work", "closed", "closed"]);
//! ```
//!
//! The loop warning and the `explain` notes are uses of `#[deprecated]` items
//! (the only way a macro can warn on stable Rust), silenced with
//! `#[allow(deprecated)]`; `docs/warnings-and-explain.md` in the repository
//! explains each.
//!
//! # Mistakes the compiler catches
//!
//! A `defer!` belongs to the body of the function marked `#[with_defer]`. In a
//! function without the attribute it is an error:
//!
//! ```compile_fail
//! use godefer::defer;
//!
//! fn no_attribute() {
//!     defer!(println!("never lowered"));
//! }
//! ```
//!
//! So is a `defer!` in a closure, which has no exits of its own that the
//! attribute rewrites (use a nested `#[with_defer] fn`, Go's func literal with
//! its own defer):
//!
//! ```compile_fail
//! use godefer::{defer, with_defer};
//!
//! #[with_defer]
//! fn work() {
//!     let step = || {
//!         defer!(println!("step done"));
//!     };
//!     step();
//! }
//! ```
//!
//! A `recover()` that could never stop a panic is an error, where Go would
//! quietly return nil: in the arguments of a `defer!`, evaluated before
//! anything panics,
//!
//! ```compile_fail
//! use godefer::{defer, recover, with_defer};
//!
//! fn report(recovered: bool) {
//!     println!("{recovered}");
//! }
//!
//! #[with_defer]
//! fn work() {
//!     defer!(report(recover().is_some()));
//!     panic!("boom");
//! }
//! ```
//!
//! and deferred itself (Go's `defer recover()`, a no-op in the panicking
//! function; write `defer!(|| { recover(); })`):
//!
//! ```compile_fail
//! use godefer::{defer, recover, with_defer};
//!
//! #[with_defer]
//! fn work() {
//!     defer!(recover());
//!     panic!("boom");
//! }
//! ```
//!
//! Rust's borrow rules apply where Go would read a variable's latest value:
//! a deferred closure in a loop cannot borrow the loop variable, and a
//! variable that a deferred closure borrows cannot be assigned until the
//! function returns. `docs/capture-rules.md` in the repository gives each
//! such error with rustc's message and its fix.
//!
//! # Differences from Go
//!
//! Besides the borrow rules, the main ones are that a method's place
//! receiver is used at exit rather than copied at the `defer`, that macro
//! calls are deferred as written, and that `recover()` must be written directly
//! in the deferred code. `docs/differences.md` in the repository lists them
//! all, with the reasons.
#![no_std]

/// Lowers the [`defer!`] statements of a function: each exit of the function
/// (`return`, `?`, the end of the body, a panic unwinding through it) runs
/// the calls deferred before it, newest first.
///
/// It goes on free functions, methods (`self`, `&self`, `&mut self`), trait
/// methods with a body, generic functions, `impl Trait` returns, `unsafe fn`
/// and `async fn`; not on a `const fn`. Arguments:
///
/// - none: Go's rule chooses the lowering (open-coded, or records);
/// - `open_coded` or `chain`: force one (open-coded cannot hold a `defer!` in
///   a loop, and says so);
/// - `explain`, alone or beside one of those: a warning at each `defer!` that
///   says how it was lowered and why, like Go's `-gcflags=-d=defer`.
///
/// ```
/// use godefer::{defer, with_defer};
/// use std::cell::Cell;
///
/// #[with_defer(chain)]
/// fn count(n: &Cell<u32>) -> u32 {
///     defer!(n.set(n.get() + 1));
///     n.get()
/// }
///
/// let n = Cell::new(0);
/// assert_eq!(count(&n), 0); // the return value is computed first
/// assert_eq!(n.get(), 1);
/// ```
///
/// In an `async fn`, the deferred calls run when the future completes, or
/// when it is dropped before completing:
///
/// ```
/// use godefer::{defer, with_defer};
/// use std::cell::RefCell;
/// use std::future::Future;
/// use std::task::{Context, Poll, Waker};
///
/// #[with_defer]
/// async fn job(log: &RefCell<Vec<&'static str>>) -> u32 {
///     defer!(|| log.borrow_mut().push("cleanup"));
///     std::future::ready(()).await;
///     log.borrow_mut().push("working");
///     42
/// }
///
/// let log = RefCell::new(Vec::new());
/// let mut future = std::pin::pin!(job(&log));
/// let mut cx = Context::from_waker(Waker::noop());
/// assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(42));
/// assert_eq!(*log.borrow(), ["working", "cleanup"]);
/// ```
///
/// On something that is not a function with a body, it is an error:
///
/// ```compile_fail
/// use godefer::with_defer;
///
/// #[with_defer]
/// struct Conn {
///     open: bool,
/// }
/// ```
pub use godefer_macros::with_defer;

/// Defers a call to the exit of the enclosing `#[with_defer]` function.
///
/// The forms, and what each evaluates at the `defer!`:
///
/// - `defer!(f(a, b))`: `f`, `a` and `b`, left to right; `f` is called at exit
///   with the saved values (Go's `defer f(a, b)`).
/// - `defer!(x.m(a))`: `a`, and `x` too unless it is a place (a variable,
///   `self`, a field, an index or a dereference), which is used in place at
///   exit.
/// - `defer!(|| ..)` or `defer!(move || ..)`: the closure is created now and
///   called at exit (Go's `defer func() { .. }()`).
/// - `defer!(|ret| ..)`: the result form; the closure gets the function's
///   result as `&mut Option<R>` (Go's named results).
/// - `defer! { .. }`, or any other expression (a macro call, an assignment,
///   `let _ = ..`): nothing; it runs as written at exit.
///
/// ```
/// use godefer::{defer, with_defer};
/// use std::cell::RefCell;
///
/// #[with_defer]
/// fn steps(log: &RefCell<Vec<&'static str>>) {
///     defer!(|| log.borrow_mut().push("first deferred, runs last"));
///     defer! {
///         log.borrow_mut().push("second deferred, runs first");
///     }
///     log.borrow_mut().push("body");
/// }
///
/// let log = RefCell::new(Vec::new());
/// steps(&log);
/// assert_eq!(
///     *log.borrow(),
///     ["body", "second deferred, runs first", "first deferred, runs last"]
/// );
/// ```
///
/// `defer!` is only a marker for the attribute: outside a `#[with_defer]`
/// function's own code (in a closure, an `async` block, another `defer!`) it
/// is an error. So is deferring two expressions at once; use a block,
/// `defer! { a(); b(); }`:
///
/// ```compile_fail
/// use godefer::{defer, with_defer};
///
/// fn a() {}
/// fn b() {}
///
/// #[with_defer]
/// fn work() {
///     defer!(a(), b());
/// }
/// ```
pub use godefer_macros::defer;

/// Go's `recover()`: called directly in a deferred closure or block of a
/// `#[with_defer]` function while that function panics, it stops the panic and
/// returns it; the remaining deferred calls run and the function returns
/// normally. It returns `None` when nothing is panicking, and after another
/// deferred closure has recovered the panic.
///
/// ```
/// use godefer::{defer, recover, with_defer};
///
/// #[with_defer]
/// fn safe_div(a: i32, b: i32) -> Result<i32, String> {
///     defer!(|ret| {
///         if let Some(panic) = recover() {
///             *ret = Some(Err(format!("recovered: {panic}")));
///         }
///     });
///     Ok(a / b)
/// }
///
/// # std::panic::set_hook(Box::new(|_| {}));
/// assert_eq!(safe_div(7, 2), Ok(3));
/// assert_eq!(safe_div(1, 0), Err("recovered: attempt to divide by zero".to_string()));
/// ```
///
/// Go's `defer handlePanic()`, where the deferred function calls `recover()`
/// in its own body, works when the handler is marked `#[with_defer]` and the
/// `defer!` is written before the caller's first `let`:
///
/// ```
/// use godefer::{defer, recover, with_defer};
///
/// #[with_defer]
/// fn handle_panic(name: &str) {
///     if let Some(panic) = recover() {
///         println!("{name}: recovered {panic}");
///     }
/// }
///
/// #[with_defer]
/// fn parse_port(text: &str) -> u16 {
///     defer!(handle_panic("parse_port"));
///     text.parse().expect("a port number")
/// }
///
/// # std::panic::set_hook(Box::new(|_| {}));
/// assert_eq!(parse_port("8080"), 8080);
/// assert_eq!(parse_port("eighty"), 0); // recovered: the zero value
/// handle_panic("not deferred"); // recover() is None: nothing to recover
/// ```
///
/// Inside a `#[with_defer]` function, a `recover()` that could never stop a
/// panic does not compile: in a closure nested in the function or its
/// deferred code, in the arguments of a `defer!`, or deferred itself:
///
/// ```compile_fail
/// use godefer::{defer, recover, with_defer, Panic};
///
/// fn report(panic: Option<Panic>) {
///     println!("{panic:?}");
/// }
///
/// #[with_defer]
/// fn work() {
///     defer!(report(recover())); // evaluated at the defer!, when nothing panics
///     panic!("boom");
/// }
/// ```
///
/// In a plain function, which no attribute rewrites, `recover()` is never
/// called by a deferred function, and returns `None`:
///
/// ```
/// fn helper() -> bool {
///     godefer::recover().is_some()
/// }
///
/// assert!(!helper());
/// ```
#[cfg(feature = "std")]
pub use godefer_runtime::recover;

/// A panic that [`recover()`](const@recover) stopped: its payload, its message when it has
/// one, and the panics it superseded.
///
/// It displays as its message (`Box<dyn Any>` when the payload is not a
/// string). [`Panic::downcast_ref`] reads a payload raised with
/// `std::panic::panic_any`, and [`Panic::resume`] raises the panic again with
/// its own payload (Go's `panic(r)` after a recover).
///
/// ```
/// use godefer::{defer, recover, with_defer};
///
/// #[derive(Debug, PartialEq)]
/// struct Code(u32);
///
/// #[with_defer]
/// fn run(fail: bool) -> Result<&'static str, String> {
///     defer!(|ret| {
///         if let Some(panic) = recover() {
///             let text = match panic.downcast_ref::<Code>() {
///                 Some(Code(n)) => format!("code {n}"),
///                 None => panic.to_string(),
///             };
///             *ret = Some(Err(text));
///         }
///     });
///     if fail {
///         std::panic::panic_any(Code(7));
///     }
///     Ok("done")
/// }
///
/// # std::panic::set_hook(Box::new(|_| {}));
/// assert_eq!(run(false), Ok("done"));
/// assert_eq!(run(true), Err("code 7".to_string()));
/// ```
///
/// A deferred call that panics while a panic unwinds supersedes it, as in Go:
/// `recover()` gets the newest panic, and, unlike Go, the older ones stay
/// reachable through [`Panic::superseded`], oldest first.
///
/// ```
/// use godefer::{defer, recover, with_defer};
///
/// #[with_defer]
/// fn chain() -> Vec<String> {
///     defer!(|ret| {
///         if let Some(panic) = recover() {
///             let mut all: Vec<String> =
///                 panic.superseded().iter().map(|p| p.to_string()).collect();
///             all.push(panic.to_string());
///             *ret = Some(all);
///         }
///     });
///     defer!(panic!("second"));
///     panic!("first");
/// }
///
/// # std::panic::set_hook(Box::new(|_| {}));
/// assert_eq!(chain(), ["first", "second"]);
/// ```
#[cfg(feature = "std")]
pub use godefer_runtime::Panic;

/// The warnings the macro raises at a user's `defer!`.
///
/// Stable Rust lets a procedural macro warn only by calling a
/// `#[deprecated]` item, so each warning is one such function here; rustc
/// names it in the warning (`use of deprecated function
/// `godefer::lints::defer_in_loop``), and `#[allow(deprecated)]` on the
/// statement or the function silences it. The paths are stable: they are
/// what users see and silence.
pub mod lints {
    /// Called by every `defer!` inside a loop: the records pile up until the
    /// function returns (Go's classic leak).
    #[deprecated(
        note = "`defer!` inside a loop: each iteration adds a record that lives until the function returns, not until the iteration ends (Go's classic leak); to release it per iteration, move the loop body into a nested fn marked `#[with_defer]`; if accumulating is intended, silence this with `#[allow(deprecated)]`"
    )]
    #[inline(always)]
    pub fn defer_in_loop() {}
}

/// Everything generated code names, and nothing else. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::lints;
    /// Not named by generated code: lets the tests check that the panics a
    /// thread holds for unwindings in flight stay bounded.
    #[cfg(feature = "std")]
    pub use godefer_runtime::held_panics;
    pub use godefer_runtime::{
        Args, Branch, Call, CatchOffering, DeferStack, Deferred, FromResidual, Offered, Results,
        Rewrap, Slot, WithRet, Zero, ZeroByDefault, ZeroByPanic, call_args1, call_args2,
        call_args3, call_args4, call_args5, call_args6, call_args7, call_args8, catch_offering,
        deferproc, deferproc_stack, deferreturn, handle_offering, no_result_hidden_type, offered,
        rewrap, rewrap_async,
    };
    #[cfg(feature = "std")]
    pub use godefer_runtime::{
        CatchUnwind, DeferredOther, DeferredRecover, DirectOther, DirectRecover, Frame, Handler,
        HandlerOther, HandlerRecover, MisplacedOther, MisplacedRecover, Resolve, catch,
    };
}
