//! `#[with_defer]` on every kind of function: free fns, methods (`self`,
//! `&self`, `&mut self`), associated fns, trait default and impl methods,
//! generic fns, `impl Trait` and `dyn` returns, `unsafe fn`, and patterns in
//! parameters. (`async fn` has its own file.)

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use std::cell::Cell;
use std::fmt::{Debug, Display};
use support::{say, trace};

trait Named {
    fn name(&self) -> String;

    fn greet(&self, loud: bool) -> String;

    fn describe(&self) -> String;
}

trait Shape: Debug {
    fn side(&self) -> u8;
}

#[derive(Debug)]
struct Square(u8);

impl Shape for Square {
    fn side(&self) -> u8 {
        self.0
    }
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        struct Conn {
            name: String,
            open: bool,
            uses: Cell<u32>,
        }

        impl Conn {
            fn new(name: &str) -> Self {
                Conn {
                    name: name.into(),
                    open: true,
                    uses: Cell::new(0),
                }
            }

            fn close(&mut self) {
                self.open = false;
                say(format!("close {}", self.name));
            }

            fn log_uses(&self) {
                say(format!("{} used {} times", self.name, self.uses.get()));
            }
        }

        #[with_defer($($s)?)]
        fn free_fn(a: i32, b: i32) -> i32 {
            defer!(say("free fn deferred"));
            a + b
        }

        #[test]
        fn free_function() {
            assert_eq!(trace(|| assert_eq!(free_fn(2, 3), 5)), ["free fn deferred"]);
        }

        impl Conn {
            #[with_defer($($s)?)]
            fn work(&mut self, fail: bool) -> Result<usize, String> {
                let n = self.name.len();
                defer!(self.close());
                if fail {
                    return Err("fail".into());
                }
                Ok(n)
            }

            #[with_defer($($s)?)]
            fn read(&self) -> usize {
                defer!(self.log_uses());
                self.uses.set(self.uses.get() + 1);
                self.name.len()
            }

            #[with_defer($($s)?)]
            fn into_name(self) -> String {
                defer!(say("into_name deferred"));
                self.name
            }

            #[with_defer($($s)?)]
            fn consume_in_defer(self) {
                say("consuming");
                defer!(drop(self));
            }

            #[with_defer($($s)?)]
            fn associated(name: &str) -> Self {
                defer!(say(format!("built {name}")));
                Conn::new(name)
            }

            #[with_defer($($s)?)]
            fn borrowed_name(&self, suffix: &str) -> &str {
                defer!(say(format!("borrowed {suffix}")));
                &self.name
            }
        }

        #[test]
        fn mut_self_method() {
            let mut c = Conn::new("db");
            assert_eq!(trace(|| assert_eq!(c.work(false), Ok(2))), ["close db"]);
            assert!(!c.open);
            c.open = true;
            assert_eq!(trace(|| assert_eq!(c.work(true), Err("fail".into()))), ["close db"]);
            assert!(!c.open);
        }

        #[test]
        fn ref_self_method() {
            let c = Conn::new("cache");
            assert_eq!(trace(|| assert_eq!(c.read(), 5)), ["cache used 1 times"]);
            assert_eq!(trace(|| assert_eq!(c.read(), 5)), ["cache used 2 times"]);
        }

        #[test]
        fn by_value_self_method() {
            assert_eq!(
                trace(|| assert_eq!(Conn::new("x").into_name(), "x")),
                ["into_name deferred"]
            );
            assert_eq!(trace(|| Conn::new("y").consume_in_defer()), ["consuming"]);
        }

        #[test]
        fn associated_fn_and_borrowed_return() {
            let c = trace(|| assert_eq!(Conn::associated("q").name, "q"));
            assert_eq!(c, ["built q"]);
            let conn = Conn::new("long name");
            assert_eq!(
                trace(|| assert_eq!(conn.borrowed_name("!"), "long name")),
                ["borrowed !"]
            );
        }

        struct Person(&'static str);

        impl Named for Person {
            #[with_defer($($s)?)]
            fn name(&self) -> String {
                defer!(say("trait impl method deferred"));
                self.0.to_string()
            }

            #[with_defer($($s)?)]
            fn greet(&self, loud: bool) -> String {
                defer!(say("greet deferred"));
                if loud {
                    return format!("HELLO {}", self.name().to_uppercase());
                }
                format!("hello {}", self.name())
            }

            #[with_defer($($s)?)]
            fn describe(&self) -> String {
                defer!(say("describe deferred"));
                format!("person {}", self.0)
            }
        }

        trait Greeter {
            fn who(&self) -> &'static str;

            #[with_defer($($s)?)]
            fn hello(&self) -> String {
                defer!(say(format!("default method deferred for {}", self.who())));
                format!("hi {}", self.who())
            }
        }

        impl Greeter for Person {
            fn who(&self) -> &'static str {
                self.0
            }
        }

