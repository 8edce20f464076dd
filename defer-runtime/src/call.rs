//! How a record calls its deferred code.

use core::fmt;
use core::marker::PhantomData;

/// A deferred call as a record stores it: called with no result slot, as on
/// an exit without result-form defers, or while a panic unwinds.
///
/// Every `FnOnce()` closure is one. A result-form closure is one as a
/// [`WithRet`], which hands it `&mut None`. When a loop holds several defer
/// sites, the macro generates a small enum with one variant per site (so
/// records of different closure types share one stack in execution order) and
/// implements `Call` and [`CallRet`] for it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a deferred call",
    note = "a deferred closure takes no parameter, or, in the result form, one `&mut Option<R>` where `R` is the function's return type"
)]
pub trait Call {
    /// Runs the deferred call.
    fn call(self);
}

/// A deferred call on a normal exit of a function with result-form defers:
/// it gets the function's result slot, `Some(value)` once the value is known.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a deferred call of a function returning `{R}`",
    note = "a deferred closure takes no parameter, or, in the result form, one `&mut Option<R>` where `R` is the function's return type"
)]
pub trait CallRet<R>: Call {
    /// Runs the deferred call with the result slot.
    fn call_ret(self, ret: &mut Option<R>);
}

impl<F: FnOnce()> Call for F {
    #[inline(always)]
    fn call(self) {
        self();
    }
}

impl<R, F: FnOnce()> CallRet<R> for F {
    #[inline(always)]
    fn call_ret(self, _: &mut Option<R>) {
        self();
    }
}

/// A result-form deferred closure, `defer!(|ret| ..)`: it reads and may
/// replace the function's result, as Go's deferred closures do with named
/// results.
pub struct WithRet<F, R> {
    call: F,
    ret: PhantomData<fn(&mut Option<R>)>,
}

impl<F: FnOnce(&mut Option<R>), R> WithRet<F, R> {
    /// Wraps the closure; its parameter type comes from this bound.
    #[inline(always)]
    pub fn new(call: F) -> Self {
        WithRet {
            call,
            ret: PhantomData,
        }
    }
}

impl<F: FnOnce(&mut Option<R>), R> Call for WithRet<F, R> {
    /// While a panic unwinds there is no result yet: the closure sees `None`.
    #[inline(always)]
    fn call(self) {
        (self.call)(&mut None);
    }
}

impl<F: FnOnce(&mut Option<R>), R> CallRet<R> for WithRet<F, R> {
    #[inline(always)]
    fn call_ret(self, ret: &mut Option<R>) {
        (self.call)(ret);
    }
}

impl<F, R> fmt::Debug for WithRet<F, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WithRet(..)")
    }
}
