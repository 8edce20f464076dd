//! Which `recover` a call names, decided by its type after name resolution.
//!
//! The attribute sees `recover()` by its spelling only. It lowers such a call
//! to a method call on `Resolve(<the user's path>)`, and autoref picks the
//! method: the library's [`recover`](crate::recover) has the type
//! `fn() -> Option<Panic>`, which matches the first impl (`&Resolve<fn() ->
//! Option<Panic>>`), and anything else named `recover` (a function of the
//! user's, whose type is its own function item type) falls through to the
//! second impl, which calls it as written.
//!
//! - `direct`: a call the deferred function makes itself; the library's
//!   stops the frame's panic.
//! - `handler`: a call in the body of a `#[with_defer]` function, which stops
//!   a panic when the function is the deferred function of a call-form
//!   `defer!` (Go's `defer handlePanic()`, see `offer.rs`).
//! - `misplaced`: a call anywhere else in the function (a nested closure, the
//!   arguments of a `defer!`); the library's is a compile error that says why
//!   it could never stop a panic.
//! - `deferred_itself`: `defer!(recover())`; the library's is a compile error.

use crate::panic::{Frame, Handler, Panic};

/// The callee of a `recover()` call, to dispatch on its type.
#[derive(Debug)]
pub struct Resolve<F>(pub F);

/// The library's `recover`, called directly by a deferred function.
pub trait DirectRecover {
    /// Stops the frame's panic, if any, and returns it.
    fn direct(&self, frame: &Frame) -> Option<Panic>;
}

impl DirectRecover for &Resolve<fn() -> Option<Panic>> {
    #[inline]
    fn direct(&self, frame: &Frame) -> Option<Panic> {
        frame.recover()
    }
}

/// Another function named `recover`: called as written.
pub trait DirectOther<R> {
    /// Calls it.
    fn direct(&self, frame: &Frame) -> R;
}

impl<R, F: Fn() -> R> DirectOther<R> for Resolve<F> {
    #[inline]
    fn direct(&self, _: &Frame) -> R {
        (self.0)()
    }
}

/// The library's `recover`, called in the body of a `#[with_defer]` function.
pub trait HandlerRecover {
    /// Stops the panic of the frame that deferred this call, if any.
    fn handler(&self, handler: &Handler, name: &'static str) -> Option<Panic>;
}

impl HandlerRecover for &Resolve<fn() -> Option<Panic>> {
    #[inline]
    fn handler(&self, handler: &Handler, name: &'static str) -> Option<Panic> {
        handler.recover(name)
    }
}

/// Another function named `recover`: called as written.
pub trait HandlerOther<R> {
    /// Calls it.
    fn handler(&self, handler: &Handler, name: &'static str) -> R;
}

impl<R, F: Fn() -> R> HandlerOther<R> for Resolve<F> {
    #[inline]
    fn handler(&self, _: &Handler, _: &'static str) -> R {
        (self.0)()
    }
}

/// Never implemented: the bound that makes a misplaced `recover()` an error.
#[diagnostic::on_unimplemented(
    message = "`recover()` here can never stop a panic: Go's recover stops one only when the deferred function calls it directly",
    label = "call it directly in a deferred closure: `defer!(|| if let Some(p) = recover() {{ .. }})`, and pass its result on",
    note = "the body runs before any panic of its own, `defer!` arguments are evaluated at the defer statement, and a closure nested in deferred code is not the deferred function"
)]
pub trait RecoverOutsideDeferredCode {}

/// The library's `recover`, called where it can never stop a panic.
pub trait MisplacedRecover {
    /// A compile error, through the unsatisfiable bound.
    fn misplaced(&self) -> Option<Panic>
    where
        Self: RecoverOutsideDeferredCode;
}

impl MisplacedRecover for &Resolve<fn() -> Option<Panic>> {
    fn misplaced(&self) -> Option<Panic>
    where
        Self: RecoverOutsideDeferredCode,
    {
        None
    }
}

/// Another function named `recover`: called as written.
pub trait MisplacedOther<R> {
    /// Calls it.
    fn misplaced(&self) -> R;
}

impl<R, F: Fn() -> R> MisplacedOther<R> for Resolve<F> {
    #[inline]
    fn misplaced(&self) -> R {
        (self.0)()
    }
}

/// Never implemented: the bound that makes `defer!(recover())` an error.
#[diagnostic::on_unimplemented(
    message = "`defer!(recover())` would not stop a panic: in Go, `defer recover()` is a no-op in the panicking function, since recover is then the deferred function, not called by one",
    label = "call it inside a deferred closure: `defer!(|| {{ recover(); }})`"
)]
pub trait RecoverAsDeferredFunction {}

/// The library's `recover` as the deferred function itself.
pub trait DeferredRecover {
    /// A compile error, through the unsatisfiable bound.
    fn deferred_itself(&self)
    where
        Self: RecoverAsDeferredFunction;
}

impl DeferredRecover for &Resolve<fn() -> Option<Panic>> {
    fn deferred_itself(&self)
    where
        Self: RecoverAsDeferredFunction,
    {
    }
}

/// Another function named `recover` deferred: fine.
pub trait DeferredOther {
    /// Nothing to check.
    fn deferred_itself(&self);
}

impl<F> DeferredOther for Resolve<F> {
    #[inline]
    fn deferred_itself(&self) {}
}
