//! Tests of the JIT: hand-built IR run on real buffers through a `#[repr(C)]`
//! copy of the runtime's view (checked against [`super::layout`]).

use std::cell::RefCell;
use std::ffi::c_void;

use super::hh_example::{self, hh_cur_ref, hh_state_ref, slot};
use super::*;
use crate::nmodl::ir::*;

// ----- the ABI, mirrored -------------------------------------------------

type HostCallC = unsafe extern "C" fn(*mut c_void, u32, *const View, usize, f64, f64) -> f64;

#[repr(C)]
#[derive(Clone, Copy)]
struct IonV {
    data: *mut f64,
    stride: usize,
    index: *const u32,
}

#[repr(C)]
struct View {
    count: usize,
    stride: usize,
    data: *mut f64,
    node_index: *const u32,
    node_count: usize,
    v: *const f64,
    rhs: *mut f64,
    d: *mut f64,
    area: *const f64,
    ions: *const IonV,
    ion_count: usize,
    globals: *mut f64,
    t: f64,
    dt: f64,
    celsius: f64,
    secondorder: i32,
    diam: *const f64,
    host: *mut c_void,
    host_call: Option<HostCallC>,
}

#[test]
fn test_view_matches_layout() {
    use layout::*;
    use std::mem::{offset_of, size_of};
    let pairs = [
        (offset_of!(View, count), VIEW_COUNT),
        (offset_of!(View, stride), VIEW_STRIDE),
        (offset_of!(View, data), VIEW_DATA),
        (offset_of!(View, node_index), VIEW_NODE_INDEX),
        (offset_of!(View, node_count), VIEW_NODE_COUNT),
        (offset_of!(View, v), VIEW_V),
        (offset_of!(View, rhs), VIEW_RHS),
        (offset_of!(View, d), VIEW_D),
        (offset_of!(View, area), VIEW_AREA),
        (offset_of!(View, ions), VIEW_IONS),
        (offset_of!(View, ion_count), VIEW_ION_COUNT),
        (offset_of!(View, globals), VIEW_GLOBALS),
        (offset_of!(View, t), VIEW_T),
        (offset_of!(View, dt), VIEW_DT),
        (offset_of!(View, celsius), VIEW_CELSIUS),
        (offset_of!(View, secondorder), VIEW_SECONDORDER),
        (offset_of!(View, diam), VIEW_DIAM),
        (offset_of!(View, host), VIEW_HOST),
        (offset_of!(View, host_call), VIEW_HOST_CALL),
        (offset_of!(IonV, data), ION_DATA),
        (offset_of!(IonV, stride), ION_STRIDE),
        (offset_of!(IonV, index), ION_INDEX),
    ];
    for (i, (a, b)) in pairs.iter().enumerate() {
        assert_eq!(*a, *b as usize, "field {i}");
    }
    assert_eq!(size_of::<View>(), VIEW_SIZE);
    assert_eq!(size_of::<IonV>(), ION_VIEW_SIZE);
}

/// Buffers for one mechanism type in one cell group. Instance i sits on node
/// `count - 1 - i` (reversed, so index arrays matter) of `count + 2` nodes;
/// the stride is padded past `count`; ion j of instance i is row
/// `(i * 3 + 1) % ion_rows`.
struct World {
    count: usize,
    stride: usize,
    data: Vec<f64>,
    node_index: Vec<u32>,
    v: Vec<f64>,
    rhs: Vec<f64>,
    d: Vec<f64>,
    area: Vec<f64>,
    diam: Vec<f64>,
    /// (data, stride, index)
    ions: Vec<(Vec<f64>, usize, Vec<u32>)>,
    ion_views: Vec<IonV>,
    globals: Vec<f64>,
    t: f64,
    dt: f64,
    celsius: f64,
    secondorder: i32,
    host: *mut c_void,
    host_call: Option<HostCallC>,
}

impl World {
    fn new(ir: &MechIr, count: usize) -> World {
        let stride = count + 3;
        let nodes = count + 2;
        let mut data = vec![0.0; ir.slot_count() * stride];
        let mut k = 0;
        for s in &ir.slots {
            for _ in 0..s.size {
                for i in 0..count {
                    data[k * stride + i] = s.default;
                }
                k += 1;
            }
        }
        let mut globals = Vec::new();
        for g in &ir.globals {
            globals.extend(std::iter::repeat_n(g.default, g.size));
        }
        let ion_rows = count + 5;
        let ions = ir
            .ions
            .iter()
            .map(|_| {
                let istride = ion_rows + 1;
                let data = (0..5 * istride).map(|x| x as f64 * 0.5 - 3.0).collect();
                let index = (0..count)
                    .map(|i| ((i * 3 + 1) % ion_rows) as u32)
                    .collect();
                (data, istride, index)
            })
            .collect();
        World {
            count,
            stride,
            data,
            node_index: (0..count).map(|i| (count - 1 - i) as u32).collect(),
            v: (0..nodes).map(|n| -70.0 + 7.3 * n as f64).collect(),
            rhs: (0..nodes).map(|n| 0.25 * n as f64).collect(),
            d: (0..nodes).map(|n| 1.0 + n as f64).collect(),
            area: (0..nodes).map(|n| 100.0 + n as f64).collect(),
            diam: (0..nodes).map(|n| 2.0 + n as f64).collect(),
            ions,
            ion_views: Vec::new(),
            globals,
            t: 1.5,
            dt: 0.025,
            celsius: 6.3,
            secondorder: 0,
            host: std::ptr::null_mut(),
            host_call: None,
        }
    }

