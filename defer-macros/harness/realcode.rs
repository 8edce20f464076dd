//! The macro over code no one here wrote: every function with a body in the
//! crates of the local cargo registry, with `defer!` statements inserted at
//! seeded random points (the body's top level, nested blocks, loop bodies,
//! closures, and each form: call, method, closure, result form, block, and a
//! `recover()`), must expand without a panic, and the output must parse as
//! the item it replaces. Misuse (a `defer!` landed in a closure) must come out
//! as a `compile_error!`, never as a panic.
//!
//! `cargo test -p godefer-macros real_code` reads up to 400 source files;
//! `REALCODE_FILES=all REALCODE_SEED=7 cargo test -p godefer-macros real_code -- --nocapture`
//! reads them all with another seed and prints the counts.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::{env, fs};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};

/// A small seeded generator (xorshift64*), enough to pick insertion points.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The `defer!` statements to insert, one of each form.
fn defers() -> Vec<syn::Stmt> {
    let forms: [TokenStream; 7] = [
        quote!(defer!(drop(0u8));),
        quote!(defer!(println!("deferred"));),
        quote!(defer!(move || ());),
        quote!(defer!(|ret| { let _ = ret; });),
        quote!(defer! { let _x = 1; }),
        quote!(defer!(String::new().clear());),
        quote!(defer!(|| { let _ = recover(); });),
    ];
    forms.into_iter().map(|f| syn::parse2(f).unwrap()).collect()
}

/// Inserts `defer!` statements into the blocks of one function body.
struct Insert<'a> {
    rng: &'a mut Rng,
    defers: &'a [syn::Stmt],
    inserted: usize,
}

impl VisitMut for Insert<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        visit_mut::visit_block_mut(self, block);
        if self.rng.below(3) == 0 {
            return;
        }
        // Anywhere among the statements, but before a tail expression.
        let has_tail = matches!(block.stmts.last(), Some(syn::Stmt::Expr(_, None)));
        let at = self.rng.below(block.stmts.len() + usize::from(!has_tail));
        let stmt = self.defers[self.rng.below(self.defers.len())].clone();
        block.stmts.insert(at, stmt);
        self.inserted += 1;
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

#[derive(Default, Debug)]
struct Counts {
    files: usize,
    unparsable_files: usize,
    functions: usize,
    lowered: usize,
    rejected: usize,
    defers: usize,
}

/// Expands one function with inserted defers; panics are the failures.
fn try_function(func: &syn::ItemFn, rng: &mut Rng, defers: &[syn::Stmt], counts: &mut Counts) {
    let mut func = func.clone();
    func.attrs.retain(|a| !a.path().is_ident("with_defer"));
    let mut insert = Insert {
        rng,
        defers,
        inserted: 0,
    };
    insert.visit_block_mut(&mut func.block);
    counts.defers += insert.inserted;
    let input = func.to_token_stream();
    let output = catch_unwind(AssertUnwindSafe(|| {
        crate::expand::with_defer(TokenStream::new(), input.clone())
    }))
    .unwrap_or_else(|_| panic!("the macro panicked on:\n{input}"));
    counts.functions += 1;
    if output.to_string().contains("compile_error") {
        counts.rejected += 1;
    } else {
        counts.lowered += 1;
    }
    // The output is the error (if any) and the function: it must parse.
    let parsed: syn::Result<syn::File> = syn::parse2(output.clone());
    assert!(
        parsed.is_ok(),
        "the expansion does not parse:\n{input}\n=>\n{output}"
    );
}

/// Every function with a body in a file: free fns and methods of impls.
fn functions(file: &syn::File) -> Vec<syn::ItemFn> {
    struct Collect(Vec<syn::ItemFn>);
    impl<'ast> syn::visit::Visit<'ast> for Collect {
        fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
            self.0.push(f.clone());
            syn::visit::visit_item_fn(self, f);
        }
        fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
            self.0.push(syn::ItemFn {
                attrs: f.attrs.clone(),
                vis: f.vis.clone(),
                modifiers: f.modifiers.clone(),
                sig: f.sig.clone(),
                block: Box::new(f.block.clone()),
            });
            syn::visit::visit_impl_item_fn(self, f);
        }
    }
    let mut collect = Collect(Vec::new());
    syn::visit::Visit::visit_file(&mut collect, file);
    collect.0
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The registry's unpacked sources, e.g. `~/.cargo/registry/src/<index>/<crate>`.
fn registry_sources() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let src = home.join("registry/src");
    src.is_dir().then_some(src)
}

#[test]
fn real_code() {
    let Some(src) = registry_sources() else {
        panic!("no cargo registry sources to read (a build of this workspace fills them)");
    };
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let limit = match env::var("REALCODE_FILES").as_deref() {
        Ok("all") => usize::MAX,
        Ok(n) => n.parse().expect("REALCODE_FILES is a number or `all`"),
        Err(_) => 400,
    };
    let seed =
        env::var("REALCODE_SEED").map_or(1, |s| s.parse().expect("REALCODE_SEED is a number"));
    let mut rng = Rng(seed | 1);
    // Spread the files read over the whole registry, not its first crates.
    let step = (files.len() / limit.min(files.len()).max(1)).max(1);
    let defers = defers();
    let mut counts = Counts::default();
    for path in files.iter().step_by(step).take(limit) {
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        counts.files += 1;
        let Ok(file) = syn::parse_file(&text) else {
            counts.unparsable_files += 1;
            continue;
        };
        for func in functions(&file) {
            try_function(&func, &mut rng, &defers, &mut counts);
        }
    }
    println!("real code, seed {seed}: {counts:?}");
    assert!(
        counts.functions >= 1000,
        "too few functions tried: {counts:?}"
    );
    assert!(counts.lowered > 0 && counts.rejected > 0, "{counts:?}");
}
