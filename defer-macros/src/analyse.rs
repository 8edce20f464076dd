//! The first walk over the body: where the defer sites are (which top-level
//! statement, which loop), how many exits the function has, and every misplaced
//! `defer!`. Nothing is rewritten here.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::{Block, Expr, Signature, Stmt};

use crate::error::{Errors, format_err};
use crate::inner_macros;
use crate::site::{self, Form};

/// One `defer!` of the function, in source order.
pub(crate) struct Site {
    /// Index of the top-level statement of the body that contains it.
    pub stmt: usize,
    /// The outermost loop around it, numbered across the function. A match
    /// guard of an or-pattern counts as one: it runs once per alternative
    /// that matches, so its sites can run more than once per call.
    pub loop_id: Option<usize>,
    /// It repeats only because of a match guard: no loop is around it.
    pub in_guard: bool,
    /// The `defer!` invocation, for messages.
    pub tokens: TokenStream,
    /// Its `defer` path, where generated code about it is reported.
    pub span: proc_macro2::Span,
    /// `defer!(|ret| ..)`: the closure gets the result slot.
    pub result_form: bool,
    /// A result form whose parameter has no type written.
    pub result_unannotated: bool,
    /// Its deferred code calls `recover()` directly.
    pub recovers: bool,
    /// Its callee may be a handler that calls `recover()` itself
    /// (`site::may_reach_handler`).
    pub offers: bool,
}

/// What the body holds.
pub(crate) struct Analysis {
    pub sites: Vec<Site>,
    /// Return paths: `return`, `?`, and the end of the body.
    pub exits: usize,
    /// Calls of macros that may hide an exit, in the function's own code.
    pub opaque_macros: Vec<OpaqueMacro>,
    /// The first top-level statement that declares a local (a `let`, or a
    /// macro that may expand to one): a catch after it would run the code
    /// that uses the local in a closure, which changes when the local drops
    /// if that code may move it, and cannot initialise a `let x;`.
    pub first_local: Option<usize>,
    /// The fn is `#[track_caller]`: a closure around its statements would
    /// make `Location::caller()` there the closure's (set by `expand`).
    pub track_caller: bool,
    pub errors: Errors,
}

/// A call of a macro that may expand to a `return` or `?` the walk cannot
/// see (`anyhow::bail!`, a user's `macro_rules!`).
pub(crate) struct OpaqueMacro {
    /// The call, for messages.
    pub tokens: TokenStream,
    /// A `?` or `return` written in its arguments.
    pub visible_exit: bool,
    /// A `break` or `continue` in its arguments that leaves a loop around it.
    pub jump: Option<TokenStream>,
}

/// Macros that never declare a local, as statements: printing and asserting.
const DECLARE_NOTHING: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "print",
    "println",
    "write",
    "writeln",
];

/// Whether a top-level statement may declare a local for the statements after
/// it: a `let`, a `macro_rules!`, a macro call other than `defer!` and those
/// of [`DECLARE_NOTHING`].
pub(crate) fn declares_local(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Local(_) => true,
        Stmt::Item(item) => matches!(item, syn::Item::Macro(_)),
        Stmt::Macro(m) => {
            let name = m.mac.path.segments.last().map(|s| s.ident.to_string());
            !site::is_defer(&m.mac) && !DECLARE_NOTHING.contains(&name.as_deref().unwrap_or(""))
        }
        Stmt::Expr(..) => false,
    }
}

/// How control can leave the body at its end.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The last statement is the tail expression that gives the return value.
    Tail,
    /// A unit function runs off its last statement.
    FallsOff,
    /// A unit function ends with an expression: a statement like any other,
    /// then the function runs off its end.
    UnitTail,
    /// The last statement leaves by itself (`return ..;`) or the body can only
    /// end through a diverging expression.
    Diverges,
}

/// Where the walk is: the function's own code, or code that runs elsewhere.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Body,
    Closure,
    AsyncBlock,
    ConstBlock,
    /// The parts of a `defer!` evaluated at the defer statement.
    DeferArgs,
    /// The deferred code of a `defer!`, run at exit: where `recover()` is
    /// called directly by the deferred function. `closure`: the body of the
    /// user's own closure (`defer!(|| ..)`), which may use `?` for itself.
    Deferred {
        closure: bool,
    },
}