    fn node(&self, i: usize) -> usize {
        self.node_index[i] as usize
    }

    fn slot(&self, k: usize, i: usize) -> f64 {
        self.data[k * self.stride + i]
    }

    fn set_slot(&mut self, k: usize, i: usize, x: f64) {
        self.data[k * self.stride + i] = x;
    }

    fn ion(&self, j: usize, field: usize, i: usize) -> f64 {
        let (d, s, idx) = &self.ions[j];
        d[field * s + idx[i] as usize]
    }

    fn view(&mut self) -> View {
        self.ion_views = self
            .ions
            .iter_mut()
            .map(|(d, s, idx)| IonV {
                data: d.as_mut_ptr(),
                stride: *s,
                index: idx.as_ptr(),
            })
            .collect();
        View {
            count: self.count,
            stride: self.stride,
            data: self.data.as_mut_ptr(),
            node_index: self.node_index.as_ptr(),
            node_count: self.v.len(),
            v: self.v.as_ptr(),
            rhs: self.rhs.as_mut_ptr(),
            d: self.d.as_mut_ptr(),
            area: self.area.as_ptr(),
            ions: if self.ion_views.is_empty() {
                std::ptr::null()
            } else {
                self.ion_views.as_ptr()
            },
            ion_count: self.ion_views.len(),
            globals: if self.globals.is_empty() {
                std::ptr::null_mut()
            } else {
                self.globals.as_mut_ptr()
            },
            t: self.t,
            dt: self.dt,
            celsius: self.celsius,
            secondorder: self.secondorder,
            diam: self.diam.as_ptr(),
            host: self.host,
            host_call: self.host_call,
        }
    }

    fn run(&mut self, k: Option<KernelFn>) {
        let view = self.view();
        unsafe { k.expect("kernel compiled")(&view as *const View as *const c_void) };
    }

    fn net_receive(&mut self, k: Option<NetReceiveFn>, i: usize, w: &mut [f64], flag: f64) {
        let view = self.view();
        unsafe {
            k.expect("kernel compiled")(
                &view as *const View as *const c_void,
                i,
                w.as_mut_ptr(),
                flag,
            )
        };
    }

    fn call(&mut self, f: Option<FunctionFn>, i: usize, args: &[f64]) -> f64 {
        let view = self.view();
        unsafe {
            f.expect("function compiled")(&view as *const View as *const c_void, i, args.as_ptr())
        }
    }
}

// ----- IR helpers -----------------------------------------------------------

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
fn set(v: Var, e: Expr) -> Stmt {
    Stmt::Assign(v, e)
}
fn kernel(locals: usize, body: Vec<Stmt>) -> Option<Kernel> {
    Some(Kernel { locals, body })
}

fn slot_decl(name: &str, size: usize, default: f64) -> SlotDecl {
    SlotDecl {
        name: name.into(),
        role: VarRole::Assigned,
        size,
        default,
        hoc: true,
        unit: None,
    }
}

fn mech(kind: MechKind, slots: &[(&str, usize, f64)]) -> MechIr {
    MechIr {
        name: "test".into(),
        kind,
        slots: slots.iter().map(|(n, k, d)| slot_decl(n, *k, *d)).collect(),
        globals: vec![],
        ions: vec![],
        pointers: vec![],
        randoms: vec![],
        functions: vec![],
        kernels: Kernels::default(),
        weights: 0,
        electrode_current: false,
        thread_safe: true,
    }
}

const ALL_OPTIONS: [JitOptions; 4] = [
    JitOptions::EXACT,
    JitOptions {
        vectorize: true,
        inline_exp: false,
    },
    JitOptions {
        vectorize: false,
        inline_exp: true,
    },
    JitOptions::FAST,
];

// ----- tests ------------------------------------------------------------------

/// pas: `i = g (v - e)`, `rhs -= i`, `_g = g`; jacob `d += _g`.
fn pas() -> MechIr {
    let mut ir = mech(
        MechKind::Density,
        &[
            ("g", 1, 0.001),
            ("e", 1, -70.0),
            ("i", 1, 0.0),
            ("_g", 1, 0.0),
        ],
    );
    ir.kernels.cur = kernel(
        0,
        vec![
            set(
                s(2),
                mul(ld(s(0)), sub(ld(Var::Node(NodeVar::V)), ld(s(1)))),
            ),
            set(s(3), ld(s(0))),
            set(
                Var::Node(NodeVar::Rhs),
                sub(ld(Var::Node(NodeVar::Rhs)), ld(s(2))),
            ),
        ],
    );
    ir.kernels.jacob = kernel(
        0,
        vec![set(
            Var::Node(NodeVar::D),
            add(ld(Var::Node(NodeVar::D)), ld(s(3))),
        )],
    );
    ir
}

