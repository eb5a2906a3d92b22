//! Reductions and statistics: `min max min_ind max_ind sum sumsq mean var
//! stdev stderr median mag dot meansqerr scale trigavg`. Sums run left to
//! right as `std::accumulate` does, so results match NEURON to the bit.

use super::cxx::{max_element, min_element, minmax_element, std_sort};
use super::{
    c_int, chkarg, hoc_sqrt, int_range, int_size, opt_range, resize_vec, vec_arg_copy, vector_data,
    Builder,
};
use nerve_runtime::hoc::{Args, HocError, Interpreter, Obj, Value};

/// Adds this module's methods.
pub(crate) fn methods(b: Builder) -> Builder {
    b.method("min", |_, this, args| {
        extreme(this, args, |s| Value::Num(s.1[min_element(s.1)]), 0.0)
    })
    .method("max", |_, this, args| {
        extreme(this, args, |s| Value::Num(s.1[max_element(s.1)]), 0.0)
    })
    .method("min_ind", |_, this, args| {
        extreme(
            this,
            args,
            |s| Value::Num((s.0 + min_element(s.1)) as f64),
            -1.0,
        )
    })
    .method("max_ind", |_, this, args| {
        extreme(
            this,
            args,
            |s| Value::Num((s.0 + max_element(s.1)) as f64),
            -1.0,
        )
    })
    .method("sum", |_, this, args| {
        let d = vector_data(this)?;
        let v = d.borrow();
        Ok(Value::Num(match opt_range(args, 0, v.len())? {
            Some((s, e)) => sum(&v[s..=e]),
            None => 0.0,
        }))
    })
    .method("sumsq", |_, this, args| {
        let d = vector_data(this)?;
        let v = d.borrow();
        Ok(Value::Num(match opt_range(args, 0, v.len())? {
            Some((s, e)) => sumsq(&v[s..=e]),
            None => 0.0,
        }))
    })
    .method("mean", mean)
    .method("var", |_, this, args| spread(this, args, var))
    .method("stdev", |_, this, args| {
        spread(this, args, |s| var(s).sqrt())
    })
    .method("stderr", stderr)
    .method("median", |_, this, _| {
        let mut s = vector_data(this)?.borrow().clone();
        if s.is_empty() {
            return Err(HocError::msg("Vector must have size > 0"));
        }
        std_sort(&mut s);
        let n2 = s.len() / 2;
        Ok(Value::Num(if 2 * n2 == s.len() {
            (s[n2 - 1] + s[n2]) / 2.0
        } else {
            s[n2]
        }))
    })
    .method("mag", |_, this, _| {
        Ok(Value::Num(hoc_sqrt(sumsq(&vector_data(this)?.borrow()))?))
    })
    .method("dot", |_, this, args| {
        let y = vec_arg_copy(args, 0)?;
        let d = vector_data(this)?;
        let x = d.borrow();
        if y.len() < x.len() {
            // NEURON reads past the end of the argument (and may crash).
            return Err(HocError::msg(format!(
                "Vector.dot: the argument has {} elements, fewer than {}",
                y.len(),
                x.len()
            )));
        }
        let mut acc = 0.0;
        for (a, b) in x.iter().zip(&y) {
            acc += a * b;
        }
        Ok(Value::Num(acc))
    })
    .method("meansqerr", meansqerr)
    .method("scale", scale)
    .method("trigavg", trigavg)
}

/// `min`, `max`, `min_ind`, `max_ind`: `empty` for an empty Vector (before
/// any argument check), else `f((start, slice))` over the optional range.
fn extreme(
    this: &Obj,
    args: &Args,
    f: impl Fn((usize, &[f64])) -> Value,
    empty: f64,
) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let v = d.borrow();
    if v.is_empty() {
        return Ok(Value::Num(empty));
    }
    let (s, e) = int_range(args, 0, v.len())?;
    Ok(f((s, &v[s..=e])))
}

/// `std::accumulate(begin, end, 0.0)`.
pub(crate) fn sum(s: &[f64]) -> f64 {
    s.iter().fold(0.0, |acc, &x| acc + x)
}

/// `std::inner_product(begin, end, begin, 0.0)`.
pub(crate) fn sumsq(s: &[f64]) -> f64 {
    s.iter().fold(0.0, |acc, &x| acc + x * x)
}

/// NEURON's `var()` template: the sample variance (divides by n - 1).
fn var(s: &[f64]) -> f64 {
    let n = s.len() as f64;
    let m = sum(s) / n;
    let accum = s.iter().fold(0.0, |acc, &d| acc + (d - m) * (d - m));
    accum / (n - 1.0)
}

