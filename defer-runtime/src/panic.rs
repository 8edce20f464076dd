//! Go's panic and `recover()` over Rust's unwinding.
//!
//! A function whose deferred closures call `recover()` is lowered with a catch
//! (`catch`, or `CatchUnwind` in an `async fn`) around the statements after the
//! records of those closures; when a panic reaches it, [`Frame::handle`] runs
//! the records with the panic current, as Go's panic runs deferred calls, and
//! `recover()` in one of them (lowered to [`Frame::recover`]) takes it. Other
//! deferred calls run from their records' `Drop` while the panic unwinds; a
//! panic they raise supersedes the one in flight and travels beside it in a
//! thread-local list to the next catch.

use core::any::Any;
use core::cell::Cell;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::boxed::Box;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::string::String;
use std::sync::{Mutex, MutexGuard, Once};
use std::vec::Vec;

use crate::record::Deferred;

/// A panic that `recover()` stopped: its payload, and the panics it superseded.
///
/// In Go, a panic raised by a deferred call while another panic unwinds
/// replaces it, and the earlier value is lost to `recover()`. Here the earlier
/// panics stay reachable through [`Panic::superseded`], oldest first.
pub struct Panic {
    payload: Box<dyn Any + Send>,
    superseded: Vec<Panic>,
}

impl Panic {
    fn bare(payload: Box<dyn Any + Send>) -> Self {
        Panic {
            payload,
            superseded: Vec::new(),
        }
    }

    /// What the panic was raised with.
    pub fn payload(&self) -> &(dyn Any + Send) {
        &*self.payload
    }

    /// The payload, to `downcast` or to raise again with `resume_unwind`.
    pub fn into_payload(self) -> Box<dyn Any + Send> {
        self.payload
    }

    /// The payload as `T`, if it is one.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.payload.downcast_ref()
    }

    /// The message, when the panic was raised with a string (`panic!("..")`).
    pub fn message(&self) -> Option<&str> {
        match self.payload.downcast_ref::<&'static str>() {
            Some(s) => Some(s),
            None => self.payload.downcast_ref::<String>().map(String::as_str),
        }
    }

    /// The panics this one superseded, oldest first: the panic in flight when
    /// a deferred call raised this one, and any it had superseded itself.
    pub fn superseded(&self) -> &[Panic] {
        &self.superseded
    }

    /// Raises the panic again with its own payload (Go's re-panic of a
    /// recovered value); the panics it superseded travel with it.
    pub fn resume(self) -> ! {
        let id = UNWINDING.with(Cell::get);
        let chain = self.superseded.into_iter().map(|p| (id, p));
        SUPERSEDED.with(|list| list.borrow_mut().extend(chain));
        resume_unwind(self.payload)
    }
}

/// Appends `panic` after the panics it superseded, so that chains stay flat.
fn push_flat(chain: &mut Vec<Panic>, mut panic: Panic) {
    chain.append(&mut panic.superseded);
    chain.push(panic);
}

impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message().unwrap_or("Box<dyn Any>"))
    }
}

impl fmt::Debug for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Panic")
            .field("message", &self.message())
            .field("superseded", &self.superseded)
            .finish()
    }
}

std::thread_local! {
    /// Which unwinding a panic belongs to: our panic hook counts the panics
    /// raised other than by a deferred call run while another panic unwinds.
    static UNWINDING: Cell<u64> = const { Cell::new(0) };
    /// Set while a deferred call runs from `Drop` during an unwinding: a panic
    /// raised meanwhile belongs to the unwinding in flight.
    static IN_UNWINDING_DEFER: Cell<bool> = const { Cell::new(false) };
    /// Panics raised by deferred calls run from `Drop` while the panic in
    /// flight unwinds, oldest first, each tagged with its unwinding: each
    /// supersedes the one before.
    static SUPERSEDING: RefCell<Vec<(u64, Panic)>> = const { RefCell::new(Vec::new()) };
    /// Panics the panic in flight superseded, set when a frame raises it again.
    static SUPERSEDED: RefCell<Vec<(u64, Panic)>> = const { RefCell::new(Vec::new()) };
}

