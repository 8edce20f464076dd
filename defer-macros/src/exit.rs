//! Exit sequences: what a `return`, a `?`, the tail or the end of the body
//! runs before the function returns.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Stmt;

use crate::lower::Lower;
use crate::names;
use crate::plan::{Group, Strategy};
use crate::records::{located_at, verbatim_stmt};

impl Lower<'_> {
    /// The groups in scope at the walk's position, newest first.
    pub(crate) fn in_scope(&self) -> Vec<&Group> {
        self.plan.groups[..self.in_scope].iter().rev().collect()
    }

    /// Whether exits fill a result slot (result-form defers or `recover()`).
    fn with_slot(&self) -> bool {
        self.plan.layered()
    }

    // the records in scope  ->  open-coded: `__defer_open_1.run(); __defer_open_0.run();`
    //                           chain: `deferreturn(&mut [&mut __defer_stack_1, &mut __defer_loop_0]);`
    fn run_records(&self, groups: &[&Group], at: Span) -> TokenStream {
        let idents: Vec<_> = groups.iter().map(|g| located_at(&g.ident, at)).collect();
        match self.plan.strategy {
            Strategy::OpenCoded => quote_spanned! {at=>
                #[allow(unreachable_code)]
                { #( #idents.run(); )* }
            },
            Strategy::Chain => {
                let private = names::private();
                quote_spanned! {at=>
                    #[allow(unreachable_code)]
                    #private::deferreturn(&mut [#(&mut #idents),*]);
                }
            }
        }
    }

    // the records in scope  ->  through the exit with the result slot:
    // open-coded: `__defer_exit.run(&mut __defer_open_1); ..`, chain: `__defer_exit.deferreturn(&mut [..]);`
    fn run_with_slot(&self, groups: &[&Group], at: Span) -> TokenStream {
        if groups.is_empty() {
            return TokenStream::new();
        }
        let exit = names::local("__defer_exit");
        let idents: Vec<_> = groups.iter().map(|g| located_at(&g.ident, at)).collect();
        match self.plan.strategy {
            Strategy::OpenCoded => quote_spanned!(at=> #( #exit.run(&mut #idents); )*),
            Strategy::Chain => quote_spanned!(at=> #exit.deferreturn(&mut [#(&mut #idents),*]);),
        }
    }

    // value  ->  `{ let __defer_ret = value; <run records>; __defer_ret }`: the
    // return value is computed (and the temporaries of its expression dropped)
    // before the deferred calls run. With a result slot:
    // `{ let mut __defer_exit = Exit::returning(&mut __defer_ret, value, frame); <run>; __defer_exit.finish(zero) }`
    pub(crate) fn exit(&self, value: TokenStream, at: Span) -> TokenStream {
        let groups = self.in_scope();
        if groups.is_empty() {
            return value;
        }
        let ret = names::local("__defer_ret");
        if !self.with_slot() {
            let runs = self.run_records(&groups, at);
            return quote! {{
                #[allow(clippy::diverging_sub_expression)] // `return todo!()` and the like
                let #ret = #value;
                #runs
                #ret
            }};
        }
        let (exit, private) = (names::local("__defer_exit"), names::private());
        let (slot, frame) = match self.plan.layered() {
            true => {
                let frame = names::local("__defer_frame");
                (
                    TokenStream::new(),
                    quote!(::core::option::Option::Some(#frame)),
                )
            }
            false => (
                quote!(let mut #ret = ::core::option::Option::None;),
                quote!(::core::option::Option::None),
            ),
        };
        let runs = self.run_with_slot(&groups, at);
        let zero = self.zero();
        quote! {{
            #slot
            #[allow(unreachable_code, clippy::diverging_sub_expression)] // `return todo!()` and the like
            let mut #exit = #private::Exit::returning(&mut #ret, #value, #frame);
            #runs
            #exit.finish(#zero)
        }}
    }

    /// The end of a unit function that runs off its last statement.
    pub(crate) fn unit_end(&self, at: Span) -> Stmt {
        match self.with_slot() {
            false => verbatim_stmt(self.run_records(&self.in_scope(), at)),
            true => {
                let exit = self.exit(quote!(()), at);
                verbatim_stmt(quote!(#[allow(unreachable_code)] #exit;))
            }
        }
    }

    // after a recover, the records declared before the catch  ->
    // `{ let mut __defer_exit = Exit::recovered(&mut __defer_ret, __defer_frame); <run>; __defer_exit.finish(zero) }`
    pub(crate) fn after_recover(&self, groups: &[&Group], at: Span) -> TokenStream {
        let (exit, ret, frame) = (
            names::local("__defer_exit"),
            names::local("__defer_ret"),
            names::local("__defer_frame"),
        );
        let private = names::private();
        let runs = self.run_with_slot(groups, at);
        let zero = self.zero();
        quote! {{
            let mut #exit = #private::Exit::recovered(&mut #ret, #frame);
            #runs
            #exit.finish(#zero)
        }}
    }

    // the result a recovering function returns when nothing set it  ->
    // `|| (&&Zero::<R>::new()).zero("f")`: `R::default()` (Go's zero value) or a
    // panic naming the function; without a nameable `R`, the panic
    fn zero(&self) -> TokenStream {
        let private = names::private();
        let name = &self.fn_name;
        match &self.ret_type {
            Some(ty) => quote! {
                || {
                    #[allow(unused_imports)]
                    use #private::{ZeroByDefault as _, ZeroByPanic as _};
                    (&&#private::Zero::<#ty>::new()).zero(#name)
                }
            },
            None => quote!(|| #private::no_result_hidden_type(#name)),
        }
    }
}
