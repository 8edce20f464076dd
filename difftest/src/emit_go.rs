//! Go source of the generated programs: the same events, printed the same way.
//!
//! How the Rust forms are written in Go:
//! - the local `x` (a `Cell` in Rust) is a variable, which Go's closures
//!   capture by reference;
//! - a loop variable is copied per iteration (`i := i`), as Rust's `move`
//!   closures copy it (Go 1.19 shares one variable across iterations);
//! - the result slot `&mut Option<R>` of the result form is a named result
//!   `ret *R`: nil until a `return` (or a deferred closure) sets it;
//! - each function `f` is `pI_f_`, called through a wrapper `pI_f` that turns
//!   a nil result into the zero value (`Int`) or, for `Res`, into the panic
//!   Rust's runtime raises when a recovering function has no result to return
//!   (the one documented difference from Go, see `ast::zero_panic_message`);
//! - `break`/`continue` are labelled, since a Go `break` in a `switch` leaves
//!   the `switch`.

use std::fmt::Write;

use crate::ast::*;

/// The helpers every program uses.
const PRELUDE: &str = r#"package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

var out = bufio.NewWriter(os.Stdout)

func say(s string) { out.WriteString(s); out.WriteByte('\n') }
func itoa(v int) string { return strconv.Itoa(v) }

type Res struct {
	ok bool
	v  int
	e  string
}

func okP(v int) *Res      { return &Res{ok: true, v: v} }
func errP(e string) *Res  { return &Res{e: e} }
func resP(r Res) *Res     { return &r }
func intP(v int) *int     { return &v }
func showI(v int) string  { return itoa(v) }
func showR(r Res) string {
	if r.ok {
		return "ok " + itoa(r.v)
	}
	return "err " + r.e
}
func slotI(p *int) string {
	if p == nil {
		return "unset"
	}
	return showI(*p)
}
func slotR(p *Res) string {
	if p == nil {
		return "unset"
	}
	return showR(*p)
}
func showRec(r interface{}) string {
	if r == nil {
		return "nil"
	}
	return fmt.Sprint(r)
}
func ev(label string, v int) int { say(label + " eval " + itoa(v)); return v }
func evBad(label string, v int) int {
	say(label + " eval " + itoa(v))
	panic(label + " bad arg " + itoa(v))
}
func note(label string, v int) { say(label + " note " + itoa(v)) }
func boom(label string, v int) {
	say(label + " boom " + itoa(v))
	panic(label + " boom " + itoa(v))
}
func check(v int) Res {
	if v%3 == 0 {
		return Res{e: "check " + itoa(v)}
	}
	return Res{ok: true, v: v}
}
"#;

/// The marker line printed before program `index`'s trace.
pub fn marker(index: usize) -> String {
    format!("=== program {index}")
}

/// One Go program running every program of the batch in turn, each after its marker line.
pub fn batch(programs: &[(Program, Vec<String>)]) -> String {
    let mut out = String::from(PRELUDE);
    out.push_str("\nfunc main() {\n\tdefer out.Flush()\n");
    for (index, (p, _)) in programs.iter().enumerate() {
        let inputs: Vec<String> = p.inputs.iter().map(i64::to_string).collect();
        writeln!(out, "\tsay({:?})", marker(index)).unwrap();
        writeln!(
            out,
            "\tfor _, n := range []int{{{}}} {{\n\t\tp{index}_top(n)\n\t}}",
            inputs.join(", ")
        )
        .unwrap();
    }
    out.push_str("}\n");
    for (index, (p, _)) in programs.iter().enumerate() {
        out.push_str(&program(index, p));
    }
    out
}

