//! `SOLVE` statements: which block, which method, and the code each method
//! is in NEURON 9.0.2.
//!
//! * `cnexp`: each `x' = f` in place, in order. When `f` is linear in `x`
//!   (`f = a*x + b`, `a` and `b` found by symbolic differentiation) it is
//!   nocmodl's exact step `x = x + (1 - exp(dt*a))*(-b/a - x)`, or
//!   `x = x + dt*b` when `a` is 0. When `f` is not linear, nocmodl 9.0.2
//!   still takes `a = df/dx` at the current `x` and drops `b`:
//!   `x = x + (1 - exp(dt*a))*(-x)` (its output, checked; not a true
//!   solution, but what NEURON computes).
//! * `euler`: all derivatives into `D<x>`, then `x = x + dt*Dx`.
//! * `derivimplicit`: backward Euler solved by NEURON's `nrn_newton_thread`:
//!   a Jacobian by central differences (increment `max(|0.02 x|, 1e-6)`),
//!   rebuilt only while the relative change exceeds 0.05; stop when the
//!   relative change is ≤ 1e-6 and every residual ≤ 1e-8, or after 50
//!   iterations. The block becomes a function `_f_<block>(saved states…,
//!   dt)` leaving the residuals `x' - (x - x_saved)/dt` in `D<x>`.
//!   `STEADYSTATE derivimplicit` is the same with dt = 1e-9, as NEURON.
//! * `SOLVE proc`: a call of the PROCEDURE.
//! * KINETIC blocks: see [`super::kinetic`]; LINEAR and NONLINEAR blocks:
//!   see [`super::algebraic`].

use super::super::ast::{self, ExprKind, Ident, ItemKind, NamedBlock, SolveMethod, Span, StmtKind};
use super::super::ir::*;
use super::super::symbols::{BlockKind, SymbolKind};
use super::build::*;
use super::deriv::{depends, diff, simplify, subst};
use super::{Lowerer, PrimeMode};

/// nocmodl's cnexp update of `x` for `x' = e`, or `None` when `e` cannot be
/// differentiated.
pub(crate) fn cnexp_update(x: &Var, e: &Expr, dt: &Expr) -> Option<Stmt> {
    let a = simplify(&diff(e, x)?);
    let xl = load(x);
    if depends(&a, x) {
        let f = sub(num(1.0), math(MathFn::Exp, vec![mul(dt.clone(), a)]));
        return Some(assign(x, add(xl.clone(), mul(f, neg(xl)))));
    }
    let b = simplify(&subst(e, x, &num(0.0)));
    if a == num(0.0) {
        return Some(assign(x, add(xl, mul(dt.clone(), b))));
    }
    let f = sub(
        num(1.0),
        math(MathFn::Exp, vec![mul(dt.clone(), a.clone())]),
    );
    Some(assign(x, add(xl.clone(), mul(f, sub(div(neg(b), a), xl)))))
}

/// nrn_newton_thread's constants (scopmath `errcodes.hpp`).
const STEP: f64 = 1e-6;
const ZERO: f64 = 1e-8;
const CONVERGE: f64 = 1e-6;
const MAXCHANGE: f64 = 0.05;
const MAXITERS: f64 = 50.0;

