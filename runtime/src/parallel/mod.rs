//! Communication between ranks behind one trait, so the same simulation
//! code runs on one process ([`Local`]), under MPI (`Mpi`, cargo feature
//! `mpi`), or on N ranks faked by threads of one process ([`DryRun`], for
//! tests of the exchange logic), after Arbor's `distributed_context` and
//! `dry_run_context`.
//!
//! Every method is a collective: all ranks call it, in the same order.
//! Results come back in rank order, so anything computed from them is the
//! same on every rank.
//!
//! | module | what |
//! |---|---|
//! | `local` | [`Local`]: one rank |
//! | `dry_run` | [`DryRun`]: N ranks as N threads |
//! | `exchange` | [`SpikeExchange`]: NEURON's spike exchange every min-delay, an event on the queue |
//! | `mpi` | `Mpi` over rsmpi (feature `mpi`) |

mod dry_run;
mod exchange;
mod local;
#[cfg(feature = "mpi")]
mod mpi;
#[cfg(test)]
mod tests;

pub use dry_run::DryRun;
pub use exchange::SpikeExchange;
pub use local::Local;
#[cfg(feature = "mpi")]
pub use mpi::Mpi;

use crate::model::GidSpike;

/// How [`Communicator::allreduce`] combines the ranks' values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReduceOp {
    /// the sum (added in rank order)
    Sum,
    /// the largest
    Max,
    /// the smallest
    Min,
}

impl ReduceOp {
    /// Combines two values.
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            ReduceOp::Sum => a + b,
            ReduceOp::Max => a.max(b),
            ReduceOp::Min => a.min(b),
        }
    }
}

/// The collectives the simulator needs. Implementations need only the
/// first five methods; the rest have definitions in terms of them.
pub trait Communicator {
    /// This process's number, 0 to `size() - 1`.
    fn rank(&self) -> usize;
    /// The number of ranks.
    fn size(&self) -> usize;
    /// Waits for every rank.
    fn barrier(&self);
    /// The concatenation of every rank's `send`, in rank order.
    fn allgatherv(&self, send: &[f64]) -> Vec<f64>;
    /// Root's `data` on every rank (other ranks' `data` is replaced).
    fn broadcast(&self, data: &mut Vec<f64>, root: usize);

    /// Whether this process is one of a parallel job (NEURON's
    /// `nrnmpi_use`: started under MPI, even as its only rank), so that
    /// spikes go through the exchange. True but for [`Local`].
    fn distributed(&self) -> bool {
        true
    }

    /// Combines `data` elementwise over the ranks, in rank order; every rank
    /// gets the result. All ranks pass the same length.
    fn allreduce(&self, data: &mut [f64], op: ReduceOp) {
        let n = data.len();
        if n == 0 {
            return;
        }
        let all = self.allgatherv(data);
        for (k, x) in data.iter_mut().enumerate() {
            *x = all
                .iter()
                .skip(k)
                .step_by(n)
                .copied()
                .reduce(|a, b| op.apply(a, b))
                .unwrap_or(*x);
        }
    }

    /// One value per rank, in rank order.
    fn allgather(&self, x: f64) -> Vec<f64> {
        self.allgatherv(&[x])
    }

    /// Every rank's spikes, in rank order (each rank's in its own order).
    fn allgather_spikes(&self, send: &[GidSpike]) -> Vec<GidSpike> {
        // a gid travels as an f64: exact for |gid| < 2^53
        let flat: Vec<f64> = send.iter().flat_map(|s| [s.gid as f64, s.t]).collect();
        self.allgatherv(&flat)
            .chunks_exact(2)
            .map(|c| GidSpike {
                gid: c[0] as i64,
                t: c[1],
            })
            .collect()
    }

    /// Root's bytes on every rank.
    fn broadcast_bytes(&self, data: &mut Vec<u8>, root: usize) {
        let mut f: Vec<f64> = data.iter().map(|&b| f64::from(b)).collect();
        self.broadcast(&mut f, root);
        *data = f.into_iter().map(|x| x as u8).collect();
    }
}
