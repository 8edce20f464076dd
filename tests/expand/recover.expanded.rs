use godefer::{defer, recover, with_defer};
pub fn safe_div(a: i32, b: i32) -> i32 {
    defer!(__godefer_lowered);
    let _ = recover;
    #[cfg(panic = "abort")]
    :: core :: compile_error ! ("`safe_div` calls `recover()`, which can never stop a panic when panics abort (`panic = \"abort\"`): nothing unwinds, so no deferred call runs. Build with `panic = \"unwind\"`, or handle the failure without a panic");
    let __defer_frame = &::godefer::__private::Frame::new();
    let __defer_results = &::godefer::__private::Results::<i32>::new();
    let __defer_zero = || {
        #[allow(unused_imports)]
        use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
        (&&::godefer::__private::Zero::<i32>::new()).zero("safe_div")
    };
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    __defer_open_0.arm(|| {
        println!("safe_div done");
    });
    let mut __defer_open_1 = ::godefer::__private::Slot::new();
    match ::godefer::__private::catch(|| {
        __defer_open_1.arm(::godefer::__private::WithRet::new(__defer_results, |ret| {
            if let Some(panic) = {
                #[allow(unused_imports)]
                use ::godefer::__private::{DirectOther as _, DirectRecover as _};
                (&&::godefer::__private::Resolve(recover)).direct(__defer_frame)
            } {
                println!("recovered: {panic}");
                *ret = Some(0);
            }
        }));
        {
            #[allow(clippy::diverging_sub_expression)]
            let __defer_value = a / b;
            #[allow(unreachable_code)]
            let __defer_left = __defer_results.returning(__defer_value, || {
                #[allow(unreachable_code)]
                {
                    __defer_open_1.run();
                    __defer_open_0.run();
                }
            });
            __defer_left.unwrap_or_else(__defer_zero)
        }
    }) {
        ::core::result::Result::Ok(__defer_value) => __defer_value,
        ::core::result::Result::Err(__defer_panic) => {
            __defer_frame.handle(__defer_panic, &mut [&mut __defer_open_1]);
            {
                #[allow(unreachable_code)]
                {
                    __defer_open_0.run();
                }
                __defer_results.take().unwrap_or_else(__defer_zero)
            }
        }
    }
}
