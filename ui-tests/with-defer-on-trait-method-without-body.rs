// `#[with_defer]` on a trait method without a body: there is no body to
// rewrite. Put the attribute on the method in each impl, or on a default body.
use go_defer::with_defer;

trait Close {
    #[with_defer]
    fn close(&mut self);
}

fn main() {}
