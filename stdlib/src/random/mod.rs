//! NEURON's HOC `Random` class: random number generators and distributions
//! reproducing NEURON 9.0.2's numbers exactly.
//!
//! # Generators
//!
//! * **Random123** ([`philox`]): Philox4x32-10 streams identified by three
//!   32-bit ids plus a global index (NEURON's `nrnran123`). This is the
//!   default generator of `new Random()` / `new Random(seed)` in NEURON 9
//!   (ids `(seed, size, 0)`, `size` defaulting to 55).
//! * **MCellRan4** ([`mcellran4`]): the MCell `ran4` hash generator.
//!
//! NEURON 9 removed the `ACG`, `MLCG` and `Isaac64` generators of earlier
//! versions (calling `r.ACG()` in 9.0.2 is an error), so there is nothing to
//! reproduce for them.
//!
//! # Distributions
//!
//! [`distributions::Distribution`] holds the distribution selected by the
//! last distribution method (`uniform`, `normal`, ...). As in NEURON, each
//! such method replaces the distribution and returns its first draw;
//! [`HocRandom::repick`] draws again. Changing the generator
//! (`Random123()`, `MCellRan4()`) keeps the current distribution and its
//! state (e.g. a cached normal deviate). A new `Random` starts with
//! `normal(0, 1)` selected.
//!
//! # Process-wide state
//!
//! NEURON keeps three process-wide values that affect these numbers: the
//! Random123 global index (`Random.Random123_globalindex()`, the Philox key
//! word 0 used whenever a block is computed), the MCellRan4 global low index
//! (`mcell_ran4_init()`, used at every draw by generators created with low
//! index 0) and the count of MCellRan4 objects created (seeds the generator
//! when `MCellRan4()` is called with seed 0). nerve keeps them in a
//! [`RandomContext`] owned by the interpreter and passed explicitly to every
//! method that reads or changes them.
//!
//! # Fidelity notes
//!
//! * Invalid parameters are handled as NEURON does: arguments NEURON checks
//!   (`chkarg`) give [`RandomError::ArgOutOfRange`]; parameters NEURON
//!   accepts give NEURON's result even when it is NaN or infinite (e.g.
//!   `normal(0, -1)` returns NaN, `poisson(-1)` returns -1).
//! * Where NEURON would loop forever (`poisson(mean)` with `exp(-mean) == 0`,
//!   `geometric(p)` with `p` above every value the generator returns) nerve
//!   returns [`RandomError::NeverTerminates`] instead and leaves the object
//!   unchanged.
//! * Double-to-integer conversions reproduce NEURON's C casts on x86-64
//!   (out-of-range values become the "integer indefinite").

pub(crate) mod cconv;
pub mod distributions;
pub mod mcellran4;
pub mod philox;

use cconv::{c_char, c_int, c_long, c_u32};
pub use distributions::{Distribution, NormalState, UniformSource};
pub use mcellran4::McellRan4;
pub use philox::Random123Stream;

/// `4294967295.` (2^32 - 1), NEURON's upper bound for 32-bit arguments.
const DMAXUINT: f64 = 4_294_967_295.0;
/// `2^34 - 1`, the largest Random123 `seq * 4 + which`.
const MAX_SEQ4WHICH: f64 = 17_179_869_183.0;

/// Errors of the HOC `Random` methods.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RandomError {
    /// An argument NEURON range-checks was out of range (NEURON's
    /// "Arg out of range in user function").
    #[error(
        "Arg out of range in user function: {method} argument {arg} is {value}, \
         must be in [{low}, {high}]"
    )]
    ArgOutOfRange {
        /// The HOC method (e.g. `"Random.binomial"`).
        method: &'static str,
        /// 1-based argument position.
        arg: usize,
        /// The value given.
        value: f64,
        /// Smallest allowed value.
        low: f64,
        /// Largest allowed value.
        high: f64,
    },
    /// NEURON would never return from this draw (an endless loop).
    #[error("{method}: {reason}; NEURON would loop forever")]
    NeverTerminates {
        /// The HOC method (e.g. `"Random.poisson"`).
        method: &'static str,
        /// Why the draw cannot end.
        reason: String,
    },
}

/// NEURON's `chkarg(i, low, high)`: NaN passes, as in NEURON.
fn chkarg(
    method: &'static str,
    arg: usize,
    value: f64,
    low: f64,
    high: f64,
) -> Result<f64, RandomError> {
    if value.is_nan() || (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(RandomError::ArgOutOfRange {
            method,
            arg,
            value,
            low,
            high,
        })
    }
}

