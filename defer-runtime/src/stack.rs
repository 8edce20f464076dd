//! Records of defer sites inside loops: one per executed defer statement.

use alloc::vec::Vec;
use core::fmt;
use core::mem::MaybeUninit;

use crate::call::Call;
use crate::record::Deferred;

/// How many records a [`DeferStack`] keeps inline before it allocates.
pub const INLINE_RECORDS: usize = 16;

/// Go's chain of `_defer` records for the defer sites of one loop: a
/// last-in-first-out stack that keeps the first [`INLINE_RECORDS`] records in
/// the function's frame and the rest in one growable buffer, so a defer costs
/// no allocation until the 17th record and O(log n) allocations after that.
///
/// Its type is the record type `E`, so it is `Send`/`Sync` exactly when the
/// deferred closures are.
#[must_use = "a defer stack runs its records only when run or dropped"]
pub struct DeferStack<E: Call> {
    /// Records `0..inline_len` of `inline` are initialised.
    inline_len: usize,
    inline: [MaybeUninit<E>; INLINE_RECORDS],
    /// Records pushed after the inline part filled up; newer than every inline record.
    spill: Vec<E>,
}

impl<E: Call> DeferStack<E> {
    /// An empty stack. Allocates nothing.
    #[inline(always)]
    pub const fn new() -> Self {
        DeferStack {
            inline_len: 0,
            inline: [const { MaybeUninit::uninit() }; INLINE_RECORDS],
            spill: Vec::new(),
        }
    }

    /// Number of pending records.
    #[inline]
    pub fn len(&self) -> usize {
        self.inline_len + self.spill.len()
    }

    /// Whether no record is pending.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records one executed defer statement.
    #[inline]
    pub fn push(&mut self, record: E) {
        if self.inline_len < INLINE_RECORDS {
            self.inline[self.inline_len].write(record);
            self.inline_len += 1;
        } else {
            self.spill_push(record);
        }
    }

    /// The 17th record on: the first spill makes room for twice the inline
    /// records at once, then the buffer doubles (O(log n) allocations).
    #[cold]
    fn spill_push(&mut self, record: E) {
        if self.spill.capacity() == 0 {
            self.spill.reserve(2 * INLINE_RECORDS);
        }
        self.spill.push(record);
    }

    /// Removes the newest record.
    #[inline]
    fn pop(&mut self) -> Option<E> {
        if let Some(record) = self.spill.pop() {
            return Some(record);
        }
        if self.inline_len == 0 {
            return None;
        }
        self.inline_len -= 1;
        // SAFETY: slots `0..inline_len` are initialised (push writes slot
        // `inline_len` before incrementing it). The slot at the old
        // `inline_len - 1` was initialised and is now outside that range, so it
        // is read exactly once and never dropped again.
        Some(unsafe { self.inline[self.inline_len].assume_init_read() })
    }

    /// Runs every pending record, newest first. Each record is removed before
    /// it runs, so a panicking call leaves only the older records pending, and
    /// those run when the stack is dropped by the unwinding.
    #[inline]
    pub fn run(&mut self) {
        while let Some(record) = self.pop() {
            record.call();
        }
    }
}

impl<E: Call> Default for DeferStack<E> {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Call> Drop for DeferStack<E> {
    /// An exit has usually run every record already: then there is nothing
    /// to do but free the spill buffer, if any.
    #[inline]
    fn drop(&mut self) {
        if self.inline_len != 0 || !self.spill.is_empty() {
            self.drop_pending();
        }
    }
}

impl<E: Call> DeferStack<E> {
    /// Runs the records still pending when the stack is dropped (a panic, a
    /// dropped future, an exit the macro did not see).
    #[cold]
    fn drop_pending(&mut self) {
        /// Runs the records still pending if a call panics out of the loop
        /// below: a stack dropped without a panic in flight (a dropped future,
        /// an exit the macro did not see) must still run every record once,
        /// and the records left in `inline` would otherwise never be dropped.
        struct Rest<'a, E: Call>(&'a mut DeferStack<E>);
        impl<E: Call> Drop for Rest<'_, E> {
            fn drop(&mut self) {
                while let Some(record) = self.0.pop() {
                    crate::run_pending(|| record.call());
                }
            }
        }
        let rest = Rest(self);
        while let Some(record) = rest.0.pop() {
            crate::run_pending(|| record.call());
        }
    }
}

