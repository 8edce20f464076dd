use go_defer::{defer, with_defer};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

struct Conn { name: String, open: bool }
impl Conn {
    fn close(&mut self) { self.open = false; println!("close {}", self.name); }
    #[with_defer]
    fn work(&mut self, fail: bool) -> Result<usize, String> {
        let n = self.name.len();
        defer!(self.close());
        if fail { return Err("fail".into()); }
        Ok(n)
    }
    #[with_defer]
    fn by_value(self) -> String {
        defer!(println!("by_value done"));
        self.name
    }
}

#[with_defer]
fn generic<T: std::fmt::Debug + Clone>(x: T) -> impl std::fmt::Debug {
    defer!(println!("generic {:?}", x.clone()));
    vec![x.clone(), x.clone()]
}

#[with_defer]
async fn task(n: u32) -> u32 {
    defer!(println!("task {n} deferred"));
    let v = async { n * 2 }.await;
    v + 1
}

#[with_defer]
fn pat((a, b): (i32, i32), Conn { name, .. }: Conn) -> i32 {
    defer!(println!("pat {name}"));
    a + b
}

#[with_defer]
unsafe fn danger(p: *const i32) -> i32 {
    defer!(println!("danger"));
    unsafe { *p }
}

fn assert_send<T: Send>(_: &T) {}

fn main() {
    let mut c = Conn { name: "db".into(), open: true };
    println!("{:?}", c.work(false));
    println!("{:?} {}", c.work(true), c.open);
    println!("{}", Conn { name: "x".into(), open: true }.by_value());
    println!("{:?}", generic(3));
    let fut = task(4);
    assert_send(&fut);
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    println!("{:?}", fut.as_mut().poll(&mut cx));
    let dropped = task(5);
    drop(dropped);
    println!("{}", pat((1, 2), Conn { name: "p".into(), open: false }));
    let x = 5;
    println!("{}", unsafe { danger(&x) });
}
