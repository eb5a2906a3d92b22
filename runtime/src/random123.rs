//! Random123 Philox4x32-10 and NEURON's `nrnran123` streams built on it.
//!
//! Philox4x32-10 is the counter-based generator of Salmon, Moraes, Dror and
//! Shaw, "Parallel Random Numbers: As Easy as 1, 2, 3" (SC11, 2011): a
//! 128-bit counter and a 64-bit key are mixed by ten rounds of a Feistel-like
//! network of 32x32→64 bit multiplications, giving four 32-bit outputs.
//!
//! [`Random123Stream`] reproduces NEURON 9.0.2's `nrnran123_State`: the
//! counter holds `[seq, id3, id1, id2]`, the key is `[global_index, 0]`, and
//! the four words of each block are handed out one at a time (`which` selects
//! the next word, 0..=3). After the fourth word the 128-bit counter is
//! incremented (with carry, so `seq` wrapping past 2^32-1 carries into `id3`
//! exactly as Random123's `incr()` does) and a new block is computed.
//!
//! NEURON keeps the global index in a process-wide variable that is read each
//! time a block is computed. nerve has no global mutable state: every method
//! that may compute a block takes the global index `gix` explicitly (the HOC
//! `Random` class passes its `RandomContext`'s, mechanism instances the
//! model's, and the stdlib keeps the two equal).
//!
//! The streams live here, in the runtime, because both the HOC `Random`
//! class (stdlib) and the per-instance streams of NMODL `RANDOM` variables
//! (the model) use them.

/// Philox 4x32 round multipliers.
const PHILOX_M0: u32 = 0xD251_1F53;
const PHILOX_M1: u32 = 0xCD9E_8D57;
/// Philox 32-bit key schedule increments (Weyl sequence: golden ratio, sqrt(3)-1).
const PHILOX_W0: u32 = 0x9E37_79B9;
const PHILOX_W1: u32 = 0xBB67_AE85;

/// `1/(2^32 + 1)`: NEURON maps a 32-bit word `u` to `(u + 1) / (2^32 + 1)`,
/// a double strictly inside (0, 1).
const INV_2POW32_PLUS_1: f64 = 1.0 / 4_294_967_297.0;

/// High and low 32-bit halves of the 64-bit product `a * b`.
#[inline]
fn mul_hi_lo(a: u32, b: u32) -> (u32, u32) {
    let product = u64::from(a) * u64::from(b);
    ((product >> 32) as u32, product as u32)
}

/// One Philox4x32 round.
#[inline]
fn philox_round(x: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let (hi0, lo0) = mul_hi_lo(PHILOX_M0, x[0]);
    let (hi1, lo1) = mul_hi_lo(PHILOX_M1, x[2]);
    [hi1 ^ x[1] ^ key[0], lo1, hi0 ^ x[3] ^ key[1], lo0]
}

/// The Philox4x32-10 bijection: ten rounds, the key bumped by the Weyl
/// constants between consecutive rounds.
pub fn philox4x32_10(counter: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let mut x = counter;
    let mut k = key;
    for round in 0..10 {
        if round > 0 {
            k[0] = k[0].wrapping_add(PHILOX_W0);
            k[1] = k[1].wrapping_add(PHILOX_W1);
        }
        x = philox_round(x, k);
    }
    x
}

/// The stateless NEURON mapping `nrnran123_iran(seq, id1, id2, id3)`: the
/// whole Philox block for counter `[seq, id3, id1, id2]`, key `[gix, 0]`.
pub fn nrnran123_iran(gix: u32, seq: u32, id1: u32, id2: u32, id3: u32) -> [u32; 4] {
    philox4x32_10([seq, id3, id1, id2], [gix, 0])
}

/// A NEURON `nrnran123` stream: Philox4x32-10 with three stream identifiers,
/// a 32-bit sequence number and a word selector `which` (0..=3).
///
/// The stream position is `seq * 4 + which` (a 34-bit number), which is what
/// HOC's `Random.seq()` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Random123Stream {
    /// Counter `[seq, id3, id1, id2]`.
    counter: [u32; 4],
    /// Cached Philox output for `counter` (computed with the global index in
    /// force at the time it was computed).
    block: [u32; 4],
    /// Index (0..=3) of the next word of `block` to hand out.
    which: u8,
}

impl Random123Stream {
    /// `nrnran123_newstream(id1, id2, id3)`: a stream positioned at sequence
    /// 0, word 0; the first block is computed with global index `gix`.
    pub fn new(gix: u32, id1: u32, id2: u32, id3: u32) -> Self {
        let mut stream = Random123Stream {
            counter: [0, id3, id1, id2],
            block: [0; 4],
            which: 0,
        };
        stream.set_seq(gix, 0, 0);
        stream
    }

