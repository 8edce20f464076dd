//! One record per defer site outside loops: open-coded slots and stack records.

use core::fmt;

use crate::call::Call;

/// The storage of one defer site that runs at most once per call: the deferred
/// closure and whether it is armed.
///
/// In the open-coded lowering this is Go's per-defer closure local plus its
/// `deferBits` bit, run inline at each exit with [`Slot::run`]. In the chain
/// lowering it is Go's stack-allocated `_defer` record, filled by
/// [`deferproc_stack`] and run by [`deferreturn`]. Dropping an armed slot runs
/// the call, which is how panics and dropped futures run deferred calls.
#[must_use = "a slot runs its call only when armed and dropped or run"]
pub struct Slot<F: Call> {
    call: Option<F>,
}

impl<F: Call> Slot<F> {
    /// An empty slot: its bit in `deferBits` is clear.
    #[inline(always)]
    pub const fn new() -> Self {
        Slot { call: None }
    }

    /// The defer statement executed: store the call and set the bit.
    #[inline(always)]
    pub fn arm(&mut self, call: F) {
        debug_assert!(self.call.is_none(), "a defer site ran twice in one call");
        self.call = Some(call);
    }

    /// Whether the defer statement has executed and the call has not run yet.
    #[inline(always)]
    pub fn is_armed(&self) -> bool {
        self.call.is_some()
    }

    /// The exit sequence for this site: if the bit is set, clear it and call.
    /// The call is taken out before it runs, so it never runs twice.
    #[inline(always)]
    pub fn run(&mut self) {
        if let Some(call) = self.call.take() {
            call.call();
        }
    }
}

impl<F: Call> Default for Slot<F> {
    #[inline(always)]
    fn default() -> Self {
        Self::new()
    }
}

impl<F: Call> Drop for Slot<F> {
    #[inline]
    fn drop(&mut self) {
        if let Some(call) = self.call.take() {
            crate::run_pending(|| call.call());
        }
    }
}

impl<F: Call> fmt::Debug for Slot<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot")
            .field("armed", &self.is_armed())
            .finish()
    }
}

/// What [`deferreturn`] runs: any record that can run its pending calls, newest first.
pub trait Deferred {
    /// Runs every pending call of this record, newest first, and disarms it.
    fn run_deferred(&mut self);

    /// Runs the newest pending call, if any; `false` when none was pending.
    fn run_next(&mut self) -> bool;
}

impl<F: Call> Deferred for Slot<F> {
    #[inline]
    fn run_deferred(&mut self) {
        self.run();
    }

    #[inline]
    fn run_next(&mut self) -> bool {
        match self.call.take() {
            Some(call) => {
                call.call();
                true
            }
            None => false,
        }
    }
}

/// Go's `deferprocStack`: the defer statement of a site outside loops stores its
/// call in the site's record, which lives in the function's frame.
#[inline(always)]
pub fn deferproc_stack<F: Call>(record: &mut Slot<F>, call: F) {
    record.arm(call);
}

/// Go's `deferreturn`: at a return, run the function's records, newest first.
///
/// The macro passes the records that are in scope at this return, in reverse
/// order of declaration; outside loops declaration order is execution order, so
/// this is last-in-first-out. A record whose defer statement did not execute is
/// skipped. If a call panics, the records not yet run are dropped by the
/// unwinding and run then, so every pending call still runs once.
#[inline]
pub fn deferreturn(records: &mut [&mut dyn Deferred]) {
    for record in records {
        record.run_deferred();
    }
}

/// The evaluated callee and arguments of a call-form defer, `defer!(f(a, b))`.
///
/// Not `Copy`, so the deferred closure takes the whole tuple by value when it
/// calls [`Args::into_inner`]: arguments are evaluated at the defer statement
/// even when they are `Copy`, as in Go.
pub struct Args<T>(pub T);

