//! `Mpi`: the ranks of an MPI job, through rsmpi (cargo feature `mpi`).
//! MPI is initialised with `Funneled` threading: only the thread that
//! made the communicator calls MPI (the solver's rayon threads never do).

use super::{Communicator, ReduceOp};
use mpi::collective::SystemOperation;
use mpi::datatype::PartitionMut;
use mpi::environment::Universe;
use mpi::topology::SimpleCommunicator;
// our trait is also called Communicator (see notes/stack.md)
use mpi::traits::{Communicator as _, CommunicatorCollectives, Root};
use mpi::Count;

/// The world communicator of an MPI job; MPI is finalised when it goes.
pub struct Mpi {
    world: SimpleCommunicator,
    /// keeps MPI initialised (dropping it calls `MPI_Finalize`)
    _universe: Universe,
}

impl Mpi {
    /// Initialises MPI; `None` if it was initialised already.
    pub fn init() -> Option<Mpi> {
        let (universe, _) = mpi::initialize_with_threading(mpi::Threading::Funneled)?;
        Some(Mpi {
            world: universe.world(),
            _universe: universe,
        })
    }

    /// [`Mpi::init`] when the process was started by an MPI launcher (its
    /// environment names a rank: MPICH's `PMI_RANK`, Open MPI's
    /// `OMPI_COMM_WORLD_SIZE`) or `NERVE_MPI` is set; otherwise `None`, so
    /// a plain run never touches MPI.
    pub fn from_launcher() -> Option<Mpi> {
        let launched = ["PMI_RANK", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "NERVE_MPI"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        if launched {
            Mpi::init()
        } else {
            None
        }
    }
}

impl Communicator for Mpi {
    fn rank(&self) -> usize {
        self.world.rank() as usize
    }

    fn size(&self) -> usize {
        self.world.size() as usize
    }

    fn barrier(&self) {
        self.world.barrier();
    }

    fn allgatherv(&self, send: &[f64]) -> Vec<f64> {
        let n = self.size();
        let mut counts = vec![0 as Count; n];
        self.world
            .all_gather_into(&(send.len() as Count), &mut counts[..]);
        let displs: Vec<Count> = counts
            .iter()
            .scan(0, |acc, &c| {
                let d = *acc;
                *acc += c;
                Some(d)
            })
            .collect();
        let total: Count = counts.iter().sum();
        let mut buf = vec![0.0; total as usize];
        {
            let mut part = PartitionMut::new(&mut buf[..], counts, &displs[..]);
            self.world.all_gather_varcount_into(send, &mut part);
        }
        buf
    }

    fn broadcast(&self, data: &mut Vec<f64>, root: usize) {
        let root = self.world.process_at_rank(root as i32);
        let mut len = data.len() as u64;
        root.broadcast_into(&mut len);
        data.resize(len as usize, 0.0);
        root.broadcast_into(&mut data[..]);
    }

    fn allreduce(&self, data: &mut [f64], op: ReduceOp) {
        let send = data.to_vec();
        let op = match op {
            ReduceOp::Sum => SystemOperation::sum(),
            ReduceOp::Max => SystemOperation::max(),
            ReduceOp::Min => SystemOperation::min(),
        };
        self.world.all_reduce_into(&send[..], data, op);
    }
}
