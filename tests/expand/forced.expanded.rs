use go_defer::{defer, with_defer};
pub fn open(early: bool) -> u32 {
    defer!(__go_defer_lowered);
    let mut __defer_open_0 = ::go_defer::__private::Slot::new();
    __defer_open_0.arm(|| {
        println!("first");
    });
    if early {
        return {
            let __ret = 1;
            #[allow(unreachable_code)]
            {
                __defer_open_0.run();
            }
            __ret
        };
    }
    let mut __defer_open_1 = ::go_defer::__private::Slot::new();
    __defer_open_1.arm(|| {
        println!("second");
    });
    {
        let __ret = 2;
        #[allow(unreachable_code)]
        {
            __defer_open_1.run();
            __defer_open_0.run();
        }
        __ret
    }
}
pub fn chain(early: bool) -> u32 {
    defer!(__go_defer_lowered);
    let mut __defer_stack_0 = ::go_defer::__private::Slot::new();
    ::go_defer::__private::deferproc_stack(&mut __defer_stack_0, || {
        println!("first");
    });
    if early {
        return {
            let __ret = 1;
            #[allow(unreachable_code)]
            ::go_defer::__private::deferreturn(&mut [&mut __defer_stack_0]);
            __ret
        };
    }
    let mut __defer_stack_1 = ::go_defer::__private::Slot::new();
    ::go_defer::__private::deferproc_stack(&mut __defer_stack_1, || {
        println!("second");
    });
    {
        let __ret = 2;
        #[allow(unreachable_code)]
        ::go_defer::__private::deferreturn(&mut [&mut __defer_stack_1, &mut __defer_stack_0]);
        __ret
    }
}