impl<E: Call> Deferred for DeferStack<E> {
    #[inline]
    fn run_deferred(&mut self) {
        self.run();
    }

    #[inline]
    fn run_next(&mut self) -> bool {
        match self.pop() {
            Some(record) => {
                record.call();
                true
            }
            None => false,
        }
    }
}

impl<E: Call> fmt::Debug for DeferStack<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeferStack")
            .field("pending", &self.len())
            .field("spilled", &self.spill.len())
            .finish()
    }
}

/// Go's `deferproc` for a defer statement inside a loop: push one record per
/// executed statement onto the loop's stack.
#[inline]
pub fn deferproc<E: Call>(stack: &mut DeferStack<E>, record: E) {
    stack.push(record);
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::RefCell;
    extern crate std;
    use std::rc::Rc;
    use std::vec::Vec;

    fn pushes(n: usize) -> Vec<usize> {
        let log = RefCell::new(Vec::new());
        {
            let mut stack = DeferStack::new();
            for i in 0..n {
                let log = &log;
                deferproc(&mut stack, move || log.borrow_mut().push(i));
            }
            assert_eq!(stack.len(), n);
            stack.run();
            assert!(stack.is_empty());
        }
        log.into_inner()
    }

    #[test]
    fn runs_lifo_across_the_inline_boundary() {
        for n in [0, 1, 15, 16, 17, 33, 100] {
            let expected: Vec<usize> = (0..n).rev().collect();
            assert_eq!(pushes(n), expected, "n = {n}");
        }
    }

    #[test]
    fn drop_runs_pending_records_lifo() {
        let log = RefCell::new(Vec::new());
        {
            let mut stack = DeferStack::new();
            for i in 0..20 {
                let log = &log;
                stack.push(move || log.borrow_mut().push(i));
            }
        }
        assert_eq!(log.into_inner(), (0..20).rev().collect::<Vec<_>>());
    }

    #[test]
    fn drops_captured_values_exactly_once() {
        let counter = Rc::new(());
        {
            let mut stack = DeferStack::new();
            let push_40 = |stack: &mut DeferStack<_>| {
                for _ in 0..40 {
                    let held = Rc::clone(&counter);
                    stack.push(move || drop(held));
                }
            };
            push_40(&mut stack);
            assert_eq!(Rc::strong_count(&counter), 41);
            stack.run();
            assert_eq!(Rc::strong_count(&counter), 1);
            // Pending records are dropped (and run) with the stack.
            push_40(&mut stack);
            assert_eq!(Rc::strong_count(&counter), 41);
        }
        assert_eq!(Rc::strong_count(&counter), 1);
    }

    #[cfg(feature = "std")]
    #[test]
    fn drop_without_a_panic_in_flight_runs_every_record_once() {
        use std::panic::{AssertUnwindSafe, catch_unwind};
        let log = RefCell::new(Vec::new());
        let held = Rc::new(());
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut stack = DeferStack::new();
            for i in 0..20 {
                let (log, held) = (&log, Rc::clone(&held));
                stack.push(move || {
                    log.borrow_mut().push(i);
                    drop(held);
                    if i == 18 || i == 2 {
                        panic!("record {i}");
                    }
                });
            }
            drop(stack);
        }));
        let payload = result.unwrap_err();
        assert_eq!(
            payload.downcast_ref::<std::string::String>().unwrap(),
            "record 18"
        );
        assert_eq!(log.into_inner(), (0..20).rev().collect::<Vec<_>>());
        assert_eq!(Rc::strong_count(&held), 1);
    }

    #[cfg(feature = "std")]
    #[test]
    fn panicking_record_leaves_older_ones_to_the_drop() {
        use std::panic::{AssertUnwindSafe, catch_unwind};
        let log = RefCell::new(Vec::new());
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut stack = DeferStack::new();
            for i in 0..20 {
                let log = &log;
                stack.push(move || {
                    log.borrow_mut().push(i);
                    if i == 18 || i == 3 {
                        panic!("record {i}");
                    }
                });
            }
            stack.run();
        }));
        let payload = result.unwrap_err();
        assert_eq!(
            payload.downcast_ref::<std::string::String>().unwrap(),
            "record 18"
        );
        assert_eq!(log.into_inner(), (0..20).rev().collect::<Vec<_>>());
    }
}
