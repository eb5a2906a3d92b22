//! Tests of the JIT: hand-built IR run on real buffers through a `#[repr(C)]`
//! copy of the runtime's view (checked against [`super::layout`]).

mod calls;
mod exp;
mod hh;
mod kernels;
mod memo;
mod random;
mod vector;

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
    pointers: *const *mut f64,
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
        (offset_of!(View, pointers), VIEW_POINTERS),
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
    /// POINTER targets: pointer k of instance i at `pointers[k * stride + i]`
    pointers: Vec<*mut f64>,
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
            pointers: Vec::new(),
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
            pointers: if self.pointers.is_empty() {
                std::ptr::null()
            } else {
                self.pointers.as_ptr()
            },
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
        pointers: vec![],
        randoms: vec![],
        ions: vec![],
        functions: vec![],
        function_tables: vec![],
        kernels: Kernels::default(),
        weights: 0,
        electrode_current: false,
        thread_safe: true,
    }
}

/// The options whose kernels are bit-identical to C: scalar and f64x2,
/// inline exact `exp` (where available) and libm's.
const EXACT_OPTIONS: [JitOptions; 4] = [
    JitOptions::EXACT,
    JitOptions {
        vectorize: true,
        ..JitOptions::EXACT
    },
    LIBM_EXP,
    JitOptions {
        vectorize: true,
        ..LIBM_EXP
    },
];

const ALL_OPTIONS: [JitOptions; 6] = [
    EXACT_OPTIONS[0],
    EXACT_OPTIONS[1],
    EXACT_OPTIONS[2],
    EXACT_OPTIONS[3],
    JitOptions {
        vectorize: false,
        inline_exp: true,
        exact_exp: true,
    },
    JitOptions::FAST,
];

/// Scalar kernels calling libm's `exp` even where the inline exact one is
/// available.
const LIBM_EXP: JitOptions = JitOptions {
    exact_exp: false,
    ..JitOptions::EXACT
};