#[test]
fn pas_cur_and_jacob_update_rhs_and_d() {
    for opts in ALL_OPTIONS {
        for count in [0, 1, 2, 5, 8] {
            let ir = pas();
            let c = compile_with(&ir, opts).unwrap();
            let mut w = World::new(&ir, count);
            for i in 0..count {
                w.set_slot(0, i, 0.001 * (i + 1) as f64);
            }
            let (rhs0, d0) = (w.rhs.clone(), w.d.clone());
            w.run(c.kernels().cur);
            w.run(c.kernels().jacob);
            let mut want_rhs = rhs0.clone();
            let mut want_d = d0.clone();
            for i in 0..count {
                let nd = w.node(i);
                let g = 0.001 * (i + 1) as f64;
                let cur = g * (w.v[nd] - -70.0);
                assert_eq!(w.slot(2, i), cur);
                want_rhs[nd] -= cur;
                want_d[nd] += g;
            }
            assert_eq!(w.rhs, want_rhs, "{opts:?} count {count}");
            assert_eq!(w.d, want_d, "{opts:?} count {count}");
        }
    }
}

#[test]
fn pas_kernels_are_vectorised_when_asked() {
    let c = compile_with(&pas(), JitOptions::FAST).unwrap();
    assert_eq!(c.stats().vectorized, vec!["cur", "jacob"]);
    let c = compile(&pas()).unwrap();
    assert!(c.stats().vectorized.is_empty());
    let mut point = pas();
    point.kind = MechKind::Point;
    let c = compile_with(&point, JitOptions::FAST).unwrap();
    assert!(
        c.stats().vectorized.is_empty(),
        "point processes may share nodes"
    );
}

fn hh_world(ir: &MechIr, count: usize) -> World {
    let mut w = World::new(ir, count);
    w.celsius = 16.3;
    for i in 0..count {
        // spread v over the range where the rates matter, including the
        // removable singularities of vtrap at v = -40 and v = -55
        let nd = w.node(i);
        w.v[nd] = match i % 5 {
            0 => -40.0,
            1 => -55.0,
            _ => -90.0 + 137.0 * (i as f64 / count.max(1) as f64),
        };
        w.set_slot(slot::M, i, 0.05 + 0.01 * (i % 7) as f64);
        w.set_slot(slot::H, i, 0.6 - 0.01 * (i % 5) as f64);
        w.set_slot(slot::N, i, 0.3 + 0.02 * (i % 3) as f64);
    }
    w
}

fn hh_expected(w: &World, exp: fn(f64) -> f64) -> (World, Vec<f64>) {
    // apply the Rust reference to a copy of the world
    let mut e = World {
        data: w.data.clone(),
        rhs: w.rhs.clone(),
        ions: w.ions.clone(),
        node_index: w.node_index.clone(),
        v: w.v.clone(),
        d: w.d.clone(),
        area: vec![],
        diam: vec![],
        ion_views: vec![],
        globals: vec![],
        ..*w
    };
    for i in 0..w.count {
        let mut d = [0.0; slot::COUNT];
        for (k, x) in d.iter_mut().enumerate() {
            *x = e.slot(k, i);
        }
        let nd = e.node(i);
        let v = e.v[nd];
        let ena = e.ion(hh_example::NA, 0, i);
        let ek = e.ion(hh_example::K, 0, i);
        let [drhs, ina, dina, ik, dik] = hh_cur_ref(&mut d, v, ena, ek);
        e.rhs[nd] += drhs;
        for (j, cur, dcur) in [(hh_example::NA, ina, dina), (hh_example::K, ik, dik)] {
            let (data, st, idx) = &mut e.ions[j];
            data[4 * *st + idx[i] as usize] += dcur;
            data[3 * *st + idx[i] as usize] += cur;
        }
        hh_state_ref(&mut d, v, e.dt, e.celsius, exp);
        for (k, x) in d.iter().enumerate() {
            e.set_slot(k, i, *x);
        }
    }
    let rhs = e.rhs.clone();
    (e, rhs)
}

impl Clone for World {
    fn clone(&self) -> World {
        World {
            data: self.data.clone(),
            node_index: self.node_index.clone(),
            v: self.v.clone(),
            rhs: self.rhs.clone(),
            d: self.d.clone(),
            area: self.area.clone(),
            diam: self.diam.clone(),
            ions: self.ions.clone(),
            ion_views: vec![],
            globals: self.globals.clone(),
            ..*self
        }
    }
}

