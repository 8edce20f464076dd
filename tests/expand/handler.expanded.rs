use godefer::{defer, recover, with_defer};
pub fn handle_panic(name: &str) {
    let __defer_handler = ::godefer::__private::Handler::enter();
    if let Some(panic) = {
        #[allow(unused_imports)]
        use ::godefer::__private::{HandlerOther as _, HandlerRecover as _};
        (&&::godefer::__private::Resolve(recover)).handler(&__defer_handler, "handle_panic")
    } {
        println!("{name}: recovered {panic}");
    }
}
pub fn parse_port(text: &str) -> u16 {
    defer!(__godefer_lowered);
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    let mut __defer_open_1 = ::godefer::__private::Slot::new();
    match ::godefer::__private::catch_offering(|| {
        {
            let __defer_args = ::godefer::__private::Args((handle_panic, "parse_port"));
            __defer_open_0.arm(|| {
                #[allow(unused_mut)]
                let (mut __defer_callee, __defer_arg_0) = __defer_args.into_inner();
                __defer_callee(__defer_arg_0);
            });
        }
        __defer_open_1.arm(|| {
            println!("parse_port done");
        });
        let port: u16 = text.parse().expect("a port number");
        {
            #[allow(clippy::diverging_sub_expression)]
            let __defer_ret = port;
            #[allow(unreachable_code)]
            {
                __defer_open_1.run();
                __defer_open_0.run();
            }
            __defer_ret
        }
    }) {
        ::core::result::Result::Ok(__defer_value) => __defer_value,
        ::core::result::Result::Err(__defer_panic) => {
            ::godefer::__private::handle_offering(__defer_panic, move || {
                __defer_open_1.run();
                ::godefer::__private::offered(&mut __defer_open_0);
            });
            {
                {
                    #[allow(unused_imports)]
                    use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                    (&&::godefer::__private::Zero::<u16>::new()).zero("parse_port")
                }
            }
        }
    }
}
