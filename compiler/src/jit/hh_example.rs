//! NEURON's `hh` (cnexp) written by hand twice: as mechanism IR, the way the
//! lowering is expected to spell it (currents at v+0.001 and v, the
//! conductance slot, ion accumulation, `rates` inlined), and as plain Rust
//! doing the same operations in the same order. The JIT tests check one
//! against the other bit for bit and the benchmark times both.

use crate::nmodl::ir::{
    BinOp, Expr, IonDecl, IonField, Kernel, Kernels, MathFn, MechIr, MechKind, NodeVar, SlotDecl,
    Stmt, UnOp, Var, VarRole,
};

/// Slot numbers of the example's per-instance data.
pub mod slot {
    /// [S/cm²]
    pub const GNABAR: usize = 0;
    /// [S/cm²]
    pub const GKBAR: usize = 1;
    /// [S/cm²]
    pub const GL: usize = 2;
    /// [mV]
    pub const EL: usize = 3;
    /// [S/cm²]
    pub const GNA: usize = 4;
    /// [S/cm²]
    pub const GK: usize = 5;
    /// [mA/cm²]
    pub const IL: usize = 6;
    /// states
    pub const M: usize = 7;
    /// states
    pub const H: usize = 8;
    /// states
    pub const N: usize = 9;
    /// di/dv for `jacob` [S/cm²]
    pub const G: usize = 10;
    /// number of slots
    pub const COUNT: usize = 11;
}

/// Ion numbers (na, then k).
pub const NA: usize = 0;
/// Ion numbers (na, then k).
pub const K: usize = 1;

fn n(x: f64) -> Expr {
    Expr::Num(x)
}
fn ld(v: Var) -> Expr {
    Expr::Load(v)
}
fn s(k: usize) -> Var {
    Var::Slot(k, None)
}
fn l(k: usize) -> Var {
    Var::Local(k)
}
fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Bin(op, Box::new(a), Box::new(b))
}
fn add(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Add, a, b)
}
fn sub(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Sub, a, b)
}
fn mul(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Mul, a, b)
}
fn div(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Div, a, b)
}
fn exp(a: Expr) -> Expr {
    Expr::Math(MathFn::Exp, vec![a])
}
fn neg(a: Expr) -> Expr {
    Expr::Un(UnOp::Neg, Box::new(a))
}
fn set(v: Var, e: Expr) -> Stmt {
    Stmt::Assign(v, e)
}

/// `vtrap(x, y)` with x in local `x`: `|x/y| < 1e-6 ? y(1 - x/y/2) : x/(exp(x/y) - 1)`.
fn vtrap(x: usize, y: f64) -> Expr {
    let xy = || div(ld(l(x)), n(y));
    Expr::Select(
        Box::new(bin(
            BinOp::Lt,
            Expr::Math(MathFn::Fabs, vec![xy()]),
            n(1e-6),
        )),
        Box::new(mul(n(y), sub(n(1.0), div(xy(), n(2.0))))),
        Box::new(div(ld(l(x)), sub(exp(xy()), n(1.0)))),
    )
}

