//! Fourier methods: `correl convlv spctrm filter fft`, on NEURON's copy of
//! GSL's radix-2 real FFT (`nrngsl_real_radix2.cpp`, `nrngsl_hc_radix2.cpp`)
//! and its `fourier.cpp` helpers, ported operation by operation so that the
//! rounding is NEURON's.

use super::{
    c_int, chkarg, int_size, is_obj_arg, resize_vec, ret_self, vec_arg_copy, vector_data, zeros,
    Builder,
};
use nerve_runtime::hoc::{Args, HocError, Interpreter, Obj, Value};
use std::f64::consts::PI;

/// Adds this module's methods.
pub(crate) fn methods(b: Builder) -> Builder {
    b.method("correl", correl)
        .method("convlv", convlv)
        .method("spctrm", spctrm)
        .method("filter", filter)
        .method("fft", fft)
}

/// Gold-Rader bit reversal of `data[..n]` (`n` a power of 2).
fn bitreverse(data: &mut [f64], n: usize) {
    let mut j = 0;
    for i in 0..n.saturating_sub(1) {
        let mut k = n / 2;
        if i < j {
            data.swap(i, j);
        }
        while k > 0 && k <= j {
            j -= k;
            k /= 2;
        }
        j += k;
    }
}

fn log2_exact(n: usize) -> Option<u32> {
    n.is_power_of_two().then(|| n.trailing_zeros())
}

/// `gsl_fft_real_radix2_transform`: the forward FFT of real data, in place,
/// giving GSL's half-complex layout.
fn real_radix2_transform(data: &mut [f64], n: usize) {
    if n <= 1 {
        return;
    }
    let Some(logn) = log2_exact(n) else { return };
    bitreverse(data, n);
    let (mut p, mut q) = (1usize, n);
    for _ in 1..=logn {
        let p_1 = p;
        p *= 2;
        q /= 2;
        for b in 0..q {
            let t0 = data[b * p] + data[b * p + p_1];
            let t1 = data[b * p] - data[b * p + p_1];
            data[b * p] = t0;
            data[b * p + p_1] = t1;
        }
        let (mut w_real, mut w_imag) = (1.0f64, 0.0f64);
        let theta = -2.0 * PI / p as f64;
        let s = theta.sin();
        let t = (theta / 2.0).sin();
        let s2 = 2.0 * t * t;
        for a in 1..p_1 / 2 {
            let tmp_real = w_real - s * w_imag - s2 * w_real;
            let tmp_imag = w_imag + s * w_real - s2 * w_imag;
            w_real = tmp_real;
            w_imag = tmp_imag;
            for b in 0..q {
                let z0_real = data[b * p + a];
                let z0_imag = data[b * p + p_1 - a];
                let z1_real = data[b * p + p_1 + a];
                let z1_imag = data[b * p + p - a];
                let t0_real = z0_real + w_real * z1_real - w_imag * z1_imag;
                let t0_imag = z0_imag + w_real * z1_imag + w_imag * z1_real;
                let t1_real = z0_real - w_real * z1_real + w_imag * z1_imag;
                let t1_imag = z0_imag - w_real * z1_imag - w_imag * z1_real;
                data[b * p + a] = t0_real;
                data[b * p + p - a] = t0_imag;
                data[b * p + p_1 - a] = t1_real;
                data[b * p + p_1 + a] = -t1_imag;
            }
        }
        if p_1 > 1 {
            for b in 0..q {
                data[b * p + p - p_1 / 2] *= -1.0;
            }
        }
    }
}