impl<T> Args<T> {
    /// Hands the saved values to the deferred call.
    #[inline(always)]
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// `call_argsN(f, a0, .., aN)`: saves a call-form defer's callee and arguments
/// like `Args((f, a0, .., aN))`, but through a function whose `F: FnOnce(..)`
/// bound hands a closure argument the callee's expected signature, as a direct
/// call `f(|x| ..)` would (a closure in a tuple gets none). The macro uses it
/// when an argument is a closure literal.
macro_rules! call_args {
    ($($name:ident($($arg:ident: $ty:ident),*);)*) => {$(
        #[doc(hidden)]
        #[inline(always)]
        #[allow(clippy::too_many_arguments)] // one per argument of the deferred call
        pub fn $name<F, $($ty,)* R>(callee: F, $($arg: $ty),*) -> Args<(F, $($ty,)*)>
        where
            F: FnOnce($($ty),*) -> R,
        {
            Args((callee, $($arg,)*))
        }
    )*};
}

call_args! {
    call_args1(a0: A0);
    call_args2(a0: A0, a1: A1);
    call_args3(a0: A0, a1: A1, a2: A2);
    call_args4(a0: A0, a1: A1, a2: A2, a3: A3);
    call_args5(a0: A0, a1: A1, a2: A2, a3: A3, a4: A4);
    call_args6(a0: A0, a1: A1, a2: A2, a3: A3, a4: A4, a5: A5);
    call_args7(a0: A0, a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6);
    call_args8(a0: A0, a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6, a7: A7);
}

/// The largest argument count with a `call_argsN`.
pub const MAX_TYPED_ARGS: usize = 8;

impl<T> fmt::Debug for Args<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Args(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::RefCell;
    extern crate std;
    use std::vec::Vec;

    #[test]
    fn run_calls_once_and_disarms() {
        let log = RefCell::new(Vec::new());
        let mut slot = Slot::new();
        assert!(!slot.is_armed());
        slot.arm(|| log.borrow_mut().push(1));
        assert!(slot.is_armed());
        slot.run();
        slot.run();
        drop(slot);
        assert_eq!(*log.borrow(), [1]);
    }

    #[test]
    fn drop_runs_armed_slot_only() {
        let log = RefCell::new(Vec::new());
        {
            let mut armed = Slot::new();
            armed.arm(|| log.borrow_mut().push("armed"));
            let _empty: Slot<fn()> = Slot::new();
        }
        assert_eq!(*log.borrow(), ["armed"]);
    }

    #[test]
    fn deferreturn_runs_in_given_order_and_skips_empty() {
        let log = RefCell::new(Vec::new());
        let mut a = Slot::new();
        let mut b = Slot::new();
        let mut c: Slot<fn()> = Slot::new();
        deferproc_stack(&mut a, || log.borrow_mut().push('a'));
        deferproc_stack(&mut b, || log.borrow_mut().push('b'));
        deferreturn(&mut [&mut c, &mut b, &mut a]);
        assert_eq!(*log.borrow(), ['b', 'a']);
        assert!(!a.is_armed() && !b.is_armed());
    }

    #[cfg(feature = "std")]
    #[test]
    fn panic_in_deferreturn_still_runs_the_rest_once() {
        use std::panic::{AssertUnwindSafe, catch_unwind};
        let log = RefCell::new(Vec::new());
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut a = Slot::new();
            let mut b = Slot::new();
            deferproc_stack(&mut a, || log.borrow_mut().push('a'));
            deferproc_stack(&mut b, || {
                log.borrow_mut().push('b');
                panic!("b");
            });
            deferreturn(&mut [&mut b, &mut a]);
        }));
        assert!(result.is_err());
        assert_eq!(*log.borrow(), ['b', 'a']);
    }

    #[cfg(feature = "std")]
    #[test]
    fn panic_while_unwinding_is_contained() {
        use std::panic::{AssertUnwindSafe, catch_unwind};
        let log = RefCell::new(Vec::new());
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut outer = Slot::new();
            outer.arm(|| log.borrow_mut().push("outer"));
            let mut inner = Slot::new();
            inner.arm(|| {
                log.borrow_mut().push("inner");
                panic!("second");
            });
            panic!("first");
        }));
        let payload = result.unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"first"));
        assert_eq!(*log.borrow(), ["inner", "outer"]);
    }

    #[test]
    fn args_take_copy_values_now() {
        let mut x = 1;
        let args = Args((x, x * 10));
        x = 2;
        let call = move || args.into_inner();
        assert_eq!(call(), (1, 10));
        assert_eq!(x, 2);
    }
}
