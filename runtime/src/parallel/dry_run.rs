//! [`DryRun`]: N ranks in one process, one thread each, for tests of the
//! logic above the communicator (spike exchange, reductions) without MPI.
//! Each rank builds and runs its own model on its own thread; the
//! collectives meet at a barrier and read each other's contributions.

use super::Communicator;
use std::sync::{Arc, Barrier, Mutex};

struct Shared {
    barrier: Barrier,
    /// each rank's contribution to the collective in progress
    slots: Mutex<Vec<Vec<f64>>>,
}

/// One of N faked ranks (see [`DryRun::run`]).
pub struct DryRun {
    rank: usize,
    size: usize,
    shared: Arc<Shared>,
}

impl DryRun {
    /// The communicators of `n` ranks (at least 1), to hand to `n` threads.
    pub fn world(n: usize) -> Vec<DryRun> {
        let n = n.max(1);
        let shared = Arc::new(Shared {
            barrier: Barrier::new(n),
            slots: Mutex::new(vec![Vec::new(); n]),
        });
        (0..n)
            .map(|rank| DryRun {
                rank,
                size: n,
                shared: shared.clone(),
            })
            .collect()
    }

    /// Runs `f` on `n` ranks, each on its own thread, and returns what each
    /// returned, in rank order. A panic on any rank is resumed here.
    pub fn run<R: Send>(n: usize, f: impl Fn(DryRun) -> R + Sync) -> Vec<R> {
        let f = &f;
        std::thread::scope(|s| {
            let handles: Vec<_> = DryRun::world(n)
                .into_iter()
                .map(|c| s.spawn(move || f(c)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Vec<Vec<f64>>> {
        // a rank that panicked poisons the lock; the others go on and fail
        // at the join instead
        self.shared.slots.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Communicator for DryRun {
    fn rank(&self) -> usize {
        self.rank
    }
    fn size(&self) -> usize {
        self.size
    }
    fn barrier(&self) {
        self.shared.barrier.wait();
    }
    fn allgatherv(&self, send: &[f64]) -> Vec<f64> {
        self.slots()[self.rank] = send.to_vec();
        self.barrier();
        let all = self.slots().concat();
        // nobody writes the next collective's data before all have read
        self.barrier();
        all
    }
    fn broadcast(&self, data: &mut Vec<f64>, root: usize) {
        if self.rank == root {
            self.slots()[root] = data.clone();
        }
        self.barrier();
        if self.rank != root {
            *data = self.slots()[root].clone();
        }
        self.barrier();
    }
}
