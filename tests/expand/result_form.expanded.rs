use godefer::{defer, with_defer};
pub fn parse_port(text: &str) -> Result<u16, String> {
    defer!(__godefer_lowered);
    let __defer_frame = &::godefer::__private::Frame::new();
    let mut __defer_ret: ::core::option::Option<Result<u16, String>> = ::core::option::Option::None;
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    match ::godefer::__private::catch(|| {
        __defer_open_0.arm(
            ::godefer::__private::WithRet::<_, Result<u16, String>>::new(|ret| {
                if let Some(Err(e)) = ret {
                    *e = format!("parse_port({text:?}): {e}");
                }
            }),
        );
        let port: u16 = (match ::godefer::__private::Branch::branch(
            text.trim().parse().map_err(|e| format!("{e}")),
        ) {
            ::core::ops::ControlFlow::Continue(__defer_val) => __defer_val,
            ::core::ops::ControlFlow::Break(__defer_residual) => {
                return {
                    #[allow(unreachable_code, clippy::diverging_sub_expression)]
                    let mut __defer_exit = ::godefer::__private::Exit::returning(
                        &mut __defer_ret,
                        ::godefer::__private::FromResidual::from_residual(__defer_residual),
                        ::core::option::Option::Some(__defer_frame),
                    );
                    __defer_exit.run(&mut __defer_open_0);
                    __defer_exit.finish(|| {
                        #[allow(unused_imports)]
                        use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                        (&&::godefer::__private::Zero::<Result<u16, String>>::new())
                            .zero("parse_port")
                    })
                }
            }
        });
        {
            #[allow(unreachable_code, clippy::diverging_sub_expression)]
            let mut __defer_exit = ::godefer::__private::Exit::returning(
                &mut __defer_ret,
                Ok(port),
                ::core::option::Option::Some(__defer_frame),
            );
            __defer_exit.run(&mut __defer_open_0);
            __defer_exit.finish(|| {
                #[allow(unused_imports)]
                use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                (&&::godefer::__private::Zero::<Result<u16, String>>::new()).zero("parse_port")
            })
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
                    (&&::godefer::__private::Zero::<Result<u16, String>>::new()).zero("parse_port")
                })
            }
        }
    }
}
