//! An inline `exp` bit-identical to the C library's, so kernels need not
//! call libm for every value (and spill every live vector register around
//! each call) to keep NEURON's numbers.
//!
//! glibc's `exp` (since 2.28) is the algorithm of ARM's optimized-routines
//! (`math/exp.c`, `math/exp_data.c`; MIT OR Apache-2.0 WITH LLVM-exception),
//! whose constants [`exact_exp`] uses: with N = 128,
//!
//! ```text
//! x = k ln2/N + r,  |r| <= ln2/2N          (k by rounding x N/ln2 with a shift)
//! exp(x) = 2^(k/N) e^r ~= scale (1 + tail + r + C2 r^2 + C3 r^3 + C4 r^4 + C5 r^5)
//! ```
//!
//! with 2^(k/N) = scale (1 + tail) from a 128-entry table ([`super::exp_table`],
//! derived here from its definition). On x86-64 CPUs with FMA and AVX2,
//! glibc's ifunc picks `__exp_fma`, the same C compiled with `-mfma`, so the
//! rounding depends on which operations GCC contracted to fused
//! multiply-adds. [`exact_exp`] performs the operations of the fast path of
//! this machine's `__ieee754_exp_fma` (glibc 2.36, read from its
//! disassembly) in the same order with the same contractions:
//!
//! ```text
//! kd0 = fma(x, N/ln2, Shift); ki = bits(kd0); kd = kd0 - Shift
//! r = fma(kd, -ln2hi/N, x); r = fma(kd, -ln2lo/N, r)
//! tail = T[2(ki % N)]; sbits = (ki << 45) + T[2(ki % N) + 1]
//! a = fma(fma(r, C3, C2), r*r, r + tail)
//! tmp = fma((r*r)*(r*r), fma(r, C5, C4), a)
//! exp(x) = fma(scale, tmp, scale), scale = from_bits(sbits)
//! ```
//!
//! glibc takes this path for 2^-54 <= |x| < 512. For |x| < 2^-54 it returns
//! `1.0 + x`, which the same operations also give (k = 0, scale = 1, and
//! every term but r rounds away), so the fast range here is |x| < 512: one
//! compare. Beyond it (|x| >= 512, infinities, NaN) the C library is called.
//!
//! Whether the running libm is that variant is decided once per process
//! ([`exact_exp_available`]); where it is not, kernels keep calling libm.

use std::sync::OnceLock;

use super::exp_table::exp_table;

/// The table of 2^(k/128) (see [`super::exp_table`]).
static EXP_TABLE: [u64; 256] = exp_table();

/// N/ln2, N = 128 (0x1.71547652b82fep0 · 128)
const INV_LN2_N: f64 = f64::from_bits(0x4067_1547_652b_82fe);
/// -ln2/N, high part (-0x1.62e42fefa0000p-8: k · this is exact)
const NEG_LN2_HI_N: f64 = f64::from_bits(0xbf76_2e42_fefa_0000);
/// -ln2/N, low part (-0x1.cf79abc9e3b3ap-47)
const NEG_LN2_LO_N: f64 = f64::from_bits(0xbd0c_f79a_bc9e_3b3a);
/// 0x1.8p52: adding it rounds to an integer held in the low mantissa bits
const SHIFT: f64 = f64::from_bits(0x4338_0000_0000_0000);
/// The polynomial's coefficients of r^2..r^5 (0x1.ffffffffffdbdp-2,
/// 0x1.555555555543cp-3, 0x1.55555cf172b91p-5, 0x1.1111167a4d017p-7)
const C2: f64 = f64::from_bits(0x3fdf_ffff_ffff_fdbd);
const C3: f64 = f64::from_bits(0x3fc5_5555_5555_543c);
const C4: f64 = f64::from_bits(0x3fa5_5555_cf17_2b91);
const C5: f64 = f64::from_bits(0x3f81_1111_67a4_d017);
/// The fast path covers |x| below this.
pub const EXACT_EXP_LIMIT: f64 = 512.0;

