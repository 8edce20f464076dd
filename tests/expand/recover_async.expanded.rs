use godefer::{defer, recover, with_defer};
async fn fetch(n: u32) -> u32 {
    assert!(n < 10, "too big");
    n
}
pub async fn guarded(n: u32) -> Option<u32> {
    defer!(__godefer_lowered);
    let _ = recover;
    #[cfg(panic = "abort")]
    :: core :: compile_error ! ("`guarded` calls `recover()`, which can never stop a panic when panics abort (`panic = \"abort\"`): nothing unwinds, so no deferred call runs. Build with `panic = \"unwind\"`, or handle the failure without a panic");
    let __defer_frame = &::godefer::__private::Frame::new();
    let mut __defer_ret: ::core::option::Option<Option<u32>> = ::core::option::Option::None;
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    match ::godefer::__private::CatchUnwind::new(async {
        __defer_open_0.arm(::godefer::__private::WithRet::<_, Option<u32>>::new(
            |ret| {
                if __defer_frame.recover().is_some() {
                    *ret = Some(None);
                }
            },
        ));
        {
            #[allow(unreachable_code, clippy::diverging_sub_expression)]
            let mut __defer_exit = ::godefer::__private::Exit::returning(
                &mut __defer_ret,
                Some(fetch(n).await),
                ::core::option::Option::Some(__defer_frame),
            );
            __defer_exit.run(&mut __defer_open_0);
            __defer_exit.finish(|| {
                #[allow(unused_imports)]
                use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                (&&::godefer::__private::Zero::<Option<u32>>::new()).zero("guarded")
            })
        }
    })
    .await
    {
        ::core::result::Result::Ok(__defer_value) => __defer_value,
        ::core::result::Result::Err(__defer_panic) => {
            __defer_frame.handle(__defer_panic, &mut __defer_ret, &mut [&mut __defer_open_0]);
            {
                let mut __defer_exit =
                    ::godefer::__private::Exit::recovered(&mut __defer_ret, __defer_frame);
                __defer_exit.finish(|| {
                    #[allow(unused_imports)]
                    use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                    (&&::godefer::__private::Zero::<Option<u32>>::new()).zero("guarded")
                })
            }
        }
    }
}
