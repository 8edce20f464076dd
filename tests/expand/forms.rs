// Each form of `defer!`: what is evaluated now and what runs at exit.
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

#[with_defer]
pub fn forms(conn: &Conn, n: u32) {
    defer!(trace("forms")());
    defer!(conn.close("place receiver, used at exit"));
    defer!(make_conn().close("other receiver, made now"));
    defer!(println!("n was {}", n));
    defer!(move || println!("closure saw {n}"));
    defer! {
        println!("block");
    }
}
