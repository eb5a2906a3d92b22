//! `LINEAR` and `NONLINEAR` blocks: algebraic equations `~ lhs = rhs` in
//! the block's unknowns (its `SOLVEFOR` list, else the STATEs its
//! equations use), solved where `SOLVE` names the block, as nocmodl 9.0.2
//! does.
//!
//! * `NONLINEAR` (`METHOD newton`, the default): each equation's residual
//!   is `-(lhs) + rhs` (`~+` adds to the previous one); the block becomes a
//!   function `_nl_<block>` leaving the residuals in the unknowns' `D`
//!   slots, and NEURON's Newton iteration (the one of derivimplicit, see
//!   [`super::solve`]) runs from the unknowns' present values.
//! * `LINEAR` (`METHOD simeq`, the default): each equation must be linear
//!   in the unknowns; at the equation, its coefficients (found by
//!   symbolic differentiation) and its constant are kept in locals, as
//!   nocmodl fills `_coef`, and after the block the system is solved by
//!   Gaussian elimination with partial pivoting (scopmath's `simeq`).
//!
//! Equations must be at the top level of the block (nocmodl numbers them
//! as they run; nerve builds the system once).

use super::super::ast::{self, Block, ExprKind, Ident, NamedBlock, Span, StmtKind};
use super::super::ir::*;
use super::super::symbols::{nested, SymbolKind};
use super::build::*;
use super::deriv::{depends, diff, simplify, subst};
use super::expr::kw;
use super::Lowerer;

/// How the `~` equations of the block being lowered are taken.
#[derive(Debug, Clone)]
pub(crate) enum Equations {
    /// NONLINEAR: equation k's residual goes into `slots[k]`
    Residual {
        /// the unknowns' `D` slots, one per equation
        slots: Vec<Var>,
        /// the unknowns
        unknowns: Vec<Var>,
        /// equations seen
        count: usize,
    },
    /// LINEAR: per equation, the locals of its coefficients (one per
    /// unknown) and of its constant
    Linear {
        /// the unknowns
        unknowns: Vec<Var>,
        /// (coefficients, constant) of each equation
        rows: Vec<(Vec<Var>, Var)>,
    },
}

