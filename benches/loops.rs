//! Target 3: defers in a loop (the chain's loop stack, Go's heap-allocated
//! `deferproc` path), for n = 1 to 1024, against the same calls made directly,
//! a hand-written list of what to release, and a scopeguard over that list.
//!
//! Ids: `loop/{n}/{chain,direct,hand,guard}`; the Go twins are
//! `BenchmarkLoop/{n}/{defer,direct}` in `benches/go/`. The allocation count
//! (none for the first 16 records, O(log n) beyond) is checked by
//! `the_first_sixteen_loop_records_do_not_allocate` in tests/test_stress.rs.

use std::cell::Cell;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

mod shapes;

fn loops(c: &mut Criterion) {
    let counter = Cell::new(0);
    for n in shapes::LOOP_NS {
        let mut group = c.benchmark_group(format!("loop/{n}"));
        for (variant, f) in shapes::loops() {
            group.bench_function(variant, |b| {
                b.iter(|| f(black_box(&counter), black_box(n)));
            });
        }
        group.finish();
    }
    black_box(counter.get());
}

criterion_group!(benches, loops);
criterion_main!(benches);
