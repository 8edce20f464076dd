//! The second walk: rewrite the body. Each `defer!` becomes the store of its
//! deferred call into its record; each exit (`return`, `?`, the end of the
//! body) first runs the records in scope there, newest first; each group of
//! records is declared right before the top-level statement that holds its sites.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Stmt};

use crate::analyse::{self, End};
use crate::inner_macros;
use crate::names;
use crate::plan::{Group, GroupKind, Plan, Strategy};
use crate::site::{self, Form};

struct Lower<'a> {
    plan: &'a Plan,
    /// Sites seen so far; the walk meets them in the order the analysis did.
    next_site: usize,
    /// The groups in scope: `plan.groups[..in_scope]`.
    in_scope: usize,
}

// fn body  ->  enum items for shared loop stacks, then for each top-level
// statement: its record declarations, the statement with sites and exits
// rewritten; the tail or the fall-off end gets the exit sequence.
pub(crate) fn body(block: &mut Block, sig: &syn::Signature, plan: &Plan) {
    let end = analyse::end(block, sig);
    let stmts = std::mem::take(&mut block.stmts);
    let last = stmts.len().saturating_sub(1);
    let close = block.brace_token.span.close();
    let mut lower = Lower {
        plan,
        next_site: 0,
        in_scope: 0,
    };
    let mut out: Vec<Stmt> = plan.groups.iter().filter_map(sites_enum).collect();
    out.extend(used_marker(&stmts));
    for (index, mut stmt) in stmts.into_iter().enumerate() {
        for group in plan.groups.iter().filter(|g| g.stmt == index) {
            out.push(declare(group));
        }
        lower.in_scope = plan.groups.iter().filter(|g| g.stmt <= index).count();
        lower.visit_stmt_mut(&mut stmt);
        if index == last && end == End::Tail {
            stmt = lower.tail(stmt, close);
        } else if index == last && end == End::UnitTail {
            add_semicolon(&mut stmt);
        }
        out.push(stmt);
    }
    lower.in_scope = plan.groups.len();
    if matches!(end, End::FallsOff | End::UnitTail) {
        out.push(verbatim_stmt(lower.run_records(close)));
    }
    block.stmts = out;
}

