use godefer::{defer, with_defer};
pub fn parse_port(text: &str) -> Result<u16, String> {
    defer!(__godefer_lowered);
    let __defer_results = &::godefer::__private::Results::<Result<u16, String>>::new();
    let __defer_zero = || {
        #[allow(unused_imports)]
        use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
        (&&::godefer::__private::Zero::<Result<u16, String>>::new()).zero("parse_port")
    };
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    __defer_open_0.arm(::godefer::__private::WithRet::new(__defer_results, |ret| {
        if let Some(Err(e)) = ret {
            *e = format!("parse_port({text:?}): {e}");
        }
    }));
    let port: u16 = (match ::godefer::__private::Branch::branch(
        text.trim().parse().map_err(|e| format!("{e}")),
    ) {
        ::core::ops::ControlFlow::Continue(__defer_val) => __defer_val,
        ::core::ops::ControlFlow::Break(__defer_residual) => {
            return {
                #[allow(clippy::diverging_sub_expression)]
                let __defer_value =
                    ::godefer::__private::FromResidual::from_residual(__defer_residual);
                #[allow(unreachable_code)]
                let __defer_left = __defer_results.returning(__defer_value, || {
                    #[allow(unreachable_code)]
                    {
                        __defer_open_0.run();
                    }
                });
                __defer_left.unwrap_or_else(__defer_zero)
            }
        }
    });
    {
        #[allow(clippy::diverging_sub_expression)]
        let __defer_value = Ok(port);
        #[allow(unreachable_code)]
        let __defer_left = __defer_results.returning(__defer_value, || {
            #[allow(unreachable_code)]
            {
                __defer_open_0.run();
            }
        });
        __defer_left.unwrap_or_else(__defer_zero)
    }
}
