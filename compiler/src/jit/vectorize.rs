//! Which kernels may run two instances at a time (f64x2). A body qualifies
//! when it is straight-line after if-conversion: assignments and `If`s of
//! assignments, no loops, calls, runtime services, returns or solves, and no
//! writes that two instances could share (GLOBALs, NET_RECEIVE weights), and
//! no POINTER variables (their targets may be shared by instances, or be
//! another instance's data, so only the scalar order of reads and writes is
//! NEURON's).
//! Only density mechanisms qualify: their instances have distinct nodes and
//! distinct ion instances, so lane-wise read-modify-write of `rhs`, `d` and
//! ion currents is exact; point processes may share a node.
//!
//! If-conversion evaluates both sides of every `If` and `Select`, which is
//! harmless here: expressions have no effects, f64 arithmetic does not trap,
//! and array indices are clamped in the vector modes.
//!
//! # Uniform conditions
//! An `If` whose condition reads only constants, GLOBALs (without index),
//! `t`, `dt`, `celsius` and `secondorder` takes the same arm for every
//! instance of a kernel that writes no GLOBAL (and vectorisable kernels
//! write none). A body that is not vectorisable only because such an arm
//! is not (hh's `state` with the TABLE lookup of `rates` inlined:
//! `if (usetable == 0) { call _f_rates(v) } else { lookup }`) gets a
//! [`Specialised`] copy with the `If` replaced by its other arm, which the
//! JIT compiles for two instances at a time behind a check of the
//! condition at kernel entry; when the check fails the kernel runs the
//! scalar loop over the original body.

use crate::nmodl::ir::{BinOp, Expr, Kernel, MechIr, MechKind, Stmt, UnOp, Var};

/// True when `kernel` of `ir` can be compiled for two instances at a time.
pub(super) fn vectorizable(ir: &MechIr, kernel: &Kernel) -> bool {
    ir.kind == MechKind::Density && stmts_ok(&kernel.body)
}

fn stmts_ok(body: &[Stmt]) -> bool {
    body.iter().all(|s| match s {
        Stmt::Assign(var, e) => writable(var) && var_ok(var) && expr_ok(e),
        Stmt::If(c, t, e) => expr_ok(c) && stmts_ok(t) && stmts_ok(e),
        Stmt::While(..) | Stmt::Call(..) | Stmt::Host(..) | Stmt::Return(_) => false,
        Stmt::Solve { .. } => false,
    })
}

fn writable(var: &Var) -> bool {
    !matches!(var, Var::Global(..) | Var::Arg(_))
}

fn var_ok(var: &Var) -> bool {
    match var {
        Var::Slot(_, Some(i)) | Var::Global(_, Some(i)) => expr_ok(i),
        Var::Arg(_) | Var::Flag | Var::Pointer(_) => false,
        _ => true,
    }
}

fn expr_ok(e: &Expr) -> bool {
    match e {
        Expr::Num(_) => true,
        Expr::Load(v) => var_ok(v),
        Expr::Un(_, a) => expr_ok(a),
        Expr::Bin(_, a, b) => expr_ok(a) && expr_ok(b),
        Expr::Select(c, a, b) => expr_ok(c) && expr_ok(a) && expr_ok(b),
        Expr::Math(_, args) => args.iter().all(expr_ok),
        Expr::Call(..) | Expr::Host(..) => false,
    }
}

/// A kernel body specialised for uniform conditions.
pub(super) struct Specialised {
    /// true when the specialisation holds (a condition on GLOBALs and
    /// constants, to evaluate once before the instance loop)
    pub guard: Expr,
    /// the body with those `If`s replaced by the arms taken
    pub kernel: Kernel,
}

/// `kernel` specialised for the values of its uniform conditions that make
/// it vectorisable, when that is possible and needed.
pub(super) fn specialise(ir: &MechIr, kernel: &Kernel) -> Option<Specialised> {
    if ir.kind != MechKind::Density || stmts_ok(&kernel.body) {
        return None;
    }
    let mut guards = Vec::new();
    let body = spec_stmts(&kernel.body, &mut guards)?;
    let kernel = Kernel {
        locals: kernel.locals,
        body,
    };
    let guard = guards
        .into_iter()
        .reduce(|a, b| Expr::Bin(BinOp::And, Box::new(a), Box::new(b)))?;
    vectorizable(ir, &kernel).then_some(Specialised { guard, kernel })
}