// the `defer!` paths the body used  ->  `defer!(__go_defer_lowered);` once per path,
// which expands to nothing but keeps the user's import of `defer` used
pub(crate) fn used_marker(stmts: &[Stmt]) -> Vec<Stmt> {
    let mut paths = Vec::new();
    for stmt in stmts {
        site::defer_paths(stmt, &mut paths);
    }
    let marker = syn::Ident::new(crate::expand::USED_MARKER, proc_macro2::Span::call_site());
    paths
        .into_iter()
        .map(|path| verbatim_stmt(quote!(#path!(#marker);)))
        .collect()
}

// group  ->  `let mut __defer_open_0 = ::go_defer::__private::Slot::new();`
fn declare(group: &Group) -> Stmt {
    let ident = &group.ident;
    let private = names::private();
    let init = match group.kind {
        GroupKind::Open | GroupKind::Stack => quote!(#private::Slot::new()),
        GroupKind::Loop => quote!(#private::DeferStack::new()),
    };
    verbatim_stmt(quote!(let mut #ident = #init;))
}

// loop group with sites 0..n  ->
// `enum __GoDeferSites2<__S0, __S1> { At0(__S0), At1(__S1) }` and its `Call` impl
fn sites_enum(group: &Group) -> Option<Stmt> {
    let name = group.sites_enum()?;
    let params: Vec<_> = (0..group.sites.len()).map(|i| format_ident!("__S{}", i)).collect();
    let variants: Vec<_> = (0..group.sites.len()).map(|i| format_ident!("At{}", i)).collect();
    let private = names::private();
    Some(verbatim_stmt(quote! {
        #[allow(non_camel_case_types, clippy::enum_variant_names)]
        enum #name<#(#params),*> { #(#variants(#params)),* }
        impl<#(#params: ::core::ops::FnOnce()),*> #private::Call for #name<#(#params),*> {
            #[inline]
            fn call(self) {
                match self { #(Self::#variants(__f) => __f()),* }
            }
        }
    }))
}

// unit tail `e`  ->  `e;`, so the exit sequence can follow it
fn add_semicolon(stmt: &mut Stmt) {
    match stmt {
        Stmt::Expr(_, semi) => *semi = Some(Default::default()),
        Stmt::Macro(mac) => mac.semi_token = Some(Default::default()),
        Stmt::Local(_) | Stmt::Item(_) => {}
    }
}

fn verbatim_stmt(tokens: TokenStream) -> Stmt {
    Stmt::Expr(Expr::Verbatim(tokens), None)
}

impl Lower<'_> {
    fn in_scope(&self) -> impl Iterator<Item = &Group> {
        self.plan.groups[..self.in_scope].iter().rev()
    }

    // the records in scope  ->  open-coded: `__defer_open_1.run(); __defer_open_0.run();`
    //                           chain: `deferreturn(&mut [&mut __defer_stack_1, &mut __defer_loop_0]);`
    fn run_records(&self, at: Span) -> TokenStream {
        let idents: Vec<_> = self.in_scope().map(|g| located_at(&g.ident, at)).collect();
        if idents.is_empty() {
            return TokenStream::new();
        }
        match self.plan.strategy {
            Strategy::OpenCoded => quote_spanned! {at=>
                #[allow(unreachable_code)]
                { #( #idents.run(); )* }
            },
            Strategy::Chain => {
                let private = names::private();
                quote_spanned! {at=>
                    #[allow(unreachable_code)]
                    #private::deferreturn(&mut [#(&mut #idents),*]);
                }
            }
        }
    }

    // value  ->  `{ let __ret = value; <run records>; __ret }`: the return
    // value is computed (and the temporaries of its expression dropped) before
    // the deferred calls run.
    fn exit(&self, value: TokenStream, at: Span) -> TokenStream {
        let ret = names::local("__ret");
        let runs = self.run_records(at);
        quote!({ let #ret = #value; #runs #ret })
    }

    // tail `e`  ->  `{ let __ret = e; <run records>; __ret }`
    fn tail(&self, stmt: Stmt, at: Span) -> Stmt {
        let value = match stmt {
            Stmt::Expr(expr, None) => expr.into_token_stream(),
            other => other.into_token_stream(),
        };
        verbatim_stmt(self.exit(value, at))
    }

    // `return e`  ->  `return { let __ret = e; <run records>; __ret }`
    fn lower_return(&mut self, ret: &mut syn::ExprReturn) -> TokenStream {
        if let Some(value) = &mut ret.expr {
            self.visit_expr_mut(value);
        }
        let keyword = ret.return_token;
        let value = ret.expr.as_ref().map_or_else(|| quote!(()), |v| v.to_token_stream());
        let exit = self.exit(value, keyword.span);
        quote!(#keyword #exit)
    }

    // `e?`  ->  `match Branch::branch(e) { Continue(v) => v, Break(r) => return <exit>(from_residual(r)) }`
    fn lower_try(&mut self, expr: &mut syn::ExprTry) -> TokenStream {
        self.visit_expr_mut(&mut expr.expr);
        let span = expr.question_token.span;
        let private = names::private();
        let (val, residual) = (names::local("__val"), names::local("__residual"));
        let inner = &expr.expr;
        let exit = self.exit(
            quote_spanned!(span=> #private::FromResidual::from_residual(#residual)),
            span,
        );
        quote_spanned! {span=>
            match #private::Branch::branch(#inner) {
                ::core::ops::ControlFlow::Continue(#val) => #val,
                ::core::ops::ControlFlow::Break(#residual) => return #exit,
            }
        }
    }

    // `defer!(..)`  ->  `<evaluate now>; <store the deferred call in its record>;`
    // (in a block where something is evaluated now, or where an expression is needed)
    fn lower_site(&mut self, mac: &syn::Macro, needs_block: bool) -> TokenStream {
        let id = self.next_site;
        self.next_site += 1;
        let mut form = match site::parse(mac) {
            Ok(form) => form,
            Err(error) => return error.to_compile_error(),
        };
        for expr in form.parts_mut().0 {
            self.visit_expr_mut(expr);
        }
        let (prepare, call) = deferred_call(&form, mac.path.span());
        let store = self.store(id, call, mac.path.span());
        if prepare.is_empty() && !needs_block {
            store
        } else {
            quote!({ #prepare #store })
        }
    }

    // deferred closure  ->  the statement that records it for site `id`
    fn store(&self, id: usize, call: TokenStream, at: Span) -> TokenStream {
        let Some(&(group_index, variant)) = self.plan.site_group.get(id) else {
            return quote!(::core::compile_error!(
                "internal error in #[with_defer]: the lowering met a `defer!` the analysis did not; please report it"
            ););
        };
        let group = &self.plan.groups[group_index];
        let ident = located_at(&group.ident, at);
        let private = names::private();
        match group.kind {
            GroupKind::Open => quote_spanned!(at=> #ident.arm(#call);),
            GroupKind::Stack => quote_spanned!(at=> #private::deferproc_stack(&mut #ident, #call);),
            GroupKind::Loop => {
                let record = match group.sites_enum() {
                    Some(name) => {
                        let at = format_ident!("At{}", variant);
                        quote!(#name::#at(#call))
                    }
                    None => call,
                };
                quote_spanned!(at=> #private::deferproc(&mut #ident, #record);)
            }
        }
    }
}

// Form  ->  (statements evaluated at the defer statement, the deferred closure).
// The closure is spanned at the user's `defer`, so borrow errors about its
// captures point at the `defer!` line.
fn deferred_call(form: &Form, span: Span) -> (TokenStream, TokenStream) {
    let private = names::private();
    let args = names::local("__args");
    match form {
        Form::Call(call) => {
            let callee = names::user_local("__callee", call.span());
            let params = arg_names(call.args.len(), |name| names::user_local(name, call.span()));
            let values = std::iter::once(&*call.func).chain(call.args.iter());
            let invoke = quote_spanned!(call.span()=> #callee(#(#params),*););
            (
                quote!(let #args = #private::Args((#(#values,)*));),
                quote_spanned! {span=>
                    move || {
                        #[allow(unused_mut)] // the callee may be an `FnMut` closure
                        let (mut #callee, #(#params,)*) = #args.into_inner();
                        #invoke
                    }
                },
            )
        }
        Form::Method(call) => method_call(call, span),
        Form::Closure(closure) => {
            let f = names::user_local("__deferred", closure.span());
            let invoke = quote_spanned!(closure.span()=> #f(););
            (
                quote! {
                    #[allow(unused_mut)] // an `FnMut` closure is called through a `mut` binding
                    let mut #f = #closure;
                },
                quote_spanned!(span=> move || { #invoke }),
            )
        }
        Form::Deferred(expr) => (TokenStream::new(), quote_spanned!(span=> || { #expr; })),
    }
}

// `recv.m(a, b)`  ->  arguments saved now; a place receiver is used in place at
// exit (captured in the mode `m` needs), any other receiver is saved now too.
fn method_call(call: &syn::ExprMethodCall, site: Span) -> (TokenStream, TokenStream) {
    let private = names::private();
    let args = names::local("__args");
    let span = call.span();
    let place = site::is_place(&call.receiver);
    // A place receiver is user code inside the closure: keep the parameters
    // hygienic so they cannot shadow a variable it names.
    let params = arg_names(call.args.len(), |name| match place {
        true => names::local_at(name, span),
        false => names::user_local(name, span),
    });
    let values = call.args.iter();
    let method = &call.method;
    let turbofish = &call.turbofish;
    if place {
        let receiver = &call.receiver;
        let invoke = quote_spanned!(span=> #receiver.#method #turbofish(#(#params),*););
        (
            quote!(let #args = #private::Args((#(#values,)*));),
            quote_spanned!(site=> || { let (#(#params,)*) = #args.into_inner(); #invoke }),
        )
    } else {
        let receiver = &call.receiver;
        let saved = names::user_local("__receiver", span);
        let invoke = quote_spanned!(span=> #saved.#method #turbofish(#(#params),*););
        (
            quote!(let #args = #private::Args((#receiver, #(#values,)*));),
            quote_spanned! {site=>
                move || {
                    #[allow(unused_mut)]
                    let (mut #saved, #(#params,)*) = #args.into_inner();
                    #invoke
                }
            },
        )
    }
}

// a generated name, reported at `at` but still resolved where it was made
fn located_at(ident: &syn::Ident, at: Span) -> syn::Ident {
    let mut ident = ident.clone();
    ident.set_span(ident.span().located_at(at));
    ident
}

fn arg_names(n: usize, ident: impl Fn(&str) -> syn::Ident) -> Vec<syn::Ident> {
    (0..n).map(|i| ident(&format!("__arg_{i}"))).collect()
}

impl VisitMut for Lower<'_> {
    fn visit_item_mut(&mut self, _: &mut syn::Item) {
        // Nested items keep their own `defer!`s for their own attribute.
    }

    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {
        // `return` and `?` in a closure leave the closure, not the function.
    }

    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {
        // Likewise for an async block.
    }

    fn visit_expr_const_mut(&mut self, _: &mut syn::ExprConst) {}

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(m) = stmt {
            if site::is_defer(&m.mac) {
                let attrs = &m.attrs;
                let lowered = self.lower_site(&m.mac, false);
                *stmt = verbatim_stmt(quote!(#(#attrs)* #lowered));
                return;
            }
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let lowered = match expr {
            Expr::Macro(m) if site::is_defer(&m.mac) => self.lower_site(&m.mac, true),
            Expr::Return(ret) if self.in_scope > 0 => self.lower_return(ret),
            Expr::Try(e) if self.in_scope > 0 => self.lower_try(e),
            _ => return visit_mut::visit_expr_mut(self, expr),
        };
        *expr = Expr::Verbatim(lowered);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if let Some(mut args) = inner_macros::parse(mac) {
            for expr in args.exprs_mut() {
                self.visit_expr_mut(expr);
            }
            mac.tokens = args.into_token_stream();
        }
    }
}
