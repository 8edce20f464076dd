//! Targets 1 and 2: defers outside loops, open-coded and chain (stack
//! records), against the hand-written cleanup at each exit and scopeguard,
//! with one return and with three, for 1 to 16 defers.
//!
//! Ids: `straight/{one,several}/{n}/{open,chain,hand,guard}`; the Go twins
//! are `BenchmarkStraight/{one,several}/{n}/{defer,direct}` in `benches/go/`.
//! `python3 benches/run.py` interleaves both and writes docs/benchmarks.md.

use std::cell::Cell;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

mod shapes;

fn straight(c: &mut Criterion) {
    let counter = Cell::new(0);
    for (exits, n, variants) in shapes::straight() {
        let mut group = c.benchmark_group(format!("straight/{exits}/{n}"));
        for (variant, f) in variants {
            group.bench_function(variant, |b| {
                let mut k = 0;
                b.iter(|| f(black_box(&counter), black_box(shapes::next_exit(&mut k))));
            });
        }
        group.finish();
    }
    black_box(counter.get());
}

criterion_group!(benches, straight);
criterion_main!(benches);
