//! hh `cur` + `state` over 10^4 instances: the JIT (scalar and f64x2, each
//! calling libm's exp, with the inline exact exp, and with the inline
//! polynomial exp) against the same maths written by hand in Rust, in ns per
//! instance-step; and the JIT's compile time.
//! Run with `cargo bench -p nerve-compiler --bench hh_kernel`
//! (`-- N STEPS REPEATS` to change the sizes).

use std::ffi::c_void;
use std::hint::black_box;
use std::time::Duration;

use nerve_compiler::jit::{self, hh_example, layout, JitOptions, KernelFn};

use hh_example::slot::*;

/// The runtime's `MechanismView`, mirrored (see `jit::layout`).
#[repr(C)]
struct View {
    count: usize,
    stride: usize,
    data: *mut f64,
    node_index: *const u32,
    node_count: usize,
    v: *const f64,
    rhs: *mut f64,
    d: *mut f64,
    area: *const f64,
    ions: *const IonV,
    ion_count: usize,
    globals: *mut f64,
    t: f64,
    dt: f64,
    celsius: f64,
    secondorder: i32,
    diam: *const f64,
    host: *mut c_void,
    host_call: *const c_void,
    pointers: *const *mut f64,
}

#[repr(C)]
struct IonV {
    data: *mut f64,
    stride: usize,
    index: *const u32,
}

struct Cells {
    n: usize,
    data: Vec<f64>,
    node_index: Vec<u32>,
    v: Vec<f64>,
    rhs: Vec<f64>,
    ions: [Vec<f64>; 2],
    ion_index: Vec<u32>,
}

const DT: f64 = 0.025;
const CELSIUS: f64 = 6.3;

impl Cells {
    fn new(n: usize) -> Cells {
        let mut data = vec![0.0; COUNT * n];
        let defaults = [
            0.12, 0.036, 0.0003, -54.3, 0.0, 0.0, 0.0, 0.05, 0.6, 0.32, 0.0,
        ];
        for (k, d) in defaults.iter().enumerate() {
            for i in 0..n {
                data[k * n + i] = *d;
            }
        }
        let mut ions = [vec![0.0; 5 * n], vec![0.0; 5 * n]];
        ions[0][..n].fill(50.0);
        ions[1][..n].fill(-77.0);
        Cells {
            n,
            data,
            node_index: (0..n as u32).collect(),
            v: (0..n)
                .map(|i| -80.0 + 60.0 * (i as f64 / n as f64))
                .collect(),
            rhs: vec![0.0; n],
            ions,
            ion_index: (0..n as u32).collect(),
        }
    }

    fn run(&mut self, k: KernelFn) {
        let ions = [
            IonV {
                data: self.ions[0].as_mut_ptr(),
                stride: self.n,
                index: self.ion_index.as_ptr(),
            },
            IonV {
                data: self.ions[1].as_mut_ptr(),
                stride: self.n,
                index: self.ion_index.as_ptr(),
            },
        ];
        let view = View {
            count: self.n,
            stride: self.n,
            data: self.data.as_mut_ptr(),
            node_index: self.node_index.as_ptr(),
            node_count: self.n,
            v: self.v.as_ptr(),
            rhs: self.rhs.as_mut_ptr(),
            d: std::ptr::null_mut(),
            area: std::ptr::null(),
            ions: ions.as_ptr(),
            ion_count: 2,
            globals: std::ptr::null_mut(),
            t: 0.0,
            dt: DT,
            celsius: CELSIUS,
            secondorder: 0,
            diam: std::ptr::null(),
            host: std::ptr::null_mut(),
            host_call: std::ptr::null(),
            pointers: std::ptr::null(),
        };
        unsafe { k(&view as *const View as *const c_void) };
    }
}

#[inline(always)]
fn vtrap(x: f64, y: f64, exp: impl Fn(f64) -> f64) -> f64 {
    if (x / y).abs() < 1e-6 {
        y * (1.0 - x / y / 2.0)
    } else {
        x / (exp(x / y) - 1.0)
    }
}

