//! Generated names: `__`-prefixed, at `Span::mixed_site()` so user code can
//! neither see nor shadow them, and paths into the facade's `__private`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Ident;

/// A generated local the user cannot name.
pub(crate) fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// A generated local the user cannot name, reported at the user's tokens.
pub(crate) fn local_at(name: &str, location: Span) -> Ident {
    Ident::new(name, Span::mixed_site().located_at(location))
}

/// A generated local in the user's own hygiene context, at the user's tokens.
/// rustc reports an expression whose tokens come from two contexts at the
/// attribute, so a deferred call built only from user-context tokens keeps
/// warnings such as `unused_must_use` at the `defer!` line. Only for code that
/// contains no user tokens which could name the same local.
pub(crate) fn user_local(name: &str, span: Span) -> Ident {
    Ident::new(name, span)
}

/// A numbered generated local, e.g. `__defer_open_0`.
pub(crate) fn numbered(prefix: &str, n: usize) -> Ident {
    format_ident!("{}_{}", prefix, n, span = Span::mixed_site())
}

/// `::godefer::__private`, the only path generated code names.
pub(crate) fn private() -> TokenStream {
    quote!(::godefer::__private)
}

/// Every identifier in the tokens, to keep generated item names clear of them.
pub(crate) fn idents(tokens: TokenStream, into: &mut std::collections::HashSet<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => {
                into.insert(ident.to_string());
            }
            proc_macro2::TokenTree::Group(group) => idents(group.stream(), into),
            _ => {}
        }
    }
}
