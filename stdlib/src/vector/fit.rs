//! `Vector.fit`: NEURON's simplex least-squares fit of a built-in model
//! (`exp1 exp2 charging line quad`) or of a HOC function to this Vector,
//! ported step by step from `ivocvect.cpp` so that the parameters found are
//! NEURON's.

use super::math::call_hoc_function;
use super::{hoc_exp, resize_vec, vec_arg, vec_arg_copy, vector_data, Builder};
use nerve_runtime::hoc::{Args, HocError, Interpreter, Obj, Value};

const MAX_FIT_PARAMS: usize = 20;
const SIMPLEX_MAXN: f64 = 1e300;
const SIMPLEX_INORM: f64 = 1.2;
const SIMPLEX_ALPHA: f64 = 2.0;
const SIMPLEX_BETA: f64 = 1.4;
const SIMPLEX_GAMMA: f64 = 0.7;
const SIMPLEX_DELTA: f64 = 0.3;
/// Steps after which a fit that NEURON would keep running is stopped.
const MAX_STEPS: u64 = 10_000_000;

/// Adds `fit`.
pub(crate) fn methods(b: Builder) -> Builder {
    b.method("fit", fit)
}

/// The state of one fit (NEURON keeps `splx_evl_` and `renew_` in statics).
struct Fitter<'a> {
    interp: &'a mut Interpreter,
    x: &'a [f64],
    y: &'a [f64],
    fcn: &'a str,
    splx_evl: f64,
    renew: usize,
    steps: u64,
}

/// One of the built-in models, or a HOC function `f(x, p0, p1, ...)`.
fn model(interp: &mut Interpreter, fcn: &str, p: &[f64], t: f64) -> Result<f64, HocError> {
    Ok(match fcn {
        "exp2" => p[0] * hoc_exp(-t / p[1]) + p[2] * hoc_exp(-t / p[3]),
        "charging" => p[0] * (1.0 - hoc_exp(-t / p[1])) + p[2] * (1.0 - hoc_exp(-t / p[3])),
        "exp1" => p[0] * hoc_exp(-t / p[1]),
        "line" => p[0] * t + p[1],
        "quad" => p[0] * t * t + p[1] * t + p[2],
        _ => {
            let mut a = Vec::with_capacity(p.len() + 1);
            a.push(t);
            a.extend_from_slice(p);
            call_hoc_function(interp, fcn, &a)?
        }
    })
}

/// The number of parameters a built-in model needs, and NEURON's message.
fn needs(fcn: &str) -> Option<(usize, &'static str)> {
    match fcn {
        "exp2" => Some((4, "Vector .fit(\"exp2\") requires amp1,tau1,amp2,tau2")),
        "charging" => Some((4, "Vector .fit(\"charging\") requires amp1,tau1,amp2,tau2")),
        "exp1" => Some((2, "Vector .fit(\"exp1\") requires amp,tau")),
        "line" => Some((2, "Vector .fit(\"line\") requires slope,intercept")),
        "quad" => Some((3, "Vector .fit(\"quad\") requires ax^2+bx+c")),
        _ => None,
    }
}

