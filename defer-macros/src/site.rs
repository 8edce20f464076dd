//! Reading one `defer!` invocation into the form that decides what is evaluated
//! at the defer statement and what runs at exit.

use syn::parse::ParseStream;
use syn::token::Brace;
use syn::{Block, Expr, ExprBlock, ExprCall, ExprClosure, ExprMethodCall, MacroDelimiter};

use crate::error::{bail, format_err};

/// What a `defer!` defers.
pub(crate) enum Form {
    /// `defer!(f(a, b))`: callee and arguments evaluated now, called at exit.
    Call(ExprCall),
    /// `defer!(recv.m(a, b))`: arguments evaluated now; the receiver too unless
    /// it is a place, which is used in place at exit.
    Method(ExprMethodCall),
    /// `defer!(|| ..)` or `defer!(move || ..)`: the closure (an `Expr::Closure`)
    /// is created now and called at exit.
    Closure(Expr),
    /// `defer! { .. }` (as an `Expr::Block`) or any other expression: run as
    /// written at exit.
    Deferred(Expr),
}

/// Whether a macro invocation is our `defer!` (`defer!`, `godefer::defer!`,
/// `::godefer::defer!`).
pub(crate) fn is_defer(mac: &syn::Macro) -> bool {
    let segments = &mac.path.segments;
    let last_is_defer = segments.last().is_some_and(|s| s.ident == "defer");
    match segments.len() {
        1 => last_is_defer && mac.path.leading_colon.is_none(),
        2 => last_is_defer && segments[0].ident == "godefer",
        _ => false,
    }
}

/// Whether two paths spell the same segments (their spans and any generic
/// arguments aside): the few paths compared here are `defer`/`recover` with an
/// optional crate prefix.
fn same_path(a: &syn::Path, b: &syn::Path) -> bool {
    a.leading_colon.is_some() == b.leading_colon.is_some()
        && a.segments.len() == b.segments.len()
        && a.segments
            .iter()
            .zip(&b.segments)
            .all(|(x, y)| x.ident == y.ident)
}

/// Collects the distinct paths by which `stmt` invokes `defer!` (outside nested items).
pub(crate) fn defer_paths(stmt: &syn::Stmt, paths: &mut Vec<syn::Path>) {
    struct Paths<'a>(&'a mut Vec<syn::Path>);
    impl<'ast> syn::visit::Visit<'ast> for Paths<'_> {
        fn visit_item(&mut self, _: &'ast syn::Item) {}
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            if is_defer(mac) && !self.0.iter().any(|p| same_path(p, &mac.path)) {
                self.0.push(mac.path.clone());
            }
        }
    }
    syn::visit::Visit::visit_stmt(&mut Paths(paths), stmt);
}

// `defer!(expr)` / `defer![expr]` / `defer! { stmts }`  ->  Form
pub(crate) fn parse(mac: &syn::Macro) -> syn::Result<Form> {
    if mac.tokens.is_empty() {
        bail!(
            mac,
            "`defer!` needs the call to defer, e.g. `defer!(file.close())` or `defer!(|| println!(\"done\"))`"
        );
    }
    if let MacroDelimiter::Brace(_) = mac.delimiter {
        let stmts = mac.parse_body_with(Block::parse_within)?;
        let block = Block {
            brace_token: Brace(mac.delimiter.span().join()),
            stmts,
        };
        return Ok(Form::Deferred(Expr::Block(ExprBlock {
            attrs: Vec::new(),
            label: None,
            block,
        })));
    }
    let expr = mac.parse_body_with(single_expr).map_err(|e| {
        format_err!(
            mac.tokens,
            "`defer!` takes one expression ({e}); to defer several statements use a block: `defer! {{ a(); b(); }}`"
        )
    })?;
    classify(expr)
}

fn single_expr(input: ParseStream) -> syn::Result<Expr> {
    let expr: Expr = input.parse()?;
    if !input.is_empty() {
        return Err(input.error("unexpected tokens after the deferred expression"));
    }
    Ok(expr)
}

