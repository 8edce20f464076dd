//! The random program generator.

use crate::ast::*;
use crate::rng::Rng;

/// Knobs of the generator.
#[derive(Debug, Clone)]
pub struct Config {
    /// At most this many functions per program (at least 1).
    pub max_funcs: usize,
    /// Programs whose trace would be longer are replaced by another.
    pub max_trace: usize,
    /// Patterns that trigger a library bug already reported with a `bug_*`
    /// regression test: left out of random programs so that a batch finds new
    /// bugs, not the known ones. Each is `true` (avoided) by default;
    /// `DIFFTEST_KNOWN_BUGS=1` generates them too.
    pub avoid_known_bugs: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_funcs: 4,
            max_trace: 250,
            avoid_known_bugs: false,
        }
    }
}

/// Generates one program for `seed` (a program seed, see
/// [`crate::rng::program_seed`]) and its model trace. Retries with derived
/// seeds until the trace fits `config.max_trace`.
pub fn program(seed: u64, config: &Config) -> (Program, Vec<String>) {
    let mut rng = Rng::new(seed);
    loop {
        let p = Gen::new(&mut rng, config).program();
        match crate::model::run(&p, config.max_trace) {
            Some(run) if !(run.known_bug && config.avoid_known_bugs) => return (p, run.trace),
            _ => {}
        }
    }
}

struct Gen<'r> {
    rng: &'r mut Rng,
    config: Config,
    tys: Vec<Ty>,
    // Per function being generated:
    fid: usize,
    next_id: u32,
    /// Loop variables in scope.
    loop_depth: usize,
    /// Nesting of blocks (if/match/loop).
    depth: usize,
    /// Statements left for this function.
    budget: usize,
}

impl<'r> Gen<'r> {
    fn new(rng: &'r mut Rng, config: &Config) -> Self {
        Gen {
            rng,
            config: config.clone(),
            tys: Vec::new(),
            fid: 0,
            next_id: 0,
            loop_depth: 0,
            depth: 0,
            budget: 0,
        }
    }

