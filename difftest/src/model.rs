//! The reference model: an interpreter of the generated programs that follows
//! the Go spec ("Defer statements", "Handling panics", "Return statements").
//!
//! - Each call has its own defer stack; a defer statement evaluates the
//!   function value and arguments now (call form) or captures the closure now
//!   (closure forms, which read `x` when they run and keep the loop variables of
//!   their iteration: Rust `move`, Go `i := i`).
//! - At a return the result is set first, then the deferred calls run last in,
//!   first out; a panic in the body runs them too, with no result set.
//! - `recover()`, called directly by a deferred closure of the frame, returns
//!   the frame's current panic and stops it (`nil` if there is none or it was
//!   already recovered); the function then returns normally with its current
//!   result.
//! - A deferred call that panics replaces the frame's current panic (or starts
//!   one during a normal return); the remaining deferred calls still run.
//! - A result-form closure is a Go closure over a named result: it sees the
//!   result as the last `return` (or deferred closure) set it, "unset" (a nil
//!   pointer in Go) before that.
//! - One documented Rust difference: a function that returns normally after
//!   a recover with its result never set returns the zero value (`0` for
//!   `Int`), but `Res` (`Result`) has none, and the runtime panics with
//!   [`zero_panic_message`] after the deferred calls ran.

use crate::ast::*;

/// A value returned by a generated function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Res(Result<i64, String>),
}

/// How a value prints in the trace.
pub fn show(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Res(Ok(i)) => format!("ok {i}"),
        Value::Res(Err(e)) => format!("err {e}"),
    }
}

/// How a result slot prints in the trace.
pub fn show_slot(v: &Option<Value>) -> String {
    v.as_ref().map_or_else(|| "unset".to_string(), show)
}

enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
    Panic(String),
}

/// A deferred call waiting in a frame.
enum Pending<'p> {
    Call {
        label: String,
        callee: &'p Callee,
        arg: i64,
    },
    Closure {
        id: u32,
        body: &'p [DStmt],
        /// The loop variables the closure captured, outermost first.
        captured: Vec<i64>,
    },
}

struct Frame<'p> {
    fid: usize,
    n: i64,
    x: i64,
    loops: Vec<i64>,
    defers: Vec<Pending<'p>>,
}

/// The state of a frame's exit sequence seen by its deferred closures.
struct ExitState {
    slot: Option<Value>,
    panicking: Option<String>,
    /// A `return` (or `?`, or the end of the body) set the result.
    returned: bool,
    /// A deferred closure wrote the result while a panic from the body was
    /// unwinding: the pattern of the known bug `bug_result_set_during_panic_*`
    /// (the runtime hands closures run from `Drop` a fresh `&mut None`).
    tainted: bool,
}

/// What running a program gives.
#[derive(Debug, Clone)]
pub struct Run {
    pub trace: Vec<String>,
    /// The trace depends on a known library bug (see `gen::Config::avoid_known_bugs`).
    pub known_bug: bool,
}

/// Runs a program and returns its trace, or `None` if the trace grew past `limit` lines.
pub fn run(program: &Program, limit: usize) -> Option<Run> {
    let mut m = Model {
        program,
        trace: Vec::new(),
        limit,
        known_bug: false,
        escaped_supersedes: 0,
    };
    for &n in &program.inputs {
        m.say(format!("top {n}"));
        match m.call(0, n) {
            Ok(v) => m.say(format!("top returned {}", show(&v))),
            Err(p) => m.say(format!("top escaped {p}")),
        }
        if m.trace.len() > limit {
            return None;
        }
    }
    Some(Run {
        trace: m.trace,
        known_bug: m.known_bug,
    })
}

struct Model<'p> {
    program: &'p Program,
    trace: Vec<String>,
    limit: usize,
    known_bug: bool,
    /// How many calls have let a panic escape that superseded another one in
    /// their frame: the pattern of `bug_superseded_inside_deferred_call_*`.
    escaped_supersedes: usize,
}

fn loops_suffix(loops: &[i64]) -> String {
    loops
        .iter()
        .enumerate()
        .map(|(d, v)| format!(" i{d}={v}"))
        .collect()
}

