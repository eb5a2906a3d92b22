//! `TABLE` in FUNCTIONs and PROCEDUREs, as nocmodl 9.0.2 does it.
//!
//! `FUNCTION f(x) { TABLE DEPEND d FROM lo TO hi WITH n ... }` becomes:
//! * `_f_f`: the body as written (not visible from HOC);
//! * globals `usetable` (HOC `usetable_suffix`, default 1, one per
//!   mechanism), and per table `_t_f[n+1]` (one array per tabulated
//!   variable of a PROCEDURE), `_tmin_f`, `_mfac_f`, `_made_f`, and the
//!   saved DEPEND values `_sav_<d>_f`;
//! * the `table` kernel: when `usetable` is on and the table was never made
//!   or a DEPEND value changed, `dx = (hi - lo)/n`, `mfac = 1/dx`, and for
//!   `i = 0..=n` with `x` stepping from `lo` by `dx` (accumulated, as
//!   nocmodl's loop does) the table entries;
//! * `f` itself: with `usetable` off, `_f_f(x)`; else
//!   `xi = mfac*(x - tmin)`, NaN gives NaN, `xi <= 0` the first entry,
//!   `xi >= n` the last, otherwise linear interpolation between entries
//!   `floor(xi)` and `floor(xi)+1`. nocmodl returns early from each case;
//!   here they are nested `if`/`else` with one `return` at the end, so the
//!   inliner takes the lookup into the kernels (and the JIT can vectorise
//!   it, see `jit::vectorize`).
//!
//! A PROCEDURE may tabulate per-instance variables (RANGE or ASSIGNED not
//! GLOBAL, as `rates(v)` computing `minf` and `mtau` usually does): the
//! lookup writes the instance's slots, and the table is built type-wide
//! by a copy of `_f_f` (and of the functions it calls) in which every slot
//! becomes a scratch global holding the slot's default value. nocmodl
//! builds it with the data of the instance the check happens to run on;
//! the two agree unless the procedure reads a per-instance PARAMETER that
//! was changed from its default (NEURON then uses instance 0's value).

use super::super::ast::{ItemKind, StmtKind, Table};
use super::super::ir::*;
use super::build::*;
use super::expr::{kw, Res};
use super::rewrite::Rewrite;
use super::{calls_in, visit_stmt, Lowerer};
use std::collections::HashMap;

/// The parts of one TABLE the kernel and the lookup need.
struct Tab {
    /// the FUNCTION or PROCEDURE
    outer: usize,
    /// its body as written
    inner: usize,
    /// the type-wide copy of `inner` the table kernel calls
    build: usize,
    value: bool,
    n: f64,
    tmin: Var,
    mfac: Var,
    made: Var,
    /// (place written by the function, its table)
    outputs: Vec<(Option<Var>, Var)>,
    /// (DEPEND value, saved copy)
    depends: Vec<(Expr, Var)>,
    from: Expr,
    to: Expr,
}