/// hh `cur` by hand over structure-of-arrays data (same operations as the IR).
#[inline(never)]
fn rust_cur(c: &mut Cells) {
    let n = c.n;
    let (ina_ions, ik_ions) = c.ions.split_at_mut(1);
    let (na, k) = (&mut ina_ions[0], &mut ik_ions[0]);
    let d = &mut c.data;
    for i in 0..n {
        let nd = c.node_index[i] as usize;
        let ii = c.ion_index[i] as usize;
        let v = c.v[nd];
        let (ena, ek) = (na[ii], k[ii]);
        let m = d[M * n + i];
        let h = d[H * n + i];
        let nn = d[N * n + i];
        let gna = d[GNABAR * n + i] * m * m * m * h;
        let gk = d[GKBAR * n + i] * nn * nn * nn * nn;
        d[GNA * n + i] = gna;
        d[GK * n + i] = gk;
        let vp = v + 0.001;
        let ina1 = gna * (vp - ena);
        let ik1 = gk * (vp - ek);
        let il1 = d[GL * n + i] * (vp - d[EL * n + i]);
        let i1 = ina1 + ik1 + il1;
        let ina = gna * (v - ena);
        let ik = gk * (v - ek);
        let il = d[GL * n + i] * (v - d[EL * n + i]);
        d[IL * n + i] = il;
        let cur = ina + ik + il;
        d[G * n + i] = (i1 - cur) / 0.001;
        na[4 * n + ii] += (ina1 - ina) / 0.001;
        k[4 * n + ii] += (ik1 - ik) / 0.001;
        na[3 * n + ii] += ina;
        k[3 * n + ii] += ik;
        c.rhs[nd] -= cur;
    }
}

/// The JIT's inline exp (a copy of `jit::inline_exp_reference`, inlinable).
#[inline(always)]
fn poly_exp(x: f64) -> f64 {
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const MAGIC: f64 = 6_755_399_441_055_744.0;
    const C: [f64; 14] = [
        1.0,
        1.0,
        0.5,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5040.0,
        1.0 / 40320.0,
        1.0 / 362880.0,
        1.0 / 3628800.0,
        1.0 / 39916800.0,
        1.0 / 479001600.0,
        1.0 / 6227020800.0,
    ];
    let t = x.mul_add(std::f64::consts::LOG2_E, MAGIC);
    let n = t - MAGIC;
    let r = n.mul_add(-LN2_HI, x);
    let r = n.mul_add(-LN2_LO, r);
    let (r2, r4) = (r * r, r * r * r * r);
    let r8 = r4 * r4;
    let q: [f64; 7] = std::array::from_fn(|k| C[2 * k + 1].mul_add(r, C[2 * k]));
    let s0 = q[1].mul_add(r2, q[0]);
    let s1 = q[3].mul_add(r2, q[2]);
    let s2 = q[5].mul_add(r2, q[4]);
    let p = q[6].mul_add(r4, s2).mul_add(r8, s1.mul_add(r4, s0));
    let e = (t.to_bits() as i64)
        .wrapping_add(1022i64.wrapping_sub(MAGIC.to_bits() as i64))
        .wrapping_shl(52);
    let y = p * 2.0 * f64::from_bits(e as u64);
    if x < jit::INLINE_EXP_MIN {
        0.0
    } else if x > jit::INLINE_EXP_MAX {
        f64::INFINITY
    } else {
        y
    }
}

/// hh `state` with libm's exp.
#[inline(never)]
fn rust_state(c: &mut Cells) {
    state_body(c, f64::exp)
}

/// hh `state` with the polynomial exp, compiled for AVX2+FMA (LLVM may
/// vectorise it 4-wide; `mul_add` is an instruction, not a libm call).
///
/// # Safety
/// The CPU must have AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
#[inline(never)]
unsafe fn rust_state_fma(c: &mut Cells) {
    state_body(c, poly_exp)
}