/// `body` with every `If` on a uniform condition that has one arm not
/// vectorisable replaced by its other arm (the condition, or its negation,
/// joins `guards`); `None` when that cannot make `body` vectorisable.
fn spec_stmts(body: &[Stmt], guards: &mut Vec<Expr>) -> Option<Vec<Stmt>> {
    let mut out = Vec::new();
    for s in body {
        let Stmt::If(c, t, e) = s else {
            out.push(s.clone());
            continue;
        };
        let (mut gt, mut ge) = (Vec::new(), Vec::new());
        let t = spec_stmts(t, &mut gt).filter(|t| stmts_ok(t));
        let e = spec_stmts(e, &mut ge).filter(|e| stmts_ok(e));
        match (t, e) {
            (Some(t), Some(e)) => {
                guards.extend(gt);
                guards.extend(ge);
                out.push(Stmt::If(c.clone(), t, e));
            }
            (Some(t), None) if uniform(c) => {
                guards.push(c.clone());
                guards.extend(gt);
                out.extend(t);
            }
            (None, Some(e)) if uniform(c) => {
                guards.push(Expr::Un(UnOp::Not, Box::new(c.clone())));
                guards.extend(ge);
                out.extend(e);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Whether `e` has the same value for every instance of a kernel that
/// writes no GLOBAL.
fn uniform(e: &Expr) -> bool {
    match e {
        Expr::Num(_) => true,
        Expr::Load(v) => matches!(
            v,
            Var::Global(_, None) | Var::T | Var::Dt | Var::Celsius | Var::SecondOrder
        ),
        Expr::Un(_, a) => uniform(a),
        Expr::Bin(_, a, b) => uniform(a) && uniform(b),
        Expr::Select(c, a, b) => uniform(c) && uniform(a) && uniform(b),
        Expr::Math(_, args) => args.iter().all(uniform),
        Expr::Call(..) | Expr::Host(..) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn density(globals: usize) -> MechIr {
        MechIr {
            name: "t".into(),
            kind: MechKind::Density,
            slots: vec![],
            globals: (0..globals)
                .map(|k| crate::nmodl::ir::GlobalDecl {
                    name: format!("g{k}"),
                    role: crate::nmodl::ir::VarRole::Parameter,
                    size: 1,
                    default: 0.0,
                    hoc: true,
                })
                .collect(),
            ions: vec![],
            pointers: vec![],
            randoms: vec![],
            functions: vec![],
            function_tables: vec![],
            kernels: Default::default(),
            weights: 0,
            electrode_current: false,
            thread_safe: true,
        }
    }

    fn eq0(v: Var) -> Expr {
        Expr::Bin(BinOp::Eq, Box::new(Expr::Load(v)), Box::new(Expr::Num(0.0)))
    }

    fn set(k: usize, x: f64) -> Stmt {
        Stmt::Assign(Var::Slot(k, None), Expr::Num(x))
    }

    fn kernel(body: Vec<Stmt>) -> Kernel {
        Kernel { locals: 0, body }
    }

    #[test]
    fn uniform_ifs_around_calls_become_their_other_arm_behind_a_guard() {
        let ir = density(2);
        let g = |k| Var::Global(k, None);
        // if (g0 == 0) { call } else { s0 = 1 }  if (g1 == 0) { s1 = 2 } else { call }
        let k = kernel(vec![
            Stmt::If(eq0(g(0)), vec![Stmt::Call(0, vec![])], vec![set(0, 1.0)]),
            Stmt::If(eq0(g(1)), vec![set(1, 2.0)], vec![Stmt::Call(0, vec![])]),
        ]);
        let sp = specialise(&ir, &k).expect("specialised");
        assert_eq!(sp.kernel.body, vec![set(0, 1.0), set(1, 2.0)]);
        let not = Expr::Un(UnOp::Not, Box::new(eq0(g(0))));
        assert_eq!(
            sp.guard,
            Expr::Bin(BinOp::And, Box::new(not), Box::new(eq0(g(1))))
        );
        // nested in a per-instance If, whose arms both stay
        let k = kernel(vec![Stmt::If(
            eq0(Var::Slot(0, None)),
            vec![Stmt::If(
                eq0(g(0)),
                vec![Stmt::Call(0, vec![])],
                vec![set(0, 1.0)],
            )],
            vec![set(1, 3.0)],
        )]);
        let sp = specialise(&ir, &k).expect("specialised");
        assert_eq!(
            sp.kernel.body,
            vec![Stmt::If(
                eq0(Var::Slot(0, None)),
                vec![set(0, 1.0)],
                vec![set(1, 3.0)]
            )]
        );
    }

    #[test]
    fn what_specialising_cannot_make_vectorisable_stays_scalar() {
        let ir = density(1);
        let call = || Stmt::Call(0, vec![]);
        for body in [
            // the condition reads a slot: per instance
            vec![Stmt::If(eq0(Var::Slot(0, None)), vec![call()], vec![])],
            // no arm vectorisable
            vec![Stmt::If(
                eq0(Var::Global(0, None)),
                vec![call()],
                vec![call()],
            )],
            // a call outside any If
            vec![
                Stmt::If(eq0(Var::Global(0, None)), vec![call()], vec![]),
                call(),
            ],
            // an indexed GLOBAL in the condition (in range only where evaluated)
            vec![Stmt::If(
                eq0(Var::Global(
                    0,
                    Some(Box::new(Expr::Load(Var::Slot(0, None)))),
                )),
                vec![call()],
                vec![],
            )],
        ] {
            assert!(specialise(&ir, &kernel(body.clone())).is_none(), "{body:?}");
        }
        // already vectorisable: nothing to specialise
        let body = vec![Stmt::If(
            eq0(Var::Global(0, None)),
            vec![set(0, 1.0)],
            vec![],
        )];
        assert!(specialise(&ir, &kernel(body)).is_none());
        // point processes are never vectorised
        let mut ir = density(1);
        ir.kind = MechKind::Point;
        let body = vec![Stmt::If(eq0(Var::Global(0, None)), vec![call()], vec![])];
        assert!(specialise(&ir, &kernel(body)).is_none());
    }
}