impl Lowerer<'_> {
    pub(super) fn tables(&mut self) {
        let prog = self.prog;
        let mut tabs = Vec::new();
        for item in &prog.items {
            let (c, value) = match &item.kind {
                ItemKind::Function(c) => (c, true),
                ItemKind::Procedure(c) => (c, false),
                _ => continue,
            };
            let Some((span, t)) = c.body.stmts.iter().find_map(|s| match &s.kind {
                StmtKind::Table(t) => Some((s.span, t)),
                _ => None,
            }) else {
                continue;
            };
            if c.params.len() != 1 {
                continue; // the checks reported it
            }
            if let Some(tab) = self.table_of(&c.name.name, value, t, span) {
                tabs.push((tab, span));
            }
        }
        if tabs.is_empty() {
            return;
        }
        let mut scratch = Scratch::default();
        for (tab, span) in &mut tabs {
            match self.type_wide(tab.inner, &mut scratch) {
                Ok(b) => tab.build = b,
                Err(what) => {
                    let name = &self.ir.functions[tab.outer].name;
                    let msg = format!("the TABLE of {name} cannot be built type-wide: {what}");
                    self.error(kw(*span, 5), msg);
                }
            }
        }
        let usetable = self.global("usetable").unwrap_or_else(|| {
            let u = self.add_global("usetable", 1, 1.0, true);
            self.ir.globals.last_mut().expect("just added").role = VarRole::Parameter;
            u
        });
        let saved = self.begin();
        let mut body = Vec::new();
        for (tab, _) in &tabs {
            body.extend(self.build_table(tab, &scratch));
        }
        let locals = self.end(saved);
        self.ir.kernels.table = Some(Kernel {
            locals,
            body: vec![Stmt::If(
                bin(BinOp::Ne, load(&usetable), num(0.0)),
                body,
                Vec::new(),
            )],
        });
        for (tab, _) in &tabs {
            self.lookup(tab, &usetable);
        }
    }

    /// Declares the storage of a TABLE and moves the function's body to
    /// `_f_<name>`.
    fn table_of(&mut self, name: &str, value: bool, t: &Table, span: super::Span) -> Option<Tab> {
        let f = self.funcs[name];
        let n = t.with.value.trunc();
        if n < 1.0 {
            self.error(t.with.span, "a TABLE needs WITH 1 or more intervals");
            return None;
        }
        let mut outputs = Vec::new();
        if value {
            let tv = self.add_global(&format!("_t_{name}"), n as usize + 1, 0.0, false);
            outputs.push((None, tv));
        } else {
            for id in &t.names {
                match self.resolve(id) {
                    Some(Res::Var(v @ (Var::Global(..) | Var::Slot(..)))) => {
                        let tv = self.add_global(
                            &format!("_t_{}_{name}", id.name),
                            n as usize + 1,
                            0.0,
                            false,
                        );
                        outputs.push((Some(v), tv));
                    }
                    Some(_) => {
                        self.error(
                            id.span,
                            format!(
                                "TABLE of {}, which is not GLOBAL, is not supported by nerve",
                                id.name
                            ),
                        );
                        return None;
                    }
                    None => return None,
                }
            }
        }
        let mut depends = Vec::new();
        for id in &t.depend {
            let e = match self.resolve(id) {
                Some(Res::Num(x)) => num(x),
                Some(Res::Var(v @ (Var::Global(..) | Var::Celsius | Var::Dt | Var::T))) => load(&v),
                Some(_) => {
                    self.error(
                        id.span,
                        format!("a TABLE cannot DEPEND on {}, a per-instance value", id.name),
                    );
                    return None;
                }
                None => return None,
            };
            let sav = self.add_global(&format!("_sav_{}_{name}", id.name), 1, 0.0, false);
            depends.push((e, sav));
        }
        let tmin = self.add_global(&format!("_tmin_{name}"), 1, 0.0, false);
        let mfac = self.add_global(&format!("_mfac_{name}"), 1, 0.0, false);
        let made = self.add_global(&format!("_made_{name}"), 1, 0.0, false);
        let saved = self.begin();
        let from = self.expr(&t.from);
        let to = self.expr(&t.to);
        let locals = self.end(saved);
        if locals > 0 {
            self.error(kw(span, 5), "TABLE FROM and TO must be simple expressions");
        }
        // the body as written becomes _f_<name>
        let mut inner = self.ir.functions[f].clone();
        inner.name = format!("_f_{name}");
        inner.hoc = false;
        let i = self.ir.functions.len();
        self.funcs.insert(inner.name.clone(), i);
        self.ir.functions.push(inner);
        Some(Tab {
            outer: f,
            inner: i,
            build: i,
            value,
            n,
            tmin,
            mfac,
            made,
            outputs,
            depends,
            from,
            to,
        })
    }

    /// The table kernel's part for one table.
    fn build_table(&mut self, tab: &Tab, scratch: &Scratch) -> Vec<Stmt> {
        let mut stale = bin(BinOp::Eq, load(&tab.made), num(0.0));
        for (e, sav) in &tab.depends {
            stale = bin(BinOp::Or, stale, bin(BinOp::Ne, load(sav), e.clone()));
        }
        let tmax = self.body.local();
        let dx = self.body.local();
        let i = self.body.local();
        let x = self.body.local();
        let mut make = vec![
            assign(&tab.tmin, tab.from.clone()),
            assign(&tmax, tab.to.clone()),
            assign(&dx, div(sub(load(&tmax), load(&tab.tmin)), num(tab.n))),
            assign(&tab.mfac, div(num(1.0), load(&dx))),
            assign(&i, num(0.0)),
            assign(&x, load(&tab.tmin)),
        ];
        let mut each = Vec::new();
        if tab.value {
            let (_, tv) = &tab.outputs[0];
            each.push(assign(
                &indexed(tv, load(&i)),
                Expr::Call(tab.build, vec![load(&x)]),
            ));
        } else {
            each.push(Stmt::Call(tab.build, vec![load(&x)]));
            for (v, tv) in &tab.outputs {
                if let Some(v) = v {
                    let src = scratch.var(v.clone());
                    each.push(assign(&indexed(tv, load(&i)), load(&src)));
                }
            }
        }
        each.push(add_to(&x, load(&dx)));
        each.push(add_to(&i, num(1.0)));
        make.push(Stmt::While(bin(BinOp::Le, load(&i), num(tab.n)), each));
        for (e, sav) in &tab.depends {
            make.push(assign(sav, e.clone()));
        }
        make.push(assign(&tab.made, num(1.0)));
        vec![Stmt::If(stale, make, Vec::new())]
    }

    /// Replaces the function's body by the table lookup, in single-exit
    /// form (nested `if`/`else`, one final `return`) so that it inlines;
    /// it computes what nocmodl's lookup with early returns does.
    fn lookup(&mut self, tab: &Tab, usetable: &Var) {
        let f = tab.outer;
        let xi = Var::Local(0);
        let i = Var::Local(1);
        // a FUNCTION's value
        let r = Var::Local(2);
        let arg = load(&Var::Arg(0));
        // every output (a FUNCTION's value, a PROCEDURE's variables) from
        // `e(its table)`
        let outputs = |e: &dyn Fn(&Var) -> Expr| -> Vec<Stmt> {
            if tab.value {
                vec![assign(&r, e(&tab.outputs[0].1))]
            } else {
                tab.outputs
                    .iter()
                    .filter_map(|(v, tv)| Some(assign(v.as_ref()?, e(tv))))
                    .collect()
            }
        };
        let direct = if tab.value {
            vec![assign(&r, Expr::Call(tab.inner, vec![arg.clone()]))]
        } else {
            vec![Stmt::Call(tab.inner, vec![arg.clone()])]
        };
        // entry i + (xi - i)*(entry i+1 - entry i)
        let interp = |tv: &Var| {
            let a = load(&indexed(tv, load(&i)));
            let b = load(&indexed(tv, add(load(&i), num(1.0))));
            add(a.clone(), mul(sub(load(&xi), load(&i)), sub(b, a)))
        };
        let mut inside = vec![assign(&i, math(MathFn::Floor, vec![load(&xi)]))];
        inside.extend(outputs(&interp));
        let n = tab.n;
        let above = Stmt::If(
            bin(BinOp::Ge, load(&xi), num(n)),
            outputs(&|tv| load(&indexed(tv, num(n)))),
            inside,
        );
        let below = Stmt::If(
            bin(BinOp::Le, load(&xi), num(0.0)),
            outputs(&|tv| load(&indexed(tv, num(0.0)))),
            vec![above],
        );
        let nan = Stmt::If(
            bin(BinOp::Ne, load(&xi), load(&xi)),
            outputs(&|_| load(&xi)),
            vec![below],
        );
        let table = vec![
            assign(&xi, mul(load(&tab.mfac), sub(arg, load(&tab.tmin)))),
            nan,
        ];
        let body = vec![
            Stmt::If(bin(BinOp::Eq, load(usetable), num(0.0)), direct, table),
            Stmt::Return(if tab.value { load(&r) } else { num(0.0) }),
        ];
        let func = &mut self.ir.functions[f];
        func.locals = if tab.value { 3 } else { 2 };
        func.body = body;
    }
}

