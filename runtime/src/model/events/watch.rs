//! `WATCH` conditions, as NEURON's fixed step runs them (`WatchCondition`
//! in `netcvode.cpp`): NET_RECEIVE arms a condition of its instance with
//! a flag; at the start of every step, after the threshold sources,
//! every armed condition is evaluated in the order armed, and one that
//! turns positive sends a self event with its flag at the present t
//! (no 1e-10 added, unlike a threshold), delivered with the step's first
//! events to NET_RECEIVE (with zero weights: NEURON passes none).
//!
//! * Arming a condition that already holds (value >= -1e-11, NEURON's
//!   `hoc_epsilon`) marks it above: it sends nothing until it has been
//!   false at a check.
//! * The first WATCH a NET_RECEIVE call arms disarms the instance's others
//!   and takes their pending events off the queue; later ones in the same
//!   call add to the set. Arming a condition again moves it to the end of
//!   the order.
//! * `finitialize` disarms everything (after the NET_RECEIVE INITIAL
//!   blocks), as does the deletion of the point process.

use super::super::store::LOOSE;
use super::deliver::HostOutbox;
use super::{Event, ItemId};
use crate::model::{InstanceId, Model, ModelError, Result};

/// NEURON's `hoc_epsilon`: a condition this close below 0 when armed
/// counts as holding already.
const ARM_EPSILON: f64 = 1e-11;

/// One armed condition.
#[derive(Clone, Debug)]
pub(crate) struct Watch {
    pub target: InstanceId,
    /// which condition of the type (index into the spec's `watches`)
    pub index: u32,
    /// the flag NET_RECEIVE gets
    pub flag: f64,
    /// the value was > 0 at the last check (or held when armed)
    pub above: bool,
    /// its event, while on the queue
    pub queued: Option<ItemId>,
}

impl Model {
    /// Arms condition `index` of `target` (NEURON's `_nrn_watch_activate`);
    /// `first`: the first WATCH of this NET_RECEIVE call, which disarms the
    /// instance's others.
    pub(super) fn arm_watch(
        &mut self,
        target: InstanceId,
        index: u32,
        flag: f64,
        value: f64,
        first: bool,
    ) {
        if first {
            self.disarm_watches(target);
        }
        // arming again moves it to the end; a pending event stays on the
        // queue, no longer its (NEURON clears `qthresh_`)
        if let Some(k) = self
            .events
            .watches
            .iter()
            .position(|w| w.target == target && w.index == index)
        {
            self.events.watches.remove(k);
        }
        self.events.watches.push(Watch {
            target,
            index,
            flag,
            above: value >= -ARM_EPSILON,
            queued: None,
        });
    }

    /// Disarms the conditions of `target` and drops their pending events.
    pub(crate) fn disarm_watches(&mut self, target: InstanceId) {
        let queue = &mut self.events.queue;
        self.events.watches.retain(|w| {
            if w.target != target {
                return true;
            }
            if let Some(id) = w.queued {
                queue.remove(id);
            }
            false
        });
    }

    /// Disarms every condition (finitialize), dropping pending events.
    pub(super) fn disarm_all_watches(&mut self) {
        for w in std::mem::take(&mut self.events.watches) {
            if let Some(id) = w.queued {
                self.events.queue.remove(id);
            }
        }
    }

    /// NEURON's `WatchCondition::check` for every armed condition, in the
    /// order armed, at the present time `t`.
    pub(super) fn check_watches(&mut self, t: f64) -> Result<()> {
        for k in 0..self.events.watches.len() {
            let (target, index) = {
                let w = &self.events.watches[k];
                (w.target, w.index)
            };
            let value = self.watch_value(target, index, t)?;
            let w = &mut self.events.watches[k];
            if value > 0.0 {
                if !w.above {
                    w.above = true;
                    let flag = w.flag;
                    let id = self.events.queue.insert(t, Event::Watch { target, flag });
                    self.events.watches[k].queued = Some(id);
                }
            } else {
                w.above = false;
            }
        }
        Ok(())
    }

    /// Condition `index` of `target` evaluated now.
    fn watch_value(&mut self, target: InstanceId, index: u32, t: f64) -> Result<f64> {
        let info = self.instance_info(target)?;
        let (loc, mech) = (info.loc, info.mech.0 as usize);
        let spec = &self.mech_types[mech].spec;
        let Some(&f) = spec.watches.get(index as usize) else {
            return Err(ModelError::NoWatch(spec.name.clone()));
        };
        if loc.block == LOOSE {
            return Err(ModelError::UnlocatedTarget(spec.name.clone()));
        }
        if !spec.pointers.is_empty() {
            self.check_pointers(target)?;
        }
        let row = loc.row as usize;
        let no_args = [0.0f64; 1];
        let mut out = HostOutbox::default();
        // events a condition might post are dropped, as NEURON's are not
        // possible (the condition is a plain C function)
        Ok(self.with_view(loc.block, mech, t, &mut out, |view| {
            // SAFETY: the view describes the block's live arrays; row <
            // count (the instance's location, in a cell group: the node
            // arrays are there); the condition takes no arguments; it was
            // registered under the ABI contract.
            unsafe { f(view, row, no_args.as_ptr()) }
        }))
    }

    /// Delivery of a condition's event: the condition is no longer queued;
    /// NET_RECEIVE runs with its flag at `tt`.
    pub(super) fn deliver_watch(
        &mut self,
        id: ItemId,
        target: InstanceId,
        flag: f64,
        tt: f64,
    ) -> Result<()> {
        if let Some(w) = self
            .events
            .watches
            .iter_mut()
            .find(|w| w.queued == Some(id))
        {
            w.queued = None;
        }
        if !self.instances.contains(target) {
            return Ok(());
        }
        self.receive_without_weights(target, flag, tt)
    }
}
