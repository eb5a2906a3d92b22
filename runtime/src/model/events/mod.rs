//! Events: NetCons, their sources (NEURON's `PreSyn`: a threshold variable or
//! a point process that calls `net_event`), the event queue, threshold
//! detection and delivery to NET_RECEIVE, as NEURON's fixed step does them.
//!
//! * A NetCon connects a source to a target point process (or to nothing, to
//!   record spikes). NetCons with the same source share one [`PreSynId`]: its
//!   threshold, its spike record and its crossing state.
//! * At the start of each step, every threshold source (in creation order)
//!   whose variable rose above its threshold since the last check sends a
//!   spike at `t + 1e-10`, which puts one event per active NetCon on the
//!   queue at spike time + delay (or, when a source has more than two NetCons
//!   all with the same delay, one event for the source that fans out on
//!   delivery: NEURON's `use_min_delay_`); then every armed WATCH
//!   condition that turned true sends a self event at `t`. Then the events
//!   up to `t + dt/2` are delivered; after the step, those up to the new
//!   `t`.
//! * Delivery calls the target type's `net_receive` kernel with the view's `t`
//!   at the event time. Kernels post self events (`net_send`), spikes
//!   (`net_event`) and moves (`net_move`) through the view's `host`; they are
//!   applied right after the kernel returns, in the order posted.
//! * External events (`post_external`) carry a number the host program
//!   understands (Vector.play and record events, HOC callbacks): delivery
//!   stops and returns them to the caller (see [`Model::deliver_events`]).
//!
//! All events go through one queue (NEURON's thread 0 queue), so delivery
//! order does not depend on the number of threads.
//!
//! | module | what |
//! |---|---|
//! | `queue` | the priority queue with NEURON's order for equal times |
//! | `deliver` | threshold checks, delivery, the kernels' host services, the phases of `finitialize` and `fadvance` |
//! | `gid` | gids: spike sources other ranks can see, `gid_connect`, the spikes to exchange |
//! | `watch` | WATCH conditions armed by NET_RECEIVE, checked with the thresholds |
//! | `fornetcons` | the NetCons of a target, whose weights `FOR_NETCONS` walks |

mod deliver;
mod fornetcons;
mod gid;
#[cfg(test)]
mod gid_tests;
#[cfg(test)]
mod netstim_tests;
mod queue;
#[cfg(test)]
pub(crate) mod tests;
mod watch;

pub(crate) use deliver::{host_call, HostOutbox};
pub use deliver::{ContinuousHooks, ExternalEvent, NoHooks};
pub use gid::{Gid, GidSpike};

use super::ids::{InstanceId, Slab};
use super::{Model, ModelError, Result, VarRef};
pub(crate) use queue::{EventQueue, ItemId};
use std::collections::HashMap;
pub(crate) use watch::Watch;

pub(crate) use super::ids::{NetConId, PreSynId};

/// Where a NetCon's events come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetConSource {
    /// no source (`new NetCon(nil, target)`): only `event()` drives it
    None,
    /// a variable checked against the threshold each step (`&v(1)`)
    Var(VarRef),
    /// a point process or artificial cell that calls `net_event`
    Point(InstanceId),
}

/// A spike: its source and time [ms].
pub type Spike = (PreSynId, f64);

/// One NetCon.
#[derive(Clone, Debug)]
pub(crate) struct NetCon {
    pub src: Option<PreSynId>,
    pub target: Option<InstanceId>,
    /// [ms]
    pub delay: f64,
    pub weights: Vec<f64>,
    pub active: bool,
}

/// What a source watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PreSynSource {
    Var(VarRef),
    Point(InstanceId),
    /// the shared source of NetCons without one
    Unused,
    /// spikes of a gid received by the spike exchange (NEURON's input
    /// `PreSyn` of `gid_connect`)
    Input(i64),
}

/// NEURON's `PreSyn`: a spike source and the NetCons it drives.
#[derive(Clone, Debug)]
pub(crate) struct PreSyn {
    pub source: PreSynSource,
    /// [mV or the variable's unit]
    pub threshold: f64,
    /// above threshold at the last check
    pub above: bool,
    /// NEURON's `dil_`: its NetCons in the order they were attached
    pub netcons: Vec<NetConId>,
    /// one queue event per spike, fanned out on delivery
    pub use_min_delay: bool,
    /// the common delay when `use_min_delay`
    pub delay: f64,
    /// spikes are logged for [`Model::take_spikes`]
    pub record: bool,
    /// NEURON's `gid_`: the gid of an output source (`pc.cell`) or of an
    /// input source (`gid_connect` to a gid of another rank)
    pub gid: Option<i64>,
    /// NEURON's `output_index_`: whether it is a gid's output
    pub output: Output,
}

