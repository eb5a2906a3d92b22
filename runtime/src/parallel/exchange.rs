//! [`SpikeExchange`]: NEURON's spike exchange for the fixed step. Spikes of
//! gid sources are gathered from all ranks every `interval` (at most the
//! smallest `gid_connect` delay, so no spike is due before it arrives),
//! sorted by time then gid, and queued on the input sources of each rank.
//! The exchange happens after a fixed number of steps counted from
//! `finitialize`, the same on every rank; with the sort, the events of the
//! spikes reach each queue in the same order whatever the number of ranks,
//! and results are the same bit for bit.

use super::{Communicator, ReduceOp};
use crate::model::{GidSpike, Model, Result};

/// When spikes are exchanged, and the exchange.
#[derive(Clone, Debug)]
pub struct SpikeExchange {
    /// the last `set_maxstep` argument [ms]
    maxstep: Option<f64>,
    /// the time between exchanges [ms]
    interval: f64,
    /// steps between exchanges
    steps: u64,
    /// steps since the last exchange
    since: u64,
    /// spikes this rank received (all ranks' spikes, its own included)
    received: u64,
}

impl Default for SpikeExchange {
    fn default() -> Self {
        SpikeExchange {
            maxstep: None,
            interval: 0.0,
            steps: 1,
            since: 0,
            received: 0,
        }
    }
}

impl SpikeExchange {
    /// NEURON's `set_maxstep(maxstep)` (a collective): the exchange
    /// interval becomes the smallest `gid_connect` delay over all ranks, at
    /// most `maxstep`, rounded down to whole steps of the model's dt (at
    /// least one). Returns what NEURON returns: the same minimum over the
    /// NetCons whose source gid is on another rank (NEURON connects the
    /// others directly; see the `gid` module of the model).
    pub fn set_maxstep(&mut self, m: &Model, comm: &dyn Communicator, maxstep: f64) -> f64 {
        self.maxstep = Some(maxstep);
        let (all, remote) = m.gid_connect_min_delay();
        let mut v = [all.min(maxstep), remote.min(maxstep)];
        comm.allreduce(&mut v, ReduceOp::Min);
        self.interval = v[0];
        let dt = m.dt();
        self.steps = ((self.interval / dt + 1e-9).floor() as u64).max(1);
        v[1]
    }

    /// The last `set_maxstep` argument, if there was one.
    pub fn maxstep(&self) -> Option<f64> {
        self.maxstep
    }

    /// The time between exchanges [ms].
    pub fn interval(&self) -> f64 {
        self.interval
    }

    /// The steps between exchanges.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// How many spikes this rank has received (its own included).
    pub fn received(&self) -> u64 {
        self.received
    }

    /// After `finitialize`: the step count starts again.
    pub fn init(&mut self) {
        self.since = 0;
    }

    /// After each step (a collective when the exchange is due).
    pub fn after_step(&mut self, m: &mut Model, comm: &dyn Communicator) -> Result<()> {
        self.since += 1;
        if self.since >= self.steps {
            self.since = 0;
            self.exchange(m, comm)?;
        }
        Ok(())
    }

    /// Gathers every rank's spikes and queues their events (a collective).
    pub fn exchange(&mut self, m: &mut Model, comm: &dyn Communicator) -> Result<()> {
        let mine = m.take_gid_spikes();
        let mut all: Vec<GidSpike> = comm.allgather_spikes(&mine);
        all.sort_by(|a, b| a.t.total_cmp(&b.t).then(a.gid.cmp(&b.gid)));
        self.received += all.len() as u64;
        m.receive_spikes(&all)
    }
}
