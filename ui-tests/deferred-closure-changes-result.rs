// Mistake: a deferred closure that changes the local being returned, to
// change the function's result (Go's named results).
//
// Go:
//
//     func double() (n int) {
//         n = 21
//         defer func() { n *= 2 }()
//         return n
//     }
//
// `fmt.Println(double())` prints `42`: `return n` stores 21 in the named
// result `n`, then the deferred closure doubles it, and the caller gets
// whatever `n` holds at the very end.
//
// Rust has no named results: the returned value is computed (here copied out
// of `n`) before the deferred calls run, so changing the local `n` at exit
// would not change it. The closure also holds `&mut n` until the function
// exits, so reading `n` for the result is refused: E0503, "cannot use `n`
// because it was mutably borrowed".
//
// Fix: change the result itself with the result form, a deferred closure
// with one parameter that receives the result as `&mut Option<R>`:
// `defer!(|ret| { if let Some(n) = ret { *n *= 2; } })`, which returns 42;
// or simply compute the final value before returning, `n *= 2; n`.
use godefer::{defer, with_defer};

#[with_defer]
fn double() -> u32 {
    let mut n = 21;
    defer!(|| n *= 2);
    n
}

fn main() {
    println!("{}", double());
}