// Expr  ->  Form, rejecting what could never run as Go's deferred functions.
fn classify(expr: Expr) -> syn::Result<Form> {
    if let Some(attr) = expr_attrs(&expr).first() {
        bail!(
            attr,
            "an attribute inside `defer!` would be lost: put it on the statement, `#[..] defer!(..);`"
        );
    }
    match expr {
        // `defer!(let _ = f.close())`: rustc's own suggestion for an unused
        // `#[must_use]` value; deferred as written, the value dropped.
        Expr::Let(expr) if matches!(*expr.pat, syn::Pat::Wild(_)) => {
            let (expr, semi) = (&expr.expr, syn::token::Semi::default());
            let block: syn::Block = syn::parse_quote!({ let _ = #expr #semi });
            Ok(Form::Deferred(Expr::Block(ExprBlock {
                attrs: Vec::new(),
                label: None,
                block,
            })))
        }
        Expr::Let(expr) => bail!(
            expr,
            "a `let` cannot be deferred: bind the value before the `defer!`, or defer a block `defer! {{ let .. }}`"
        ),
        Expr::Call(call) => Ok(Form::Call(call)),
        Expr::MethodCall(call) => Ok(Form::Method(call)),
        Expr::Closure(closure) => check_closure(closure).map(|c| Form::Closure(Expr::Closure(c))),
        other => Ok(Form::Deferred(other)),
    }
}

/// The attributes of the expressions that can carry them as statements or
/// deferred expressions (`#[cfg(..)] if ..`, `#[allow(..)] { .. }`).
pub(crate) fn expr_attrs(expr: &Expr) -> &[syn::Attribute] {
    match expr {
        Expr::Assign(e) => &e.attrs,
        Expr::Binary(e) => &e.attrs,
        Expr::Block(e) => &e.attrs,
        Expr::Call(e) => &e.attrs,
        Expr::Closure(e) => &e.attrs,
        Expr::ForLoop(e) => &e.attrs,
        Expr::If(e) => &e.attrs,
        Expr::Loop(e) => &e.attrs,
        Expr::Macro(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::MethodCall(e) => &e.attrs,
        Expr::Unsafe(e) => &e.attrs,
        Expr::While(e) => &e.attrs,
        _ => &[],
    }
}

/// The predicates of the `#[cfg(..)]` attributes among `attrs`.
pub(crate) fn cfg_predicates(attrs: &[syn::Attribute]) -> Vec<proc_macro2::TokenStream> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .filter_map(|attr| {
            attr.meta
                .require_list()
                .ok()
                .map(|list| list.tokens.clone())
        })
        .collect()
}

fn check_closure(closure: ExprClosure) -> syn::Result<ExprClosure> {
    if closure.asyncness.is_some() {
        bail!(
            closure,
            "`defer!` cannot run an async closure: its future would be created at exit and dropped unpolled; defer a synchronous call instead"
        );
    }
    check_result_param(&closure)?;
    if closure.inputs.len() > 1 {
        bail!(
            closure.inputs,
            "a deferred closure takes no parameter, or one for the result form: `defer!(|ret| ..)` gets the function's result as `&mut Option<R>`"
        );
    }
    Ok(closure)
}

// `|ret: T| ..` where `T` is not `&mut Option<_>`  ->  an error that says what
// the result form takes (a closure with a parameter is the result form)
fn check_result_param(closure: &ExprClosure) -> syn::Result<()> {
    let Some(syn::Pat::Type(typed)) = closure.inputs.first() else {
        return Ok(());
    };
    let is_slot = match &*typed.ty {
        syn::Type::Reference(r) if r.mutability.is_some() => match &*r.elem {
            syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Option"),
            _ => false,
        },
        _ => false,
    };
    if is_slot {
        return Ok(());
    }
    bail!(
        typed.ty,
        "a deferred closure with a parameter is the result form, `defer!(|ret: &mut Option<R>| ..)`, where `R` is the function's return type; to pass a value evaluated now (Go's `defer func(v T) {{ .. }}(x)`), use the call form: `defer!((|v: T| ..)(x))`"
    )
}

/// The closure of a result-form site, `defer!(|ret| ..)`.
pub(crate) fn result_closure(form: &Form) -> Option<&ExprClosure> {
    match form {
        Form::Closure(Expr::Closure(closure)) if closure.inputs.len() == 1 => Some(closure),
        _ => None,
    }
}

/// The path of a `recover()` call: any path that ends in `recover`, called
/// with no arguments (`recover()`, `godefer::recover()`, a renamed crate's).
/// Which item it names is decided after name resolution (see `deferred`).
pub(crate) fn recover_call(call: &ExprCall) -> Option<&syn::Path> {
    let Expr::Path(callee) = &*call.func else {
        return None;
    };
    let named = callee
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "recover");
    (named && callee.qself.is_none() && call.args.is_empty()).then_some(&callee.path)
}

/// Whether a call-form `defer!`'s callee could be a `#[with_defer]` function
/// that calls `recover()` in its body (Go's `defer handlePanic()`): a method,
/// or any callee but a closure literal, `recover` itself, `drop`, and a path
/// into `std`, `core` or `alloc`. Its record then gets a catch after its
/// statement, so that the callee can stop a panic.
pub(crate) fn may_reach_handler(form: &Form) -> bool {
    match form {
        Form::Method(_) => true,
        Form::Call(call) if recover_call(call).is_some() => false,
        Form::Call(call) => match strip_parens(&call.func) {
            Expr::Closure(_) => false,
            Expr::Path(callee) => !outside_user_code(&callee.path),
            _ => true,
        },
        Form::Closure(_) | Form::Deferred(_) => false,
    }
}

/// `drop`, or a path into the standard library: never a `#[with_defer]` fn.
fn outside_user_code(path: &syn::Path) -> bool {
    let first = path.segments.first().map(|s| s.ident.to_string());
    matches!(
        (first.as_deref(), path.segments.len()),
        (Some("drop"), 1) | (Some("std" | "core" | "alloc"), _)
    )
}

fn strip_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(paren) => strip_parens(&paren.expr),
        other => other,
    }
}

