use godefer::{defer, with_defer};
fn show(tag: &str, i: u32) {
    println!("{tag}{i}");
}
pub fn interleave(n: u32) {
    #[allow(non_camel_case_types, clippy::enum_variant_names)]
    enum __DeferSites0<__S0, __S1> {
        At0(__S0),
        At1(__S1),
    }
    impl<__S0: ::godefer::__private::Call, __S1: ::godefer::__private::Call>
        ::godefer::__private::Call for __DeferSites0<__S0, __S1>
    {
        #[inline]
        fn call(self) {
            match self {
                Self::At0(__defer_f) => ::godefer::__private::Call::call(__defer_f),
                Self::At1(__defer_f) => ::godefer::__private::Call::call(__defer_f),
            }
        }
    }
    defer!(__godefer_lowered);
    let mut __defer_loop_0 = ::godefer::__private::DeferStack::new();
    match ::godefer::__private::catch_offering(|| {
        for i in 0..n {
            {
                let __defer_args = ::godefer::__private::Args((show, "a", i));
                ::godefer::__private::lints::defer_in_loop();
                ::godefer::__private::deferproc(
                    &mut __defer_loop_0,
                    __DeferSites0::At0(|| {
                        #[allow(unused_mut)]
                        let (mut __defer_callee, __defer_arg_0, __defer_arg_1) =
                            __defer_args.into_inner();
                        __defer_callee(__defer_arg_0, __defer_arg_1);
                    }),
                );
            }
            if i % 2 == 0 {
                {
                    #[allow(unused_mut)]
                    let mut __defer_fn = move || show("b", i);
                    ::godefer::__private::lints::defer_in_loop();
                    ::godefer::__private::deferproc(
                        &mut __defer_loop_0,
                        __DeferSites0::At1(move || {
                            __defer_fn();
                        }),
                    );
                }
            }
        }
        #[allow(unreachable_code)]
        ::godefer::__private::deferreturn(&mut [&mut __defer_loop_0]);
    }) {
        ::core::result::Result::Ok(__defer_value) => __defer_value,
        ::core::result::Result::Err(__defer_panic) => {
            ::godefer::__private::handle_offering(__defer_panic, move || {
                ::godefer::__private::offered(&mut __defer_loop_0);
            });
            {
                {
                    #[allow(unused_imports)]
                    use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                    (&&::godefer::__private::Zero::<()>::new()).zero("interleave")
                }
            }
        }
    }
}
