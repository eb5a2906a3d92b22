//! TEST CODE ONLY: hand-written Rust kernels against the ABI, standing in for
//! JIT-compiled NMODL until the JIT exists. `pas` does exactly what NEURON's
//! nocmodl-generated `passive.mod` does (same floating-point operations, so
//! traces match NEURON bit for bit); `TestIClamp` is `stim.mod`'s IClamp
//! (an electrode current switched on for `del <= t < del + dur`).

use super::{FieldKind, FieldSpec, MechanismKernels, MechanismKind, MechanismSpec, MechanismView};

const PAS_G: usize = 0;
const PAS_E: usize = 1;
const PAS_I: usize = 2;
const PAS_GJ: usize = 3;

/// The `pas` spec: `g` [S/cm²], `e` [mV], `i` [mA/cm²], and the saved di/dv.
pub(crate) fn pas_spec() -> MechanismSpec {
    MechanismSpec {
        name: "pas".into(),
        kind: MechanismKind::Density,
        fields: vec![
            FieldSpec::new("g", FieldKind::Parameter, 0.001),
            FieldSpec::new("e", FieldKind::Parameter, -70.0),
            FieldSpec::new("i", FieldKind::Assigned, 0.0),
            FieldSpec::new("_g", FieldKind::Assigned, 0.0),
        ],
        globals: vec![],
        globals_hoc: vec![],
        ions: vec![],
        functions: vec![],
        weights: 0,
        for_netcons: false,
        randoms: vec![],
        vector: false,
        pointers: Vec::new(),
        watches: Vec::new(),
        function_tables: Vec::new(),
        before_after: Vec::new(),
        thread_safe: true,
        kernels: MechanismKernels {
            init: None,
            cur: Some(pas_cur),
            jacob: Some(density_jacob::<PAS_GJ>),
            state: None,
            second_order_cur: None,
            net_receive: None,
            net_receive_init: None,
            table: None,
        },
    }
}

#[inline]
unsafe fn slot(view: &MechanismView, field: usize, i: usize) -> *mut f64 {
    view.data.add(field * view.stride + i)
}

unsafe extern "C" fn pas_cur(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        let ni = *m.node_index.add(i) as usize;
        let v = *m.v.add(ni);
        let g = *slot(m, PAS_G, i);
        let e = *slot(m, PAS_E, i);
        // _nrn_current(v + .001), then _nrn_current(v): `i` ends at i(v)
        let g_local = 0.0 + g * ((v + 0.001) - e);
        let cur = g * (v - e);
        *slot(m, PAS_I, i) = cur;
        let rhs = 0.0 + cur;
        *slot(m, PAS_GJ, i) = (g_local - rhs) / 0.001;
        *m.rhs.add(ni) -= rhs;
    }
}

unsafe extern "C" fn density_jacob<const GJ: usize>(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        let ni = *m.node_index.add(i) as usize;
        *m.d.add(ni) += *slot(m, GJ, i);
    }
}

const IC_DEL: usize = 0;
const IC_DUR: usize = 1;
const IC_AMP: usize = 2;
const IC_I: usize = 3;
const IC_GJ: usize = 4;

/// `TestIClamp`: `del` [ms], `dur` [ms], `amp` [nA], `i` [nA], saved di/dv.
pub(crate) fn iclamp_spec() -> MechanismSpec {
    MechanismSpec {
        name: "TestIClamp".into(),
        kind: MechanismKind::Point,
        fields: vec![
            FieldSpec::new("del", FieldKind::Parameter, 0.0),
            FieldSpec::new("dur", FieldKind::Parameter, 0.0),
            FieldSpec::new("amp", FieldKind::Parameter, 0.0),
            FieldSpec::new("i", FieldKind::Assigned, 0.0),
            FieldSpec::new("_g", FieldKind::Assigned, 0.0),
        ],
        globals: vec![],
        globals_hoc: vec![],
        ions: vec![],
        functions: vec![],
        weights: 0,
        for_netcons: false,
        randoms: vec![],
        vector: false,
        pointers: Vec::new(),
        watches: Vec::new(),
        function_tables: Vec::new(),
        before_after: Vec::new(),
        thread_safe: true,
        kernels: MechanismKernels {
            init: Some(iclamp_init),
            cur: Some(iclamp_cur),
            jacob: Some(iclamp_jacob),
            state: None,
            second_order_cur: None,
            net_receive: None,
            net_receive_init: None,
            table: None,
        },
    }
}

unsafe extern "C" fn iclamp_init(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        *slot(m, IC_I, i) = 0.0;
    }
}

unsafe extern "C" fn iclamp_cur(view: *const MechanismView) {
    let m = &*view;
    let t = m.t;
    for i in 0..m.count {
        let ni = *m.node_index.add(i) as usize;
        let del = *slot(m, IC_DEL, i);
        let dur = *slot(m, IC_DUR, i);
        let amp = *slot(m, IC_AMP, i);
        let cur = if t < del + dur && t >= del { amp } else { 0.0 };
        let g_local = 0.0 + cur;
        *slot(m, IC_I, i) = cur;
        let mut rhs = 0.0 + cur;
        let mut g = (g_local - rhs) / 0.001;
        let area = *m.area.add(ni);
        g *= 1.0e2 / area;
        rhs *= 1.0e2 / area;
        *slot(m, IC_GJ, i) = g;
        *m.rhs.add(ni) += rhs;
    }
}

unsafe extern "C" fn iclamp_jacob(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        let ni = *m.node_index.add(i) as usize;
        *m.d.add(ni) -= *slot(m, IC_GJ, i);
    }
}