/// Whether a method receiver is a place used in place at exit: a variable,
/// `self`, a field, an index or a dereference of a place (parentheses allowed).
pub(crate) fn is_place(expr: &Expr) -> bool {
    match expr {
        Expr::Path(path) => path.qself.is_none(),
        Expr::Field(field) => is_place(&field.base),
        Expr::Index(index) => is_place(&index.expr),
        Expr::Unary(unary) => matches!(unary.op, syn::UnOp::Deref(_)),
        Expr::Paren(paren) => is_place(&paren.expr),
        _ => false,
    }
}

impl Form {
    /// Parts evaluated at the defer statement (they may `return` or use `?`
    /// on behalf of the function), then parts that run at exit (inside the
    /// deferred closure), in source order.
    pub(crate) fn parts_mut(&mut self) -> (Vec<&mut Expr>, Vec<&mut Expr>) {
        match self {
            Form::Call(call) => {
                let mut now = vec![&mut *call.func];
                now.extend(call.args.iter_mut());
                (now, Vec::new())
            }
            Form::Method(call) => {
                let (mut now, mut later) = (Vec::new(), Vec::new());
                if is_place(&call.receiver) {
                    later.push(&mut *call.receiver);
                } else {
                    now.push(&mut *call.receiver);
                }
                split_args(&mut call.args, &mut now, &mut later);
                (now, later)
            }
            Form::Closure(_) => (Vec::new(), Vec::new()),
            Form::Deferred(expr) => (Vec::new(), vec![expr]),
        }
    }
}

fn split_args<'a>(
    args: &'a mut syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    now: &mut Vec<&'a mut Expr>,
    later: &mut Vec<&'a mut Expr>,
) {
    for arg in args.iter_mut() {
        match crate::deferred::created_at_exit(arg) {
            true => later.push(arg),
            false => now.push(arg),
        }
    }
}

/// The paths by which a block calls `recover()`, macro arguments included
/// (a `defer!` the error fallback removes may hold one).
pub(crate) fn recover_paths(block: &syn::Block) -> Vec<syn::Path> {
    let mut paths = Vec::new();
    token_recover_paths(quote::ToTokens::to_token_stream(block), &mut paths);
    paths
}

// tokens  ->  the paths `recover` / `godefer::recover` called in them,
// macro arguments included (a `defer!` the fallback removes may hold one)
fn token_recover_paths(tokens: proc_macro2::TokenStream, out: &mut Vec<syn::Path>) {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            token_recover_paths(group.stream(), out);
        }
        let called = matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
        if !matches!(tree, TokenTree::Ident(id) if id == "recover") || !called {
            continue;
        }
        let after_colons =
            i >= 2 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
        let path: syn::Path = match (after_colons, trees.get(i.wrapping_sub(3))) {
            (false, _) => syn::parse_quote!(recover),
            (true, Some(TokenTree::Ident(krate))) if krate == "godefer" => {
                syn::parse_quote!(godefer::recover)
            }
            (true, _) => continue,
        };
        if !out.iter().any(|p| same_path(p, &path)) {
            out.push(path);
        }
    }
}
