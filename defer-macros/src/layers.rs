//! Functions with result-form defers or `recover()`. At the top of the body:
//! the function's `Results` (Go's named results, which every result-form
//! record reaches, at an exit and while a panic unwinds alike), and with
//! `recover()` its `Frame`. With `recover()`, the statements after each
//! statement whose records recover run inside a catch: a panic that reaches
//! it runs that statement's records with the panic current (Go's panic running
//! deferred calls), so that `recover()` in one of them can stop it; if one
//! did, the records declared earlier run as on a return, and the function
//! returns what the closures left; if not, the panic goes on. The records of
//! the other statements run from `Drop` as the panic passes, as in a plain
//! function; only the recovering statements cost a catch.

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
    /// The statement may declare a name for the statements after it (a
    /// `let`, a macro other than `defer!` and printing or asserting ones,
    /// `analyse::declares_local`): records declared after it may
    /// borrow what it declares, so they cannot move above it.
    pub declares: bool,
}

// fn with result-form defers or recover  ->
//   #[cfg(panic = "abort")] compile_error!(..);          (recover)
//   let __defer_frame = &Frame::new();                     (recover)
//   let __defer_results = &Results::<R>::new();
//   let __defer_zero = || <R's zero value, or a panic naming the fn>;
pub(crate) fn prelude(lower: &Lower<'_>) -> Vec<Stmt> {
    let private = names::private();
    let (frame, results) = (
        names::local("__defer_frame"),
        names::local("__defer_results"),
    );
    let ty = lower.slot_type();
    let zero = names::local("__defer_zero");
    let zero_value = lower.zero();
    let mut out = Vec::new();
    if lower.plan.recover {
        let message = format!(
            "`{}` calls `recover()`, which can never stop a panic when panics abort (`panic = \"abort\"`): nothing unwinds, so no deferred call runs. Build with `panic = \"unwind\"`, or handle the failure without a panic",
            lower.fn_name
        );
        out.push(verbatim_stmt(
            quote!(#[cfg(panic = "abort")] ::core::compile_error!(#message);),
        ));
        // A reference, which `move` closures that call `recover()` copy.
        out.push(verbatim_stmt(quote!(let #frame = &#private::Frame::new();)));
    }
    out.push(verbatim_stmt(
        quote!(let #results = &#private::Results::<#ty>::new();),
    ));
    out.push(verbatim_stmt(quote!(let #zero = #zero_value;)));
    out
}

// segments  ->  their statements; with `recover()`, everything after the
// records of each statement (at or after `from`) whose records recover is
// wrapped in a catch
pub(crate) fn assemble(
    lower: &Lower<'_>,
    mut segments: Vec<Segment>,
    ending: Vec<Stmt>,
    from: usize,
    at: Span,
) -> Vec<Stmt> {
    let recovers = |stmt: usize| {
        lower
            .plan
            .groups
            .iter()
            .any(|g| g.stmt == stmt && (g.recovers || g.offers))
    };
    let cut = segments
        .iter()
        .position(|s| s.stmt >= from && recovers(s.stmt));
    let flat = |segments: Vec<Segment>| -> Vec<Stmt> {
        segments
            .into_iter()
            .flat_map(|s| s.decls.into_iter().chain([s.body]))
            .collect()
    };
    let Some(cut) = cut.filter(|_| lower.plan.catches()) else {
        let mut out = flat(segments);
        out.extend(ending);
        return out;
    };
    let mut rest = segments.split_off(cut);
    let mut out = flat(segments);
    // The records of the statements that follow, up to one that may declare
    // a name, join this catch: one catch for a run of `defer!` statements.
    let mut joined = 1;
    while joined < rest.len() && !rest[joined - 1].declares {
        joined += 1;
    }
    let first = rest[0].stmt;
    let last = rest[joined - 1].stmt;
    for segment in &mut rest[..joined] {
        out.append(&mut segment.decls);
    }
    let inner = assemble(lower, rest, ending, last + 1, at);
    out.push(verbatim_stmt(catch(lower, first..=last, inner, at)));
    out
}

// statements after the records of top-level statements `stmts`  ->
// match catch(|| { statements }) {
//     Ok(value) => value,
//     Err(panic) => { __defer_frame.handle(panic, &mut [records of `stmts`]); <exit after recover> }
// }
// Without `recover()` (only records that may reach a handler): the catch is
// `catch_offering`, and `handle_offering(panic, move || { records run })`
// makes the frame; the records move into the closure, so that no path
// without a panic takes their address, and run as at an exit, a record that
// may reach a handler through `offered(&mut record)`. In a recovering fn, such
// a record is passed to `handle` as `&mut Offered(&mut record)`.
fn catch(
    lower: &Lower<'_>,
    stmts: std::ops::RangeInclusive<usize>,
    inner: Vec<Stmt>,
    at: Span,
) -> TokenStream {
    let private = names::private();
    let frame = names::local("__defer_frame");
    let (value, panic) = (names::local("__defer_value"), names::local("__defer_panic"));
    let groups: Vec<&Group> = lower
        .plan
        .groups
        .iter()
        .rev()
        .filter(|g| stmts.contains(&g.stmt))
        .collect();
    let earlier: Vec<&Group> = lower
        .plan
        .groups
        .iter()
        .rev()
        .filter(|g| g.stmt < *stmts.start())
        .collect();
    let handled = groups.iter().map(|g| {
        let ident = &g.ident;
        match g.offers {
            true => quote!(&mut #private::Offered(&mut #ident)),
            false => quote!(&mut #ident),
        }
    });
    let after = lower.after_recover(&earlier, at);
    let recover = lower.plan.recover;
    let (catch_fn, catch_future) = match recover {
        true => (quote!(catch), quote!(CatchUnwind)),
        false => (quote!(catch_offering), quote!(CatchOffering)),
    };
    let caught = match (lower.asyncness, lower.never) {
        (false, false) => quote!(#private::#catch_fn(|| { #(#inner)* })),
        // The body never ends: give the closure a type to return (`!` is
        // not nameable on stable).
        (false, true) => {
            quote!(#private::#catch_fn(|| -> ::core::convert::Infallible { #(#inner)* }))
        }
        (true, _) => quote!(#private::#catch_future::new(async { #(#inner)* }).await),
    };
    let handle = match recover {
        true => quote!(#frame.handle(#panic, &mut [#(#handled),*]);),
        false => {
            let runs = groups.iter().map(|g| {
                let ident = &g.ident;
                match g.offers {
                    true => quote!(#private::offered(&mut #ident);),
                    false => quote!(#ident.run();),
                }
            });
            quote!(#private::handle_offering(#panic, move || { #(#runs)* });)
        }
    };
    let ok = match lower.never {
        false => quote!(#value),
        true => quote!(match #value {}),
    };
    quote! {
        match #caught {
            ::core::result::Result::Ok(#value) => #ok,
            ::core::result::Result::Err(#panic) => {
                #handle
                #after
            }
        }
    }
}
