//! Other macros' arguments. A rewrite of tokens cannot see a `?` or `return`
//! inside `println!("{}", x?)`, so for the standard macros whose arguments are
//! ordinary expressions evaluated in place, the arguments are parsed, walked
//! like the rest of the body, and printed back. Other macros are left alone:
//! an exit hidden in one still runs the deferred calls, through the records'
//! `Drop`, in the same order. A `defer!` hidden in one is an error.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

/// Standard macros whose arguments are expressions evaluated where the macro stands.
const EXPRESSION_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
];

/// The parsed arguments of an expression macro.
pub(crate) enum Args {
    /// `a, b, c`
    List(Punctuated<Expr, Token![,]>),
    /// `vec![elem; n]`
    Repeat(Box<Expr>, Token![;], Box<Expr>),
}

impl Args {
    pub(crate) fn exprs_mut(&mut self) -> Vec<&mut Expr> {
        match self {
            Args::List(list) => list.iter_mut().collect(),
            Args::Repeat(elem, _, n) => vec![&mut **elem, &mut **n],
        }
    }
}

impl ToTokens for Args {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Args::List(list) => list.to_tokens(tokens),
            Args::Repeat(elem, semi, n) => {
                elem.to_tokens(tokens);
                semi.to_tokens(tokens);
                n.to_tokens(tokens);
            }
        }
    }
}

/// Whether the tokens hold anything the body walk must see: `?`, `return`,
/// `defer!` or `recover`.
pub(crate) fn needs_walk(tokens: &TokenStream) -> bool {
    let mut previous_is_defer = false;
    for tree in tokens.clone() {
        let found = match &tree {
            TokenTree::Punct(p) => p.as_char() == '?' || (previous_is_defer && p.as_char() == '!'),
            TokenTree::Ident(i) => i == "return" || i == "recover",
            TokenTree::Group(g) => needs_walk(&g.stream()),
            TokenTree::Literal(_) => false,
        };
        if found {
            return true;
        }
        previous_is_defer = matches!(&tree, TokenTree::Ident(i) if i == "defer");
    }
    false
}

/// The first `defer!(..)` anywhere in the tokens, as tokens to point an error at.
pub(crate) fn find_defer(tokens: &TokenStream) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(g) = tree {
            if let Some(found) = find_defer(&g.stream()) {
                return Some(found);
            }
        }
        let is_defer = matches!(tree, TokenTree::Ident(id) if id == "defer");
        let bang = matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        if is_defer && bang {
            return Some(trees[i..trees.len().min(i + 3)].iter().cloned().collect());
        }
    }
    None
}

// `println!("{}", x?)`  ->  Some(Args::List["{}", x?]) when it must be walked;
// None for macros left alone.
pub(crate) fn parse(mac: &syn::Macro) -> Option<Args> {
    let name = mac.path.segments.last()?.ident.to_string();
    if !EXPRESSION_MACROS.contains(&name.as_str()) || !needs_walk(&mac.tokens) {
        return None;
    }
    parse_args.parse2(mac.tokens.clone()).ok()
}

fn parse_args(input: ParseStream) -> syn::Result<Args> {
    let fork = input.fork();
    if fork.parse::<Expr>().is_ok() && fork.peek(Token![;]) {
        {
            let elem: Expr = input.parse()?;
            let semi: Token![;] = input.parse()?;
            let n: Expr = input.parse()?;
            return Ok(Args::Repeat(Box::new(elem), semi, Box::new(n)));
        }
    }
    Punctuated::parse_terminated(input).map(Args::List)
}

/// Whether the tokens hold a `?` or a `return`.
pub(crate) fn holds_exit(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match &tree {
        TokenTree::Punct(p) => p.as_char() == '?',
        TokenTree::Ident(i) => i == "return",
        TokenTree::Group(g) => holds_exit(&g.stream()),
        TokenTree::Literal(_) => false,
    })
}

/// Whether the tokens hold a call `recover(..)`.
pub(crate) fn holds_recover(tokens: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Ident(id) => {
            id == "recover" && matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis)
        }
        TokenTree::Group(g) => holds_recover(&g.stream()),
        _ => false,
    })
}

/// Macros known not to leave the function, besides [`EXPRESSION_MACROS`]:
/// the rest of the standard library's, and the common logging and quoting
/// ones. Also those whose expansion must stay where it stands: `pin!` returns
/// a reference to a temporary it creates, `pin_mut!` and `thread_local!`
/// declare names for the code after them.
const NO_HIDDEN_EXIT: &[&str] = &[
    "addr_of",
    "addr_of_mut",
    "cfg",
    "cfg_if",
    "column",
    "compile_error",
    "concat",
    "const_format",
    "debug",
    "env",
    "error",
    "event",
    "file",
    "format_ident",
    "include",
    "include_bytes",
    "include_str",
    "info",
    "lazy_static",
    "line",
    "matches",
    "module_path",
    "option_env",
    "parse_quote",
    "parse_quote_spanned",
    "pin",
    "pin_mut",
    "quote",
    "quote_spanned",
    "stringify",
    "thread_local",
    "trace",
    "warn",
];

/// Whether a macro call may expand to a `return` or `?` that the attribute
/// cannot see (`anyhow::bail!`, a user's `macro_rules!`): any macro but
/// `defer!` and those known not to.
pub(crate) fn may_hide_exit(mac: &syn::Macro) -> bool {
    let Some(last) = mac.path.segments.last() else {
        return false;
    };
    let name = last.ident.to_string();
    !crate::site::is_defer(mac)
        && !EXPRESSION_MACROS.contains(&name.as_str())
        && !NO_HIDDEN_EXIT.contains(&name.as_str())
}

/// The first `break` or `continue` in the tokens that would leave a loop
/// around the macro call (not one inside a loop or closure of the tokens
/// themselves), as tokens to point an error at: a closure around the call
/// would cut it off from its loop.
pub(crate) fn find_jump(tokens: &TokenStream) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut skip_next_group = false;
    for tree in &trees {
        match tree {
            TokenTree::Ident(i) if i == "break" || i == "continue" => {
                return Some(tree.clone().into());
            }
            // The body of a nested loop or closure: its jumps are its own.
            TokenTree::Ident(i) if i == "loop" || i == "while" || i == "for" || i == "move" => {
                skip_next_group = true;
            }
            TokenTree::Punct(p) if p.as_char() == '|' => skip_next_group = true,
            TokenTree::Group(g)
                if g.delimiter() == proc_macro2::Delimiter::Brace && skip_next_group =>
            {
                skip_next_group = false;
            }
            TokenTree::Group(g) => {
                if let Some(found) = find_jump(&g.stream()) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a function's return type is one a hidden exit can be caught for:
/// `Result<..>`, `Option<..>`, or a path whose last name ends in `Result`
/// (`io::Result`, `anyhow::Result`, a user's `AppResult`).
pub(crate) fn rewrappable(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    path.path.segments.last().is_some_and(|s| {
        let name = s.ident.to_string();
        name.ends_with("Result") || name == "Option"
    })
}
