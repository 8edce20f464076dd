//! How a record calls its deferred code.

use core::fmt;

use crate::result::Results;

/// A deferred call as a record stores it.
///
/// Every `FnOnce()` closure is one, and a result-form closure as a
/// [`WithRet`]. When a loop holds several defer sites, the macro generates a
/// small enum with one variant per site (so records of different closure
/// types share one stack in execution order) and implements `Call` for it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a deferred call",
    note = "a deferred closure takes no parameter, or, in the result form, one `&mut Option<R>` where `R` is the function's return type"
)]
pub trait Call {
    /// Runs the deferred call.
    fn call(self);
}

impl<F: FnOnce()> Call for F {
    #[inline(always)]
    fn call(self) {
        self();
    }
}

/// A result-form deferred closure, `defer!(|ret| ..)`: it reads and may
/// replace the function's result, as Go's deferred closures do with named
/// results. It reaches the result through the function's [`Results`], at an
/// exit and while a panic unwinds alike.
pub struct WithRet<'a, F, R> {
    call: F,
    results: &'a Results<R>,
}

impl<'a, F: FnOnce(&mut Option<R>), R> WithRet<'a, F, R> {
    /// Wraps the closure; its parameter type comes from this bound.
    #[inline(always)]
    pub fn new(results: &'a Results<R>, call: F) -> Self {
        WithRet { call, results }
    }
}

impl<F: FnOnce(&mut Option<R>), R> Call for WithRet<'_, F, R> {
    #[inline(always)]
    fn call(self) {
        self.results.with(self.call);
    }
}

impl<F, R> fmt::Debug for WithRet<'_, F, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WithRet(..)")
    }
}