/// The process-wide random-number state NEURON keeps in globals, held here
/// by the interpreter and passed explicitly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RandomContext {
    /// Random123 global index (Philox key word 0), shared by all Random123
    /// streams; read whenever a stream computes a new block. Default 0.
    pub random123_global_index: u32,
    /// MCellRan4 global low index (`mcell_ran4_init()`), used at every draw
    /// by MCellRan4 generators whose own low index is 0. Default 0.
    pub mcell_lowindex: u32,
    /// Number of MCellRan4 generators created so far (NEURON's
    /// `MCellRan4::cnt_`); picks the seed of `MCellRan4(0)`.
    pub mcellran4_count: u32,
    /// Number of Random123 streams created without explicit ids so far
    /// (the counter of NEURON's argument-less `nrnran123_newstream()`).
    pub random123_auto_count: u32,
}

impl RandomContext {
    /// A fresh context, as at NEURON start-up.
    pub fn new() -> Self {
        Self::default()
    }

    /// HOC `Random.Random123_globalindex([gix])`: sets the global index if
    /// given (checked in `[0, 2^32 - 1]`) and returns the current one.
    ///
    /// As in NEURON, existing streams keep their already computed block and
    /// only use the new index for blocks computed afterwards; set it before
    /// creating (or re-seeding) streams.
    pub fn random123_globalindex(&mut self, gix: Option<f64>) -> Result<f64, RandomError> {
        if let Some(g) = gix {
            let g = chkarg("Random.Random123_globalindex", 1, g, 0.0, DMAXUINT)?;
            self.random123_global_index = c_u32(g);
        }
        Ok(f64::from(self.random123_global_index))
    }

    /// NEURON's argument-less `nrnran123_newstream()` (used e.g. for the
    /// `RANDOM` variables of NMODL mechanisms such as NetStim's `ranvar`):
    /// a stream with ids `(1, rank, n)` where `n` counts such streams from 1
    /// and `rank` is the MPI rank (0 without MPI).
    pub fn new_auto_stream(&mut self, rank: u32) -> Random123Stream {
        self.random123_auto_count = self.random123_auto_count.wrapping_add(1);
        Random123Stream::new(
            self.random123_global_index,
            1,
            rank,
            self.random123_auto_count,
        )
    }

    /// HOC `mcell_ran4_init([lowindex])`: sets the global MCellRan4 low index
    /// if given (checked in `[0, 2^32 - 1]`) and returns the previous value.
    pub fn mcell_ran4_init(&mut self, low: Option<f64>) -> Result<f64, RandomError> {
        let prev = f64::from(self.mcell_lowindex);
        if let Some(l) = low {
            let l = chkarg("mcell_ran4_init", 1, l, 0.0, DMAXUINT)?;
            self.mcell_lowindex = c_u32(l);
        }
        Ok(prev)
    }

    /// HOC `mcell_ran4(&highindex)`: a uniform in `[0, 1)` from the global
    /// low index and `*highindex`, which is advanced by one.
    pub fn mcell_ran4(&self, highindex: &mut f64) -> f64 {
        let mut idx = c_u32(*highindex);
        let x = mcellran4::ran4_f64(&mut idx, self.mcell_lowindex);
        *highindex = f64::from(idx);
        x
    }
}

/// The generator behind a [`HocRandom`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generator {
    /// A Random123 (Philox4x32-10) stream.
    Random123(Random123Stream),
    /// An MCellRan4 generator.
    McellRan4(McellRan4),
}

impl Generator {
    /// The next uniform double (`RNG::asDouble()`): in (0, 1) for Random123,
    /// in [0, 1) for MCellRan4.
    pub fn next_double(&mut self, ctx: &RandomContext) -> f64 {
        match self {
            Generator::Random123(s) => s.next_uniform(ctx.random123_global_index),
            Generator::McellRan4(m) => m.next_f64(ctx.mcell_lowindex),
        }
    }

    /// The next 32-bit integer (`RNG::asLong()`).
    pub fn next_u32(&mut self, ctx: &RandomContext) -> u32 {
        match self {
            Generator::Random123(s) => s.next_u32(ctx.random123_global_index),
            Generator::McellRan4(m) => m.next_u32(ctx.mcell_lowindex),
        }
    }

    /// `RNG::reset()`: Random123 back to sequence 0 (block recomputed with
    /// the current global index), MCellRan4 back to its starting index.
    pub fn reset(&mut self, ctx: &RandomContext) {
        match self {
            Generator::Random123(s) => s.set_seq(ctx.random123_global_index, 0, 0),
            Generator::McellRan4(m) => m.reset(),
        }
    }

