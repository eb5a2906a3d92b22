//! Gids: global cell numbers for networks spread over ranks (NEURON's
//! `netpar.cpp` as `ParallelContext` uses it).
//!
//! * `set_gid2node(gid, rank)` on the owning rank: [`Model::gid_register`].
//! * `cell(gid, netcon)`: the NetCon's source becomes the gid's *output*
//!   source; every spike it sends also goes to the outbox of the spike
//!   exchange ([`Model::take_gid_spikes`]). The source then lives as long as
//!   the gid does, whatever becomes of the NetCon.
//! * `gid_connect(gid, target)`: a NetCon whose source is the gid's *input*
//!   source on this rank, which only [`Model::receive_spikes`] fires.
//! * `gid_clear()`: the tables are emptied; the sources stay with their
//!   NetCons (an input source then never fires).
//!
//! Unlike NEURON, a `gid_connect` to a gid of the same rank also goes
//! through the exchange (NEURON attaches it to the output source directly):
//! the events of a spike are then queued at the same moment in the same
//! order whatever the number of ranks, so results are the same bit for bit
//! on one rank or many. Delivery times are unchanged, since the exchange
//! interval is at most the smallest `gid_connect` delay.

use super::super::{Model, ModelError, Result};
use super::{NetConId, NetConSource, PreSynId, PreSynSource};
use crate::model::InstanceId;
use std::collections::{BTreeSet, HashMap};

/// A global cell number.
pub type Gid = i64;

/// A spike of a gid: its source and time [ms].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GidSpike {
    /// the source's gid
    pub gid: Gid,
    /// the spike time [ms]
    pub t: f64,
}

/// The gid tables of one rank.
#[derive(Debug, Default)]
pub(crate) struct Gids {
    /// gids `set_gid2node` gave this rank
    pub owned: BTreeSet<Gid>,
    /// output sources (`cell`)
    pub out: HashMap<Gid, PreSynId>,
    /// input sources (`gid_connect`)
    pub input: HashMap<Gid, PreSynId>,
    /// spikes of output sources not yet exchanged, in the order they happened
    pub outbox: Vec<GidSpike>,
}

impl Model {
    /// `set_gid2node(gid, this rank)`: the gid belongs to this rank.
    pub fn gid_register(&mut self, gid: Gid) {
        self.events.gids.owned.insert(gid);
    }

    /// NEURON's `gid_exists`: 0 if the gid is not on this rank, 1 if it is
    /// but has no source yet, 3 once `cell` gave it one.
    pub fn gid_exists(&self, gid: Gid) -> u8 {
        if self.events.gids.out.contains_key(&gid) {
            3
        } else if self.events.gids.owned.contains(&gid) {
            1
        } else {
            0
        }
    }

