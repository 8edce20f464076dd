//! Go's panic and `recover()` over Rust's unwinding.
//!
//! # How a panic finds its way to `recover()`
//!
//! `Drop` cannot stop an unwinding, so a function whose deferred closures call
//! `recover()` directly gets a catch ([`catch`], or [`CatchUnwind`] in an
//! `async fn`) around the statements that follow each statement whose records
//! can recover, and nowhere else. A panic in those statements first runs the
//! records declared inside the catch, from their `Drop`, as it passes (Go's
//! panic running the newer deferred calls); a result-form closure among them
//! reaches the function's result through its
//! [`Results`](crate::Results), so what it sets is kept. The catch then
//! hands the payload to [`Frame::handle`], which makes it the frame's current
//! panic and runs the recovering statement's records under one
//! `catch_unwind`, started again after each record that panics;
//! `recover()` called directly in one of them (lowered to a
//! call that the library's [`recover`] resolves to the frame, see
//! `resolve.rs`) takes it. If one did, the generated code runs the older
//! records as on a return and returns what the closures left in the
//! `Results`; if not, the panic is raised again and the older records run from
//! `Drop`. A deferred call that panics while a panic unwinds supersedes it: its
//! panic travels beside the one in flight to the next catch, which puts the
//! chain back in Go's order ([`Panic::superseded`]).
//!
//! # Which catch gets what
//!
//! Each catch of the runtime (also the one around each record run by
//! `Frame::handle`, and the one around a deferred call run from `Drop`) is a
//! scope on a per-thread stack. What travels beside an unwinding belongs to
//! the innermost scope when it was made, which is the catch that will end that
//! unwinding unless a `catch_unwind` of the program ends it first; a scope
//! takes its own when it catches and drops what is left when it ends. Inside
//! one scope, the unwindings are told apart by the ids that the runtime's
//! panic hook (installed the first time a function with a catch runs, over
//! the hook that was there) gives each panic. So `recover()` returns the panic
//! in flight, with the panics that superseded it in that unwinding only, and
//! nothing piles up: a thread holds at most what the unwindings in flight
//! carry, and, outside every scope, what the last one carried (kept for the
//! catch of a handler, `offer.rs`, which keeps no scope so as to cost
//! nothing, until the next unwinding or the next scope entered while nothing
//! unwinds).
//!
//! Where the runtime's hook does not see a panic (a hook the program sets
//! later replaces it; `resume_unwind` calls no hook), two unwindings in a row
//! inside one scope, the first ended by a plain `catch_unwind`, look like
//! one: the panics a deferred call raised in the first then join the second.
//! The rest does not depend on the hook.
//!
//! # What is printed, and when
//!
//! Rust's default hook prints a report (`thread '..' panicked at ..`, the
//! message, the backtrace or the `RUST_BACKTRACE` note) as each panic is
//! raised; Go prints nothing for a panic that is recovered. While one of the
//! runtime's catches runs on the thread, the runtime's hook renders that
//! report and holds it back instead:
//!
//! - a panic that `recover()` stops prints nothing, nor do the panics it
//!   superseded;
//! - a panic that leaves the outermost catch without being recovered prints
//!   its report then, after the deferred calls of the function ran, preceded by
//!   the reports of the panics it superseded, oldest first, each marked as
//!   superseded (Go's crash report lists them the same way);
//! - a panic that a `catch_unwind` of the program ends inside a catch is
//!   reported when the runtime next finds it ended: at the next panic in the
//!   same catch, when that catch ends, or when a catch next starts while
//!   nothing unwinds.
//!
//! Outside the runtime's catches the hook that was there before is called
//! as before. Only Rust's default hook is held back this way: a hook the
//! program set before the runtime's is called for every panic, and one it sets
//! after replaces the runtime's, so every panic is reported as it is raised.
//! When std is about to abort the process (a destructor panicked while a panic
//! unwound), the reports held back are printed first.

