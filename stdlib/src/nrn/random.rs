//! The instances' random streams in HOC, as NEURON 9.0.2 shows them:
//!
//! * `pp.ranvar` (each NMODL `RANDOM` variable of a point process) is an
//!   `NMODLRandom` object: `get_ids()` (a Vector id1, id2, id3),
//!   `set_ids(id1, id2, id3)`, `get_seq()` (seq·4 + which), `set_seq(x)`
//!   (both setters return the object, so they chain), `uniform()`. It
//!   refers to the instance: once the point process is gone, using it is
//!   an error.
//! * `noiseFromRandom123(id1[, id2[, id3]])` and `noiseFromRandom(r)`, the
//!   VERBATIM procedures of NEURON's `netstim.mod`, natively, for every
//!   point class with a RANDOM variable (they act on the first one):
//!   with three arguments the ids are set, with two id3 is 0, with one they
//!   stay; the stream goes back to sequence 0. `noiseFromRandom(r)` copies
//!   the ids and position of a `Random` object that uses Random123 (an
//!   error otherwise).
//!
//! The model's Random123 global index follows `Random.Random123_globalindex`
//! (see [`set_global_index`]).

use super::point::PointProcess;
use super::{host, merr};
use crate::random::HocRandom;
use nerve_runtime::hoc::value::ObjectData;
use nerve_runtime::hoc::{ClassBuilder, HocError, Interpreter, Obj, Property, Value};
use nerve_runtime::mechanism::MechanismSpec;
use nerve_runtime::model::{InstanceId, Model};
use nerve_runtime::random123::Random123Stream;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// The payload of an `NMODLRandom`: one RANDOM variable of one instance.
pub(crate) struct NmodlRandom {
    model: Weak<RefCell<Model>>,
    /// `None` for an `NMODLRandom` made with `new` (refers to nothing)
    instance: Option<InstanceId>,
    /// which RANDOM variable of the type
    k: usize,
}

impl NmodlRandom {
    /// Runs `f` on the stream.
    fn with<R>(&self, f: impl FnOnce(&mut Random123Stream, u32) -> R) -> Result<R, HocError> {
        let gone = || HocError::msg("NMODLRandom: its mechanism instance no longer exists");
        let m = self.model.upgrade().ok_or_else(gone)?;
        let i = self.instance.ok_or_else(gone)?;
        let mut m = m
            .try_borrow_mut()
            .map_err(|_| HocError::msg("internal: the model is in use"))?;
        m.with_random_stream(i, self.k, f).map_err(|_| gone())
    }
}

/// NEURON's `(uint32_t)` of an id argument.
fn id_arg(a: &nerve_runtime::hoc::Args, k: usize) -> Result<u32, HocError> {
    Ok(crate::random::cconv::c_u32(a.num(k)?))
}

/// Registers the `NMODLRandom` class.
pub(crate) fn register(interp: &mut Interpreter) {
    ClassBuilder::<NmodlRandom>::new("NMODLRandom", |_, _| {
        Ok(NmodlRandom {
            model: Weak::new(),
            instance: None,
            k: 0,
        })
    })
    .method("get_ids", |i, o, a| {
        a.expect_count(0, 0)?;
        let (id1, id2, id3) = o.native::<NmodlRandom>()?.with(|s, _| s.ids())?;
        let v = crate::vector::new_vector(i, vec![f64::from(id1), f64::from(id2), f64::from(id3)])?;
        Ok(Value::Obj(Some(v)))
    })
    .method("set_ids", |_, o, a| {
        a.expect_count(3, 3)?;
        let ids = (id_arg(a, 0)?, id_arg(a, 1)?, id_arg(a, 2)?);
        o.native::<NmodlRandom>()?
            .with(|s, _| s.set_ids(ids.0, ids.1, ids.2))?;
        Ok(Value::Obj(Some(o.clone())))
    })
    .method("get_seq", |_, o, a| {
        a.expect_count(0, 0)?;
        Ok(Value::Num(
            o.native::<NmodlRandom>()?.with(|s, _| s.seq4which())?,
        ))
    })
    .method("set_seq", |_, o, a| {
        a.expect_count(1, 1)?;
        let x = a.num(0)?;
        o.native::<NmodlRandom>()?
            .with(|s, gix| s.set_seq4which(gix, x))?;
        Ok(Value::Obj(Some(o.clone())))
    })
    .method("uniform", |_, o, a| {
        a.expect_count(0, 0)?;
        Ok(Value::Num(
            o.native::<NmodlRandom>()?
                .with(|s, gix| s.next_uniform(gix))?,
        ))
    })
    .register(interp);
}

