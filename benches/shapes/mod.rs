//! The functions every benchmark measures, shared by the criterion benches
//! and by `probe` (instruction counts under callgrind, future sizes).
//!
//! Each shape comes in the variants the issue compares, with the same deferred
//! work: a call of [`release`], which is never inlined (Go never inlines a
//! deferred call either, and its Go twin is `//go:noinline`):
//!
//! - `open`: `#[with_defer(open_coded)]`;
//! - `chain`: `#[with_defer(chain)]` (stack records outside loops, a loop
//!   stack inside them);
//! - `hand`: the cleanup a Rust programmer writes by hand at each exit;
//! - `guard`: scopeguard, what Rust users pick today;
//! - `direct`: the calls alone, nothing stored (the floor for loops).
//!
//! The Go twins are in `benches/go/shapes.go`, with the same names.
// Each bench binary uses part of this module; `probe` uses all of it.
#![allow(dead_code)]
// Accumulating defers in a loop is what the loop shapes measure.
#![allow(deprecated)]

use std::cell::Cell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use godefer::{defer, recover, with_defer};

/// The deferred call: adds `v` to the counter. Never inlined, so every
/// variant makes the same real calls.
#[inline(never)]
pub fn release(c: &Cell<u64>, v: u64) {
    c.set(c.get().wrapping_add(v));
}

/// A straight-line shape: `(counter, k) -> value`; `k` picks the exit.
pub type Shape = fn(&Cell<u64>, u32) -> u32;

/// Straight-line shapes with a single return: `$n` defers, then the value.
macro_rules! one_return {
    ($open:ident, $chain:ident, $hand:ident, $guard:ident: [$($i:literal)*] [$($r:literal)*]) => {
        #[with_defer(open_coded)]
        #[inline(never)]
        pub fn $open(c: &Cell<u64>, k: u32) -> u32 {
            $(defer!(release(c, $i));)*
            k.wrapping_add(1)
        }

        #[with_defer(chain)]
        #[inline(never)]
        pub fn $chain(c: &Cell<u64>, k: u32) -> u32 {
            $(defer!(release(c, $i));)*
            k.wrapping_add(1)
        }

        #[inline(never)]
        pub fn $hand(c: &Cell<u64>, k: u32) -> u32 {
            let ret = k.wrapping_add(1);
            $(release(c, $r);)*
            ret
        }

        #[inline(never)]
        pub fn $guard(c: &Cell<u64>, k: u32) -> u32 {
            $(scopeguard::defer!(release(c, $i));)*
            k.wrapping_add(1)
        }
    };
}

/// Straight-line shapes with three returns (two early ones): `$n` defers,
/// then the exit `k` picks; every exit runs all `$n` deferred calls.
macro_rules! several_returns {
    ($open:ident, $chain:ident, $hand:ident, $guard:ident: [$($i:literal)*] [$($r:literal)*]) => {
        #[with_defer(open_coded)]
        #[inline(never)]
        pub fn $open(c: &Cell<u64>, k: u32) -> u32 {
            $(defer!(release(c, $i));)*
            if k == 0 {
                return 10;
            }
            if k == 1 {
                return 11;
            }
            12
        }

        #[with_defer(chain)]
        #[inline(never)]
        pub fn $chain(c: &Cell<u64>, k: u32) -> u32 {
            $(defer!(release(c, $i));)*
            if k == 0 {
                return 10;
            }
            if k == 1 {
                return 11;
            }
            12
        }

        #[inline(never)]
        pub fn $hand(c: &Cell<u64>, k: u32) -> u32 {
            if k == 0 {
                $(release(c, $r);)*
                return 10;
            }
            if k == 1 {
                $(release(c, $r);)*
                return 11;
            }
            $(release(c, $r);)*
            12
        }

        #[inline(never)]
        pub fn $guard(c: &Cell<u64>, k: u32) -> u32 {
            $(scopeguard::defer!(release(c, $i));)*
            if k == 0 {
                return 10;
            }
            if k == 1 {
                return 11;
            }
            12
        }
    };
}

one_return!(open_one_1, chain_one_1, hand_one_1, guard_one_1: [1] [1]);
one_return!(open_one_2, chain_one_2, hand_one_2, guard_one_2: [1 2] [2 1]);
one_return!(open_one_4, chain_one_4, hand_one_4, guard_one_4: [1 2 3 4] [4 3 2 1]);
one_return!(open_one_8, chain_one_8, hand_one_8, guard_one_8:
    [1 2 3 4 5 6 7 8] [8 7 6 5 4 3 2 1]);
