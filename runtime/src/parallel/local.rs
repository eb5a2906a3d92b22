//! [`Local`]: the communicator of a process that is the only rank.

use super::Communicator;

/// One rank: every collective returns at once with this rank's data; no
/// spike exchange (as `nrniv` without `-mpi`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Local;

impl Communicator for Local {
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn barrier(&self) {}
    fn allgatherv(&self, send: &[f64]) -> Vec<f64> {
        send.to_vec()
    }
    fn broadcast(&self, _data: &mut Vec<f64>, _root: usize) {}
    fn allreduce(&self, _data: &mut [f64], _op: super::ReduceOp) {}
    fn distributed(&self) -> bool {
        false
    }
}