/// Installs, once, a panic hook that tells unwindings apart (then calls the
/// hook that was there), so that entries left by an unwinding that ended in a
/// plain `catch_unwind` are never taken for a later panic's. Only outside a
/// panic, where setting the hook is allowed. A hook the program sets later
/// replaces this one; the lists then rely on the frames' bases alone.
fn count_unwindings() {
    static INSTALLED: Once = Once::new();
    if std::thread::panicking() {
        return;
    }
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_UNWINDING_DEFER.with(Cell::get) {
                UNWINDING.with(|n| n.set(n.get() + 1));
            }
            previous(info);
        }));
    });
}

/// Runs a deferred call from `Drop` while a panic unwinds: its panic, if any,
/// supersedes the one in flight, for the next catch to take.
pub(crate) fn run_while_unwinding(call: impl FnOnce()) {
    let base = SUPERSEDING.with(|list| list.borrow().len());
    let outer = IN_UNWINDING_DEFER.with(|flag| flag.replace(true));
    let result = catch_unwind(AssertUnwindSafe(call));
    IN_UNWINDING_DEFER.with(|flag| flag.set(outer));
    if let Err(payload) = result {
        // Panics pushed during the call superseded this one while it
        // unwound inside the call: it goes before them.
        let id = UNWINDING.with(Cell::get);
        SUPERSEDING.with(|list| {
            let mut list = list.borrow_mut();
            let at = base.min(list.len());
            list.insert(at, (id, Panic::bare(payload)));
        });
    }
}

/// How much of the thread-local lists was there when a frame or a deferred
/// call started: what came before belongs to other unwindings (a recovering
/// function called by a deferred call while an outer panic unwinds must not
/// take the outer panic's entries).
#[derive(Clone, Copy, Default)]
struct Base {
    superseding: usize,
    superseded: usize,
}

impl Base {
    fn now() -> Base {
        Base {
            superseding: SUPERSEDING.with(|list| list.borrow().len()),
            superseded: SUPERSEDED.with(|list| list.borrow().len()),
        }
    }
}

/// The panic a catch received, with what travelled beside it since `base` in
/// the same unwinding: the newest of them is current, the others superseded,
/// oldest first. Entries of other unwindings are stale and dropped.
fn caught(payload: Box<dyn Any + Send>, base: Base) -> Panic {
    let id = UNWINDING.with(Cell::get);
    let take = |list: &RefCell<Vec<(u64, Panic)>>, at: usize| -> Vec<Panic> {
        let mut list = list.borrow_mut();
        let at = at.min(list.len());
        let tail = list.split_off(at);
        tail.into_iter()
            .filter(|(tag, _)| *tag == id)
            .map(|(_, panic)| panic)
            .collect()
    };
    let mut chain = SUPERSEDED.with(|list| take(list, base.superseded));
    let newer = SUPERSEDING.with(|list| take(list, base.superseding));
    push_flat(&mut chain, Panic::bare(payload));
    for panic in newer {
        push_flat(&mut chain, panic);
    }
    let mut current = chain.pop().expect("the caught panic is in the chain");
    current.superseded = chain;
    current
}

/// `recover()` where it can never stop a panic: Go's `recover` not called
/// directly by a deferred function, which returns nil. Inside a
/// `#[with_defer]` function, `recover()` in deferred code is lowered to
/// [`Frame::recover`] instead.
#[must_use = "recover() stops a panic only in a deferred closure of a #[with_defer] fn"]
pub fn recover() -> Option<Panic> {
    None
}

/// The recover state of one call of a function that calls `recover()`: the
/// panic its deferred calls are running for, if any.
///
/// A `Mutex`, so that an `async fn` future holding it stays `Send`.
pub struct Frame {
    panic: Mutex<Option<Panic>>,
    base: Base,
}

