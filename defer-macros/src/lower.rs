//! The second walk: rewrite the body. Each `defer!` becomes the store of its
//! deferred call into its record; each exit (`return`, `?`, the end of the
//! body) first runs the records in scope there, newest first; each group of
//! records is declared right before the top-level statement that holds its sites.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Stmt};

use crate::analyse::{self, End};
use crate::deferred::{self, Deferred};
use crate::inner_macros;
use crate::layers::{self, Segment};
use crate::names;
use crate::plan::Plan;
use crate::records::{self, verbatim_stmt};
use crate::site;

pub(crate) struct Lower<'a> {
    pub plan: &'a Plan,
    /// The return type, when the body can name it (no `impl Trait`).
    pub ret_type: Option<syn::Type>,
    /// The function's name, for messages.
    pub fn_name: String,
    pub asyncness: bool,
    /// The function returns `!`.
    pub never: bool,
    /// Macro calls that may hide an exit run in a closure (see `hidden_exit`).
    rewrap: bool,
    /// `#[with_defer(explain)]`: a note at each site on its lowering.
    explain: bool,
    /// Sites seen so far; the walk meets them in the order the analysis did.
    pub next_site: usize,
    /// The groups in scope: `plan.groups[..in_scope]`.
    pub in_scope: usize,
    /// Predicates of the `#[cfg]`s around the walk's position.
    cfg: Vec<TokenStream>,
    /// Type pins for records whose sites a `#[cfg]` may remove, emitted after
    /// the declarations of the current top-level statement.
    pins: Vec<Stmt>,
    /// A `recover()` in the body was lowered as a handler's: the body starts
    /// with the handler prologue.
    handler: bool,
    /// The `explain` notes of the sites, declared at the top of the body.
    notes: Vec<Stmt>,
    /// Lint attributes (`#[allow(..)]` and the like) of the statements and
    /// arms around the walk's position, which the notes carry with them.
    lints: Vec<syn::Attribute>,
}

// fn body  ->  enum items for shared loop stacks and markers (and, in a
// recovering fn, its frame and result slot), then for each top-level
// statement: its record declarations, the statement with sites and exits
// rewritten; the tail or the fall-off end gets the exit sequence; in a
// recovering fn, catches after the recovering records.
pub(crate) fn body(block: &mut Block, sig: &syn::Signature, plan: &Plan, explain: bool) {
    let end = analyse::end(block, sig);
    let markers = records::used_markers(block);
    let mut stmts = std::mem::take(&mut block.stmts);
    if end == End::Tail {
        tail_macro_as_expr(&mut stmts);
    }
    let last = stmts.len().saturating_sub(1);
    let close = block.brace_token.span.close();
    let ret_type = analyse::return_type(sig);
    let rewrap = plan.with_results() && ret_type.as_ref().is_some_and(inner_macros::rewrappable);
    let mut lower = Lower {
        plan,
        rewrap,
        ret_type,
        fn_name: sig.ident.to_string(),
        asyncness: sig.asyncness.is_some(),
        never: matches!(&sig.output, syn::ReturnType::Type(_, ty) if matches!(**ty, syn::Type::Never(_))),
        explain,
        next_site: 0,
        in_scope: 0,
        cfg: Vec::new(),
        pins: Vec::new(),
        handler: false,
        notes: Vec::new(),
        lints: Vec::new(),
    };
    let mut out: Vec<Stmt> = plan.groups.iter().filter_map(records::sites_enum).collect();
    out.extend(markers);
    if plan.with_results() {
        out.extend(layers::prelude(&lower));
    }
    let mut segments = Vec::new();
    for (index, mut stmt) in stmts.into_iter().enumerate() {
        let declares = analyse::declares_local(&stmt);
        lower.in_scope = plan.groups.iter().filter(|g| g.stmt <= index).count();
        lower.visit_stmt_mut(&mut stmt);
        let mut decls: Vec<Stmt> = plan
            .groups
            .iter()
            .filter(|g| g.stmt == index)
            .map(records::declare)
            .collect();
        decls.append(&mut lower.pins);
        if index == last && end == End::Tail {
            stmt = lower.tail(stmt, close);
        } else if index == last && end == End::UnitTail {
            add_semicolon(&mut stmt);
        }
        segments.push(Segment {
            stmt: index,
            decls,
            body: stmt,
            declares,
        });
    }
    lower.in_scope = plan.groups.len();
    let ending = match end {
        End::FallsOff | End::UnitTail => vec![lower.unit_end(close)],
        End::Tail | End::Diverges => Vec::new(),
    };
    if plan.catches() {
        out.extend(hoist_items(&mut segments));
    }
    out.extend(layers::assemble(&lower, segments, ending, 0, close));
    out.splice(0..0, std::mem::take(&mut lower.notes));
    if lower.handler {
        out.insert(0, deferred::handler_prologue());
    }
    block.stmts = out;
}

