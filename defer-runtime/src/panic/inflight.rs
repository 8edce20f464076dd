//! What travels beside an unwinding, and which catch it belongs to.
//!
//! Every catch of the runtime (`catch`, `CatchUnwind::poll`, the catch around
//! each record run by `Frame::handle`, and the catch around a
//! deferred call run from `Drop` while a panic unwinds) is a *scope*: entering
//! it pushes a level on a per-thread stack of scopes, leaving it pops the
//! level, on every path (the catch lets no panic through, and the work after
//! a caught panic pops it from a guard). What travels beside an unwinding (the
//! panics deferred calls raised while it went through them, the panics that
//! `Panic::resume` carries, the report of a panic being stashed) is an *entry*
//! owned by the innermost scope when it was made: that scope is the catch that
//! will end the unwinding, unless a `catch_unwind` of the program ends it
//! first. A scope takes its entries when it catches a panic and discards what
//! is left of them when it ends, so entries never outlive the scope they
//! belong to, and a scope never sees the entries of another. With no scope,
//! entries wait at level 0 for a handler's catch (`catch_offering`, which
//! keeps no scope): the next unwinding that sends something there, or the
//! next scope entered while nothing unwinds, discards what it did not take.
//!
//! Inside one scope, two unwindings one after the other (the first ended by a
//! plain `catch_unwind`) are told apart by a tag on each entry: the id of the
//! unwinding it belongs to, which the runtime's panic hook hands out to each
//! new panic (and `Panic::resume` to each panic it raises again). The catch
//! takes the entries of the unwinding it caught and discards the others, and
//! so does a scope when a new unwinding sends it something: a scope holds the
//! entries of one unwinding at a time (the hook cannot number a panic raised
//! by `resume_unwind` or under a hook set over it, hence a bound as well).
//! While no panic unwinds on the thread, nothing can be in flight, so the
//! first scope entered then discards every entry left over. Discarding an
//! entry prints the report it holds, if any (see `report`).

use core::any::Any;
use core::cell::{Cell, RefCell};
use std::boxed::Box;
use std::mem;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::vec::Vec;

use super::Panic;
use super::report::{self, Report};

/// The most entries one scope keeps. Only a panic that the runtime's hook did
/// not number (`resume_unwind`, or a hook the program set over the runtime's)
/// can let stale entries build up in a long-lived scope; past this bound the
/// oldest go.
const MAX_ENTRIES_PER_SCOPE: usize = 1024;

/// One thing travelling beside an unwinding.
pub(super) enum Beside {
    /// A panic the unwinding's panic superseded (carried by `Panic::resume`):
    /// it goes before that panic in the chain.
    Older(Panic),
    /// The report of the unwinding's panic, stashed by the hook or carried by
    /// `Panic::resume`.
    Report(Report),
    /// A panic a deferred call raised while the unwinding went through it: it
    /// supersedes the unwinding's panic and goes after it, newest last.
    Newer(Panic),
}

/// An entry: what travels, the scope that owns it (its depth), and the
/// unwinding it belongs to.
struct Entry {
    owner: u32,
    tag: u64,
    beside: Beside,
}

/// The per-thread counters, all `Cell`s so that the scopes of the paths
/// without a panic cost a few instructions.
struct State {
    /// Scopes entered and not left.
    depth: Cell<u32>,
    /// How many of them are catches (not deferred calls run from `Drop`).
    catching: Cell<u32>,
    /// The id of the unwinding in flight, as far as the hook and the scopes
    /// know.
    current: Cell<u64>,
    /// The last id handed out.
    last: Cell<u64>,
    /// How many entries there are: zero on the paths without a panic.
    held: Cell<usize>,
}

std::thread_local! {
    static STATE: State = const {
        State {
            depth: Cell::new(0),
            catching: Cell::new(0),
            current: Cell::new(0),
            last: Cell::new(0),
            held: Cell::new(0),
        }
    };
    /// The entries, ordered by owner (a new entry's owner is the innermost
    /// scope, and a scope's entries go when it ends).
    static ENTRIES: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    /// What `catch` or `CatchUnwind` found beside the panic it caught, keyed
    /// by the payload's address, for `Frame::handle`, which is called next.
    static CAUGHT: RefCell<Option<(usize, Caught)>> = const { RefCell::new(None) };
}

/// What a catch found beside the panic it caught.
#[derive(Default)]
pub(super) struct Caught {
    older: Vec<Panic>,
    report: Option<Report>,
    newer: Vec<Panic>,
}

