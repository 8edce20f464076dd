// A deferred closure that calls recover(): the statements after its record run
// inside a catch; a panic there runs the record with the panic current.
use godefer::{defer, recover, with_defer};

#[with_defer]
pub fn safe_div(a: i32, b: i32) -> i32 {
    defer!(println!("safe_div done"));
    defer!(|ret| {
        if let Some(panic) = recover() {
            println!("recovered: {panic}");
            *ret = Some(0);
        }
    });
    a / b
}