impl Fitter<'_> {
    /// NEURON's `eval`: the mean squared error of the model with `p`.
    fn eval(&mut self, p: &[f64]) -> Result<f64, HocError> {
        if let Some((n, msg)) = needs(self.fcn) {
            if p.len() < n {
                return Err(HocError::msg(msg));
            }
        }
        let mut sq_err = 0.0;
        for (&t, &y) in self.x.iter().zip(self.y) {
            let guess = model(self.interp, self.fcn, p, t)? - y;
            sq_err += guess * guess;
        }
        Ok(sq_err / self.x.len() as f64)
    }

    /// NEURON's `eval_error`.
    fn eval_error(&mut self, p: &[f64]) -> Result<f64, HocError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(HocError::msg(
                "Vector.fit: no convergence after 10000000 evaluations",
            ));
        }
        let n = p.len();
        let retval = self.eval(p)?;
        if self.renew > 3 * (n + 1) {
            Ok(if retval == self.splx_evl {
                self.splx_evl
            } else {
                SIMPLEX_MAXN
            })
        } else {
            if self.splx_evl > retval {
                self.splx_evl = retval;
            }
            Ok(retval)
        }
    }

    /// NEURON's `simplex`: improves `p` in place, returns the best error.
    fn simplex(&mut self, p: &mut [f64]) -> Result<f64, HocError> {
        let n = p.len();
        let mut evortex = vec![0.0; n + 1];
        let mut gvortex = vec![0.0; n];
        let mut vortex = vec![0.0; n * (n + 1)];
        let mut nvortex = vec![0.0; n * 4];
        for i in 0..=n {
            for j in 0..n {
                vortex[i * n + j] = p[j];
                if i == j {
                    vortex[i * n + j] *= SIMPLEX_INORM;
                }
            }
        }
        for i in 0..=n {
            let v = vortex[i * n..(i + 1) * n].to_vec();
            evortex[i] = self.eval_error(&v)?;
        }
        loop {
            let (mut emax, mut emaxp) = (evortex[0], 0);
            for (i, &fv1) in evortex.iter().enumerate() {
                if fv1 > emax {
                    emax = fv1;
                    emaxp = i;
                }
            }
            gvortex.fill(0.0);
            for i in 0..=n {
                for j in 0..n {
                    gvortex[j] += vortex[i * n + j];
                }
            }
            for i in 0..n {
                gvortex[i] = (gvortex[i] - vortex[emaxp * n + i]) / n as f64;
            }
            let mut found = None;
            for (ptr, coef) in [SIMPLEX_ALPHA, SIMPLEX_BETA, SIMPLEX_GAMMA, SIMPLEX_DELTA]
                .into_iter()
                .enumerate()
            {
                for i in 0..n {
                    nvortex[ptr * n + i] = (1.0 - coef) * vortex[emaxp * n + i] + coef * gvortex[i];
                }
                let v = nvortex[ptr * n..(ptr + 1) * n].to_vec();
                let fv1 = self.eval_error(&v)?;
                if fv1 < evortex[emaxp] {
                    found = Some((ptr, fv1));
                    break;
                }
            }
            let Some((ptr, fv1)) = found else { break };
            if self.splx_evl == fv1 {
                self.renew += 1;
            }
            for i in 0..n {
                vortex[emaxp * n + i] = nvortex[ptr * n + i];
            }
            evortex[emaxp] = fv1;
        }
        let (mut emin, mut eminp) = (evortex[0], 0);
        for (i, &e) in evortex.iter().enumerate() {
            if e < emin {
                emin = e;
                eminp = i;
            }
        }
        p.copy_from_slice(&vortex[eminp * n..(eminp + 1) * n]);
        Ok(emin)
    }

    /// NEURON's `call_simplex` with `trial = 0`: restarts until stable.
    fn call_simplex(&mut self, p: &mut [f64]) -> Result<f64, HocError> {
        loop {
            self.renew = 0;
            self.splx_evl = SIMPLEX_MAXN;
            let retval = self.simplex(p)?;
            if self.renew == 0 || self.splx_evl <= retval {
                return Ok(retval);
            }
        }
    }
}

/// `fit(fitted, "fcn", indep, &p1, ...)`: fits the model to this Vector
/// (the data, sampled at `indep`), writes the parameters back through the
/// pointers and the fitted curve into `fitted`; returns the mean squared error.
fn fit(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let y = vector_data(this)?.borrow().clone();
    let (_, fd) = vec_arg(args, 0)?;
    {
        let mut f = fd.borrow_mut();
        if f.len() != y.len() {
            resize_vec(&mut f, y.len())?;
        }
    }
    let fcn = args.str(1)?;
    let x = vec_arg_copy(args, 2)?;
    if x.len() != y.len() {
        return Err(HocError::msg("Vector Indep argument to .fit() wrong size"));
    }
    if args.len() >= MAX_FIT_PARAMS {
        return Err(HocError::msg("Vector Too many parameters to fit()"));
    }
    let mut ptrs = Vec::new();
    let mut p = Vec::new();
    for i in 3..args.len() {
        let ptr = args.ptr(i)?;
        p.push(interp.ptr_get(&ptr)?);
        ptrs.push(ptr);
    }
    let mut fitter = Fitter {
        interp,
        x: &x,
        y: &y,
        fcn: &fcn,
        splx_evl: SIMPLEX_MAXN,
        renew: 0,
        steps: 0,
    };
    let meansqerr = fitter.call_simplex(&mut p)?;
    for (ptr, &v) in ptrs.iter().zip(&p) {
        interp.ptr_set(ptr, v)?;
    }
    let mut fitted = Vec::with_capacity(x.len());
    for &t in &x {
        if let Some((n, msg)) = needs(&fcn) {
            if p.len() < n {
                return Err(HocError::msg(msg));
            }
        }
        fitted.push(model(interp, &fcn, &p, t)?);
    }
    let mut f = fd.borrow_mut();
    let n = f.len().min(fitted.len());
    f[..n].copy_from_slice(&fitted[..n]);
    Ok(Value::Num(meansqerr))
}