struct Analyse {
    stmt: usize,
    place: Place,
    current_loop: Option<usize>,
    /// Inside a repeating match guard, with no loop around the walk.
    current_is_guard: bool,
    loops: usize,
    /// The macro whose arguments are being walked, if any.
    macro_args: Option<String>,
    sites: Vec<Site>,
    exits: usize,
    opaque_macros: Vec<OpaqueMacro>,
    /// Direct `recover()` calls seen so far.
    recover_calls: usize,
    errors: Errors,
}

// body  ->  sites with their statement and loop, exit count, misuse errors
pub(crate) fn body(block: &Block, sig: &Signature) -> Analysis {
    let mut walk = Analyse {
        stmt: 0,
        place: Place::Body,
        current_loop: None,
        current_is_guard: false,
        loops: 0,
        macro_args: None,
        recover_calls: 0,
        sites: Vec::new(),
        exits: usize::from(end(block, sig) != End::Diverges),
        opaque_macros: Vec::new(),
        errors: Errors::default(),
    };
    for (index, stmt) in block.stmts.iter().enumerate() {
        walk.stmt = index;
        walk.visit_stmt(stmt);
    }
    let first_local = block.stmts.iter().position(declares_local);
    Analysis {
        sites: walk.sites,
        exits: walk.exits,
        opaque_macros: walk.opaque_macros,
        first_local,
        track_caller: false,
        errors: walk.errors,
    }
}

/// How the body ends.
pub(crate) fn end(block: &Block, sig: &Signature) -> End {
    match block.stmts.last() {
        Some(stmt) if is_tail(stmt) && returns_unit(sig) => End::UnitTail,
        Some(stmt) if is_tail(stmt) => End::Tail,
        Some(Stmt::Expr(Expr::Return(_), Some(_))) => End::Diverges,
        _ if returns_unit(sig) => End::FallsOff,
        _ => End::Diverges,
    }
}

/// The last statement, with no semicolon, that gives the block its value. A
/// macro call counts whatever its delimiter: `m! { .. }` at the end of a body
/// gives the body its value as `m!(..)` does.
pub(crate) fn is_tail(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Expr(_, semi) => semi.is_none(),
        Stmt::Macro(mac) => mac.semi_token.is_none(),
        Stmt::Local(_) | Stmt::Item(_) => false,
    }
}