impl Lowerer<'_> {
    /// The unknowns of a LINEAR or NONLINEAR block: (name, slot, D slot).
    fn unknowns(&mut self, nb: &NamedBlock) -> Option<Vec<(String, Var, Var)>> {
        let names: Vec<Ident> = if nb.solvefor.is_empty() {
            let mut used = Vec::new();
            equation_names(&nb.body, &mut used);
            let mut states: Vec<Ident> = Vec::new();
            for s in self.table.states() {
                if let Some(id) = used.iter().find(|u| u.name == s.name) {
                    states.push(id.clone());
                }
            }
            states
        } else {
            nb.solvefor.clone()
        };
        let mut out = Vec::new();
        for id in &names {
            let is_state = self.table.get(&id.name).map(|s| s.kind) == Some(SymbolKind::State);
            let dim = self.table.get(&id.name).and_then(|s| s.dim);
            let (Some(x), Some(d)) = (self.slot(&id.name), self.slot(&format!("D{}", id.name)))
            else {
                self.error(id.span, format!("{} is not a STATE", id.name));
                return None;
            };
            if !is_state {
                self.error(id.span, format!("{} is not a STATE", id.name));
                return None;
            }
            if dim.is_some() {
                self.error(
                    id.span,
                    "STATE arrays in LINEAR and NONLINEAR blocks are not supported yet by nerve",
                );
                return None;
            }
            out.push((id.name.clone(), x, d));
        }
        if out.is_empty() {
            self.error(
                nb.name.span,
                format!("{} has no equations in STATEs", nb.name.name),
            );
            return None;
        }
        Some(out)
    }

    /// Refuses equations inside `if`, `while`, ... (`false` when any).
    fn equations_at_top(&mut self, b: &Block) -> bool {
        let mut ok = true;
        for s in &b.stmts {
            for (inner, _) in nested(s) {
                let mut found = Vec::new();
                find_equations(inner, &mut found);
                for span in found {
                    self.error(
                        kw(span, 1),
                        "a ~ equation inside if, while or a nested block is not supported yet by nerve",
                    );
                    ok = false;
                }
            }
        }
        ok
    }

    /// `SOLVE block` of a NONLINEAR block (Newton).
    pub(super) fn nonlinear(&mut self, nb: &NamedBlock, out: &mut Vec<Stmt>) {
        if !self.equations_at_top(&nb.body) {
            return;
        }
        let Some(unknowns) = self.unknowns(nb) else {
            return;
        };
        let name = format!("_nl_{}", nb.name.name);
        let n = unknowns.len();
        let f = match self.funcs.get(&name) {
            Some(&f) => f,
            None => {
                let saved = self.begin();
                self.body.equations = Some(Equations::Residual {
                    slots: unknowns.iter().map(|u| u.2.clone()).collect(),
                    unknowns: unknowns.iter().map(|u| u.1.clone()).collect(),
                    count: 0,
                });
                let body = self.block(&nb.body);
                let count = match &self.body.equations {
                    Some(Equations::Residual { count, .. }) => *count,
                    _ => 0,
                };
                let locals = self.end(saved);
                if !self.count_matches(nb, count, n) {
                    return;
                }
                let f = self.ir.functions.len();
                self.funcs.insert(name.clone(), f);
                // the arguments (saved unknowns, dt) of Newton's residual
                // function are not used
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
        };
        let states: Vec<(Var, Var)> = unknowns.into_iter().map(|(_, x, d)| (x, d)).collect();
        super::solve::newton(&mut self.body, f, &states, num(0.0), out);
    }

    /// `SOLVE block` of a LINEAR block (Gaussian elimination).
    pub(super) fn linear(&mut self, nb: &NamedBlock, out: &mut Vec<Stmt>) {
        if !self.equations_at_top(&nb.body) {
            return;
        }
        let Some(unknowns) = self.unknowns(nb) else {
            return;
        };
        let xs: Vec<Var> = unknowns.iter().map(|u| u.1.clone()).collect();
        let saved = self.body.equations.replace(Equations::Linear {
            unknowns: xs.clone(),
            rows: Vec::new(),
        });
        let body = self.block(&nb.body);
        let eqs = std::mem::replace(&mut self.body.equations, saved);
        let Some(Equations::Linear { rows, .. }) = eqs else {
            return;
        };
        if !self.count_matches(nb, rows.len(), xs.len()) {
            return;
        }
        out.extend(body);
        out.push(Stmt::Solve {
            a: rows
                .iter()
                .flat_map(|(coefs, _)| coefs.iter().map(load))
                .collect(),
            b: rows.iter().map(|(_, c)| neg(load(c))).collect(),
            out: xs,
        });
    }

    fn count_matches(&mut self, nb: &NamedBlock, equations: usize, unknowns: usize) -> bool {
        if equations != unknowns {
            self.error(
                nb.name.span,
                format!(
                    "Number of equations, {equations}, does not equal number, {unknowns}, of states used"
                ),
            );
        }
        equations == unknowns
    }

    /// One `~ lhs = rhs` (`~+` when `add`) of the block being lowered.
    pub(super) fn equation(
        &mut self,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        add_to_previous: bool,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        let (l, r) = (self.expr(lhs), self.expr(rhs));
        let Some(mode) = self.body.equations.clone() else {
            self.error(
                kw(span, 1),
                "a ~ equation is lowered only in a LINEAR or NONLINEAR block that is SOLVEd",
            );
            return;
        };
        let unknowns = match &mode {
            Equations::Residual { unknowns, .. } | Equations::Linear { unknowns, .. } => unknowns,
        };
        if !unknowns.iter().any(|x| depends(&l, x) || depends(&r, x)) {
            // nocmodl: "previous equation contains no state variables"
            self.error(
                kw(span, 1),
                "this equation contains no unknown of its block",
            );
            return;
        }
        match mode {
            Equations::Residual {
                slots,
                unknowns,
                count,
            } => {
                // nocmodl: `_dlist[++_counte] = -(lhs) + rhs`
                let residual = add(neg(l), r);
                let k = if add_to_previous {
                    count.wrapping_sub(1)
                } else {
                    count
                };
                let Some(d) = slots.get(k) else {
                    self.error(
                        kw(span, 2),
                        if add_to_previous {
                            "~+ has no previous equation to add to"
                        } else {
                            "more equations than unknowns"
                        },
                    );
                    return;
                };
                let value = if add_to_previous {
                    add(load(d), residual)
                } else {
                    residual
                };
                out.push(assign(d, value));
                let count = if add_to_previous { count } else { count + 1 };
                self.body.equations = Some(Equations::Residual {
                    slots,
                    unknowns,
                    count,
                });
            }
            Equations::Linear { unknowns, mut rows } => {
                let f = sub(l, r);
                let mut coefs = Vec::new();
                for x in &unknowns {
                    let a = diff(&f, x).map(|a| simplify(&a));
                    match a {
                        Some(a) if !unknowns.iter().any(|y| depends(&a, y)) => coefs.push(a),
                        _ => {
                            self.error(
                                kw(span, 1),
                                "this LINEAR equation is not linear in the block's unknowns",
                            );
                            return;
                        }
                    }
                }
                let mut c = f;
                for x in &unknowns {
                    c = subst(&c, x, &num(0.0));
                }
                let c = simplify(&c);
                if add_to_previous {
                    let Some((prev, pc)) = rows.last() else {
                        self.error(kw(span, 2), "~+ has no previous equation to add to");
                        return;
                    };
                    for (v, a) in prev.iter().zip(coefs) {
                        out.push(add_to(v, a));
                    }
                    out.push(add_to(pc, c));
                } else {
                    let vars: Vec<Var> = coefs
                        .into_iter()
                        .map(|a| {
                            let v = self.body.local();
                            out.push(assign(&v, a));
                            v
                        })
                        .collect();
                    let cv = self.body.local();
                    out.push(assign(&cv, c));
                    rows.push((vars, cv));
                }
                self.body.equations = Some(Equations::Linear { unknowns, rows });
            }
        }
    }
}