/// The hh mechanism as IR: `cur`, `jacob` and `state` kernels.
pub fn hh_ir() -> MechIr {
    use slot::*;
    let decl = |name: &str, role, default| SlotDecl {
        name: name.into(),
        role,
        size: 1,
        default,
        hoc: role != VarRole::Internal,
        unit: None,
    };
    let slots = vec![
        decl("gnabar", VarRole::Parameter, 0.12),
        decl("gkbar", VarRole::Parameter, 0.036),
        decl("gl", VarRole::Parameter, 0.0003),
        decl("el", VarRole::Parameter, -54.3),
        decl("gna", VarRole::Assigned, 0.0),
        decl("gk", VarRole::Assigned, 0.0),
        decl("il", VarRole::Assigned, 0.0),
        decl("m", VarRole::State, 0.0),
        decl("h", VarRole::State, 0.0),
        decl("n", VarRole::State, 0.0),
        decl("_g", VarRole::Internal, 0.0),
    ];
    let ion = |name: &str| IonDecl {
        name: name.into(),
        valence: None,
        reads: vec![IonField::Erev],
        writes: vec![IonField::Current],
    };
    let v = || ld(Var::Node(NodeVar::V));
    // cur: locals 0 v, 1 ena, 2 ek, 3 i1, 4 ina1, 5 ik1, 6 ina, 7 ik, 8 i
    let mut cur = vec![
        set(l(0), v()),
        set(l(1), ld(Var::Ion(NA, IonField::Erev))),
        set(l(2), ld(Var::Ion(K, IonField::Erev))),
        set(
            s(GNA),
            mul(
                mul(mul(mul(ld(s(GNABAR)), ld(s(M))), ld(s(M))), ld(s(M))),
                ld(s(H)),
            ),
        ),
        set(
            s(GK),
            mul(
                mul(mul(mul(ld(s(GKBAR)), ld(s(N))), ld(s(N))), ld(s(N))),
                ld(s(N)),
            ),
        ),
    ];
    let vp = || add(ld(l(0)), n(0.001));
    cur.extend([
        set(l(4), mul(ld(s(GNA)), sub(vp(), ld(l(1))))),
        set(l(5), mul(ld(s(GK)), sub(vp(), ld(l(2))))),
        set(s(IL), mul(ld(s(GL)), sub(vp(), ld(s(EL))))),
        set(l(3), add(add(ld(l(4)), ld(l(5))), ld(s(IL)))),
        set(l(6), mul(ld(s(GNA)), sub(ld(l(0)), ld(l(1))))),
        set(l(7), mul(ld(s(GK)), sub(ld(l(0)), ld(l(2))))),
        set(s(IL), mul(ld(s(GL)), sub(ld(l(0)), ld(s(EL))))),
        set(l(8), add(add(ld(l(6)), ld(l(7))), ld(s(IL)))),
        set(s(G), div(sub(ld(l(3)), ld(l(8))), n(0.001))),
        set(
            Var::Ion(NA, IonField::DCurrentDv),
            add(
                ld(Var::Ion(NA, IonField::DCurrentDv)),
                div(sub(ld(l(4)), ld(l(6))), n(0.001)),
            ),
        ),
        set(
            Var::Ion(K, IonField::DCurrentDv),
            add(
                ld(Var::Ion(K, IonField::DCurrentDv)),
                div(sub(ld(l(5)), ld(l(7))), n(0.001)),
            ),
        ),
        set(
            Var::Ion(NA, IonField::Current),
            add(ld(Var::Ion(NA, IonField::Current)), ld(l(6))),
        ),
        set(
            Var::Ion(K, IonField::Current),
            add(ld(Var::Ion(K, IonField::Current)), ld(l(7))),
        ),
        set(
            Var::Node(NodeVar::Rhs),
            sub(ld(Var::Node(NodeVar::Rhs)), ld(l(8))),
        ),
    ]);
    let jacob = vec![set(
        Var::Node(NodeVar::D),
        add(ld(Var::Node(NodeVar::D)), ld(s(G))),
    )];
    // state: locals 0 v, 1 q10, 2 alpha, 3 beta, 4 sum, 5 tau, 6 inf, 7 x
    let gate = |st: usize, alpha: Expr, beta: Expr, pre: Vec<Stmt>| {
        let mut out = pre;
        out.extend([
            set(l(2), alpha),
            set(l(3), beta),
            set(l(4), add(ld(l(2)), ld(l(3)))),
            set(l(5), div(n(1.0), mul(ld(l(1)), ld(l(4))))),
            set(l(6), div(ld(l(2)), ld(l(4)))),
            set(
                s(st),
                add(
                    ld(s(st)),
                    mul(
                        sub(n(1.0), exp(div(neg(ld(Var::Dt)), ld(l(5))))),
                        sub(ld(l(6)), ld(s(st))),
                    ),
                ),
            ),
        ]);
        out
    };
    let vplus = |c: f64| add(ld(l(0)), n(c));
    let mut state = vec![
        set(l(0), v()),
        set(
            l(1),
            bin(
                BinOp::Pow,
                n(3.0),
                div(sub(ld(Var::Celsius), n(6.3)), n(10.0)),
            ),
        ),
    ];
    state.extend(gate(
        M,
        mul(n(0.1), vtrap(7, 10.0)),
        mul(n(4.0), exp(div(neg(vplus(65.0)), n(18.0)))),
        vec![set(l(7), neg(vplus(40.0)))],
    ));
    state.extend(gate(
        H,
        mul(n(0.07), exp(div(neg(vplus(65.0)), n(20.0)))),
        div(n(1.0), add(exp(div(neg(vplus(35.0)), n(10.0))), n(1.0))),
        vec![],
    ));
    state.extend(gate(
        N,
        mul(n(0.01), vtrap(7, 10.0)),
        mul(n(0.125), exp(div(neg(vplus(65.0)), n(80.0)))),
        vec![set(l(7), neg(vplus(55.0)))],
    ));
    MechIr {
        name: "hh".into(),
        kind: MechKind::Density,
        slots,
        globals: vec![],
        ions: vec![ion("na"), ion("k")],
        pointers: vec![],
        randoms: vec![],
        functions: vec![],
        function_tables: vec![],
        kernels: Kernels {
            cur: Some(Kernel {
                locals: 9,
                body: cur,
            }),
            jacob: Some(Kernel {
                locals: 0,
                body: jacob,
            }),
            state: Some(Kernel {
                locals: 8,
                body: state,
            }),
            ..Kernels::default()
        },
        weights: 0,
        electrode_current: false,
        thread_safe: true,
    }
}

