//! Go's `defer handlePanic()`: a deferred function that calls `recover()` in
//! its own body.
//!
//! In Go, the callee of `defer f(..)` is the deferred function, so a
//! `recover()` written directly in `f` stops the panic. Here the caller's
//! attribute cannot see whether `f` recovers: that is decided by `f`'s own
//! `#[with_defer]`, which may be in another module or crate. So the caller
//! makes every call-form record that could reach such a handler stoppable: a
//! catch follows the statement that declares it ([`catch_offering`], or
//! [`CatchOffering`] in an `async fn`). The catch is only a landing pad: it
//! keeps no books while nothing panics, so a function that does not panic
//! runs the same instructions as without it, bar the spill of its records to
//! the stack.
//!
//! A panic that reaches the catch runs the records with the panic current
//! ([`handle_offering`], through `Frame::handle`). Each call of a record run
//! by [`offered`] (or wrapped in [`Offered`], in a function that also
//! recovers) runs with the frame offered to its callee; a
//! `#[with_defer]` function that calls `recover()` in its body takes the offer
//! at its first statement (`Handler::enter`), so only the deferred function
//! itself can stop the panic, not a function it calls, and the same handler
//! called as a plain function finds no offer and gets `None`.
//!
//! Without the `std` feature nothing unwinds into a catch: the catch runs the
//! body, and its error type has no value.

#[cfg(not(feature = "std"))]
use core::convert::Infallible;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::record::Deferred;

/// What a catch of [`catch_offering`] hands to [`handle_offering`].
#[cfg(feature = "std")]
pub type Caught = std::boxed::Box<dyn core::any::Any + Send>;
/// What a catch of [`catch_offering`] hands to [`handle_offering`]: nothing,
/// without `std`.
#[cfg(not(feature = "std"))]
pub type Caught = Infallible;

/// The catch after a statement whose call-form records may reach a handler:
/// `catch_unwind`, with none of the bookkeeping of the recovering catch.
#[inline(always)]
pub fn catch_offering<T>(body: impl FnOnce() -> T) -> Result<T, Caught> {
    #[cfg(feature = "std")]
    {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(body))
    }
    #[cfg(not(feature = "std"))]
    {
        Ok(body())
    }
}

/// A panic reached a catch of [`catch_offering`]: runs the records with the
/// panic current, through `run`, which runs every pending call of the
/// records, newest first (`offered(&mut record)` for a record whose callees
/// may be handlers, `record.run()` for the others). Returns if a handler
/// recovered the panic; otherwise the panic goes on unwinding.
///
/// `run` is called again after a call that panics: each call is taken out of
/// its record before it runs, so the second run makes only the calls still
/// pending. The records come by value, moved into `run`, so that the path
/// without a panic never takes their address, and no record is used through
/// `dyn Deferred`, which would cost a vtable per record type to compile.
#[cold]
#[inline(never)]
pub fn handle_offering<R: FnMut()>(caught: Caught, run: R) {
    #[cfg(feature = "std")]
    {
        let mut run = run;
        crate::panic::Frame::new().handle_run(caught, &mut run);
    }
    #[cfg(not(feature = "std"))]
    match (caught, run) {}
}

/// Runs every pending call of `record`, each with the handling frame
/// offered to its callee (see [`Offered`]).
#[inline]
pub fn offered<D: Deferred + ?Sized>(record: &mut D) {
    Offered(record).run_deferred();
}

/// A record whose calls may reach a handler: each call runs with the frame
/// that handles the panic offered to its callee.
pub struct Offered<'a, D: Deferred + ?Sized>(pub &'a mut D);

impl<D: Deferred + ?Sized> Deferred for Offered<'_, D> {
    fn run_deferred(&mut self) {
        while self.run_next() {}
    }

    /// Offers the frame for this call (again for each call: the callee
    /// before took the offer if it was a handler), and withdraws it after.
    /// A call that panics leaves it to `Frame::handle`, which withdraws it.
    fn run_next(&mut self) -> bool {
        #[cfg(feature = "std")]
        crate::panic::offer_handling_frame();
        let ran = self.0.run_next();
        #[cfg(feature = "std")]
        crate::panic::withdraw_offer();
        ran
    }
}

impl<D: Deferred + ?Sized> fmt::Debug for Offered<'_, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Offered(..)")
    }
}

/// [`catch_offering`] for an `async fn`: catches a panic raised while polling
/// the statements after the records. Not polled again after a panic.
#[must_use = "futures do nothing unless awaited"]
pub struct CatchOffering<F> {
    inner: F,
}

impl<F: Future> CatchOffering<F> {
    /// Wraps the statements after the records, as an async block.
    #[inline]
    pub fn new(inner: F) -> Self {
        CatchOffering { inner }
    }
}

impl<F: Future> Future for CatchOffering<F> {
    type Output = Result<F::Output, Caught>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `inner` is structurally pinned: it is never moved out of
        // `self`, and `CatchOffering` has no `Drop` impl and no `Unpin` impl
        // of its own, so the pin of `self` carries over to `inner`.
        let inner = unsafe { self.map_unchecked_mut(|this| &mut this.inner) };
        match catch_offering(|| inner.poll(cx)) {
            Ok(poll) => poll.map(Ok),
            Err(caught) => Poll::Ready(Err(caught)),
        }
    }
}

impl<F> fmt::Debug for CatchOffering<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CatchOffering(..)")
    }
}