/// The type-wide copies made so far: function index → its copy, slot
/// element offset → scratch global element offset.
#[derive(Default)]
struct Scratch {
    funcs: HashMap<usize, usize>,
    slots: HashMap<usize, usize>,
}

impl Scratch {
    /// `v` with a slot replaced by its scratch global.
    fn var(&self, v: Var) -> Var {
        match v {
            Var::Slot(k, i) => match self.slots.get(&k) {
                Some(&g) => Var::Global(g, i),
                None => Var::Slot(k, i),
            },
            v => v,
        }
    }
}

/// What a body touches that a type-wide kernel does not have.
#[derive(Default)]
struct Touch {
    slots: Vec<usize>,
    other: Option<&'static str>,
}

fn touch(body: &[Stmt]) -> Touch {
    let mut vars = Vec::new();
    for s in body {
        let mut stmt_vars = Vec::new();
        visit_stmt(
            s,
            &mut |s| match s {
                Stmt::Assign(v, _) => stmt_vars.push(v.clone()),
                Stmt::Solve { out, .. } => stmt_vars.extend(out.iter().cloned()),
                _ => {}
            },
            &mut |e| {
                if let Expr::Load(v) = e {
                    vars.push(v.clone());
                }
            },
        );
        vars.extend(stmt_vars);
    }
    let mut t = Touch::default();
    for v in vars {
        match v {
            Var::Slot(k, _) => t.slots.push(k),
            Var::Node(_) => t.other = Some("it reads node data (v, diam, area)"),
            Var::Ion(..) => t.other = Some("it reads ion data"),
            Var::Flag => t.other = Some("it reads flag"),
            Var::Pointer(_) => t.other = Some("it uses a POINTER"),
            _ => {}
        }
    }
    t
}