    /// The largest double [`Generator::next_double`] can return.
    pub fn max_double(&self) -> f64 {
        match self {
            Generator::Random123(_) => 4_294_967_296.0 * (1.0 / 4_294_967_297.0),
            Generator::McellRan4(_) => DMAXUINT * (1.0 / 4_294_967_296.0),
        }
    }
}

/// A [`Generator`] with the context it reads, as a [`UniformSource`].
struct Source<'a> {
    gen: &'a mut Generator,
    ctx: &'a RandomContext,
}

impl UniformSource for Source<'_> {
    fn next_double(&mut self) -> f64 {
        self.gen.next_double(self.ctx)
    }
}

/// A HOC `Random` object: a generator and the current distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct HocRandom {
    gen: Generator,
    dist: Distribution,
}

impl HocRandom {
    /// `new Random()`: Random123 stream with ids `(0, 55, 0)`, distribution
    /// `normal(0, 1)`.
    pub fn new(ctx: &RandomContext) -> Self {
        Self::from_ids(ctx, 0, 55)
    }

    /// `new Random(seed)`: Random123 stream with ids `(seed, 55, 0)`, where
    /// the seed is converted as NEURON does (`long`, then its low 32 bits).
    pub fn with_seed(ctx: &RandomContext, seed: f64) -> Self {
        Self::from_ids(ctx, c_long(seed) as u32, 55)
    }

    /// `new Random([seed [, size]])` with NEURON's argument handling: `size`
    /// must be in `[7, 98]` and becomes the second Random123 id (it was the
    /// ACG table size in old NEURON versions).
    pub fn construct(
        ctx: &RandomContext,
        seed: Option<f64>,
        size: Option<f64>,
    ) -> Result<Self, RandomError> {
        let seed = seed.map_or(0, |s| c_long(s) as u32);
        let size = match size {
            Some(s) => c_int(chkarg("Random", 2, s, 7.0, 98.0)?) as u32,
            None => 55,
        };
        Ok(Self::from_ids(ctx, seed, size))
    }

    fn from_ids(ctx: &RandomContext, id1: u32, id2: u32) -> Self {
        HocRandom {
            gen: Generator::Random123(Random123Stream::new(
                ctx.random123_global_index,
                id1,
                id2,
                0,
            )),
            dist: Distribution::normal(0.0, 1.0),
        }
    }

    /// The generator.
    pub fn generator(&self) -> &Generator {
        &self.gen
    }

    /// The generator, mutably (e.g. to draw raw values from it).
    pub fn generator_mut(&mut self) -> &mut Generator {
        &mut self.gen
    }

    /// The Random123 stream, if that is the generator (for NetStim-style
    /// users of NEURON's `nrnran123_*` functions).
    pub fn random123_stream(&self) -> Option<&Random123Stream> {
        match &self.gen {
            Generator::Random123(s) => Some(s),
            Generator::McellRan4(_) => None,
        }
    }

    /// The Random123 stream, mutably, if that is the generator.
    pub fn random123_stream_mut(&mut self) -> Option<&mut Random123Stream> {
        match &mut self.gen {
            Generator::Random123(s) => Some(s),
            Generator::McellRan4(_) => None,
        }
    }

    /// The Random123 ids `(id1, id2, id3)` if that is the generator
    /// (`nrn_random_isran123`).
    pub fn random123_ids(&self) -> Option<(u32, u32, u32)> {
        self.random123_stream().map(Random123Stream::ids)
    }

    /// The current distribution.
    pub fn distribution(&self) -> &Distribution {
        &self.dist
    }

    /// HOC `r.Random123([id1 [, id2 [, id3]]])`: switch to a new Random123
    /// stream (missing ids are 0; each is checked in `[0, 2^32 - 1]`),
    /// keeping the distribution. Returns 0.
    pub fn random123(
        &mut self,
        ctx: &RandomContext,
        id1: Option<f64>,
        id2: Option<f64>,
        id3: Option<f64>,
    ) -> Result<f64, RandomError> {
        let mut ids = [0u32; 3];
        for (i, id) in [id1, id2, id3].into_iter().enumerate() {
            if let Some(v) = id {
                ids[i] = c_u32(chkarg("Random.Random123", i + 1, v, 0.0, DMAXUINT)?);
            }
        }
        self.set_random123(ctx, ids);
        Ok(0.0)
    }

    /// Switch to the Random123 stream with ids `[id1, id2, id3]`, at
    /// sequence 0, keeping the distribution.
    pub fn set_random123(&mut self, ctx: &RandomContext, ids: [u32; 3]) {
        self.gen = Generator::Random123(Random123Stream::new(
            ctx.random123_global_index,
            ids[0],
            ids[1],
            ids[2],
        ));
    }

