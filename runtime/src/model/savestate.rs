//! NEURON's `SaveState`: a snapshot of what a simulation continues from, to
//! put back later (bit-identical continuation), as NEURON 9.0.2 takes it:
//!
//! * t, v of every node;
//! * the STATEs of every mechanism instance, and also its ASSIGNED
//!   variables when its type has a NET_RECEIVE block (they often hold logic
//!   state such as the last event time); PARAMETERs are not saved;
//! * the ions' reversal potentials and concentrations;
//! * the event queue (self events, NetCon events, and the host program's
//!   external events, by their keys) with each source's threshold state,
//!   the armed WATCH conditions, and every NetCon's weight vector.
//!
//! The instances' random streams are not saved (NEURON 9.0.2 leaves a
//! NetStim's `ranvar` where it is on restore). Between save and restore
//! the structure must stay: a restore into a model whose nodes or instances
//! differ is refused.

use super::events::{Event, EventQueue, ItemId, Watch};
use super::ids::{InstanceId, NetConId, NodeId, PreSynId};
use super::store::LOOSE;
use super::{Model, ModelError, Result};
use crate::mechanism::{ion, FieldKind, MechanismKind};
use std::collections::HashMap;

/// The saved values of one mechanism type in one block.
#[derive(Clone, Debug)]
struct MechState {
    ids: Vec<InstanceId>,
    /// the saved slots
    slots: Vec<usize>,
    /// slot-major: slot `slots[k]` of row `i` at `values[k * ids.len() + i]`
    values: Vec<f64>,
}

/// The saved values of one block (a cell group or the loose block).
#[derive(Clone, Debug)]
struct BlockState {
    nodes: Vec<NodeId>,
    v: Vec<f64>,
    mechs: Vec<MechState>,
}

/// A snapshot taken by [`Model::save_state`].
#[derive(Clone, Debug)]
pub struct SavedState {
    t: f64,
    blocks: Vec<BlockState>,
    queue: EventQueue<Event>,
    movable: HashMap<InstanceId, ItemId>,
    /// the armed WATCH conditions (their events are in `queue`)
    watches: Vec<Watch>,
    above: Vec<(PreSynId, bool)>,
    weights: Vec<(NetConId, Vec<f64>)>,
}

impl SavedState {
    /// The saved time [ms].
    pub fn t(&self) -> f64 {
        self.t
    }
}

impl Model {
    /// The slots SaveState keeps for type `t`.
    fn saved_slots(&self, t: usize) -> Vec<usize> {
        let spec = &self.mech_types[t].spec;
        if spec.kind == MechanismKind::Ion {
            return vec![ion::EREV, ion::CONC_IN, ion::CONC_OUT];
        }
        let assigned = spec.kernels.net_receive.is_some();
        let mut slots = Vec::new();
        let mut slot = 0;
        for f in &spec.fields {
            let keep = match f.kind {
                FieldKind::State => true,
                FieldKind::Assigned => assigned,
                FieldKind::Parameter => false,
            };
            if keep {
                slots.extend(slot..slot + f.size);
            }
            slot += f.size;
        }
        slots
    }

    fn block_count(&self) -> usize {
        self.groups.len() + 1
    }

    fn block_index(&self, b: usize) -> u32 {
        if b < self.groups.len() {
            b as u32
        } else {
            LOOSE
        }
    }

    /// `SaveState.save()`: a snapshot of t, v, states, the event queue and
    /// the NetCon weights.
    pub fn save_state(&mut self) -> Result<SavedState> {
        self.verify_structure()?;
        let mut blocks = Vec::with_capacity(self.block_count());
        for b in 0..self.block_count() {
            let slots: Vec<Vec<usize>> = (0..self.mech_types.len())
                .map(|t| self.saved_slots(t))
                .collect();
            let g = self.block(self.block_index(b));
            let mechs = g
                .mechs
                .iter()
                .zip(slots)
                .map(|(mb, slots)| {
                    let mut values = Vec::with_capacity(slots.len() * mb.count);
                    for &k in &slots {
                        values.extend((0..mb.count).map(|i| mb.get(i, k)));
                    }
                    MechState {
                        ids: mb.ids.clone(),
                        slots,
                        values,
                    }
                })
                .collect();
            blocks.push(BlockState {
                nodes: g.nodes.ids.clone(),
                v: g.nodes.v.clone(),
                mechs,
            });
        }
        let ev = &self.events;
        Ok(SavedState {
            t: self.t,
            blocks,
            queue: ev.queue.clone(),
            movable: ev.movable.clone(),
            watches: ev.watches.clone(),
            above: ev
                .presyn_order
                .iter()
                .filter_map(|&p| Some((p, ev.presyns.get(p)?.above)))
                .collect(),
            weights: ev
                .netcon_order
                .iter()
                .filter_map(|&n| Some((n, ev.netcons.get(n)?.weights.clone())))
                .collect(),
        })
    }

    /// `SaveState.restore([1])`: puts a snapshot back. With `events`, the
    /// queue is replaced by the saved one; without, it is left alone
    /// (`restore(1)`). Refused if the nodes or instances differ from the
    /// saved ones.
    pub fn restore_state(&mut self, s: &SavedState, events: bool) -> Result<()> {
        self.verify_structure()?;
        if s.blocks.len() != self.block_count() {
            return Err(ModelError::SaveStateMismatch);
        }
        for (b, bs) in s.blocks.iter().enumerate() {
            let g = self.block(self.block_index(b));
            let same = g.nodes.ids == bs.nodes
                && g.mechs.len() == bs.mechs.len()
                && g.mechs
                    .iter()
                    .zip(&bs.mechs)
                    .all(|(mb, ms)| mb.ids == ms.ids);
            if !same {
                return Err(ModelError::SaveStateMismatch);
            }
        }
        for (b, bs) in s.blocks.iter().enumerate() {
            let bi = self.block_index(b);
            let g = self.block_mut(bi);
            g.nodes.v.copy_from_slice(&bs.v);
            for (mb, ms) in g.mechs.iter_mut().zip(&bs.mechs) {
                let n = ms.ids.len();
                for (k, &slot) in ms.slots.iter().enumerate() {
                    for i in 0..n {
                        mb.set(i, slot, ms.values[k * n + i]);
                    }
                }
            }
        }
        self.t = s.t;
        self.dt2groups(true);
        for (nc, w) in &s.weights {
            if let Some(n) = self.events.netcons.get_mut(*nc) {
                if n.weights.len() == w.len() {
                    n.weights.clone_from(w);
                }
            }
        }
        for &(ps, above) in &s.above {
            if let Some(p) = self.events.presyns.get_mut(ps) {
                p.above = above;
            }
        }
        if events {
            self.events.queue = s.queue.clone();
            self.events.movable = s.movable.clone();
            self.events.watches = s.watches.clone();
        }
        Ok(())
    }
}