/// Whether a source is the output of a gid (NEURON's `output_index_`: -1,
/// -2, or the gid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    /// not a gid's output
    No,
    /// `pc.cell(gid, nc, 0)`: the gid's source on this rank (`gid_connect`
    /// here attaches to it), whose spikes are not sent to other ranks
    Local,
    /// `pc.cell(gid, nc)`: its spikes also go to the spike exchange
    Sent,
}

/// What sits on the queue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Event {
    NetCon(NetConId),
    PreSyn(PreSynId),
    ToSelf {
        target: InstanceId,
        flag: f64,
        /// whose weights NET_RECEIVE sees (the NetCon that caused it)
        weights: Option<NetConId>,
    },
    External(u64),
    /// a WATCH condition of `target` turned true
    Watch {
        target: InstanceId,
        flag: f64,
    },
}

/// The events state of a model.
#[derive(Debug, Default)]
pub(crate) struct Events {
    pub netcons: Slab<NetConId, NetCon>,
    /// NetCons in creation order (NET_RECEIVE INITIAL runs in this order)
    pub netcon_order: Vec<NetConId>,
    pub presyns: Slab<PreSynId, PreSyn>,
    /// sources in creation order (thresholds are checked in this order)
    pub presyn_order: Vec<PreSynId>,
    pub by_var: HashMap<VarRef, PreSynId>,
    pub by_point: HashMap<InstanceId, PreSynId>,
    pub unused: Option<PreSynId>,
    pub queue: EventQueue<Event>,
    /// the last flag-1 self event of each instance (for `net_move`)
    pub movable: HashMap<InstanceId, ItemId>,
    /// spikes of recording sources since the last `take_spikes`
    pub spikes: Vec<Spike>,
    /// the gids of this rank and their sources (`ParallelContext`)
    pub gids: gid::Gids,
    /// changes whenever a source is created or removed
    pub presyn_gen: u64,
    /// where each threshold source's value is, for the per-step check
    /// (valid for the `(groups_gen, presyn_gen)` it was built for)
    pub threshold_cache: ThresholdCache,
    /// the armed WATCH conditions, in the order armed
    pub watches: Vec<watch::Watch>,
    /// the NetCons of each target in `FOR_NETCONS` order (made when needed,
    /// dropped when a NetCon changes)
    pub fornetcons: Option<HashMap<InstanceId, Vec<NetConId>>>,
}

/// The per-step threshold check's list of variable sources and where their
/// values are in the cell groups.
#[derive(Debug, Default)]
pub(crate) struct ThresholdCache {
    pub key: Option<(u64, u64)>,
    pub sources: Vec<(PreSynId, ValueAt)>,
}

/// Where a source variable's value is.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ValueAt {
    /// `v` of row `row` of group `block`
    V { block: u32, row: u32 },
    /// element `index` of mechanism type `mech`'s data in group `block`
    Data { block: u32, mech: u32, index: u32 },
    /// anywhere else: read through [`Model::get`]
    Other(VarRef),
}

/// NEURON's default threshold of a new source [mV].
const DEFAULT_THRESHOLD: f64 = 10.0;

impl Model {
    fn netcon(&self, nc: NetConId) -> Result<&NetCon> {
        self.events.netcons.get(nc).ok_or(ModelError::DeletedNetCon)
    }

    fn netcon_mut(&mut self, nc: NetConId) -> Result<&mut NetCon> {
        self.events
            .netcons
            .get_mut(nc)
            .ok_or(ModelError::DeletedNetCon)
    }

    pub(crate) fn presyn(&self, ps: PreSynId) -> Result<&PreSyn> {
        self.events.presyns.get(ps).ok_or(ModelError::DeletedNetCon)
    }

    fn presyn_mut(&mut self, ps: PreSynId) -> Result<&mut PreSyn> {
        self.events
            .presyns
            .get_mut(ps)
            .ok_or(ModelError::DeletedNetCon)
    }

    fn new_presyn(&mut self, source: PreSynSource) -> PreSynId {
        let id = self.events.presyns.insert(PreSyn {
            source,
            threshold: DEFAULT_THRESHOLD,
            above: false,
            netcons: Vec::new(),
            use_min_delay: false,
            delay: 1.0,
            record: false,
            gid: match source {
                PreSynSource::Input(g) => Some(g),
                _ => None,
            },
            output: Output::No,
        });
        self.events.presyn_order.push(id);
        self.events.presyn_gen += 1;
        match source {
            PreSynSource::Var(r) => {
                self.events.by_var.insert(r, id);
            }
            PreSynSource::Point(i) => {
                self.events.by_point.insert(i, id);
            }
            PreSynSource::Unused => self.events.unused = Some(id),
            PreSynSource::Input(g) => {
                self.events.gids.input.insert(g, id);
            }
        }
        id
    }