#[test]
fn hh_scalar_libm_is_bit_identical_to_rust() {
    let ir = hh_example::hh_ir();
    for opts in [
        JitOptions::EXACT,
        JitOptions {
            vectorize: true,
            inline_exp: false,
        },
    ] {
        let c = compile_with(&ir, opts).unwrap();
        for count in [0, 1, 2, 7, 64] {
            let mut w = hh_world(&ir, count);
            let (want, want_rhs) = hh_expected(&w, f64::exp);
            w.run(c.kernels().cur);
            w.run(c.kernels().state);
            assert_eq!(w.rhs, want_rhs, "{opts:?} count {count}");
            for i in 0..count {
                for k in 0..slot::COUNT {
                    assert_eq!(
                        w.slot(k, i).to_bits(),
                        want.slot(k, i).to_bits(),
                        "{opts:?} count {count} instance {i} slot {k}"
                    );
                }
            }
            assert_eq!(w.ions, want.ions);
        }
    }
}

fn ulps(a: f64, b: f64) -> u64 {
    if a == b {
        return 0;
    }
    let (a, b) = (a.to_bits() as i64, b.to_bits() as i64);
    a.abs_diff(b)
}

#[test]
fn hh_inline_exp_matches_its_rust_model_and_libm_closely() {
    let ir = hh_example::hh_ir();
    for opts in [
        JitOptions {
            vectorize: false,
            inline_exp: true,
        },
        JitOptions::FAST,
    ] {
        let c = compile_with(&ir, opts).unwrap();
        assert_eq!(
            c.stats().vectorized.len(),
            if opts.vectorize { 3 } else { 0 }
        );
        for count in [1, 2, 3, 7, 64, 65] {
            let mut w = hh_world(&ir, count);
            let (model, _) = hh_expected(&w, inline_exp_reference);
            let (exact, _) = hh_expected(&w, f64::exp);
            w.run(c.kernels().cur);
            w.run(c.kernels().state);
            for i in 0..count {
                for k in [slot::M, slot::H, slot::N] {
                    // the JIT does what its Rust model does, bit for bit
                    assert_eq!(
                        w.slot(k, i).to_bits(),
                        model.slot(k, i).to_bits(),
                        "{opts:?} count {count} instance {i} slot {k}"
                    );
                    // and the states stay within a few ulp of libm's
                    let e = ulps(w.slot(k, i), exact.slot(k, i));
                    assert!(e <= 8, "{opts:?} instance {i} slot {k}: {e} ulp");
                }
            }
        }
    }
}

#[test]
fn inline_exp_is_within_two_ulp_of_libm() {
    // the Rust model; the JIT's equality to it is tested above and below
    let mut worst = (0, 0.0);
    let steps = 1_400_000;
    for k in 0..=steps {
        let x = -700.0 + 1400.0 * k as f64 / steps as f64;
        let e = ulps(inline_exp_reference(x), x.exp());
        if e > worst.0 {
            worst = (e, x);
        }
    }
    assert!(worst.0 <= 2, "{} ulp at {}", worst.0, worst.1);
    assert_eq!(inline_exp_reference(f64::NEG_INFINITY), 0.0);
    assert_eq!(inline_exp_reference(-800.0), 0.0);
    assert_eq!(inline_exp_reference(710.0), f64::INFINITY);
    assert_eq!(inline_exp_reference(f64::INFINITY), f64::INFINITY);
    assert!(inline_exp_reference(f64::NAN).is_nan());
    assert_eq!(inline_exp_reference(0.0), 1.0);
}

#[test]
fn jit_inline_exp_equals_model_on_special_values() {
    let xs = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        700.0,
        -700.0,
        709.78,
        709.8,
        -708.0,
        -708.1,
        -745.0,
        1e300,
        -1e300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    let mut ir = mech(MechKind::Density, &[("x", 1, 0.0), ("y", 1, 0.0)]);
    ir.kernels.state = kernel(0, vec![set(s(1), Expr::Math(MathFn::Exp, vec![ld(s(0))]))]);
    for opts in [
        JitOptions {
            vectorize: false,
            inline_exp: true,
        },
        JitOptions::FAST,
    ] {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, xs.len());
        for (i, x) in xs.iter().enumerate() {
            w.set_slot(0, i, *x);
        }
        w.run(c.kernels().state);
        for (i, x) in xs.iter().enumerate() {
            let (got, want) = (w.slot(1, i), inline_exp_reference(*x));
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "{opts:?} exp({x}) = {got}, model {want}"
            );
        }
    }
}

#[test]
fn vector_and_scalar_paths_agree_on_odd_counts() {
    let ir = hh_example::hh_ir();
    let scalar = compile_with(
        &ir,
        JitOptions {
            vectorize: false,
            inline_exp: true,
        },
    )
    .unwrap();
    let vector = compile_with(&ir, JitOptions::FAST).unwrap();
    for count in [1, 3, 5, 33, 101] {
        let mut a = hh_world(&ir, count);
        let mut b = a.clone();
        a.run(scalar.kernels().cur);
        a.run(scalar.kernels().jacob);
        a.run(scalar.kernels().state);
        b.run(vector.kernels().cur);
        b.run(vector.kernels().jacob);
        b.run(vector.kernels().state);
        assert_eq!(a.data, b.data, "count {count}");
        assert_eq!(a.rhs, b.rhs);
        assert_eq!(a.d, b.d);
        assert_eq!(a.ions, b.ions);
    }
}