/// The names used in the `~` equations of a block (top level and nested).
fn equation_names(b: &Block, out: &mut Vec<Ident>) {
    for s in &b.stmts {
        if let StmtKind::Equation { lhs, rhs, .. } = &s.kind {
            expr_names(lhs, out);
            expr_names(rhs, out);
        }
        for (inner, _) in nested(s) {
            equation_names(inner, out);
        }
    }
}

fn expr_names(e: &ast::Expr, out: &mut Vec<Ident>) {
    match &e.kind {
        ExprKind::Name(id) => out.push(id.clone()),
        ExprKind::Num { .. } | ExprKind::Str(_) | ExprKind::Prime { .. } => {}
        ExprKind::Index { base, index } => {
            expr_names(base, out);
            expr_names(index, out);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| expr_names(a, out)),
        ExprKind::Paren(a) | ExprKind::Unary(_, a) => expr_names(a, out),
        ExprKind::Binary(_, a, b) => {
            expr_names(a, out);
            expr_names(b, out);
        }
    }
}

/// The spans of the `~` equations anywhere in a block.
fn find_equations(b: &Block, out: &mut Vec<Span>) {
    for s in &b.stmts {
        if matches!(s.kind, StmtKind::Equation { .. }) {
            out.push(s.span);
        }
        for (inner, _) in nested(s) {
            find_equations(inner, out);
        }
    }
}
