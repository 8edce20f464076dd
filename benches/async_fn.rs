//! Target 5: `async fn` with defers: the cost of creating a future and polling
//! it to completion (it suspends once, with its records alive), against the
//! same function with the cleanup by hand, with scopeguard, and with no
//! cleanup at all. The futures' sizes are printed by `probe sizes` and in
//! docs/benchmarks.md. Go has no futures: no Go twin.
//!
//! Ids: `async/{defer,hand,guard,none}/{1,4}`, `async/{closure,chain}/4`
//! (`defer` is the call form `defer!(f(a))`, `closure` is `defer!(|| f(a))`).

use std::cell::Cell;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

mod shapes;

fn async_fns(c: &mut Criterion) {
    let counter = Cell::new(0);
    let mut group = c.benchmark_group("async");
    macro_rules! bench {
        ($($id:literal => $f:path,)*) => {$(
            group.bench_function($id, |b| {
                b.iter(|| shapes::block_on($f(black_box(&counter))));
            });
        )*};
    }
    bench! {
        "defer/1" => shapes::async_defer_1,
        "hand/1" => shapes::async_hand_1,
        "guard/1" => shapes::async_guard_1,
        "none/1" => shapes::async_none_1,
        "defer/4" => shapes::async_defer_4,
        "closure/4" => shapes::async_closure_4,
        "chain/4" => shapes::async_chain_4,
        "hand/4" => shapes::async_hand_4,
        "guard/4" => shapes::async_guard_4,
        "none/4" => shapes::async_none_4,
    }
    group.finish();
    black_box(counter.get());
}

criterion_group!(benches, async_fns);
criterion_main!(benches);
