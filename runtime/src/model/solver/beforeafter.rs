//! `BEFORE`/`AFTER` blocks (NEURON's `nrn_ba`): at each point of
//! [`BaTiming`], every cell group runs, type by type in type order, the
//! blocks of that timing of each type in source order, each as a loop over
//! the group's instances. The solver calls [`StepContext::run_ba`] inside
//! the step (`BeforeBreakpoint`, `AfterSolve`, `BeforeStep`); finitialize
//! calls [`Model::run_before_after`] for the others.
//!
//! A child of `solver` so that it shares the step's context without the
//! solver exposing it.

use super::{block_view, StepContext, MAX_IONS, NO_ION};
use crate::mechanism::{BaTiming, MechanismView};
use crate::model::store::CellGroup;
use crate::model::Model;

impl StepContext<'_> {
    /// Runs the blocks of `timing` of every type on a group (as
    /// [`StepContext::run`] runs a hook).
    pub(super) fn run_ba(&self, g: &mut CellGroup, timing: BaTiming) {
        for t in 0..g.mechs.len() {
            if g.mechs[t].count == 0 {
                continue;
            }
            for &(when, kernel) in &self.mechs[t].spec.before_after {
                if when != timing {
                    continue;
                }
                g.outbox.mech = t as u32;
                g.outbox.lend_extras(&mut g.mechs[t], self.gix);
                let host = std::ptr::addr_of_mut!(g.outbox).cast();
                let mut ions = [NO_ION; MAX_IONS];
                let view = MechanismView {
                    globals: self.globals.0[t],
                    t: g.t,
                    dt: g.dt,
                    celsius: self.celsius,
                    secondorder: self.secondorder,
                    host,
                    host_call: Some(crate::model::events::host_call),
                    ..block_view(g, t, &self.mechs[t].ion_types, &mut ions)
                };
                // SAFETY: as in `StepContext::run`: the view's arrays are
                // this group's and live through the call, node rows are in
                // range, and the kernel was registered under the ABI
                // contract (a BEFORE/AFTER block has `state`'s).
                unsafe { kernel(&view) };
                g.outbox.return_extras(&mut g.mechs[t]);
            }
        }
    }
}

impl Model {
    /// Runs the BEFORE/AFTER blocks of `timing` on every cell group (the
    /// points of finitialize outside the solver: `BeforeInitial`,
    /// `AfterInitial`).
    pub(crate) fn run_before_after(&mut self, timing: BaTiming) {
        if self
            .mech_types
            .iter()
            .all(|m| m.spec.before_after.iter().all(|&(w, _)| w != timing))
        {
            return;
        }
        self.for_each_group(|ctx, g| ctx.run_ba(g, timing));
    }
}