    /// The gids of this rank that have a source, in increasing order.
    pub fn output_gids(&self) -> Vec<Gid> {
        let mut v: Vec<Gid> = self.events.gids.out.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// `cell(gid, nc)`: the source of NetCon `nc` becomes the gid's output.
    pub fn gid_cell(&mut self, gid: Gid, nc: NetConId) -> Result<PreSynId> {
        if !self.events.gids.owned.contains(&gid) {
            return Err(ModelError::GidNotHere(gid));
        }
        if self.events.gids.out.contains_key(&gid) {
            return Err(ModelError::GidInUse(gid));
        }
        let ps = self.netcon(nc)?.src.ok_or(ModelError::NoSource)?;
        let p = self.presyn_mut(ps)?;
        if matches!(p.source, PreSynSource::Unused | PreSynSource::Input(_)) || p.gid.is_some() {
            return Err(ModelError::GidBadSource(gid));
        }
        p.gid = Some(gid);
        self.events.gids.out.insert(gid, ps);
        Ok(ps)
    }

    /// The output source of a gid of this rank.
    pub fn gid_presyn(&self, gid: Gid) -> Result<PreSynId> {
        self.events
            .gids
            .out
            .get(&gid)
            .copied()
            .ok_or(ModelError::GidNoSource(gid))
    }

    /// What the output source of a gid watches.
    pub fn gid_source(&self, gid: Gid) -> Result<NetConSource> {
        let ps = self.gid_presyn(gid)?;
        Ok(match self.presyn(ps)?.source {
            PreSynSource::Var(r) => NetConSource::Var(r),
            PreSynSource::Point(i) => NetConSource::Point(i),
            PreSynSource::Unused | PreSynSource::Input(_) => NetConSource::None,
        })
    }

    /// The threshold of a gid's output source.
    pub fn gid_threshold(&self, gid: Gid) -> Result<f64> {
        Ok(self.presyn(self.gid_presyn(gid)?)?.threshold)
    }

    /// Sets the threshold of a gid's output source.
    pub fn set_gid_threshold(&mut self, gid: Gid, th: f64) -> Result<()> {
        let ps = self.gid_presyn(gid)?;
        self.presyn_mut(ps)?.threshold = th;
        Ok(())
    }

    /// Logs the spikes of a gid's output source for [`Model::take_spikes`].
    pub fn set_gid_record(&mut self, gid: Gid, record: bool) -> Result<PreSynId> {
        let ps = self.gid_presyn(gid)?;
        self.presyn_mut(ps)?.record = record;
        Ok(ps)
    }

    /// `gid_connect(gid, target)`: a new NetCon (delay 1, weight 0) driven
    /// by the spikes of `gid` that the exchange brings in.
    pub fn gid_connect(&mut self, gid: Gid, target: Option<InstanceId>) -> Result<NetConId> {
        let ps = match self.events.gids.input.get(&gid) {
            Some(&ps) => ps,
            None => self.new_presyn(PreSynSource::Input(gid)),
        };
        self.netcon_new_on(ps, target, 1.0, 0.0)
    }

    /// The gid of a NetCon's source (`nc.srcgid()`), -1 for none.
    pub fn netcon_srcgid(&self, nc: NetConId) -> Result<Gid> {
        let Some(ps) = self.netcon(nc)?.src else {
            return Ok(-1);
        };
        let p = self.presyn(ps)?;
        Ok(match (p.source, p.gid) {
            (PreSynSource::Input(g), _) => g,
            (_, Some(g)) => g,
            _ => -1,
        })
    }

    /// The smallest delay of the `gid_connect` NetCons [ms]: over all of
    /// them, and over those whose gid has no source on this rank (what
    /// NEURON's `set_maxstep` looks at); infinite when there are none.
    pub fn gid_connect_min_delay(&self) -> (f64, f64) {
        let (mut all, mut remote) = (f64::INFINITY, f64::INFINITY);
        for (g, &ps) in &self.events.gids.input {
            let Some(p) = self.events.presyns.get(ps) else {
                continue;
            };
            for &nc in &p.netcons {
                if let Some(n) = self.events.netcons.get(nc) {
                    all = all.min(n.delay);
                    if !self.events.gids.out.contains_key(g) {
                        remote = remote.min(n.delay);
                    }
                }
            }
        }
        (all, remote)
    }

    /// The spikes of output sources since the last call, in the order they
    /// happened (what this rank sends to the others).
    pub fn take_gid_spikes(&mut self) -> Vec<GidSpike> {
        std::mem::take(&mut self.events.gids.outbox)
    }

    /// Spikes from the exchange: each one with an input source on this rank
    /// queues the events of its NetCons (spike time + delay), in the order
    /// given.
    pub fn receive_spikes(&mut self, spikes: &[GidSpike]) -> Result<()> {
        for s in spikes {
            if let Some(&ps) = self.events.gids.input.get(&s.gid) {
                self.presyn_send(ps, s.t)?;
            }
        }
        Ok(())
    }

    /// Forgets every gid (`gid_clear`): output sources become ordinary ones,
    /// input sources stay with their NetCons but receive nothing.
    pub fn gid_clear(&mut self) {
        let g = std::mem::take(&mut self.events.gids);
        for ps in g.out.into_values() {
            if let Some(p) = self.events.presyns.get_mut(ps) {
                p.gid = None;
            }
        }
        drop(g.input);
    }
}