one_return!(open_one_16, chain_one_16, hand_one_16, guard_one_16:
    [1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16] [16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1]);

several_returns!(open_several_1, chain_several_1, hand_several_1, guard_several_1: [1] [1]);
several_returns!(open_several_4, chain_several_4, hand_several_4, guard_several_4:
    [1 2 3 4] [4 3 2 1]);
several_returns!(open_several_8, chain_several_8, hand_several_8, guard_several_8:
    [1 2 3 4 5 6 7 8] [8 7 6 5 4 3 2 1]);

/// One straight-line shape: its exits (`one` or `several`), its number of
/// defers, and its variants by name.
pub type Straight = (&'static str, u32, Vec<(&'static str, Shape)>);

/// The straight-line shapes.
pub fn straight() -> Vec<Straight> {
    macro_rules! variants {
        ($open:ident, $chain:ident, $hand:ident, $guard:ident) => {
            vec![
                ("open", $open as Shape),
                ("chain", $chain as Shape),
                ("hand", $hand as Shape),
                ("guard", $guard as Shape),
            ]
        };
    }
    vec![
        (
            "one",
            1,
            variants!(open_one_1, chain_one_1, hand_one_1, guard_one_1),
        ),
        (
            "one",
            2,
            variants!(open_one_2, chain_one_2, hand_one_2, guard_one_2),
        ),
        (
            "one",
            4,
            variants!(open_one_4, chain_one_4, hand_one_4, guard_one_4),
        ),
        (
            "one",
            8,
            variants!(open_one_8, chain_one_8, hand_one_8, guard_one_8),
        ),
        (
            "one",
            16,
            variants!(open_one_16, chain_one_16, hand_one_16, guard_one_16),
        ),
        (
            "several",
            1,
            variants!(
                open_several_1,
                chain_several_1,
                hand_several_1,
                guard_several_1
            ),
        ),
        (
            "several",
            4,
            variants!(
                open_several_4,
                chain_several_4,
                hand_several_4,
                guard_several_4
            ),
        ),
        (
            "several",
            8,
            variants!(
                open_several_8,
                chain_several_8,
                hand_several_8,
                guard_several_8
            ),
        ),
    ]
}

/// The driver of a straight-line shape, the same in criterion, in `probe` and
/// in Go: `k` cycles through the three exits.
#[inline(always)]
pub fn next_exit(k: &mut u32) -> u32 {
    *k = if *k >= 2 { 0 } else { *k + 1 };
    *k
}

/// Defers in a loop: one record per iteration, all run at the return, newest
/// first (Go's heap-allocated `deferproc` path).
#[with_defer(chain)]
#[inline(never)]
pub fn loop_chain(c: &Cell<u64>, n: u32) -> u32 {
    for i in 0..n {
        defer!(release(c, u64::from(i)));
    }
    n
}

/// The same calls with nothing stored: the floor of the loop shapes.
#[inline(never)]
pub fn loop_direct(c: &Cell<u64>, n: u32) -> u32 {
    for i in (0..n).rev() {
        release(c, u64::from(i));
    }
    n
}

/// By hand: keep what each iteration must release, release it newest first
/// before returning (not panic-safe).
#[inline(never)]
pub fn loop_hand(c: &Cell<u64>, n: u32) -> u32 {
    let mut pending = Vec::new();
    for i in 0..n {
        pending.push(u64::from(i));
    }
    for v in pending.into_iter().rev() {
        release(c, v);
    }
    n
}

/// With scopeguard: a guard over the list of what to release.
#[inline(never)]
pub fn loop_guard(c: &Cell<u64>, n: u32) -> u32 {
    let mut pending = scopeguard::guard(Vec::new(), |pending| {
        for v in pending.into_iter().rev() {
            release(c, v);
        }
    });
    for i in 0..n {
        pending.push(u64::from(i));
    }
    n
}

/// The loop sizes of target 3.
pub const LOOP_NS: [u32; 9] = [1, 2, 4, 8, 16, 17, 32, 64, 1024];

/// The loop shapes: (variant, fn).
pub fn loops() -> Vec<(&'static str, Shape)> {
    vec![
        ("chain", loop_chain as Shape),
        ("direct", loop_direct as Shape),
        ("hand", loop_hand as Shape),
        ("guard", loop_guard as Shape),
    ]
}

/// Panics when `k == 0`.
#[inline(never)]
pub fn may_panic(k: u32) -> u32 {
    if k == 0 {
        panic!("boom");
    }
    k
}