    fn program(mut self) -> Program {
        let nfuncs = 1 + self
            .rng
            .weighted(&[15, 35, 35, 15][..self.config.max_funcs.min(4)]);
        self.tys = (0..nfuncs)
            .map(|_| {
                if self.rng.chance(60) {
                    Ty::Res
                } else {
                    Ty::Int
                }
            })
            .collect();
        let funcs = (0..nfuncs).map(|fid| self.func(fid)).collect();
        let ninputs = 1 + self.rng.below(3);
        let inputs = (0..ninputs).map(|_| self.rng.range(0, 5)).collect();
        Program { funcs, inputs }
    }

    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id - 1
    }

    fn func(&mut self, fid: usize) -> Func {
        self.fid = fid;
        self.next_id = 0;
        self.loop_depth = 0;
        self.depth = 0;
        self.budget = 4 + self.rng.below(10);
        let len = 2 + self.rng.below(5);
        let mut body = Vec::new();
        if self.rng.chance(35) {
            // Recovery needs a recovering closure registered before the panic.
            let id = self.id();
            body.push(Stmt::Defer(id, self.recovering_defer()));
        }
        body.extend(self.block(len));
        let tail = self.ret_expr();
        Func {
            ty: self.tys[fid],
            body,
            tail,
        }
    }

    fn ty(&self) -> Ty {
        self.tys[self.fid]
    }

    /// Callees (higher index) of type `ty`, or of any type.
    fn callees(&self, ty: Option<Ty>) -> Vec<usize> {
        (self.fid + 1..self.tys.len())
            .filter(|&c| ty.is_none_or(|t| self.tys[c] == t))
            .collect()
    }

    fn pick_callee(&mut self, ty: Option<Ty>) -> Option<usize> {
        let c = self.callees(ty);
        if c.is_empty() {
            None
        } else {
            Some(c[self.rng.below(c.len())])
        }
    }

    /// A small integer expression over `n`, `x` and the first `loops` loop variables.
    fn val(&mut self, loops: usize) -> Val {
        self.val_depth(loops, 0)
    }

    fn val_depth(&mut self, loops: usize, depth: usize) -> Val {
        let w = [
            20,
            25,
            25,
            if loops > 0 { 25 } else { 0 },
            if depth < 1 { 20 } else { 0 },
        ];
        match self.rng.weighted(&w) {
            0 => Val::Lit(self.rng.range(0, 3)),
            1 => Val::N,
            2 => Val::X,
            3 => Val::Loop(self.rng.below(loops)),
            _ => Val::Add(
                Box::new(self.val_depth(loops, depth + 1)),
                Box::new(self.val_depth(loops, depth + 1)),
            ),
        }
    }

    fn cond(&mut self, loops: usize) -> Cond {
        let v = self.val(loops);
        match self.rng.below(3) {
            0 => Cond::Lt(v, self.rng.range(1, 5)),
            1 => Cond::Eq(v, self.rng.range(0, 3)),
            _ => Cond::Even(v),
        }
    }

    fn block(&mut self, len: usize) -> Vec<Stmt> {
        let mut out = Vec::new();
        for _ in 0..len {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            let s = self.stmt();
            let ends = matches!(
                s,
                Stmt::Return(_) | Stmt::Panic(_) | Stmt::Break | Stmt::Continue
            );
            out.push(s);
            if ends {
                break;
            }
        }
        out
    }

    fn stmt(&mut self) -> Stmt {
        let nested = self.depth < 3;
        let in_loop = self.loop_depth > 0;
        let res = self.ty() == Ty::Res;
        let has_callee = !self.callees(None).is_empty();
        let w = [
            14,                                                // 0 say
            6,                                                 // 1 add x
            30,                                                // 2 defer
            if nested { 10 } else { 0 },                       // 3 if
            if nested { 4 } else { 0 },                        // 4 match
            if nested && self.loop_depth < 2 { 7 } else { 0 }, // 5 loop
            if in_loop { 5 } else { 0 },                       // 6 break/continue
            4,                                                 // 7 return
            7,                                                 // 8 panic
            if has_callee { 6 } else { 0 },                    // 9 call
            if res { 6 } else { 0 },                           // 10 try
        ];
        match self.rng.weighted(&w) {
            0 => Stmt::Say(self.id()),
            1 => Stmt::AddX(self.val(self.loop_depth)),
            2 => {
                let id = self.id();
                Stmt::Defer(id, self.defer())
            }
            3 => {
                let c = self.cond(self.loop_depth);
                self.depth += 1;
                let len = 1 + self.rng.below(3);
                let a = self.block(len);
                let b = if self.rng.chance(40) {
                    let len = 1 + self.rng.below(2);
                    self.block(len)
                } else {
                    Vec::new()
                };
                self.depth -= 1;
                Stmt::If(c, a, b)
            }
            4 => {
                let v = self.val(self.loop_depth);
                let n = 2 + self.rng.below(2);
                self.depth += 1;
                let arms = (0..n)
                    .map(|_| {
                        let len = 1 + self.rng.below(2);
                        self.block(len)
                    })
                    .collect();
                self.depth -= 1;
                Stmt::Match(v, arms)
            }
            5 => {
                let count = self.rng.range(0, 3);
                self.depth += 1;
                self.loop_depth += 1;
                let len = 2 + self.rng.below(3);
                let body = self.block(len);
                self.loop_depth -= 1;
                self.depth -= 1;
                Stmt::Loop(count, body)
            }
            6 => {
                let s = if self.rng.chance(50) {
                    Stmt::Break
                } else {
                    Stmt::Continue
                };
                if self.rng.chance(85) {
                    Stmt::If(self.cond(self.loop_depth), vec![s], Vec::new())
                } else {
                    s
                }
            }
            7 => {
                let r = Stmt::Return(self.ret_expr());
                self.maybe_conditional(r, 80)
            }
            8 => {
                let p = Stmt::Panic(self.id());
                self.maybe_conditional(p, 55)
            }
            9 => {
                let id = self.id();
                let callee = self.pick_callee(None).expect("has a callee");
                Stmt::Call(id, callee, self.val(self.loop_depth))
            }
            _ => {
                let id = self.id();
                let target = match self.pick_callee(Some(Ty::Res)) {
                    Some(c) if self.rng.chance(60) => TryTarget::Func(c),
                    _ => TryTarget::Check,
                };
                Stmt::Try(id, target, self.val(self.loop_depth))
            }
        }
    }

    fn maybe_conditional(&mut self, s: Stmt, percent: usize) -> Stmt {
        if self.rng.chance(percent) {
            Stmt::If(self.cond(self.loop_depth), vec![s], Vec::new())
        } else {
            s
        }
    }

    fn ret_expr(&mut self) -> RetExpr {
        let loops = self.loop_depth;
        let res = self.ty() == Ty::Res;
        let callee = match self.ty() {
            Ty::Int => self.pick_callee(Some(Ty::Int)),
            Ty::Res => self.pick_callee(None),
        };
        let w = [
            60,
            if res { 25 } else { 0 },
            if callee.is_some() { 15 } else { 0 },
        ];
        match self.rng.weighted(&w) {
            0 => RetExpr::Val(self.val(loops)),
            1 => {
                let id = self.id();
                RetExpr::Err(id, self.val(loops))
            }
            _ => RetExpr::Call(callee.expect("has a callee"), self.val(loops)),
        }
    }

    fn defer(&mut self) -> Defer {
        let loops = self.loop_depth;
        match self.rng.weighted(&[30, 22, 13, 35]) {
            0 => {
                let callee = match self.rng.weighted(&[50, 20, 30]) {
                    2 => match self.pick_callee(None) {
                        Some(c) => Callee::Func(c),
                        None => Callee::Note,
                    },
                    1 => Callee::Boom,
                    _ => Callee::Note,
                };
                let arg = match self.rng.weighted(&[30, 45, 7, 18]) {
                    0 => Arg::Plain(self.val(loops)),
                    1 => Arg::Ev(self.val(loops)),
                    2 => Arg::EvBad(self.val(loops)),
                    _ => match self.pick_callee(Some(Ty::Int)) {
                        Some(c) => Arg::Call(c, self.val(loops)),
                        None => Arg::Ev(self.val(loops)),
                    },
                };
                Defer::Call { callee, arg }
            }
            1 => Defer::Closure {
                // A closure in a loop that names the loop variable must move it.
                moves: loops > 0 || self.rng.chance(50),
                body: self.dbody(loops, false),
            },
            // A block is a non-`move` closure: it cannot borrow a loop variable.
            2 => Defer::Block {
                body: self.dbody(0, false),
            },
            _ => Defer::Ret {
                moves: loops > 0 || self.rng.chance(40),
                annotated: self.rng.chance(30),
                body: self.dbody(loops, true),
            },
        }
    }

    /// A closure or result-form defer whose body starts with a `recover()`.
    fn recovering_defer(&mut self) -> Defer {
        let res = self.ty() == Ty::Res;
        let mut body = self.dbody(0, true);
        if self.rng.chance(50) {
            body.insert(0, DStmt::RecoverSet(self.set_val(0, res)));
            Defer::Ret {
                moves: self.rng.chance(40),
                annotated: self.rng.chance(30),
                body,
            }
        } else {
            let style = if self.rng.chance(50) {
                RecoverStyle::IfLet
            } else {
                RecoverStyle::Let
            };
            let mut body = self.dbody(0, false);
            body.insert(0, DStmt::Recover(style));
            Defer::Closure {
                moves: self.rng.chance(50),
                body,
            }
        }
    }

    fn dbody(&mut self, loops: usize, ret: bool) -> Vec<DStmt> {
        let len = 1 + self.rng.below(3);
        (0..len).map(|_| self.dstmt(loops, ret, true)).collect()
    }

    fn dstmt(&mut self, loops: usize, ret: bool, nest: bool) -> DStmt {
        let res = self.ty() == Ty::Res;
        let has_callee = !self.callees(None).is_empty();
        let w = [
            22,                             // 0 say
            4,                              // 1 add x
            26,                             // 2 recover
            9,                              // 3 panic
            if has_callee { 7 } else { 0 }, // 4 call
            if nest { 10 } else { 0 },      // 5 if
            if ret { 22 } else { 0 },       // 6 show ret
            if ret { 8 } else { 0 },        // 7 mod ret
            if ret { 7 } else { 0 },        // 8 set ret
            if ret { 20 } else { 0 },       // 9 recover + set
            5,                              // 10 re-panic
        ];
        match self.rng.weighted(&w) {
            0 => DStmt::Say,
            1 => DStmt::AddX(self.val(loops)),
            2 => DStmt::Recover(if self.rng.chance(50) {
                RecoverStyle::IfLet
            } else {
                RecoverStyle::Let
            }),
            3 => DStmt::Panic,
            4 => {
                let c = self.pick_callee(None).expect("has a callee");
                DStmt::Call(c, self.val(loops))
            }
            5 => {
                let c = self.cond(loops);
                let len = 1 + self.rng.below(2);
                DStmt::If(c, (0..len).map(|_| self.dstmt(loops, ret, false)).collect())
            }
            6 => DStmt::ShowRet,
            7 => DStmt::ModRet(self.val(loops)),
            8 => DStmt::SetRet(self.set_val(loops, res)),
            9 => DStmt::RecoverSet(self.set_val(loops, res)),
            _ => DStmt::Repanic,
        }
    }

    fn set_val(&mut self, loops: usize, res: bool) -> SetVal {
        if res && self.rng.chance(40) {
            SetVal::Err
        } else {
            SetVal::Ok(self.val(loops))
        }
    }
}
