//! Loop-invariant code motion for per-instance kernels: subexpressions that
//! depend only on constants, `t`, `dt`, `celsius`, `secondorder` and GLOBALs
//! (when the kernel cannot write GLOBALs; array elements only at constant
//! indices within the array) are computed once before the
//! instance loop, into extra locals. NMODL code recomputes such things per
//! instance (hh's `q10 = 3^((celsius - 6.3)/10)` inside `rates`), and
//! Cranelift does not hoist calls or (at our opt level) arithmetic.
//!
//! The moved expressions have no effects and f64 arithmetic does not trap,
//! so evaluating one once, even when the loop would only have evaluated it
//! in an untaken branch, changes nothing but the time taken; the values are
//! bit-identical.

use super::translate::const_element;
use crate::nmodl::ir::{visit_stmt, Expr, Kernel, MechIr, Stmt, Var};

/// A kernel whose invariant subexpressions became `Local(k)` for
/// `k >= kernel.locals` of the original, with what to compute first.
pub(super) struct Hoisted {
    /// the rewritten kernel (its `locals` count includes the new ones)
    pub kernel: Kernel,
    /// (local, expression) to evaluate before the loop, in order
    pub prologue: Vec<(usize, Expr)>,
}

/// Moves the invariant subexpressions of `kernel` (of `ir`) out of its loop.
pub(super) fn hoist_invariants(ir: &MechIr, kernel: &Kernel) -> Hoisted {
    let mut h = Hoister {
        ir,
        globals_vary: kernel.body.iter().any(stmt_may_write_global),
        next: kernel.locals,
        prologue: Vec::new(),
    };
    let mut body = kernel.body.clone();
    for s in &mut body {
        h.stmt(s);
    }
    Hoisted {
        kernel: Kernel {
            locals: h.next,
            body,
        },
        prologue: h.prologue,
    }
}

struct Hoister<'a> {
    ir: &'a MechIr,
    /// GLOBALs may change during the loop (written, or a call may write them)
    globals_vary: bool,
    next: usize,
    prologue: Vec<(usize, Expr)>,
}

/// Whether `s` may change a GLOBAL: it writes one, writes through a
/// POINTER (which may point at one of this mechanism's GLOBALs), or calls
/// a FUNCTION or PROCEDURE (which may do either).
fn stmt_may_write_global(s: &Stmt) -> bool {
    let global = |v: &Var| matches!(v, Var::Global(..) | Var::Pointer(_));
    let mut writes = false;
    let mut calls = false;
    visit_stmt(
        s,
        &mut |s| {
            writes |= match s {
                Stmt::Assign(v, _) => global(v),
                Stmt::Solve { out, .. } => out.iter().any(global),
                Stmt::Call(..) => true,
                _ => false,
            }
        },
        &mut |e| calls |= matches!(e, Expr::Call(..)),
    );
    writes || calls
}

impl Hoister<'_> {
    fn invariant(&self, e: &Expr) -> bool {
        match e {
            Expr::Num(_) => true,
            Expr::Load(v) => match v {
                Var::T | Var::Dt | Var::Celsius | Var::SecondOrder => true,
                // a run-time index is in range only where the lowering
                // evaluates it
                Var::Global(k, i) => {
                    !self.globals_vary && const_element(*k, i, &self.ir.global_array(*k)).is_some()
                }
                _ => false,
            },
            Expr::Un(_, a) => self.invariant(a),
            Expr::Bin(_, a, b) => self.invariant(a) && self.invariant(b),
            Expr::Select(c, a, b) => self.invariant(c) && self.invariant(a) && self.invariant(b),
            Expr::Math(_, args) => args.iter().all(|a| self.invariant(a)),
            Expr::Call(..) | Expr::Host(..) => false,
        }
    }

    fn stmt(&mut self, s: &mut Stmt) {
        match s {
            Stmt::Assign(v, e) => {
                self.var(v);
                self.expr(e);
            }
            Stmt::If(c, t, e) => {
                self.expr(c);
                t.iter_mut().for_each(|s| self.stmt(s));
                e.iter_mut().for_each(|s| self.stmt(s));
            }
            Stmt::While(c, b) => {
                self.expr(c);
                b.iter_mut().for_each(|s| self.stmt(s));
            }
            Stmt::Call(_, args) | Stmt::Host(_, args) => args.iter_mut().for_each(|a| self.expr(a)),
            Stmt::Return(e) => self.expr(e),
            Stmt::Solve { a, b, out } => {
                a.iter_mut().chain(b.iter_mut()).for_each(|e| self.expr(e));
                out.iter_mut().for_each(|v| self.var(v));
            }
        }
    }

    fn var(&mut self, v: &mut Var) {
        if let Var::Slot(_, Some(i)) | Var::Global(_, Some(i)) = v {
            self.expr(i);
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        let trivial = matches!(
            e,
            Expr::Num(_) | Expr::Load(Var::T | Var::Dt | Var::Celsius)
        );
        if !trivial && self.invariant(e) {
            let k = match self.prologue.iter().find(|(_, p)| p == e) {
                Some((k, _)) => *k,
                None => {
                    let k = self.next;
                    self.next += 1;
                    self.prologue.push((k, e.clone()));
                    k
                }
            };
            *e = Expr::Load(Var::Local(k));
            return;
        }
        match e {
            Expr::Num(_) => {}
            Expr::Load(v) => self.var(v),
            Expr::Un(_, a) => self.expr(a),
            Expr::Bin(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Select(c, a, b) => {
                self.expr(c);
                self.expr(a);
                self.expr(b);
            }
            Expr::Math(_, args) | Expr::Call(_, args) | Expr::Host(_, args) => {
                args.iter_mut().for_each(|a| self.expr(a))
            }
        }
    }
}