/// hh `state` (cnexp) by hand over structure-of-arrays data.
#[inline(always)]
fn state_body(c: &mut Cells, exp: impl Fn(f64) -> f64 + Copy) {
    let n = c.n;
    let d = &mut c.data;
    let q10 = 3.0f64.powf((CELSIUS - 6.3) / 10.0);
    for i in 0..n {
        let v = c.v[c.node_index[i] as usize];
        let mut gate = |st: usize, alpha: f64, beta: f64| {
            let sum = alpha + beta;
            let tau = 1.0 / (q10 * sum);
            let inf = alpha / sum;
            let x = &mut d[st * n + i];
            *x += (1.0 - exp(-DT / tau)) * (inf - *x);
        };
        gate(
            M,
            0.1 * vtrap(-(v + 40.0), 10.0, exp),
            4.0 * exp(-(v + 65.0) / 18.0),
        );
        gate(
            H,
            0.07 * exp(-(v + 65.0) / 20.0),
            1.0 / (exp(-(v + 35.0) / 10.0) + 1.0),
        );
        gate(
            N,
            0.01 * vtrap(-(v + 55.0), 10.0, exp),
            0.125 * exp(-(v + 65.0) / 80.0),
        );
    }
}

/// Thread CPU time (the machine is shared).
fn cpu_now() -> Duration {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // CLOCK_THREAD_CPUTIME_ID = 3 on Linux
    unsafe { clock_gettime(3, &mut ts) };
    Duration::new(ts.sec as u64, ts.nsec as u32)
}

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

