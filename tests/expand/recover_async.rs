// recover() in an async fn: the catch wraps an async block and catches panics
// raised while it is polled.
use godefer::{defer, recover, with_defer};

async fn fetch(n: u32) -> u32 {
    assert!(n < 10, "too big");
    n
}

#[with_defer]
pub async fn guarded(n: u32) -> Option<u32> {
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(None);
        }
    });
    Some(fetch(n).await)
}