/// The functions of program `index` (`p{index}_f{k}`, `p{index}_top`).
pub fn program(index: usize, p: &Program) -> String {
    let mut e = Emitter {
        p,
        prefix: format!("p{index}_"),
        out: String::new(),
        indent: 0,
        fid: 0,
        loops: 0,
        labels: Vec::new(),
        next_label: 0,
        next_var: 0,
    };
    for fid in 0..p.funcs.len() {
        e.func(fid);
    }
    let pre = &e.prefix;
    let show = show_fn(p.funcs[0].ty);
    let top = format!(
        "\nfunc {pre}top(n int) {{\n\tsay(\"top \" + itoa(n))\n\tdefer func() {{\n\t\tif r := recover(); r != nil {{\n\t\t\tsay(\"top escaped \" + fmt.Sprint(r))\n\t\t}}\n\t}}()\n\tr := {pre}f0(n)\n\tsay(\"top returned \" + {show}(r))\n}}\n"
    );
    e.out.push_str(&top);
    e.out
}

fn show_fn(ty: Ty) -> &'static str {
    match ty {
        Ty::Int => "showI",
        Ty::Res => "showR",
    }
}

fn val(v: &Val) -> String {
    match v {
        Val::Lit(i) => i.to_string(),
        Val::N => "n".into(),
        Val::X => "x".into(),
        Val::Loop(d) => format!("i{d}"),
        Val::Add(a, b) => format!("({} + {})", val(a), val(b)),
    }
}

fn cond(c: &Cond) -> String {
    match c {
        Cond::Lt(v, k) => format!("{} < {k}", val(v)),
        Cond::Eq(v, k) => format!("{} == {k}", val(v)),
        Cond::Even(v) => format!("{}%2 == 0", val(v)),
    }
}

/// Whether a loop body breaks or continues its own loop (not an inner one).
fn uses_label(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match s {
        Stmt::Break | Stmt::Continue => true,
        Stmt::If(_, a, b) => uses_label(a) || uses_label(b),
        Stmt::Match(_, arms) => arms.iter().any(|a| uses_label(a)),
        _ => false,
    })
}

struct Emitter<'p> {
    p: &'p Program,
    prefix: String,
    out: String,
    indent: usize,
    fid: usize,
    loops: usize,
    /// The label of each enclosing loop, innermost last.
    labels: Vec<String>,
    next_label: usize,
    next_var: usize,
}

