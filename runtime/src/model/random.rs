//! Random123 streams of mechanism instances (NMODL `RANDOM` variables), as
//! NEURON 9.0.2 gives them to mechanisms such as its built-in `NetStim`:
//!
//! * each instance has one stream per `RANDOM` variable of its type, made
//!   when the instance is made, with ids `(1, id2, n)` where `n` counts the
//!   streams made so far in the model, from 1 (NEURON's argument-less
//!   `nrnran123_newstream()`; `id2` is the MPI rank, 0 here). Deleted
//!   instances do not give their numbers back; HOC `Random` objects do not
//!   count.
//! * all streams share the Random123 global index with the HOC `Random`
//!   class (`Random123_globalindex`); a stream computes a block with the
//!   index in force at that moment, so, as in NEURON, a stream keeps its
//!   current block when the index changes until it is repositioned.
//! * kernels draw through the view's `host_call` (services 3 to 9 of the
//!   ABI); HOC reaches the streams through the methods here (`NMODLRandom`'s
//!   `get_ids`, `set_seq`..., NetStim's `noiseFromRandom123`).

use super::{InstanceId, MechTypeId, Model, ModelError, Result};
use crate::random123::Random123Stream;

/// The model-wide part of the streams' state (NEURON keeps it in globals).
#[derive(Clone, Debug, Default)]
pub(crate) struct RandomState {
    /// the Random123 global index (Philox key word 0)
    pub gix: u32,
    /// streams made so far (the last `id3` handed out)
    pub made: u32,
    /// `id2` of new streams (NEURON: the MPI rank)
    pub id2: u32,
}

impl Model {
    /// One new stream per `RANDOM` variable of type `mech`, with NEURON's
    /// default ids.
    pub(crate) fn new_streams(&mut self, mech: MechTypeId) -> Vec<Random123Stream> {
        let n = self
            .mech_types
            .get(mech.0 as usize)
            .map_or(0, |m| m.spec.randoms.len());
        (0..n)
            .map(|_| {
                self.random.made = self.random.made.wrapping_add(1);
                Random123Stream::new(self.random.gix, 1, self.random.id2, self.random.made)
            })
            .collect()
    }

    /// The Random123 global index the instances' streams use.
    pub fn random123_global_index(&self) -> u32 {
        self.random.gix
    }

    /// Sets the Random123 global index (HOC's `Random123_globalindex`; the
    /// stdlib keeps it equal to the `Random` class's).
    pub fn set_random123_global_index(&mut self, gix: u32) {
        self.random.gix = gix;
    }

    /// Sets `id2` of streams made from now on (NEURON uses the MPI rank).
    pub fn set_random_id2(&mut self, id2: u32) {
        self.random.id2 = id2;
    }

    /// Runs `f` on stream `k` (the `k`-th `RANDOM` variable) of an instance,
    /// with the global index.
    pub fn with_random_stream<R>(
        &mut self,
        i: InstanceId,
        k: usize,
        f: impl FnOnce(&mut Random123Stream, u32) -> R,
    ) -> Result<R> {
        let info = self.instance_info(i)?;
        let (loc, mech) = (info.loc, info.mech.0 as usize);
        let gix = self.random.gix;
        let name = self.mech_types[mech].spec.name.clone();
        let mb = &mut self.block_mut(loc.block).mechs[mech];
        let stream = mb
            .row_streams_mut(loc.row as usize)
            .get_mut(k)
            .ok_or(ModelError::NoRandom(name))?;
        Ok(f(stream, gix))
    }

    /// The index of the `RANDOM` variable called `name` of a type.
    pub fn random_index(&self, mech: MechTypeId, name: &str) -> Result<usize> {
        let spec = self.mechanism_spec(mech)?;
        spec.randoms
            .iter()
            .position(|r| r == name)
            .ok_or_else(|| ModelError::NoRandom(spec.name.clone()))
    }
}

/// A random service of the ABI (`op & 0xff` of `host_call`) on `stream`:
/// 3 uniform in (0, 1), 4 exprand(mean = a), 5 normrand(mean = a, sd = b),
/// 6 setseq(seq4which = a), 7 set id1 = a and id2 = b, 8 set id3 = a,
/// 9 ipick (the next 32-bit word). Setters return 0; unknown services NaN.
pub(crate) fn random_service(
    stream: &mut Random123Stream,
    gix: u32,
    service: u32,
    a: f64,
    b: f64,
) -> f64 {
    match service {
        3 => stream.next_uniform(gix),
        4 => stream.negexp(gix, a),
        5 => stream.normal(gix, a, b),
        6 => {
            stream.set_seq4which(gix, a);
            0.0
        }
        7 => {
            let (_, _, id3) = stream.ids();
            stream.set_ids(c_u32(a), c_u32(b), id3);
            0.0
        }
        8 => {
            let (id1, id2, _) = stream.ids();
            stream.set_ids(id1, id2, c_u32(a));
            0.0
        }
        9 => f64::from(stream.next_u32(gix)),
        _ => f64::NAN,
    }
}

/// NEURON's `static_cast<uint32_t>(double)` on x86-64: a 64-bit
/// conversion (NaN and out-of-range values give the "integer indefinite",
/// i64::MIN) whose low 32 bits are kept.
pub(crate) fn c_u32(x: f64) -> u32 {
    const LIM: f64 = 9_223_372_036_854_775_808.0;
    let l = if (-LIM..LIM).contains(&x) {
        x as i64
    } else {
        i64::MIN
    };
    l as u32
}
