//! The records' declarations and the items that go with them: the enum that
//! lets several loop sites share a stack, the type pins for sites a `#[cfg]`
//! removes, and the markers that keep the user's imports used.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Expr, Stmt};

use crate::names;
use crate::plan::{Group, GroupKind};
use crate::site;

pub(crate) fn verbatim_stmt(tokens: TokenStream) -> Stmt {
    Stmt::Expr(Expr::Verbatim(tokens), None)
}

// a generated name, reported at `at` but still resolved where it was made
pub(crate) fn located_at(ident: &syn::Ident, at: Span) -> syn::Ident {
    let mut ident = ident.clone();
    ident.set_span(ident.span().located_at(at));
    ident
}

// group  ->  `let mut __defer_open_0 = ::godefer::__private::Slot::new();`
// (reported at the group's first `defer!`: "has type `Slot<..>` which is not
// `Send`" then points at the user's line, not at the attribute)
pub(crate) fn declare(group: &Group) -> Stmt {
    let ident = located_at(&group.ident, group.span);
    let private = names::private();
    let init = match group.kind {
        GroupKind::Open | GroupKind::Stack => quote!(#private::Slot::new()),
        GroupKind::Loop => quote!(#private::DeferStack::new()),
    };
    verbatim_stmt(quote_spanned!(group.span=> let mut #ident = #init;))
}

// loop group with sites 0..n  ->  `enum __DeferSites0<__S0, __S1> { At0(__S0), At1(__S1) }`
// with `Call`
pub(crate) fn sites_enum(group: &Group) -> Option<Stmt> {
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
        impl<#(#params: #private::Call),*> #private::Call for #name<#(#params),*> {
            #[inline]
            fn call(self) {
                match self { #(Self::#variants(__defer_f) => #private::Call::call(__defer_f)),* }
            }
        }
    }))
}

// deferred closure  ->  the statement that records it for its site
pub(crate) fn store(group: &Group, variant: usize, call: TokenStream, at: Span) -> TokenStream {
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

// site `variant` of `group`, under `#[cfg(a)] .. #[cfg(b)]`  ->
// `#[cfg(not(all(a, b)))] let _: &Slot<fn()> = &__defer_open_3;`
// so that the record's type is known when the `defer!` is configured out
pub(crate) fn cfg_pin(group: &Group, variant: usize, predicates: &[TokenStream]) -> Stmt {
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
    verbatim_stmt(quote! {
        #[cfg(not(all(#(#predicates),*)))]
        let _: &#ty = &#ident;
    })
}

// the paths the body used  ->  `defer!(__godefer_lowered);` once per `defer!`
// path, which expands to nothing, and `let _ = recover;` once per `recover`
// path: the lowered body names neither, and the user's imports must stay used
pub(crate) fn used_markers(block: &syn::Block) -> Vec<Stmt> {
    let mut paths = Vec::new();
    for stmt in &block.stmts {
        site::defer_paths(stmt, &mut paths);
    }
    let recover_paths = site::recover_paths(block);
    let marker = syn::Ident::new(crate::expand::USED_MARKER, Span::call_site());
    let defers = paths
        .into_iter()
        .map(|path| verbatim_stmt(quote!(#path!(#marker);)));
    let recovers = recover_paths
        .iter()
        .map(|path| verbatim_stmt(quote!(let _ = #path;)));
    defers.chain(recovers).collect()
}
