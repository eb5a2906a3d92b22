//! [`SpikeExchange`]: NEURON's spike exchange for the fixed step
//! (`netpar.cpp`: `NetParEvent`, `nrn_spike_exchange`).
//!
//! Spikes of gids whose targets are on the same rank never travel: those
//! NetCons hang on the gid's own source (see the `gid` module of the
//! model). The spikes of gids are exchanged between ranks every
//! *min-delay*, the smallest delay of the NetCons driven from other ranks
//! (at most the `set_maxstep` argument), so no spike is due before it
//! arrives. As in NEURON, the exchange is an event on the queue (NEURON's
//! `NetParEvent`): queued by `finitialize` at t + min-delay, delivered
//! after every other event of its time, it gathers every rank's spikes,
//! queues the events of those this rank receives, and queues itself again
//! min-delay later. Being on the queue, it takes part in the order of
//! equal-time events (see the `queue` module of the model) just as
//! NEURON's does. Received spikes are handled in NEURON's order: rank by
//! rank, each rank's in the order they happened.
//!
//! The exchange runs only where NEURON's does (its `active_`): under a
//! communicator of several processes (MPI, or a dry run) once
//! `set_maxstep` was called. A process that is the only rank ([`Local`])
//! has no exchange event, as `nrniv` without `-mpi` has none.
//!
//! [`Local`]: super::Local

use super::{Communicator, ReduceOp};
use crate::model::{Model, ModelError, NoHooks, Result};

/// When spikes are exchanged, and the exchange.
#[derive(Clone, Debug, Default)]
pub struct SpikeExchange {
    /// the last `set_maxstep` argument [ms]
    maxstep: Option<f64>,
    /// the time between exchanges (NEURON's `mindelay_`) [ms]
    interval: f64,
    /// spikes this rank received (all ranks' spikes, its own included)
    received: u64,
}

/// The key of the exchange's event in [`SpikeExchange::finitialize`] and
/// [`SpikeExchange::fadvance`].
const EXCHANGE_KEY: u64 = u64::MAX;

impl SpikeExchange {
    /// NEURON's `set_maxstep(maxstep)` (a collective): the min-delay
    /// becomes the smallest delay over all ranks of the NetCons whose
    /// source gid is on another rank, at most `maxstep`. Returns what
    /// NEURON returns: the same minimum over this rank's NetCons only.
    pub fn set_maxstep(&mut self, m: &Model, comm: &dyn Communicator, maxstep: f64) -> f64 {
        self.maxstep = Some(maxstep);
        let local = m.gid_connect_min_delay().min(maxstep);
        let mut v = [local];
        comm.allreduce(&mut v, ReduceOp::Min);
        self.interval = v[0];
        local
    }

    /// The last `set_maxstep` argument, if there was one.
    pub fn maxstep(&self) -> Option<f64> {
        self.maxstep
    }

    /// The time between exchanges (the min-delay) [ms].
    pub fn interval(&self) -> f64 {
        self.interval
    }

    /// How many spikes this rank has received (its own included).
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Whether spikes travel between ranks (NEURON's `active_`).
    pub fn active(&self, comm: &dyn Communicator) -> bool {
        comm.distributed() && self.maxstep.is_some()
    }

    /// `finitialize`, right after the queue is emptied (NEURON's
    /// `nrn_spike_exchange_init`; a collective when active): the min-delay
    /// is computed again with the last `set_maxstep` argument, and the
    /// time of the first exchange event is returned, for the caller to
    /// queue (`None` when the exchange is not active). A min-delay below
    /// dt is an error on rank 0; the other ranks then have no exchange.
    pub fn init(&mut self, m: &Model, comm: &dyn Communicator) -> Result<Option<f64>> {
        let Some(maxstep) = self.maxstep.filter(|_| self.active(comm)) else {
            return Ok(None);
        };
        self.set_maxstep(m, comm, maxstep);
        let md = self.interval;
        if md < 1e-9 || md < m.dt() {
            if comm.rank() == 0 {
                return Err(ModelError::MinDelayTooSmall(md));
            }
            return Ok(None);
        }
        Ok(Some(m.t() + md))
    }

    /// The exchange event of time `t` (a collective), once every other
    /// event up to `t` is delivered: spikes are exchanged, and the time of
    /// the next exchange event is returned, for the caller to queue.
    pub fn on_event(&mut self, m: &mut Model, comm: &dyn Communicator, t: f64) -> Result<f64> {
        self.exchange(m, comm)?;
        Ok(t + self.interval)
    }

    /// Gathers every rank's spikes and queues the events of those this
    /// rank receives, rank by rank (a collective).
    pub fn exchange(&mut self, m: &mut Model, comm: &dyn Communicator) -> Result<()> {
        let mine = m.take_gid_spikes();
        let all = comm.allgather_spikes(&mine);
        self.received += all.len() as u64;
        m.receive_spikes(&all)
    }

    /// [`Model::finitialize`] with the exchange, for a host program with no
    /// events of its own (tests, embedding): NEURON's order of operations,
    /// other external events dropped.
    pub fn finitialize(
        &mut self,
        m: &mut Model,
        comm: &dyn Communicator,
        v_init: Option<f64>,
    ) -> Result<()> {
        m.init_begin()?;
        if let Some(t) = self.init(m, comm)? {
            m.post_external(t, EXCHANGE_KEY);
        }
        self.deliver(m, comm, 0.0)?;
        m.init_set_v(v_init);
        m.init_mechanisms()?;
        let t = m.t();
        self.deliver(m, comm, t)?;
        m.init_currents(&mut NoHooks)?;
        self.deliver(m, comm, t)
    }

    /// [`Model::fadvance`] with the exchange (see
    /// [`SpikeExchange::finitialize`]).
    pub fn fadvance(&mut self, m: &mut Model, comm: &dyn Communicator) -> Result<()> {
        m.step_begin()?;
        let til = m.step_deliver_until();
        self.deliver(m, comm, til)?;
        m.step_advance(&mut NoHooks)?;
        let t = m.t();
        self.deliver(m, comm, t)?;
        m.step_end()
    }

    /// Delivers the events due by `til`, running the exchange when its
    /// event comes.
    fn deliver(&mut self, m: &mut Model, comm: &dyn Communicator, til: f64) -> Result<()> {
        while let Some(e) = m.deliver_events(til)? {
            if e.key == EXCHANGE_KEY {
                self.deliver(m, comm, e.t)?;
                let next = self.on_event(m, comm, e.t)?;
                m.post_external(next, EXCHANGE_KEY);
            }
        }
        Ok(())
    }
}
