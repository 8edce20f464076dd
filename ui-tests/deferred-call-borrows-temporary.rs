// Mistake: a deferred call's argument borrows a temporary,
// `defer!(log(&format!(..)))`.
//
// Go:
//
//     func run(job int) {
//         defer log(fmt.Sprintf("job %d done", job))
//         fmt.Println("running job", job)
//     }
//
// `run(7)` prints `running job 7`, then `job 7 done`: the argument is built
// at the `defer` and the garbage collector keeps the string alive.
//
// Rust: the arguments of a deferred call are evaluated at the `defer!`, as in
// Go, and saved for the call at exit. `format!(..)` makes a temporary
// `String` that is dropped at the end of the `defer!` statement, so the saved
// `&String` would dangle: E0716, "temporary value dropped while borrowed".
//
// Fix: bind the string to a variable that lives until the function returns,
// `let msg = format!("job {job} done"); defer!(log(&msg));`, or let a `move`
// closure own it, `defer!(move || log(&msg))`, or build it at exit,
// `defer!(move || log(&format!("job {job} done")))`. Each prints
// `job 7 done` last.
use godefer::{defer, with_defer};

fn log(msg: &str) {
    println!("{}", msg);
}

#[with_defer]
fn run(job: u32) {
    defer!(log(&format!("job {} done", job)));
    println!("running job {}", job);
}

fn main() {
    run(7);
}