        #[test]
        fn trait_impl_and_default_methods() {
            let p = Person("ann");
            assert_eq!(trace(|| assert_eq!(p.name(), "ann")), ["trait impl method deferred"]);
            assert_eq!(
                trace(|| assert_eq!(p.greet(true), "HELLO ANN")),
                ["trait impl method deferred", "greet deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(p.greet(false), "hello ann")),
                ["trait impl method deferred", "greet deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(p.hello(), "hi ann")),
                ["default method deferred for ann"]
            );
            let dynamic: &dyn Named = &p;
            assert_eq!(
                trace(|| assert_eq!(dynamic.describe(), "person ann")),
                ["describe deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn generic<T: Debug + Clone, const N: usize>(x: T) -> [T; N]
        where
            [T; N]: Debug,
        {
            defer!(say(format!("generic {:?} x {N}", x.clone())));
            std::array::from_fn(|_| x.clone())
        }

        #[with_defer($($s)?)]
        fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
            defer!(say(format!("compared {a} and {b}")));
            if a.len() >= b.len() {
                a
            } else {
                b
            }
        }

        #[test]
        fn generic_and_lifetime_functions() {
            assert_eq!(
                trace(|| assert_eq!(generic::<_, 3>('z'), ['z'; 3])),
                ["generic 'z' x 3"]
            );
            assert_eq!(
                trace(|| assert_eq!(longest("ab", "abc"), "abc")),
                ["compared ab and abc"]
            );
        }

        #[with_defer($($s)?)]
        fn impl_trait(n: u32) -> impl Iterator<Item = u32> + Debug {
            defer!(say("impl Trait deferred"));
            if n == 0 {
                return Vec::new().into_iter();
            }
            (0..n).collect::<Vec<_>>().into_iter()
        }

        #[with_defer($($s)?)]
        fn impl_display(v: bool) -> impl Display {
            defer!(say("impl Display deferred"));
            if v {
                "yes"
            } else {
                "no"
            }
        }

        #[test]
        fn impl_trait_returns() {
            assert_eq!(
                trace(|| assert_eq!(impl_trait(3).collect::<Vec<_>>(), [0, 1, 2])),
                ["impl Trait deferred"]
            );
            assert_eq!(trace(|| assert_eq!(impl_trait(0).count(), 0)), ["impl Trait deferred"]);
            assert_eq!(
                trace(|| assert_eq!(impl_display(true).to_string(), "yes")),
                ["impl Display deferred"]
            );
        }

        #[with_defer($($s)?)]
        fn dyn_return(n: u8, early: bool) -> Box<dyn Shape> {
            defer!(say("dyn deferred"));
            if early {
                return Box::new(Square(0));
            }
            Box::new(Square(n))
        }

        #[with_defer($($s)?)]
        fn deref_coercion(s: &String) -> &str {
            defer!(say("coerced"));
            s
        }

        #[test]
        fn coercions_at_the_return_site() {
            assert_eq!(
                trace(|| assert_eq!(dyn_return(4, false).side(), 4)),
                ["dyn deferred"]
            );
            assert_eq!(
                trace(|| assert_eq!(dyn_return(4, true).side(), 0)),
                ["dyn deferred"]
            );
            let s = String::from("owned");
            assert_eq!(trace(|| assert_eq!(deref_coercion(&s), "owned")), ["coerced"]);
        }

        #[with_defer($($s)?)]
        unsafe fn read_raw(p: *const i32) -> i32 {
            defer!(say("unsafe fn deferred"));
            // SAFETY: the caller passes a pointer to a live i32.
            let v = unsafe { *p };
            v + 1
        }

        #[with_defer($($s)?)]
        unsafe fn deferred_unsafe_call(p: *mut i32) {
            // SAFETY: the caller passes a pointer to a live i32, not aliased
            // until this function returns.
            defer!(unsafe { *p = 99 });
            say("unsafe body");
        }

        unsafe fn release(p: *mut i32) {
            // SAFETY: the caller passes a valid pointer.
            unsafe { *p += 1 };
            say("released");
        }

        #[with_defer($($s)?)]
        fn defer_unsafe_call_in_safe_fn(x: &mut i32) {
            let p: *mut i32 = x;
            // SAFETY: `p` points to `*x`, which outlives this call and is not
            // used through `x` until the deferred call has run.
            unsafe {
                defer!(release(p));
            }
            say("body");
        }

        #[test]
        fn unsafe_functions() {
            let x = 41;
            // SAFETY: `x` is alive for the call.
            assert_eq!(trace(|| assert_eq!(unsafe { read_raw(&x) }, 42)), ["unsafe fn deferred"]);
            let mut y = 0;
            // SAFETY: `y` is alive and not otherwise used during the call.
            assert_eq!(trace(|| unsafe { deferred_unsafe_call(&mut y) }), ["unsafe body"]);
            assert_eq!(y, 99);
            let mut z = 0;
            assert_eq!(trace(|| defer_unsafe_call_in_safe_fn(&mut z)), ["body", "released"]);
            assert_eq!(z, 1);
        }

        struct Pair {
            left: i32,
            right: String,
        }

        #[with_defer($($s)?)]
        fn patterns(
            (a, b): (i32, i32),
            Pair { left, right }: Pair,
            [first, .., last]: [u8; 4],
            mut counter: u32,
            _: &str,
            &deref: &i32,
        ) -> i32 {
            defer!(say(format!("patterns {right} {counter}")));
            counter += 1;
            say(format!("counter now {counter}"));
            a + b + left + i32::from(first) + i32::from(last) + deref
        }

        #[test]
        fn patterns_in_parameters() {
            let pair = Pair {
                left: 100,
                right: "r".into(),
            };
            assert_eq!(
                trace(|| assert_eq!(patterns((1, 2), pair, [3, 0, 0, 4], 7, "ignored", &1000), 1110)),
                ["counter now 8", "patterns r 7"]
            );
        }

        struct Node(u8);

        impl Node {
            #[with_defer($($s)?)]
            fn boxed(self: Box<Self>) -> Box<Self> {
                defer!(say(format!("box self deferred {}", self.0)));
                self
            }

            #[with_defer($($s)?)]
            fn pinned(self: std::pin::Pin<&mut Self>) -> u8 {
                defer!(say("pin self deferred"));
                self.0 + 1
            }

            #[with_defer($($s)?)]
            fn shared(self: std::rc::Rc<Self>) -> usize {
                defer!(say(format!("rc self deferred, count {}", std::rc::Rc::strong_count(&self))));
                std::rc::Rc::strong_count(&self)
            }
        }

        #[test]
        fn arbitrary_self_types() {
            assert_eq!(trace(|| assert_eq!(Box::new(Node(3)).boxed().0, 3)), ["box self deferred 3"]);
            let mut node = Node(4);
            assert_eq!(
                trace(|| assert_eq!(std::pin::Pin::new(&mut node).pinned(), 5)),
                ["pin self deferred"]
            );
            let rc = std::rc::Rc::new(Node(0));
            assert_eq!(
                trace(|| assert_eq!(std::rc::Rc::clone(&rc).shared(), 2)),
                ["rc self deferred, count 2"]
            );
        }

        trait Source {
            fn items(&self) -> impl Iterator<Item = u8>;
        }

        impl Source for Node {
            #[with_defer($($s)?)]
            fn items(&self) -> impl Iterator<Item = u8> {
                defer!(say("impl Trait in trait deferred"));
                0..self.0
            }
        }

        #[test]
        fn impl_trait_in_trait_method() {
            assert_eq!(
                trace(|| assert_eq!(Node(3).items().collect::<Vec<_>>(), [0, 1, 2])),
                ["impl Trait in trait deferred"]
            );
        }

        #[with_defer($($s)?)]
        pub(crate) extern "C" fn extern_c(x: i32) -> i32 {
            defer!(say("extern C deferred"));
            x * 2
        }

        #[test]
        fn extern_abi_and_visibility() {
            assert_eq!(trace(|| assert_eq!(extern_c(21), 42)), ["extern C deferred"]);
        }

        #[with_defer($($s)?)]
        #[inline]
        #[must_use]
        fn attributed() -> u8 {
            defer!(say("attributed deferred"));
            1
        }

        #[test]
        fn other_attributes_are_kept() {
            assert_eq!(trace(|| assert_eq!(attributed(), 1)), ["attributed deferred"]);
        }
    };
}

for_each_lowering!(suite);
