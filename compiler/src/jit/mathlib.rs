//! The maths the kernels call: the C library functions registered with the
//! JIT by name (so results are bit-identical to C and to Rust's `f64`
//! methods, which call the same libm), and an inline polynomial `exp` with
//! fused multiply-adds for the fast path.

use cranelift_codegen::ir::{condcodes::FloatCC, Endianness};
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::FunctionBuilder;

use crate::nmodl::ir::MathFn;

// The C library's maths (glibc's libm on Linux, linked by std).
extern "C" {
    fn exp(x: f64) -> f64;
    fn log(x: f64) -> f64;
    fn log10(x: f64) -> f64;
    fn sin(x: f64) -> f64;
    fn cos(x: f64) -> f64;
    fn tan(x: f64) -> f64;
    fn asin(x: f64) -> f64;
    fn acos(x: f64) -> f64;
    fn atan(x: f64) -> f64;
    fn sinh(x: f64) -> f64;
    fn cosh(x: f64) -> f64;
    fn tanh(x: f64) -> f64;
    fn erf(x: f64) -> f64;
    fn atan2(y: f64, x: f64) -> f64;
    fn pow(x: f64, y: f64) -> f64;
    fn fmod(x: f64, y: f64) -> f64;
}

/// Every host symbol a kernel may import: (name, address, argument count).
pub(super) fn host_symbols() -> [(&'static str, *const u8, usize); 16] {
    [
        ("exp", exp as *const u8, 1),
        ("log", log as *const u8, 1),
        ("log10", log10 as *const u8, 1),
        ("sin", sin as *const u8, 1),
        ("cos", cos as *const u8, 1),
        ("tan", tan as *const u8, 1),
        ("asin", asin as *const u8, 1),
        ("acos", acos as *const u8, 1),
        ("atan", atan as *const u8, 1),
        ("sinh", sinh as *const u8, 1),
        ("cosh", cosh as *const u8, 1),
        ("tanh", tanh as *const u8, 1),
        ("erf", erf as *const u8, 1),
        ("atan2", atan2 as *const u8, 2),
        ("pow", pow as *const u8, 2),
        ("fmod", fmod as *const u8, 2),
    ]
}

/// How a math function is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MathImpl {
    /// a call of the named libm function
    Libm(&'static str),
    /// `sqrt`, `fabs`, `floor`, `ceil`: one exact instruction
    Instruction,
    /// `fmin`/`fmax`: compares and selects
    MinMax,
}

/// How `f` is compiled and how many arguments it takes.
pub(super) fn math_impl(f: MathFn) -> (MathImpl, usize) {
    use MathFn::*;
    use MathImpl::*;
    match f {
        Exp => (Libm("exp"), 1),
        Log => (Libm("log"), 1),
        Log10 => (Libm("log10"), 1),
        Sin => (Libm("sin"), 1),
        Cos => (Libm("cos"), 1),
        Tan => (Libm("tan"), 1),
        Asin => (Libm("asin"), 1),
        Acos => (Libm("acos"), 1),
        Atan => (Libm("atan"), 1),
        Sinh => (Libm("sinh"), 1),
        Cosh => (Libm("cosh"), 1),
        Tanh => (Libm("tanh"), 1),
        Erf => (Libm("erf"), 1),
        Atan2 => (Libm("atan2"), 2),
        Pow => (Libm("pow"), 2),
        Fmod => (Libm("fmod"), 2),
        Sqrt | Fabs | Floor | Ceil => (Instruction, 1),
        Min | Max => (MinMax, 2),
    }
}

/// Below this, the inline `exp` returns 0 (the true value is below 3.3e-308;
/// subnormal results are flushed).
pub const INLINE_EXP_MIN: f64 = -708.0;
/// Above this, `exp` overflows to +inf (as libm's does).
pub const INLINE_EXP_MAX: f64 = 709.782_712_893_384;

const LOG2E: f64 = std::f64::consts::LOG2_E;
/// ln 2 split in two (fdlibm): `LN2_HI` has 32 trailing zero bits, so
/// `n * LN2_HI` is exact for |n| < 2^20.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// 1.5 * 2^52: adding it rounds to an integer held in the low mantissa bits.
const MAGIC: f64 = 6_755_399_441_055_744.0;

/// 1/k! for k = 0..=13 (the Taylor series of e^r; its remainder at
/// |r| = ln2/2 is below 5e-18).
fn coefficients() -> [f64; 14] {
    let mut c = [1.0f64; 14];
    for k in 1..14 {
        c[k] = c[k - 1] / k as f64;
    }
    c
}

/// `x` as a value of type F64, or F64X2 in both lanes. Vector constants come
/// from the constant pool (one load, often folded into its use) rather than
/// Cranelift's `movabs; movq; shuffle` for a splatted `f64const`.
pub(super) fn splat_f(b: &mut FunctionBuilder, ty: Type, x: f64) -> Value {
    let mut bytes = x.to_le_bytes().to_vec();
    bytes.extend_from_slice(&x.to_le_bytes());
    let c = b.func.dfg.constants.insert(bytes.into());
    let v = b.ins().vconst(types::F64X2, c);
    if ty == types::F64 {
        b.ins().extractlane(v, 0)
    } else {
        v
    }
}

fn flags_le() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// Emits `exp(x)` for `x` of type F64 or F64X2 without calls: range reduction
/// x = n ln2 + r (|r| <= ln2/2) with fmas, the degree-13 Taylor polynomial of
/// e^r by Estrin's scheme with fmas, and scaling by 2^n through the exponent
/// bits. Within a few ulp of libm over [-708, 709.78]; +inf above
/// [`INLINE_EXP_MAX`], 0 below [`INLINE_EXP_MIN`], NaN for NaN.
pub(super) fn emit_inline_exp(b: &mut FunctionBuilder, x: Value) -> Value {
    let ty = b.func.dfg.value_type(x);
    let int_ty = if ty == types::F64 {
        types::I64
    } else {
        types::I64X2
    };
    let log2e = splat_f(b, ty, LOG2E);
    let magic = splat_f(b, ty, MAGIC);
    // t = x log2e + magic: its low bits hold n = round(x log2e)
    let t = b.ins().fma(x, log2e, magic);
    let n = b.ins().fsub(t, magic);
    let m_hi = splat_f(b, ty, -LN2_HI);
    let m_lo = splat_f(b, ty, -LN2_LO);
    let r = b.ins().fma(n, m_hi, x);
    let r = b.ins().fma(n, m_lo, r);
    // e^r = sum r^k / k!, k = 0..=13, by Estrin's scheme (depth 5, not 13)
    let c = coefficients();
    let r2 = b.ins().fmul(r, r);
    let r4 = b.ins().fmul(r2, r2);
    let r8 = b.ins().fmul(r4, r4);
    let mut q = Vec::with_capacity(7);
    for k in 0..7 {
        let hi = splat_f(b, ty, c[2 * k + 1]);
        let lo = splat_f(b, ty, c[2 * k]);
        q.push(b.ins().fma(hi, r, lo));
    }
    let s0 = b.ins().fma(q[1], r2, q[0]);
    let s1 = b.ins().fma(q[3], r2, q[2]);
    let s2 = b.ins().fma(q[5], r2, q[4]);
    let u0 = b.ins().fma(s1, r4, s0);
    let u1 = b.ins().fma(q[6], r4, s2);
    let p = b.ins().fma(u1, r8, u0);
    // 2^(n-1) from the bits of t: bits(t) - bits(MAGIC) = n, so the exponent
    // field is (bits(t) - bits(MAGIC) + 1022) << 52 (wrapping arithmetic)
    let tb = b.ins().bitcast(int_ty, flags_le(), t);
    let bias = 1022i64.wrapping_sub(MAGIC.to_bits() as i64);
    let bias = {
        let c = b.ins().iconst(types::I64, bias);
        if int_ty == types::I64 {
            c
        } else {
            b.ins().splat(int_ty, c)
        }
    };
    let e = b.ins().iadd(tb, bias);
    let e = b.ins().ishl_imm_u(e, 52);
    let scale = b.ins().bitcast(ty, flags_le(), e);
    // p * 2 * 2^(n-1): keeps the scale finite up to n = 1024
    let two = splat_f(b, ty, 2.0);
    let p2 = b.ins().fmul(p, two);
    let y = b.ins().fmul(p2, scale);
    // out of range: 0 below, +inf above (NaN compares false and stays NaN)
    let lo = splat_f(b, ty, INLINE_EXP_MIN);
    let hi = splat_f(b, ty, INLINE_EXP_MAX);
    let zero = splat_f(b, ty, 0.0);
    let inf = splat_f(b, ty, f64::INFINITY);
    let below = b.ins().fcmp(FloatCC::LessThan, x, lo);
    let above = b.ins().fcmp(FloatCC::GreaterThan, x, hi);
    if ty == types::F64 {
        let y = b.ins().select(below, zero, y);
        b.ins().select(above, inf, y)
    } else {
        let below = b.ins().bitcast(ty, flags_le(), below);
        let above = b.ins().bitcast(ty, flags_le(), above);
        let y = b.ins().bitselect(below, zero, y);
        b.ins().bitselect(above, inf, y)
    }
}

/// A Rust model of [`emit_inline_exp`] (same operations in the same order),
/// for tests and for the hand-written reference kernels of the benchmark.
pub fn inline_exp_reference(x: f64) -> f64 {
    let t = x.mul_add(LOG2E, MAGIC);
    let n = t - MAGIC;
    let r = n.mul_add(-LN2_HI, x);
    let r = n.mul_add(-LN2_LO, r);
    let c = coefficients();
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let q: [f64; 7] = std::array::from_fn(|k| c[2 * k + 1].mul_add(r, c[2 * k]));
    let s0 = q[1].mul_add(r2, q[0]);
    let s1 = q[3].mul_add(r2, q[2]);
    let s2 = q[5].mul_add(r2, q[4]);
    let u0 = s1.mul_add(r4, s0);
    let u1 = q[6].mul_add(r4, s2);
    let p = u1.mul_add(r8, u0);
    let e = (t.to_bits() as i64)
        .wrapping_add(1022i64.wrapping_sub(MAGIC.to_bits() as i64))
        .wrapping_shl(52);
    let y = p * 2.0 * f64::from_bits(e as u64);
    if x < INLINE_EXP_MIN {
        0.0
    } else if x > INLINE_EXP_MAX {
        f64::INFINITY
    } else {
        y
    }
}
