//! Errors: every misuse becomes a `compile_error!` at the user's tokens.

/// `syn::Error` at the given tokens, with a formatted message.
macro_rules! format_err {
    ($tokens:expr, $($msg:tt)*) => {
        syn::Error::new_spanned(&$tokens, format!($($msg)*))
    };
}

/// Returns early with [`format_err!`].
macro_rules! bail {
    ($($tt:tt)*) => {
        return Err($crate::error::format_err!($($tt)*))
    };
}

pub(crate) use {bail, format_err};

/// Collects several errors so that one expansion reports every misuse at once.
#[derive(Default)]
pub(crate) struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    pub(crate) fn into_result(self) -> syn::Result<()> {
        self.first.map_or(Ok(()), Err)
    }
}
