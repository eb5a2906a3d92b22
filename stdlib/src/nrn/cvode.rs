//! `CVode` (the fixed-step subset: variable step integration is refused
//! clearly, everything else is accepted without effect or answers as NEURON
//! does with CVode off), `FInitializeHandler`, `batch_save` and `batch_run`.

use super::playrec::{self, Fih, SimState};
use super::{host, model};
use crate::vector;
use nerve_runtime::cfmt::{format, FmtArg};
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Value};
use std::io::Write;
use std::rc::Rc;

/// The settings a `CVode` object reports back.
#[derive(Default)]
struct CVodeObj {
    atol: f64,
    rtol: f64,
    cache_efficient: f64,
}

fn ok(x: f64) -> Result<Value, HocError> {
    Ok(Value::Num(x))
}

/// Methods that only store or answer 0 with CVode off.
const HARMLESS_ZERO: &[&str] = &[
    "use_local_dt",
    "use_daspk",
    "use_long_double",
    "condition_order",
    "stiff",
    "maxorder",
    "maxstep",
    "minstep",
    "jacobian",
    "queue_mode",
    "selfqueue",
    "simgraph_remove",
    "solve",
    "re_init",
    "store_events",
    "use_fast_imem",
    "extra_scatter_gather_remove",
    "debug_event",
    "spike_stat",
    "netconlist",
    "structure_change_count",
    "free_event_queues",
];

fn cvode_class(interp: &mut Interpreter) {
    let b = ClassBuilder::new("CVode", |_, _| {
        Ok(CVodeObj {
            atol: 1e-3,
            rtol: 0.0,
            cache_efficient: 0.0,
        })
    })
    .method("active", |_, _, a| {
        a.expect_count(0, 1)?;
        if !a.is_empty() && a.num(0)? != 0.0 {
            return Err(HocError::msg(
                "variable step integration is not supported (nerve has the fixed step only)",
            ));
        }
        ok(0.0)
    })
    .method("event", |i, _, a| {
        a.expect_count(1, 2)?;
        let t = a.num(0)?;
        let stmt = if a.len() > 1 { Some(a.str(1)?) } else { None };
        playrec::post_stmt(i, t, stmt)?;
        ok(1.0)
    })
    .method_mut("atol", |c, a| {
        if !a.is_empty() {
            c.atol = a.num(0)?;
        }
        ok(c.atol)
    })
    .method_mut("rtol", |c, a| {
        if !a.is_empty() {
            c.rtol = a.num(0)?;
        }
        ok(c.rtol)
    })
    .method_mut("cache_efficient", |c, a| {
        if !a.is_empty() {
            c.cache_efficient = a.num(0)?;
        }
        ok(c.cache_efficient)
    })
    .method("t", |i, _, _| {
        let h = host(i)?;
        let t = model(&h)?.t();
        ok(t)
    })
    .method("print_event_queue", |i, _, a| {
        a.expect_count(0, 1)?;
        let h = host(i)?;
        let times = model(&h)?.queued_event_times();
        if a.is_empty() {
            for t in times {
                i.write_out(&format!("DiscreteEvent {t:.15}\n"))?;
            }
        } else {
            *vector::vector_data(&a.object(0)?)?.borrow_mut() = times;
        }
        ok(1.0)
    });
    HARMLESS_ZERO
        .iter()
        .fold(b, |b, name| b.method(name, |_, _, _| ok(0.0)))
        .register(interp);
}

/// `new FInitializeHandler([type,] "stmt" [, obj])`.
fn fih_class(interp: &mut Interpreter) {
    ClassBuilder::new("FInitializeHandler", |i: &mut Interpreter, a: &mut Args| {
        a.expect_count(1, 3)?;
        let (kind, k) = if a.is_num(0) {
            (vector::chkarg(a, 0, 0.0, 3.0)? as i32, 1)
        } else {
            (1, 0)
        };
        let stmt = a.str(k)?;
        let this = if a.len() > k + 1 {
            a.obj(k + 1)?.map(|o| Rc::downgrade(&o))
        } else {
            None
        };
        let f = Rc::new(Fih { kind, stmt, this });
        i.ext::<SimState>().fih.push(Rc::downgrade(&f));
        Ok(f)
    })
    .register(interp);
}

/// `batch_save()`, `batch_save(&x, ...)`.
fn batch_save(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    if a.is_empty() {
        interp.ext::<SimState>().batch.clear();
    } else {
        for k in 0..a.len() {
            if a.is_str(k) {
                return Err(HocError::msg(
                    "batch_save(\"name\") is not supported: give pointers (&x)",
                ));
            }
            let p = a.ptr(k)?;
            interp.ext::<SimState>().batch.push(p);
        }
    }
    ok(1.0)
}

fn g(x: f64) -> String {
    format("%g", &[FmtArg::Num(x)]).unwrap_or_else(|_| x.to_string())
}

/// One line of the batch file: ` %g` per saved variable.
fn batch_out(interp: &mut Interpreter, f: &mut std::fs::File) -> Result<(), HocError> {
    let ptrs = interp.ext::<SimState>().batch.clone();
    let mut line = String::new();
    for p in &ptrs {
        line.push(' ');
        line.push_str(&g(interp.ptr_get(p)?));
    }
    line.push('\n');
    f.write_all(line.as_bytes())
        .map_err(|e| HocError::msg(format!("batch_run: {e}")))
}

/// `batch_run(tstop, tstep, "file" [, "comment"])`: steps to `tstop`,
/// writing the saved variables at the start and about every `tstep`.
fn batch_run(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(2, 4)?;
    let mut tstop = vector::chkarg(a, 0, 0.0, 1e20)?;
    let mut tstep = vector::chkarg(a, 1, 0.0, 1e20)?;
    let name = if a.len() > 2 { Some(a.str(2)?) } else { None };
    let comment = if a.len() > 3 {
        a.str(3)?
    } else {
        String::new()
    };
    let h = host(interp)?;
    let (t, dt) = {
        let m = model(&h)?;
        (m.t(), m.dt())
    };
    let mut file = match &name {
        Some(n) => {
            let mut f = std::fs::File::create(n)
                .map_err(|_| HocError::msg(format!("Couldn't open batch file {n}")))?;
            let head = format!(
                "{comment}\nbatch_run from t = {} to {} in steps of {} with dt = {}\n",
                g(t),
                g(tstop),
                g(tstep),
                g(dt)
            );
            f.write_all(head.as_bytes())
                .map_err(|e| HocError::msg(format!("batch_run: {e}")))?;
            Some(f)
        }
        None => None,
    };
    if let Some(f) = file.as_mut() {
        batch_out(interp, f)?;
    }
    tstep -= dt / 4.0;
    tstop -= dt / 4.0;
    let mut tnext = t + tstep;
    loop {
        let t = model(&h)?.t();
        if t >= tstop {
            break;
        }
        playrec::fadvance(interp)?;
        let t = model(&h)?.t();
        if t > tnext {
            if let Some(f) = file.as_mut() {
                batch_out(interp, f)?;
            }
            tnext = t + tstep;
        }
    }
    ok(1.0)
}

/// Registers `CVode`, `FInitializeHandler`, `batch_save`, `batch_run`.
pub(crate) fn register(interp: &mut Interpreter) {
    cvode_class(interp);
    fih_class(interp);
    interp.register_fn("batch_save", batch_save);
    interp.register_fn("batch_run", batch_run);
}
