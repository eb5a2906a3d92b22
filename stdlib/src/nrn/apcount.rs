//! `APCount.record(Vector)`: the times of the threshold crossings an APCount
//! counts, appended to a Vector (emptied by `finitialize`). NEURON's
//! APCount does this with C in its .mod file; ours is plain NMODL, so the
//! binding watches the count after each step instead.

use super::{host, merr, model};
use nerve_runtime::hoc::value::DoubleArray;
use nerve_runtime::hoc::{HocError, Interpreter};
use nerve_runtime::model::{InstanceId, VarRef};

/// One recording: the APCount's instance, its `n` and `time` slots, the
/// Vector's data, and the count already recorded.
struct Rec {
    inst: InstanceId,
    n_slot: usize,
    time_slot: usize,
    data: DoubleArray,
    seen: f64,
}

/// The recordings of a session (kept in the interpreter's extension map).
#[derive(Default)]
pub(crate) struct ApcRecords(Vec<Rec>);

/// `apc.record(vec)`: records into `vec` from now on (replacing an earlier
/// vector of the same APCount).
pub(crate) fn record(
    interp: &mut Interpreter,
    inst: InstanceId,
    n_slot: usize,
    time_slot: usize,
    data: DoubleArray,
) -> Result<(), HocError> {
    let h = host(interp)?;
    let seen = model(&h)?
        .get(VarRef::Instance(inst, n_slot))
        .map_err(merr)?;
    let recs = &mut interp.ext::<ApcRecords>().0;
    recs.retain(|r| r.inst != inst);
    recs.push(Rec {
        inst,
        n_slot,
        time_slot,
        data,
        seen,
    });
    Ok(())
}

/// After `finitialize`: the vectors are emptied.
pub(crate) fn after_init(interp: &mut Interpreter) {
    for r in &mut interp.ext::<ApcRecords>().0 {
        r.data.borrow_mut().clear();
        r.seen = 0.0;
    }
}

/// After each step: a grown count appends the crossing's time.
pub(crate) fn after_step(interp: &mut Interpreter) -> Result<(), HocError> {
    if interp.ext::<ApcRecords>().0.is_empty() {
        return Ok(());
    }
    let h = host(interp)?;
    let mut m = model(&h)?;
    let recs = &mut interp.ext::<ApcRecords>().0;
    // an APCount that was freed takes its recording with it
    recs.retain(|r| m.instance_type(r.inst).is_ok());
    for r in recs.iter_mut() {
        let n = m.get(VarRef::Instance(r.inst, r.n_slot)).map_err(merr)?;
        if n > r.seen {
            let t = m.get(VarRef::Instance(r.inst, r.time_slot)).map_err(merr)?;
            r.data.borrow_mut().push(t);
        }
        r.seen = n;
    }
    Ok(())
}