    /// The source of a variable or a point process, made on first use.
    fn presyn_for(&mut self, src: NetConSource) -> Option<PreSynId> {
        let found = match src {
            NetConSource::Var(r) => self.events.by_var.get(&r).copied(),
            NetConSource::Point(i) => self.events.by_point.get(&i).copied(),
            NetConSource::None => self.events.unused,
        };
        Some(found.unwrap_or_else(|| {
            self.new_presyn(match src {
                NetConSource::Var(r) => PreSynSource::Var(r),
                NetConSource::Point(i) => PreSynSource::Point(i),
                NetConSource::None => PreSynSource::Unused,
            })
        }))
    }

    /// `new NetCon(source, target, threshold, delay, weight)`: weights sized
    /// by the target type's NET_RECEIVE arguments (1 with no target);
    /// `threshold` sets the source's threshold when given (a new source's
    /// is 10). A source-less NetCon without a target has no source at all.
    pub fn netcon_new(
        &mut self,
        src: NetConSource,
        target: Option<InstanceId>,
        threshold: Option<f64>,
        delay: f64,
        weight: f64,
    ) -> Result<NetConId> {
        let wcount = self.weight_count(target)?;
        if let NetConSource::Point(i) = src {
            self.instance_info(i)?;
        }
        let ps = if src == NetConSource::None && target.is_none() {
            None
        } else {
            self.presyn_for(src)
        };
        if let (Some(ps), Some(th), NetConSource::Var(_) | NetConSource::Point(_)) =
            (ps, threshold, src)
        {
            self.presyn_mut(ps)?.threshold = th;
        }
        self.insert_netcon(ps, target, delay, weight, wcount)
    }

    /// A new NetCon on source `ps` (weights sized by the target type's
    /// NET_RECEIVE arguments, 1 with no target).
    pub(crate) fn netcon_new_on(
        &mut self,
        ps: PreSynId,
        target: Option<InstanceId>,
        delay: f64,
        weight: f64,
    ) -> Result<NetConId> {
        let wcount = self.weight_count(target)?;
        self.insert_netcon(Some(ps), target, delay, weight, wcount)
    }

    /// How many weights a NetCon onto `target` has: the target type's
    /// NET_RECEIVE arguments (an error without NET_RECEIVE), 1 with no
    /// target.
    fn weight_count(&self, target: Option<InstanceId>) -> Result<usize> {
        Ok(match target {
            Some(i) => {
                let t = self.instance_info(i)?.mech;
                let spec = self.mechanism_spec(t)?;
                if spec.kernels.net_receive.is_none() {
                    return Err(ModelError::NoNetReceive(spec.name.clone()));
                }
                spec.weights
            }
            None => 1,
        })
    }

    /// Stores a new NetCon (first weight `weight`, the others 0) and
    /// appends it to its source's list.
    fn insert_netcon(
        &mut self,
        src: Option<PreSynId>,
        target: Option<InstanceId>,
        delay: f64,
        weight: f64,
        wcount: usize,
    ) -> Result<NetConId> {
        let mut weights = vec![0.0; wcount];
        if let Some(w) = weights.first_mut() {
            *w = weight;
        }
        self.netcons_changed();
        let id = self.events.netcons.insert(NetCon {
            src,
            target,
            delay,
            weights,
            active: target.is_some(),
        });
        self.events.netcon_order.push(id);
        if let Some(ps) = src {
            let p = self.presyn_mut(ps)?;
            p.netcons.push(id);
            p.use_min_delay = false;
        }
        Ok(id)
    }

    /// Deletes a NetCon; its source goes too when nothing else uses it.
    pub fn netcon_delete(&mut self, nc: NetConId) -> Result<()> {
        let n = self
            .events
            .netcons
            .remove(nc)
            .ok_or(ModelError::DeletedNetCon)?;
        self.events.netcon_order.retain(|&x| x != nc);
        self.netcons_changed();
        if let Some(ps) = n.src {
            self.leave_presyn(nc, ps)?;
        }
        Ok(())
    }

