//! Go's named results: the function's result as its result-form deferred
//! closures (`defer!(|ret| ..)`) see it, for the whole call.
//!
//! Every result-form record holds a reference to the function's [`Results`],
//! declared at the top of the body, so that the closures share one result
//! whether they run at an exit or from `Drop` while a panic unwinds (a
//! closure that sets the result during the panic leaves it for the older
//! ones, and for the function if a `recover()` stops the panic).
//!
//! Where the result lives: on a normal exit, in [`Results::returning`]'s own
//! stack frame while the records run (nothing is allocated); on the panic
//! path, in a box allocated the first time a closure asks for it, taken by the
//! exit that follows a recover or dropped with the `Results`. The `Results`
//! itself holds no `R`, only a pointer, so an `async fn` future that keeps it
//! across an `.await` is `Send` exactly when it would be without it (see the
//! `Send` impl for why that holds).

use alloc::boxed::Box;
use core::cell::Cell;
use core::fmt;
use core::marker::PhantomData;
use core::ptr;

/// The result of one call of a function with result-form defers or
/// `recover()`: what its deferred closures read and replace.
pub struct Results<R> {
    /// The result while it exists: a value of [`Results::returning`]'s
    /// frame while it runs the records, or else the panic path's box, which
    /// this `Results` owns; null before either.
    slot: Cell<*mut Option<R>>,
    /// Dropping a `Results` may drop an `R`.
    _owns: PhantomData<fn() -> R>,
}

// SAFETY: a `Results` is shared only by the records and the exits of one
// call of one function (its name is hygienic: user code cannot reach it), and
// they use it on one thread at a time: a sync function runs on one thread, and
// an `async fn` future is polled by one thread at a time, with no `.await`
// inside an exit or a deferred call, the only code that touches the cell. So
// the cell is never accessed from two threads at once. The `R` it may hold
// (the panic path's box) is created and consumed within one such synchronous
// stretch (a frame's unwinding and its catch, a future's drop), so it does not
// cross threads either; which is what lets an `async fn` whose result is not
// `Send` keep its future `Send` when the result is made after the last
// `.await`, as it would be without deferred calls.
unsafe impl<R> Send for Results<R> {}
// SAFETY: as for `Send`.
unsafe impl<R> Sync for Results<R> {}

impl<R> Results<R> {
    /// No result yet.
    #[inline]
    pub const fn new() -> Self {
        Results {
            slot: Cell::new(ptr::null_mut()),
            _owns: PhantomData,
        }
    }

    /// An exit: `value` is the result while `run` runs the deferred calls
    /// (each result-form closure reaching it through [`Results::with`]),
    /// then whatever they left is returned. If a deferred call panics, the
    /// result moves to the box, where the closures run by the unwinding and a
    /// `recover()`'s exit find it.
    #[inline]
    pub fn returning(&self, value: R, run: impl FnOnce()) -> Option<R> {
        if !self.slot.get().is_null() {
            // A panic was recovered earlier in this call: the box is the result.
            self.with(|slot| *slot = Some(value));
            run();
            return self.take();
        }
        let mut local = Some(value);
        let bound = Bound {
            results: self,
            local: &raw mut local,
        };
        self.slot.set(bound.local);
        run();
        bound.unbind()
    }

    /// Runs `f` with the result: the exit's value, or the panic path's box
    /// (created empty on first use).
    #[inline]
    pub fn with<T>(&self, f: impl FnOnce(&mut Option<R>) -> T) -> T {
        let mut slot = self.slot.get();
        if slot.is_null() {
            slot = Self::new_box();
            self.slot.set(slot);
        }
        // SAFETY: `slot` is either the `local` of a `returning` call that is
        // still running (it clears the pointer before `local` goes away, also
        // when unwinding), or the box this `Results` owns and frees only in
        // `take`. No other reference to it is live: the pointer is private,
        // and every access goes through `with` or `take`, none of which nest
        // (the closure gets `&mut Option<R>`, not `&self`).
        f(unsafe { &mut *slot })
    }

    /// The panic path's box, empty.
    #[cold]
    #[inline(never)]
    fn new_box() -> *mut Option<R> {
        Box::into_raw(Box::new(None))
    }

    /// The result the panic path left (after a `recover()`), if any; the
    /// box is freed.
    #[inline]
    pub fn take(&self) -> Option<R> {
        let slot = self.slot.replace(ptr::null_mut());
        if slot.is_null() {
            return None;
        }
        // SAFETY: outside `returning` a non-null `slot` is the box made by
        // `new_box` or `Bound::drop`, owned by this `Results`; the pointer was
        // just cleared, so nobody else frees it.
        *unsafe { Box::from_raw(slot) }
    }
}

impl<R> Default for Results<R> {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

impl<R> Drop for Results<R> {
    #[inline]
    fn drop(&mut self) {
        if !self.slot.get().is_null() {
            drop(self.take());
        }
    }
}

impl<R> fmt::Debug for Results<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Results")
            .field("boxed", &!self.slot.get().is_null())
            .finish()
    }
}

