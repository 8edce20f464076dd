//! Assembling the output: the lowered function, or on error the errors and the
//! function with its `defer!`s removed, so the user sees only our errors.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ItemFn, Stmt};

use crate::error::format_err;
use crate::inner_macros;
use crate::{analyse, args, lower, plan, site};

// `#[with_defer(args)] fn ..`  ->  the lowered fn, or compile errors + the fn without its defers
pub(crate) fn with_defer(args: TokenStream, item: TokenStream) -> TokenStream {
    match syn::parse2::<ItemFn>(item.clone()) {
        Ok(mut func) => match lower_fn(args, &mut func) {
            Ok(()) => func.into_token_stream(),
            Err(error) => fallback(error, func),
        },
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "#[with_defer] goes on a function with a body: a free fn, a method, or a trait method with a default body",
            );
            let error = error.to_compile_error();
            quote!(#error #item)
        }
    }
}

fn lower_fn(args: TokenStream, func: &mut ItemFn) -> syn::Result<()> {
    let args = args::parse(args)?;
    if let Some(constness) = &func.sig.constness {
        return Err(format_err!(
            constness,
            "#[with_defer] cannot be used on a `const fn`: deferred calls run through closures and `Drop`, which const evaluation cannot run; remove `const`, or keep the cleanup out of the const fn"
        ));
    }
    let mut analysis = analyse::body(&func.block, &func.sig);
    analysis.track_caller = func.attrs.iter().any(|a| a.path().is_ident("track_caller"));
    std::mem::take(&mut analysis.errors).into_result()?;
    if analysis.sites.is_empty() {
        // No deferred code. A `recover()` in the body of a sync fn makes it a
        // handler (Go's `defer handlePanic()`); anywhere else it is misplaced.
        if func.sig.asyncness.is_some() {
            crate::deferred::Misplaced.visit_block_mut(&mut func.block);
            return Ok(());
        }
        let name = func.sig.ident.to_string();
        let mut body =
            crate::deferred::DirectCalls::new(|path| crate::deferred::handler_call(path, &name));
        body.visit_block_mut(&mut func.block);
        if body.rewritten > 0 {
            func.block
                .stmts
                .insert(0, crate::deferred::handler_prologue());
        }
        return Ok(());
    }
    let mut taken = std::collections::HashSet::new();
    crate::names::idents(func.to_token_stream(), &mut taken);
    let plan = plan::plan(args.requested, &analysis, &taken)?;
    check_modes(&plan, &analysis, &func.sig)?;
    lower::body(&mut func.block, &func.sig, &plan, args.explain);
    Ok(())
}

// Result-form closures and recover need every exit to go through the exit
// sequence, and a result-form closure's parameter type needs a nameable return
// type: report what stands in the way.
fn check_modes(
    plan: &plan::Plan,
    analysis: &analyse::Analysis,
    sig: &syn::Signature,
) -> syn::Result<()> {
    let mut errors = crate::error::Errors::default();
    if plan.with_results() {
        hidden_exits(analysis, plan, sig, &mut errors);
    }
    if analyse::return_type(sig).is_none() {
        for site in analysis.sites.iter().filter(|s| s.result_unannotated) {
            errors.push(format_err!(
                site.tokens,
                "the result form needs the function's return type, which `impl Trait` hides from the macro: annotate the closure's parameter with the concrete type, `|ret: &mut Option<ConcreteType>| ..`"
            ));
        }
    }
    errors.into_result()
}

// Macro calls that may hide an exit, in a result-form or recovering fn: in a
// `Result`/`Option` fn they are wrapped (see `lower`), unless a `break` or
// `continue` in them would be cut off from its loop; elsewhere only the exits
// written in their arguments can be reported.
fn hidden_exits(
    analysis: &analyse::Analysis,
    plan: &plan::Plan,
    sig: &syn::Signature,
    errors: &mut crate::error::Errors,
) {
    let what = match plan.recover {
        true => "the catch that lets deferred closures recover",
        false => "giving the result-form `defer!(|ret| ..)` closures the result",
    };
    let wrapped = analyse::return_type(sig).is_some_and(|ty| inner_macros::rewrappable(&ty));
    for call in &analysis.opaque_macros {
        match (&call.jump, wrapped) {
            (Some(jump), true) => errors.push(format_err!(
                jump,
                "#[with_defer] runs this macro call in a closure, to catch a `return` or `?` hidden in the macro's definition (as in `anyhow::bail!`), and a `break` or `continue` in its arguments cannot leave a closure: move the loop control out of the macro's arguments (e.g. compute a flag with the macro, then `if flag {{ break }}`)"
            )),
            (None, true) => {}
            (_, false) if call.visible_exit => errors.push(format_err!(
                call.tokens,
                "`?` or `return` inside this macro cannot be seen by #[with_defer], and would leave without {what}: move it out of the macro's arguments"
            )),
            (_, false) => {}
        }
    }
}

fn fallback(error: syn::Error, mut func: ItemFn) -> TokenStream {
    // Keep the user's `defer` and `recover` imports used, so that only our errors show.
    let markers = crate::records::used_markers(&func.block);
    RemoveDefers.visit_block_mut(&mut func.block);
    func.block.stmts.splice(0..0, markers);
    let error = error.to_compile_error();
    quote!(#error #func)
}

/// Replaces every `defer!`, and every other macro call that holds one, with
/// `()`, so that only the reported errors remain.
struct RemoveDefers;

fn holds_defer(mac: &syn::Macro) -> bool {
    site::is_defer(mac) || crate::inner_macros::find_defer(&mac.tokens).is_some()
}

impl VisitMut for RemoveDefers {
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        match stmt {
            Stmt::Macro(m) if holds_defer(&m.mac) => {
                *stmt = Stmt::Expr(Expr::Verbatim(quote!(();)), None);
            }
            _ => visit_mut::visit_stmt_mut(self, stmt),
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Macro(m) if holds_defer(&m.mac) => *expr = Expr::Verbatim(quote!(())),
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }
}

/// What the lowered body passes to the user's own `defer!` path once, so that
/// `use godefer::defer;` counts as used and draws no `unused_imports` warning.
pub(crate) const USED_MARKER: &str = "__godefer_lowered";

// a `defer!` that no `#[with_defer]` rewrote  ->  an error at it
// (the marker the lowering leaves behind  ->  nothing)
pub(crate) fn stray_defer(input: TokenStream) -> TokenStream {
    if input.to_string() == USED_MARKER {
        return TokenStream::new();
    }
    quote! {
        ::core::compile_error!(
            "`defer!` is only allowed in the body of a function marked `#[with_defer]`: add `#[with_defer]` to the enclosing fn (a nested fn needs its own attribute; a macro that expands to `defer!` cannot be seen by the attribute)"
        )
    }
}
