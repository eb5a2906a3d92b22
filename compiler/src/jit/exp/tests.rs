//! [`exact_exp`] against the running libm, bit for bit, on millions of
//! inputs; and the facts the detection of glibc's FMA variant rests on.

use super::*;

/// SplitMix64: a small deterministic generator.
pub(in crate::jit) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// uniform in [0, 1)
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The inputs `exp` is checked on: `random` random bit patterns with
/// 2^-54 <= |x| < 512 (glibc's fast path), `random` uniform values in
/// [-745, 710], random values of every binade below 2^-40 (subnormals
/// included), multiples of 1/8 over [-745, 710], and the neighbourhoods of
/// the range edges (±512, ±2^-54, overflow, subnormal results, underflow
/// to 0), zeros, infinities, NaN.
pub(in crate::jit) fn inputs(random: usize) -> Vec<f64> {
    let mut rng = Rng(0x0e8e_1e8e);
    let mut xs = Vec::with_capacity(2 * random + 500_000);
    for _ in 0..random {
        let top = rng.next() % (0x408 - 0x3c9) + 0x3c9 + (rng.next() & 1) * 0x800;
        xs.push(f64::from_bits(top << 52 | rng.next() >> 12));
    }
    for _ in 0..random {
        xs.push(-745.0 + 1455.0 * rng.unit());
    }
    for top in 0..0x3d8u64 {
        for _ in 0..200 {
            let x = f64::from_bits(top << 52 | rng.next() >> 12);
            xs.push(if rng.next() & 1 == 0 { x } else { -x });
        }
    }
    xs.extend((-745 * 8..=710 * 8).map(|k| k as f64 / 8.0));
    let edges = [
        EXACT_EXP_LIMIT,
        -EXACT_EXP_LIMIT,
        2f64.powi(-54),
        -(2f64.powi(-54)),
        709.782_712_893_384,    // overflow beyond
        -708.396_418_532_264_1, // subnormal results below
        -745.133_219_101_941_1, // 0 below
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
    ];
    for e in edges {
        let (mut up, mut down) = (e, e);
        for _ in 0..100 {
            xs.push(up);
            xs.push(down);
            up = up.next_up();
            down = down.next_down();
        }
    }
    xs.extend([0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
    xs.extend(PROBES.iter().map(|p| p.0));
    xs
}

/// `a` and `b` are the same double, or both NaN.
pub(in crate::jit) fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// The same algorithm without fused multiply-adds, as C evaluates upstream's
/// expressions: what glibc's SSE2 variant (and musl on x86-64) computes.
fn exp_without_fma(x: f64) -> f64 {
    let kd = INV_LN2_N * x + SHIFT;
    let ki = kd.to_bits();
    let kd = kd - SHIFT;
    let r = x + kd * NEG_LN2_HI_N + kd * NEG_LN2_LO_N;
    let idx = 2 * (ki & 127) as usize;
    let tail = f64::from_bits(EXP_TABLE[idx]);
    let sbits = (ki << 45).wrapping_add(EXP_TABLE[idx + 1]);
    let r2 = r * r;
    let tmp = tail + r + r2 * (C2 + r * C3) + r2 * r2 * (C4 + r * C5);
    let scale = f64::from_bits(sbits);
    scale + scale * tmp
}

#[test]
fn exact_exp_is_bit_identical_to_libm() {
    if !libm_is_glibc_fma() {
        eprintln!("skipped: the C library's exp is not glibc's FMA variant on this machine");
        return;
    }
    let xs = inputs(4_000_000);
    let bad: Vec<f64> = xs
        .iter()
        .copied()
        .filter(|x| !same(exact_exp(*x), x.exp()))
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} inputs differ, e.g. {:?}",
        bad.len(),
        xs.len(),
        &bad[..bad.len().min(10)]
    );
    eprintln!("{} inputs, all bit-identical", xs.len());
}

#[test]
fn probes_tell_the_variants_apart() {
    for (x, bits) in PROBES {
        assert_eq!(exact_exp(x).to_bits(), bits, "exp({x:?})");
        assert_ne!(exp_without_fma(x).to_bits(), bits, "exp({x:?})");
        // one ulp apart, either way
        assert_eq!(exp_without_fma(x).to_bits().abs_diff(bits), 1, "exp({x:?})");
    }
}

#[test]
fn the_variant_without_fma_is_otherwise_the_same_algorithm() {
    // it differs from the FMA variant by at most one ulp, rarely
    let xs = inputs(200_000);
    let fast: Vec<f64> = xs
        .into_iter()
        .filter(|x| x.abs() < EXACT_EXP_LIMIT)
        .collect();
    let differ = fast
        .iter()
        .filter(|x| {
            let (a, b) = (exact_exp(**x).to_bits(), exp_without_fma(**x).to_bits());
            assert!(a.abs_diff(b) <= 1, "exp({x:?})");
            a != b
        })
        .count();
    assert!(
        differ > 0 && differ < fast.len() / 100,
        "{differ} of {}",
        fast.len()
    );
}

#[test]
fn exact_exp_is_used_where_libm_is_glibc_fma() {
    if std::env::var_os("NERVE_JIT_LIBM_EXP").is_some() {
        return;
    }
    assert_eq!(exact_exp_available(), libm_is_glibc_fma());
}

#[test]
fn tiny_arguments_give_one_plus_x() {
    // glibc's special case for |x| < 2^-54, which the fast path reproduces
    for x in [
        0.0,
        -0.0,
        1e-300,
        -1e-300,
        5e-324,
        2f64.powi(-55),
        -(2f64.powi(-55)),
    ] {
        assert_eq!(exact_exp(x).to_bits(), (1.0 + x).to_bits(), "exp({x:e})");
    }
    let x = 2f64.powi(-54).next_down();
    assert_eq!(exact_exp(x), 1.0);
    assert_eq!(exact_exp(-x), 1.0);
}
