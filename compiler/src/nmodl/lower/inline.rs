//! Inlining of small FUNCTIONs and PROCEDUREs into the per-instance
//! kernels, so the JIT compiles one straight body per kernel (`rates(v)`
//! and its `vtrap` calls in `state` become plain statements). The
//! callable copies stay, for HOC and for calls that are not inlined.
//!
//! A function is inlined when it is small, its only `return` is its last
//! statement, and its name does not start with `_` (the residual functions
//! of derivimplicit and the bodies behind TABLEs, called many times or
//! type-wide, stay calls). A PROCEDURE call statement is replaced in place.
//! A FUNCTION call inside an expression is hoisted before its statement
//! only when the function is pure (writes nothing but its locals, calls
//! nothing impure) and the expression has no other call or host service;
//! calls in `while` conditions and in the branches of a select stay calls.
//! Arguments become locals assigned in order, as C evaluates them by value.

use super::super::ir::*;
use super::build::*;
use super::{visit_expr, visit_stmt, Lowerer};
use std::cell::Cell;

/// Functions bigger than this many IR nodes stay calls.
const MAX_SIZE: usize = 400;
/// Rounds of inlining (calls inside inlined bodies are inlined next round).
const ROUNDS: usize = 4;

#[derive(Debug, Clone, Copy)]
struct Cand {
    pure: bool,
}

fn size(body: &[Stmt]) -> usize {
    let mut n = 0;
    for s in body {
        let m = Cell::new(0);
        visit_stmt(s, &mut |_| m.set(m.get() + 1), &mut |_| m.set(m.get() + 1));
        n += m.get();
    }
    n
}

/// Whether `body` has a `return` other than a final top-level one.
fn inner_return(body: &[Stmt]) -> bool {
    let upto = match body.last() {
        Some(Stmt::Return(_)) => body.len() - 1,
        _ => body.len(),
    };
    let mut found = false;
    for s in &body[..upto] {
        visit_stmt(
            s,
            &mut |s| {
                if matches!(s, Stmt::Return(_)) {
                    found = true;
                }
            },
            &mut |_| {},
        );
    }
    found
}

/// Whether a body writes only locals and arguments and calls no service
/// (calls to other functions are judged by `pure_calls`).
fn writes_only_locals(body: &[Stmt], pure_calls: &dyn Fn(usize) -> bool) -> bool {
    let ok = Cell::new(true);
    for s in body {
        visit_stmt(
            s,
            &mut |s| match s {
                Stmt::Assign(v, _) if !matches!(v, Var::Local(_) | Var::Arg(_)) => ok.set(false),
                Stmt::Solve { out, .. }
                    if out
                        .iter()
                        .any(|v| !matches!(v, Var::Local(_) | Var::Arg(_))) =>
                {
                    ok.set(false)
                }
                Stmt::Host(..) => ok.set(false),
                Stmt::Call(f, _) if !pure_calls(*f) => ok.set(false),
                _ => {}
            },
            &mut |e| match e {
                Expr::Host(..) => ok.set(false),
                Expr::Call(f, _) if !pure_calls(*f) => ok.set(false),
                _ => {}
            },
        );
    }
    ok.get()
}

fn candidates(funcs: &[Function]) -> Vec<Option<Cand>> {
    // purity by fixpoint: start from "all pure" and remove
    let mut pure = vec![true; funcs.len()];
    loop {
        let mut changed = false;
        for (i, f) in funcs.iter().enumerate() {
            if pure[i] && !writes_only_locals(&f.body, &|g| pure.get(g).copied().unwrap_or(false)) {
                pure[i] = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    funcs
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let ok =
                !f.name.starts_with('_') && size(&f.body) <= MAX_SIZE && !inner_return(&f.body);
            ok.then_some(Cand { pure: pure[i] })
        })
        .collect()
}

struct Inliner<'a> {
    funcs: &'a [Function],
    cand: &'a [Option<Cand>],
    locals: usize,
    changed: bool,
}

