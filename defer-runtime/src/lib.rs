//! The runtime that `#[with_defer]` lowers to. Implementation detail of
//! `godefer`: the generated code reaches it through `godefer::__private`, and
//! no item here is covered by semver. Depend on `godefer`.
//!
//! The names follow the Go runtime so that `cargo expand` output reads like the
//! Go compiler's lowering:
//!
//! | Go                                   | here                                  |
//! |--------------------------------------|---------------------------------------|
//! | open-coded defer, one `deferBits` bit | [`Slot`], run inline with [`Slot::run`] |
//! | `deferprocStack` (record on the stack) | [`deferproc_stack`] into a [`Slot`]   |
//! | `deferproc` (record per loop iteration) | [`deferproc`] into a [`DeferStack`]  |
//! | `deferreturn`                         | [`deferreturn`]                       |
//! | panic running the deferred calls      | the `Drop` of [`Slot`] and [`DeferStack`] |
//!
//! What the chain lowering makes of one `defer!` outside a loop and one inside,
//! written by hand:
//!
//! ```
//! use godefer_runtime::{deferproc, deferproc_stack, deferreturn, DeferStack, Slot};
//! use std::cell::RefCell;
//!
//! let log = RefCell::new(Vec::new());
//! {
//!     let log = &log;
//!     let mut outside = Slot::new();
//!     deferproc_stack(&mut outside, || log.borrow_mut().push("outside".to_string()));
//!     let mut in_loop = DeferStack::new();
//!     for i in 0..2 {
//!         deferproc(&mut in_loop, move || log.borrow_mut().push(format!("loop {i}")));
//!     }
//!     deferreturn(&mut [&mut in_loop, &mut outside]); // the exit: newest first
//! }
//! assert_eq!(*log.borrow(), ["loop 1", "loop 0", "outside"]);
//! ```
//!
//! Without the `std` feature the crate is `no_std` + `alloc`; `std` adds what
//! unwinding needs (a deferred call that panics while another panic unwinds is
//! caught instead of aborting the process).
#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod call;
mod hidden_exit;
mod offer;
#[cfg(feature = "std")]
mod panic;
mod record;
#[cfg(feature = "std")]
mod resolve;
mod result;
mod stack;
mod try_op;

pub use call::{Call, WithRet};
pub use hidden_exit::{Rewrap, rewrap, rewrap_async};
pub use offer::{CatchOffering, Caught, Offered, catch_offering, handle_offering, offered};
#[cfg(feature = "std")]
pub use panic::{CatchUnwind, Frame, Handler, Panic, catch, held_panics, recover};
pub use record::{
    Args, Deferred, MAX_TYPED_ARGS, Slot, call_args1, call_args2, call_args3, call_args4,
    call_args5, call_args6, call_args7, call_args8, deferproc_stack, deferreturn,
};
#[cfg(feature = "std")]
pub use resolve::{
    DeferredOther, DeferredRecover, DirectOther, DirectRecover, HandlerOther, HandlerRecover,
    MisplacedOther, MisplacedRecover, RecoverAsDeferredFunction, RecoverOutsideDeferredCode,
    Resolve,
};
pub use result::{Results, Zero, ZeroByDefault, ZeroByPanic, no_result_hidden_type};
pub use stack::{DeferStack, INLINE_RECORDS, deferproc};
pub use try_op::{Branch, FromResidual};

/// Runs a deferred call that was still pending when its storage was dropped.
///
/// Dropped storage means the function is leaving by a path the macro did not
/// rewrite: a panic unwinding through the frame, an `async fn` future dropped
/// before it completed, or a `return` hidden inside another macro. While a panic
/// unwinds, a second panic escaping a destructor would abort the process, so the
/// call runs under `catch_unwind`; its panic supersedes the one in flight, as
/// in Go, for the next `recover()` up the stack to see.
#[inline]
pub(crate) fn run_pending(call: impl FnOnce()) {
    #[cfg(feature = "std")]
    {
        if std::thread::panicking() {
            panic::run_while_unwinding(call);
            return;
        }
    }
    call();
}