    /// The identifiers `(id1, id2, id3)` (`nrnran123_getids3`). Note that
    /// `id3` changes if the sequence number ever wraps past 2^32-1.
    pub fn ids(&self) -> (u32, u32, u32) {
        (self.counter[2], self.counter[3], self.counter[1])
    }

    /// `nrnran123_setids`: change the identifiers without recomputing the
    /// cached block (exactly as NEURON does; the next block uses the new ids).
    pub fn set_ids(&mut self, id1: u32, id2: u32, id3: u32) {
        self.counter[1] = id3;
        self.counter[2] = id1;
        self.counter[3] = id2;
    }

    /// `nrnran123_setseq(s, seq, which)`: position the stream at sequence
    /// `seq`, word `which`; a `which` outside 0..=3 is treated as 0. The
    /// block is recomputed with global index `gix`.
    pub fn set_seq(&mut self, gix: u32, seq: u32, which: u8) {
        self.which = if which > 3 { 0 } else { which };
        self.counter[0] = seq;
        self.block = philox4x32_10(self.counter, [gix, 0]);
    }

    /// `nrnran123_getseq`: `(seq, which)`.
    pub fn get_seq(&self) -> (u32, u8) {
        (self.counter[0], self.which)
    }

    /// The 34-bit position `seq * 4 + which` as a double.
    pub fn seq4which(&self) -> f64 {
        f64::from(self.counter[0]) * 4.0 + f64::from(self.which)
    }

    /// `nrnran123_setseq(s, double seq4which)`: negative values and values
    /// above `0xffffffffff` become 0; the value is truncated to an integer
    /// and its low 34 bits split into `seq` (high 32) and `which` (low 2).
    pub fn set_seq4which(&mut self, gix: u32, seq4which: f64) {
        let mut v = seq4which;
        if v < 0.0 {
            v = 0.0;
        }
        if v > 0xff_ffff_ffff_u64 as f64 {
            v = 0.0;
        }
        // A NaN survives both tests and converts to 0.
        let x = (v as u64) & 0x3_ffff_ffff;
        self.set_seq(gix, (x >> 2) as u32, (x & 3) as u8);
    }

    /// `nrnran123_ipick`: the next 32-bit word. When the fourth word of a
    /// block has been used, the counter is incremented and the next block
    /// computed with global index `gix`.
    pub fn next_u32(&mut self, gix: u32) -> u32 {
        let value = self.block[usize::from(self.which)];
        self.which += 1;
        if self.which > 3 {
            self.which = 0;
            self.increment_counter();
            self.block = philox4x32_10(self.counter, [gix, 0]);
        }
        value
    }

    /// `nrnran123_dblpick`: the next uniform double in the open interval
    /// (0, 1), `(u + 1) / (2^32 + 1)`; min 2.3283064e-10, max 1 - min.
    pub fn next_uniform(&mut self, gix: u32) -> f64 {
        let u = self.next_u32(gix);
        (f64::from(u) + 1.0) * INV_2POW32_PLUS_1
    }

    /// `nrnran123_uniform(s, a, b)`: `a + u * (b - a)`.
    pub fn uniform(&mut self, gix: u32, a: f64, b: f64) -> f64 {
        a + self.next_uniform(gix) * (b - a)
    }

    /// `nrnran123_negexp(s, mean)`: `-ln(u) * mean`.
    pub fn negexp(&mut self, gix: u32, mean: f64) -> f64 {
        -self.next_uniform(gix).ln() * mean
    }

    /// `nrnran123_normal(s)`: a standard normal deviate by the polar method,
    /// using the first of the pair and discarding the second (no caching).
    pub fn standard_normal(&mut self, gix: u32) -> f64 {
        loop {
            let u1 = 2.0 * self.next_uniform(gix) - 1.0;
            let u2 = 2.0 * self.next_uniform(gix) - 1.0;
            let w = u1 * u1 + u2 * u2;
            // NEURON loops `while (w > 1)`.
            if w > 1.0 {
                continue;
            }
            let y = ((-2.0 * w.ln()) / w).sqrt();
            return u1 * y;
        }
    }

    /// `nrnran123_normal(s, mu, sigma)`: `mu + standard_normal * sigma`.
    pub fn normal(&mut self, gix: u32, mu: f64, sigma: f64) -> f64 {
        mu + self.standard_normal(gix) * sigma
    }

    /// Random123's 128-bit counter increment (little-endian words, carry).
    fn increment_counter(&mut self) {
        for word in &mut self.counter {
            *word = word.wrapping_add(1);
            if *word != 0 {
                break;
            }
        }
    }
}