/// `gsl_fft_halfcomplex_radix2_transform` (unnormalized inverse).
fn halfcomplex_radix2_transform(data: &mut [f64], n: usize) {
    if n <= 1 {
        return;
    }
    let Some(logn) = log2_exact(n) else { return };
    let (mut p, mut q, mut p_1) = (n, 1usize, n / 2);
    for _ in 1..=logn {
        for b in 0..q {
            let z0 = data[b * p];
            let z1 = data[b * p + p_1];
            data[b * p] = z0 + z1;
            data[b * p + p_1] = z0 - z1;
        }
        let (mut w_real, mut w_imag) = (1.0f64, 0.0f64);
        let theta = 2.0 * PI / p as f64;
        let s = theta.sin();
        let t = (theta / 2.0).sin();
        let s2 = 2.0 * t * t;
        for a in 1..p_1 / 2 {
            let tmp_real = w_real - s * w_imag - s2 * w_real;
            let tmp_imag = w_imag + s * w_real - s2 * w_imag;
            w_real = tmp_real;
            w_imag = tmp_imag;
            for b in 0..q {
                let z0_real = data[b * p + a];
                let z0_imag = data[b * p + p - a];
                let z1_real = data[b * p + p_1 - a];
                let z1_imag = -data[b * p + p_1 + a];
                let t0_real = z0_real + z1_real;
                let t0_imag = z0_imag + z1_imag;
                let t1_real = z0_real - z1_real;
                let t1_imag = z0_imag - z1_imag;
                data[b * p + a] = t0_real;
                data[b * p + p_1 - a] = t0_imag;
                data[b * p + p_1 + a] = w_real * t1_real - w_imag * t1_imag;
                data[b * p + p - a] = w_real * t1_imag + w_imag * t1_real;
            }
        }
        if p_1 > 1 {
            for b in 0..q {
                data[b * p + p_1 / 2] *= 2.0;
                data[b * p + p_1 + p_1 / 2] *= -2.0;
            }
        }
        p_1 /= 2;
        p /= 2;
        q *= 2;
    }
    bitreverse(data, n);
}

/// NEURON's `nrngsl_realft`: forward (`direction == 1`) or normalized inverse FFT.
pub(crate) fn realft(data: &mut [f64], n: usize, direction: i32) {
    if direction == 1 {
        real_radix2_transform(data, n);
    } else {
        halfcomplex_radix2_transform(data, n);
        if n > 1 {
            let norm = 1.0 / n as f64;
            for x in &mut data[..n] {
                *x *= norm;
            }
        }
    }
}

/// NEURON's `nrn_gsl2nrc`: GSL half-complex layout to Numerical Recipes'.
fn gsl2nrc(x: &[f64], y: &mut [f64], n: usize) {
    let n2 = n / 2;
    y[0] = x[0];
    if n < 2 {
        return;
    }
    y[1] = x[n2];
    for i in 1..n2 {
        y[2 * i] = x[i];
        y[2 * i + 1] = -x[n - i];
    }
}

/// NEURON's `nrn_nrc2gsl`: the reverse, scaled by n/2 for the inverse.
fn nrc2gsl(x: &[f64], y: &mut [f64], n: usize) {
    let n2 = n / 2;
    let xn2 = 0.5 * n as f64;
    y[0] = x[0] * xn2;
    if n < 2 {
        return;
    }
    y[n2] = x[1] * xn2;
    for i in 1..n2 {
        y[i] = x[2 * i] * xn2;
        y[n - i] = -x[2 * i + 1] * xn2;
    }
}

