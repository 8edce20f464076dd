use godefer::{defer, recover, with_defer};
pub fn safe_div(a: i32, b: i32) -> i32 {
    defer!(__godefer_lowered);
    let _ = recover;
    #[cfg(panic = "abort")]
    :: core :: compile_error ! ("`safe_div` calls `recover()`, which can never stop a panic when panics abort (`panic = \"abort\"`): nothing unwinds, so no deferred call runs. Build with `panic = \"unwind\"`, or handle the failure without a panic");
    let __defer_frame = &::godefer::__private::Frame::new();
    let mut __defer_ret: ::core::option::Option<i32> = ::core::option::Option::None;
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    match ::godefer::__private::catch(|| {
        __defer_open_0.arm(|| {
            println!("safe_div done");
        });
        let mut __defer_open_1 = ::godefer::__private::Slot::new();
        match ::godefer::__private::catch(|| {
            __defer_open_1.arm(::godefer::__private::WithRet::<_, i32>::new(|ret| {
                if let Some(panic) = __defer_frame.recover() {
                    println!("recovered: {panic}");
                    *ret = Some(0);
                }
            }));
            {
                #[allow(unreachable_code, clippy::diverging_sub_expression)]
                let mut __defer_exit = ::godefer::__private::Exit::returning(
                    &mut __defer_ret,
                    a / b,
                    ::core::option::Option::Some(__defer_frame),
                );
                __defer_exit.run(&mut __defer_open_1);
                __defer_exit.run(&mut __defer_open_0);
                __defer_exit.finish(|| {
                    #[allow(unused_imports)]
                    use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                    (&&::godefer::__private::Zero::<i32>::new()).zero("safe_div")
                })
            }
        }) {
            ::core::result::Result::Ok(__defer_value) => __defer_value,
            ::core::result::Result::Err(__defer_panic) => {
                __defer_frame.handle(__defer_panic, &mut __defer_ret, &mut [&mut __defer_open_1]);
                {
                    let mut __defer_exit =
                        ::godefer::__private::Exit::recovered(&mut __defer_ret, __defer_frame);
                    __defer_exit.run(&mut __defer_open_0);
                    __defer_exit.finish(|| {
                        #[allow(unused_imports)]
                        use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                        (&&::godefer::__private::Zero::<i32>::new()).zero("safe_div")
                    })
                }
            }
        }
    }) {
        ::core::result::Result::Ok(__defer_value) => __defer_value,
        ::core::result::Result::Err(__defer_panic) => {
            __defer_frame.handle(__defer_panic, &mut __defer_ret, &mut [&mut __defer_open_0]);
            {
                let mut __defer_exit =
                    ::godefer::__private::Exit::recovered(&mut __defer_ret, __defer_frame);
                __defer_exit.finish(|| {
                    #[allow(unused_imports)]
                    use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                    (&&::godefer::__private::Zero::<i32>::new()).zero("safe_div")
                })
            }
        }
    }
}
