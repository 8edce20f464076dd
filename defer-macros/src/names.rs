//! Generated names: `__`-prefixed, at `Span::mixed_site()` so user code can
//! neither see nor shadow them, and paths into the facade's `__private`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Ident;

/// A generated local the user cannot name.
pub(crate) fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// A numbered generated local, e.g. `__defer_open_0`.
pub(crate) fn numbered(prefix: &str, n: usize) -> Ident {
    format_ident!("{}_{}", prefix, n, span = Span::mixed_site())
}

/// `::go_defer::__private`, the only path generated code names.
pub(crate) fn private() -> TokenStream {
    quote!(::go_defer::__private)
}