impl Caught {
    /// The caught panic: the newest of the chain, the others superseded,
    /// oldest first.
    pub(super) fn into_panic(self, payload: Box<dyn Any + Send>) -> Panic {
        let mut chain = self.older;
        let own = Panic::new(payload, Vec::new(), self.report);
        super::push_flat(&mut chain, own);
        for panic in self.newer {
            super::push_flat(&mut chain, panic);
        }
        let mut current = chain.pop().expect("the caught panic is in the chain");
        current.inner.superseded = chain;
        current
    }

    /// As entries, to discard.
    fn into_entries(self) -> Vec<Entry> {
        let older = self.older.into_iter().map(Beside::Older);
        let report = self.report.into_iter().map(Beside::Report);
        let newer = self.newer.into_iter().map(Beside::Newer);
        let all = older.chain(report).chain(newer);
        all.map(|beside| Entry {
            owner: 0,
            tag: 0,
            beside,
        })
        .collect()
    }

    /// The same chain, flat, oldest first.
    pub(super) fn into_chain(self, payload: Box<dyn Any + Send>) -> Vec<Panic> {
        let mut current = self.into_panic(payload);
        let mut chain = mem::take(&mut current.inner.superseded);
        chain.push(current);
        chain
    }
}

/// A level of the per-thread stack of scopes. Its catch is `catch_unwind`, so
/// nothing unwinds out of it: the paths without a panic pop the level with
/// [`Scope::leave`], and a caught panic with [`Scope::caught`], which pops it
/// even if its own work unwinds.
#[must_use = "a scope ends with leave or caught"]
pub(super) struct Scope {
    depth: u32,
    saved: u64,
    catches: bool,
}

impl Scope {
    /// Enters a scope: a catch (`catches`) or a deferred call run from `Drop`.
    /// Outside any unwinding, entries left over are stale: discards them.
    #[inline]
    pub(super) fn enter(catches: bool) -> Scope {
        let (scope, stale) = STATE.with(|s| {
            let stale = s.held.get() != 0 && !std::thread::panicking();
            let depth = s.depth.get() + 1;
            s.depth.set(depth);
            s.catching.set(s.catching.get() + u32::from(catches));
            let scope = Scope {
                depth,
                saved: s.current.get(),
                catches,
            };
            (scope, stale)
        });
        if stale {
            discard_from(0);
        }
        scope
    }

    /// Leaves the scope: pops its level, restores the unwinding in flight
    /// when it was entered, and discards what is left of its entries.
    #[inline]
    pub(super) fn leave(self) {
        let held = STATE.with(|s| {
            s.depth.set(self.depth - 1);
            s.catching.set(s.catching.get() - u32::from(self.catches));
            s.current.set(self.saved);
            s.held.get() != 0
        });
        if held {
            discard_from(self.depth);
        }
    }

    /// This scope's catch caught `payload`: takes the entries of the caught
    /// unwinding, discards the rest of the scope's entries (left by
    /// unwindings a `catch_unwind` of the program ended), and leaves the
    /// scope. Returns what it took, and the id of the unwinding in flight when
    /// the scope was entered.
    #[cold]
    #[inline(never)]
    pub(super) fn caught(self, payload: &(dyn Any + Send)) -> (Caught, u64) {
        let saved = self.saved;
        let scope = Leaving(self);
        (scope.0.take(payload), saved)
    }

    /// [`Scope::caught`] before leaving.
    fn take(&self, payload: &(dyn Any + Send)) -> Caught {
        let tag = STATE.with(|s| s.current.get());
        sort_out(split_off_from(self.depth), tag, payload)
    }
}

/// The entries of the unwinding `tag` among `mine`, for the catch that ended
/// it with `payload`; the others are discarded.
fn sort_out(mine: Vec<Entry>, tag: u64, payload: &(dyn Any + Send)) -> Caught {
    let mut caught = Caught::default();
    let mut stale = Vec::new();
    for entry in mine {
        if entry.tag != tag {
            stale.push(entry);
            continue;
        }
        match entry.beside {
            Beside::Older(panic) => caught.older.push(panic),
            Beside::Newer(panic) => caught.newer.push(panic),
            Beside::Report(r) if caught.report.is_none() && r.is_for(payload) => {
                caught.report = Some(r)
            }
            beside => stale.push(Entry { beside, ..entry }),
        }
    }
    discard(stale);
    caught
}

/// Leaves its scope when dropped, on every path.
struct Leaving(Scope);