/// `Results::returning`'s value while its records run.
struct Bound<'a, R> {
    results: &'a Results<R>,
    local: *mut Option<R>,
}

impl<R> Bound<'_, R> {
    /// The records are done: the result is what they left.
    #[inline]
    fn unbind(self) -> Option<R> {
        self.results.slot.set(ptr::null_mut());
        // SAFETY: `local` points to `returning`'s local, alive until it
        // returns; the pointer to it was just cleared.
        let value = unsafe { (*self.local).take() };
        core::mem::forget(self);
        value
    }
}

impl<R> Drop for Bound<'_, R> {
    /// A deferred call panicked: the result moves to a box, so that the
    /// records run by the unwinding (and a recover's exit) still see it.
    fn drop(&mut self) {
        // SAFETY: as in `unbind`; this runs while `returning` unwinds, before
        // its local is dropped.
        let value = unsafe { (*self.local).take() };
        self.results.slot.set(Box::into_raw(Box::new(value)));
    }
}

/// Go's zero value for a function whose deferred closures left no result:
/// `(&&Zero::<R>::new()).zero(name)` picks [`ZeroByDefault`] when `R:
/// Default` and [`ZeroByPanic`] otherwise (method lookup tries `&&Zero`
/// before `&Zero`).
pub struct Zero<T>(PhantomData<fn() -> T>);

impl<T> Zero<T> {
    /// The selector.
    #[inline(always)]
    pub const fn new() -> Self {
        Zero(PhantomData)
    }
}

impl<T> Default for Zero<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for Zero<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Zero")
    }
}

/// The zero value of a type with a `Default`.
pub trait ZeroByDefault<T> {
    /// `T::default()`.
    fn zero(&self, function: &str) -> T;
}

impl<T: Default> ZeroByDefault<T> for &Zero<T> {
    #[inline]
    fn zero(&self, _function: &str) -> T {
        T::default()
    }
}

/// No zero value: a clear panic.
pub trait ZeroByPanic<T> {
    /// Panics, naming the function.
    fn zero(&self, function: &str) -> T;
}

impl<T> ZeroByPanic<T> for Zero<T> {
    #[cold]
    fn zero(&self, function: &str) -> T {
        panic!(
            "`{function}` has no result to return: its result slot is empty (a recover before any return, or a deferred closure took the value) and its return type has no `Default` (Go's zero value), so a recovering function must set the result, e.g. with `defer!(|ret| {{ if recover().is_some() {{ *ret = Some(..) }} }})`"
        )
    }
}

/// [`ZeroByPanic`] for a function whose return type is an `impl Trait`: the
/// macro cannot name the type, so it cannot reach its `Default`.
#[cold]
pub fn no_result_hidden_type<T>(function: &str) -> T {
    panic!(
        "`{function}` has no result to return: its result slot is empty (a recover before any return, or a deferred closure took the value), and its return type is an `impl Trait`, whose `Default` (Go's zero value) the macro cannot name; set the result in a deferred closure, e.g. `defer!(|ret: &mut Option<ConcreteType>| {{ if recover().is_some() {{ *ret = Some(..) }} }})`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exit_gives_the_closures_the_value_and_returns_what_they_left() {
        let results = Results::<u32>::new();
        let got = results.returning(1, || {
            results.with(|r| *r = r.map(|v| v + 10));
            results.with(|r| assert_eq!(*r, Some(11)));
        });
        assert_eq!(got, Some(11));
        assert!(results.slot.get().is_null());
    }

    #[test]
    fn the_panic_path_shares_one_box_until_taken() {
        let results = Results::<alloc::string::String>::new();
        results.with(|r| assert_eq!(*r, None));
        results.with(|r| *r = Some("set while unwinding".into()));
        results.with(|r| assert_eq!(r.as_deref(), Some("set while unwinding")));
        assert_eq!(results.take().as_deref(), Some("set while unwinding"));
        assert_eq!(results.take(), None);
    }

    #[cfg(feature = "std")]
    #[test]
    fn a_deferred_call_that_panics_during_an_exit_leaves_the_value_boxed() {
        extern crate std;
        let results = Results::<u8>::new();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            results.returning(7, || std::panic::panic_any("late"))
        }));
        assert!(caught.is_err());
        results.with(|r| assert_eq!(*r, Some(7)));
        assert_eq!(results.take(), Some(7));
    }

    #[cfg(feature = "std")]
    #[test]
    #[allow(clippy::needless_borrow)] // the double reference is the selector
    fn zero_prefers_default() {
        extern crate std;
        #[allow(unused_imports)]
        use super::{ZeroByDefault as _, ZeroByPanic as _};
        assert_eq!((&&Zero::<u32>::new()).zero("f"), 0);
        struct NoDefault;
        let caught = std::panic::catch_unwind(|| {
            let _: NoDefault = (&&Zero::<NoDefault>::new()).zero("f");
        });
        assert!(caught.is_err());
    }
}