/// NEURON's `nrn_convlv`: convolves (`isign` 1) or deconvolves (-1) `data`
/// (n values, n a power of 2) with the response `respns` of `m` values in
/// wrap-around order; the result is `ans[..n]`. `data` and `respns` are
/// overwritten; `ans` must hold `2n` zeros.
pub(crate) fn nrn_convlv(
    data: &mut [f64],
    n: usize,
    respns: &mut [f64],
    m: usize,
    isign: i32,
    ans: &mut [f64],
) -> Result<(), HocError> {
    if m == 0 || m > n {
        // NEURON indexes out of bounds here.
        return Err(HocError::msg(format!(
            "nrn_convlv: the response has {m} values, needs 1 to {n}"
        )));
    }
    let n2 = n / 2;
    for i in 1..=(m - 1) / 2 {
        respns[n - i] = respns[m - i];
    }
    for r in respns.iter_mut().take(n - (m - 1) / 2).skip(m.div_ceil(2)) {
        *r = 0.0;
    }
    realft(data, n, 1);
    realft(respns, n, 1);
    ans[0] = data[0] * respns[0];
    for i in 1..n2 {
        if isign == 1 {
            ans[i] = data[i] * respns[i] - data[n - i] * respns[n - i];
            ans[n - i] = data[i] * respns[n - i] + data[n - i] * respns[i];
        } else if isign == -1 {
            let mut scl = ans[i - 1] * ans[i - 1] + ans[i] * ans[i];
            if scl == 0.0 {
                return Err(HocError::msg("Deconvolving at response zero in nrn_convlv"));
            }
            scl *= 2.0;
            ans[i] = (data[i] * respns[i] + data[n - i] * respns[n - i]) / scl;
            ans[i] = (data[i] * respns[n - i] - data[n - i] * respns[i]) / scl;
        } else {
            return Err(HocError::msg("No meaning for isign in nrn_convlv"));
        }
    }
    ans[n2] = data[n2] * respns[n2];
    realft(ans, n, -1);
    Ok(())
}

/// NEURON's `nrn_correl`: the circular correlation of `x` and `y` into `z`.
fn nrn_correl(x: &mut [f64], y: &mut [f64], n: usize, z: &mut [f64]) {
    realft(x, n, 1);
    realft(y, n, 1);
    z[0] = x[0] * y[0];
    let n2 = n / 2;
    for i in 1..n2 {
        z[i] = x[i] * y[i] + x[n - i] * y[n - i];
        z[n - i] = y[i] * x[n - i] - y[n - i] * x[i];
    }
    z[n2] = x[n2] * y[n2];
    realft(z, n, -1);
}

/// NEURON's `nrn_spctrm`: the power spectral density of `data` in
/// `numsegpairs` pairs of overlapping Bartlett-windowed segments of
/// `2·setsize` values, into `psd[..setsize]`.
fn nrn_spctrm(data: &[f64], psd: &mut [f64], setsize: usize, numsegpairs: usize) {
    let window = |j: usize, a: f64, b: f64| 1.0 - (((j as f64 - 1.0) - a) * b).abs();
    psd[..setsize].fill(0.0);
    let a = setsize as f64;
    let n = 2 * setsize;
    let mut wfac = 0.0;
    for j in 1..=n {
        let w = window(j, a, 1.0 / a);
        wfac += w * w;
    }
    let mut fftv = vec![0.0; n];
    let mut cx = 0;
    for _ in 1..=numsegpairs * 2 {
        fftv.copy_from_slice(&data[cx..cx + n]);
        cx += n;
        cx -= setsize;
        for j in 1..=n {
            fftv[j - 1] *= window(j, a, 1.0 / a);
        }
        realft(&mut fftv, n, 1);
        psd[0] += fftv[0] * fftv[0];
        for j in 1..setsize {
            psd[j] += fftv[j] * fftv[j] + fftv[n - j] * fftv[n - j];
        }
    }
    let wfac = 1.0 / (wfac * n as f64 * numsegpairs as f64);
    for p in &mut psd[..setsize] {
        *p *= wfac;
    }
    psd[0] *= 0.5;
}

/// The smallest power of 2 that is at least `m` (and at least 1).
fn pow2_at_least(m: usize) -> usize {
    let mut n = 1;
    while n < m {
        n *= 2;
    }
    n
}

/// Stores `vals` as this Vector's elements, resizing it first if needed.
fn store(this: &Obj, vals: &[f64]) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let mut v = d.borrow_mut();
    if v.len() != vals.len() {
        resize_vec(&mut v, vals.len())?;
    }
    v.copy_from_slice(vals);
    ret_self(this)
}

/// `correl(src [, src2])`: the circular cross-correlation (or the
/// autocorrelation) into this Vector, zero-padded to a power of 2.
fn correl(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let v1 = vec_arg_copy(args, 0)?;
    let v2 = if args.len() > 1 {
        vec_arg_copy(args, 1)?
    } else {
        v1.clone()
    };
    let n = pow2_at_least(v1.len().max(v2.len()));
    let mut d1 = zeros(n)?;
    d1[..v1.len()].copy_from_slice(&v1);
    let mut d2 = zeros(n)?;
    d2[..v2.len()].copy_from_slice(&v2);
    let mut ans = zeros(n)?;
    nrn_correl(&mut d1, &mut d2, n, &mut ans);
    store(this, &ans)
}

