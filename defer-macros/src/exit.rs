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

    // the records in scope  ->  open-coded: `__defer_open_1.run(); __defer_open_0.run();`
    //                           chain: `deferreturn(&mut [&mut __defer_stack_1, &mut __defer_loop_0]);`
    fn run_records(&self, groups: &[&Group], at: Span) -> TokenStream {
        if groups.is_empty() {
            return TokenStream::new();
        }
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

    // value  ->  `{ let __defer_ret = value; <run records>; __defer_ret }`: the
    // return value is computed (and the temporaries of its expression dropped)
    // before the deferred calls run. With `Results` (result form, recover):
    // `{ let __defer_value = value;
    //    let __defer_left = __defer_results.returning(__defer_value, || { <run records> });
    //    __defer_left.unwrap_or_else(__defer_zero) }`
    pub(crate) fn exit(&self, value: TokenStream, at: Span) -> TokenStream {
        let groups = self.in_scope();
        if groups.is_empty() {
            return value;
        }
        let runs = self.run_records(&groups, at);
        if !self.plan.with_results() {
            let ret = names::local("__defer_ret");
            return quote! {{
                #[allow(clippy::diverging_sub_expression)] // `return todo!()` and the like
                let #ret = #value;
                #runs
                #ret
            }};
        }
        let (results, value_ident, left) = (
            names::local("__defer_results"),
            names::local("__defer_value"),
            names::local("__defer_left"),
        );
        let finish = self.finish(quote!(#left));
        quote! {{
            #[allow(clippy::diverging_sub_expression)] // `return todo!()` and the like
            let #value_ident = #value;
            #[allow(unreachable_code)]
            let #left = #results.returning(#value_ident, || { #runs });
            #finish
        }}
    }

    // what the closures left  ->  `left.unwrap_or_else(__defer_zero)`, as `!`
    // (`match .. {}`) in a function that never returns
    fn finish(&self, left: TokenStream) -> TokenStream {
        let zero = names::local("__defer_zero");
        let value = quote!(#left.unwrap_or_else(#zero));
        match self.never {
            false => value,
            true => quote!(match #value {}),
        }
    }

    /// The end of a unit function that runs off its last statement.
    pub(crate) fn unit_end(&self, at: Span) -> Stmt {
        match self.plan.with_results() {
            false => verbatim_stmt(self.run_records(&self.in_scope(), at)),
            true => {
                let exit = self.exit(quote!(()), at);
                verbatim_stmt(quote!(#[allow(unreachable_code)] #exit;))
            }
        }
    }

    // after a recover, the records declared before the catch  ->
    // `{ <run records>; __defer_results.take().unwrap_or_else(__defer_zero) }`;
    // without `Results` (a handler recovered in a plain function), the zero
    // value: `{ <run records>; (<zero>)() }`
    pub(crate) fn after_recover(&self, groups: &[&Group], at: Span) -> TokenStream {
        let runs = self.run_records(groups, at);
        let finish = match self.plan.with_results() {
            true => {
                let results = names::local("__defer_results");
                self.finish(quote!(#results.take()))
            }
            false => {
                let zero = self.zero_value();
                match self.never {
                    false => zero,
                    true => quote!(match #zero {}),
                }
            }
        };
        quote! {{
            #runs
            #finish
        }}
    }

    /// The type of the function's `Results`: the return type, `Infallible`
    /// for `!` (not nameable on stable), `_` for an `impl Trait`.
    pub(crate) fn slot_type(&self) -> TokenStream {
        match (&self.ret_type, self.never) {
            (_, true) => quote!(::core::convert::Infallible),
            (Some(ty), false) => quote!(#ty),
            (None, false) => quote!(_),
        }
    }

    // the result a function returns when its closures left none  ->
    // `|| (&&Zero::<R>::new()).zero("f")`: `R::default()` (Go's zero value) or a
    // panic naming the function; without a nameable `R`, the panic
    pub(crate) fn zero(&self) -> TokenStream {
        let value = self.zero_value();
        quote!(|| #value)
    }

    // the zero value itself  ->
    // `{ use ZeroByDefault/ZeroByPanic; (&&Zero::<R>::new()).zero("f") }`
    pub(crate) fn zero_value(&self) -> TokenStream {
        let private = names::private();
        let name = &self.fn_name;
        let ty = self.slot_type();
        match &self.ret_type {
            Some(_) => quote! {{
                #[allow(unused_imports)]
                use #private::{ZeroByDefault as _, ZeroByPanic as _};
                (&&#private::Zero::<#ty>::new()).zero(#name)
            }},
            None => quote!(#private::no_result_hidden_type(#name)),
        }
    }
}
