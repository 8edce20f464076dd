//! The attribute's arguments: `#[with_defer]`, `#[with_defer(open_coded)]`,
//! `#[with_defer(chain)]`, and `explain` beside or instead of either.

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

/// What the attribute asks for.
pub(crate) struct Args {
    pub requested: Requested,
    /// `explain`: report each site's lowering, like Go's `-gcflags=-d=defer`.
    pub explain: bool,
}

// `open_coded` | `chain` | nothing, and `explain`  ->  Args
pub(crate) fn parse(args: TokenStream) -> syn::Result<Args> {
    let idents = Punctuated::<Ident, Token![,]>::parse_terminated
        .parse2(args.clone())
        .map_err(|_| {
            format_err!(
                args,
                "#[with_defer] takes `open_coded` or `chain` (or nothing: Go's rule chooses), and `explain`"
            )
        })?;
    let mut requested = Requested::Auto;
    let mut explain = false;
    for ident in &idents {
        let this = match ident.to_string().as_str() {
            "open_coded" => Requested::OpenCoded,
            "chain" => Requested::Chain,
            "explain" if !explain => {
                explain = true;
                continue;
            }
            "explain" => bail!(ident, "duplicate `explain` in #[with_defer]"),
            _ => bail!(
                ident,
                "unknown argument `{ident}` to #[with_defer]: expected `open_coded` or `chain` (or no argument to let Go's rule choose), and `explain` to report the lowering of each `defer!`"
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
    Ok(Args { requested, explain })
}
