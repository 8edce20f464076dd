use godefer::{defer, with_defer};
pub fn open(early: bool) -> u32 {
    defer!(__godefer_lowered);
    let mut __defer_open_0 = ::godefer::__private::Slot::new();
    __defer_open_0.arm(|| {
        println!("first");
    });
    if early {
        return {
            #[allow(clippy::diverging_sub_expression)]
            let __defer_ret = 1;
            #[allow(unreachable_code)]
            {
                __defer_open_0.run();
            }
            __defer_ret
        };
    }
    let mut __defer_open_1 = ::godefer::__private::Slot::new();
    __defer_open_1.arm(|| {
        println!("second");
    });
    {
        #[allow(clippy::diverging_sub_expression)]
        let __defer_ret = 2;
        #[allow(unreachable_code)]
        {
            __defer_open_1.run();
            __defer_open_0.run();
        }
        __defer_ret
    }
}
pub fn chain(early: bool) -> u32 {
    defer!(__godefer_lowered);
    let mut __defer_stack_0 = ::godefer::__private::Slot::new();
    ::godefer::__private::deferproc_stack(&mut __defer_stack_0, || {
        println!("first");
    });
    if early {
        return {
            #[allow(clippy::diverging_sub_expression)]
            let __defer_ret = 1;
            #[allow(unreachable_code)]
            ::godefer::__private::deferreturn(&mut [&mut __defer_stack_0]);
            __defer_ret
        };
    }
    let mut __defer_stack_1 = ::godefer::__private::Slot::new();
    ::godefer::__private::deferproc_stack(&mut __defer_stack_1, || {
        println!("second");
    });
    {
        #[allow(clippy::diverging_sub_expression)]
        let __defer_ret = 2;
        #[allow(unreachable_code)]
        ::godefer::__private::deferreturn(&mut [&mut __defer_stack_1, &mut __defer_stack_0]);
        __defer_ret
    }
}