impl Frame {
    /// A frame with no panic. Outside an unwinding, panics left from an
    /// unwinding that ended in a plain `catch_unwind` are stale: drop them.
    pub fn new() -> Self {
        count_unwindings();
        if !std::thread::panicking() {
            SUPERSEDING.with(|list| list.borrow_mut().clear());
            SUPERSEDED.with(|list| list.borrow_mut().clear());
        }
        Frame {
            panic: Mutex::new(None),
            base: Base::now(),
        }
    }

    fn state(&self) -> MutexGuard<'_, Option<Panic>> {
        self.panic
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Go's `recover()` called directly by a deferred function of this frame:
    /// stops the current panic, if any, and returns it.
    pub fn recover(&self) -> Option<Panic> {
        self.state().take()
    }

    /// Runs one record under `catch_unwind` until it has nothing pending; each
    /// panic it raises supersedes the frame's current panic, or starts one
    /// after a recover.
    fn run_caught<D: Deferred + ?Sized>(&self, record: &mut D) {
        while let Some(panic) = run_record(record) {
            let current = self.state().take();
            *self.state() = Some(supersede(current, panic));
        }
    }

    /// A panic reached the catch around the statements after `records` were
    /// declared: run them newest first with the panic current, as Go's panic
    /// runs deferred calls. Returns if one of them recovered; otherwise the
    /// panic goes on unwinding, with its own payload.
    pub fn handle(&self, payload: Box<dyn Any + Send>, records: &mut [&mut dyn Deferred]) {
        *self.state() = Some(caught(payload, self.base));
        for record in records {
            self.run_caught(&mut **record);
        }
        if let Some(panic) = self.state().take() {
            panic.resume();
        }
    }
}

impl Default for Frame {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame")
            .field("panic", &*self.state())
            .finish()
    }
}

/// Runs a record's pending calls until one panics: that panic, with what its
/// unwinding carried, or `None` once the record is done.
fn run_record<D: Deferred + ?Sized>(record: &mut D) -> Option<Panic> {
    let base = Base::now();
    let payload = catch_unwind(AssertUnwindSafe(|| record.run_deferred())).err()?;
    Some(caught(payload, base))
}

/// `newer` raised while `current` (if any) was the panic: the newer one wins,
/// the others stay in its chain, oldest first.
fn supersede(current: Option<Panic>, mut newer: Panic) -> Panic {
    let Some(current) = current else {
        return newer;
    };
    let mut chain = Vec::new();
    push_flat(&mut chain, current);
    chain.append(&mut newer.superseded);
    newer.superseded = chain;
    newer
}

/// The catch around the statements of a function after its recovering
/// records: `catch_unwind` for generated code.
#[inline]
pub fn catch<T>(body: impl FnOnce() -> T) -> Result<T, Box<dyn Any + Send>> {
    catch_unwind(AssertUnwindSafe(body))
}

/// [`catch`] for an `async fn`: catches a panic raised while polling the
/// inner future. The inner future is not polled again after it panicked.
#[must_use = "futures do nothing unless awaited"]
pub struct CatchUnwind<F> {
    inner: F,
}

impl<F: Future> CatchUnwind<F> {
    /// Wraps the statements after the recovering records, as an async block.
    #[inline]
    pub fn new(inner: F) -> Self {
        CatchUnwind { inner }
    }
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `inner` is structurally pinned: it is never moved out of
        // `self`, `CatchUnwind` has no `Drop` impl and no `Unpin` impl of its
        // own, so the pin of `self` carries over to `inner`.
        let inner = unsafe { self.map_unchecked_mut(|this| &mut this.inner) };
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}

impl<F> fmt::Debug for CatchUnwind<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CatchUnwind(..)")
    }
}

