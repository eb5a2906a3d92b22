//! `BEFORE`/`AFTER` blocks (NEURON's `nrn_ba`): at each point of
//! [`BaTiming`], every cell group runs, type by type in type order, the
//! blocks of that timing of each type in source order, each as a loop over
//! the group's instances. The solver calls [`StepContext::run_ba`] inside
//! the step (`BeforeBreakpoint`, `AfterSolve`, `BeforeStep`); finitialize
//! calls [`Model::run_before_after`] for the others.
//!
//! A child of `solver` so that it shares the step's context without the
//! solver exposing it.

use super::StepContext;
use crate::mechanism::BaTiming;
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
                self.call(g, t, kernel);
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