fn main() {
    assert_eq!(std::mem::size_of::<View>(), layout::VIEW_SIZE);
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(10_000);
    let steps = args.get(1).copied().unwrap_or(200);
    let repeats = args.get(2).copied().unwrap_or(7);
    let ir = hh_example::hh_ir();

    // accuracy of the inline exp (the JIT's is bit-identical to this Rust
    // model; the unit tests check that)
    for (lo, hi) in [(-700.0, 700.0), (-100.0, 100.0)] {
        let steps = 2_000_000;
        let (mut worst, mut sum, mut at) = (0u64, 0u64, 0.0);
        for k in 0..=steps {
            let x: f64 = lo + (hi - lo) * k as f64 / steps as f64;
            let (a, b) = (jit::inline_exp_reference(x), x.exp());
            let e = (a.to_bits() as i64).abs_diff(b.to_bits() as i64);
            sum += e;
            if e > worst {
                (worst, at) = (e, x);
            }
        }
        println!(
            "inline exp vs libm on [{lo}, {hi}]: max {worst} ulp (at {at:.4}), mean {:.3} ulp",
            sum as f64 / (steps + 1) as f64
        );
    }

    for x in [-700.0, -1.5, 0.0, 0.3, 2.0, 88.0, 700.0] {
        assert_eq!(
            poly_exp(x).to_bits(),
            jit::inline_exp_reference(x).to_bits()
        );
    }

    // compile time
    for opts in [
        JitOptions {
            exact_exp: false,
            ..JitOptions::EXACT
        },
        JitOptions::EXACT,
        JitOptions::FAST,
    ] {
        let mut ts: Vec<Duration> = (0..20)
            .map(|_| jit::compile_with(&ir, opts).unwrap().stats().time)
            .collect();
        ts.sort();
        let c = jit::compile_with(&ir, opts).unwrap();
        println!(
            "compile hh {opts:?}: median {:.2} ms, min {:.2} ms, {} bytes of code",
            ts[10].as_secs_f64() * 1e3,
            ts[0].as_secs_f64() * 1e3,
            c.stats().code_bytes
        );
    }

    // dense SOLVEs as the lowering may produce (unrolled up to
    // jit::solve::UNROLL_MAX, a helper call above)
    for m in [4, 5, 8, 20] {
        use nerve_compiler::nmodl::ir::{Expr, Kernel, Stmt, Var};
        let mut ir = hh_example::hh_ir();
        let x = |k: usize| Expr::Load(Var::Slot(k % COUNT, None));
        ir.kernels.state = Some(Kernel {
            locals: 0,
            body: vec![Stmt::Solve {
                a: (0..m * m).map(x).collect(),
                b: (0..m).map(x).collect(),
                out: (0..m).map(|k| Var::Slot(k % COUNT, None)).collect(),
            }],
        });
        let mut ts: Vec<Duration> = (0..5)
            .map(|_| jit::compile(&ir).unwrap().stats().time)
            .collect();
        ts.sort();
        println!(
            "compile hh with a {m}x{m} SOLVE as its state kernel: median {:.2} ms",
            ts[2].as_secs_f64() * 1e3
        );
    }

    let libm_exp = JitOptions {
        exact_exp: false,
        ..JitOptions::EXACT
    };
    let variants: [(&str, Option<JitOptions>); 8] = [
        ("rust f64::exp (libm)", None),
        ("rust poly exp, avx2+fma", None),
        ("jit scalar libm", Some(libm_exp)),
        (
            "jit f64x2 libm",
            Some(JitOptions {
                vectorize: true,
                ..libm_exp
            }),
        ),
        ("jit scalar exact exp", Some(JitOptions::EXACT)),
        (
            "jit f64x2 exact exp",
            Some(JitOptions {
                vectorize: true,
                ..JitOptions::EXACT
            }),
        ),
        (
            "jit scalar inline exp",
            Some(JitOptions {
                vectorize: false,
                inline_exp: true,
                exact_exp: true,
            }),
        ),
        ("jit f64x2 inline exp", Some(JitOptions::FAST)),
    ];
    let compiled: Vec<_> = variants
        .iter()
        .map(|(_, o)| o.map(|o| jit::compile_with(&ir, o).unwrap()))
        .collect();

    // correctness check: the exact JITs equal the hand-written Rust bit for bit
    println!("inline exact exp available: {}", jit::exact_exp_available());
    for vi in 2..6 {
        let mut a = Cells::new(n);
        let mut b = Cells::new(n);
        let k = compiled[vi].as_ref().unwrap().kernels();
        for _ in 0..3 {
            rust_cur(&mut a);
            rust_state(&mut a);
            b.run(k.cur.unwrap());
            b.run(k.state.unwrap());
        }
        assert_eq!(a.data, b.data, "JIT ({}) and Rust disagree", variants[vi].0);
        assert_eq!(a.rhs, b.rhs, "JIT ({}) and Rust disagree", variants[vi].0);
    }

    // interleaved repeats, best of
    let mut best = vec![f64::INFINITY; variants.len()];
    for _ in 0..repeats {
        for (vi, (_, _)) in variants.iter().enumerate() {
            let mut c = Cells::new(n);
            let start = cpu_now();
            match &compiled[vi] {
                None if vi == 0 => {
                    for _ in 0..steps {
                        rust_cur(&mut c);
                        rust_state(&mut c);
                    }
                }
                None => {
                    if !(is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")) {
                        continue;
                    }
                    for _ in 0..steps {
                        rust_cur(&mut c);
                        // SAFETY: AVX2 and FMA were detected above
                        unsafe { rust_state_fma(&mut c) };
                    }
                }
                Some(m) => {
                    let k = m.kernels();
                    for _ in 0..steps {
                        c.run(k.cur.unwrap());
                        c.run(k.state.unwrap());
                    }
                }
            }
            black_box(&c.data);
            let ns = (cpu_now() - start).as_secs_f64() * 1e9 / (n * steps) as f64;
            best[vi] = best[vi].min(ns);
        }
    }
    println!("hh cur+state, {n} instances, {steps} steps, best of {repeats} (thread CPU time):");
    for (vi, (name, _)) in variants.iter().enumerate() {
        println!(
            "  {name:24} {:7.1} ns/instance-step  ({:.2}x rust libm)",
            best[vi],
            best[vi] / best[0]
        );
    }
}
