//! Exits hidden in other macros' definitions. `anyhow::bail!`, `ensure!` or a
//! user's `macro_rules!` can expand to `return Err(..)` or `?`, which the
//! attribute never sees, so the exit would skip the exit sequence (and with
//! it the result-form closures). In a function returning `Result` or `Option`,
//! such a call is run in a closure (an async block in an `async fn`) whose
//! type is the function's return type with another `Ok` type:
//!
//! `m!(..);`  ->  `rewrap(|| -> <R as Rewrap>::With<()> { m!(..); Rewrap::wrap(()) })?`
//!
//! A hidden `return Err(e)` then leaves the closure with `Err(e)`, a hidden
//! `?` converts its error into the function's error type just as it would in
//! the function, and the lowered `?` after the call takes the exit sequence.

use core::future::Future;

/// A `Result` or `Option` with its success type replaced by `U`.
#[diagnostic::on_unimplemented(
    message = "`#[with_defer]` wraps this macro call to see the exits hidden in it, which needs a function returning `Result` or `Option`",
    label = "the function returns `{Self}`"
)]
pub trait Rewrap {
    /// `Result<U, E>` for `Result<T, E>`, `Option<U>` for `Option<T>`.
    type With<U>;
    /// The success value: `Ok(value)` or `Some(value)`.
    fn wrap<U>(value: U) -> Self::With<U>;
}

impl<T, E> Rewrap for Result<T, E> {
    type With<U> = Result<U, E>;

    #[inline(always)]
    fn wrap<U>(value: U) -> Result<U, E> {
        Ok(value)
    }
}

impl<T> Rewrap for Option<T> {
    type With<U> = Option<U>;

    #[inline(always)]
    fn wrap<U>(value: U) -> Option<U> {
        Some(value)
    }
}

/// Runs the closure around a macro call (a call in place, which lints would
/// flag as a redundant closure call in the user's code).
#[inline(always)]
pub fn rewrap<T>(call: impl FnOnce() -> T) -> T {
    call()
}

/// Gives the async block around a macro call in an `async fn` its output
/// type, `R` with success type `U`, so that a hidden `?` in it knows what to
/// convert into.
#[inline(always)]
pub fn rewrap_async<R: Rewrap, U, F: Future<Output = R::With<U>>>(block: F) -> F {
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! bail {
        ($e:expr) => {
            return Err($e.into())
        };
    }

    fn wrapped(n: i32) -> Result<(), &'static str> {
        (|| -> <Result<u8, &'static str> as Rewrap>::With<()> {
            if n < 0 {
                bail!("negative");
            }
            <Result<u8, &'static str> as Rewrap>::wrap(())
        })()
    }

    #[test]
    fn a_hidden_return_comes_back_as_a_value() {
        assert_eq!(wrapped(-1), Err("negative"));
        assert_eq!(wrapped(1), Ok(()));
        assert_eq!(<Option<u8> as Rewrap>::wrap(3_u16), Some(3_u16));
    }
}