impl Drop for Leaving {
    fn drop(&mut self) {
        let scope = Scope { ..self.0 };
        scope.leave();
    }
}

/// Whether one of the runtime's catches is running on this thread.
pub(super) fn inside_catch() -> bool {
    STATE.with(|s| s.catching.get() != 0)
}

/// For the hook: if one of the runtime's catches is running, whether the
/// panic is raised while another one unwinds (in a deferred call run from
/// `Drop`).
pub(super) fn catch_running() -> Option<bool> {
    let (depth, catching) = STATE.try_with(|s| (s.depth.get(), s.catching.get())).ok()?;
    (catching != 0).then_some(depth > catching)
}

/// Starts numbering a new unwinding: its id, now current.
pub(super) fn begin_unwinding() -> u64 {
    STATE
        .try_with(|s| {
            let id = s.last.get() + 1;
            s.last.set(id);
            s.current.set(id);
            id
        })
        .unwrap_or(0)
}

/// Sends `items` beside the unwinding `tag`, to the innermost scope: the
/// catch that will end it. Entries of that scope from other unwindings are
/// stale and go. With no scope, they wait at level 0 for a catch of
/// `catch_offering`, which keeps no scope (see `take_unwinding`); if none
/// ends the unwinding, they are stale from the next unwinding that sends
/// something there, or the next scope entered while nothing unwinds.
pub(super) fn travel(tag: u64, items: Vec<Beside>) {
    let owner = STATE.with(|s| s.depth.get());
    let entries = items.into_iter().map(|beside| Entry { owner, tag, beside });
    let mut items: Vec<Entry> = entries.collect();
    let stale = ENTRIES.try_with(|entries| {
        let mut entries = entries.borrow_mut();
        let start = entries.partition_point(|e| e.owner < owner);
        let (mut keep, mut stale): (Vec<Entry>, Vec<Entry>) = entries
            .split_off(start)
            .into_iter()
            .partition(|e| e.tag == tag);
        keep.append(&mut items);
        let over = keep.len().saturating_sub(MAX_ENTRIES_PER_SCOPE);
        stale.extend(keep.drain(..over));
        entries.append(&mut keep);
        stale
    });
    count_held();
    // With the thread's entries gone (thread exit), what travels is dropped.
    discard(stale.unwrap_or(items));
}

/// From the panic hook: stashes the report of the panic `id` for the
/// innermost scope, or gives it back if the entries are in use. Reports of
/// the scope's other unwindings are of panics a `catch_unwind` of the program
/// ended: they are taken out, for the hook to print. Drops no payload (that
/// runs the program's code, which must not panic in a hook).
pub(super) fn stash(id: u64, report: Report) -> Result<Vec<Report>, Report> {
    let Ok(owner) = STATE.try_with(|s| s.depth.get()) else {
        return Err(report);
    };
    let mut report = Some(report);
    let stale = ENTRIES.try_with(|entries| {
        let mut entries = entries.try_borrow_mut().ok()?;
        let start = entries.partition_point(|e| e.owner < owner);
        let stale = take_reports(&mut entries, start, |tag| tag != id);
        let beside = Beside::Report(report.take()?);
        entries.push(Entry {
            owner,
            tag: id,
            beside,
        });
        Some(stale)
    });
    count_held();
    match (stale, report) {
        (Ok(Some(stale)), _) => Ok(stale),
        (_, Some(report)) => Err(report),
        (_, None) => Ok(Vec::new()),
    }
}

/// From the panic hook, when the process is about to abort: every report
/// held back, for the hook to print. Drops no payload.
pub(super) fn take_all_reports() -> Vec<Report> {
    let reports = ENTRIES.try_with(|entries| {
        let mut entries = entries.try_borrow_mut().ok()?;
        Some(take_reports(&mut entries, 0, |_| true))
    });
    count_held();
    reports.ok().flatten().unwrap_or_default()
}

/// Takes the reports of the entries from `start` on whose tag is `stale`:
/// removes the report entries, and takes the reports out of the panics.
fn take_reports(
    entries: &mut Vec<Entry>,
    start: usize,
    stale: impl Fn(u64) -> bool,
) -> Vec<Report> {
    let mut reports = Vec::new();
    let mut at = start;
    while at < entries.len() {
        if !stale(entries[at].tag) {
            at += 1;
            continue;
        }
        match &mut entries[at].beside {
            Beside::Older(panic) | Beside::Newer(panic) => {
                reports.extend(panic.inner.report.take());
                at += 1;
            }
            Beside::Report(_) => {
                if let Beside::Report(r) = entries.remove(at).beside {
                    reports.push(r);
                }
            }
        }
    }
    reports
}

