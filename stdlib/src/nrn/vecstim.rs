//! `VecStim`, the artificial cell of NEURON's `vecevent.mod` (which nearly
//! every network model compiles), built in: `vs = new VecStim()`,
//! `vs.play(vec)` (no argument: no vector), and the cell spikes at each
//! time of the vector, in order, through the NetCons it is the source of.
//!
//! It is a mechanism like any other for the model: a [`MechanismSpec`] of
//! kind Artificial whose INITIAL and NET_RECEIVE kernels are written here in
//! Rust against the ABI. As in `vecevent.mod`:
//! * INITIAL: `index = 0`, `element()`, and if an element was found a self
//!   event `net_send(etime - t, 1)`;
//! * NET_RECEIVE with flag 1: `net_event(t)`, `element()`, the next self
//!   event the same way;
//! * `element()`: element `index` of the vector becomes `etime` and `index`
//!   counts on; past the end (or without a vector) `index = -1`.
//!
//! A time before the present is an error (NEURON aborts with "net_send
//! td-t = ..."), so the vector must be sorted. The kernels read the times
//! through the vector services of `host_call` (10: element, 11: size); the
//! object keeps its Vector, whose numbers are handed to the model by `play`
//! and again at every `finitialize`, so changes made to the Vector after
//! `play` count from the next run (NEURON reads the Vector as it goes).

use super::point::PointProcess;
use super::{cas, host, merr, model};
use crate::vector::vector_data;
use nerve_runtime::hoc::value::DoubleArray;
use nerve_runtime::hoc::{ClassBuilder, HocError, Interpreter, Value};
use nerve_runtime::mechanism::{
    FieldKind, FieldSpec, MechanismKernels, MechanismKind, MechanismSpec, MechanismView,
};
use nerve_runtime::model::{InstanceId, MechTypeId, Model};
use std::collections::HashMap;
use std::rc::Rc;

const INDEX: usize = 0;
const ETIME: usize = 1;

/// `host_call` services used here.
const NET_SEND_AT: u32 = 12;
const NET_EVENT: u32 = 1;
const ELEMENT: u32 = 10;
const SIZE: u32 = 11;

/// The model's spec of VecStim.
fn spec() -> MechanismSpec {
    let mut s = MechanismSpec::new("VecStim", MechanismKind::Artificial);
    let field = |name: &str| {
        let mut f = FieldSpec::new(name, FieldKind::Assigned, 0.0);
        // ASSIGNED of an ARTIFICIAL_CELL without RANGE: not public in HOC
        f.hoc = false;
        f
    };
    s.fields = vec![field("index"), field("etime")];
    s.weights = 1;
    s.vector = true;
    s.kernels = MechanismKernels {
        init: Some(init),
        net_receive: Some(receive),
        ..MechanismKernels::default()
    };
    s
}

/// Field `field` of instance `i`.
///
/// # Safety
/// `m` describes live instance data with `i < count` and the field exists.
unsafe fn slot(m: &MechanismView, field: usize, i: usize) -> *mut f64 {
    // SAFETY: by the function's contract
    unsafe { m.data.add(field * m.stride + i) }
}

/// A host service for instance `i` (0 without services).
///
/// # Safety
/// `m` is a view given to a kernel by the runtime.
unsafe fn service(m: &MechanismView, op: u32, i: usize, a: f64) -> f64 {
    match m.host_call {
        // SAFETY: the runtime's host and view, as it gave them
        Some(h) => unsafe { h(m.host, op, m, i, a, 0.0) },
        None => 0.0,
    }
}

/// `vecevent.mod`'s `element()`.
///
/// # Safety
/// As for [`slot`] and [`service`].
unsafe fn element(m: &MechanismView, i: usize) {
    // SAFETY: by the function's contract
    unsafe {
        let index = slot(m, INDEX, i);
        // C's (int) of a small non-negative or -1 index
        let k = *index as i32;
        if k >= 0 {
            if f64::from(k) < service(m, SIZE, i, 0.0) {
                *slot(m, ETIME, i) = service(m, ELEMENT, i, f64::from(k));
                *index += 1.0;
            } else {
                *index = -1.0;
            }
        }
    }
}