    /// NetCon `nc` leaves the list of source `ps` (NEURON's
    /// `NetCon::rmsrc`); the source goes when nothing else uses it.
    fn leave_presyn(&mut self, nc: NetConId, ps: PreSynId) -> Result<()> {
        let p = self.presyn_mut(ps)?;
        p.netcons.retain(|&x| x != nc);
        if p.netcons.is_empty() && !p.record && p.output == Output::No {
            self.delete_presyn(ps);
        }
        Ok(())
    }

    /// NetCon `nc` moves to the end of source `ps`'s list (NEURON's
    /// `NetCon::replace_src`); its old source goes when nothing else uses
    /// it.
    pub(crate) fn netcon_replace_src(&mut self, nc: NetConId, ps: PreSynId) -> Result<()> {
        self.presyn(ps)?;
        self.netcons_changed();
        match self.netcon(nc)?.src {
            Some(old) if old == ps => self.presyn_mut(ps)?.netcons.retain(|&x| x != nc),
            Some(old) => self.leave_presyn(nc, old)?,
            None => {}
        }
        self.netcon_mut(nc)?.src = Some(ps);
        let p = self.presyn_mut(ps)?;
        p.netcons.push(nc);
        p.use_min_delay = false;
        Ok(())
    }

    /// A point process goes (NEURON's `nrn_cleanup_presyn` and the NetCon
    /// target cleanup): NetCons that targeted it lose their target and are
    /// inactive; its spike source goes, and the NetCons it drove lose their
    /// source.
    pub(crate) fn detach_point(&mut self, i: InstanceId) {
        self.netcons_changed();
        for nc in self.events.netcon_order.clone() {
            if let Some(n) = self.events.netcons.get_mut(nc) {
                if n.target == Some(i) {
                    n.target = None;
                    n.active = false;
                }
            }
        }
        if let Some(ps) = self.events.by_point.get(&i).copied() {
            let list = self
                .events
                .presyns
                .get(ps)
                .map(|p| p.netcons.clone())
                .unwrap_or_default();
            for nc in list {
                if let Some(n) = self.events.netcons.get_mut(nc) {
                    n.src = None;
                }
            }
            self.delete_presyn(ps);
        }
        self.events.movable.remove(&i);
        self.disarm_watches(i);
    }

    fn delete_presyn(&mut self, ps: PreSynId) {
        self.netcons_changed();
        if let Some(p) = self.events.presyns.remove(ps) {
            match p.source {
                PreSynSource::Var(r) => {
                    self.events.by_var.remove(&r);
                }
                PreSynSource::Point(i) => {
                    self.events.by_point.remove(&i);
                }
                PreSynSource::Unused => self.events.unused = None,
                PreSynSource::Input(g) => {
                    if self.events.gids.input.get(&g) == Some(&ps) {
                        self.events.gids.input.remove(&g);
                    }
                }
            }
            if let (Some(g), true) = (p.gid, p.output != Output::No) {
                self.gid_source_gone(g, ps, p.output);
            }
            self.events.presyn_order.retain(|&x| x != ps);
            self.events.presyn_gen += 1;
        }
    }

    /// Whether a NetCon still exists.
    pub fn netcon_exists(&self, nc: NetConId) -> bool {
        self.events.netcons.contains(nc)
    }

    /// The source of a NetCon (`None` for a NetCon with neither source nor
    /// target).
    pub fn netcon_presyn(&self, nc: NetConId) -> Result<Option<PreSynId>> {
        Ok(self.netcon(nc)?.src)
    }

    /// What a NetCon's source watches (`None`: no source).
    pub fn netcon_source(&self, nc: NetConId) -> Result<NetConSource> {
        match self.netcon(nc)?.src {
            None => Ok(NetConSource::None),
            Some(ps) => self.presyn_source(ps),
        }
    }

    /// What a source watches (`None` for the input source of a gid of
    /// another rank, or the shared source of NetCons without one).
    pub(crate) fn presyn_source(&self, ps: PreSynId) -> Result<NetConSource> {
        Ok(match self.presyn(ps)?.source {
            PreSynSource::Var(r) => NetConSource::Var(r),
            PreSynSource::Point(i) => NetConSource::Point(i),
            PreSynSource::Unused | PreSynSource::Input(_) => NetConSource::None,
        })
    }

    /// The target of a NetCon.
    pub fn netcon_target(&self, nc: NetConId) -> Result<Option<InstanceId>> {
        Ok(self.netcon(nc)?.target)
    }

    /// The threshold of a NetCon's source.
    pub fn netcon_threshold(&self, nc: NetConId) -> Result<f64> {
        let ps = self.netcon(nc)?.src.ok_or(ModelError::NoSource)?;
        Ok(self.presyn(ps)?.threshold)
    }

