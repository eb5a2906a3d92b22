//! The HOC `NetCon` class over the model's NetCons:
//! `new NetCon(&v(x) or source_pp or nil, target_pp or nil [, threshold,
//! delay, weight])` with `threshold`, `delay`, `weight[i]`, `x`, `record`,
//! `event`, `active`, `valid`, `wcnt`, `syn`, `pre`, `precell`, `postcell`,
//! `srcgid`, `get_recordvec`.

use super::host::{model_target, PtrTarget};
use super::playrec::{SimState, SpikeRec};
use super::point::point_instance;
use super::sections::section_cell;
use super::{host, merr, model};
use crate::vector::{self, vector_data};
use nerve_runtime::hoc::value::Object;
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Property, Ptr, Value};
use nerve_runtime::model::{Model, NetConId, NetConSource};
use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// The payload of a NetCon object; the model's NetCon goes with it.
pub(crate) struct NetConObj {
    id: NetConId,
    model: Weak<RefCell<Model>>,
    /// the source point process (`pre()`), not kept alive by the NetCon
    /// (as in NEURON: when it goes, the NetCon loses its source)
    src: Option<Weak<Object>>,
    /// the target point process (`syn()`), not kept alive either
    target: Option<Weak<Object>>,
}

impl Drop for NetConObj {
    fn drop(&mut self) {
        if let Some(m) = self.model.upgrade() {
            if let Ok(mut m) = m.try_borrow_mut() {
                let _ = m.netcon_delete(self.id);
            }
        }
    }
}

fn point_arg(
    o: &Option<Obj>,
    what: &str,
) -> Result<Option<nerve_runtime::model::InstanceId>, HocError> {
    match o {
        None => Ok(None),
        Some(o) => match point_instance(o) {
            Some((_, i)) => Ok(Some(i)),
            None => Err(HocError::msg(what.to_string())),
        },
    }
}

fn construct(interp: &mut Interpreter, a: &mut Args) -> Result<NetConObj, HocError> {
    a.expect_count(2, 5)?;
    let h = host(interp)?;
    let (src, src_obj) = if a.is_obj(0) {
        let o = a.obj(0)?;
        let i = point_arg(
            &o,
            "if arg 1 is an object it must be a point process or NULLObject",
        )?;
        (i.map_or(NetConSource::None, NetConSource::Point), o)
    } else {
        let p = a.ptr(0)?;
        let r = match &p {
            Ptr::Handle(h) => match model_target(h.as_ref()) {
                Some(PtrTarget::Var(r)) => r,
                _ => {
                    return Err(HocError::msg(
                        "NetCon source must be a pointer to a cell variable",
                    ))
                }
            },
            _ => {
                return Err(HocError::msg(
                    "NetCon source must be a pointer to a cell variable",
                ))
            }
        };
        (NetConSource::Var(r), None)
    };
    let target_obj = a.obj(1)?;
    let target = point_arg(&target_obj, "arg 2 must be a point process or NULLobject")?;
    let (mut threshold, mut delay, mut weight) = (None, 1.0, 0.0);
    if a.len() > 2 {
        a.expect_count(5, 5)?;
        threshold = Some(a.num(2)?);
        delay = vector::chkarg(a, 3, 0.0, 1e15)?;
        weight = a.num(4)?;
    }
    let id = model(&h)?
        .netcon_new(src, target, threshold, delay, weight)
        .map_err(merr)?;
    Ok(NetConObj {
        id,
        model: Rc::downgrade(&h.model),
        src: src_obj.as_ref().map(Rc::downgrade),
        target: target_obj.as_ref().map(Rc::downgrade),
    })
}

fn id_of(o: &Obj) -> Result<NetConId, HocError> {
    Ok(o.native::<NetConObj>()?.id)
}

/// The model's NetCon of a NetCon object and its source point process, if
/// it has one (for `ParallelContext.cell`).
pub(crate) fn netcon_parts(o: &Obj) -> Result<(NetConId, Option<Obj>), HocError> {
    let n = o
        .native::<NetConObj>()
        .map_err(|_| HocError::msg("a NetCon is needed"))?;
    Ok((n.id, n.src.as_ref().and_then(|w| w.upgrade())))
}

