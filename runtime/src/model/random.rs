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

use super::store::InstanceExtra;
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
    /// The extra of a new instance of type `mech`: one new stream per
    /// `RANDOM` variable, with NEURON's default ids, and an empty vector.
    pub(crate) fn new_extra(&mut self, mech: MechTypeId) -> InstanceExtra {
        let n = self
            .mech_types
            .get(mech.0 as usize)
            .map_or(0, |m| m.spec.randoms.len());
        let streams = (0..n)
            .map(|_| {
                self.random.made = self.random.made.wrapping_add(1);
                Random123Stream::new(self.random.gix, 1, self.random.id2, self.random.made)
            })
            .collect();
        InstanceExtra {
            streams,
            vector: Vec::new(),
            pointers: Vec::new(),
        }
    }

    /// The extra of an instance, writable (an error if its type keeps none).
    fn extra_mut(&mut self, i: InstanceId) -> Result<&mut InstanceExtra> {
        let info = self.instance_info(i)?;
        let (loc, mech) = (info.loc, info.mech.0 as usize);
        let name = self.mech_types[mech].spec.name.clone();
        self.block_mut(loc.block).mechs[mech]
            .extras
            .get_mut(loc.row as usize)
            .ok_or(ModelError::NoRandom(name))
    }

    /// Sets the numbers an instance's vector services read (VecStim's event
    /// times); the type must declare `vector`.
    pub fn set_instance_vector(&mut self, i: InstanceId, x: Vec<f64>) -> Result<()> {
        let mech = self.instance_info(i)?.mech;
        let spec = self.mechanism_spec(mech)?;
        if !spec.vector {
            return Err(ModelError::NoVector(spec.name.clone()));
        }
        self.extra_mut(i)?.vector = x;
        Ok(())
    }

    /// The numbers of an instance's vector (empty for a type without one).
    pub fn instance_vector(&self, i: InstanceId) -> Result<&[f64]> {
        let info = self.instance_info(i)?;
        let mb = &self.block(info.loc.block).mechs[info.mech.0 as usize];
        Ok(mb
            .extras
            .get(info.loc.row as usize)
            .map_or(&[][..], |e| &e.vector[..]))
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
        let gix = self.random.gix;
        let name = self.mech_types[self.instance_info(i)?.mech.0 as usize]
            .spec
            .name
            .clone();
        let stream = self
            .extra_mut(i)?
            .streams
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
