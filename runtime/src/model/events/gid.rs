//! Gids: global cell numbers for networks spread over ranks (NEURON's
//! `netpar.cpp` as `ParallelContext` uses it).
//!
//! * `set_gid2node(gid, rank)` on the owning rank: [`Model::gid_register`].
//! * `cell(gid, netcon)`: the NetCon's source becomes the gid's *output*
//!   source; unless `cell` was told otherwise, every spike it sends also
//!   goes to the outbox of the spike exchange ([`Model::take_gid_spikes`]).
//!   The source then lives as long as the gid does, whatever becomes of the
//!   NetCon.
//! * `gid_connect(gid, target)` to a gid of this rank: a NetCon on the
//!   gid's output source itself, exactly as `new NetCon(source, target)`
//!   (NEURON connects directly: its events are queued when the source
//!   fires, in the order of the source's NetCons). It is an error before
//!   `cell` gave the gid its source.
//! * `gid_connect(gid, target)` to a gid this rank does not own: a NetCon
//!   on the gid's *input* source on this rank, which only
//!   [`Model::receive_spikes`] fires. The gid can then no longer be given
//!   to this rank.
//! * `gid_clear()`: the tables are emptied and the sources forget their
//!   gids; those without NetCons go.

use super::super::{Model, ModelError, Result};
use super::{NetConId, NetConSource, Output, PreSynId, PreSynSource};
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
    /// gids `set_gid2node` gave this rank (NEURON's `gid2out_` keys)
    pub owned: BTreeSet<Gid>,
    /// their output sources, once `cell` gave them one
    pub out: HashMap<Gid, PreSynId>,
    /// input sources (`gid_connect` to gids of other ranks; `gid2in_`)
    pub input: HashMap<Gid, PreSynId>,
    /// spikes of output sources not yet exchanged, in the order they happened
    pub outbox: Vec<GidSpike>,
}

impl Model {
    /// `set_gid2node(gid, this rank)`: the gid belongs to this rank. An
    /// error if it has already, or if this rank receives it through
    /// `gid_connect`.
    pub fn gid_register(&mut self, gid: Gid) -> Result<()> {
        let g = &mut self.events.gids;
        if g.input.contains_key(&gid) {
            return Err(ModelError::GidInputPort(gid));
        }
        if !g.owned.insert(gid) {
            return Err(ModelError::GidInUse(gid));
        }
        Ok(())
    }

    /// NEURON's `gid_exists`: 0 if the gid is not on this rank, 1 if it is
    /// but has no source yet, 2 once `cell(gid, nc, 0)` gave it one whose
    /// spikes stay on this rank, 3 once `cell` gave it one whose spikes are
    /// sent.
    pub fn gid_exists(&self, gid: Gid) -> u8 {
        let g = &self.events.gids;
        match g.out.get(&gid).and_then(|&ps| self.events.presyns.get(ps)) {
            Some(p) if p.output == Output::Sent => 3,
            Some(_) => 2,
            None if g.owned.contains(&gid) => 1,
            None => 0,
        }
    }

    /// The gids of this rank whose spikes are sent to the others, in
    /// increasing order.
    pub fn output_gids(&self) -> Vec<Gid> {
        let mut v: Vec<Gid> = self
            .events
            .gids
            .out
            .iter()
            .filter(|(_, &ps)| {
                self.events
                    .presyns
                    .get(ps)
                    .is_some_and(|p| p.output == Output::Sent)
            })
            .map(|(&g, _)| g)
            .collect();
        v.sort_unstable();
        v
    }