/// A NetCon object for a NetCon the model already has (`gid_connect`),
/// targeting `target`.
pub(crate) fn wrap_netcon(
    interp: &mut Interpreter,
    id: NetConId,
    target: Option<&Obj>,
) -> Result<Obj, HocError> {
    let h = host(interp)?;
    let class = interp
        .class("NetCon")
        .ok_or_else(|| HocError::msg("the NetCon class is not registered"))?;
    let payload = NetConObj {
        id,
        model: Rc::downgrade(&h.model),
        src: None,
        target: target.map(Rc::downgrade),
    };
    Ok(
        class.instantiate(nerve_runtime::hoc::value::ObjectData::Native(RefCell::new(
            Box::new(payload),
        ))),
    )
}

/// Gives a NetCon object the point process its source watches (`pre()`),
/// when it changes source (`gid_connect`).
pub(crate) fn set_netcon_pre(o: &Obj, src: Option<Weak<Object>>) -> Result<(), HocError> {
    o.native_mut::<NetConObj>()?.src = src;
    Ok(())
}

/// `precell()`: the cell of the section whose variable the source watches
/// (nil for a point process source, as NEURON's `ssrc_` is then unset).
fn precell(interp: &mut Interpreter, o: &Obj) -> Result<Value, HocError> {
    let h = host(interp)?;
    let src = with(interp, o, |m, id| m.netcon_source(id))?;
    let NetConSource::Var(r) = src else {
        return Ok(Value::Obj(None));
    };
    let Some(s) = model(&h)?.var_section(r).map_err(merr)? else {
        return Ok(Value::Obj(None));
    };
    Ok(Value::Obj(section_cell(interp, s)?))
}

/// `postcell()`: the cell of the target's section.
fn postcell(interp: &mut Interpreter, o: &Obj) -> Result<Value, HocError> {
    let h = host(interp)?;
    let Some(target) = with(interp, o, |m, id| m.netcon_target(id))? else {
        return Ok(Value::Obj(None));
    };
    let Ok((s, _)) = model(&h)?.point_process_location(target) else {
        return Ok(Value::Obj(None));
    };
    Ok(Value::Obj(section_cell(interp, s)?))
}

/// Runs `f` on the model with the NetCon's id; errors name the NetCon as
/// NEURON does (`NetCon[0] source is missing`).
fn with<R>(
    interp: &mut Interpreter,
    o: &Obj,
    f: impl FnOnce(&mut Model, NetConId) -> nerve_runtime::model::Result<R>,
) -> Result<R, HocError> {
    let h = host(interp)?;
    let id = id_of(o)?;
    let mut m = model(&h)?;
    f(&mut m, id).map_err(|e| match e {
        nerve_runtime::model::ModelError::NoSource => {
            HocError::msg(format!("{} source is missing", o.name()))
        }
        nerve_runtime::model::ModelError::NoTarget => {
            HocError::msg(format!("{} target is missing", o.name()))
        }
        e => merr(e),
    })
}

fn num(v: Value) -> Result<f64, HocError> {
    match v {
        Value::Num(x) => Ok(x),
        other => Err(HocError::msg(format!(
            "a number is needed, not {}",
            other.type_name()
        ))),
    }
}

/// Reads a NetCon value from the model.
type Getter = fn(&Model, NetConId) -> nerve_runtime::model::Result<f64>;
/// Writes a NetCon value in the model.
type Setter = fn(&mut Model, NetConId, f64) -> nerve_runtime::model::Result<()>;

fn scalar(get: Getter, set: Option<Setter>) -> Property {
    Property {
        get: Rc::new(move |i, o, _| Ok(Value::Num(with(i, o, |m, id| get(m, id))?))),
        set: set.map(|set| {
            Rc::new(move |i: &mut Interpreter, o: &Obj, _, v| {
                let x = num(v)?;
                with(i, o, |m, id| set(m, id, x))
            }) as nerve_runtime::hoc::class::PropSet
        }),
        ptr: None,
    }
}

fn weight_index(o: &Obj, m: &Model, id: NetConId, i: Option<usize>) -> Result<usize, HocError> {
    let n = m.netcon_weights(id).map_err(merr)?.len();
    let k = i.unwrap_or(0);
    if k >= n {
        return Err(HocError::msg(format!(
            "{}: subscript 0 index {k} of weight out of range {n}",
            o.name()
        )));
    }
    Ok(k)
}

fn weight_property() -> Property {
    Property {
        get: Rc::new(|i, o, k| {
            let h = host(i)?;
            let id = id_of(o)?;
            let m = model(&h)?;
            let k = weight_index(o, &m, id, k)?;
            Ok(Value::Num(m.netcon_weights(id).map_err(merr)?[k]))
        }),
        set: Some(Rc::new(|i, o, k, v| {
            let x = num(v)?;
            let h = host(i)?;
            let id = id_of(o)?;
            let mut m = model(&h)?;
            let k = weight_index(o, &m, id, k)?;
            m.netcon_weights_mut(id).map_err(merr)?[k] = x;
            Ok(())
        })),
        ptr: None,
    }
}