/// A self event at `etime` if an element was found.
///
/// # Safety
/// As for [`element`].
unsafe fn send_next(m: &MechanismView, i: usize) {
    // SAFETY: by the function's contract
    unsafe {
        if *slot(m, INDEX, i) > 0.0 {
            // nocmodl's `t + etime - t` for net_send(etime - t, 1)
            #[allow(clippy::eq_op)]
            let td = m.t + *slot(m, ETIME, i) - m.t;
            if let Some(h) = m.host_call {
                h(m.host, NET_SEND_AT, m, i, td, 1.0);
            }
        }
    }
}

unsafe extern "C" fn init(view: *const MechanismView) {
    // SAFETY: the runtime calls INITIAL with a live view of `count`
    // instances of this type
    unsafe {
        let m = &*view;
        for i in 0..m.count {
            *slot(m, INDEX, i) = 0.0;
            element(m, i);
            send_next(m, i);
        }
    }
}

unsafe extern "C" fn receive(view: *const MechanismView, i: usize, _w: *mut f64, flag: f64) {
    // SAFETY: the runtime calls NET_RECEIVE with a live view and i < count
    unsafe {
        let m = &*view;
        if flag == 1.0 {
            service(m, NET_EVENT, i, m.t);
            element(m, i);
            send_next(m, i);
        }
    }
}

/// The Vectors of the VecStims (in the interpreter's extension map): the
/// objects hold them, as `vecevent.mod` refs its Vector.
#[derive(Default)]
pub(crate) struct VecStims {
    vectors: HashMap<InstanceId, DoubleArray>,
}

/// Hands every live VecStim's Vector to the model (at `finitialize`).
pub(crate) fn refresh(interp: &mut Interpreter, m: &mut Model) {
    let s = interp.ext::<VecStims>();
    s.vectors.retain(|&i, v| {
        let x = v.borrow().clone();
        m.set_instance_vector(i, x).is_ok()
    });
}

/// Registers the VecStim type in the model and its HOC class.
pub(crate) fn register(interp: &mut Interpreter) -> Result<MechTypeId, HocError> {
    let h = host(interp)?;
    // SAFETY: the kernels above touch only their own instance's data and
    // post events through the runtime's services (the ABI contract).
    let t = unsafe { model(&h)?.register_mechanism(spec()) }.map_err(merr)?;
    let weak = Rc::downgrade(&h.model);
    ClassBuilder::new("VecStim", move |i, a| {
        a.expect_count(0, 1)?;
        let inst = if a.is_empty() {
            let h = host(i)?;
            let r = model(&h)?.new_unlocated(t).map_err(merr)?;
            r
        } else {
            let x = a.num(0)?;
            let (h, s) = cas(i)?;
            let r = model(&h)?.new_point_process(t, s, x).map_err(merr)?;
            r
        };
        Ok(PointProcess {
            mech: t,
            instance: Some(inst),
            model: weak.clone(),
        })
    })
    .method("play", |i, o, a| {
        a.expect_count(0, 1)?;
        let inst = o
            .native::<PointProcess>()?
            .instance
            .ok_or_else(|| HocError::msg(format!("{} has been deleted", o.name())))?;
        let v = if a.is_empty() {
            None
        } else {
            Some(vector_data(&a.object(0)?)?)
        };
        let x = v.as_ref().map(|v| v.borrow().clone()).unwrap_or_default();
        let h = host(i)?;
        model(&h)?.set_instance_vector(inst, x).map_err(merr)?;
        let s = i.ext::<VecStims>();
        match v {
            Some(v) => s.vectors.insert(inst, v),
            None => s.vectors.remove(&inst),
        };
        Ok(Value::Num(0.0))
    })
    .register(interp);
    Ok(t)
}