impl<'p> Model<'p> {
    fn say(&mut self, line: String) {
        // Past the limit the program is discarded; stop growing the trace.
        if self.trace.len() <= self.limit {
            self.trace.push(line);
        }
    }

    /// Calls `f{fid}(n)`: its value, or the panic that escaped it.
    fn call(&mut self, fid: usize, n: i64) -> Result<Value, String> {
        let func = &self.program.funcs[fid];
        let mut fr = Frame {
            fid,
            n,
            x: n,
            loops: Vec::new(),
            defers: Vec::new(),
        };
        let flow = match self.block(&mut fr, &func.body) {
            Flow::Normal => self.ret(&mut fr, &func.tail),
            other => other,
        };
        let mut st = match flow {
            Flow::Return(v) => ExitState {
                slot: Some(v),
                panicking: None,
                returned: true,
                tainted: false,
            },
            Flow::Panic(p) => ExitState {
                slot: None,
                panicking: Some(p),
                returned: false,
                tainted: false,
            },
            Flow::Normal | Flow::Break | Flow::Continue => {
                unreachable!("break/continue outside a loop")
            }
        };
        let mut superseded = false;
        while let Some(d) = fr.defers.pop() {
            let while_panicking = st.panicking.is_some();
            let before = self.escaped_supersedes;
            if let Err(p) = self.run_deferred(&mut fr, d, &mut st) {
                // Known bug: a panic escaping a deferred call run during a
                // panic, after a panic inside it superseded another.
                self.known_bug |= while_panicking && self.escaped_supersedes != before;
                superseded |= st.panicking.is_some();
                st.panicking = Some(p);
            }
        }
        if let Some(p) = st.panicking {
            self.escaped_supersedes += usize::from(superseded);
            return Err(p);
        }
        self.known_bug |= st.tainted;
        match (st.slot, func.ty) {
            (Some(v), _) => Ok(v),
            (None, Ty::Int) => Ok(Value::Int(0)),
            (None, Ty::Res) => Err(zero_panic_message(&format!("f{fid}"))),
        }
    }

    fn val(&self, fr: &Frame, loops: &[i64], v: &Val) -> i64 {
        match v {
            Val::Lit(i) => *i,
            Val::N => fr.n,
            Val::X => fr.x,
            Val::Loop(d) => loops[*d],
            Val::Add(a, b) => self.val(fr, loops, a) + self.val(fr, loops, b),
        }
    }

    fn cond(&self, fr: &Frame, loops: &[i64], c: &Cond) -> bool {
        match c {
            Cond::Lt(v, k) => self.val(fr, loops, v) < *k,
            Cond::Eq(v, k) => self.val(fr, loops, v) == *k,
            Cond::Even(v) => self.val(fr, loops, v) % 2 == 0,
        }
    }

    fn block(&mut self, fr: &mut Frame<'p>, stmts: &'p [Stmt]) -> Flow {
        for s in stmts {
            match self.stmt(fr, s) {
                Flow::Normal => {}
                other => return other,
            }
        }
        Flow::Normal
    }

    fn ret(&mut self, fr: &mut Frame<'p>, e: &'p RetExpr) -> Flow {
        let ty = self.program.funcs[fr.fid].ty;
        let loops = fr.loops.clone();
        match e {
            RetExpr::Val(v) => {
                let v = self.val(fr, &loops, v);
                Flow::Return(match ty {
                    Ty::Int => Value::Int(v),
                    Ty::Res => Value::Res(Ok(v)),
                })
            }
            RetExpr::Err(id, v) => {
                let v = self.val(fr, &loops, v);
                Flow::Return(Value::Res(Err(format!("f{} e{id} {v}", fr.fid))))
            }
            RetExpr::Call(callee, v) => {
                let v = self.val(fr, &loops, v);
                match self.call(*callee, v) {
                    Err(p) => Flow::Panic(p),
                    Ok(Value::Int(i)) if ty == Ty::Res => Flow::Return(Value::Res(Ok(i))),
                    Ok(value) => Flow::Return(value),
                }
            }
        }
    }