/// `nc.record(tvec [, idvec [, id]])`, `nc.record("stmt")`, `nc.record()`.
fn record(interp: &mut Interpreter, o: &Obj, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(0, 3)?;
    let rec = if a.is_empty() {
        None
    } else if a.is_str(0) {
        let s = a.str(0)?;
        (!s.is_empty()).then_some(SpikeRec::Stmt(s))
    } else {
        let tvec = vector_data(&a.object(0)?)?;
        let id = if a.len() > 1 {
            let idv = vector_data(&a.object(1)?)?;
            let n = if a.len() > 2 {
                a.num(2)?
            } else {
                o.index as f64
            };
            Some((idv, n))
        } else {
            None
        };
        Some(SpikeRec::Vectors { tvec, id })
    };
    let on = rec.is_some();
    let ps = with(interp, o, |m, id| m.set_netcon_record(id, on))?;
    let s = interp.ext::<SimState>();
    match rec {
        Some(r) => {
            s.spike_recs.insert(ps, r);
        }
        None => {
            s.spike_recs.remove(&ps);
        }
    }
    Ok(Value::Num(0.0))
}

/// The `NetCon` class.
pub(crate) fn register(interp: &mut Interpreter) {
    ClassBuilder::new("NetCon", construct)
        .property(
            "threshold",
            scalar(
                |m, id| m.netcon_threshold(id),
                Some(|m, id, x| m.set_netcon_threshold(id, x)),
            ),
        )
        .property(
            "delay",
            scalar(
                |m, id| m.netcon_delay(id),
                Some(|m, id, x| m.set_netcon_delay(id, x)),
            ),
        )
        .property("weight", weight_property())
        .property(
            "x",
            Property {
                get: Rc::new(|i, o, _| {
                    let h = host(i)?;
                    let id = id_of(o)?;
                    let mut m = model(&h)?;
                    let src = m.netcon_source(id).map_err(merr)?;
                    Ok(Value::Num(match src {
                        NetConSource::Var(r) => m.get(r).map_err(merr)?,
                        _ => 0.0,
                    }))
                }),
                set: None,
                ptr: None,
            },
        )
        .method("record", record)
        .method("event", |i, o, a| {
            a.expect_count(1, 2)?;
            let t = vector::chkarg(a, 0, -1e20, 1e20)?;
            let flag = if a.len() > 1 { Some(a.num(1)?) } else { None };
            let active = with(i, o, |m, id| m.netcon_event(id, t, flag))?;
            Ok(Value::Num(if active { 1.0 } else { 0.0 }))
        })
        .method("active", |i, o, a| {
            a.expect_count(0, 1)?;
            let old = if a.is_empty() {
                with(i, o, |m, id| m.netcon_active(id))?
            } else {
                let b = vector::chkarg(a, 0, 0.0, 1.0)? != 0.0;
                with(i, o, |m, id| m.set_netcon_active(id, b))?
            };
            Ok(Value::Num(if old { 1.0 } else { 0.0 }))
        })
        .method("valid", |i, o, a| {
            a.expect_count(0, 0)?;
            let ok = with(i, o, |m, id| {
                Ok(m.netcon_presyn(id)?.is_some() && m.netcon_target(id)?.is_some())
            })?;
            Ok(Value::Num(if ok { 1.0 } else { 0.0 }))
        })
        .method("wcnt", |i, o, a| {
            a.expect_count(0, 0)?;
            let n = with(i, o, |m, id| Ok(m.netcon_weights(id)?.len()))?;
            Ok(Value::Num(n as f64))
        })
        .method("srcgid", |i, o, _| {
            let g = with(i, o, |m, id| m.netcon_srcgid(id))?;
            Ok(Value::Num(g as f64))
        })
        .method("syn", |_, o, _| {
            let t = o.native::<NetConObj>()?.target.clone();
            Ok(Value::Obj(t.and_then(|w| w.upgrade())))
        })
        .method("pre", |_, o, _| {
            let s = o.native::<NetConObj>()?.src.clone();
            Ok(Value::Obj(s.and_then(|w| w.upgrade())))
        })
        .method("precell", |i, o, _| precell(i, o))
        .method("postcell", |i, o, _| postcell(i, o))
        .register(interp);
}