use core::any::Any;
use core::cell::Cell;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::boxed::Box;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::string::String;
use std::vec::Vec;

use crate::record::Deferred;
use inflight::{Beside, Scope};
use report::Report;

mod inflight;
mod report;

/// A panic that `recover()` stopped: its payload, and the panics it superseded.
///
/// In Go, a panic raised by a deferred call while another panic unwinds
/// replaces it, and the earlier value is lost to `recover()`. Here the earlier
/// panics stay reachable through [`Panic::superseded`], oldest first.
pub struct Panic {
    /// Boxed, so that an `Option<Panic>` is one pointer: a `recover()` that
    /// finds no panic costs a null test to drop.
    inner: Box<PanicInner>,
}

/// What a [`Panic`] holds.
struct PanicInner {
    payload: Box<dyn Any + Send>,
    superseded: Vec<Panic>,
    /// What the panic hook held back, printed if the panic ends unrecovered.
    report: Option<Report>,
}

impl Panic {
    fn bare(payload: Box<dyn Any + Send>) -> Self {
        Self::new(payload, Vec::new(), None)
    }

    fn new(payload: Box<dyn Any + Send>, superseded: Vec<Panic>, report: Option<Report>) -> Self {
        Panic {
            inner: Box::new(PanicInner {
                payload,
                superseded,
                report,
            }),
        }
    }

    /// What the panic was raised with.
    pub fn payload(&self) -> &(dyn Any + Send) {
        &*self.inner.payload
    }

    /// The payload, to `downcast` or to raise again with `resume_unwind`.
    pub fn into_payload(self) -> Box<dyn Any + Send> {
        self.inner.payload
    }

    /// The payload as `T`, if it is one.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.inner.payload.downcast_ref()
    }

    /// The message, when the panic was raised with a string (`panic!("..")`).
    pub fn message(&self) -> Option<&str> {
        message_of(&*self.inner.payload)
    }

    /// The panics this one superseded, oldest first: the panic in flight when
    /// a deferred call raised this one, and any it had superseded itself.
    pub fn superseded(&self) -> &[Panic] {
        &self.inner.superseded
    }

    /// Raises the panic again with its own payload (Go's re-panic of a
    /// recovered value); the panics it superseded travel with it. Outside the
    /// runtime's catches nothing can recover it any more: its report, and
    /// those of the panics it superseded, are printed now.
    pub fn resume(mut self) -> ! {
        let tag = inflight::begin_unwinding();
        if !inflight::inside_catch() {
            let mut chain: Vec<Option<Report>> = self
                .inner
                .superseded
                .iter_mut()
                .map(|p| p.inner.report.take())
                .collect();
            chain.push(self.inner.report.take());
            report::print_escaping(chain);
        }
        let mut beside: Vec<Beside> = self.inner.superseded.drain(..).map(Beside::Older).collect();
        beside.extend(self.inner.report.take().map(Beside::Report));
        inflight::travel(tag, beside);
        resume_unwind(self.inner.payload)
    }
}

impl Panic {
    /// Raises the chain again with the panic whose payload is at `address`
    /// unwinding (if it is still in the chain), the panics before it
    /// travelling as older ones and those after it as newer ones: the
    /// unwinding a plain function's `Drop` path would have let through.
    fn resume_in_flight(mut self, address: usize) -> ! {
        let at = self
            .inner
            .superseded
            .iter()
            .position(|p| payload_address(p.payload()) == address);
        let Some(at) = at else { self.resume() };
        let mut chain = core::mem::take(&mut self.inner.superseded);
        chain.push(self);
        let mut in_flight = chain.remove(at);
        let tag = inflight::begin_unwinding();
        if !inflight::inside_catch() {
            let mut reports: Vec<Option<Report>> = chain[..at]
                .iter_mut()
                .map(|p| p.inner.report.take())
                .collect();
            reports.push(in_flight.inner.report.take());
            reports.extend(chain[at..].iter_mut().map(|p| p.inner.report.take()));
            report::print_escaping(reports);
        }
        let newer = chain.split_off(at);
        let mut beside: Vec<Beside> = chain.into_iter().map(Beside::Older).collect();
        beside.extend(in_flight.inner.report.take().map(Beside::Report));
        beside.extend(newer.into_iter().map(Beside::Newer));
        inflight::travel(tag, beside);
        resume_unwind(in_flight.inner.payload)
    }
}

