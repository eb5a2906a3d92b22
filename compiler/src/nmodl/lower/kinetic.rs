//! KINETIC blocks with `METHOD sparse` and `STEADYSTATE sparse`, as
//! nocmodl 9.0.2 and scopmath's `sparse_thread` do them.
//!
//! One row per STATE of the scheme. Each Newton iteration builds the
//! matrix `vol/dt - J` and right-hand side `-vol*(x - x_old)/dt + f(x)`:
//! a reaction `~ A + B <-> C (kf, kb)` has `f_flux = kf*A*B`,
//! `b_flux = kb*C`, subtracts `f_flux - b_flux` from the rows of its left
//! species (times their coefficients), adds it to the right ones, and puts
//! the partial derivatives of the fluxes (symbolic, rates held constant)
//! into the matrix; `~ A << (e)` adds `e` to A's row with no matrix term.
//! `CONSERVE` replaces the row of its last species by the conservation
//! law (coefficients times COMPARTMENT volumes). Then `x += dx`.
//! A linear scheme takes one iteration; a nonlinear one iterates until
//! `Σ|dx| ≤ 1e-6` (at most 22 times) and clamps negative states to 0.
//! After the loop the block runs once more (its assignments see the new
//! states) and `D<x> = (x - x_old)/dt`.
//!
//! `STEADYSTATE sparse` is `_ss_sparse_thread`: dt = 1e9; a linear scheme
//! iterates as if nonlinear; a nonlinear one repeats (at most 7 times) a
//! linear step until no state is below -1e-6 (those are set to 0), then
//! iterates to convergence.

use super::super::ast::{
    self, Compartment, ExprKind, NamedBlock, Reactant, Reaction, Span, StmtKind,
};
use super::super::ir::*;
use super::build::*;
use super::deriv::{depends, diff, simplify};
use super::Lowerer;

/// The KINETIC block being lowered.
#[derive(Debug, Clone)]
pub(crate) struct Kin {
    /// the `f_flux` local
    pub f_flux: Var,
    /// the `b_flux` local
    pub b_flux: Var,
    /// the states, one per row: (name, slot)
    pub rows: Vec<(String, Var)>,
    /// rows replaced by CONSERVE statements, in their order
    pub conserve: Vec<usize>,
    /// CONSERVE statements lowered so far
    pub next_conserve: usize,
    /// the matrix (row-major locals)
    pub mat: Vec<Var>,
    /// the right-hand side locals
    pub rhs: Vec<Var>,
    /// the COMPARTMENT volume of each row
    pub vol: Vec<Option<Expr>>,
}

const CONVERGE: f64 = 1e-6;
const MAXSTEPS: f64 = 20.0;

/// The name of a species written as a plain name.
fn species_name(e: &ast::Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(id) => Some(&id.name),
        _ => None,
    }
}

impl Kin {
    fn row(&self, name: &str) -> Option<usize> {
        self.rows.iter().position(|(n, _)| n == name)
    }
}