/// The type the function returns (`()` when none is written), when code in
/// its body can name it: not when it holds an `impl Trait`.
pub(crate) fn return_type(sig: &Signature) -> Option<syn::Type> {
    let ty = match &sig.output {
        syn::ReturnType::Default => return Some(syn::parse_quote!(())),
        syn::ReturnType::Type(_, ty) => &**ty,
    };
    struct ImplTrait(bool);
    impl<'ast> Visit<'ast> for ImplTrait {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut found = ImplTrait(false);
    found.visit_type(ty);
    (!found.0).then(|| ty.clone())
}

fn returns_unit(sig: &Signature) -> bool {
    match &sig.output {
        syn::ReturnType::Default => true,
        syn::ReturnType::Type(_, ty) => matches!(&**ty, syn::Type::Tuple(t) if t.elems.is_empty()),
    }
}

impl Analyse {
    fn within(&mut self, place: Place, f: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.place, place);
        f(self);
        self.place = outer;
    }

    fn site(&mut self, mac: &syn::Macro) {
        if let Some(message) = self.misplaced() {
            self.errors.push(format_err!(mac, "{}", message));
            return;
        }
        if let Some(name) = &self.macro_args {
            self.errors.push(format_err!(
                mac,
                "`defer!` is a statement, not a value to pass to `{name}!`: write it on its own line"
            ));
            return;
        }
        let mut form = match site::parse(mac) {
            Ok(form) => form,
            Err(error) => return self.errors.push(error),
        };
        let id = self.sites.len();
        self.sites.push(Site {
            stmt: self.stmt,
            loop_id: self.current_loop,
            in_guard: self.current_is_guard,
            tokens: mac.to_token_stream(),
            span: syn::spanned::Spanned::span(&mac.path),
            result_form: site::result_closure(&form).is_some(),
            result_unannotated: site::result_closure(&form)
                .is_some_and(|c| !matches!(c.inputs[0], syn::Pat::Type(_))),
            recovers: false,
            offers: site::may_reach_handler(&form),
        });
        self.walk_form(&mut form, id);
    }

    // the parts of a site  ->  walked in their place: arguments as code run now,
    // the deferred code (and the body of the user's closure) as code run at exit
    fn walk_form(&mut self, form: &mut Form, id: usize) {
        let recovers_before = self.recover_calls;
        if let Form::Closure(Expr::Closure(closure)) = form {
            for input in &closure.inputs {
                self.visit_pat(input);
            }
            let body = &closure.body;
            self.within(Place::Deferred { closure: true }, |walk| {
                walk.visit_expr(body)
            });
        }
        let (now, later) = form.parts_mut();
        for expr in now {
            self.within(Place::DeferArgs, |walk| walk.visit_expr(expr));
        }
        for expr in later {
            self.within(Place::Deferred { closure: false }, |walk| {
                walk.visit_expr(expr)
            });
        }
        self.sites[id].recovers = self.recover_calls > recovers_before;
    }

    // `recover()` found here  ->  counted if the deferred function calls it
    // directly (the function then gets a frame and a catch); elsewhere it is
    // lowered to a check that rejects the library's `recover` by its type
    fn recover_call(&mut self) {
        if let Place::Deferred { .. } = self.place {
            self.recover_calls += 1;
        }
    }

    /// Why a `defer!` cannot stand here, if it cannot.
    fn misplaced(&self) -> Option<&'static str> {
        Some(match self.place {
            Place::Body => return None,
            Place::Closure => {
                "`defer!` inside a closure: a closure has no deferred calls of its own, and this one would not be tied to the function's exit. Move the `defer!` out of the closure, or move the closure's work into a nested `fn` marked `#[with_defer]` (Go's func literal with its own defer)"
            }
            Place::AsyncBlock => {
                "`defer!` inside an async block: the block is a separate future that may run after the function has returned. Move the `defer!` out of the block, or make the block's work an `async fn` marked `#[with_defer]`"
            }
            Place::ConstBlock => {
                "`defer!` inside a const block: const evaluation cannot run deferred calls"
            }
            Place::DeferArgs | Place::Deferred { .. } => {
                "`defer!` inside another `defer!`: a deferred call cannot defer; write the two `defer!` statements one after the other"
            }
        })
    }

    fn exit(&mut self) {
        if matches!(self.place, Place::Body | Place::DeferArgs) {
            self.exits += 1;
        }
    }

    fn in_loop(&mut self, f: impl FnOnce(&mut Self)) {
        self.repeating(false, f);
    }

    // a loop body or a guard that can run more than once  ->  its sites get
    // one loop id (the outermost such construct's) and whether that is a guard
    fn repeating(&mut self, guard: bool, f: impl FnOnce(&mut Self)) {
        let (outer, outer_is_guard) = (self.current_loop, self.current_is_guard);
        if outer.is_none() && self.place == Place::Body {
            self.current_loop = Some(self.loops);
            self.current_is_guard = guard;
            self.loops += 1;
        } else if !guard {
            self.current_is_guard = false; // a loop inside a guard is a loop
        }
        f(self);
        self.current_loop = outer;
        self.current_is_guard = outer_is_guard;
    }
}