impl Inliner<'_> {
    fn fresh(&mut self) -> Var {
        self.locals += 1;
        Var::Local(self.locals - 1)
    }

    /// The callee's body with its locals and arguments renamed, preceded by
    /// the argument assignments; the value (if any) goes to `result`.
    fn expand(&mut self, f: usize, args: &[Expr], result: Option<&Var>, out: &mut Vec<Stmt>) {
        let func = &self.funcs[f];
        let base = self.locals;
        self.locals += func.locals;
        let arg_vars: Vec<Var> = (0..func.args).map(|_| self.fresh()).collect();
        for (v, a) in arg_vars.iter().zip(args) {
            out.push(assign(v, a.clone()));
        }
        let rename = |v: &Var| -> Var {
            match v {
                Var::Local(k) => Var::Local(base + k),
                Var::Arg(k) => arg_vars[*k].clone(),
                other => other.clone(),
            }
        };
        for s in &func.body {
            match s {
                Stmt::Return(e) => {
                    let e = rename_expr(e, &rename);
                    match result {
                        Some(r) => out.push(assign(r, e)),
                        None => {
                            let t = self.fresh();
                            out.push(assign(&t, e));
                        }
                    }
                }
                s => out.push(rename_stmt(s, &rename)),
            }
        }
        self.changed = true;
    }

    fn block(&mut self, body: Vec<Stmt>) -> Vec<Stmt> {
        let mut out = Vec::new();
        for s in body {
            self.stmt(s, &mut out);
        }
        out
    }

    fn stmt(&mut self, s: Stmt, out: &mut Vec<Stmt>) {
        match s {
            Stmt::Call(f, args) if self.cand[f].is_some() => {
                let args: Vec<Expr> = args.into_iter().map(|a| self.hoist(a, out)).collect();
                self.expand(f, &args, None, out);
            }
            Stmt::Call(f, args) => {
                let args = args.into_iter().map(|a| self.hoist(a, out)).collect();
                out.push(Stmt::Call(f, args));
            }
            Stmt::Host(h, args) => {
                let args = args.into_iter().map(|a| self.hoist(a, out)).collect();
                out.push(Stmt::Host(h, args));
            }
            Stmt::Assign(v, e) => {
                let e = self.hoist(e, out);
                out.push(Stmt::Assign(v, e));
            }
            Stmt::Return(e) => {
                let e = self.hoist(e, out);
                out.push(Stmt::Return(e));
            }
            Stmt::If(c, a, b) => {
                let c = self.hoist(c, out);
                let a = self.block(a);
                let b = self.block(b);
                out.push(Stmt::If(c, a, b));
            }
            Stmt::While(c, b) => {
                let b = self.block(b);
                out.push(Stmt::While(c, b));
            }
            s @ Stmt::Solve { .. } => out.push(s),
        }
    }

    /// Hoists pure calls out of `e` when nothing else in it has effects.
    fn hoist(&mut self, e: Expr, out: &mut Vec<Stmt>) -> Expr {
        let mut other_effects = false;
        visit_expr(&e, &mut |x| match x {
            Expr::Host(..) => other_effects = true,
            Expr::Call(f, _) if !self.cand[*f].is_some_and(|c| c.pure) => other_effects = true,
            _ => {}
        });
        if other_effects {
            return e;
        }
        self.hoist_pure(e, out)
    }

    fn hoist_pure(&mut self, e: Expr, out: &mut Vec<Stmt>) -> Expr {
        match e {
            Expr::Call(f, args) => {
                let args: Vec<Expr> = args.into_iter().map(|a| self.hoist_pure(a, out)).collect();
                let r = self.fresh();
                self.expand(f, &args, Some(&r), out);
                load(&r)
            }
            Expr::Un(op, a) => Expr::Un(op, Box::new(self.hoist_pure(*a, out))),
            Expr::Bin(op, a, b) => {
                let a = self.hoist_pure(*a, out);
                let b = self.hoist_pure(*b, out);
                Expr::Bin(op, Box::new(a), Box::new(b))
            }
            Expr::Select(c, a, b) => Expr::Select(Box::new(self.hoist_pure(*c, out)), a, b),
            Expr::Math(m, args) => Expr::Math(
                m,
                args.into_iter().map(|a| self.hoist_pure(a, out)).collect(),
            ),
            other => other,
        }
    }
}

fn rename_var(v: &Var, f: &dyn Fn(&Var) -> Var) -> Var {
    match v {
        Var::Slot(k, Some(i)) => Var::Slot(*k, Some(Box::new(rename_expr(i, f)))),
        Var::Global(k, Some(i)) => Var::Global(*k, Some(Box::new(rename_expr(i, f)))),
        other => f(other),
    }
}

fn rename_expr(e: &Expr, f: &dyn Fn(&Var) -> Var) -> Expr {
    let r = |a: &Expr| Box::new(rename_expr(a, f));
    let rs = |args: &[Expr]| args.iter().map(|a| rename_expr(a, f)).collect();
    match e {
        Expr::Num(_) => e.clone(),
        Expr::Load(v) => Expr::Load(rename_var(v, f)),
        Expr::Un(op, a) => Expr::Un(*op, r(a)),
        Expr::Bin(op, a, b) => Expr::Bin(*op, r(a), r(b)),
        Expr::Select(c, a, b) => Expr::Select(r(c), r(a), r(b)),
        Expr::Math(m, args) => Expr::Math(*m, rs(args)),
        Expr::Call(g, args) => Expr::Call(*g, rs(args)),
        Expr::Host(h, args) => Expr::Host(*h, rs(args)),
    }
}

fn rename_stmt(s: &Stmt, f: &dyn Fn(&Var) -> Var) -> Stmt {
    let rb = |b: &[Stmt]| b.iter().map(|s| rename_stmt(s, f)).collect();
    let rs = |args: &[Expr]| args.iter().map(|a| rename_expr(a, f)).collect();
    match s {
        Stmt::Assign(v, e) => Stmt::Assign(rename_var(v, f), rename_expr(e, f)),
        Stmt::If(c, a, b) => Stmt::If(rename_expr(c, f), rb(a), rb(b)),
        Stmt::While(c, b) => Stmt::While(rename_expr(c, f), rb(b)),
        Stmt::Call(g, args) => Stmt::Call(*g, rs(args)),
        Stmt::Host(h, args) => Stmt::Host(*h, rs(args)),
        Stmt::Return(e) => Stmt::Return(rename_expr(e, f)),
        Stmt::Solve { a, b, out } => Stmt::Solve {
            a: rs(a),
            b: rs(b),
            out: out.iter().map(|v| rename_var(v, f)).collect(),
        },
    }
}

impl Lowerer<'_> {
    pub(super) fn inline(&mut self) {
        let funcs = self.ir.functions.clone();
        let cand = candidates(&funcs);
        let k = &mut self.ir.kernels;
        for kern in [
            &mut k.init,
            &mut k.cur,
            &mut k.state,
            &mut k.net_receive,
            &mut k.net_receive_init,
        ]
        .into_iter()
        .flatten()
        .chain(k.before_after.iter_mut().map(|(_, kern)| kern))
        {
            for _ in 0..ROUNDS {
                let mut inl = Inliner {
                    funcs: &funcs,
                    cand: &cand,
                    locals: kern.locals,
                    changed: false,
                };
                let body = inl.block(std::mem::take(&mut kern.body));
                kern.body = body;
                kern.locals = inl.locals;
                if !inl.changed {
                    break;
                }
            }
        }
    }
}