    fn stmt(&mut self, fr: &mut Frame<'p>, s: &'p Stmt) -> Flow {
        let f = fr.fid;
        let loops = fr.loops.clone();
        match s {
            Stmt::Say(id) => {
                self.say(format!("f{f} s{id} x={}{}", fr.x, loops_suffix(&loops)));
                Flow::Normal
            }
            Stmt::AddX(v) => {
                fr.x += self.val(fr, &loops, v);
                Flow::Normal
            }
            Stmt::If(c, a, b) => {
                if self.cond(fr, &loops, c) {
                    self.block(fr, a)
                } else {
                    self.block(fr, b)
                }
            }
            Stmt::Match(v, arms) => {
                let k = self.val(fr, &loops, v) % arms.len() as i64;
                let arm = if k >= 0 && (k as usize) < arms.len() - 1 {
                    k as usize
                } else {
                    arms.len() - 1
                };
                self.block(fr, &arms[arm])
            }
            Stmt::Loop(count, body) => {
                for i in 0..*count {
                    fr.loops.push(i);
                    let flow = self.block(fr, body);
                    fr.loops.pop();
                    match flow {
                        Flow::Normal | Flow::Continue => {}
                        Flow::Break => break,
                        other => return other,
                    }
                }
                Flow::Normal
            }
            Stmt::Break => Flow::Break,
            Stmt::Continue => Flow::Continue,
            Stmt::Return(e) => self.ret(fr, e),
            Stmt::Panic(id) => Flow::Panic(format!("f{f} p{id} x={}", fr.x)),
            Stmt::Call(id, callee, v) => {
                let v = self.val(fr, &loops, v);
                match self.call(*callee, v) {
                    Ok(r) => {
                        self.say(format!("f{f} c{id} got {}", show(&r)));
                        Flow::Normal
                    }
                    Err(p) => Flow::Panic(p),
                }
            }
            Stmt::Try(id, target, v) => {
                let v = self.val(fr, &loops, v);
                let r = match target {
                    TryTarget::Check if v % 3 == 0 => Err(format!("check {v}")),
                    TryTarget::Check => Ok(v),
                    TryTarget::Func(callee) => match self.call(*callee, v) {
                        Ok(Value::Res(r)) => r,
                        Ok(Value::Int(_)) => unreachable!("? on an Int function"),
                        Err(p) => return Flow::Panic(p),
                    },
                };
                match r {
                    Ok(t) => {
                        self.say(format!("f{f} t{id} got {t}"));
                        Flow::Normal
                    }
                    Err(e) => Flow::Return(Value::Res(Err(e))),
                }
            }
            Stmt::Defer(id, d) => self.defer(fr, *id, d),
        }
    }

    fn defer(&mut self, fr: &mut Frame<'p>, id: u32, d: &'p Defer) -> Flow {
        let label = format!("f{} d{id}", fr.fid);
        let loops = fr.loops.clone();
        let pending = match d {
            Defer::Call { callee, arg } => {
                let arg = match arg {
                    Arg::Plain(v) => self.val(fr, &loops, v),
                    Arg::Ev(v) => {
                        let v = self.val(fr, &loops, v);
                        self.say(format!("{label} eval {v}"));
                        v
                    }
                    Arg::EvBad(v) => {
                        let v = self.val(fr, &loops, v);
                        self.say(format!("{label} eval {v}"));
                        return Flow::Panic(format!("{label} bad arg {v}"));
                    }
                    Arg::Call(callee, v) => {
                        let v = self.val(fr, &loops, v);
                        match self.call(*callee, v) {
                            Ok(Value::Int(i)) => i,
                            Ok(Value::Res(_)) => unreachable!("argument from a Res function"),
                            Err(p) => return Flow::Panic(p),
                        }
                    }
                };
                Pending::Call { label, callee, arg }
            }
            Defer::Closure { body, .. } | Defer::Ret { body, .. } => Pending::Closure {
                id,
                body,
                captured: loops,
            },
            Defer::Block { body } => Pending::Closure {
                id,
                body,
                captured: Vec::new(),
            },
        };
        fr.defers.push(pending);
        Flow::Normal
    }

