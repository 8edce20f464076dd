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
use crate::deferred::{self, Deferred};
use crate::inner_macros;
use crate::names;
use crate::plan::{Group, GroupKind, Plan, Strategy};
use crate::site;

struct Lower<'a> {
    plan: &'a Plan,
    /// Sites seen so far; the walk meets them in the order the analysis did.
    next_site: usize,
    /// The groups in scope: `plan.groups[..in_scope]`.
    in_scope: usize,
    /// Predicates of the `#[cfg]`s around the walk's position.
    cfg: Vec<TokenStream>,
    /// Type pins for records whose sites a `#[cfg]` may remove, emitted after
    /// the declarations of the current top-level statement.
    pins: Vec<Stmt>,
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
        cfg: Vec::new(),
        pins: Vec::new(),
    };
    let mut out: Vec<Stmt> = plan.groups.iter().filter_map(sites_enum).collect();
    out.extend(used_marker(&stmts));
    for (index, mut stmt) in stmts.into_iter().enumerate() {
        lower.in_scope = plan.groups.iter().filter(|g| g.stmt <= index).count();
        lower.visit_stmt_mut(&mut stmt);
        for group in plan.groups.iter().filter(|g| g.stmt == index) {
            out.push(declare(group));
        }
        out.append(&mut lower.pins);
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
    let name = group.sites_enum.as_ref()?;
    let params: Vec<_> = (0..group.sites.len())
        .map(|i| format_ident!("__S{}", i))
        .collect();
    let variants: Vec<_> = (0..group.sites.len())
        .map(|i| format_ident!("At{}", i))
        .collect();
    let private = names::private();
    Some(verbatim_stmt(quote! {
        #[allow(non_camel_case_types, clippy::enum_variant_names)]
        enum #name<#(#params),*> { #(#variants(#params)),* }
        impl<#(#params: ::core::ops::FnOnce()),*> #private::Call for #name<#(#params),*> {
            #[inline]
            fn call(self) {
                match self { #(Self::#variants(__defer_f) => __defer_f()),* }
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
        let ret = names::local("__defer_ret");
        let runs = self.run_records(at);
        quote! {{
            #[allow(clippy::diverging_sub_expression)] // `return todo!()` and the like
            let #ret = #value;
            #runs
            #ret
        }}
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
        let value = ret
            .expr
            .as_ref()
            .map_or_else(|| quote!(()), |v| v.to_token_stream());
        let exit = self.exit(value, keyword.span);
        quote!(#keyword #exit)
    }

    // `e?`  ->  `match Branch::branch(e) { Continue(v) => v, Break(r) => return <exit>(from_residual(r)) }`
    fn lower_try(&mut self, expr: &mut syn::ExprTry) -> TokenStream {
        self.visit_expr_mut(&mut expr.expr);
        let span = expr.question_token.span;
        let private = names::private();
        let (val, residual) = (
            names::local("__defer_val"),
            names::local("__defer_residual"),
        );
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
    fn lower_site(
        &mut self,
        mac: &syn::Macro,
        attrs: &[syn::Attribute],
        needs_block: bool,
    ) -> TokenStream {
        let id = self.next_site;
        self.next_site += 1;
        self.pin_if_configured(id, attrs);
        let mut form = match site::parse(mac) {
            Ok(form) => form,
            Err(error) => return error.to_compile_error(),
        };
        for expr in form.parts_mut().0 {
            self.visit_expr_mut(expr);
        }
        let Deferred { prepare, closure } = deferred::build(&form, mac.path.span());
        let store = self.store(id, closure, mac.path.span());
        if prepare.is_empty() && !needs_block {
            store
        } else {
            quote!({ #prepare #store })
        }
    }

    // site under `#[cfg(a)] .. #[cfg(b)]`  ->
    // `#[cfg(not(all(a, b)))] let _: &Slot<fn()> = &__defer_open_3;`
    // so that the record's type is known when the `defer!` is configured out
    fn pin_if_configured(&mut self, id: usize, own: &[syn::Attribute]) {
        let mut predicates = self.cfg.clone();
        predicates.extend(site::cfg_predicates(own));
        let Some(&(group_index, variant)) = self.plan.site_group.get(id) else {
            return;
        };
        if predicates.is_empty() {
            return;
        }
        let group = &self.plan.groups[group_index];
        let (ident, private) = (&group.ident, names::private());
        let ty = match (&group.kind, &group.sites_enum) {
            (GroupKind::Open | GroupKind::Stack, _) => quote!(#private::Slot<fn()>),
            (GroupKind::Loop, None) => quote!(#private::DeferStack<fn()>),
            (GroupKind::Loop, Some(name)) => {
                let params = (0..group.sites.len()).map(|i| match i == variant {
                    true => quote!(fn()),
                    false => quote!(_),
                });
                quote!(#private::DeferStack<#name<#(#params),*>>)
            }
        };
        self.pins.push(verbatim_stmt(quote! {
            #[cfg(not(all(#(#predicates),*)))]
            let _: &#ty = &#ident;
        }));
    }

    fn with_cfg(&mut self, attrs: &[syn::Attribute], walk: impl FnOnce(&mut Self)) {
        let depth = self.cfg.len();
        self.cfg.extend(site::cfg_predicates(attrs));
        walk(self);
        self.cfg.truncate(depth);
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
                let record = match &group.sites_enum {
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

// a generated name, reported at `at` but still resolved where it was made
fn located_at(ident: &syn::Ident, at: Span) -> syn::Ident {
    let mut ident = ident.clone();
    ident.set_span(ident.span().located_at(at));
    ident
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

    fn visit_expr_assign_mut(&mut self, assign: &mut syn::ExprAssign) {
        // The value is evaluated before the place: walk in execution order, as the analysis does.
        self.visit_expr_mut(&mut assign.right);
        self.visit_expr_mut(&mut assign.left);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(m) = stmt {
            if site::is_defer(&m.mac) {
                let attrs = m.attrs.clone();
                let lowered = self.lower_site(&m.mac, &attrs, false);
                *stmt = verbatim_stmt(quote!(#(#attrs)* #lowered));
                return;
            }
        }
        let attrs = match &*stmt {
            Stmt::Local(local) => local.attrs.clone(),
            Stmt::Macro(m) => m.attrs.clone(),
            Stmt::Expr(expr, _) => site::expr_attrs(expr).to_vec(),
            Stmt::Item(_) => Vec::new(),
        };
        self.with_cfg(&attrs, |walk| visit_mut::visit_stmt_mut(walk, stmt));
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let attrs = arm.attrs.clone();
        self.with_cfg(&attrs, |walk| visit_mut::visit_arm_mut(walk, arm));
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let lowered = match expr {
            Expr::Macro(m) if site::is_defer(&m.mac) => {
                let attrs = m.attrs.clone();
                self.lower_site(&m.mac, &attrs, true)
            }
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