#[test]
fn count_zero_touches_nothing_even_with_null_pointers() {
    let ir = hh_example::hh_ir();
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut view = World::new(&ir, 0).view();
        view.data = std::ptr::null_mut();
        view.node_index = std::ptr::null();
        view.v = std::ptr::null();
        view.rhs = std::ptr::null_mut();
        view.d = std::ptr::null_mut();
        view.ions = std::ptr::null();
        for k in [c.kernels().cur, c.kernels().jacob, c.kernels().state] {
            unsafe { k.unwrap()(&view as *const View as *const c_void) };
        }
    }
}

/// FUNCTION f(x) { LOCAL s, k  s = 0  k = 0
///   while (k < x) { if (fmod(k, 2) == 0) { s = s + k } else { s = s - 1 }  k = k + 1 }
///   f = s * slot0 }
#[test]
fn function_with_if_else_and_while() {
    let mut ir = mech(MechKind::Point, &[("scale", 1, 2.0), ("out", 1, 0.0)]);
    let body = vec![
        set(l(0), n(0.0)),
        set(l(1), n(0.0)),
        Stmt::While(
            bin(BinOp::Lt, ld(l(1)), ld(Var::Arg(0))),
            vec![
                Stmt::If(
                    bin(
                        BinOp::Eq,
                        Expr::Math(MathFn::Fmod, vec![ld(l(1)), n(2.0)]),
                        n(0.0),
                    ),
                    vec![set(l(0), add(ld(l(0)), ld(l(1))))],
                    vec![set(l(0), sub(ld(l(0)), n(1.0)))],
                ),
                set(l(1), add(ld(l(1)), n(1.0))),
            ],
        ),
        Stmt::Return(mul(ld(l(0)), ld(s(0)))),
        // unreachable after the return
        set(s(1), n(99.0)),
    ];
    ir.functions.push(Function {
        name: "f".into(),
        args: 1,
        locals: 2,
        returns_value: true,
        hoc: true,
        body,
    });
    // a PROCEDURE called from a kernel: out = f(arg) + 1
    ir.functions.push(Function {
        name: "p".into(),
        args: 1,
        locals: 0,
        returns_value: false,
        hoc: false,
        body: vec![set(s(1), add(Expr::Call(0, vec![ld(Var::Arg(0))]), n(1.0)))],
    });
    ir.kernels.init = kernel(0, vec![Stmt::Call(1, vec![n(5.0)])]);
    let c = compile(&ir).unwrap();
    assert!(c.function(1).is_none(), "p is not callable from HOC");
    let f = |x: f64| {
        let (mut s, mut k) = (0.0, 0.0);
        while k < x {
            if k % 2.0 == 0.0 {
                s += k
            } else {
                s -= 1.0
            }
            k += 1.0;
        }
        s
    };
    let mut w = World::new(&ir, 3);
    w.set_slot(0, 2, 3.0);
    for x in [0.0, 1.0, 4.0, 7.5] {
        assert_eq!(w.call(c.function(0), 0, &[x]), f(x) * 2.0);
        assert_eq!(w.call(c.function(0), 2, &[x]), f(x) * 3.0);
    }
    w.run(c.kernels().init);
    assert_eq!(w.slot(1, 0), f(5.0) * 2.0 + 1.0);
    assert_eq!(w.slot(1, 2), f(5.0) * 3.0 + 1.0);
}

fn solve_ir(a: &[f64], b: &[f64]) -> MechIr {
    let n_ = b.len();
    let mut ir = mech(MechKind::Density, &[("x", n_, 0.0)]);
    ir.kernels.state = kernel(
        0,
        vec![Stmt::Solve {
            a: a.iter().map(|x| n(*x)).collect(),
            b: b.iter().map(|x| n(*x)).collect(),
            out: (0..n_).map(s).collect(),
        }],
    );
    ir
}

#[test]
fn solve_3x3_with_pivoting() {
    // a[0][0] = 0 needs a row swap; x = (1, -2, 3)
    let a = [0.0, 2.0, 1.0, 1.0, 1.0, 1.0, 2.0, -1.0, 3.0];
    let x = [1.0, -2.0, 3.0];
    let b: Vec<f64> = (0..3)
        .map(|r| (0..3).map(|c| a[r * 3 + c] * x[c]).sum())
        .collect();
    let ir = solve_ir(&a, &b);
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 2);
    w.run(c.kernels().state);
    for i in 0..2 {
        for (k, xk) in x.iter().enumerate() {
            assert!((w.slot(k, i) - xk).abs() < 1e-14, "x{k} = {}", w.slot(k, i));
        }
    }
}

#[test]
fn solve_20x20_compiles_quickly_and_solves() {
    let m = 20;
    let mut a = vec![0.0; m * m];
    for r in 0..m {
        for c in 0..m {
            a[r * m + c] =
                1.0 / (1.0 + (r as f64 - c as f64).abs()) + if r == c { 0.0 } else { 0.1 };
        }
    }
    let x: Vec<f64> = (0..m).map(|k| k as f64 - 7.5).collect();
    let b: Vec<f64> = (0..m)
        .map(|r| (0..m).map(|c| a[r * m + c] * x[c]).sum())
        .collect();
    let ir = solve_ir(&a, &b);
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 1);
    w.run(c.kernels().state);
    for (k, xk) in x.iter().enumerate() {
        assert!((w.slot(k, 0) - xk).abs() < 1e-10, "x{k} = {}", w.slot(k, 0));
    }
}

