//! Go's `defer` statement, lowered at compile time the way the Go compiler does.
//!
//! Put [`#[with_defer]`](with_defer) on a function and write [`defer!`]
//! statements in its body. Each deferred call runs when the function exits —
//! by `return`, by `?`, at the end of the body, or while a panic unwinds —
//! last in, first out.
//!
//! ```
//! use go_defer::{defer, with_defer};
//! use std::cell::RefCell;
//!
//! #[with_defer]
//! fn work(log: &RefCell<Vec<String>>, fail: bool) -> Result<u32, String> {
//!     defer!(|| log.borrow_mut().push("unlock".into()));
//!     for part in ["a", "b"] {
//!         // Evaluated now: each record keeps its own `part`.
//!         defer!(push(log, format!("remove {part}")));
//!     }
//!     if fail {
//!         return Err("failed".into());
//!     }
//!     Ok(7)
//! }
//!
//! fn push(log: &RefCell<Vec<String>>, line: String) {
//!     log.borrow_mut().push(line);
//! }
//!
//! let log = RefCell::new(Vec::new());
//! assert_eq!(work(&log, true), Err("failed".to_string()));
//! assert_eq!(*log.borrow(), ["remove b", "remove a", "unlock"]);
//! ```
//!
//! # What is evaluated when
//!
//! As in Go, a deferred *call* `defer!(f(a, b))` evaluates `f`, `a` and `b` at
//! the defer statement, left to right, and calls `f` at exit; a method call
//! `defer!(x.m(a))` evaluates `a` now and uses a place receiver `x` in place at
//! exit; a receiver that is not a place is evaluated now, so
//! `defer!(cell.borrow_mut().push(1))` takes the borrow at the defer statement
//! (write `defer!(|| cell.borrow_mut().push(1))` to take it at exit). Anything else — a closure `defer!(|| ..)`, a block `defer! { .. }`, a
//! macro call, an assignment — runs as written at exit, with Rust's capture
//! rules.
//!
//! # Lowering
//!
//! Like the Go compiler, the macro open-codes the deferred calls (each in its
//! own local, run inline at every exit) when the function has no defer in a
//! loop, at most 8 defers and returns x defers <= 15, or a single return;
//! otherwise it records them in a chain of records that `deferreturn` runs.
//! `#[with_defer(open_coded)]` and `#[with_defer(chain)]` force one. The guide
//! in `docs/lowering.md` shows both with real `cargo expand` output.
//!
//! # Caveats
//!
//! A `defer!` belongs to the function marked `#[with_defer]`: one inside a
//! closure or an async block is a compile error, as is one in a fn without the
//! attribute.
//!
//! ```compile_fail
//! use go_defer::defer;
//!
//! fn no_attribute() {
//!     defer!(println!("never lowered"));
//! }
//! ```
#![no_std]

/// Lowers the [`defer!`] statements of a function.
///
/// `#[with_defer]` lets Go's rule choose the lowering; `#[with_defer(open_coded)]`
/// and `#[with_defer(chain)]` force one.
///
/// ```
/// use go_defer::{defer, with_defer};
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
pub use go_defer_macros::with_defer;

/// Defers a call to the exit of the enclosing `#[with_defer]` function.
///
/// ```
/// use go_defer::{defer, with_defer};
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
pub use go_defer_macros::defer;

/// Go's `recover()`: called directly in a deferred closure or block of a
/// `#[with_defer]` function while that function panics, it stops the panic and
/// returns it; the remaining deferred calls run and the function returns
/// normally. Everywhere else it returns `None`.
///
/// ```
/// use go_defer::{defer, recover, with_defer};
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
#[cfg(feature = "std")]
pub use go_defer_runtime::recover;

/// A panic that [`recover()`] stopped.
#[cfg(feature = "std")]
pub use go_defer_runtime::Panic;

/// The runtime that `#[with_defer]` lowers to: slots, loop stacks,
/// `deferreturn`.
pub use go_defer_runtime as runtime;

/// Everything generated code names, and nothing else. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use go_defer_runtime::lints;
    pub use go_defer_runtime::{
        call_args1, call_args2, call_args3, call_args4, call_args5, call_args6, call_args7,
        call_args8, deferproc, deferproc_stack, deferreturn, Args, Branch, Call, CallRet,
        DeferStack, FromResidual, Slot, WithRet,
    };
    #[cfg(feature = "std")]
    pub use go_defer_runtime::{
        catch, no_result_hidden_type, CatchUnwind, Exit, Frame, Zero, ZeroByDefault, ZeroByPanic,
    };
}
