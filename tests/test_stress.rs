//! Stress: ten million loop defers run once each, newest first, with memory in
//! proportion to the records; the first 16 records of a loop cost no
//! allocation and n records O(log n) allocations; a thousand threads running
//! deferred calls and recovering at once keep their records apart (records
//! live in each call's frame; there is no global state).
// Accumulating loop defers is the point here.
#![allow(deprecated)]

use godefer::{defer, recover, with_defer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Counts allocations and the bytes live, with their peak, for the thread
/// that opted in (other test threads allocate too).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    COUNTED.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: every call is forwarded to the system allocator with the same
// arguments; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if counted() {
            ALLOCATIONS.fetch_add(1, Relaxed);
            let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(live, Relaxed);
        }
        // SAFETY: the caller's layout contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if counted() {
            LIVE.fetch_sub(layout.size().min(LIVE.load(Relaxed)), Relaxed);
        }
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if counted() {
            ALLOCATIONS.fetch_add(1, Relaxed);
            let live = LIVE.fetch_add(new_size, Relaxed) + new_size;
            PEAK.fetch_max(live, Relaxed);
            LIVE.fetch_sub(layout.size().min(live), Relaxed);
        }
        // SAFETY: `ptr` came from `System` with `layout`; the new size is the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Serialises the counted sections, which share the global counters.
static COUNTING: Mutex<()> = Mutex::new(());

/// Runs `f` with this thread's allocations counted: (allocations, peak bytes).
fn count<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let _one_at_a_time = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
    ALLOCATIONS.store(0, Relaxed);
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    COUNTED.with(|c| c.set(true));
    let out = f();
    COUNTED.with(|c| c.set(false));
    (out, ALLOCATIONS.load(Relaxed), PEAK.load(Relaxed))
}

/// Defers `n` calls in a loop; each checks it runs in its turn, newest first.
#[with_defer]
fn countdown(n: u32, next: &Cell<u32>, ran: &Cell<u32>) -> u32 {
    for i in 0..n {
        defer!(move || {
            assert_eq!(next.get(), i, "out of order");
            next.set(i.wrapping_sub(1));
            ran.set(ran.get() + 1);
        });
    }
    next.set(n.wrapping_sub(1));
    n
}

#[test]
fn ten_million_loop_defers_run_once_each_newest_first() {
    const N: u32 = 10_000_000;
    let (next, ran) = (Cell::new(0), Cell::new(0));
    let (returned, allocations, peak) = count(|| countdown(N, &next, &ran));
    assert_eq!((returned, ran.get(), next.get()), (N, N, u32::MAX));
    // One record: the closure, a `u32` and two references.
    let record = 2 * std::mem::size_of::<&Cell<u32>>() + std::mem::size_of::<u64>();
    let per_record = peak as f64 / f64::from(N);
    println!(
        "{N} loop defers: peak {peak} bytes on the heap, {per_record:.1} bytes per record \
         (a record is {record} bytes), {allocations} allocations"
    );
    // The spill buffer grows by doubling, so it holds at most twice the
    // records; while it grows, the old buffer and the new one (twice as
    // large) are both counted: at most three times the records' size.
    assert!(
        per_record <= 3.0 * record as f64 + 1.0,
        "{per_record} bytes per record"
    );
    assert!(
        allocations <= 64,
        "{allocations} allocations for {N} records"
    );
}

#[test]
fn the_first_sixteen_loop_records_do_not_allocate() {
    let (next, ran) = (Cell::new(0), Cell::new(0));
    for n in [0, 1, 15, 16] {
        let (_, allocations, _) = count(|| countdown(n, &next, &ran));
        assert_eq!(allocations, 0, "{n} records");
    }
    let mut previous = 0;
    for n in [17, 32, 64, 1024, 65_536] {
        let (_, allocations, _) = count(|| countdown(n, &next, &ran));
        let log2 = usize::BITS - (n as usize).leading_zeros();
        assert!(
            allocations >= 1 && allocations <= log2 as usize,
            "{n} records: {allocations}"
        );
        assert!(
            allocations >= previous,
            "{n} records: {allocations} < {previous}"
        );
        previous = allocations;
    }
}

/// Each thread's deferred calls and its recover see only that thread's state.
#[with_defer]
fn worker(id: usize, log: &Mutex<Vec<(usize, usize)>>) -> usize {
    defer!(|ret| {
        if let Some(panic) = recover() {
            assert_eq!(panic.message(), Some(format!("worker {id}").as_str()));
            *ret = Some(id * 1000);
        }
    });
    for step in 0..8 {
        defer!(move || log.lock().unwrap().push((id, step)));
    }
    std::thread::yield_now();
    if id % 3 == 0 {
        std::panic::panic_any(format!("worker {id}"));
    }
    id
}

#[test]
fn a_thousand_threads_keep_their_records_apart() {
    let log = Mutex::new(Vec::new());
    let results: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..1000)
            .map(|id| {
                let log = &log;
                std::thread::Builder::new()
                    .stack_size(256 * 1024)
                    .spawn_scoped(scope, move || worker(id, log))
                    .unwrap()
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (id, result) in results.iter().enumerate() {
        let expected = if id % 3 == 0 { id * 1000 } else { id };
        assert_eq!(*result, expected);
    }
    let log = log.into_inner().unwrap();
    assert_eq!(log.len(), 8000);
    for id in 0..1000 {
        let steps: Vec<usize> = log
            .iter()
            .filter(|(who, _)| *who == id)
            .map(|(_, s)| *s)
            .collect();
        assert_eq!(steps, [7, 6, 5, 4, 3, 2, 1, 0], "worker {id}");
    }
}
