//! The `?` operator on stable Rust, so that `#[with_defer]` can run the deferred
//! calls on the early return that `?` takes.
//!
//! `expr?` is lowered to
//! `match Branch::branch(expr) { Continue(v) => v, Break(r) => return <exit>(FromResidual::from_residual(r)) }`,
//! which is what the compiler does with the unstable `Try` traits. These traits
//! cover the types that `?` accepts on stable: `Result`, `Option`,
//! `ControlFlow` and the two `Poll` forms, with `From` conversion of errors.

use core::convert::Infallible;
use core::ops::ControlFlow;
use core::task::Poll;

/// Splits a value into "go on with this" or "return early with this".
#[diagnostic::on_unimplemented(
    message = "the `?` operator can only be applied to values that implement `Try`",
    label = "the `?` operator cannot be applied to type `{Self}`"
)]
pub trait Branch {
    /// The value `expr?` evaluates to.
    type Output;
    /// What an early return carries.
    type Residual;
    /// Decides whether `?` continues or returns.
    fn branch(self) -> ControlFlow<Self::Residual, Self::Output>;
}

/// Builds a function's return value from the residual of `?`.
#[diagnostic::on_unimplemented(
    message = "the `?` operator can only be used in a function that returns `Result` or `Option` (or another type that implements `FromResidual`)",
    label = "this function should return `Result` or `Option` to accept `?`"
)]
pub trait FromResidual<R> {
    /// The early return value.
    fn from_residual(residual: R) -> Self;
}

impl<T, E> Branch for Result<T, E> {
    type Output = T;
    type Residual = Result<Infallible, E>;
    #[inline(always)]
    fn branch(self) -> ControlFlow<Self::Residual, T> {
        match self {
            Ok(v) => ControlFlow::Continue(v),
            Err(e) => ControlFlow::Break(Err(e)),
        }
    }
}

impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Result<T, F> {
    #[inline(always)]
    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(e) => Err(From::from(e)),
            Ok(never) => match never {},
        }
    }
}

impl<T> Branch for Option<T> {
    type Output = T;
    type Residual = Option<Infallible>;
    #[inline(always)]
    fn branch(self) -> ControlFlow<Self::Residual, T> {
        match self {
            Some(v) => ControlFlow::Continue(v),
            None => ControlFlow::Break(None),
        }
    }
}

impl<T> FromResidual<Option<Infallible>> for Option<T> {
    #[inline(always)]
    fn from_residual(_: Option<Infallible>) -> Self {
        None
    }
}

impl<B, C> Branch for ControlFlow<B, C> {
    type Output = C;
    type Residual = ControlFlow<B, Infallible>;
    #[inline(always)]
    fn branch(self) -> ControlFlow<Self::Residual, C> {
        match self {
            ControlFlow::Continue(c) => ControlFlow::Continue(c),
            ControlFlow::Break(b) => ControlFlow::Break(ControlFlow::Break(b)),
        }
    }
}

impl<B, C> FromResidual<ControlFlow<B, Infallible>> for ControlFlow<B, C> {
    #[inline(always)]
    fn from_residual(residual: ControlFlow<B, Infallible>) -> Self {
        match residual {
            ControlFlow::Break(b) => ControlFlow::Break(b),
            ControlFlow::Continue(never) => match never {},
        }
    }
}

impl<T, E> Branch for Poll<Result<T, E>> {
    type Output = Poll<T>;
    type Residual = Result<Infallible, E>;
    #[inline(always)]
    fn branch(self) -> ControlFlow<Self::Residual, Poll<T>> {
        match self {
            Poll::Ready(Ok(v)) => ControlFlow::Continue(Poll::Ready(v)),
            Poll::Ready(Err(e)) => ControlFlow::Break(Err(e)),
            Poll::Pending => ControlFlow::Continue(Poll::Pending),
        }
    }
}

impl<T, E> Branch for Poll<Option<Result<T, E>>> {
    type Output = Poll<Option<T>>;
    type Residual = Result<Infallible, E>;
    #[inline(always)]
    fn branch(self) -> ControlFlow<Self::Residual, Poll<Option<T>>> {
        match self {
            Poll::Ready(Some(Ok(v))) => ControlFlow::Continue(Poll::Ready(Some(v))),
            Poll::Ready(Some(Err(e))) => ControlFlow::Break(Err(e)),
            Poll::Ready(None) => ControlFlow::Continue(Poll::Ready(None)),
            Poll::Pending => ControlFlow::Continue(Poll::Pending),
        }
    }
}

impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Poll<Result<T, F>> {
    #[inline(always)]
    fn from_residual(residual: Result<Infallible, E>) -> Self {
        Poll::Ready(FromResidual::from_residual(residual))
    }
}

impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Poll<Option<Result<T, F>>> {
    #[inline(always)]
    fn from_residual(residual: Result<Infallible, E>) -> Self {
        Poll::Ready(Some(FromResidual::from_residual(residual)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::String;

    /// `expr?` as the macro lowers it, without the deferred calls.
    macro_rules! lowered_try {
        ($e:expr) => {
            match Branch::branch($e) {
                ControlFlow::Continue(v) => v,
                ControlFlow::Break(r) => return FromResidual::from_residual(r),
            }
        };
    }

    #[derive(Debug, PartialEq)]
    struct Wrapped(String);
    impl From<&str> for Wrapped {
        fn from(s: &str) -> Self {
            Wrapped(s.into())
        }
    }

    fn result(ok: bool) -> Result<u32, Wrapped> {
        let input: Result<u32, &str> = if ok { Ok(3) } else { Err("bad") };
        let n = lowered_try!(input);
        Ok(n + 1)
    }

    fn option(v: Option<u8>) -> Option<u8> {
        Some(lowered_try!(v) * 2)
    }

    fn flow(c: ControlFlow<&'static str, i32>) -> ControlFlow<&'static str, i32> {
        ControlFlow::Continue(lowered_try!(c) + 1)
    }

    fn poll(p: Poll<Result<i32, &'static str>>) -> Poll<Result<i32, Wrapped>> {
        lowered_try!(p).map(|v| Ok(v * 10))
    }

    fn poll_opt(p: Poll<Option<Result<i32, &'static str>>>) -> Poll<Option<Result<i32, Wrapped>>> {
        lowered_try!(p).map(|o| o.map(Ok))
    }

    #[test]
    fn result_converts_error_with_from() {
        assert_eq!(result(true), Ok(4));
        assert_eq!(result(false), Err(Wrapped("bad".into())));
    }

    #[test]
    fn option_control_flow_and_poll() {
        assert_eq!(option(Some(4)), Some(8));
        assert_eq!(option(None), None);
        assert_eq!(flow(ControlFlow::Continue(1)), ControlFlow::Continue(2));
        assert_eq!(flow(ControlFlow::Break("stop")), ControlFlow::Break("stop"));
        assert_eq!(poll(Poll::Ready(Ok(2))), Poll::Ready(Ok(20)));
        assert_eq!(
            poll(Poll::Ready(Err("e"))),
            Poll::Ready(Err(Wrapped("e".into())))
        );
        assert_eq!(poll(Poll::Pending), Poll::Pending);
        assert_eq!(poll_opt(Poll::Ready(Some(Ok(1)))), Poll::Ready(Some(Ok(1))));
        assert_eq!(poll_opt(Poll::Ready(None)), Poll::Ready(None));
        assert_eq!(
            poll_opt(Poll::Ready(Some(Err("x")))),
            Poll::Ready(Some(Err(Wrapped("x".into()))))
        );
    }
}
