use godefer::{defer, with_defer};
async fn step(n: u32) -> u32 {
    n + 1
}
async fn run(n: u32) -> u32 {
    defer!(__godefer_lowered);
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    __defer_open_0.arm(|| {
        println!("run {n} finished");
    });
    let m = step(n).await;
    {
        #[allow(clippy::diverging_sub_expression)]
        let __defer_ret = m * 2;
        #[allow(unreachable_code)]
        {
            __defer_open_0.run();
        }
        __defer_ret
    }
}