/// The message of a payload raised with a string.
fn message_of(payload: &(dyn Any + Send)) -> Option<&str> {
    match payload.downcast_ref::<&'static str>() {
        Some(s) => Some(s),
        None => payload.downcast_ref::<String>().map(String::as_str),
    }
}

/// Appends `panic` after the panics it superseded, so that chains stay flat.
fn push_flat(chain: &mut Vec<Panic>, mut panic: Panic) {
    chain.append(&mut panic.inner.superseded);
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
            .field("superseded", &self.inner.superseded)
            .finish()
    }
}

/// Runs a deferred call from `Drop` while a panic unwinds: its panic, if any,
/// supersedes the one in flight, and travels beside it to the next catch with
/// the panics that superseded it in turn.
pub(crate) fn run_while_unwinding(call: impl FnOnce()) {
    let scope = Scope::enter(false);
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(()) => scope.leave(),
        Err(payload) => supersede_in_flight(scope, payload),
    }
}

/// A deferred call run from `Drop` raised `payload`: it and the panics that
/// superseded it travel on beside the unwinding in flight.
#[cold]
#[inline(never)]
fn supersede_in_flight(scope: Scope, payload: Box<dyn Any + Send>) {
    let (caught, tag) = scope.caught(&*payload);
    let chain = caught.into_chain(payload);
    inflight::travel(tag, chain.into_iter().map(Beside::Newer).collect());
}

/// How many panics and reports the thread holds for unwindings in flight
/// (tests check that it stays bounded).
#[doc(hidden)]
pub fn held_panics() -> usize {
    inflight::held()
}

/// Go's `recover()`. Called directly by a deferred closure or block of a
/// `#[with_defer]` function (written `recover()`, `godefer::recover()`, or
/// through any path that names this item), it stops the panic in flight and
/// returns it; anywhere else it returns `None`, as Go's `recover` not called
/// directly by a deferred function returns nil.
///
/// It is a constant of function-pointer type, not a `fn`, so that the
/// attribute can tell it from a function of yours that is also called
/// `recover` by its type, after name resolution: yours is called as written.
/// Calling it where the attribute cannot see the call as direct (through an
/// alias such as `use godefer::recover as r`, or from a helper function)
/// while a panic unwinds prints a note on stderr, once per thread, saying
/// why it returned `None`.
#[allow(non_upper_case_globals)] // Go's name, called like a function
pub const recover: fn() -> Option<Panic> = recover_unseen;

/// [`recover`] where the attribute did not lower it: it returns `None`, and
/// says so when a panic is in flight, since then it looks like it should not.
#[inline]
fn recover_unseen() -> Option<Panic> {
    if std::thread::panicking() || HANDLING.with(Cell::get) > 0 {
        note_unseen_recover();
    }
    None
}

/// Prints, once per thread, why a `recover()` during a panic returned `None`.
#[cold]
fn note_unseen_recover() {
    if NOTED.with(|noted| noted.replace(true)) {
        return;
    }
    std::eprintln!(
        "godefer: recover() was called while a panic was in flight, but not as a direct call that #[with_defer] could see, so it returned None and the panic goes on. Write `recover()` directly in the deferred closure of the #[with_defer] fn (not through an alias such as `use godefer::recover as r`, nor in a helper it calls)"
    );
}