    /// Sets the threshold of a NetCon's source (shared by its NetCons).
    pub fn set_netcon_threshold(&mut self, nc: NetConId, x: f64) -> Result<()> {
        let ps = self.netcon(nc)?.src.ok_or(ModelError::NoSource)?;
        self.presyn_mut(ps)?.threshold = x;
        Ok(())
    }

    /// The delay [ms].
    pub fn netcon_delay(&self, nc: NetConId) -> Result<f64> {
        let n = self.netcon(nc)?;
        n.src.ok_or(ModelError::NoSource)?;
        Ok(n.delay)
    }

    /// Sets the delay [ms].
    pub fn set_netcon_delay(&mut self, nc: NetConId, x: f64) -> Result<()> {
        let ps = self.netcon(nc)?.src.ok_or(ModelError::NoSource)?;
        self.netcon_mut(nc)?.delay = x;
        self.presyn_mut(ps)?.use_min_delay = false;
        Ok(())
    }

    /// The weight vector.
    pub fn netcon_weights(&self, nc: NetConId) -> Result<&[f64]> {
        Ok(&self.netcon(nc)?.weights)
    }

    /// The weight vector, writable.
    pub fn netcon_weights_mut(&mut self, nc: NetConId) -> Result<&mut [f64]> {
        Ok(&mut self.netcon_mut(nc)?.weights)
    }

    /// Whether events are sent through the NetCon.
    pub fn netcon_active(&self, nc: NetConId) -> Result<bool> {
        Ok(self.netcon(nc)?.active)
    }

    /// `nc.active(b)`: only a NetCon with a target can be activated; returns
    /// the previous state.
    pub fn set_netcon_active(&mut self, nc: NetConId, active: bool) -> Result<bool> {
        let n = self.netcon_mut(nc)?;
        let old = n.active;
        if n.target.is_some() {
            n.active = active;
        }
        Ok(old)
    }

    /// `nc.event(t)`: queues delivery through this NetCon at `t`; with a
    /// flag, a self event to the (artificial cell) target. Returns whether
    /// the NetCon is active (nothing is queued when it is not).
    pub fn netcon_event(&mut self, nc: NetConId, t: f64, flag: Option<f64>) -> Result<bool> {
        let n = self.netcon(nc)?;
        if !n.active {
            return Ok(false);
        }
        let target = n.target.ok_or(ModelError::NoTarget)?;
        match flag {
            None => {
                self.events.queue.insert(t, Event::NetCon(nc));
            }
            Some(flag) => {
                let mech = self.instance_info(target)?.mech;
                let spec = self.mechanism_spec(mech)?;
                if spec.kind != crate::mechanism::MechanismKind::Artificial {
                    return Err(ModelError::SelfEventToNonArtificial);
                }
                self.net_send(target, t, flag, Some(nc));
            }
        }
        Ok(true)
    }

    /// Logs the spikes of a NetCon's source for [`Model::take_spikes`] (the
    /// source survives while it records).
    pub fn set_netcon_record(&mut self, nc: NetConId, record: bool) -> Result<PreSynId> {
        let ps = self.netcon(nc)?.src.ok_or(ModelError::NoSource)?;
        self.presyn_mut(ps)?.record = record;
        Ok(ps)
    }

    /// Spikes of recording sources since the last call, in the order they
    /// happened.
    pub fn take_spikes(&mut self) -> Vec<Spike> {
        std::mem::take(&mut self.events.spikes)
    }

    /// Queues an external event: [`Model::deliver_events`] returns `key` at
    /// time `t`. The id can move or cancel it.
    pub fn post_external(&mut self, t: f64, key: u64) -> EventId {
        EventId(self.events.queue.insert(t, Event::External(key)))
    }

    /// Cancels a queued event; false if it was delivered or removed already.
    pub fn cancel_event(&mut self, e: EventId) -> bool {
        self.events.queue.remove(e.0).is_some()
    }

    /// The time of a queued event.
    pub fn event_time(&self, e: EventId) -> Option<f64> {
        self.events.queue.time_of(e.0)
    }

    /// The times of the queued events, in delivery order.
    pub fn queued_event_times(&self) -> Vec<f64> {
        self.events.queue.items().iter().map(|i| i.0).collect()
    }

    /// Number of events waiting.
    pub fn pending_events(&self) -> usize {
        self.events.queue.len()
    }

    /// The NetCons, in creation order.
    pub fn netcons(&self) -> &[NetConId] {
        &self.events.netcon_order
    }
}

/// A queued event, to cancel it (see [`Model::post_external`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventId(ItemId);