/// The instance of a point-process object, or a clear error.
fn instance(o: &Obj) -> Result<InstanceId, HocError> {
    o.native::<PointProcess>()?
        .instance
        .ok_or_else(|| HocError::msg(format!("{} has been deleted", o.name())))
}

/// Adds the random-stream members of a point class whose spec has RANDOM
/// variables (nothing otherwise): a read-only property per variable giving
/// its `NMODLRandom`, and `noiseFromRandom123` / `noiseFromRandom` on the
/// first one. Call it after the class's FUNCTION/PROCEDURE methods are
/// added, so these (NEURON's VERBATIM versions) take the place of NMODL
/// stand-ins of the same names.
pub(crate) fn random_methods(
    mut b: ClassBuilder<PointProcess>,
    model: &Rc<RefCell<Model>>,
    spec: &MechanismSpec,
) -> ClassBuilder<PointProcess> {
    if spec.randoms.is_empty() {
        return b;
    }
    for (k, name) in spec.randoms.iter().enumerate() {
        let m = Rc::downgrade(model);
        b = b.property(
            name,
            Property {
                get: Rc::new(move |i, o, _| {
                    let payload = NmodlRandom {
                        model: m.clone(),
                        instance: Some(instance(o)?),
                        k,
                    };
                    let class = i
                        .class("NMODLRandom")
                        .ok_or_else(|| HocError::msg("NMODLRandom is not registered"))?;
                    let r = class.instantiate(ObjectData::Native(RefCell::new(Box::new(payload))));
                    Ok(Value::Obj(Some(r)))
                }),
                set: None,
                ptr: None,
            },
        );
    }
    let m123 = model.clone();
    let mran = model.clone();
    b.method("noiseFromRandom123", move |_, o, a| {
        a.expect_count(0, 3)?;
        let i = instance(o)?;
        let ids = match a.len() {
            3 => Some((id_arg(a, 0)?, id_arg(a, 1)?, id_arg(a, 2)?)),
            2 => Some((id_arg(a, 0)?, id_arg(a, 1)?, 0)),
            _ => None,
        };
        m123.borrow_mut()
            .with_random_stream(i, 0, |s, gix| {
                if let Some((a, b, c)) = ids {
                    s.set_ids(a, b, c);
                }
                s.set_seq(gix, 0, 0);
            })
            .map_err(merr)?;
        Ok(Value::Num(0.0))
    })
    .method("noiseFromRandom", move |_, o, a| {
        a.expect_count(0, 1)?;
        let i = instance(o)?;
        if a.is_empty() {
            return Ok(Value::Num(0.0));
        }
        let r = a.object(0)?;
        let (ids, seq) = {
            let r = r
                .native::<HocRandom>()
                .map_err(|_| HocError::msg("noiseFromRandom: the argument must be a Random"))?;
            match r.random123_stream() {
                Some(s) => (s.ids(), s.get_seq()),
                None => {
                    return Err(HocError::msg(
                        "NetStim: Random.Random123 generator is required.",
                    ))
                }
            }
        };
        mran.borrow_mut()
            .with_random_stream(i, 0, |s, gix| {
                s.set_ids(ids.0, ids.1, ids.2);
                s.set_seq(gix, seq.0, seq.1);
            })
            .map_err(merr)?;
        Ok(Value::Num(0.0))
    })
}

/// Keeps the model's Random123 global index equal to the `Random` class's
/// (NEURON has one, process-wide).
pub(crate) fn set_global_index(interp: &mut Interpreter, gix: u32) {
    if let Ok(h) = host(interp) {
        if let Ok(mut m) = h.model.try_borrow_mut() {
            m.set_random123_global_index(gix);
        }
    }
}