/// The STATEs a DERIVATIVE block has equations for, in order.
pub(crate) fn primed_states(b: &ast::Block) -> Vec<Ident> {
    let mut out: Vec<Ident> = Vec::new();
    fn walk(b: &ast::Block, out: &mut Vec<Ident>) {
        for s in &b.stmts {
            if let StmtKind::Assign { target, .. } = &s.kind {
                let name = match &target.kind {
                    ExprKind::Prime { name, .. } => Some(name),
                    ExprKind::Index { base, .. } => match &base.kind {
                        ExprKind::Prime { name, .. } => Some(name),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(n) = name {
                    if !out.iter().any(|o| o.name == n.name) {
                        out.push(n.clone());
                    }
                }
            }
            for (b, _) in super::super::symbols::nested(s) {
                walk(b, out);
            }
        }
    }
    walk(b, &mut out);
    out
}

impl<'a> Lowerer<'a> {
    fn named_block(&self, name: &str) -> Option<(BlockKind, &'a NamedBlock)> {
        let prog = self.prog;
        prog.items.iter().find_map(|i| match &i.kind {
            ItemKind::Derivative(b) if b.name.name == name => Some((BlockKind::Derivative, b)),
            ItemKind::Kinetic(b) if b.name.name == name => Some((BlockKind::Kinetic, b)),
            ItemKind::Linear(b) if b.name.name == name => Some((BlockKind::Linear, b)),
            ItemKind::Nonlinear(b) if b.name.name == name => Some((BlockKind::Nonlinear, b)),
            ItemKind::Discrete(b) if b.name.name == name => Some((BlockKind::Discrete, b)),
            _ => None,
        })
    }

    /// Lowers `SOLVE block [METHOD m | STEADYSTATE m]` into `out`.
    pub(super) fn solve_stmt(
        &mut self,
        block: &Ident,
        method: Option<&SolveMethod>,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        if self.table.get(&block.name).map(|s| s.kind) == Some(SymbolKind::Procedure) {
            if let Some(&f) = self.funcs.get(&block.name) {
                out.push(Stmt::Call(f, Vec::new()));
            }
            return;
        }
        let Some((kind, nb)) = self.named_block(&block.name) else {
            self.error(
                block.span,
                format!("{} is not a block nerve can SOLVE", block.name),
            );
            return;
        };
        let m = method.map(|m| m.name.name.as_str());
        let steady = method.is_some_and(|m| m.steadystate);
        let mspan = method.map(|m| m.name.span).unwrap_or(span);
        match (kind, m) {
            (BlockKind::Derivative, Some("cnexp")) if !steady => self.cnexp(nb, out),
            (BlockKind::Derivative, Some("euler")) if !steady => self.euler(nb, out),
            (BlockKind::Derivative, Some("derivimplicit")) => self.derivimplicit(nb, steady, out),
            (BlockKind::Kinetic, Some("sparse")) => self.sparse(nb, steady, out),
            (BlockKind::Kinetic, None) => self.sparse(nb, false, out),
            (BlockKind::Nonlinear, None | Some("newton")) if !steady => self.nonlinear(nb, out),
            (BlockKind::Linear, None | Some("simeq")) if !steady => self.linear(nb, out),
            (_, Some(m)) => self.error(
                mspan,
                format!(
                    "METHOD {m} for a {} block is not supported yet by nerve",
                    kind.word()
                ),
            ),
            (_, None) => self.error(
                block.span,
                format!(
                    "SOLVE of a {} block needs a METHOD nerve supports",
                    kind.word()
                ),
            ),
        }
    }

    /// Lowers a DERIVATIVE block's statements in `mode` into `out`.
    fn derivative_body(&mut self, nb: &NamedBlock, mode: PrimeMode, out: &mut Vec<Stmt>) {
        let old = self.body.prime.replace(mode);
        let b = self.block(&nb.body);
        out.extend(b);
        self.body.prime = old;
    }

    fn cnexp(&mut self, nb: &NamedBlock, out: &mut Vec<Stmt>) {
        self.derivative_body(nb, PrimeMode::Cnexp, out);
    }

    fn euler(&mut self, nb: &NamedBlock, out: &mut Vec<Stmt>) {
        self.derivative_body(nb, PrimeMode::Store, out);
        let dt = self.dt_expr();
        for s in primed_states(&nb.body) {
            if let (Some(x), Some(d)) = (self.slot(&s.name), self.slot(&format!("D{}", s.name))) {
                out.push(add_to(&x, mul(dt.clone(), load(&d))));
            }
        }
    }

    /// The function `_f_<block>(saved…, dt)` leaving the backward Euler
    /// residuals in the `D` slots; returns its index.
    fn residual_function(&mut self, nb: &NamedBlock, states: &[(Var, Var)]) -> usize {
        let name = format!("_f_{}", nb.name.name);
        if let Some(&f) = self.funcs.get(&name) {
            return f;
        }
        let n = states.len();
        let saved = self.begin();
        self.body.dt = Some(Var::Arg(n));
        let mut body = Vec::new();
        self.derivative_body(nb, PrimeMode::Store, &mut body);
        for (i, (x, d)) in states.iter().enumerate() {
            let r = sub(
                load(d),
                div(sub(load(x), load(&Var::Arg(i))), load(&Var::Arg(n))),
            );
            body.push(assign(d, r));
        }
        let locals = self.end(saved);
        let f = self.ir.functions.len();
        self.funcs.insert(name.clone(), f);
        self.ir.functions.push(Function {
            name,
            args: n + 1,
            locals,
            returns_value: false,
            hoc: false,
            body,
        });
        f
    }

    fn derivimplicit(&mut self, nb: &NamedBlock, steady: bool, out: &mut Vec<Stmt>) {
        let mut states = Vec::new();
        for s in primed_states(&nb.body) {
            if self.table.get(&s.name).and_then(|s| s.dim).is_some() {
                self.error(
                    s.span,
                    "derivimplicit of STATE arrays is not supported yet by nerve",
                );
                return;
            }
            if let (Some(x), Some(d)) = (self.slot(&s.name), self.slot(&format!("D{}", s.name))) {
                states.push((x, d));
            }
        }
        let f = self.residual_function(nb, &states);
        let dt = if steady { num(1e-9) } else { self.dt_expr() };
        newton(&mut self.body, f, &states, dt, out);
    }
}

/// Emits NEURON's `nrn_newton_thread` over the residual function `f`
/// (which leaves `F(x)` in the `D` slots of `states`).
pub(super) fn newton(
    body: &mut super::Body,
    f: usize,
    states: &[(Var, Var)],
    dt: Expr,
    out: &mut Vec<Stmt>,
) {
    let n = states.len();
    let saved: Vec<Var> = (0..n).map(|_| body.local()).collect();
    for ((x, _), s) in states.iter().zip(&saved) {
        out.push(assign(s, load(x)));
    }
    let dtl = body.local();
    out.push(assign(&dtl, dt));
    let mut args: Vec<Expr> = saved.iter().map(load).collect();
    args.push(load(&dtl));
    let call = || Stmt::Call(f, args.clone());
    let count = body.local();
    let change = body.local();
    let go = body.local();
    let inc = body.local();
    let temp = body.local();
    let maxdev = body.local();
    let hi: Vec<Var> = (0..n).map(|_| body.local()).collect();
    let jac: Vec<Var> = (0..n * n).map(|_| body.local()).collect();
    let val: Vec<Var> = (0..n).map(|_| body.local()).collect();
    let dx: Vec<Var> = (0..n).map(|_| body.local()).collect();
    out.push(assign(&count, num(0.0)));
    out.push(assign(&change, num(1.0)));
    out.push(assign(&go, num(1.0)));

    let mut build = Vec::new();
    for (j, (xj, _)) in states.iter().enumerate() {
        build.push(assign(
            &inc,
            math(
                MathFn::Max,
                vec![
                    math(MathFn::Fabs, vec![mul(num(0.02), load(xj))]),
                    num(STEP),
                ],
            ),
        ));
        build.push(add_to(xj, load(&inc)));
        build.push(call());
        for (i, (_, di)) in states.iter().enumerate() {
            build.push(assign(&hi[i], load(di)));
        }
        build.push(sub_from(xj, mul(num(2.0), load(&inc))));
        build.push(call());
        for (i, (_, di)) in states.iter().enumerate() {
            build.push(assign(
                &jac[i * n + j],
                div(sub(load(&hi[i]), load(di)), mul(num(2.0), load(&inc))),
            ));
        }
        build.push(add_to(xj, load(&inc)));
        build.push(call());
    }
    for (i, (_, di)) in states.iter().enumerate() {
        build.push(assign(&val[i], neg(load(di))));
    }

    let mut iter = vec![add_to(&count, num(1.0))];
    iter.push(Stmt::If(
        bin(BinOp::Gt, load(&change), num(MAXCHANGE)),
        build,
        Vec::new(),
    ));
    iter.push(Stmt::Solve {
        a: jac.iter().map(load).collect(),
        b: val.iter().map(load).collect(),
        out: dx.clone(),
    });
    iter.push(assign(&change, num(0.0)));
    for (i, (xi, _)) in states.iter().enumerate() {
        iter.push(Stmt::If(
            bin(BinOp::Gt, math(MathFn::Fabs, vec![load(xi)]), num(ZERO)),
            vec![
                assign(&temp, math(MathFn::Fabs, vec![div(load(&dx[i]), load(xi))])),
                Stmt::If(
                    bin(BinOp::Gt, load(&temp), load(&change)),
                    vec![assign(&change, load(&temp))],
                    Vec::new(),
                ),
            ],
            Vec::new(),
        ));
        iter.push(add_to(xi, load(&dx[i])));
    }
    iter.push(call());
    iter.push(assign(&maxdev, num(0.0)));
    for (i, (_, di)) in states.iter().enumerate() {
        iter.push(assign(&val[i], neg(load(di))));
        iter.push(assign(&temp, math(MathFn::Fabs, vec![load(&val[i])])));
        iter.push(Stmt::If(
            bin(BinOp::Gt, load(&temp), load(&maxdev)),
            vec![assign(&maxdev, load(&temp))],
            Vec::new(),
        ));
    }
    iter.push(Stmt::If(
        bin(
            BinOp::And,
            bin(BinOp::Le, load(&change), num(CONVERGE)),
            bin(BinOp::Le, load(&maxdev), num(ZERO)),
        ),
        vec![assign(&go, num(0.0))],
        Vec::new(),
    ));
    iter.push(Stmt::If(
        bin(BinOp::Ge, load(&count), num(MAXITERS)),
        vec![assign(&go, num(0.0))],
        Vec::new(),
    ));
    out.push(Stmt::While(bin(BinOp::Ne, load(&go), num(0.0)), iter));
}
