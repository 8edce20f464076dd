//! The generated programs: a few functions `f0..fK` of one `n: i64`
//! parameter, each with a mutable local `x` (initially `n`), calling only
//! functions with a higher index (so every program terminates), and a
//! top-level harness that calls `f0` with each input and prints what it
//! returned or the panic that escaped it.

/// The return type of a generated function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Rust `i64` (zero value 0), Go `int`.
    Int,
    /// Rust `Result<i64, String>` (no `Default`), Go `Res`.
    Res,
}

/// A whole program.
#[derive(Debug, Clone)]
pub struct Program {
    /// `funcs[0]` is called by the harness; `funcs[i]` calls only `funcs[j]`, `j > i`.
    pub funcs: Vec<Func>,
    /// The harness calls `f0(n)` for each of these, in order.
    pub inputs: Vec<i64>,
}

/// One generated function `f{index}(n: i64) -> ty`.
#[derive(Debug, Clone)]
pub struct Func {
    pub ty: Ty,
    pub body: Vec<Stmt>,
    /// The value of the end of the body.
    pub tail: RetExpr,
}

/// An integer expression.
#[derive(Debug, Clone)]
pub enum Val {
    Lit(i64),
    /// The parameter.
    N,
    /// The local `x`, read when the expression is evaluated.
    X,
    /// The loop variable of the loop at this depth (0 = outermost).
    Loop(usize),
    Add(Box<Val>, Box<Val>),
}

/// A condition.
#[derive(Debug, Clone)]
pub enum Cond {
    Lt(Val, i64),
    Eq(Val, i64),
    Even(Val),
}

/// A statement of a function body. Ids are unique in their function and
/// name the statement in the trace.
#[derive(Debug, Clone)]
pub enum Stmt {
    /// Prints `f{f} s{id} x={x}` and the loop variables in scope.
    Say(u32),
    /// `x += val`.
    AddX(Val),
    If(Cond, Vec<Stmt>, Vec<Stmt>),
    /// `match val % arms.len()`: arm `k` for `k`, the last one also for the rest.
    Match(Val, Vec<Vec<Stmt>>),
    /// `for i{depth} in 0..count`.
    Loop(i64, Vec<Stmt>),
    Break,
    Continue,
    Return(RetExpr),
    /// `panic!("f{f} p{id} x={x}")`.
    Panic(u32),
    /// Prints `f{f} c{id} got {value}` of a call `f{callee}(val)`.
    Call(u32, usize, Val),
    /// `let t{id} = target(val)?;` then prints `f{f} t{id} got {t}` (only in `Res` functions).
    Try(u32, TryTarget, Val),
    Defer(u32, Defer),
}

/// What a `?` applies to.
#[derive(Debug, Clone)]
pub enum TryTarget {
    /// A generated function returning `Res`.
    Func(usize),
    /// `check(v)`: `Err("check {v}")` when `v % 3 == 0`, else `Ok(v)`.
    Check,
}

/// A returned value.
#[derive(Debug, Clone)]
pub enum RetExpr {
    /// `v` (`Int`) or `Ok(v)` (`Res`).
    Val(Val),
    /// `Err(format!("f{f} e{id} {v}"))` (only in `Res` functions).
    Err(u32, Val),
    /// `f{callee}(v)`, wrapped in `Ok` when an `Res` function returns an `Int` callee.
    Call(usize, Val),
}

/// A defer statement.
#[derive(Debug, Clone)]
pub enum Defer {
    /// `defer!(callee(label, arg))`: callee and argument evaluated now.
    Call { callee: Callee, arg: Arg },
    /// `defer!(|| { .. })` or `defer!(move || { .. })`.
    Closure { moves: bool, body: Vec<DStmt> },
    /// `defer! { .. }`.
    Block { body: Vec<DStmt> },
    /// `defer!(|ret| { .. })`, `move`, with the parameter type written or not.
    Ret {
        moves: bool,
        annotated: bool,
        body: Vec<DStmt>,
    },
}