    /// Runs one deferred call: `Err` is the panic it raised.
    fn run_deferred(
        &mut self,
        fr: &mut Frame<'p>,
        d: Pending<'p>,
        st: &mut ExitState,
    ) -> Result<(), String> {
        match d {
            Pending::Call { label, callee, arg } => match callee {
                Callee::Note => {
                    self.say(format!("{label} note {arg}"));
                    Ok(())
                }
                Callee::Boom => {
                    self.say(format!("{label} boom {arg}"));
                    Err(format!("{label} boom {arg}"))
                }
                Callee::Func(callee) => self.call(*callee, arg).map(drop),
            },
            Pending::Closure { id, body, captured } => {
                let prefix = format!("f{} d{id}.", fr.fid);
                self.dstmts(fr, &prefix, body, &captured, st)
            }
        }
    }

    /// Runs the statements of a deferred closure: statement `k` is labelled
    /// `{prefix}{k}` (`f1 d3.0`; inside an `if`, `f1 d3.2.0`).
    fn dstmts(
        &mut self,
        fr: &mut Frame<'p>,
        prefix: &str,
        body: &'p [DStmt],
        loops: &[i64],
        st: &mut ExitState,
    ) -> Result<(), String> {
        let ty = self.program.funcs[fr.fid].ty;
        for (k, s) in body.iter().enumerate() {
            let label = format!("{prefix}{k}");
            match s {
                DStmt::Say => {
                    self.say(format!("{label} x={}{}", fr.x, loops_suffix(loops)));
                }
                DStmt::AddX(v) => fr.x += self.val(fr, loops, v),
                DStmt::Recover(style) => {
                    let r = st.panicking.take();
                    match (style, r) {
                        (RecoverStyle::IfLet, Some(p)) => {
                            self.say(format!("{label} recovered {p}"));
                        }
                        (RecoverStyle::IfLet, None) => {}
                        (RecoverStyle::Let, r) => {
                            let shown = r.unwrap_or_else(|| "nil".to_string());
                            self.say(format!("{label} recover {shown}"));
                        }
                    }
                }
                DStmt::Panic => return Err(format!("{label} panic x={}", fr.x)),
                DStmt::Repanic => {
                    if let Some(p) = st.panicking.take() {
                        self.say(format!("{label} repanic {p}"));
                        return Err(p);
                    }
                }
                DStmt::Call(callee, v) => {
                    let v = self.val(fr, loops, v);
                    let r = self.call(*callee, v)?;
                    self.say(format!("{label} got {}", show(&r)));
                }
                DStmt::If(c, inner) => {
                    if self.cond(fr, loops, c) {
                        self.dstmts(fr, &format!("{label}."), inner, loops, st)?;
                    }
                }
                DStmt::ShowRet => {
                    // Known bug: while a panic from the body unwinds, a
                    // closure run from `Drop` sees a fresh `None`, whatever
                    // the slot holds.
                    self.known_bug |=
                        st.tainted || (st.panicking.is_some() && !st.returned && st.slot.is_some());
                    self.say(format!("{label} ret={}", show_slot(&st.slot)));
                }
                DStmt::ModRet(v) => {
                    let add = self.val(fr, loops, v);
                    st.tainted |= st.slot.is_some() && st.panicking.is_some() && !st.returned;
                    match &mut st.slot {
                        Some(Value::Int(i)) | Some(Value::Res(Ok(i))) => *i += add,
                        _ => {}
                    }
                }
                DStmt::SetRet(sv) => {
                    st.tainted |= st.panicking.is_some() && !st.returned;
                    st.slot = Some(self.set_val(fr, loops, ty, sv, || format!("{label} set")));
                }
                DStmt::RecoverSet(sv) => {
                    if let Some(p) = st.panicking.take() {
                        self.say(format!("{label} recovered {p}"));
                        st.slot =
                            Some(self.set_val(fr, loops, ty, sv, || format!("{label} rec {p}")));
                    }
                }
            }
        }
        Ok(())
    }

    fn set_val(
        &self,
        fr: &Frame,
        loops: &[i64],
        ty: Ty,
        sv: &SetVal,
        err: impl FnOnce() -> String,
    ) -> Value {
        match (sv, ty) {
            (SetVal::Ok(v), Ty::Int) => Value::Int(self.val(fr, loops, v)),
            (SetVal::Ok(v), Ty::Res) => Value::Res(Ok(self.val(fr, loops, v))),
            (SetVal::Err, Ty::Res) => Value::Res(Err(err())),
            (SetVal::Err, Ty::Int) => unreachable!("Err in an Int function"),
        }
    }
}
