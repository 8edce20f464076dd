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
    let __defer_results = &::godefer::__private::Results::<Option<u32>>::new();
    let __defer_zero = || {
        #[allow(unused_imports)]
        use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
        (&&::godefer::__private::Zero::<Option<u32>>::new()).zero("guarded")
    };
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    match ::godefer::__private::CatchUnwind::new(async {
        __defer_open_0.arm(::godefer::__private::WithRet::new(__defer_results, |ret| {
            if {
                #[allow(unused_imports)]
                use ::godefer::__private::{DirectOther as _, DirectRecover as _};
                (&&::godefer::__private::Resolve(recover)).direct(__defer_frame)
            }
            .is_some()
            {
                *ret = Some(None);
            }
        }));
        {
            #[allow(clippy::diverging_sub_expression)]
            let __defer_value = Some(fetch(n).await);
            #[allow(unreachable_code)]
            let __defer_left = __defer_results.returning(__defer_value, || {
                #[allow(unreachable_code)]
                {
                    __defer_open_0.run();
                }
            });
            __defer_left.unwrap_or_else(__defer_zero)
        }
    })
    .await
    {
        ::core::result::Result::Ok(__defer_value) => __defer_value,
        ::core::result::Result::Err(__defer_panic) => {
            __defer_frame.handle(__defer_panic, &mut [&mut __defer_open_0]);
            {
                __defer_results.take().unwrap_or_else(__defer_zero)
            }
        }
    }
}
