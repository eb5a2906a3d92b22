//! The HOC `SaveState` class: `ss.save()` takes a snapshot of t, v, the
//! mechanisms' states, the event queue and the NetCon weights (see
//! [`nerve_runtime::model::SavedState`]) together with where each
//! `Vector.play` is and what the queued play/record/callback events mean;
//! `ss.restore()` puts it all back, `ss.restore(1)` all but the events.
//! Record Vectors keep what they recorded (as in NEURON).
//!
//! `fwrite`/`fread` (the snapshot in a binary file) are not provided yet:
//! they say so.

use super::playrec::{SimSnapshot, SimState};
use super::{host, merr, model};
use nerve_runtime::hoc::{ClassBuilder, HocError, Interpreter, Value};
use nerve_runtime::model::SavedState;

/// The payload of a `SaveState` object.
#[derive(Default)]
pub(crate) struct HocSaveState {
    saved: Option<(SavedState, SimSnapshot)>,
}

/// Registers the `SaveState` class.
pub(crate) fn register(interp: &mut Interpreter) {
    ClassBuilder::<HocSaveState>::new("SaveState", |_, a| {
        a.expect_count(0, 0)?;
        Ok(HocSaveState::default())
    })
    .method("save", |i, o, a| {
        a.expect_count(0, 0)?;
        let h = host(i)?;
        let saved = model(&h)?.save_state().map_err(merr)?;
        let sim = i.ext::<SimState>().snapshot();
        o.native_mut::<HocSaveState>()?.saved = Some((saved, sim));
        Ok(Value::Num(1.0))
    })
    .method("restore", |i, o, a| {
        a.expect_count(0, 1)?;
        let keep_queue = a.len() == 1 && a.num(0)? == 1.0;
        let p = o.native::<HocSaveState>()?;
        let Some((saved, sim)) = &p.saved else {
            return Err(HocError::msg("SaveState: nothing saved to restore"));
        };
        let h = host(i)?;
        let mut m = model(&h)?;
        m.restore_state(saved, !keep_queue).map_err(merr)?;
        i.ext::<SimState>().restore(sim, !keep_queue, &mut m);
        Ok(Value::Num(1.0))
    })
    .method("fwrite", |_, _, _| {
        Err(HocError::msg(
            "SaveState.fwrite is not supported by nerve yet",
        ))
    })
    .method("fread", |_, _, _| {
        Err(HocError::msg(
            "SaveState.fread is not supported by nerve yet",
        ))
    })
    .register(interp);
}