/// `convlv(src, filter [, isign])`: convolution (or, with -1,
/// deconvolution) of `src` by a response in wrap-around order.
fn convlv(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let v1 = vec_arg_copy(args, 0)?;
    let v2 = vec_arg_copy(args, 1)?;
    let isign = if args.len() > 2 {
        c_int(args.num(2)?)
    } else {
        1
    };
    let n = pow2_at_least(v1.len().max(v2.len()));
    let mut data = zeros(n)?;
    data[..v1.len()].copy_from_slice(&v1);
    let mut respns = zeros(n)?;
    respns[..v2.len()].copy_from_slice(&v2);
    let mut ans = zeros(2 * n)?;
    nrn_convlv(&mut data, n, &mut respns, v2.len(), isign, &mut ans)?;
    store(this, &ans[..n])
}

/// `spctrm(src [, segment])`: the power spectrum of `src`, `segment`
/// (rounded up to a power of 2, default size/8) values long.
fn spctrm(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let v1 = vec_arg_copy(args, 0)?;
    let dc = v1.len();
    let mr = if args.len() > 1 {
        c_int(args.num(1)?) as i64
    } else {
        (dc / 8) as i64
    };
    let mut m = 1usize;
    while (m as i64) < mr {
        m *= 2;
        if m > super::MAX_SIZE {
            return Err(HocError::msg("Vector.spctrm: segment too large"));
        }
    }
    let k = c_int(((dc as f64 / m as f64 - 1.0) / 2.0).ceil()) as i64;
    let n = int_size((2 * k + 1) * m as i64)?;
    let mut data = zeros(n)?;
    let copy = dc.min(n);
    data[..copy].copy_from_slice(&v1[..copy]);
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    if ans.len() < m {
        resize_vec(&mut ans, m)?;
    }
    nrn_spctrm(&data, &mut ans, m, k.max(0) as usize);
    drop(ans);
    ret_self(this)
}

/// `filter([src,] filter)`: `src` (default this Vector) convolved with the
/// transformed filter.
fn filter(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (v1, iarg) = if is_obj_arg(args, 0)? {
        (vec_arg_copy(args, 0)?, 1)
    } else {
        (vector_data(this)?.borrow().clone(), 0)
    };
    let v2 = vec_arg_copy(args, iarg)?;
    let n = pow2_at_least(v1.len().max(v2.len()));
    let mut data = zeros(n)?;
    data[..v1.len()].copy_from_slice(&v1);
    let mut filt = zeros(n)?;
    filt[..v2.len()].copy_from_slice(&v2);
    let mut ans = zeros(2 * n)?;
    realft(&mut filt, n, 1);
    nrn_convlv(&mut data, n, &mut filt, v2.len(), 1, &mut ans)?;
    store(this, &ans[..n])
}

/// `fft([src,] [1 or -1])`: the forward FFT in Numerical Recipes' layout,
/// or (-1) its inverse.
fn fft(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (v1, iarg) = if is_obj_arg(args, 0)? {
        (vec_arg_copy(args, 0)?, 1)
    } else {
        (vector_data(this)?.borrow().clone(), 0)
    };
    let inv = if args.len() > iarg {
        c_int(chkarg(args, iarg, -1.0, 1.0)?)
    } else {
        1
    };
    let n = pow2_at_least(v1.len());
    let mut data = zeros(n)?;
    data[..v1.len()].copy_from_slice(&v1);
    let mut out = zeros(n)?;
    if inv == -1 {
        nrc2gsl(&data, &mut out, n);
        realft(&mut out, n, -1);
    } else {
        realft(&mut data, n, 1);
        gsl2nrc(&data, &mut out, n);
    }
    store(this, &out)
}