// tail `m! { .. }` (a macro statement)  ->  the same call as a tail
// expression, so that it is wrapped as an expression when it may hide an exit
fn tail_macro_as_expr(stmts: &mut [Stmt]) {
    if let Some(stmt @ Stmt::Macro(_)) = stmts.last_mut() {
        let Stmt::Macro(m) = stmt.clone() else {
            return;
        };
        if m.semi_token.is_none() && !site::is_defer(&m.mac) {
            *stmt = Stmt::Expr(
                Expr::Macro(syn::ExprMacro {
                    attrs: m.attrs,
                    mac: m.mac,
                }),
                None,
            );
        }
    }
}

/// Whether an attribute sets a lint level.
fn is_lint(attr: &syn::Attribute) -> bool {
    ["allow", "warn", "deny", "forbid", "expect"]
        .iter()
        .any(|name| attr.path().is_ident(name))
}

// the body's item statements (but `macro_rules!`, whose scope is textual)  ->
// taken out of the segments, to be declared first: a catch closure around
// later statements would hide an item from the statements before it
fn hoist_items(segments: &mut Vec<Segment>) -> Vec<Stmt> {
    let hoistable = |s: &Segment| {
        s.decls.is_empty()
            && matches!(&s.body, Stmt::Item(item) if !matches!(item, syn::Item::Macro(_)))
    };
    let (items, rest): (Vec<Segment>, Vec<Segment>) =
        std::mem::take(segments).into_iter().partition(hoistable);
    *segments = rest;
    items.into_iter().map(|s| s.body).collect()
}

// unit tail `e`  ->  `e;`, so the exit sequence can follow it
fn add_semicolon(stmt: &mut Stmt) {
    match stmt {
        Stmt::Expr(_, semi) => *semi = Some(Default::default()),
        Stmt::Macro(mac) => mac.semi_token = Some(Default::default()),
        Stmt::Local(_) | Stmt::Item(_) => {}
    }
}