    /// HOC `r.MCellRan4([seed [, lowindex]])`: switch to a new MCellRan4
    /// generator (arguments checked in `[0, 2^32 - 1]`), keeping the
    /// distribution. A seed of 0 (or none) makes NEURON choose one from the
    /// count of MCellRan4 generators created. Returns the starting high
    /// index (the seed actually used).
    pub fn mcellran4(
        &mut self,
        ctx: &mut RandomContext,
        seed: Option<f64>,
        lowindex: Option<f64>,
    ) -> Result<f64, RandomError> {
        let seed = match seed {
            Some(s) => c_u32(chkarg("Random.MCellRan4", 1, s, 0.0, DMAXUINT)?),
            None => 0,
        };
        let low = match lowindex {
            Some(l) => c_u32(chkarg("Random.MCellRan4", 2, l, 0.0, DMAXUINT)?),
            None => 0,
        };
        Ok(f64::from(self.set_mcellran4(ctx, seed, low)))
    }

    /// Switch to a new MCellRan4 generator with high index `seed` and low
    /// index `lowindex` (see [`HocRandom::mcellran4`]); returns the starting
    /// high index.
    pub fn set_mcellran4(&mut self, ctx: &mut RandomContext, seed: u32, lowindex: u32) -> u32 {
        ctx.mcellran4_count = ctx.mcellran4_count.wrapping_add(1);
        let m = McellRan4::new(seed, lowindex, ctx.mcellran4_count, ctx.mcell_lowindex);
        let orig = m.orig;
        self.gen = Generator::McellRan4(m);
        orig
    }

    /// HOC `r.seq()`: the stream position. For Random123 `seq * 4 + which`;
    /// for MCellRan4 the current high index.
    pub fn seq(&self) -> f64 {
        match &self.gen {
            Generator::Random123(s) => s.seq4which(),
            Generator::McellRan4(m) => f64::from(m.ihigh),
        }
    }

    /// HOC `r.seq(s)`: set the stream position and return it (as
    /// [`HocRandom::seq`]). For Random123 `s` is checked in
    /// `[0, 2^34 - 1]` and split into `seq = s / 4`, `which = s - 4 * seq`
    /// (fractions truncated); for MCellRan4 the high index becomes
    /// `long(s)` truncated to 32 bits (unchecked, as in NEURON).
    pub fn set_seq(&mut self, ctx: &RandomContext, s: f64) -> Result<f64, RandomError> {
        match &mut self.gen {
            Generator::Random123(stream) => {
                let s = chkarg("Random.seq", 1, s, 0.0, MAX_SEQ4WHICH)?;
                let seq = c_u32(s / 4.0);
                let which = c_char(s - f64::from(seq) * 4.0);
                // NEURON's nrnran123_setseq maps a `which` outside 0..=3 to 0.
                let which = u8::try_from(which).unwrap_or(0);
                stream.set_seq(ctx.random123_global_index, seq, which);
            }
            Generator::McellRan4(m) => m.ihigh = c_long(s) as u32,
        }
        Ok(self.seq())
    }

    /// Reset the generator to its start (NEURON's `nrn_random_reset`), keeping
    /// the distribution.
    pub fn reset_generator(&mut self, ctx: &RandomContext) {
        self.gen.reset(ctx);
    }

    /// One draw from the current distribution, without the termination
    /// check (only for distributions that always terminate).
    fn sample(&mut self, ctx: &RandomContext) -> f64 {
        let mut src = Source {
            gen: &mut self.gen,
            ctx,
        };
        self.dist.sample(&mut src)
    }

    /// Install `dist` after checking that a draw can terminate; on error the
    /// object is left unchanged.
    fn select(
        &mut self,
        ctx: &RandomContext,
        method: &'static str,
        dist: Distribution,
    ) -> Result<f64, RandomError> {
        if let Some(reason) = never_terminates_reason(&dist, &self.gen) {
            return Err(RandomError::NeverTerminates { method, reason });
        }
        self.dist = dist;
        Ok(self.sample(ctx))
    }

    /// HOC `r.repick()`: another draw from the current distribution.
    pub fn repick(&mut self, ctx: &RandomContext) -> Result<f64, RandomError> {
        if let Some(reason) = never_terminates_reason(&self.dist, &self.gen) {
            return Err(RandomError::NeverTerminates {
                method: "Random.repick",
                reason,
            });
        }
        Ok(self.sample(ctx))
    }

