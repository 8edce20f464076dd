use godefer::{defer, with_defer};
fn remove(part: &str) {
    println!("removed {part}");
}
pub fn copy(parts: &[&str], limit: usize) -> Result<usize, String> {
    defer!(__godefer_lowered);
    let mut __defer_stack_0 = ::godefer::__private::Slot::new();
    ::godefer::__private::deferproc_stack(&mut __defer_stack_0, || {
        println!("copy done");
    });
    let mut __defer_loop_1 = ::godefer::__private::DeferStack::new();
    match ::godefer::__private::catch_offering(|| {
        for (i, part) in parts.iter().enumerate() {
            {
                let __defer_args = ::godefer::__private::Args((remove, part));
                ::godefer::__private::lints::defer_in_loop();
                ::godefer::__private::deferproc(&mut __defer_loop_1, || {
                    #[allow(unused_mut)]
                    let (mut __defer_callee, __defer_arg_0) = __defer_args.into_inner();
                    __defer_callee(__defer_arg_0);
                });
            }
            if i == limit {
                return {
                    #[allow(clippy::diverging_sub_expression)]
                    let __defer_ret = Err(format!("stopped at {part}"));
                    #[allow(unreachable_code)]
                    ::godefer::__private::deferreturn(&mut [
                        &mut __defer_loop_1,
                        &mut __defer_stack_0,
                    ]);
                    __defer_ret
                };
            }
        }
        let n: usize = (match ::godefer::__private::Branch::branch(
            parts.len().to_string().parse().map_err(|_| "bad count"),
        ) {
            ::core::ops::ControlFlow::Continue(__defer_val) => __defer_val,
            ::core::ops::ControlFlow::Break(__defer_residual) => {
                return {
                    #[allow(clippy::diverging_sub_expression)]
                    let __defer_ret =
                        ::godefer::__private::FromResidual::from_residual(__defer_residual);
                    #[allow(unreachable_code)]
                    ::godefer::__private::deferreturn(&mut [
                        &mut __defer_loop_1,
                        &mut __defer_stack_0,
                    ]);
                    __defer_ret
                }
            }
        });
        {
            #[allow(clippy::diverging_sub_expression)]
            let __defer_ret = Ok(n);
            #[allow(unreachable_code)]
            ::godefer::__private::deferreturn(&mut [&mut __defer_loop_1, &mut __defer_stack_0]);
            __defer_ret
        }
    }) {
        ::core::result::Result::Ok(__defer_value) => __defer_value,
        ::core::result::Result::Err(__defer_panic) => {
            ::godefer::__private::handle_offering(__defer_panic, move || {
                ::godefer::__private::offered(&mut __defer_loop_1);
            });
            {
                #[allow(unreachable_code)]
                ::godefer::__private::deferreturn(&mut [&mut __defer_stack_0]);
                {
                    #[allow(unused_imports)]
                    use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                    (&&::godefer::__private::Zero::<Result<usize, String>>::new()).zero("copy")
                }
            }
        }
    }
}