/// `exp(x)` bit for bit as glibc's FMA variant computes it (see the module
/// header): the fast path in Rust with `f64::mul_add`, libm's `exp` outside
/// |x| < [`EXACT_EXP_LIMIT`]. On another libm it is only within an ulp or
/// so of that libm's `exp`.
pub fn exact_exp(x: f64) -> f64 {
    if x.abs() < EXACT_EXP_LIMIT {
        fast_path(x)
    } else {
        x.exp()
    }
}

/// glibc's fast path (exact for |x| < [`EXACT_EXP_LIMIT`]).
fn fast_path(x: f64) -> f64 {
    let kd0 = x.mul_add(INV_LN2_N, SHIFT);
    let ki = kd0.to_bits();
    let kd = kd0 - SHIFT;
    let r = kd.mul_add(NEG_LN2_HI_N, x);
    let r = kd.mul_add(NEG_LN2_LO_N, r);
    let idx = 2 * (ki & 127) as usize;
    let tail = f64::from_bits(EXP_TABLE[idx]);
    let sbits = (ki << 45).wrapping_add(EXP_TABLE[idx + 1]);
    let p23 = r.mul_add(C3, C2);
    let a = r + tail;
    let r2 = r * r;
    let p45 = r.mul_add(C5, C4);
    let a = p23.mul_add(r2, a);
    let r4 = r2 * r2;
    let tmp = r4.mul_add(p45, a);
    let scale = f64::from_bits(sbits);
    scale.mul_add(tmp, scale)
}

/// Inputs whose `exp` differs between glibc's FMA variant and the same
/// algorithm without fused multiply-adds (glibc's SSE2 variant, musl), with
/// the FMA variant's result: (x, bits of exp(x)). Found by comparing the two
/// on random inputs; `tests::probes_tell_the_variants_apart` checks that a
/// model of the variant without FMA gets each of them wrong.
const PROBES: [(f64, u64); 8] = [
    (0.630_354_621_479_227_7, 0x3ffe_0d6b_b312_fc63),
    (4.471_393_090_837_182, 0x4055_de9f_cddb_4f4f),
    (-6.954_008_262_109_255, 0x3f4f_4972_35ca_f7f7),
    (3.657_280_425_413_091_5, 0x4043_60be_0f07_b5a7),
    (-15.619_757_261_914_97, 0x3e86_178e_d92f_4585),
    (9.218_403_159_261_925, 0x40c3_b07a_15d1_f653),
    (-19.697_828_981_706_493, 0x3e27_f390_d54f_7de3),
    (14.909_383_872_507_306, 0x4146_c7ac_5b0b_7a09),
];

/// The CPU has FMA and AVX2 (what glibc's ifunc asks before it picks
/// `__exp_fma`, and what the JIT's `fma` needs to be one instruction).
fn host_has_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("fma") && std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The running C library's `exp` is glibc's FMA variant: the CPU has FMA
/// and libm gives the FMA variant's result on inputs where the variant
/// without FMA does not ([`PROBES`]). Independent of [`exact_exp`].
pub fn libm_is_glibc_fma() -> bool {
    host_has_fma() && PROBES.iter().all(|(x, bits)| x.exp().to_bits() == *bits)
}

/// Kernels compute `exp` inline with [`exact_exp`]'s operations (when
/// `JitOptions::exact_exp` asks for it): the libm is glibc's FMA variant
/// ([`libm_is_glibc_fma`]), [`exact_exp`] agrees with it on a sweep of
/// inputs, and `NERVE_JIT_LIBM_EXP` is not set in the environment (a switch
/// for measuring against the libm call). Decided once per process.
pub fn exact_exp_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        std::env::var_os("NERVE_JIT_LIBM_EXP").is_none()
            && libm_is_glibc_fma()
            && (0..2000).all(|k| {
                // -100..100 in irregular steps
                let x = -100.0 + k as f64 * 0.100_050_037_5;
                exact_exp(x).to_bits() == x.exp().to_bits()
            })
    })
}

#[cfg(test)]
pub(super) mod tests;
