//! The MCell "ran4" generator as found in NEURON 9.0.2 (`mcran4.cpp`).
//!
//! A 64-bit hash of the pair `(highindex, lowindex)`: two rounds of a
//! multiply/xor/rotate mixing function (John Skilling's `Ranint`, with the
//! constants NEURON uses to stay identical to the old Numerical Recipes
//! `ran4`). Each draw hashes the current high index and then increments it,
//! so a stream can be replayed from any position by resetting the index.
//!
//! The 32-bit result is turned into a double by `hash * 2^-32`, so doubles
//! lie in `[0, 1)`: unlike Random123, 0 can occur.
//!
//! NEURON's low index for generators created with `lowindex == 0` is the
//! process-wide value set by HOC's `mcell_ran4_init()`, read at every draw;
//! here it is passed explicitly as `global_low`.

/// `2^-32`.
const INV_2POW32: f64 = 1.0 / 4_294_967_296.0;

/// One mixing step of the hash: mixes `x ^ c_in` into a word that is then
/// xor-ed into the other half.
#[inline]
fn mix(x: u32, c_in: u32, c_out: u32) -> u32 {
    let t = x ^ c_in;
    let hi = t >> 16;
    let lo = t & 0xffff;
    let u = !(hi.wrapping_sub(lo).wrapping_mul(hi.wrapping_add(lo)));
    (u.rotate_left(16) ^ c_out).wrapping_add(lo.wrapping_mul(hi))
}

/// `nrnRan4int(&high, low)`: hash `(*high, low)` to 32 bits and increment
/// `*high` (wrapping).
pub fn ran4_u32(high: &mut u32, low: u32) -> u32 {
    let n = *high;
    *high = high.wrapping_add(1);
    let m = low ^ mix(n, 0xbaa9_6887, 0x4b0f_3b58);
    n ^ mix(m, 0x1e17_d32c, 0xe874_f0c3)
}

/// `nrnRan4dbl(&high, low)`: [`ran4_u32`] scaled by `2^-32`, in `[0, 1)`.
pub fn ran4_f64(high: &mut u32, low: u32) -> f64 {
    f64::from(ran4_u32(high, low)) * INV_2POW32
}

/// NEURON's `MCellRan4` random number generator object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McellRan4 {
    /// Current high index (the stream position, HOC's `Random.seq()`).
    pub ihigh: u32,
    /// The high index the generator started from (what `MCellRan4()` returns).
    pub orig: u32,
    /// Private low index; 0 means "use the global low index at each draw".
    pub ilow: u32,
}

impl McellRan4 {
    /// `MCellRan4(ihigh, ilow)`. When `ihigh == 0` NEURON picks a seed: the
    /// generator is positioned at `instance_count` (NEURON's count of
    /// MCellRan4 objects ever constructed, including this one) and the
    /// first draw becomes the starting high index. `global_low` is only used
    /// in that case and only if `ilow == 0`.
    pub fn new(ihigh: u32, ilow: u32, instance_count: u32, global_low: u32) -> Self {
        let mut gen = McellRan4 {
            ihigh,
            orig: 0,
            ilow,
        };
        if gen.ihigh == 0 {
            gen.ihigh = instance_count;
            gen.ihigh = gen.next_u32(global_low);
        }
        gen.orig = gen.ihigh;
        gen
    }

    /// The low index in effect for a draw.
    #[inline]
    fn low(&self, global_low: u32) -> u32 {
        if self.ilow == 0 {
            global_low
        } else {
            self.ilow
        }
    }

    /// The next 32-bit value (`asLong`).
    pub fn next_u32(&mut self, global_low: u32) -> u32 {
        let low = self.low(global_low);
        ran4_u32(&mut self.ihigh, low)
    }

    /// The next double in `[0, 1)` (`asDouble`).
    pub fn next_f64(&mut self, global_low: u32) -> f64 {
        let low = self.low(global_low);
        ran4_f64(&mut self.ihigh, low)
    }

    /// `reset()`: back to the starting high index.
    pub fn reset(&mut self) {
        self.ihigh = self.orig;
    }
}
