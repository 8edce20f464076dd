//! Choosing the lowering (Go's open-coding rule) and grouping the defer sites
//! into records declared before the top-level statement that holds them.

use std::collections::HashSet;

use proc_macro2::Ident;

use crate::analyse::Analysis;
use crate::args::Requested;
use crate::names;

/// Go's limit on open-coded defers per function (`deferBits` is one byte).
const MAX_OPEN_CODED: usize = 8;
/// Go's limit on returns x defers for open-coding (code size at every exit).
const MAX_RETURNS_TIMES_DEFERS: usize = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// Each deferred call in its own local, run inline at every exit.
    OpenCoded,
    /// Records filled by `deferproc_stack`/`deferproc`, run by `deferreturn`.
    Chain,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GroupKind {
    /// Open-coded slot of one site.
    Open,
    /// Stack record of one site outside loops.
    Stack,
    /// Loop stack of every site in one outermost loop.
    Loop,
}

/// One record declaration and the sites it serves.
pub(crate) struct Group {
    pub kind: GroupKind,
    /// The top-level statement it is declared before.
    pub stmt: usize,
    pub ident: Ident,
    /// Site ids, in source order.
    pub sites: Vec<usize>,
    /// The enum that lets several loop sites share one stack, if needed.
    pub sites_enum: Option<Ident>,
    /// Its first site's `defer`: the declaration is reported there.
    pub span: proc_macro2::Span,
    /// A loop group whose sites repeat only because of a match guard.
    pub guard: bool,
    /// One of its sites calls `recover()`: a catch follows its statement.
    pub recovers: bool,
    /// One of its sites is a call whose callee may recover itself (Go's
    /// `defer handlePanic()`): a catch follows its statement, and the record
    /// offers the frame to its callees while a panic runs it.
    pub offers: bool,
}

pub(crate) struct Plan {
    pub strategy: Strategy,
    /// Why, in Go's terms (`-gcflags=-d=defer`), for `explain`.
    pub reason: String,
    /// A site has the result form: the function has a `Results` at its top,
    /// which its exits fill before the records run.
    pub result: bool,
    /// A site calls `recover()`: the function has a frame and a `Results`
    /// at its top, and a catch after each statement with recovering records.
    pub recover: bool,
    /// A site's callee may be a handler: a catch after each statement with
    /// such records (with no books kept unless the function also recovers).
    pub offers: bool,
    /// In declaration order: by statement, then by first site.
    pub groups: Vec<Group>,
    /// For each site: its group and its place among the group's sites.
    pub site_group: Vec<(usize, usize)>,
}

// analysis + #[with_defer(..)]  ->  strategy and record groups; `taken` holds
// every identifier of the function, which a generated item name must avoid
pub(crate) fn plan(
    requested: Requested,
    analysis: &Analysis,
    taken: &HashSet<String>,
) -> syn::Result<Plan> {
    let (strategy, reason) = choose(requested, analysis)?;
    let mut plan = Plan {
        strategy,
        reason,
        result: analysis.sites.iter().any(|s| s.result_form),
        recover: analysis.sites.iter().any(|s| s.recovers),
        offers: analysis.sites.iter().any(|s| s.offers),
        groups: Vec::new(),
        site_group: Vec::new(),
    };
    let mut loop_groups: Vec<(usize, usize)> = Vec::new();
    for (id, site) in analysis.sites.iter().enumerate() {
        let existing = site
            .loop_id
            .and_then(|l| loop_groups.iter().find(|(id, _)| *id == l).map(|(_, g)| *g));
        let group = match existing {
            Some(group) => group,
            None => {
                let kind = match (site.loop_id, strategy) {
                    (Some(_), _) => GroupKind::Loop,
                    (None, Strategy::OpenCoded) => GroupKind::Open,
                    (None, Strategy::Chain) => GroupKind::Stack,
                };
                if let Some(l) = site.loop_id {
                    loop_groups.push((l, plan.groups.len()));
                }
                plan.groups.push(new_group(kind, site, plan.groups.len()));
                plan.groups.len() - 1
            }
        };
        plan.groups[group].guard &= site.in_guard;
        plan.groups[group].recovers |= site.recovers;
        plan.groups[group].offers |= site.offers;
        plan.site_group
            .push((group, plan.groups[group].sites.len()));
        plan.groups[group].sites.push(id);
    }
    // A handler's catch runs the statements after it in a closure, which
    // would capture the locals declared before it, and would be where
    // `Location::caller()` points in a `#[track_caller]` fn: only the records
    // declared before the first local of a fn that does not track its caller
    // get one (a handler that the others reach says at run time why it
    // cannot stop the panic).
    for group in &mut plan.groups {
        group.offers &=
            !analysis.track_caller && analysis.first_local.is_none_or(|at| group.stmt < at);
    }
    plan.offers = plan.groups.iter().any(|g| g.offers);
    name_sites_enums(&mut plan.groups, taken);
    Ok(plan)
}

