//! Not timed: what `benches/run.py` measures besides time.
//!
//! - `probe ir SHAPE ITERS`: calls one shape ITERS times, for instruction
//!   counts under callgrind (`run.py` subtracts a run with ITERS = 0). SHAPE
//!   is `{one,several}/{n}/{open,chain,hand,guard}`, `loop/{n}/{variant}`
//!   or `nopanic/1/{recover,resultform,defer,guard,hand}`.
//! - `probe sizes`: the sizes of the async shapes' futures, as JSON lines.
//!
//! `cargo bench` runs it with `--bench`: it then prints the sizes.

use std::cell::Cell;
use std::hint::black_box;

mod shapes;

fn shape(name: &str) -> Option<(shapes::Shape, bool)> {
    let nopanic: [(&str, shapes::Shape); 5] = [
        ("nopanic/1/recover", shapes::recover_defer_counted),
        ("nopanic/1/resultform", shapes::no_recover_defer_counted),
        ("nopanic/1/defer", shapes::through_defer),
        ("nopanic/1/guard", shapes::through_guard),
        ("nopanic/1/hand", shapes::through_hand),
    ];
    if let Some((_, f)) = nopanic.iter().find(|(id, _)| *id == name) {
        // Called with 1 (never panics), like a loop shape with n = 1.
        return Some((*f, true));
    }
    let parts: Vec<&str> = name.split('/').collect();
    let [kind, n, variant] = parts[..] else {
        return None;
    };
    let n: u32 = n.parse().ok()?;
    if kind == "loop" {
        let f = shapes::loops().into_iter().find(|(v, _)| *v == variant)?.1;
        return Some((f, true));
    }
    let (_, _, variants) = shapes::straight()
        .into_iter()
        .find(|(exits, m, _)| *exits == kind && *m == n)?;
    let f = variants.into_iter().find(|(v, _)| *v == variant)?.1;
    Some((f, false))
}

fn ir(name: &str, iters: u64) {
    let Some((f, is_loop)) = shape(name) else {
        eprintln!("unknown shape {name}");
        std::process::exit(2);
    };
    let n: u32 = name.split('/').nth(1).unwrap().parse().unwrap();
    let counter = Cell::new(0);
    let mut k = 0;
    let mut sink = 0u32;
    for _ in 0..iters {
        let arg = if is_loop {
            n
        } else {
            shapes::next_exit(&mut k)
        };
        sink = sink.wrapping_add(f(black_box(&counter), black_box(arg)));
    }
    black_box((sink, counter.get()));
}

fn sizes() {
    let counter = Cell::new(0);
    for name in shapes::ASYNC_SHAPES {
        let (_, size) = shapes::async_shape(name, &counter).expect("known shape");
        println!("{{\"future\": \"{name}\", \"bytes\": {size}}}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("ir") if args.len() == 3 => ir(&args[1], args[2].parse().expect("ITERS")),
        Some("sizes") | Some("--bench") | None => sizes(),
        _ => {
            eprintln!("usage: probe ir SHAPE ITERS | probe sizes");
            std::process::exit(2);
        }
    }
}
