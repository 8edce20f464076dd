//! Expansion snapshots: every `tests/expand/NAME.rs` of the workspace, with each
//! `#[with_defer]` function replaced by this crate's own output, pretty-printed
//! by rustfmt, must equal `tests/expand/NAME.expanded.rs`. Runs on stable with
//! no cargo-expand (`.ci/run` also checks one example with the real cargo expand).
//! `MACROTEST=overwrite cargo test -p godefer-macros snapshot` rewrites them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::{env, fs, io::Write};

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

/// Expands the `#[with_defer]` attributes of one file, outermost first.
struct ExpandAttributes;

impl ExpandAttributes {
    // `#[with_defer(args)] fn ..`  ->  (args, fn without the attribute)
    fn take_attribute(attrs: &mut Vec<syn::Attribute>) -> Option<TokenStream> {
        let index = attrs.iter().position(|a| a.path().is_ident("with_defer"))?;
        let attr = attrs.remove(index);
        Some(match attr.meta {
            syn::Meta::List(list) => list.tokens,
            _ => TokenStream::new(),
        })
    }

    fn expand(args: TokenStream, item: TokenStream) -> syn::Item {
        let expanded = crate::expand::with_defer(args, item);
        syn::parse2(expanded.clone()).unwrap_or(syn::Item::Verbatim(expanded))
    }
}

impl VisitMut for ExpandAttributes {
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        if let syn::Item::Fn(func) = item {
            if let Some(args) = Self::take_attribute(&mut func.attrs) {
                *item = Self::expand(args, func.to_token_stream());
            }
        }
        visit_mut::visit_item_mut(self, item);
    }

    fn visit_impl_item_mut(&mut self, item: &mut syn::ImplItem) {
        if let syn::ImplItem::Fn(method) = item {
            if let Some(args) = Self::take_attribute(&mut method.attrs) {
                let expanded = Self::expand(args, method.to_token_stream());
                *item = syn::parse2(expanded.into_token_stream()).expect("a method stays a method");
            }
        }
        visit_mut::visit_impl_item_mut(self, item);
    }
}

fn rustfmt(source: String) -> String {
    let mut child = Command::new(env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2021"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("rustfmt runs (it ships with the toolchain: `rustup component add rustfmt`)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "rustfmt rejected the expansion:\n{source}"
    );
    String::from_utf8(output.stdout).unwrap()
}

fn expand_file(path: &Path) -> String {
    let source = fs::read_to_string(path).unwrap();
    let mut file: syn::File = syn::parse_file(&source).unwrap();
    ExpandAttributes.visit_file_mut(&mut file);
    rustfmt(file.into_token_stream().to_string())
}

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/expand");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| !p.to_string_lossy().ends_with(".expanded.rs"))
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn snapshot() {
    let overwrite = env::var("MACROTEST").is_ok_and(|v| v == "overwrite");
    let inputs = inputs();
    assert!(!inputs.is_empty(), "no inputs in tests/expand");
    let mut stale = Vec::new();
    for input in inputs {
        let expected_path = input.with_extension("expanded.rs");
        let actual = expand_file(&input);
        if overwrite {
            fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            eprintln!(
                "--- {} (expected)\n{expected}\n+++ actual\n{actual}",
                expected_path.display()
            );
            stale.push(expected_path);
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ (MACROTEST=overwrite to accept): {stale:?}"
    );
}
