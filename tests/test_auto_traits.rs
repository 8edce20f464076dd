//! Auto traits: what the lowering adds (records, the result slot, the recover
//! frame and its catch) never changes whether an `async fn`'s future, or the
//! value a function returns, is `Send` or `Sync`: each function here is paired
//! with the same function without defers, in both directions (`Send` and
//! `Sync` futures stay so; futures holding an `Rc` or a `Cell` across an
//! `.await` are `!Send` or `!Sync` with and without defers).

use godefer::{defer, recover, with_defer};
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;

/// Autoref probe: the inherent method applies when `T` has the trait, the
/// trait method (a fallback) otherwise.
struct Probe<T>(PhantomData<T>);

fn probe<T>(_: &T) -> Probe<T> {
    Probe(PhantomData)
}

trait Fallback {
    fn send(&self) -> bool {
        false
    }
    fn sync(&self) -> bool {
        false
    }
}

impl<T> Fallback for Probe<T> {}

impl<T: Send> Probe<T> {
    fn send(&self) -> bool {
        true
    }
}

struct SyncProbe<T>(PhantomData<T>);

fn sync_probe<T>(_: &T) -> SyncProbe<T> {
    SyncProbe(PhantomData)
}

impl<T> Fallback for SyncProbe<T> {}

impl<T: Sync> SyncProbe<T> {
    fn sync(&self) -> bool {
        true
    }
}

/// (Send, Sync) of a value.
macro_rules! traits {
    ($value:expr) => {{
        let value = $value;
        (probe(&value).send(), sync_probe(&value).sync())
    }};
}

async fn tick() {}

async fn plain_without(n: u32) -> u32 {
    tick().await;
    n
}

#[with_defer]
async fn plain_with(n: u32) -> u32 {
    defer!(|| assert!(n < 100));
    let names: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    for name in names {
        #[allow(deprecated)] // accumulating records is what this one checks
        defer!(drop(name));
    }
    tick().await;
    n
}

#[with_defer]
async fn recovering_with(n: u32) -> u32 {
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(0);
        }
    });
    tick().await;
    n
}

#[with_defer]
async fn result_form_with(n: u32) -> u32 {
    defer!(|ret| {
        if let Some(v) = ret {
            *v += 1;
        }
    });
    tick().await;
    n
}

async fn rc_without() -> usize {
    let shared = Rc::new(1);
    tick().await;
    Rc::strong_count(&shared)
}

#[with_defer]
async fn rc_with() -> usize {
    defer!(drop(0u8));
    let shared = Rc::new(1);
    tick().await;
    Rc::strong_count(&shared)
}

#[with_defer]
async fn rc_recovering_with() -> usize {
    defer!(|| drop(recover()));
    let shared = Rc::new(1);
    tick().await;
    Rc::strong_count(&shared)
}

async fn cell_without() -> u32 {
    let cell = Cell::new(1);
    let by_ref = &cell;
    tick().await;
    by_ref.get()
}

#[with_defer]
async fn cell_with() -> u32 {
    defer!(drop(0u8));
    let cell = Cell::new(1);
    let by_ref = &cell;
    tick().await;
    by_ref.get()
}

fn assert_future<F: Future>(f: F) -> F {
    f
}

#[test]
fn send_and_sync_futures_stay_so() {
    let without = traits!(assert_future(plain_without(2)));
    assert_eq!(without, (true, true));
    assert_eq!(traits!(plain_with(2)), without);
    assert_eq!(traits!(recovering_with(2)), without);
    assert_eq!(traits!(result_form_with(2)), without);
}

#[test]
fn non_send_futures_stay_non_send() {
    let without = traits!(rc_without());
    assert_eq!(without, (false, false));
    assert_eq!(traits!(rc_with()), without);
    assert_eq!(traits!(rc_recovering_with()), without);
}

#[test]
fn non_sync_futures_stay_non_sync() {
    let without = traits!(cell_without());
    assert_eq!(
        without,
        (false, false),
        "a `&Cell` across an await is neither"
    );
    assert_eq!(traits!(cell_with()), without);
}

#[with_defer]
fn returns_rc(n: u32) -> Rc<u32> {
    defer!(|| assert!(n < 100));
    Rc::new(n)
}

#[with_defer]
fn returns_string(n: u32) -> String {
    defer!(|ret| {
        if let Some(s) = ret {
            s.push('!');
        }
    });
    n.to_string()
}

#[test]
fn returned_values_keep_their_types() {
    assert_eq!(traits!(returns_rc(1)), (false, false));
    assert_eq!(traits!(returns_string(1)), (true, true));
    assert_eq!(returns_string(7), "7!");
}
