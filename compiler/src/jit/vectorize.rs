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

use crate::nmodl::ir::{Expr, Kernel, MechIr, MechKind, Stmt, Var};

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