#[test]
fn ions_are_read_and_written_through_their_index() {
    let mut ir = mech(MechKind::Density, &[("g", 1, 0.5), ("ci", 1, 0.0)]);
    ir.ions.push(IonDecl {
        name: "ca".into(),
        valence: Some(2.0),
        reads: vec![IonField::Erev, IonField::ConcIn],
        writes: vec![IonField::Current],
    });
    ir.ions.push(IonDecl {
        name: "k".into(),
        valence: None,
        reads: vec![IonField::ConcOut],
        writes: vec![IonField::DCurrentDv],
    });
    let ion = |j, f| ld(Var::Ion(j, f));
    ir.kernels.cur = kernel(
        0,
        vec![
            set(
                Var::Ion(0, IonField::Current),
                add(
                    ion(0, IonField::Current),
                    mul(
                        ld(s(0)),
                        sub(ld(Var::Node(NodeVar::V)), ion(0, IonField::Erev)),
                    ),
                ),
            ),
            set(
                s(1),
                add(ion(0, IonField::ConcIn), ion(1, IonField::ConcOut)),
            ),
            set(Var::Ion(1, IonField::DCurrentDv), ld(s(1))),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        for count in [1, 4, 5] {
            let mut w = World::new(&ir, count);
            let before = w.clone();
            w.run(c.kernels().cur);
            let mut want = before.ions.clone();
            for i in 0..count {
                let v = before.v[before.node(i)];
                let (d, st, idx) = &mut want[0];
                let r = idx[i] as usize;
                d[3 * *st + r] += 0.5 * (v - d[r]);
                let ci = before.ion(0, 1, i) + before.ion(1, 2, i);
                assert_eq!(w.slot(1, i), ci);
                let (d, st, idx) = &mut want[1];
                d[4 * *st + idx[i] as usize] = ci;
            }
            assert_eq!(w.ions, want, "{opts:?} count {count}");
        }
    }
}

#[test]
fn net_receive_reads_and_writes_weights_and_sees_flag() {
    let mut ir = mech(MechKind::Point, &[("g", 1, 0.0), ("f", 1, 0.0)]);
    ir.weights = 2;
    ir.kernels.net_receive = kernel(
        1,
        vec![
            set(l(0), mul(ld(Var::Arg(0)), n(2.0))),
            set(s(0), add(ld(s(0)), ld(l(0)))),
            set(s(1), ld(Var::Flag)),
            set(Var::Arg(1), add(ld(Var::Arg(1)), n(1.0))),
        ],
    );
    ir.kernels.net_receive_init = kernel(0, vec![set(Var::Arg(1), ld(Var::T))]);
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 3);
    let mut weights = [0.25, 10.0];
    w.net_receive(c.kernels().net_receive_init, 1, &mut weights, 0.0);
    assert_eq!(weights, [0.25, 1.5]);
    w.net_receive(c.kernels().net_receive, 1, &mut weights, 3.0);
    w.net_receive(c.kernels().net_receive, 1, &mut weights, 4.0);
    assert_eq!(weights, [0.25, 3.5]);
    assert_eq!(w.slot(0, 1), 1.0);
    assert_eq!(w.slot(1, 1), 4.0);
    assert_eq!((w.slot(0, 0), w.slot(0, 2)), (0.0, 0.0));
}

/// (host, op, count, instance, a, b) of each call
type HostRecord = (usize, u32, usize, usize, f64, f64);

thread_local! {
    static HOST_LOG: RefCell<Vec<HostRecord>> = const { RefCell::new(Vec::new()) };
}

unsafe extern "C" fn host_call(
    host: *mut c_void,
    op: u32,
    view: *const View,
    instance: usize,
    a: f64,
    b: f64,
) -> f64 {
    let count = unsafe { (*view).count };
    HOST_LOG.with(|l| {
        l.borrow_mut()
            .push((host as usize, op, count, instance, a, b))
    });
    100.0 + op as f64
}