/// Go's `defer func() { if recover() != nil { r = 0 } }()`.
#[with_defer]
#[inline(never)]
pub fn recover_defer(k: u32) -> u32 {
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(0);
        }
    });
    may_panic(k)
}

/// The same by hand: `catch_unwind`.
#[inline(never)]
pub fn recover_hand(k: u32) -> u32 {
    std::panic::catch_unwind(|| may_panic(k)).unwrap_or(0)
}

/// A defer that does not recover, and its twins: what a panic passing through
/// costs, and what the path without a panic costs.
#[with_defer]
#[inline(never)]
pub fn through_defer(c: &Cell<u64>, k: u32) -> u32 {
    defer!(release(c, 1));
    may_panic(k)
}

#[inline(never)]
pub fn through_guard(c: &Cell<u64>, k: u32) -> u32 {
    scopeguard::defer!(release(c, 1));
    may_panic(k)
}

#[inline(never)]
pub fn through_hand(c: &Cell<u64>, k: u32) -> u32 {
    let ret = may_panic(k);
    release(c, 1);
    ret
}

/// A recovering function on its path without a panic, against the same
/// function whose deferred closure does not recover.
#[with_defer]
#[inline(never)]
pub fn recover_defer_counted(c: &Cell<u64>, k: u32) -> u32 {
    defer!(|ret| {
        release(c, 1);
        if recover().is_some() {
            *ret = Some(0);
        }
    });
    may_panic(k)
}

/// The result form without `recover()`: the closure reads the result slot and
/// sets it only when there is none (a panic passing through), so on the path
/// without a panic it reads and leaves it. Go's twin, `noRecoverDeferCounted`,
/// does the same with a named result.
#[with_defer]
#[inline(never)]
pub fn no_recover_defer_counted(c: &Cell<u64>, k: u32) -> u32 {
    defer!(|ret| {
        release(c, 1);
        if ret.is_none() {
            *ret = Some(0);
        }
    });
    may_panic(k)
}

/// A recovered panic in a function with one `defer!`, the recovering
/// closure: `recover_defer` with the counter of the 50-defer shapes below
/// (unused here), so the two differ only by the 49 extra deferred calls.
#[with_defer]
#[inline(never)]
pub fn recover_defer_1(_c: &Cell<u64>, k: u32) -> u32 {
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(0);
        }
    });
    may_panic(k)
}

/// Its twin by hand: `catch_unwind`, nothing else to run.
#[inline(never)]
pub fn recover_hand_1(_c: &Cell<u64>, k: u32) -> u32 {
    std::panic::catch_unwind(|| may_panic(k)).unwrap_or(0)
}

/// A recovered panic in a function with 50 deferred calls: the recovering
/// closure first (so it runs last, as Go's `defer func() { recover() }()`
/// written first does), then 49 plain call-form `defer!(release(c, i))`,
/// which all run while the panic unwinds, before `recover()` stops it.
///
/// `$auto` is `#[with_defer]` as a user writes it: with a single exit the
/// macro open-codes any number of defers (one `Slot` each, its own flag;
/// `docs/lowering.md`, "When a function is open-coded"). `$chain` forces the
/// chain lowering, the one this function gets from Go's rule (more than 8
/// defers: stack records, Go's `deferprocStack`) and from the macro's when it
/// has more than one exit. `$hand`: `catch_unwind` and the 49 calls written
/// at both of its exits, newest first; `$guard`: `catch_unwind` around 49
/// scopeguard guards, which run during the unwinding as the defers do.
macro_rules! recover_with_defers {
    ($auto:ident, $chain:ident, $hand:ident, $guard:ident: [$($i:literal)*] [$($r:literal)*]) => {
        #[with_defer]
        #[inline(never)]
        pub fn $auto(c: &Cell<u64>, k: u32) -> u32 {
            defer!(|ret| {
                if recover().is_some() {
                    *ret = Some(0);
                }
            });
            $(defer!(release(c, $i));)*
            may_panic(k)
        }

        #[with_defer(chain)]
        #[inline(never)]
        pub fn $chain(c: &Cell<u64>, k: u32) -> u32 {
            defer!(|ret| {
                if recover().is_some() {
                    *ret = Some(0);
                }
            });
            $(defer!(release(c, $i));)*
            may_panic(k)
        }

        #[inline(never)]
        pub fn $hand(c: &Cell<u64>, k: u32) -> u32 {
            match std::panic::catch_unwind(|| may_panic(k)) {
                Ok(v) => {
                    $(release(c, $r);)*
                    v
                }
                Err(_) => {
                    $(release(c, $r);)*
                    0
                }
            }
        }

        #[inline(never)]
        pub fn $guard(c: &Cell<u64>, k: u32) -> u32 {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                $(scopeguard::defer!(release(c, $i));)*
                may_panic(k)
            }))
            .unwrap_or(0)
        }
    };
}

