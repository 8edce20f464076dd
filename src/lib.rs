//! Go's `defer`, lowered at compile time.
#![no_std]

pub use go_defer_macros::{defer, with_defer};

/// The runtime that `#[with_defer]` lowers to.
pub use go_defer_runtime as runtime;

/// Everything generated code names, and nothing else. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use go_defer_runtime::{
        deferproc, deferproc_stack, deferreturn, Args, Branch, Call, DeferStack, FromResidual,
        Slot,
    };
}