#[test]
fn host_call_receives_op_instance_and_args() {
    let mut ir = mech(MechKind::Point, &[("r", 1, 0.0)]);
    ir.kernels.state = kernel(
        0,
        vec![
            Stmt::Host(HostFn::NetSend, vec![n(1.5), ld(Var::T)]),
            set(s(0), Expr::Host(HostFn::Uniform, vec![])),
        ],
    );
    ir.weights = 1;
    ir.kernels.net_receive = kernel(
        0,
        vec![set(
            s(0),
            Expr::Host(HostFn::Normrand, vec![ld(Var::Arg(0)), ld(Var::Flag)]),
        )],
    );
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 2);
    // no services: calls yield 0
    w.slot(0, 0);
    w.set_slot(0, 0, 7.0);
    w.run(c.kernels().state);
    assert_eq!(w.slot(0, 0), 0.0);
    w.host = 0x1234 as *mut c_void;
    w.host_call = Some(host_call);
    HOST_LOG.with(|l| l.borrow_mut().clear());
    w.run(c.kernels().state);
    let mut wts = [0.5];
    w.net_receive(c.kernels().net_receive, 1, &mut wts, 2.0);
    let log = HOST_LOG.with(|l| l.borrow().clone());
    assert_eq!(
        log,
        vec![
            (0x1234, 0, 2, 0, 1.5, 1.5),
            (0x1234, 3, 2, 0, 0.0, 0.0),
            (0x1234, 0, 2, 1, 1.5, 1.5),
            (0x1234, 3, 2, 1, 0.0, 0.0),
            (0x1234, 5, 2, 1, 0.5, 2.0),
        ]
    );
    assert_eq!(w.slot(0, 0), 103.0);
    assert_eq!(w.slot(0, 1), 105.0);
}

#[test]
fn arrays_in_slots_and_globals_with_truncated_indices() {
    let mut ir = mech(
        MechKind::Density,
        &[("a", 1, 1.0), ("arr", 3, 0.0), ("z", 1, 0.0)],
    );
    ir.globals = vec![
        GlobalDecl {
            name: "k".into(),
            role: VarRole::Parameter,
            size: 1,
            default: 2.0,
            hoc: true,
        },
        GlobalDecl {
            name: "tab".into(),
            role: VarRole::Internal,
            size: 4,
            default: 0.0,
            hoc: false,
        },
    ];
    let arr = |e: Expr| Var::Slot(1, Some(Box::new(e)));
    let tab = |e: Expr| Var::Global(1, Some(Box::new(e)));
    // table: tab[j] = j * k * celsius (once, no instance)
    ir.kernels.table = kernel(
        1,
        vec![
            set(l(0), n(0.0)),
            Stmt::While(
                bin(BinOp::Lt, ld(l(0)), n(4.0)),
                vec![
                    set(
                        tab(ld(l(0))),
                        mul(mul(ld(l(0)), ld(Var::Global(0, None))), ld(Var::Celsius)),
                    ),
                    set(l(0), add(ld(l(0)), n(1.0))),
                ],
            ),
        ],
    );
    // state: arr[0.9] = a, arr[1.7] = tab[a + 0.5], arr[2] = arr[-0.5] + 1 (index -> 0)
    // z = tab[3.99]
    ir.kernels.state = kernel(
        0,
        vec![
            set(arr(n(0.9)), ld(s(0))),
            set(arr(n(1.7)), ld(tab(add(ld(s(0)), n(0.5))))),
            set(arr(n(2.0)), add(ld(arr(n(-0.5))), n(1.0))),
            set(s(4), ld(tab(n(3.99)))),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, 5);
        w.celsius = 10.0;
        w.run(c.kernels().table);
        assert_eq!(w.globals, vec![2.0, 0.0, 20.0, 40.0, 60.0]);
        for i in 0..5 {
            w.set_slot(0, i, (i % 4) as f64);
        }
        w.run(c.kernels().state);
        for i in 0..5 {
            let a = (i % 4) as f64;
            assert_eq!(w.slot(1, i), a);
            assert_eq!(w.slot(2, i), 20.0 * a);
            assert_eq!(w.slot(3, i), a + 1.0);
            assert_eq!(w.slot(4, i), 60.0);
        }
    }
}

#[test]
fn comparisons_logic_select_and_min_max_have_c_semantics() {
    let mut ir = mech(
        MechKind::Density,
        &[("a", 1, 0.0), ("b", 1, 0.0), ("out", 12, 0.0)],
    );
    let (a, b) = (|| ld(s(0)), || ld(s(1)));
    let out = |k: usize| Var::Slot(2, Some(Box::new(n(k as f64))));
    let exprs = vec![
        bin(BinOp::Lt, a(), b()),
        bin(BinOp::Ge, a(), b()),
        bin(BinOp::Eq, a(), b()),
        bin(BinOp::Ne, a(), b()),
        bin(BinOp::And, a(), b()),
        bin(BinOp::Or, a(), b()),
        Expr::Un(UnOp::Not, Box::new(a())),
        Expr::Select(Box::new(a()), Box::new(n(10.0)), Box::new(n(20.0))),
        Expr::Math(MathFn::Min, vec![a(), b()]),
        Expr::Math(MathFn::Max, vec![a(), b()]),
        bin(BinOp::Pow, a(), n(2.0)),
        Expr::Math(MathFn::Floor, vec![a()]),
    ];
    let mut body: Vec<Stmt> = exprs
        .into_iter()
        .enumerate()
        .map(|(k, e)| set(out(k), e))
        .collect();
    // an If with else, writing a slot
    body.push(Stmt::If(
        bin(BinOp::Gt, a(), n(0.0)),
        vec![set(s(1), n(1.0))],
        vec![],
    ));
    ir.kernels.state = kernel(0, body);
    let cases = [
        (1.0, 2.0),
        (2.0, 1.0),
        (0.0, 0.0),
        (-1.5, 0.0),
        (f64::NAN, 1.0),
        (1.0, f64::NAN),
        (0.0, -0.0),
    ];
    let c_bool = |x: bool| if x { 1.0 } else { 0.0 };
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, cases.len());
        for (i, (x, y)) in cases.iter().enumerate() {
            w.set_slot(0, i, *x);
            w.set_slot(1, i, *y);
        }
        w.run(c.kernels().state);
        for (i, (x, y)) in cases.iter().copied().enumerate() {
            let want = [
                c_bool(x < y),
                c_bool(x >= y),
                c_bool(x == y),
                c_bool(x != y),
                c_bool(x != 0.0 && y != 0.0),
                c_bool(x != 0.0 || y != 0.0),
                c_bool(x == 0.0),
                if x != 0.0 { 10.0 } else { 20.0 },
                x.min(y),
                x.max(y),
                x.powf(2.0),
                x.floor(),
            ];
            for (k, wv) in want.iter().enumerate() {
                let got = w.slot(2 + k, i);
                assert!(
                    got == *wv || (got.is_nan() && wv.is_nan()),
                    "{opts:?} case ({x}, {y}) out {k}: {got} want {wv}"
                );
            }
            let b_after = if x > 0.0 { 1.0 } else { y };
            let got = w.slot(1, i);
            assert!(got == b_after || (got.is_nan() && b_after.is_nan()));
        }
    }
}