std::thread_local! {
    /// How many frames are running records for a panic on this thread.
    static HANDLING: Cell<usize> = const { Cell::new(0) };
    /// The note of `note_unseen_recover` was printed on this thread.
    static NOTED: Cell<bool> = const { Cell::new(false) };
    /// The note of `note_unoffered_recover` was printed on this thread.
    static NOTED_HANDLER: Cell<bool> = const { Cell::new(false) };
    /// The frames of the offers to handlers (see `offer.rs`), in one
    /// thread-local so that an offer costs one access.
    static OFFERS: Offers = const {
        Offers {
            handling: Cell::new(core::ptr::null()),
            offered: Cell::new(core::ptr::null()),
        }
    };
}

/// The frame whose records `Frame::handle` is running (innermost), and the
/// frame offered to the callee of the deferred call being made, until a
/// handler takes it.
struct Offers {
    handling: Cell<*const Frame>,
    offered: Cell<*const Frame>,
}

/// Offers the frame whose records `Frame::handle` is running, if any, to
/// the callee of the deferred call about to be made.
#[inline]
pub(crate) fn offer_handling_frame() {
    OFFERS.with(|o| o.offered.set(o.handling.get()));
}

/// Withdraws the offer after the call, so that nothing called later finds
/// it.
#[inline]
pub(crate) fn withdraw_offer() {
    OFFERS.with(|o| o.offered.set(core::ptr::null()));
}

/// What a `#[with_defer]` function whose body calls `recover()` took at its
/// first statement: the frame offered to it if it is the callee of a deferred
/// call that runs for a panic (Go's handler, `defer handlePanic()`).
pub struct Handler {
    frame: *const Frame,
}

impl Handler {
    /// Takes the offer, so that the functions this one calls find none: a
    /// `recover()` one call deeper returns `None`, as in Go.
    #[inline]
    pub fn enter() -> Handler {
        Handler {
            frame: OFFERS.with(|o| o.offered.replace(core::ptr::null())),
        }
    }

    /// Go's `recover()` in the handler's body: stops the panic of the frame
    /// whose deferred call this is, if any.
    #[inline]
    pub fn recover(&self, name: &'static str) -> Option<Panic> {
        // SAFETY: a non-null `frame` was offered by `offer_handling_frame`
        // from the handling frame, which `Frame::handle` sets to itself while
        // it borrows itself to run records, and restores before it returns.
        // The offer is made for one deferred call and withdrawn when it ends
        // (by `Offered::run_next`, or by the catch when it panics); its callee
        // takes it at its first statement into this `Handler`, a hygienic
        // local of that callee that nothing can move out: the handler returns
        // before the deferred call ends, so before the frame's borrow ends.
        match unsafe { self.frame.as_ref() } {
            Some(frame) => frame.recover(),
            None => {
                if std::thread::panicking() || HANDLING.with(Cell::get) > 0 {
                    note_unoffered_recover(name);
                }
                None
            }
        }
    }
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handler")
            .field("offered", &!self.frame.is_null())
            .finish()
    }
}

/// Prints, once per thread, why a handler's `recover()` during a panic
/// returned `None`.
#[cold]
fn note_unoffered_recover(name: &str) {
    if NOTED_HANDLER.with(|noted| noted.replace(true)) {
        return;
    }
    std::eprintln!(
        "godefer: recover() in `{name}` was called while a panic was in flight, but `{name}` was not the deferred function of that panic, so it returned None and the panic goes on. A #[with_defer] fn stops a panic with recover() in its body when a #[with_defer] fn defers a call to it directly, `defer!({name}(..))` or `defer!(value.{name}(..))`, written before its first `let` (a deferred call recorded after a `let` runs from Drop while the panic unwinds, where nothing can stop it); not when it is called from inside a deferred closure, by a scope guard, or by a function the deferred call calls"
    );
}

/// The recover state of one call of a function that calls `recover()`: the
/// panic its deferred calls are running for, if any.
pub struct Frame {
    panic: Cell<Option<Panic>>,
}