/// The function of a call-form defer.
#[derive(Debug, Clone)]
pub enum Callee {
    /// `note(label, v)`: prints `{label} note {v}`.
    Note,
    /// `boom(label, v)`: prints `{label} boom {v}` and panics with the same text.
    Boom,
    /// A generated function, its result discarded.
    Func(usize),
}

/// The argument of a call-form defer, evaluated at the defer statement.
#[derive(Debug, Clone)]
pub enum Arg {
    Plain(Val),
    /// `ev(label, v)`: prints `{label} eval {v}`, returns `v`.
    Ev(Val),
    /// `ev_bad(label, v)`: prints `{label} eval {v}` and panics with
    /// `{label} bad arg {v}`: the defer statement panics, nothing is deferred.
    EvBad(Val),
    /// A call of a generated `Int` function, made at the defer statement.
    Call(usize, Val),
}

/// A statement of a deferred closure or block. Its label in the trace is
/// `f{f} d{defer id}.{index}`.
#[derive(Debug, Clone)]
pub enum DStmt {
    /// Prints `{label} x={x}` and the captured loop variables.
    Say,
    AddX(Val),
    /// `recover()`, called directly by the deferred closure.
    Recover(RecoverStyle),
    /// `panic!("{label} panic x={x}")`.
    Panic,
    /// `if let Some(p) = recover() { say("{label} repanic {p}"); p.resume() }`:
    /// Go's `panic(r)` of a recovered value.
    Repanic,
    /// Prints `{label} got {value}` of a call `f{callee}(val)`.
    Call(usize, Val),
    If(Cond, Vec<DStmt>),
    /// Result form only: prints `{label} ret={slot}`.
    ShowRet,
    /// Result form only: adds `val` to a returned `Int` or `Ok` value, if any.
    ModRet(Val),
    /// Result form only: replaces the result.
    SetRet(SetVal),
    /// Result form only: `if let Some(p) = recover() { say(recovered); *ret = Some(..) }`;
    /// an `Err` set is `Err("{label} rec {p}")`.
    RecoverSet(SetVal),
}

/// How a `recover()` is written and printed.
#[derive(Debug, Clone, Copy)]
pub enum RecoverStyle {
    /// `if let Some(p) = recover() { say("{label} recovered {p}") }`.
    IfLet,
    /// `let r = recover(); say("{label} recover {p or nil}")`.
    Let,
}

/// A value a result-form closure stores.
#[derive(Debug, Clone)]
pub enum SetVal {
    /// `v` or `Ok(v)`.
    Ok(Val),
    /// `Err("{label} set")`, or `Err("{label} rec {p}")` for `RecoverSet` (`Res` only).
    Err,
}

/// The panic of a function that recovered with an empty result slot and whose
/// type has no `Default` (the runtime's `ZeroByPanic`), as the trace shows it.
/// Go would return its zero value; Rust has none for `Result`, a documented
/// difference that the model follows and the Go programs emulate in each
/// function's wrapper. The runtime's wording is its own business: the Rust
/// side maps any message of the form "`f` has no result to return: .." to
/// this line (`rt::msg`).
pub fn zero_panic_message(function: &str) -> String {
    format!("{function} has no result to return (no zero value)")
}

impl Func {
    /// Whether a `defer!` sits inside a loop (then the function cannot be open-coded).
    pub fn has_loop_defer(&self) -> bool {
        fn walk(stmts: &[Stmt], in_loop: bool) -> bool {
            stmts.iter().any(|s| match s {
                Stmt::Defer(..) => in_loop,
                Stmt::If(_, a, b) => walk(a, in_loop) || walk(b, in_loop),
                Stmt::Match(_, arms) => arms.iter().any(|a| walk(a, in_loop)),
                Stmt::Loop(_, body) => walk(body, true),
                _ => false,
            })
        }
        walk(&self.body, false)
    }
}
