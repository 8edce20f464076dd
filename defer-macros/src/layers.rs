//! Functions that call `recover()` or have result-form defers: a frame and a
//! result slot at the top, and a
//! catch around the statements after the records of each top-level statement.
//! A panic that reaches a catch runs that statement's records with the panic
//! current and the result slot (Go's panic running deferred calls), so that
//! `recover()` in one of them can stop it; if one did, the records declared
//! earlier then run as on a return, and the function returns the slot's
//! value; if not, the panic goes on to the next catch out.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Stmt;

use crate::lower::Lower;
use crate::names;
use crate::plan::Group;
use crate::records::verbatim_stmt;

/// One top-level statement of the body, lowered, with the records declared
/// right before it.
pub(crate) struct Segment {
    pub stmt: usize,
    pub decls: Vec<Stmt>,
    pub body: Stmt,
}

// recovering fn  ->
//   #[cfg(panic = "abort")] compile_error!(..);
//   let __defer_frame = &Frame::new();
//   let mut __defer_ret: Option<R> = None;
pub(crate) fn frame_prelude(lower: &Lower<'_>) -> Vec<Stmt> {
    let private = names::private();
    let (frame, ret) = (names::local("__defer_frame"), names::local("__defer_ret"));
    let message = format!(
        "`{}` calls `recover()`, which can never stop a panic when panics abort (`panic = \"abort\"`): nothing unwinds, so no deferred call runs. Build with `panic = \"unwind\"`, or handle the failure without a panic",
        lower.fn_name
    );
    let ty = match &lower.ret_type {
        Some(ty) => quote!(#ty),
        None => quote!(_),
    };
    let abort_check = match lower.plan.recover {
        true => quote!(#[cfg(panic = "abort")] ::core::compile_error!(#message);),
        false => TokenStream::new(),
    };
    vec![
        verbatim_stmt(abort_check),
        // A reference, which `move` closures that call `recover()` copy.
        verbatim_stmt(quote!(let #frame = &#private::Frame::new();)),
        verbatim_stmt(quote! {
            let mut #ret: ::core::option::Option<#ty> = ::core::option::Option::None;
        }),
    ]
}

// segments  ->  their statements, with everything after the records of each
// top-level statement (at or after `from`) wrapped in a catch. Every group gets
// one, not only the recovering ones: a record run by a catch gets the
// function's result slot and the frame's panic, where one run by `Drop` while
// the panic unwinds would get neither (a closure setting the result during the
// panic would be lost, and the next one would not see it).
pub(crate) fn assemble(
    lower: &Lower<'_>,
    mut segments: Vec<Segment>,
    ending: Vec<Stmt>,
    from: usize,
    at: Span,
) -> Vec<Stmt> {
    let has_records = |stmt: usize| lower.plan.groups.iter().any(|g| g.stmt == stmt);
    let cut = segments
        .iter()
        .position(|s| s.stmt >= from && has_records(s.stmt));
    let Some(cut) = cut.filter(|_| lower.plan.layered()) else {
        let mut out: Vec<Stmt> = segments
            .into_iter()
            .flat_map(|s| s.decls.into_iter().chain([s.body]))
            .collect();
        out.extend(ending);
        return out;
    };
    let mut rest = segments.split_off(cut);
    let mut out: Vec<Stmt> = segments
        .into_iter()
        .flat_map(|s| s.decls.into_iter().chain([s.body]))
        .collect();
    let stmt = rest[0].stmt;
    out.append(&mut rest[0].decls);
    let inner = assemble(lower, rest, ending, stmt + 1, at);
    out.push(verbatim_stmt(catch(lower, stmt, inner, at)));
    out
}

// statements after the records of top-level statement `stmt`  ->
// match catch(|| { statements }) {
//     Ok(value) => value,
//     Err(panic) => { __defer_frame.handle(panic, &mut __defer_ret, &mut [records of `stmt`]); <exit after recover> }
// }
fn catch(lower: &Lower<'_>, stmt: usize, inner: Vec<Stmt>, at: Span) -> TokenStream {
    let private = names::private();
    let (frame, ret) = (names::local("__defer_frame"), names::local("__defer_ret"));
    let (value, panic) = (names::local("__defer_value"), names::local("__defer_panic"));
    let groups: Vec<&Group> = lower
        .plan
        .groups
        .iter()
        .rev()
        .filter(|g| g.stmt == stmt)
        .collect();
    let earlier: Vec<&Group> = lower
        .plan
        .groups
        .iter()
        .rev()
        .filter(|g| g.stmt < stmt)
        .collect();
    let handled = groups.iter().map(|g| &g.ident);
    let after = lower.after_recover(&earlier, at);
    let caught = match lower.asyncness {
        false => quote!(#private::catch(|| { #(#inner)* })),
        true => quote!(#private::CatchUnwind::new(async { #(#inner)* }).await),
    };
    quote! {
        match #caught {
            ::core::result::Result::Ok(#value) => #value,
            ::core::result::Result::Err(#panic) => {
                #frame.handle(#panic, &mut #ret, &mut [#(&mut #handled),*]);
                #after
            }
        }
    }
}