#[test]
fn invalid_ir_is_an_error_not_a_panic() {
    type Edit = Box<dyn Fn(&mut MechIr)>;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(s(9), n(1.0))])),
            "slot 9 out of range",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(l(0), n(1.0))])),
            "local 0 out of range",
        ),
        (
            Box::new(|ir| {
                ir.kernels.cur = kernel(0, vec![set(Var::Ion(0, IonField::Erev), n(1.0))])
            }),
            "ion 0 out of range",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![Stmt::Call(3, vec![])])),
            "does not exist",
        ),
        (
            Box::new(|ir| ir.kernels.table = kernel(0, vec![set(s(0), n(1.0))])),
            "type-wide",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(Var::Node(NodeVar::V), n(1.0))])),
            "read-only",
        ),
        (
            Box::new(|ir| {
                ir.kernels.cur = kernel(0, vec![set(s(0), Expr::Math(MathFn::Pow, vec![n(1.0)]))])
            }),
            "takes 2 argument",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(s(0), ld(Var::Flag))])),
            "outside NET_RECEIVE",
        ),
        (
            Box::new(|ir| {
                ir.kernels.cur = kernel(
                    0,
                    vec![Stmt::Solve {
                        a: vec![n(1.0)],
                        b: vec![n(1.0), n(2.0)],
                        out: vec![s(0)],
                    }],
                )
            }),
            "Solve needs",
        ),
    ];
    for (make, msg) in cases {
        let mut ir = mech(MechKind::Density, &[("x", 1, 0.0)]);
        make(&mut ir);
        let e = compile_with(&ir, JitOptions::FAST).unwrap_err();
        assert!(matches!(e, JitError::InvalidIr { .. }), "{e}");
        assert!(e.to_string().contains(msg), "{e} should say {msg}");
    }
}

#[test]
fn a_typical_mechanism_compiles_in_well_under_5_ms() {
    // debug builds of Cranelift are slow; the release figure is in the
    // benchmark. This only guards against something pathological.
    let ir = hh_example::hh_ir();
    let c = compile_with(&ir, JitOptions::FAST).unwrap();
    eprintln!("hh FAST: {:?}", c.stats());
    let limit = if cfg!(debug_assertions) { 500 } else { 5 };
    assert!(c.stats().time.as_millis() < limit, "{:?}", c.stats());
    assert!(c.stats().code_bytes > 0);
}

#[test]
fn invariant_hoisting_keeps_globals_written_in_the_loop_live() {
    // state: g = g + 1; x = g * 2 + celsius^2 (g changes per instance; the
    // celsius part is invariant and computed once)
    let mut ir = mech(MechKind::Density, &[("x", 1, 0.0)]);
    ir.globals = vec![GlobalDecl {
        name: "g".into(),
        role: VarRole::Assigned,
        size: 1,
        default: 0.0,
        hoc: true,
    }];
    ir.thread_safe = false;
    let g = || Var::Global(0, None);
    ir.kernels.state = kernel(
        0,
        vec![
            set(g(), add(ld(g()), n(1.0))),
            set(
                s(0),
                add(
                    mul(ld(g()), n(2.0)),
                    bin(BinOp::Pow, ld(Var::Celsius), n(2.0)),
                ),
            ),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        assert!(c.stats().vectorized.is_empty(), "writes a GLOBAL");
        let mut w = World::new(&ir, 4);
        w.celsius = 3.0;
        w.run(c.kernels().state);
        let got: Vec<f64> = (0..4).map(|i| w.slot(0, i)).collect();
        assert_eq!(got, vec![11.0, 13.0, 15.0, 17.0], "{opts:?}");
        assert_eq!(w.globals, vec![4.0]);
    }
}