/// Go's zero value for a recovering function whose result was never set:
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
    use crate::Slot;
    use std::string::ToString;

    fn payload(s: &'static str) -> Box<dyn Any + Send> {
        Box::new(s)
    }

    #[test]
    fn message_and_display() {
        assert_eq!(Panic::bare(payload("a")).message(), Some("a"));
        assert_eq!(Panic::bare(Box::new("b".to_string())).to_string(), "b");
        assert_eq!(Panic::bare(Box::new(7_u8)).to_string(), "Box<dyn Any>");
        assert_eq!(Panic::bare(Box::new(7_u8)).downcast_ref::<u8>(), Some(&7));
    }

    #[test]
    fn chains_stay_flat_oldest_first() {
        let ab = supersede(Some(Panic::bare(payload("a"))), Panic::bare(payload("b")));
        let abc = supersede(Some(ab), Panic::bare(payload("c")));
        let names: Vec<_> = abc
            .superseded()
            .iter()
            .map(|p| p.message().unwrap())
            .collect();
        assert_eq!((abc.message(), names), (Some("c"), std::vec!["a", "b"]));
    }

    #[test]
    fn caught_takes_what_travelled_beside_the_payload() {
        run_while_unwinding(|| std::panic::panic_any("b"));
        run_while_unwinding(|| std::panic::panic_any("c"));
        let current = caught(payload("a"), Base::default());
        let names: Vec<_> = current
            .superseded()
            .iter()
            .map(|p| p.message().unwrap())
            .collect();
        assert_eq!((current.message(), names), (Some("c"), std::vec!["a", "b"]));
        assert_eq!(caught(payload("d"), Base::default()).superseded().len(), 0);
    }

    #[test]
    fn handle_returns_when_a_record_recovers() {
        let frame = Frame::new();
        assert!(frame.recover().is_none());
        let seen = RefCell::new(Vec::new());
        let mut older = Slot::new();
        older.arm(|| {
            seen.borrow_mut()
                .push(frame.recover().map(|p| p.to_string()))
        });
        let mut newer = Slot::new();
        newer.arm(|| {
            seen.borrow_mut()
                .push(frame.recover().map(|p| p.to_string()))
        });
        frame.handle(payload("p"), &mut [&mut newer, &mut older]);
        assert_eq!(*seen.borrow(), [Some("p".to_string()), None]);
    }

    #[test]
    fn handle_resumes_the_newest_panic_with_its_chain() {
        let frame = Frame::new();
        let mut rec = Slot::new();
        rec.arm(|| std::panic::panic_any("q"));
        let resumed = catch(|| frame.handle(payload("p"), &mut [&mut rec]));
        let current = caught(resumed.unwrap_err(), Base::default());
        assert_eq!(current.message(), Some("q"));
        assert_eq!(current.superseded()[0].message(), Some("p"));
    }

    #[test]
    fn catch_unwind_future_passes_values_and_catches_panics() {
        use core::task::Waker;
        let mut cx = Context::from_waker(Waker::noop());
        let mut ok = core::pin::pin!(CatchUnwind::new(async { 7 }));
        assert!(matches!(ok.as_mut().poll(&mut cx), Poll::Ready(Ok(7))));
        let mut pending_once = false;
        let mut boom = core::pin::pin!(CatchUnwind::new(core::future::poll_fn(|_| {
            if !pending_once {
                pending_once = true;
                return Poll::<()>::Pending;
            }
            std::panic::panic_any("polled")
        })));
        assert!(boom.as_mut().poll(&mut cx).is_pending());
        let Poll::Ready(Err(payload)) = boom.as_mut().poll(&mut cx) else {
            panic!("the panic while polling is caught");
        };
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"polled"));
    }

    #[test]
    #[allow(clippy::needless_borrow)] // the double reference is the selector
    fn zero_prefers_default() {
        #[allow(unused_imports)]
        use super::{ZeroByDefault as _, ZeroByPanic as _};
        assert_eq!((&&Zero::<u32>::new()).zero("f"), 0);
        struct NoDefault;
        let caught = catch(|| {
            let _: NoDefault = (&&Zero::<NoDefault>::new()).zero("f");
        });
        assert!(caught.is_err());
    }
}