    /// `cell(gid, nc [, send])`: the source of NetCon `nc` becomes the
    /// gid's output; its spikes go to the other ranks when `send`. Giving a
    /// gid another source replaces the first one in the table (as NEURON
    /// does); a source can serve only one gid.
    pub fn gid_cell(&mut self, gid: Gid, nc: NetConId, send: bool) -> Result<PreSynId> {
        let g = &self.events.gids;
        if g.input.contains_key(&gid) {
            return Err(ModelError::GidInInputList(gid));
        }
        if !g.owned.contains(&gid) {
            return Err(ModelError::GidNotHere(gid));
        }
        let ps = self.netcon(nc)?.src.ok_or(ModelError::NoSource)?;
        let p = self.presyn_mut(ps)?;
        if let Some(other) = p.gid.filter(|&o| o != gid) {
            return Err(ModelError::GidOtherSource { gid, other });
        }
        p.gid = Some(gid);
        p.output = if send { Output::Sent } else { Output::Local };
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
        self.presyn_source(self.gid_presyn(gid)?)
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

    /// The source a `gid_connect` to `gid` attaches to: the gid's output
    /// source when the gid is this rank's, else its input source (made on
    /// first use).
    fn gid_connect_source(&mut self, gid: Gid) -> Result<PreSynId> {
        let g = &self.events.gids;
        if g.owned.contains(&gid) {
            return g.out.get(&gid).copied().ok_or(ModelError::GidNoCell(gid));
        }
        Ok(match g.input.get(&gid) {
            Some(&ps) => ps,
            None => self.new_presyn(PreSynSource::Input(gid)),
        })
    }

    /// `gid_connect(gid, target)`: a new NetCon (delay 1, weight 0) driven
    /// by the spikes of `gid`: directly by its source when the gid is on
    /// this rank, else by those the exchange brings in.
    pub fn gid_connect(&mut self, gid: Gid, target: InstanceId) -> Result<NetConId> {
        self.instance_info(target)?;
        let ps = self.gid_connect_source(gid)?;
        self.netcon_new_on(ps, Some(target), 1.0, 0.0)
    }

    /// `gid_connect(gid, target, nc)`: NetCon `nc` (which keeps its delay
    /// and weights) is driven by the spikes of `gid` instead of its source.
    pub fn gid_connect_netcon(&mut self, gid: Gid, nc: NetConId) -> Result<()> {
        self.netcon(nc)?;
        let ps = self.gid_connect_source(gid)?;
        self.netcon_replace_src(nc, ps)
    }

    /// The gid of a NetCon's source (`nc.srcgid()`), -1 for none.
    pub fn netcon_srcgid(&self, nc: NetConId) -> Result<Gid> {
        let Some(ps) = self.netcon(nc)?.src else {
            return Ok(-1);
        };
        Ok(self.presyn(ps)?.gid.unwrap_or(-1))
    }

    /// The smallest delay of the NetCons driven by input sources, those
    /// whose gid is on another rank (what NEURON's `set_maxstep` looks
    /// at) [ms]; infinite when there are none.
    pub fn gid_connect_min_delay(&self) -> f64 {
        self.events
            .gids
            .input
            .values()
            .filter_map(|&ps| self.events.presyns.get(ps))
            .flat_map(|p| &p.netcons)
            .filter_map(|&nc| self.events.netcons.get(nc))
            .map(|n| n.delay)
            .fold(f64::INFINITY, f64::min)
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

    /// Forgets every gid (`gid_clear`): the sources forget their gids,
    /// and those that drive no NetCon go (NEURON's `nrnmpi_gid_clear`).
    pub fn gid_clear(&mut self) {
        let g = std::mem::take(&mut self.events.gids);
        self.events.gids.outbox = g.outbox;
        for ps in g.out.into_values().chain(g.input.into_values()) {
            let Some(p) = self.events.presyns.get_mut(ps) else {
                continue;
            };
            p.gid = None;
            p.output = Output::No;
            if p.netcons.is_empty() {
                self.delete_presyn(ps);
            }
        }
    }

    /// A gid's output source `ps` goes (NEURON's `nrn_cleanup_presyn`): a
    /// gid whose spikes were sent is no longer on this rank; one kept here
    /// has no source any more.
    pub(super) fn gid_source_gone(&mut self, gid: Gid, ps: PreSynId, output: Output) {
        let g = &mut self.events.gids;
        if g.out.get(&gid) == Some(&ps) {
            g.out.remove(&gid);
            if output == Output::Sent {
                g.owned.remove(&gid);
            }
        }
    }
}