// SAFETY: a frame is shared only by the deferred closures and the catches of
// one call of one function (its name is hygienic: user code cannot reach it),
// which use it on one thread at a time: a sync function runs on one thread,
// and an `async fn` future is polled by one thread at a time, with no `.await`
// inside a deferred call or a catch's handler, the only code that touches the
// cell. So the cell is never accessed from two threads at once, and a
// reference to the frame held across an `.await` keeps the future `Send`.
// (`Send` is automatic: a `Panic` is `Send`.)
unsafe impl Sync for Frame {}

impl Frame {
    /// A frame with no panic; installs the runtime's panic hook the first time.
    pub fn new() -> Self {
        report::install_hook();
        Frame {
            panic: Cell::new(None),
        }
    }

    /// Go's `recover()` called directly by a deferred function of this frame:
    /// stops the current panic, if any, and returns it.
    pub fn recover(&self) -> Option<Panic> {
        self.panic.take()
    }

    /// Runs the records, newest first, under one `catch_unwind` until they
    /// have nothing pending; each panic one raises supersedes the frame's
    /// current panic (or starts one after a recover), and the run goes on
    /// under a new catch from the record that raised it (each call is taken
    /// out of its record before it runs, so none runs twice).
    fn run_caught(&self, records: &mut [&mut dyn Deferred]) {
        let mut next = 0;
        while let Some(panic) = run_records(records, &mut next) {
            let current = self.panic.take();
            self.panic.set(Some(supersede(current, panic)));
        }
    }

    /// A panic reached the catch around the statements after `records` were
    /// declared: run them newest first with the panic current, as Go's panic
    /// runs deferred calls. Returns if one of them recovered; otherwise the
    /// panic goes on unwinding, with its own payload.
    pub fn handle(&self, payload: Box<dyn Any + Send>, records: &mut [&mut dyn Deferred]) {
        self.handle_panic(inflight::take_caught(payload), records, None);
    }

    /// [`Frame::handle`] for a catch of `catch_offering`, with the records
    /// run by `run`, which is called again after a call that panics (see
    /// `handle_offering`). That catch keeps no scope: what travelled beside
    /// the unwinding is taken where it waits.
    ///
    /// If nothing recovered, the panic goes on as it would have without the
    /// catch: with the payload that was in flight, the panics the records
    /// raised travelling beside it (a plain function's caller sees the
    /// payload its callee raised).
    pub(crate) fn handle_run(&self, payload: Box<dyn Any + Send>, run: &mut dyn FnMut()) {
        let in_flight = payload_address(&*payload);
        let mut record: [&mut dyn Deferred; 1] = [&mut RunAgain(run)];
        self.handle_panic(
            inflight::take_unwinding(payload),
            &mut record,
            Some(in_flight),
        );
    }

    fn handle_panic(
        &self,
        panic: Panic,
        records: &mut [&mut dyn Deferred],
        in_flight: Option<usize>,
    ) {
        self.panic.set(Some(panic));
        HANDLING.with(|n| n.set(n.get() + 1));
        let outer = OFFERS.with(|o| o.handling.replace(self));
        self.run_caught(records);
        OFFERS.with(|o| o.handling.set(outer));
        HANDLING.with(|n| n.set(n.get() - 1));
        match (self.panic.take(), in_flight) {
            (None, _) => {}
            (Some(panic), None) => panic.resume(),
            (Some(panic), Some(address)) => panic.resume_in_flight(address),
        }
    }
}

/// The records of a handler's catch, as one record: running it makes every
/// call still pending, and it has nothing pending once a run returned.
struct RunAgain<'a>(&'a mut dyn FnMut());

impl Deferred for RunAgain<'_> {
    fn run_deferred(&mut self) {
        (self.0)();
    }

    fn run_next(&mut self) -> bool {
        (self.0)();
        false
    }
}

/// Where a payload lives, to find it again in a chain.
fn payload_address(payload: &(dyn Any + Send)) -> usize {
    (payload as *const (dyn Any + Send)).cast::<()>().addr()
}

impl Default for Frame {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame")
            .field("panicking", &{
                let panic = self.panic.take();
                let some = panic.is_some();
                self.panic.set(panic);
                some
            })
            .finish()
    }
}