impl Lower<'_> {
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
        let lowered = quote_spanned! {span=>
            match #private::Branch::branch(#inner) {
                ::core::ops::ControlFlow::Continue(#val) => #val,
                ::core::ops::ControlFlow::Break(#residual) => return #exit,
            }
        };
        // In parentheses: `x? as u64` at the start of a statement must stay
        // one expression (a `match` there would end the statement).
        quote!((#lowered))
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
            // `defer!(f(recover()))` evaluates `recover()` at the defer
            // statement, never while its own panic runs: misplaced.
            deferred::Misplaced.visit_expr_mut(expr);
            self.visit_expr_mut(expr);
        }
        let check = deferred::deferred_recover_check(&form);
        deferred::lower_recover_calls(&mut form, self.plan.recover);
        let Deferred {
            mut prepare,
            closure,
        } = deferred::build(&form, mac.path.span());
        prepare.extend(check);
        prepare.extend(self.diagnostics(id, attrs, mac.path.span()));
        let store = self.store(id, closure, mac.path.span());
        if prepare.is_empty() && !needs_block {
            store
        } else {
            quote!({ #prepare #store })
        }
    }

    /// Whether a macro call runs in a closure to catch the exits it may hide.
    fn wraps(&self, mac: &syn::Macro) -> bool {
        self.rewrap
            && self.in_scope > 0
            && inner_macros::may_hide_exit(mac)
            && inner_macros::find_jump(&mac.tokens).is_none()
    }

    // macro call `m!(..)` that may hide an exit (in a fn returning `R`, a
    // `Result` or `Option`)  ->
    //   statement:  `rewrap(|| -> <R as Rewrap>::With<()> { m!(..); Rewrap::wrap(()) })`, then `?`
    //   expression: `rewrap(|| -> <R as Rewrap>::With<_> { Rewrap::wrap(m!(..)) })`, then `?`
    // (in an `async fn`, `rewrap_async::<R, _, _>(async { .. }).await`): a hidden
    // `return Err(e)` or `?` comes back as a value, and the lowered `?` takes
    // the exit sequence with it.
    fn hidden_exit(&mut self, call: TokenStream, statement: bool, at: Span) -> TokenStream {
        let private = names::private();
        let ty = &self.ret_type;
        let rewrap = quote_spanned!(at=> <#ty as #private::Rewrap>);
        let (ok, body) = match statement {
            true => (quote!(()), quote!(#call #rewrap::wrap(()))),
            false => (quote!(_), quote!(#rewrap::wrap(#call))),
        };
        let run = match self.asyncness {
            false => quote_spanned!(at=> #private::rewrap(|| -> #rewrap::With<#ok> { #body })),
            true => quote_spanned! {at=>
                #private::rewrap_async::<#ty, #ok, _>(async { #body }).await
            },
        };
        let caught = names::local("__defer_caught");
        let mut try_expr = syn::ExprTry {
            attrs: Vec::new(),
            expr: Box::new(Expr::Verbatim(quote! {{
                #[allow(unreachable_code, clippy::let_and_return)] // a macro that always leaves
                let #caught = #run;
                #caught
            }})),
            question_token: syn::Token![?](at),
        };
        self.lower_try(&mut try_expr)
    }

    // site under `#[cfg]`s  ->  a pin of its record's type (see `records::cfg_pin`)
    fn pin_if_configured(&mut self, id: usize, own: &[syn::Attribute]) {
        let mut predicates = self.cfg.clone();
        predicates.extend(site::cfg_predicates(own));
        if let (Some(&(group, variant)), false) =
            (self.plan.site_group.get(id), predicates.is_empty())
        {
            let pin = records::cfg_pin(&self.plan.groups[group], variant, &predicates);
            self.pins.push(pin);
        }
    }

    fn with_cfg(&mut self, attrs: &[syn::Attribute], walk: impl FnOnce(&mut Self)) {
        let (depth, lints) = (self.cfg.len(), self.lints.len());
        self.cfg.extend(site::cfg_predicates(attrs));
        self.lints
            .extend(attrs.iter().filter(|a| is_lint(a)).cloned());
        walk(self);
        self.cfg.truncate(depth);
        self.lints.truncate(lints);
    }

    // site `id`  ->  the warnings stable Rust lets a macro give, as calls of a
    // `#[deprecated]` item at the user's `defer!`: a defer in a loop (Go's classic
    // leak, which Go linters flag too), and with `explain` the site's lowering.
    // The note is a block at the top of the body (`{ #[deprecated(note = ..)]
    // fn lowering() {} lowering(); }`), outside any catch closure, so that it
    // reads `f::lowering` and its item hides no name of the user's code.
    fn diagnostics(&mut self, id: usize, own: &[syn::Attribute], at: Span) -> TokenStream {
        let private = names::private();
        let in_loop = self.plan.in_loop(id);
        let mut out = TokenStream::new();
        if in_loop {
            out.extend(quote_spanned!(at=> #private::lints::defer_in_loop();));
        }
        if self.explain {
            let note = self.plan.explain(id);
            let mut predicates = self.cfg.clone();
            predicates.extend(site::cfg_predicates(own));
            let cfg = (!predicates.is_empty()).then(|| quote!(#[cfg(all(#(#predicates),*))]));
            let lints = self.lints.iter().chain(own.iter().filter(|a| is_lint(a)));
            self.notes
                .push(verbatim_stmt(quote_spanned! {at=> #cfg #(#lints)* {
                    #[deprecated(note = #note)]
                    fn lowering() {}
                    lowering();
                }}));
        }
        out
    }

    // deferred closure  ->  the statement that records it for site `id`
    fn store(&self, id: usize, call: TokenStream, at: Span) -> TokenStream {
        match self.plan.site_group.get(id) {
            Some(&(group, variant)) => records::store(&self.plan.groups[group], variant, call, at),
            None => quote!(::core::compile_error!(
                "internal error in #[with_defer]: the lowering met a `defer!` the analysis did not; please report it"
            );),
        }
    }
}

impl VisitMut for Lower<'_> {
    fn visit_item_mut(&mut self, _: &mut syn::Item) {
        // Nested items keep their own `defer!`s for their own attribute.
    }

    fn visit_expr_closure_mut(&mut self, closure: &mut syn::ExprClosure) {
        // `return` and `?` in a closure leave the closure, not the function;
        // a `recover()` there is not the deferred function's.
        deferred::Misplaced.visit_expr_closure_mut(closure);
    }

    fn visit_expr_async_mut(&mut self, block: &mut syn::ExprAsync) {
        // Likewise for an async block.
        deferred::Misplaced.visit_expr_async_mut(block);
    }

    fn visit_expr_const_mut(&mut self, block: &mut syn::ExprConst) {
        deferred::Misplaced.visit_expr_const_mut(block);
    }

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
            if self.wraps(&m.mac) {
                let (attrs, mac) = (&m.attrs, &m.mac);
                let caught = self.hidden_exit(quote!(#mac;), true, mac.path.span());
                *stmt = verbatim_stmt(quote!(#(#attrs)* let () = #caught;));
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
        // `recover()` in the body: the handler's (Go's `defer handlePanic()`),
        // but in an `async fn`, whose body does not run when it is called.
        if let Expr::Call(call) = expr {
            if let Some(path) = site::recover_call(call) {
                *expr = match self.asyncness {
                    false => {
                        self.handler = true;
                        deferred::handler_call(path, &self.fn_name)
                    }
                    true => deferred::misplaced(path),
                };
                return;
            }
        }
        let lowered = match expr {
            Expr::Macro(m) if site::is_defer(&m.mac) => {
                let attrs = m.attrs.clone();
                self.lower_site(&m.mac, &attrs, true)
            }
            Expr::Macro(m) if self.wraps(&m.mac) => {
                let m = &*m;
                self.hidden_exit(quote!(#m), false, m.mac.path.span())
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
