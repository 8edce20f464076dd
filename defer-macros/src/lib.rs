//! Implementation detail of the `godefer` crate: the `#[with_defer]` attribute
//! and the `defer!` marker it rewrites. Depend on `godefer`, not on this crate.

// Phases, one module each: `args` reads the attribute, `site` reads one
// `defer!`, `analyse` walks the body once to find the defer sites, exits and
// misuse, `plan` chooses open-coded or chain and groups the sites into
// records, `lower` rewrites the body (with `deferred` building each deferred
// closure), and `expand` assembles the output.

mod analyse;
mod args;
mod deferred;
mod error;
mod exit;
mod expand;
mod inner_macros;
mod layers;
mod lower;
mod names;
mod plan;
mod records;
mod site;

// Test-only harnesses that drive the whole macro; they live outside `src/`
// and are not published.
#[cfg(test)]
#[path = "../harness/realcode.rs"]
mod realcode;
#[cfg(test)]
#[path = "../harness/snapshot.rs"]
mod snapshot;

use proc_macro::TokenStream;

/// Lowers the `defer!` statements of a function body. See the `godefer` crate.
#[proc_macro_attribute]
pub fn with_defer(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::with_defer(args.into(), item.into()).into()
}

/// Marks a deferred call. Only meaningful inside a `#[with_defer]` function,
/// which rewrites it before it expands; expanding on its own is always an error.
#[proc_macro]
pub fn defer(input: TokenStream) -> TokenStream {
    expand::stray_defer(input.into()).into()
}
