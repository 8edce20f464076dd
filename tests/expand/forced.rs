// The same function under each lowering forced by the attribute.
use godefer::{defer, with_defer};

#[with_defer(open_coded)]
pub fn open(early: bool) -> u32 {
    defer!(println!("first"));
    if early {
        return 1;
    }
    defer!(println!("second"));
    2
}

#[with_defer(chain)]
pub fn chain(early: bool) -> u32 {
    defer!(println!("first"));
    if early {
        return 1;
    }
    defer!(println!("second"));
    2
}
