//! The deferred closure of each `defer!` form, and what is saved for it at the
//! defer statement.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Token};

use crate::names;
use crate::site::{self, Form};

/// The code of one site: statements run at the defer statement, then the
/// closure to record.
pub(crate) struct Deferred {
    pub prepare: TokenStream,
    pub closure: TokenStream,
}

/// Whether a call argument is created at exit instead of at the defer
/// statement: a closure literal that does not `move`. Creating it has no
/// effect but borrowing, and a Go func literal passed to a deferred call also
/// sees the variables' values at exit; created in place it keeps the callee's
/// expected signature, so its parameters need no annotation.
pub(crate) fn created_at_exit(arg: &Expr) -> bool {
    matches!(arg, Expr::Closure(closure) if closure.capture.is_none())
}

/// The largest argument count the runtime has a `call_argsN` for.
const MAX_TYPED_ARGS: usize = 8;

// Form  ->  Deferred. The closure is spanned at the user's `defer`, so borrow
// errors about its captures point at the `defer!` line.
pub(crate) fn build(form: &Form, site: Span) -> Deferred {
    if let Some(closure) = site::result_closure(form) {
        return result_form(closure);
    }
    match form {
        Form::Call(call) => {
            let callee = names::user_local("__defer_callee", call.span());
            let target = quote!(#callee);
            let shape = Shape::Call;
            call_form(Some((callee, &call.func)), target, &call.args, shape, site)
        }
        Form::Method(call) if site::is_place(&call.receiver) => {
            let (receiver, method, turbofish) = (&call.receiver, &call.method, &call.turbofish);
            let target = quote!(#receiver.#method #turbofish);
            call_form(None, target, &call.args, Shape::Method, site)
        }
        Form::Method(call) => {
            let saved = names::user_local("__defer_receiver", call.span());
            let (method, turbofish) = (&call.method, &call.turbofish);
            let target = quote!(#saved.#method #turbofish);
            call_form(
                Some((saved, &call.receiver)),
                target,
                &call.args,
                Shape::Method,
                site,
            )
        }
        Form::Closure(closure) => closure_form(closure, site),
        Form::Deferred(expr) => {
            let stmts = deferred_statements(expr);
            Deferred {
                prepare: TokenStream::new(),
                closure: quote_spanned!(site=> || { #(#stmts)* }),
            }
        }
    }
}

/// Which call a call-form defer makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `f(..)`: every argument is saved; closure literals get the callee's
    /// signature through `call_argsN`.
    Call,
    /// `recv.m(..)`: a non-`move` closure literal argument is created at exit,
    /// in the method call, which gives it the method's signature.
    Method,
}

// `f(a, |x| ..)`  ->
//   prepare: `let __defer_args = call_args2(f, a, |x| ..);`   (`Args((f, a))` without closure literals)
//   closure: `|| { let (mut __defer_callee, __defer_arg_0, __defer_arg_1) = __defer_args.into_inner(); __defer_callee(__defer_arg_0, __defer_arg_1); }`
// `recv.m(a, |x| ..)`  ->  `a` (and a receiver that is not a place) saved, the closure created in the call at exit.
// `target` names the saved callee or receiver, or holds the place receiver.
fn call_form(
    head: Option<(Ident, &Expr)>,
    target: TokenStream,
    args: &Punctuated<Expr, Token![,]>,
    shape: Shape,
    site: Span,
) -> Deferred {
    let call_span = target.span();
    let mut saved_values: Vec<&Expr> = head.iter().map(|(_, value)| *value).collect();
    let mut saved_names: Vec<TokenStream> =
        head.iter().map(|(name, _)| quote!(mut #name)).collect();
    let mut passed = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if shape == Shape::Method && created_at_exit(arg) {
            passed.push(quote!(#arg));
        } else {
            let name = names::local_at(&format!("__defer_arg_{i}"), call_span);
            saved_values.push(arg);
            saved_names.push(quote!(#name));
            passed.push(quote!(#name));
        }
    }
    let invoke = quote_spanned!(call_span=> #target(#(#passed),*););
    if saved_values.is_empty() {
        return Deferred {
            prepare: TokenStream::new(),
            closure: quote_spanned!(site=> || { #invoke }),
        };
    }
    let private = names::private();
    let saved = names::local("__defer_args");
    let typed = shape == Shape::Call
        && args.iter().any(|arg| matches!(arg, Expr::Closure(_)))
        && (1..=MAX_TYPED_ARGS).contains(&args.len());
    let save = match typed {
        true => {
            let helper = quote::format_ident!("call_args{}", args.len());
            quote!(#private::#helper(#(#saved_values),*))
        }
        false => quote!(#private::Args((#(#saved_values,)*))),
    };
    Deferred {
        // At the user's line: "temporary value is freed at the end of this
        // statement" then points at the `defer!`.
        prepare: quote_spanned!(site=> let #saved = #save;),
        closure: quote_spanned! {site=>
            || {
                #[allow(unused_mut)] // a saved callee may be an `FnMut` closure
                let (#(#saved_names,)*) = #saved.into_inner();
                #invoke
            }
        },
    }
}

// `|| body` / `move || body`  ->  created now, called (its value dropped) at exit:
//   prepare: `let mut __defer_fn = || body;`
//   closure: `move || { __defer_fn(); }`
fn closure_form(closure: &Expr, site: Span) -> Deferred {
    let f = names::user_local("__defer_fn", closure.span());
    let invoke = quote_spanned!(closure.span()=> #f(););
    Deferred {
        prepare: quote! {
            #[allow(unused_mut)] // an `FnMut` closure is called through a `mut` binding
            let mut #f = #closure;
        },
        closure: quote_spanned!(site=> move || { #invoke }),
    }
}

// `|ret| body`  ->  `WithRet::new(__defer_results, |ret| body)`: the closure
// gets the function's result, `&mut Option<R>`, its type from the `Results<R>`
fn result_form(closure: &syn::ExprClosure) -> Deferred {
    let private = names::private();
    let results = names::local("__defer_results");
    Deferred {
        prepare: TokenStream::new(),
        closure: quote_spanned!(closure.span()=> #private::WithRet::new(#results, #closure)),
    }
}

/// Rewrites the `recover()` calls of a site's deferred code, the code the
/// deferred function runs itself, into a call on the frame (see
/// `resolved`); those in closures nested in it into the misplaced check.
/// `frame`: the function has a frame (its deferred code calls `recover()`
/// directly somewhere); without one, every call here is a nested one.
pub(crate) fn lower_recover_calls(form: &mut Form, frame: bool) {
    let direct = |expr: &mut Expr| match frame {
        true => DirectCalls::new(on_frame).visit_expr_mut(expr),
        false => Misplaced.visit_expr_mut(expr),
    };
    let (_, later) = form.parts_mut();
    for expr in later {
        direct(expr);
    }
    if let Form::Closure(Expr::Closure(closure)) = form {
        direct(&mut closure.body);
    }
}

/// Rewrites every `recover()` call the function makes itself with `rewrite`
/// (deferred code's on the frame, a handler body's on what it was offered),
/// and those of the closures, async and const blocks nested in it into the
/// misplaced check: they are not the deferred function. Nested items are
/// left to their own attribute. `rewritten`: how many calls it rewrote.
pub(crate) struct DirectCalls<F: FnMut(&syn::Path) -> Expr> {
    pub rewrite: F,
    pub rewritten: usize,
}

impl<F: FnMut(&syn::Path) -> Expr> DirectCalls<F> {
    pub(crate) fn new(rewrite: F) -> Self {
        DirectCalls {
            rewrite,
            rewritten: 0,
        }
    }
}

impl<F: FnMut(&syn::Path) -> Expr> VisitMut for DirectCalls<F> {
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_expr_closure_mut(&mut self, closure: &mut syn::ExprClosure) {
        Misplaced.visit_expr_closure_mut(closure);
    }

    fn visit_expr_async_mut(&mut self, block: &mut syn::ExprAsync) {
        Misplaced.visit_expr_async_mut(block);
    }

    fn visit_expr_const_mut(&mut self, block: &mut syn::ExprConst) {
        Misplaced.visit_expr_const_mut(block);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if let Some(mut args) = crate::inner_macros::parse(mac) {
            for expr in args.exprs_mut() {
                self.visit_expr_mut(expr);
            }
            mac.tokens = quote::ToTokens::into_token_stream(args);
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr {
            if let Some(path) = site::recover_call(call) {
                *expr = (self.rewrite)(path);
                self.rewritten += 1;
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

// `recover()` in deferred code  ->  `(&&Resolve(recover)).direct(__defer_frame)`,
// at the user's tokens: the library's stops the frame's panic, a function of
// the user's named `recover` is called as written
fn on_frame(path: &syn::Path) -> Expr {
    let frame = names::local("__defer_frame");
    resolved(path, "direct", quote!(#frame))
}

// `recover` path, method  ->
// `{ use ::godefer::__private::{DirectRecover as _, DirectOther as _};
//    (&&::godefer::__private::Resolve(recover)).direct(args) }`
// (the traits by the method: `Direct..`, `Misplaced..`, `Deferred..`)
fn resolved(path: &syn::Path, method: &str, args: TokenStream) -> Expr {
    // At the user's `recover`: errors about the call point there.
    let at = path
        .segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span());
    let private = names::private();
    let (ours, other) = match method {
        "direct" => ("DirectRecover", "DirectOther"),
        "handler" => ("HandlerRecover", "HandlerOther"),
        "misplaced" => ("MisplacedRecover", "MisplacedOther"),
        _ => ("DeferredRecover", "DeferredOther"),
    };
    let ours = syn::Ident::new(ours, at);
    let other = syn::Ident::new(other, at);
    let method = syn::Ident::new(method, at);
    Expr::Verbatim(quote_spanned! {at=>
        {
            #[allow(unused_imports)]
            use #private::{#ours as _, #other as _};
            (&&#private::Resolve(#path)).#method(#args)
        }
    })
}

/// Rewrites every `recover()` call below it into the check for a call where
/// the deferred function does not make it directly: the library's `recover`
/// there is a compile error that says why, a function of the user's named
/// `recover` is called as written. Nested items are left to their own
/// attribute.
pub(crate) struct Misplaced;

impl VisitMut for Misplaced {
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr {
            if let Some(path) = site::recover_call(call) {
                *expr = misplaced(path);
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// The local that holds what a handler took at its first statement.
pub(crate) fn handler_local() -> Ident {
    names::local("__defer_handler")
}

// a sync `#[with_defer]` fn whose body calls `recover()`  ->
// `let __defer_handler = ::godefer::__private::Handler::enter();`, its first
// statement: the frame offered to it when it is a deferred call's callee
pub(crate) fn handler_prologue() -> syn::Stmt {
    let private = names::private();
    let local = handler_local();
    crate::records::verbatim_stmt(quote!(let #local = #private::Handler::enter();))
}

// `recover()` in the body of a sync `#[with_defer]` fn  ->
// `(&&Resolve(recover)).handler(&__defer_handler, "f")`: the library's stops
// the panic of the frame that deferred this call (Go's `defer handlePanic()`)
pub(crate) fn handler_call(path: &syn::Path, fn_name: &str) -> Expr {
    let local = handler_local();
    resolved(path, "handler", quote!(&#local, #fn_name))
}

/// A `recover()` call through `path` where the deferred function does not
/// make it directly (see [`Misplaced`]).
pub(crate) fn misplaced(path: &syn::Path) -> Expr {
    resolved(path, "misplaced", TokenStream::new())
}

/// `defer!(recover())`, with the library's `recover`: Go's `defer recover()`
/// stops nothing (recover is then the deferred function, not called by one).
/// A check of the callee's type, evaluated at the defer statement.
pub(crate) fn deferred_recover_check(form: &Form) -> TokenStream {
    let Form::Call(call) = form else {
        return TokenStream::new();
    };
    let Some(path) = site::recover_call(call) else {
        return TokenStream::new();
    };
    let check = resolved(path, "deferred_itself", TokenStream::new());
    quote!(#check;)
}

// deferred code  ->  the statements of the deferred closure: an expression
// becomes `expr;`, a block `{ a; b }` its own statements with a final
// expression that is not block-like ended by `;` (its value is dropped)
fn deferred_statements(expr: &Expr) -> Vec<syn::Stmt> {
    match expr {
        Expr::Block(block) if block.attrs.is_empty() && block.label.is_none() => {
            let mut stmts = block.block.stmts.clone();
            if let Some(syn::Stmt::Expr(tail, semi @ None)) = stmts.last_mut() {
                if !is_block_like(tail) {
                    *semi = Some(Default::default());
                }
            }
            stmts
        }
        other => vec![syn::Stmt::Expr(other.clone(), Some(Default::default()))],
    }
}

fn is_block_like(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Block(_)
            | Expr::If(_)
            | Expr::Match(_)
            | Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_)
            | Expr::Unsafe(_)
    )
}