/// A catch of `catch_offering` caught `payload`. It keeps no scope, so what
/// travelled beside the unwinding went to the innermost scope around the
/// catch, or to level 0 without one (an outer unwinding still in flight has
/// its entries in a scope further out: code runs during it only inside a
/// deeper scope). The entries of that level from this unwinding are taken;
/// the others stay.
pub(super) fn take_unwinding(payload: Box<dyn Any + Send>) -> Panic {
    let (tag, depth) = STATE.with(|s| (s.current.get(), s.depth.get()));
    let mine = ENTRIES.try_with(|entries| {
        let mut entries = entries.borrow_mut();
        let start = entries.partition_point(|e| e.owner < depth);
        let (mine, rest): (Vec<Entry>, Vec<Entry>) = entries
            .split_off(start)
            .into_iter()
            .partition(|e| e.tag == tag);
        entries.extend(rest);
        mine
    });
    count_held();
    sort_out(mine.unwrap_or_default(), tag, &*payload).into_panic(payload)
}

/// Keeps what `catch` or `CatchUnwind` found beside `payload` for
/// `Frame::handle`. What was kept before and not taken is stale.
pub(super) fn keep_caught(payload: &(dyn Any + Send), caught: Caught) {
    let kept = (address(payload), caught);
    if let Ok(Some((_, old))) = CAUGHT.try_with(|slot| slot.borrow_mut().replace(kept)) {
        discard(old.into_entries());
    }
}

/// `Frame::handle`'s panic: `payload` with what its catch found beside it.
pub(super) fn take_caught(payload: Box<dyn Any + Send>) -> Panic {
    let found = CAUGHT.try_with(|slot| slot.borrow_mut().take());
    match found {
        Ok(Some((key, caught))) if key == address(&*payload) => caught.into_panic(payload),
        Ok(Some((_, stale))) => {
            discard(stale.into_entries());
            Panic::bare(payload)
        }
        _ => Panic::bare(payload),
    }
}

/// Where a payload lives: `take_caught` checks that it gets the payload that
/// `keep_caught` saw.
fn address(payload: &(dyn Any + Send)) -> usize {
    (payload as *const (dyn Any + Send)).cast::<()>().addr()
}

/// What the thread holds: entries, and a caught panic's companions not yet
/// taken by `Frame::handle`.
pub(crate) fn held() -> usize {
    let entries = ENTRIES.try_with(|entries| entries.borrow().len());
    let caught = CAUGHT.try_with(|slot| usize::from(slot.borrow().is_some()));
    entries.unwrap_or(0) + caught.unwrap_or(0)
}

/// Keeps the cheap count of entries in step with the list.
fn count_held() {
    let n = ENTRIES.try_with(|entries| entries.try_borrow().map_or(1, |e| e.len()));
    let _ = STATE.try_with(|s| s.held.set(n.unwrap_or(0)));
}

/// Takes the entries owned by the scope at `depth` or deeper.
fn split_off_from(depth: u32) -> Vec<Entry> {
    let tail = ENTRIES.try_with(|entries| {
        let mut entries = entries.borrow_mut();
        let start = entries.partition_point(|e| e.owner < depth);
        entries.split_off(start)
    });
    count_held();
    tail.unwrap_or_default()
}

/// Discards the entries of the scope at `depth` and deeper.
fn discard_from(depth: u32) {
    discard(split_off_from(depth));
}

/// Stale entries: prints the reports they hold (panics that a `catch_unwind`
/// of the program ended, which must not go unreported), then drops them.
fn discard(stale: Vec<Entry>) {
    if stale.is_empty() {
        return;
    }
    let mut reports = Vec::new();
    let mut panics = Vec::new();
    for entry in stale {
        match entry.beside {
            Beside::Report(r) => reports.push(r),
            Beside::Older(mut panic) | Beside::Newer(mut panic) => {
                reports.extend(panic.inner.report.take());
                panics.push(panic);
            }
        }
    }
    report::print_unclaimed(reports);
    drop_quietly(panics);
}

/// Drops what may hold payloads, whose `Drop` is the program's code: a panic
/// there must not escape into a catch or a `Drop` of the runtime.
fn drop_quietly<T>(value: T) {
    let _ = catch_unwind(AssertUnwindSafe(move || drop(value)));
}