impl Lowerer<'_> {
    /// The function to call type-wide in place of `f`: `f` itself when
    /// neither it nor anything it calls touches per-instance storage, else
    /// a copy `_s_<name>` whose slots are scratch globals. Node and ion data
    /// cannot be replaced: an error naming why.
    fn type_wide(&mut self, f: usize, scratch: &mut Scratch) -> Result<usize, String> {
        // the functions reachable from f
        let mut reach = vec![f];
        let mut k = 0;
        while k < reach.len() {
            for s in &self.ir.functions[reach[k]].body {
                for g in calls_in(s) {
                    if !reach.contains(&g) {
                        reach.push(g);
                    }
                }
            }
            k += 1;
        }
        let touches: Vec<Touch> = reach
            .iter()
            .map(|&g| touch(&self.ir.functions[g].body))
            .collect();
        if let Some(why) = touches.iter().find_map(|t| t.other) {
            return Err(why.to_string());
        }
        // those needing a copy: touching slots, or calling one that does
        let mut needs: Vec<bool> = touches.iter().map(|t| !t.slots.is_empty()).collect();
        loop {
            let mut changed = false;
            for (a, &g) in reach.iter().enumerate() {
                if needs[a] {
                    continue;
                }
                let calls_needy = self.ir.functions[g]
                    .body
                    .iter()
                    .flat_map(calls_in)
                    .any(|c| reach.iter().position(|&r| r == c).is_some_and(|b| needs[b]));
                if calls_needy {
                    needs[a] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for t in &touches {
            for &k in &t.slots {
                self.scratch_slot(k, scratch);
            }
        }
        let mut fresh = Vec::new();
        for (a, &g) in reach.iter().enumerate() {
            if needs[a] && !scratch.funcs.contains_key(&g) {
                let mut copy = self.ir.functions[g].clone();
                copy.name = format!("_s_{}", copy.name);
                copy.hoc = false;
                let i = self.ir.functions.len();
                self.funcs.insert(copy.name.clone(), i);
                self.ir.functions.push(copy);
                scratch.funcs.insert(g, i);
                fresh.push(i);
            }
        }
        let var = |v: Var| scratch.var(v);
        let call = |g: usize| scratch.funcs.get(&g).copied().unwrap_or(g);
        let rw = Rewrite {
            var: &var,
            call: &call,
        };
        for i in fresh {
            rw.stmts(&mut self.ir.functions[i].body);
        }
        Ok(scratch.funcs.get(&f).copied().unwrap_or(f))
    }

    /// Makes the scratch global standing for the slot at element `k`.
    fn scratch_slot(&mut self, k: usize, scratch: &mut Scratch) {
        if scratch.slots.contains_key(&k) {
            return;
        }
        let mut start = 0;
        let Some(d) = self.ir.slots.iter().position(|s| {
            start += s.size;
            k < start
        }) else {
            return;
        };
        let decl = self.ir.slots[d].clone();
        let first = start - decl.size;
        self.add_global(&format!("_s_{}", decl.name), decl.size, decl.default, false);
        let g = self.ir.global_offset(self.ir.globals.len() - 1);
        for e in 0..decl.size {
            scratch.slots.insert(first + e, g + e);
        }
    }
}
