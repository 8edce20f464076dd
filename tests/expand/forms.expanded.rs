use godefer::{defer, with_defer};
use std::cell::Cell;
pub struct Conn {
    pub open: Cell<bool>,
}
impl Conn {
    fn close(&self, why: &str) {
        self.open.set(false);
        println!("close: {why}");
    }
}
fn trace(name: &str) -> impl FnOnce() + '_ {
    println!("enter {name}");
    move || println!("leave {name}")
}
pub fn make_conn() -> Conn {
    Conn {
        open: Cell::new(true),
    }
}
pub fn forms(conn: &Conn, n: u32) {
    defer!(__godefer_lowered);
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    let mut __defer_open_1 = ::godefer::__private::Slot::new();
    let mut __defer_open_2 = ::godefer::__private::Slot::new();
    let mut __defer_open_3 = ::godefer::__private::Slot::new();
    let mut __defer_open_4 = ::godefer::__private::Slot::new();
    let mut __defer_open_5 = ::godefer::__private::Slot::new();
    match ::godefer::__private::catch_offering(|| {
        {
            let __defer_args = ::godefer::__private::Args((trace("forms"),));
            __defer_open_0.arm(|| {
                #[allow(unused_mut)]
                let (mut __defer_callee,) = __defer_args.into_inner();
                __defer_callee();
            });
        }
        {
            let __defer_args = ::godefer::__private::Args(("place receiver, used at exit",));
            __defer_open_1.arm(|| {
                #[allow(unused_mut)]
                let (__defer_arg_0,) = __defer_args.into_inner();
                conn.close(__defer_arg_0);
            });
        }
        {
            let __defer_args =
                ::godefer::__private::Args((make_conn(), "other receiver, made now"));
            __defer_open_2.arm(|| {
                #[allow(unused_mut)]
                let (mut __defer_receiver, __defer_arg_0) = __defer_args.into_inner();
                __defer_receiver.close(__defer_arg_0);
            });
        }
        __defer_open_3.arm(|| {
            println!("n was {}", n);
        });
        {
            #[allow(unused_mut)]
            let mut __defer_fn = move || println!("closure saw {n}");
            __defer_open_4.arm(move || {
                __defer_fn();
            });
        }
        __defer_open_5.arm(|| {
            println!("block");
        });
        #[allow(unreachable_code)]
        {
            __defer_open_5.run();
            __defer_open_4.run();
            __defer_open_3.run();
            __defer_open_2.run();
            __defer_open_1.run();
            __defer_open_0.run();
        }
    }) {
        ::core::result::Result::Ok(__defer_value) => __defer_value,
        ::core::result::Result::Err(__defer_panic) => {
            ::godefer::__private::handle_offering(__defer_panic, move || {
                __defer_open_5.run();
                __defer_open_4.run();
                __defer_open_3.run();
                ::godefer::__private::offered(&mut __defer_open_2);
                ::godefer::__private::offered(&mut __defer_open_1);
                ::godefer::__private::offered(&mut __defer_open_0);
            });
            {
                {
                    #[allow(unused_imports)]
                    use ::godefer::__private::{ZeroByDefault as _, ZeroByPanic as _};
                    (&&::godefer::__private::Zero::<()>::new()).zero("forms")
                }
            }
        }
    }
}