impl Lowerer<'_> {
    /// Lowers `SOLVE nb METHOD sparse` (or `STEADYSTATE sparse`) into `out`.
    pub(super) fn sparse(&mut self, nb: &NamedBlock, steady: bool, out: &mut Vec<Stmt>) {
        let Some(mut kin) = self.kinetic_setup(nb) else {
            return;
        };
        let n = kin.rows.len();
        let dt = self.body.local();
        out.push(assign(&dt, if steady { num(1e9) } else { self.dt_expr() }));
        let old_dt = self.body.dt.replace(dt.clone());
        let old: Vec<Var> = (0..n).map(|_| self.body.local()).collect();
        for ((_, x), o) in kin.rows.iter().zip(&old) {
            out.push(assign(o, load(x)));
        }
        // The volumes, evaluated once at the start as nocmodl does.
        let mut vols = Vec::new();
        for v in kin.vol.iter_mut() {
            if let Some(e) = v.take() {
                let l = self.body.local();
                vols.push(assign(&l, e));
                *v = Some(load(&l));
            }
        }
        out.extend(vols);
        // The block body: matrix and right-hand side, once per evaluation.
        let saved_kin = self.body.kinetic.replace(kin.clone());
        let body = self.block(&nb.body);
        self.body.kinetic = saved_kin;
        let mut eval = Vec::new();
        for m in &kin.mat {
            eval.push(assign(m, num(0.0)));
        }
        let dt1 = self.body.local();
        eval.push(assign(&dt1, div(num(1.0), load(&dt))));
        for (i, o) in old.iter().enumerate() {
            if kin.conserve.contains(&i) {
                continue;
            }
            let x = &kin.rows[i].1;
            eval.push(assign(
                &kin.rhs[i],
                mul(neg(load(&dt1)), sub(load(x), load(o))),
            ));
            eval.push(assign(&kin.mat[i * n + i], load(&dt1)));
            if let Some(v) = &kin.vol[i] {
                eval.push(assign(&kin.rhs[i], mul(load(&kin.rhs[i]), v.clone())));
                eval.push(assign(
                    &kin.mat[i * n + i],
                    mul(load(&kin.mat[i * n + i]), v.clone()),
                ));
            }
        }
        eval.extend(body);
        let linear = self.kinetic_is_linear(nb, &kin);
        if steady && !linear {
            // up to 7 linear steps until no state is clearly negative
            let tries = self.body.local();
            let ok = self.body.local();
            let go = self.body.local();
            out.push(assign(&tries, num(0.0)));
            out.push(assign(&go, num(1.0)));
            let mut step = self.newton_loop(&kin, &eval, true);
            step.push(assign(&ok, num(1.0)));
            for (_, x) in &kin.rows {
                step.push(Stmt::If(
                    bin(BinOp::Lt, load(x), num(-1e-6)),
                    vec![assign(x, num(0.0)), assign(&ok, num(0.0))],
                    Vec::new(),
                ));
            }
            let mut finish = self.newton_loop(&kin, &eval, false);
            finish.push(assign(&go, num(0.0)));
            step.push(Stmt::If(load(&ok), finish, Vec::new()));
            step.push(add_to(&tries, num(1.0)));
            step.push(Stmt::If(
                bin(BinOp::Ge, load(&tries), num(7.0)),
                vec![assign(&go, num(0.0))],
                Vec::new(),
            ));
            out.push(Stmt::While(load(&go), step));
        } else {
            let lin = linear && !steady;
            out.extend(self.newton_loop(&kin, &eval, lin));
        }
        // once more, then the derivatives at t+dt
        out.extend(eval);
        for ((name, x), o) in kin.rows.iter().zip(&old) {
            if let Some(d) = self.slot(&format!("D{name}")) {
                out.push(assign(&d, div(sub(load(x), load(o)), load(&dt))));
            }
        }
        self.body.dt = old_dt;
    }

    /// `sparse_thread`'s iteration: `lin` solves once without clamping.
    fn newton_loop(&mut self, kin: &Kin, eval: &[Stmt], lin: bool) -> Vec<Stmt> {
        let n = kin.rows.len();
        let dx: Vec<Var> = (0..n).map(|_| self.body.local()).collect();
        let err = self.body.local();
        let j = self.body.local();
        let go = self.body.local();
        let mut out = vec![assign(&j, num(0.0)), assign(&go, num(1.0))];
        let mut it: Vec<Stmt> = eval.to_vec();
        it.push(Stmt::Solve {
            a: kin.mat.iter().map(load).collect(),
            b: kin.rhs.iter().map(load).collect(),
            out: dx.clone(),
        });
        it.push(assign(&err, num(0.0)));
        for (i, (_, x)) in kin.rows.iter().enumerate() {
            it.push(add_to(x, load(&dx[i])));
            if !lin {
                it.push(Stmt::If(
                    bin(BinOp::Lt, load(x), num(0.0)),
                    vec![assign(x, num(0.0))],
                    Vec::new(),
                ));
            }
            it.push(add_to(&err, math(MathFn::Fabs, vec![load(&dx[i])])));
        }
        if lin {
            it.push(assign(&go, num(0.0)));
        } else {
            it.push(Stmt::If(
                bin(
                    BinOp::Or,
                    bin(BinOp::Le, load(&err), num(CONVERGE)),
                    bin(BinOp::Gt, load(&j), num(MAXSTEPS)),
                ),
                vec![assign(&go, num(0.0))],
                Vec::new(),
            ));
        }
        it.push(add_to(&j, num(1.0)));
        out.push(Stmt::While(load(&go), it));
        out
    }

    /// Rows, CONSERVE rows, volumes and locals of a KINETIC block.
    fn kinetic_setup(&mut self, nb: &NamedBlock) -> Option<Kin> {
        let mut mentioned: Vec<String> = Vec::new();
        let mut conserves: Vec<(Span, Vec<String>)> = Vec::new();
        let mut comps: Vec<&Compartment> = Vec::new();
        let mut bad = false;
        for s in &nb.body.stmts {
            let species: Vec<&Reactant> = match &s.kind {
                StmtKind::Reaction(Reaction::Reversible { lhs, rhs, .. }) => {
                    lhs.iter().chain(rhs).collect()
                }
                StmtKind::Reaction(
                    Reaction::Influx { lhs, .. } | Reaction::Outflux { lhs, .. },
                ) => lhs.iter().collect(),
                StmtKind::Conserve { species, .. } => {
                    let names = species
                        .iter()
                        .filter_map(|r| species_name(&r.species).map(String::from))
                        .collect();
                    conserves.push((s.span, names));
                    species.iter().collect()
                }
                StmtKind::Compartment(c) => {
                    if c.index.is_some() {
                        self.error(s.span, "COMPARTMENT with an index (STATE arrays) is not supported yet by nerve");
                        bad = true;
                    }
                    comps.push(c);
                    Vec::new()
                }
                _ => Vec::new(),
            };
            for r in species {
                match species_name(&r.species) {
                    Some(n) => {
                        if !mentioned.iter().any(|m| m == n) {
                            mentioned.push(n.to_string());
                        }
                    }
                    None => {
                        self.error(
                            r.species.span,
                            "indexed species (STATE arrays) are not supported yet by nerve",
                        );
                        bad = true;
                    }
                }
            }
        }
        if bad {
            return None;
        }
        let rows: Vec<(String, Var)> = self
            .table
            .states()
            .filter(|s| mentioned.contains(&s.name))
            .filter_map(|s| Some((s.name.clone(), self.slot(&s.name)?)))
            .collect();
        let n = rows.len();
        let mut kin = Kin {
            f_flux: self.body.local(),
            b_flux: self.body.local(),
            rows,
            conserve: Vec::new(),
            next_conserve: 0,
            mat: Vec::new(),
            rhs: Vec::new(),
            vol: vec![None; n],
        };
        kin.mat = (0..n * n).map(|_| self.body.local()).collect();
        kin.rhs = (0..n).map(|_| self.body.local()).collect();
        for (span, names) in conserves {
            let row = names
                .iter()
                .rev()
                .filter_map(|nm| kin.row(nm))
                .find(|r| !kin.conserve.contains(r));
            match row {
                Some(r) => kin.conserve.push(r),
                None => {
                    self.error(span, "this CONSERVE names no STATE left to replace");
                    return None;
                }
            }
        }
        for c in comps {
            let v = self.expr(&c.expr);
            for id in &c.species {
                if let Some(r) = kin.row(&id.name) {
                    kin.vol[r] = Some(v.clone());
                }
            }
        }
        Some(kin)
    }

    /// nocmodl's linear test: every reaction has at most one STATE molecule
    /// per side and rates that do not depend on STATEs.
    fn kinetic_is_linear(&mut self, nb: &NamedBlock, kin: &Kin) -> bool {
        let is_state = |e: &ast::Expr| species_name(e).and_then(|n| kin.row(n)).is_some();
        let order = |rs: &[Reactant]| -> f64 {
            rs.iter()
                .filter(|r| is_state(&r.species))
                .map(|r| r.coef.as_ref().map_or(1.0, |c| c.value))
                .sum()
        };
        let saved = self.body.kinetic.replace(kin.clone());
        let mut linear = true;
        for s in &nb.body.stmts {
            let rates: Vec<&ast::Expr> = match &s.kind {
                StmtKind::Reaction(Reaction::Reversible { lhs, rhs, kf, kb }) => {
                    linear &= order(lhs) <= 1.0 && order(rhs) <= 1.0;
                    vec![kf, kb]
                }
                StmtKind::Reaction(Reaction::Influx { flux, .. }) => vec![flux],
                StmtKind::Reaction(Reaction::Outflux { lhs, rate }) => {
                    linear &= order(lhs) <= 1.0;
                    vec![rate]
                }
                _ => Vec::new(),
            };
            for r in rates {
                let e = self.expr(r);
                linear &= !kin.rows.iter().any(|(_, x)| depends(&e, x));
            }
        }
        self.body.kinetic = saved;
        linear
    }

    /// A species' slot and row, or its value when it is not a STATE of the
    /// scheme.
    fn species(&mut self, r: &Reactant) -> (Expr, Option<usize>) {
        let kin = self.body.kinetic.as_ref();
        if let Some(row) = species_name(&r.species).and_then(|n| kin.and_then(|k| k.row(n))) {
            let x = self.body.kinetic.as_ref().map(|k| k.rows[row].1.clone());
            if let Some(x) = x {
                return (load(&x), Some(row));
            }
        }
        (self.expr(&r.species), None)
    }

    /// A reaction statement.
    pub(super) fn reaction(&mut self, r: &Reaction, span: Span, out: &mut Vec<Stmt>) {
        let Some(kin) = self.body.kinetic.clone() else {
            self.error(span, "a reaction is allowed only in a KINETIC block");
            return;
        };
        let n = kin.rows.len();
        let coef = |r: &Reactant| r.coef.as_ref().map_or(1.0, |c| c.value);
        let side = |this: &mut Self, rs: &[Reactant]| -> (Expr, Vec<(usize, f64, Expr)>) {
            let mut prod: Option<Expr> = None;
            let mut cols = Vec::new();
            for r in rs {
                let (x, row) = this.species(r);
                let c = coef(r);
                for _ in 0..(c.max(1.0) as usize) {
                    prod = Some(match prod {
                        Some(p) => mul(p, x.clone()),
                        None => x.clone(),
                    });
                }
                if let Some(row) = row {
                    cols.push((row, c, x));
                }
            }
            (prod.unwrap_or(num(1.0)), cols)
        };
        let live = |row: usize| !kin.conserve.contains(&row);
        match r {
            Reaction::Influx { lhs, flux } => {
                let e = self.expr(flux);
                out.push(assign(&kin.f_flux, num(0.0)));
                out.push(assign(&kin.b_flux, e));
                for s in lhs {
                    if let (_, Some(row)) = self.species(s) {
                        if live(row) {
                            out.push(add_to(&kin.rhs[row], load(&kin.b_flux)));
                        }
                    }
                }
            }
            Reaction::Reversible { .. } | Reaction::Outflux { .. } => {
                let (lhs, rhs, kf, kb): (&[Reactant], &[Reactant], Expr, Expr) = match r {
                    Reaction::Reversible { lhs, rhs, kf, kb } => {
                        (lhs, rhs, self.expr(kf), self.expr(kb))
                    }
                    Reaction::Outflux { lhs, rate } => (lhs, &[], self.expr(rate), num(0.0)),
                    Reaction::Influx { .. } => return,
                };
                let (lp, lcols) = side(self, lhs);
                let (rp, rcols) = side(self, rhs);
                out.push(assign(&kin.f_flux, simplify(&mul(kf.clone(), lp.clone()))));
                out.push(assign(&kin.b_flux, simplify(&mul(kb.clone(), rp.clone()))));
                let net = || sub(load(&kin.f_flux), load(&kin.b_flux));
                let scaled = |c: f64, e: Expr| if c == 1.0 { e } else { mul(num(c), e) };
                for (row, c, _) in &lcols {
                    if live(*row) {
                        out.push(sub_from(&kin.rhs[*row], scaled(*c, net())));
                    }
                }
                for (row, c, _) in &rcols {
                    if live(*row) {
                        out.push(add_to(&kin.rhs[*row], scaled(*c, net())));
                    }
                }
                // d(f - b)/dx for x on the left (from f) and the right (from b)
                for (flux_rate, prod, cols, sign) in
                    [(&kf, &lp, &lcols, 1.0), (&kb, &rp, &rcols, -1.0)]
                {
                    for (col, _, x) in cols.iter() {
                        let Expr::Load(xv) = x else { continue };
                        let Some(dp) = diff(prod, xv) else { continue };
                        let term = simplify(&mul(flux_rate.clone(), dp));
                        let t = self.body.local();
                        out.push(assign(&t, term));
                        for (row, c, _) in &lcols {
                            if live(*row) {
                                let m = &kin.mat[row * n + col];
                                let e = scaled(*c, load(&t));
                                out.push(if sign > 0.0 {
                                    add_to(m, e)
                                } else {
                                    sub_from(m, e)
                                });
                            }
                        }
                        for (row, c, _) in &rcols {
                            if live(*row) {
                                let m = &kin.mat[row * n + col];
                                let e = scaled(*c, load(&t));
                                out.push(if sign > 0.0 {
                                    sub_from(m, e)
                                } else {
                                    add_to(m, e)
                                });
                            }
                        }
                    }
                }
            }
        }
    }

    /// `CONSERVE a + b = total`: replaces its row by the conservation law.
    pub(super) fn conserve(
        &mut self,
        species: &[Reactant],
        total: &ast::Expr,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        let Some(mut kin) = self.body.kinetic.clone() else {
            self.error(span, "CONSERVE is allowed only in a KINETIC block");
            return;
        };
        let n = kin.rows.len();
        let Some(&row) = kin.conserve.get(kin.next_conserve) else {
            return;
        };
        kin.next_conserve += 1;
        let t = self.expr(total);
        out.push(assign(&kin.rhs[row], t));
        for col in 0..n {
            out.push(assign(&kin.mat[row * n + col], num(0.0)));
        }
        for r in species.iter().rev() {
            let (x, col) = self.species(r);
            let Some(col) = col else { continue };
            let c = r.coef.as_ref().map_or(1.0, |c| c.value);
            match kin.vol[col].clone() {
                Some(v) => {
                    out.push(assign(&kin.mat[row * n + col], mul(num(c), v.clone())));
                    out.push(sub_from(&kin.rhs[row], mul(x, v)));
                }
                None => {
                    out.push(assign(&kin.mat[row * n + col], num(c)));
                    out.push(sub_from(&kin.rhs[row], x));
                }
            }
        }
        self.body.kinetic = Some(kin);
    }

    /// `COMPARTMENT`: its volumes were taken when the block was set up.
    pub(super) fn compartment(&mut self, _c: &Compartment, _out: &mut [Stmt]) {}
}