/// Runs the pending calls of `records[*next..]` until one panics: that panic,
/// with what its unwinding carried, or `None` once they are done. `next` is
/// left at the record that panicked.
fn run_records(records: &mut [&mut dyn Deferred], next: &mut usize) -> Option<Panic> {
    let scope = Scope::enter(true);
    let run = || {
        while let Some(record) = records.get_mut(*next) {
            record.run_deferred();
            *next += 1;
        }
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(()) => {
            scope.leave();
            None
        }
        Err(payload) => {
            // An offered call that panicked did not withdraw its offer.
            withdraw_offer();
            Some(scope.caught(&*payload).0.into_panic(payload))
        }
    }
}

/// `newer` raised while `current` (if any) was the panic: the newer one wins,
/// the others stay in its chain, oldest first.
fn supersede(current: Option<Panic>, mut newer: Panic) -> Panic {
    let Some(current) = current else {
        return newer;
    };
    let mut chain = Vec::new();
    push_flat(&mut chain, current);
    chain.append(&mut newer.inner.superseded);
    newer.inner.superseded = chain;
    newer
}

/// The catch around the statements of a function after its recovering
/// records: `catch_unwind` for generated code, as one of the runtime's scopes.
#[inline]
pub fn catch<T>(body: impl FnOnce() -> T) -> Result<T, Box<dyn Any + Send>> {
    let scope = Scope::enter(true);
    let result = catch_unwind(AssertUnwindSafe(body));
    match &result {
        Ok(_) => scope.leave(),
        Err(payload) => keep_caught(scope, &**payload),
    }
    result
}

/// A catch caught `payload`: keeps what travelled beside it for
/// [`Frame::handle`], which the generated code calls next.
#[cold]
#[inline(never)]
fn keep_caught(scope: Scope, payload: &(dyn Any + Send)) {
    let (caught, _) = scope.caught(payload);
    inflight::keep_caught(payload, caught);
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
        let scope = Scope::enter(true);
        let polled = catch_unwind(AssertUnwindSafe(|| inner.poll(cx)));
        match polled {
            Ok(poll) => {
                scope.leave();
                poll.map(Ok)
            }
            Err(payload) => {
                keep_caught(scope, &*payload);
                Poll::Ready(Err(payload))
            }
        }
    }
}

impl<F> fmt::Debug for CatchUnwind<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CatchUnwind(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Slot;
    use std::cell::RefCell;
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
    fn a_catch_takes_what_travelled_beside_the_payload() {
        let caught = catch(|| {
            let mut c = Slot::new();
            c.arm(|| std::panic::panic_any("c"));
            let mut b = Slot::new();
            b.arm(|| std::panic::panic_any("b"));
            std::panic::panic_any("a")
        });
        let current = inflight::take_caught(caught.unwrap_err());
        let names: Vec<_> = current
            .superseded()
            .iter()
            .map(|p| p.message().unwrap())
            .collect();
        assert_eq!((current.message(), names), (Some("c"), std::vec!["a", "b"]));
        let again = inflight::take_caught(catch(|| std::panic::panic_any("d")).unwrap_err());
        assert_eq!(again.superseded().len(), 0);
        assert_eq!(held_panics(), 0);
    }

    #[test]
    fn a_scope_drops_what_it_did_not_take() {
        let scope = Scope::enter(true);
        run_while_unwinding(|| std::panic::panic_any("b"));
        assert_eq!(held_panics(), 1);
        scope.leave();
        assert_eq!(held_panics(), 0);
        // With no scope, it waits at level 0 for a catch that keeps none,
        // and goes when a scope is next entered while nothing unwinds.
        run_while_unwinding(|| std::panic::panic_any("c"));
        assert_eq!(held_panics(), 1);
        Scope::enter(true).leave();
        assert_eq!(held_panics(), 0);
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
        let current = inflight::take_caught(resumed.unwrap_err());
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
}