impl Emitter<'_> {
    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push('\t');
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn ty(&self) -> Ty {
        self.p.funcs[self.fid].ty
    }

    fn f(&self, fid: usize) -> String {
        format!("{}f{fid}", self.prefix)
    }

    fn x_and_loops(&self) -> String {
        let mut s = "\"x=\" + itoa(x)".to_string();
        for d in 0..self.loops {
            write!(s, " + \" i{d}=\" + itoa(i{d})").unwrap();
        }
        s
    }

    fn func(&mut self, fid: usize) {
        self.fid = fid;
        self.loops = 0;
        let f = &self.p.funcs[fid];
        let name = self.f(fid);
        let (ty, nil) = match f.ty {
            Ty::Int => ("int", "return 0".to_string()),
            Ty::Res => (
                "Res",
                format!("panic({:?})", zero_panic_message(&format!("f{fid}"))),
            ),
        };
        self.out.push('\n');
        self.line(&format!("func {name}(n int) {ty} {{"));
        self.line(&format!(
            "\tr := {name}_(n)\n\tif r == nil {{\n\t\t{nil}\n\t}}\n\treturn *r\n}}"
        ));
        self.line(&format!("func {name}_(n int) (ret *{ty}) {{"));
        self.indent += 1;
        self.line("x := n");
        self.line("_ = x");
        self.block(&f.body);
        let tail = self.ret_expr(&f.tail);
        self.line(&format!("return {tail}"));
        self.indent -= 1;
        self.line("}");
    }

    fn block(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn ret_expr(&self, e: &RetExpr) -> String {
        let f = self.fid;
        match (e, self.ty()) {
            (RetExpr::Val(v), Ty::Int) => format!("intP({})", val(v)),
            (RetExpr::Val(v), Ty::Res) => format!("okP({})", val(v)),
            (RetExpr::Err(id, v), _) => format!("errP(\"f{f} e{id} \" + itoa({}))", val(v)),
            (RetExpr::Call(c, v), ty) => {
                let call = format!("{}({})", self.f(*c), val(v));
                match (self.p.funcs[*c].ty, ty) {
                    (Ty::Int, Ty::Int) => format!("intP({call})"),
                    (Ty::Res, Ty::Res) => format!("resP({call})"),
                    (Ty::Int, Ty::Res) => format!("okP({call})"),
                    (Ty::Res, Ty::Int) => unreachable!("an Int function returning a Res call"),
                }
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        let f = self.fid;
        match s {
            Stmt::Say(id) => {
                let xl = self.x_and_loops();
                self.line(&format!("say(\"f{f} s{id} \" + {xl})"));
            }
            Stmt::AddX(v) => self.line(&format!("x += {}", val(v))),
            Stmt::If(c, a, b) => {
                self.line(&format!("if {} {{", cond(c)));
                self.indent += 1;
                self.block(a);
                self.indent -= 1;
                if b.is_empty() {
                    self.line("}");
                } else {
                    self.line("} else {");
                    self.indent += 1;
                    self.block(b);
                    self.indent -= 1;
                    self.line("}");
                }
            }
            Stmt::Match(v, arms) => {
                self.line(&format!("switch {} % {} {{", val(v), arms.len()));
                for (k, arm) in arms.iter().enumerate() {
                    if k + 1 == arms.len() {
                        self.line("default:");
                    } else {
                        self.line(&format!("case {k}:"));
                    }
                    self.indent += 1;
                    self.block(arm);
                    self.indent -= 1;
                }
                self.line("}");
            }
            Stmt::Loop(count, body) => {
                let d = self.loops;
                let label = format!("L{}", self.next_label);
                self.next_label += 1;
                if uses_label(body) {
                    self.line(&format!("{label}:"));
                }
                self.line(&format!("for i{d} := 0; i{d} < {count}; i{d}++ {{"));
                self.indent += 1;
                self.line(&format!("i{d} := i{d}"));
                self.line(&format!("_ = i{d}"));
                self.loops += 1;
                self.labels.push(label);
                self.block(body);
                self.labels.pop();
                self.loops -= 1;
                self.indent -= 1;
                self.line("}");
            }
            Stmt::Break => {
                let l = self.labels.last().expect("break in a loop").clone();
                self.line(&format!("break {l}"));
            }
            Stmt::Continue => {
                let l = self.labels.last().expect("continue in a loop").clone();
                self.line(&format!("continue {l}"));
            }
            Stmt::Return(e) => {
                let e = self.ret_expr(e);
                self.line(&format!("return {e}"));
            }
            Stmt::Panic(id) => self.line(&format!("panic(\"f{f} p{id} x=\" + itoa(x))")),
            Stmt::Call(id, c, v) => {
                let show = show_fn(self.p.funcs[*c].ty);
                let callee = self.f(*c);
                self.line(&format!(
                    "say(\"f{f} c{id} got \" + {show}({callee}({})))",
                    val(v)
                ));
            }
            Stmt::Try(id, target, v) => {
                let callee = match target {
                    TryTarget::Func(c) => self.f(*c),
                    TryTarget::Check => "check".into(),
                };
                self.line(&format!("t{id}r := {callee}({})", val(v)));
                self.line(&format!(
                    "if !t{id}r.ok {{\n{}\treturn errP(t{id}r.e)",
                    "\t".repeat(self.indent)
                ));
                self.line("}");
                self.line(&format!("t{id} := t{id}r.v"));
                self.line(&format!("say(\"f{f} t{id} got \" + itoa(t{id}))"));
            }
            Stmt::Defer(id, d) => self.defer(*id, d),
        }
    }

    fn defer(&mut self, id: u32, d: &Defer) {
        let label = format!("f{} d{id}", self.fid);
        match d {
            Defer::Call { callee, arg } => {
                let arg = match arg {
                    Arg::Plain(v) => val(v),
                    Arg::Ev(v) => format!("ev(\"{label}\", {})", val(v)),
                    Arg::EvBad(v) => format!("evBad(\"{label}\", {})", val(v)),
                    Arg::Call(c, v) => format!("{}({})", self.f(*c), val(v)),
                };
                let call = match callee {
                    Callee::Note => format!("note(\"{label}\", {arg})"),
                    Callee::Boom => format!("boom(\"{label}\", {arg})"),
                    Callee::Func(c) => format!("{}({arg})", self.f(*c)),
                };
                self.line(&format!("defer {call}"));
            }
            Defer::Closure { body, .. } | Defer::Ret { body, .. } => {
                self.dclosure(&label, body, self.loops);
            }
            Defer::Block { body } => self.dclosure(&label, body, 0),
        }
    }

    fn dclosure(&mut self, label: &str, body: &[DStmt], captured: usize) {
        let saved = self.loops;
        self.loops = captured;
        self.line("defer func() {");
        self.indent += 1;
        self.dstmts(&format!("{label}."), body);
        self.indent -= 1;
        self.line("}()");
        self.loops = saved;
    }

    fn set_val(&self, sv: &SetVal, err: &str) -> String {
        match (sv, self.ty()) {
            (SetVal::Ok(v), Ty::Int) => format!("intP({})", val(v)),
            (SetVal::Ok(v), Ty::Res) => format!("okP({})", val(v)),
            (SetVal::Err, _) => format!("errP({err})"),
        }
    }

    fn dstmts(&mut self, prefix: &str, body: &[DStmt]) {
        let slot = match self.ty() {
            Ty::Int => "slotI",
            Ty::Res => "slotR",
        };
        for (k, s) in body.iter().enumerate() {
            let label = format!("{prefix}{k}");
            match s {
                DStmt::Say => {
                    let xl = self.x_and_loops();
                    self.line(&format!("say(\"{label} \" + {xl})"));
                }
                DStmt::AddX(v) => self.line(&format!("x += {}", val(v))),
                DStmt::Recover(RecoverStyle::IfLet) => {
                    self.line("if r := recover(); r != nil {");
                    self.line(&format!("\tsay(\"{label} recovered \" + fmt.Sprint(r))"));
                    self.line("}");
                }
                DStmt::Recover(RecoverStyle::Let) => {
                    let r = format!("r{}", self.next_var);
                    self.next_var += 1;
                    self.line(&format!("{r} := recover()"));
                    self.line(&format!("say(\"{label} recover \" + showRec({r}))"));
                }
                DStmt::Panic => self.line(&format!("panic(\"{label} panic x=\" + itoa(x))")),
                DStmt::Repanic => {
                    self.line("if r := recover(); r != nil {");
                    self.line(&format!("\tsay(\"{label} repanic \" + fmt.Sprint(r))"));
                    self.line("\tpanic(r)");
                    self.line("}");
                }
                DStmt::Call(c, v) => {
                    let show = show_fn(self.p.funcs[*c].ty);
                    let callee = self.f(*c);
                    self.line(&format!(
                        "say(\"{label} got \" + {show}({callee}({})))",
                        val(v)
                    ));
                }
                DStmt::If(c, inner) => {
                    self.line(&format!("if {} {{", cond(c)));
                    self.indent += 1;
                    self.dstmts(&format!("{label}."), inner);
                    self.indent -= 1;
                    self.line("}");
                }
                DStmt::ShowRet => self.line(&format!("say(\"{label} ret=\" + {slot}(ret))")),
                DStmt::ModRet(v) => match self.ty() {
                    Ty::Int => self.line(&format!(
                        "if ret != nil {{\n{}\t*ret += {}\n{0}}}",
                        "\t".repeat(self.indent),
                        val(v)
                    )),
                    Ty::Res => self.line(&format!(
                        "if ret != nil && ret.ok {{\n{}\tret.v += {}\n{0}}}",
                        "\t".repeat(self.indent),
                        val(v)
                    )),
                },
                DStmt::SetRet(sv) => {
                    let v = self.set_val(sv, &format!("\"{label} set\""));
                    self.line(&format!("ret = {v}"));
                }
                DStmt::RecoverSet(sv) => {
                    let v = self.set_val(sv, &format!("\"{label} rec \" + fmt.Sprint(r)"));
                    self.line("if r := recover(); r != nil {");
                    self.line(&format!("\tsay(\"{label} recovered \" + fmt.Sprint(r))"));
                    self.line(&format!("\tret = {v}"));
                    self.line("}");
                }
            }
        }
    }
}