recover_with_defers!(recover_defer_50, recover_chain_50, recover_hand_50, recover_guard_50:
    [1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25
     26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49]
    [49 48 47 46 45 44 43 42 41 40 39 38 37 36 35 34 33 32 31 30 29 28 27 26 25
     24 23 22 21 20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1]);

/// Silences the panic hook: the benchmarks panic millions of times, and Go
/// prints nothing for a recovered panic either.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}

/// Pending once (waking itself), then ready: every async shape suspends once
/// with its records alive.
#[derive(Debug)]
pub struct YieldOnce(bool);

impl YieldOnce {
    pub fn new() -> Self {
        YieldOnce(false)
    }
}

impl Default for YieldOnce {
    fn default() -> Self {
        Self::new()
    }
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[with_defer]
pub async fn async_defer_1(c: &Cell<u64>) -> u32 {
    defer!(release(c, 1));
    YieldOnce::new().await;
    1
}

pub async fn async_hand_1(c: &Cell<u64>) -> u32 {
    YieldOnce::new().await;
    release(c, 1);
    1
}

pub async fn async_guard_1(c: &Cell<u64>) -> u32 {
    scopeguard::defer!(release(c, 1));
    YieldOnce::new().await;
    1
}

pub async fn async_none_1(_c: &Cell<u64>) -> u32 {
    YieldOnce::new().await;
    1
}

#[with_defer]
pub async fn async_defer_4(c: &Cell<u64>) -> u32 {
    defer!(release(c, 1));
    defer!(release(c, 2));
    defer!(release(c, 3));
    defer!(release(c, 4));
    YieldOnce::new().await;
    4
}

/// `defer!(|| ..)`: a closure captures what it uses, as scopeguard's does; the
/// call form `defer!(release(c, 1))` above evaluates and stores `c` and `1`
/// at the defer statement, as Go does.
#[with_defer]
pub async fn async_closure_4(c: &Cell<u64>) -> u32 {
    defer!(|| release(c, 1));
    defer!(|| release(c, 2));
    defer!(|| release(c, 3));
    defer!(|| release(c, 4));
    YieldOnce::new().await;
    4
}

#[with_defer(chain)]
pub async fn async_chain_4(c: &Cell<u64>) -> u32 {
    defer!(release(c, 1));
    defer!(release(c, 2));
    defer!(release(c, 3));
    defer!(release(c, 4));
    YieldOnce::new().await;
    4
}

pub async fn async_hand_4(c: &Cell<u64>) -> u32 {
    YieldOnce::new().await;
    release(c, 4);
    release(c, 3);
    release(c, 2);
    release(c, 1);
    4
}

pub async fn async_guard_4(c: &Cell<u64>) -> u32 {
    scopeguard::defer!(release(c, 1));
    scopeguard::defer!(release(c, 2));
    scopeguard::defer!(release(c, 3));
    scopeguard::defer!(release(c, 4));
    YieldOnce::new().await;
    4
}

pub async fn async_none_4(_c: &Cell<u64>) -> u32 {
    YieldOnce::new().await;
    4
}

/// Polls a future to completion with a no-op waker.
#[inline(always)]
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Runs one async shape to completion, by name; `None` for an unknown name.
/// Also gives the size of the future.
pub fn async_shape(name: &str, c: &Cell<u64>) -> Option<(u32, usize)> {
    fn go<F: Future<Output = u32>>(fut: F) -> (u32, usize) {
        let size = std::mem::size_of_val(&fut);
        (block_on(fut), size)
    }
    Some(match name {
        "defer/1" => go(async_defer_1(c)),
        "hand/1" => go(async_hand_1(c)),
        "guard/1" => go(async_guard_1(c)),
        "none/1" => go(async_none_1(c)),
        "defer/4" => go(async_defer_4(c)),
        "closure/4" => go(async_closure_4(c)),
        "chain/4" => go(async_chain_4(c)),
        "hand/4" => go(async_hand_4(c)),
        "guard/4" => go(async_guard_4(c)),
        "none/4" => go(async_none_4(c)),
        _ => return None,
    })
}

/// The async shapes, in the order they are benched.
pub const ASYNC_SHAPES: [&str; 10] = [
    "defer/1",
    "hand/1",
    "guard/1",
    "none/1",
    "defer/4",
    "closure/4",
    "chain/4",
    "hand/4",
    "guard/4",
    "none/4",
];
