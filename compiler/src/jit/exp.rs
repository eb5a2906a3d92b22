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
//! Out of range, a kernel calls a helper of its own module,
//! [`EXP_COLD_SYMBOL`], which calls libm's `exp` on each lane. The helper
//! has Cranelift's `preserve_all` convention (it saves every register it or
//! libm touches), so the kernel keeps its values in registers across the
//! call: with a SysV call in the cold block, the register allocator spilled
//! values live across it (the argument, at least) on the hot path too.
//!
//! Whether the running libm is that variant is decided once per process
//! ([`exact_exp_available`]); where it is not, kernels keep calling libm.

use std::sync::OnceLock;

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, AbiParam, BlockArg, FuncRef, Signature};
use cranelift_codegen::ir::{Endianness, InstBuilder, MemFlagsData, Type, Value};
use cranelift_codegen::ir::{StackSlotData, StackSlotKind};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::FunctionBuilder;
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Linkage, Module};

use super::exp_table::exp_table;
use super::mathlib::splat_f;
use super::JitError;
use crate::nmodl::ir::{visit_stmt, Expr, MechIr, Stmt};

/// The table of 2^(k/128) (see [`super::exp_table`]); kernels embed its
/// address.
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
/// so of that libm's `exp`. The JIT emits the same operations.
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

/// The FUNCTIONs and PROCEDUREs (by index of `ir.functions`) that run for
/// every instance at every step: WATCH conditions, and those called,
/// directly or through others, from `cur`, `jacob`, `state` or BEFORE/AFTER
/// blocks. Only those kernels and these functions inline the exact `exp`:
/// its code is a few dozen instructions where a call is one, which roughly
/// doubled the compile time of mechanisms with many `exp`s in their event
/// code (IntFire2, IntFire4), for nothing.
pub(super) fn per_step_functions(ir: &MechIr) -> Vec<bool> {
    let ks = &ir.kernels;
    let mut hot = vec![false; ir.functions.len()];
    let mut todo: Vec<&[Stmt]> = [&ks.cur, &ks.jacob, &ks.state]
        .into_iter()
        .flatten()
        .chain(ks.before_after.iter().map(|(_, k)| k))
        .map(|k| &k.body[..])
        .collect();
    for &f in &ks.watch {
        if f < hot.len() && !hot[f] {
            hot[f] = true;
            todo.push(&ir.functions[f].body);
        }
    }
    while let Some(body) = todo.pop() {
        let (mut procedures, mut functions) = (Vec::new(), Vec::new());
        for s in body {
            visit_stmt(
                s,
                &mut |s| {
                    if let Stmt::Call(f, _) = s {
                        procedures.push(*f);
                    }
                },
                &mut |e| {
                    if let Expr::Call(f, _) = e {
                        functions.push(*f);
                    }
                },
            );
        }
        for f in procedures.into_iter().chain(functions) {
            if f < hot.len() && !hot[f] {
                hot[f] = true;
                todo.push(&ir.functions[f].body);
            }
        }
    }
    hot
}

fn flags_le() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// The table entries at `at` (one address per lane): (tail, scale bits
/// less k << 45), as F64 and I64 or F64X2 and I64X2. With two lanes, each
/// lane's pair is one 16-byte load and the two pairs are unpacked
/// (`punpcklqdq`, `punpckhqdq`): four instructions where four scalar loads
/// took eight (Cranelift does not fold them into the lane inserts).
fn table_lanes(b: &mut FunctionBuilder, at: &[Value]) -> (Value, Value) {
    let flags = MemFlagsData::trusted().with_readonly();
    if at.len() == 1 {
        let tail = b.ins().load(types::F64, flags, at[0], 0);
        let hi = b.ins().load(types::I64, flags, at[0], 8);
        return (tail, hi);
    }
    let pairs: Vec<Value> = at
        .iter()
        .map(|a| {
            let p = b.ins().load(types::I64X2, flags, *a, 0);
            b.ins().bitcast(types::I8X16, flags_le(), p)
        })
        .collect();
    let mut unpack = |first: u8, ty: Type| {
        // bytes 0..16 are the first pair's, 16..32 the second's
        let mask: Vec<u8> = (first..first + 8).chain(first + 16..first + 24).collect();
        let mask = b.func.dfg.immediates.push(mask.into());
        let v = b.ins().shuffle(pairs[0], pairs[1], mask);
        b.ins().bitcast(ty, flags_le(), v)
    };
    (unpack(0, types::F64X2), unpack(8, types::I64X2))
}

/// The name of the cold path's helper in a kernel's module.
pub(super) const EXP_COLD_SYMBOL: &str = "nerve_exp_cold";

/// The helper's signature: `(xs: *mut [f64; 2], lanes: i64)`, replacing
/// `xs[..lanes]` by their `exp`, preserving every register.
pub(super) fn exp_cold_signature() -> Signature {
    let mut sig = Signature::new(CallConv::PreserveAll);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig
}

/// Declares the helper in `module` (once; later calls return the same id)
/// for mechanism `mechanism`'s body `place`. The kernel compiler defines it
/// with [`build_exp_cold`] if it was declared.
pub(super) fn declare_exp_cold(
    module: &mut JITModule,
    mechanism: &str,
    place: &str,
) -> Result<FuncId, JitError> {
    module
        .declare_function(EXP_COLD_SYMBOL, Linkage::Local, &exp_cold_signature())
        .map_err(|e| JitError::Codegen {
            mechanism: mechanism.to_string(),
            place: place.to_string(),
            message: e.to_string(),
        })
}

