//! Target 4: panic + recover, against `catch_unwind` by hand and Go's
//! `recover()`; and what the machinery costs on the paths that do not recover.
//!
//! Ids (`panic/..`):
//! - `recover/defer`, `recover/hand`: a panic stopped by `recover()` in a
//!   deferred closure, and by `catch_unwind` (Go: `BenchmarkPanic/recover`);
//! - `recover/{1,50}/..`: a recovered panic in a function with 1 and with 50
//!   deferred calls (the recovering closure, then 49 plain
//!   `defer!(release(c, i))`): `1/defer` and `1/hand` (`catch_unwind`, the
//!   counter taken and unused); `50/defer` (`#[with_defer]`, which open-codes a
//!   single-exit function whatever its number of defers), `50/chain` (forced
//!   chain: stack records, Go's lowering for more than 8 defers), `50/hand`
//!   (`catch_unwind`, the 49 calls written at both of its exits) and
//!   `50/guard` (`catch_unwind` around 49 scopeguard guards)
//!   (Go: `BenchmarkPanic/recover/{1,50}/defer`);
//! - `through/{defer,guard,hand}`: a panic passing through a function with
//!   one (non-recovering) deferred call, caught by `catch_unwind` above it;
//! - `nopanic/{recover,resultform,defer,guard,hand}`: the same function
//!   returning normally with a recovering deferred closure, a result-form one
//!   that does not recover, a plain deferred call, scopeguard, and the call
//!   written by hand
//!   (Go: `BenchmarkPanic/nopanic/{recover,resultform,defer,direct}`; Go's
//!   `resultform` is a deferred closure reading its named result).

use std::cell::Cell;
use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};

use criterion::{Criterion, criterion_group, criterion_main};

mod shapes;

fn panics(c: &mut Criterion) {
    shapes::quiet_panics();
    let counter = Cell::new(0);
    let mut group = c.benchmark_group("panic");
    group.bench_function("recover/defer", |b| {
        b.iter(|| shapes::recover_defer(black_box(0)));
    });
    group.bench_function("recover/hand", |b| {
        b.iter(|| shapes::recover_hand(black_box(0)));
    });
    type Through = fn(&Cell<u64>, u32) -> u32;
    let recovering: [(&str, Through); 6] = [
        ("recover/1/defer", shapes::recover_defer_1),
        ("recover/1/hand", shapes::recover_hand_1),
        ("recover/50/defer", shapes::recover_defer_50),
        ("recover/50/chain", shapes::recover_chain_50),
        ("recover/50/hand", shapes::recover_hand_50),
        ("recover/50/guard", shapes::recover_guard_50),
    ];
    for (id, f) in recovering {
        group.bench_function(id, |b| {
            b.iter(|| f(black_box(&counter), black_box(0)));
        });
    }
    let through: [(&str, Through); 3] = [
        ("through/defer", shapes::through_defer),
        ("through/guard", shapes::through_guard),
        ("through/hand", shapes::through_hand),
    ];
    for (id, f) in through {
        group.bench_function(id, |b| {
            b.iter(|| {
                catch_unwind(AssertUnwindSafe(|| f(black_box(&counter), black_box(0)))).is_err()
            });
        });
    }
    let nopanic: [(&str, Through); 5] = [
        ("nopanic/recover", shapes::recover_defer_counted),
        ("nopanic/resultform", shapes::no_recover_defer_counted),
        ("nopanic/defer", shapes::through_defer),
        ("nopanic/guard", shapes::through_guard),
        ("nopanic/hand", shapes::through_hand),
    ];
    for (id, f) in nopanic {
        group.bench_function(id, |b| {
            b.iter(|| f(black_box(&counter), black_box(1)));
        });
    }
    group.finish();
    black_box(counter.get());
}

criterion_group!(benches, panics);
criterion_main!(benches);