impl<'ast> Visit<'ast> for Analyse {
    fn visit_item(&mut self, _: &'ast syn::Item) {
        // A nested item is its own function: its defers are its own, under its own attribute.
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.within(Place::Closure, |walk| {
            visit::visit_expr_closure(walk, closure)
        });
    }

    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        self.within(Place::AsyncBlock, |walk| {
            visit::visit_expr_async(walk, block)
        });
    }

    fn visit_expr_const(&mut self, block: &'ast syn::ExprConst) {
        self.within(Place::ConstBlock, |walk| {
            visit::visit_expr_const(walk, block)
        });
    }

    fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
        // `place = value` evaluates the value first: sites are numbered in
        // execution order, which is the order their records are declared in.
        self.visit_expr(&assign.right);
        self.visit_expr(&assign.left);
    }

    fn visit_pat_guard(&mut self, guarded: &'ast syn::PatGuard) {
        // Rust runs the guard of an or-pattern once per alternative that
        // matches, until one passes: a `defer!` in it may run several times.
        if !has_or_pattern(&guarded.pat) {
            return visit::visit_pat_guard(self, guarded);
        }
        self.visit_pat(&guarded.pat);
        self.repeating(true, |walk| walk.visit_expr(&guarded.guard));
    }

    fn visit_expr_loop(&mut self, e: &'ast syn::ExprLoop) {
        self.in_loop(|walk| visit::visit_expr_loop(walk, e));
    }

    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        self.in_loop(|walk| visit::visit_expr_while(walk, e));
    }

    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.in_loop(|walk| visit::visit_expr_for_loop(walk, e));
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if site::recover_call(call).is_some() {
            self.recover_call();
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_return(&mut self, e: &'ast syn::ExprReturn) {
        self.exit();
        visit::visit_expr_return(self, e);
    }

    fn visit_expr_try(&mut self, e: &'ast syn::ExprTry) {
        if self.place == (Place::Deferred { closure: false }) {
            self.errors.push(format_err!(
                e,
                "`?` in deferred code: it runs at exit, when the function's result is already decided, so it cannot return an error; handle the error inside the deferred code (`if let Err(e) = ..`)"
            ));
        }
        self.exit();
        visit::visit_expr_try(self, e);
    }

    fn visit_stmt_macro(&mut self, stmt: &'ast syn::StmtMacro) {
        match site::is_defer(&stmt.mac) {
            true => self.site(&stmt.mac),
            false => visit::visit_stmt_macro(self, stmt),
        }
    }

    fn visit_expr_macro(&mut self, expr: &'ast syn::ExprMacro) {
        match site::is_defer(&expr.mac) {
            true => self.site(&expr.mac),
            false => visit::visit_expr_macro(self, expr),
        }
    }

    // Reached for macros in statement and expression position that are not
    // `defer!`, and for every macro in other positions (patterns, types).
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if site::is_defer(mac) {
            return self.errors.push(format_err!(
                mac,
                "`defer!` is a statement: it cannot stand in a pattern or a type"
            ));
        }
        let name = mac
            .path
            .segments
            .last()
            .map_or(String::new(), |s| s.ident.to_string());
        if let Some(mut args) = inner_macros::parse(mac) {
            let outer = self.macro_args.replace(name);
            for expr in args.exprs_mut() {
                self.visit_expr(expr);
            }
            self.macro_args = outer;
        } else if let Some(inner) = inner_macros::find_defer(&mac.tokens) {
            self.errors.push(format_err!(
                inner,
                "`defer!` inside the arguments of `{name}!` cannot be seen by #[with_defer]: write the `defer!` as its own statement"
            ));
        } else if inner_macros::holds_recover(&mac.tokens) {
            self.errors.push(format_err!(
                mac,
                "`recover()` inside the arguments of `{name}!` cannot be seen by #[with_defer]: call it outside the macro and pass the result, `let panic = recover();`"
            ));
        } else if matches!(self.place, Place::Body | Place::DeferArgs)
            && inner_macros::may_hide_exit(mac)
        {
            self.opaque_macros.push(OpaqueMacro {
                tokens: mac.to_token_stream(),
                visible_exit: inner_macros::holds_exit(&mac.tokens),
                jump: inner_macros::find_jump(&mac.tokens),
            });
        }
    }
}

/// Whether a pattern has alternatives (`a | b`) anywhere in it.
fn has_or_pattern(pat: &syn::Pat) -> bool {
    struct Find(bool);
    impl<'ast> Visit<'ast> for Find {
        fn visit_pat_or(&mut self, _: &'ast syn::PatOr) {
            self.0 = true;
        }
    }
    let mut find = Find(false);
    find.visit_pat(pat);
    find.0
}
