// Two defer sites in one loop share one stack in execution order.
use godefer::{defer, with_defer};

fn show(tag: &str, i: u32) {
    println!("{tag}{i}");
}

#[with_defer(chain)]
pub fn interleave(n: u32) {
    for i in 0..n {
        defer!(show("a", i));
        if i % 2 == 0 {
            defer!(move || show("b", i));
        }
    }
}