/// `mean([start, end])`. With a range NEURON returns `sum / end - start + 1`
/// (an operator-precedence slip in NEURON that is reproduced here).
fn mean(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let v = d.borrow();
    if !args.is_empty() {
        let (s, e) = int_range(args, 0, v.len())?;
        if e - s < 1 {
            return Err(HocError::msg("end - start must be > 0"));
        }
        let total = sum(&v[s..=e]);
        return Ok(Value::Num(total / e as f64 - s as f64 + 1.0));
    }
    if v.is_empty() {
        return Err(HocError::msg("Vector must have size > 0"));
    }
    Ok(Value::Num(sum(&v) / v.len() as f64))
}

/// `var` and `stdev`: at least two elements.
fn spread(this: &Obj, args: &Args, f: impl Fn(&[f64]) -> f64) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let v = d.borrow();
    if !args.is_empty() {
        let (s, e) = int_range(args, 0, v.len())?;
        if e - s < 1 {
            return Err(HocError::msg("end - start must be > 1"));
        }
        return Ok(Value::Num(f(&v[s..=e])));
    }
    if v.len() < 2 {
        return Err(HocError::msg("Vector must have size > 1"));
    }
    Ok(Value::Num(f(&v)))
}

/// `stderr([start, end])`: the standard error of the mean.
fn stderr(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let v = d.borrow();
    if !args.is_empty() {
        let (s, e) = int_range(args, 0, v.len())?;
        if e - s < 1 {
            return Err(HocError::msg("end - start must be > 1"));
        }
        let sd = var(&v[s..=e]).sqrt();
        return Ok(Value::Num(sd / hoc_sqrt((e - s + 1) as f64)?));
    }
    if v.len() < 2 {
        return Err(HocError::msg("Vector must have size > 1"));
    }
    Ok(Value::Num(var(&v).sqrt() / hoc_sqrt(v.len() as f64)?))
}

/// `meansqerr(v [, weights])`: the mean of (weighted) squared differences.
fn meansqerr(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let y = vec_arg_copy(args, 0)?;
    let w = if args.len() > 1 {
        Some(vec_arg_copy(args, 1)?)
    } else {
        None
    };
    let d = vector_data(this)?;
    let x = d.borrow();
    let size = x.len();
    if size > y.len() || size == 0 {
        return Err(HocError::msg("Vector Vector argument too small"));
    }
    let mut err = 0.0;
    match w {
        Some(w) => {
            if size > w.len() {
                return Err(HocError::msg("Vector second Vector size too small"));
            }
            for i in 0..size {
                let diff = x[i] - y[i];
                err += diff * diff * w[i];
            }
        }
        None => {
            for i in 0..size {
                let diff = x[i] - y[i];
                err += diff * diff;
            }
        }
    }
    Ok(Value::Num(err / size as f64))
}

/// `scale(low, high)`: maps the range of the elements linearly onto
/// `[low, high]`; returns the scale factor (0 when all are equal).
fn scale(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let a = args.num(0)?;
    let b = args.num(1)?;
    let d = vector_data(this)?;
    let mut x = d.borrow_mut();
    let (imin, imax) = minmax_element(&x).ok_or_else(|| {
        // NEURON reads past the end of an empty Vector here.
        HocError::msg("Vector.scale: the Vector is empty")
    })?;
    let (min, max) = (x[imin], x[imax]);
    let r = max - min;
    let sf = if r > 0.0 {
        let sf = (b - a) / r;
        for e in x.iter_mut() {
            *e -= min;
            *e *= sf;
            *e += a;
        }
        sf
    } else {
        0.0
    };
    Ok(Value::Num(sf))
}

/// `trigavg(data, triggers, pre, post)`: the event-triggered average of
/// `data` around the trigger indices; returns the number of triggers used.
fn trigavg(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let data = vec_arg_copy(args, 0)?;
    let trig = vec_arg_copy(args, 1)?;
    let n = data.len() as i64;
    let top = n as f64 - 1.0;
    let pre = c_int(chkarg(args, 2, 0.0, top)?) as i64;
    let post = c_int(chkarg(args, 3, 0.0, top)?) as i64;
    let m = int_size(pre + post)?;
    let d = vector_data(this)?;
    let mut avg = d.borrow_mut();
    if avg.len() != m {
        resize_vec(&mut avg, m)?;
    }
    avg.fill(0.0);
    let mut trcount = 0i64;
    for &t in &trig {
        let tr = c_int(t) as i64;
        if tr >= pre && tr < n - post {
            trcount += 1;
            for j in -pre..post {
                avg[(j + pre) as usize] += data[(tr + j) as usize];
            }
        }
    }
    let c = trcount as f64;
    for e in avg.iter_mut() {
        *e /= c;
    }
    Ok(Value::Num(c))
}