/// One hh instance's data as the Rust reference sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HhInstance {
    /// slots in [`slot`] order
    pub s: [f64; slot::COUNT],
}

fn vtrap_ref(x: f64, y: f64, exp: impl Fn(f64) -> f64) -> f64 {
    if (x / y).abs() < 1e-6 {
        y * (1.0 - x / y / 2.0)
    } else {
        x / (exp(x / y) - 1.0)
    }
}

/// The `cur` kernel by hand: returns (rhs change, ina, dina/dv, ik, dik/dv)
/// and writes gna, gk, il, _g.
pub fn hh_cur_ref(d: &mut [f64; slot::COUNT], v: f64, ena: f64, ek: f64) -> [f64; 5] {
    use slot::*;
    d[GNA] = d[GNABAR] * d[M] * d[M] * d[M] * d[H];
    d[GK] = d[GKBAR] * d[N] * d[N] * d[N] * d[N];
    let vp = v + 0.001;
    let ina1 = d[GNA] * (vp - ena);
    let ik1 = d[GK] * (vp - ek);
    d[IL] = d[GL] * (vp - d[EL]);
    let i1 = ina1 + ik1 + d[IL];
    let ina = d[GNA] * (v - ena);
    let ik = d[GK] * (v - ek);
    d[IL] = d[GL] * (v - d[EL]);
    let i = ina + ik + d[IL];
    d[G] = (i1 - i) / 0.001;
    [-i, ina, (ina1 - ina) / 0.001, ik, (ik1 - ik) / 0.001]
}

/// The `state` kernel by hand (cnexp), with `exp` given.
pub fn hh_state_ref(
    d: &mut [f64; slot::COUNT],
    v: f64,
    dt: f64,
    celsius: f64,
    exp: impl Fn(f64) -> f64 + Copy,
) {
    use slot::*;
    let q10 = 3.0f64.powf((celsius - 6.3) / 10.0);
    let mut gate = |st: usize, alpha: f64, beta: f64| {
        let sum = alpha + beta;
        let tau = 1.0 / (q10 * sum);
        let inf = alpha / sum;
        d[st] += (1.0 - exp(-dt / tau)) * (inf - d[st]);
    };
    gate(
        M,
        0.1 * vtrap_ref(-(v + 40.0), 10.0, exp),
        4.0 * exp(-(v + 65.0) / 18.0),
    );
    gate(
        H,
        0.07 * exp(-(v + 65.0) / 20.0),
        1.0 / (exp(-(v + 35.0) / 10.0) + 1.0),
    );
    gate(
        N,
        0.01 * vtrap_ref(-(v + 55.0), 10.0, exp),
        0.125 * exp(-(v + 65.0) / 80.0),
    );
}