// loop groups with several sites  ->  `__DeferSites0`, `__DeferSites1`, ..., each
// a name the function does not use (an item in the body is not hygienic)
fn name_sites_enums(groups: &mut [Group], taken: &HashSet<String>) {
    let mut next = 0;
    for group in groups.iter_mut() {
        if group.kind != GroupKind::Loop || group.sites.len() < 2 {
            continue;
        }
        let name = loop {
            let name = format!("__DeferSites{next}");
            next += 1;
            if !taken.contains(&name) {
                break name;
            }
        };
        group.sites_enum = Some(Ident::new(&name, proc_macro2::Span::call_site()));
    }
}

fn new_group(kind: GroupKind, site: &crate::analyse::Site, n: usize) -> Group {
    let prefix = match kind {
        GroupKind::Open => "__defer_open",
        GroupKind::Stack => "__defer_stack",
        GroupKind::Loop => "__defer_loop",
    };
    Group {
        kind,
        stmt: site.stmt,
        ident: names::numbered(prefix, n),
        sites: Vec::new(),
        sites_enum: None,
        span: site.span,
        guard: site.in_guard,
        recovers: false,
        offers: false,
    }
}

// Go's rule (cmd/compile ssagen): no defer in a loop, at most 8 defers, and
// returns x defers <= 15. A single return path duplicates no code, so it
// qualifies whatever the count.
fn choose(requested: Requested, analysis: &Analysis) -> syn::Result<(Strategy, String)> {
    let in_loop = analysis.sites.iter().find(|s| s.loop_id.is_some());
    let (defers, exits) = (analysis.sites.len(), analysis.exits);
    let product = format!("{exits} returns x {defers} defers = {}", exits * defers);
    Ok(match (requested, in_loop) {
        (Requested::OpenCoded, Some(site)) if site.in_guard => {
            return Err(syn::Error::new_spanned(
                &site.tokens,
                "#[with_defer(open_coded)] cannot open-code this `defer!`: it is in the guard of a match arm with an or-pattern, which Rust runs once per alternative that matches, so it can run more than once and needs one record per run, which only the chain lowering keeps. Remove `open_coded`, or move the `defer!` out of the guard",
            ));
        }
        (Requested::OpenCoded, Some(site)) => {
            return Err(syn::Error::new_spanned(
                &site.tokens,
                "#[with_defer(open_coded)] cannot open-code this `defer!`: it is inside a loop, so it can run any number of times and needs one record per iteration, which only the chain lowering keeps. Remove `open_coded`, or move the loop body into a nested fn marked `#[with_defer]`",
            ));
        }
        (Requested::OpenCoded, None) => (
            Strategy::OpenCoded,
            "forced by #[with_defer(open_coded)]".into(),
        ),
        (Requested::Chain, _) => (Strategy::Chain, "forced by #[with_defer(chain)]".into()),
        (Requested::Auto, Some(site)) if site.in_guard => (
            Strategy::Chain,
            "a defer in the guard of an or-pattern, which can run more than once, keeps the whole function off open-coding".into(),
        ),
        (Requested::Auto, Some(_)) => (
            Strategy::Chain,
            "a defer in a loop keeps the whole function off open-coding".into(),
        ),
        (Requested::Auto, None) if exits <= 1 => (Strategy::OpenCoded, "single return path".into()),
        (Requested::Auto, None) if defers > MAX_OPEN_CODED => (
            Strategy::Chain,
            format!("{defers} defers > {MAX_OPEN_CODED}"),
        ),
        (Requested::Auto, None) if exits * defers > MAX_RETURNS_TIMES_DEFERS => (
            Strategy::Chain,
            format!("{product} > {MAX_RETURNS_TIMES_DEFERS}"),
        ),
        (Requested::Auto, None) => (
            Strategy::OpenCoded,
            format!("{product} <= {MAX_RETURNS_TIMES_DEFERS}"),
        ),
    })
}

impl Plan {
    /// Whether the function's result is kept where its deferred closures
    /// share it (Go's named results, which exist for the whole call): with
    /// the result form, and with `recover()`, after which the function
    /// returns what the closures left.
    pub(crate) fn with_results(&self) -> bool {
        self.recover || self.result
    }

    /// Whether statements get catches: some records recover, or may reach a
    /// handler that does.
    pub(crate) fn catches(&self) -> bool {
        self.recover || self.offers
    }

    /// Whether site `id` is in a loop (not only in a repeating guard): the
    /// sites that get the loop warning.
    pub(crate) fn in_loop(&self, id: usize) -> bool {
        self.site_group
            .get(id)
            .is_some_and(|&(g, _)| self.groups[g].kind == GroupKind::Loop && !self.groups[g].guard)
    }

    /// How site `id` is lowered, in Go's words: what `-gcflags=-d=defer` prints.
    pub(crate) fn explain(&self, id: usize) -> String {
        let Some(&(group, _)) = self.site_group.get(id) else {
            return String::new();
        };
        match self.groups[group].kind {
            GroupKind::Open => format!("open-coded defer ({})", self.reason),
            GroupKind::Stack => format!("stack-allocated defer ({})", self.reason),
            GroupKind::Loop if self.groups[group].guard => "heap-allocated defer (in the guard of an or-pattern, which runs once per alternative that matches: one record per run, as in a loop)".into(),
            GroupKind::Loop => "heap-allocated defer (in a loop: one record per iteration, the first 16 kept in the frame, the rest in one growing buffer)".into(),
        }
    }
}