/// Builds the helper's body into `b` (whose function has
/// [`exp_cold_signature`]), calling `libm_exp` (libm's `exp`, SysV).
pub(super) fn build_exp_cold(mut b: FunctionBuilder, libm_exp: FuncRef, tc: TargetFrontendConfig) {
    let entry = b.create_block();
    let second = b.create_block();
    let exit = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let (xs, lanes) = (b.block_params(entry)[0], b.block_params(entry)[1]);
    let flags = MemFlagsData::trusted();
    for (lane, next) in [(0, Some(second)), (1, None)] {
        let x = b.ins().load(types::F64, flags, xs, 8 * lane);
        let call = b.ins().call(libm_exp, &[x]);
        let y = b.inst_results(call)[0];
        b.ins().store(flags, y, xs, 8 * lane);
        match next {
            Some(next) => {
                let two = b.ins().icmp_imm_u(IntCC::UnsignedGreaterThan, lanes, 1);
                b.ins().brif(two, next, &[], exit, &[]);
                b.switch_to_block(next);
            }
            None => {
                b.ins().jump(exit, &[]);
            }
        }
    }
    b.switch_to_block(exit);
    b.ins().return_(&[]);
    b.seal_all_blocks();
    b.finalize(tc);
}

/// Emits `exp(x)` for `x` of type F64 or F64X2, bit-identical to libm's
/// when [`exact_exp_available`]: [`exact_exp`]'s operations for every lane
/// (the table's address is a constant; [`table_lanes`] loads), then, if any
/// lane is outside |x| < [`EXACT_EXP_LIMIT`], a cold block in which
/// `exp_cold` (the helper of [`declare_exp_cold`]) calls libm's `exp` on
/// each lane instead.
pub(super) fn emit_exact_exp(b: &mut FunctionBuilder, x: Value, exp_cold: FuncRef) -> Value {
    let ty = b.func.dfg.value_type(x);
    let (int_ty, lanes) = if ty == types::F64 {
        (types::I64, 1)
    } else {
        (types::I64X2, 2)
    };
    let shift = splat_f(b, ty, SHIFT);
    let inv_ln2_n = splat_f(b, ty, INV_LN2_N);
    let kd0 = b.ins().fma(x, inv_ln2_n, shift);
    let kd = b.ins().fsub(kd0, shift);
    let hi = splat_f(b, ty, NEG_LN2_HI_N);
    let lo = splat_f(b, ty, NEG_LN2_LO_N);
    let r = b.ins().fma(kd, hi, x);
    let r = b.ins().fma(kd, lo, r);
    // the table, lane by lane: tail and the scale's bits less k << 45
    let ki = b.ins().bitcast(int_ty, flags_le(), kd0);
    let table = b.ins().iconst(types::I64, EXP_TABLE.as_ptr() as i64);
    let mut at = Vec::new();
    for l in 0..lanes {
        let k = if lanes == 1 {
            ki
        } else {
            b.ins().extractlane(ki, l as u8)
        };
        let idx = b.ins().band_imm_s(k, 127);
        let off = b.ins().ishl_imm_u(idx, 4);
        at.push(b.ins().iadd(table, off));
    }
    let (tail, hi_bits) = table_lanes(b, &at);
    let top = b.ins().ishl_imm_u(ki, 45);
    let sbits = b.ins().iadd(top, hi_bits);
    let scale = b.ins().bitcast(ty, flags_le(), sbits);
    // the polynomial, in glibc's order
    let (c2, c3) = (splat_f(b, ty, C2), splat_f(b, ty, C3));
    let (c4, c5) = (splat_f(b, ty, C4), splat_f(b, ty, C5));
    let p23 = b.ins().fma(r, c3, c2);
    let a = b.ins().fadd(r, tail);
    let r2 = b.ins().fmul(r, r);
    let p45 = b.ins().fma(r, c5, c4);
    let a = b.ins().fma(p23, r2, a);
    let r4 = b.ins().fmul(r2, r2);
    let tmp = b.ins().fma(r4, p45, a);
    let fast = b.ins().fma(scale, tmp, scale);
    // every lane in range (NaN is not): done; else the cold path
    let ax = b.ins().fabs(x);
    let limit = splat_f(b, ty, EXACT_EXP_LIMIT);
    let in_range = b.ins().fcmp(FloatCC::LessThan, ax, limit);
    let all_in = if lanes == 1 {
        in_range
    } else {
        // movmskpd: one bit per lane
        let bits = b.ins().vhigh_bits(types::I8, in_range);
        b.ins().icmp_imm_u(IntCC::Equal, bits, 3)
    };
    let join = b.create_block();
    let result = b.append_block_param(join, ty);
    let cold = b.create_block();
    b.set_cold_block(cold);
    b.ins()
        .brif(all_in, join, &[BlockArg::Value(fast)], cold, &[]);
    b.switch_to_block(cold);
    let slot = b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 4));
    let at = b.ins().stack_addr(types::I64, slot, 0);
    b.ins().store(MemFlagsData::trusted(), x, at, 0);
    let n = b.ins().iconst(types::I64, lanes);
    b.ins().call(exp_cold, &[at, n]);
    let slow = b.ins().load(ty, MemFlagsData::trusted(), at, 0);
    b.ins().jump(join, &[BlockArg::Value(slow)]);
    b.switch_to_block(join);
    result
}

#[cfg(test)]
pub(super) mod tests;