    /// HOC `r.uniform(low, high)`: uniform on `[low, high)` (bounds may be
    /// given in either order); returns the first draw.
    pub fn uniform(&mut self, ctx: &RandomContext, low: f64, high: f64) -> f64 {
        self.dist = Distribution::uniform(low, high);
        self.sample(ctx)
    }

    /// HOC `r.discunif(low, high)`: integers in `[low, high]` (arguments
    /// converted with C `long()`); returns the first draw.
    pub fn discunif(&mut self, ctx: &RandomContext, low: f64, high: f64) -> f64 {
        self.dist = Distribution::discunif(c_long(low), c_long(high));
        self.sample(ctx)
    }

    /// HOC `r.normal(mean, variance)`; returns the first draw. A negative
    /// variance gives NaN, as in NEURON.
    pub fn normal(&mut self, ctx: &RandomContext, mean: f64, variance: f64) -> f64 {
        self.dist = Distribution::normal(mean, variance);
        self.sample(ctx)
    }

    /// HOC `r.lognormal(mean, variance)` (mean and variance of the
    /// log-normal values); returns the first draw.
    pub fn lognormal(&mut self, ctx: &RandomContext, mean: f64, variance: f64) -> f64 {
        self.dist = Distribution::lognormal(mean, variance);
        self.sample(ctx)
    }

    /// HOC `r.poisson(mean)`; returns the first draw. Errors if
    /// `exp(-mean)` underflows to 0 (mean above about 745), where NEURON
    /// hangs.
    pub fn poisson(&mut self, ctx: &RandomContext, mean: f64) -> Result<f64, RandomError> {
        self.select(ctx, "Random.poisson", Distribution::poisson(mean))
    }

    /// HOC `r.binomial(n, p)`: `n` checked in `[0, 1e99]` (then C `int()`),
    /// `p` in `[0, 1]`; returns the first draw.
    pub fn binomial(&mut self, ctx: &RandomContext, n: f64, p: f64) -> Result<f64, RandomError> {
        let n = c_int(chkarg("Random.binomial", 1, n, 0.0, 1e99)?);
        let p = chkarg("Random.binomial", 2, p, 0.0, 1.0)?;
        self.select(ctx, "Random.binomial", Distribution::binomial(n, p))
    }

    /// HOC `r.geometric(p)`: `p` checked in `[0, 1]`; the number of draws
    /// until one is `>= p`. Returns the first draw. Errors if `p` exceeds
    /// every value the generator can return (e.g. `p = 1`), where NEURON
    /// hangs.
    pub fn geometric(&mut self, ctx: &RandomContext, p: f64) -> Result<f64, RandomError> {
        let p = chkarg("Random.geometric", 1, p, 0.0, 1.0)?;
        self.select(ctx, "Random.geometric", Distribution::geometric(p))
    }

    /// HOC `r.hypergeo(mean, variance)`; returns the first draw.
    pub fn hypergeo(&mut self, ctx: &RandomContext, mean: f64, variance: f64) -> f64 {
        self.dist = Distribution::hypergeo(mean, variance);
        self.sample(ctx)
    }

    /// HOC `r.negexp(mean)`; returns the first draw.
    pub fn negexp(&mut self, ctx: &RandomContext, mean: f64) -> f64 {
        self.dist = Distribution::negexp(mean);
        self.sample(ctx)
    }

    /// HOC `r.erlang(mean, variance)`; returns the first draw.
    pub fn erlang(&mut self, ctx: &RandomContext, mean: f64, variance: f64) -> f64 {
        self.dist = Distribution::erlang(mean, variance);
        self.sample(ctx)
    }

    /// HOC `r.weibull(alpha, beta)`; returns the first draw.
    pub fn weibull(&mut self, ctx: &RandomContext, alpha: f64, beta: f64) -> f64 {
        self.dist = Distribution::weibull(alpha, beta);
        self.sample(ctx)
    }
}

/// Why drawing from `dist` with `gen` would never end, if it would not.
fn never_terminates_reason(dist: &Distribution, gen: &Generator) -> Option<String> {
    if !dist.never_terminates(gen.max_double()) {
        return None;
    }
    Some(match dist {
        Distribution::Poisson { mean } => {
            format!("poisson mean {mean} is too large (exp(-mean) underflows to 0)")
        }
        Distribution::Geometric { mean } => format!(
            "geometric parameter {mean} exceeds every value the generator returns (max {})",
            gen.max_double()
        ),
        other => format!("{other:?} cannot be drawn"),
    })
}

#[cfg(test)]
mod tests;
