//! The attribute's arguments: `#[with_defer]`, `#[with_defer(open_coded)]`,
//! `#[with_defer(chain)]`.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

use crate::error::{bail, format_err};

/// Which lowering the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Requested {
    /// Go's rule decides.
    Auto,
    /// `open_coded`.
    OpenCoded,
    /// `chain`.
    Chain,
}

// `open_coded` | `chain` | nothing  ->  Requested
pub(crate) fn parse(args: TokenStream) -> syn::Result<Requested> {
    let idents = Punctuated::<Ident, Token![,]>::parse_terminated
        .parse2(args.clone())
        .map_err(|_| {
            format_err!(
                args,
                "#[with_defer] takes `open_coded`, `chain`, or no argument (Go's rule chooses)"
            )
        })?;
    let mut requested = Requested::Auto;
    for ident in &idents {
        let this = match ident.to_string().as_str() {
            "open_coded" => Requested::OpenCoded,
            "chain" => Requested::Chain,
            _ => bail!(
                ident,
                "unknown argument `{ident}` to #[with_defer]: expected `open_coded` or `chain`, or no argument to let Go's rule choose"
            ),
        };
        if requested != Requested::Auto {
            bail!(
                ident,
                "#[with_defer] takes at most one of `open_coded` and `chain`"
            );
        }
        requested = this;
    }
    Ok(requested)
}
