//! Element-wise arithmetic and functions, calls to HOC functions, random
//! fills and the signal-processing methods that need no FFT: `add sub mul
//! div sqrt abs floor tanh log log10 pow sin apply reduce addrand setrand
//! deriv integral interpolate histogram hist sumgauss smhist spikebin rebin
//! medfltr resample psth inf`.

use super::cxx::std_sort;
use super::fourier::nrn_convlv;
use super::{
    at, c_int, chkarg, hoc_exp, hoc_sqrt, int_size, is_obj_arg, new_vector, opt_range, resize_vec,
    ret_self, same_err, set_at, vec_arg, vec_arg_copy, vector_data, zeros, Builder, Src,
};
use crate::random::{HocRandom, RandomContext};
use nerve_compiler::hoc::ast::Span;
use nerve_runtime::hoc::symbols::Sym;
use nerve_runtime::hoc::value::ClassKind;
use nerve_runtime::hoc::{Args, HocError, Interpreter, Obj, Value};
use std::f64::consts::PI;
use std::rc::Rc;

/// Adds this module's methods.
pub(crate) fn methods(b: Builder) -> Builder {
    let b = b
        .method("add", |_, this, args| {
            arith(this, args, "add", |a, b| a + b)
        })
        .method("sub", |_, this, args| {
            arith(this, args, "sub", |a, b| a - b)
        })
        .method("mul", |_, this, args| {
            arith(this, args, "mult", |a, b| a * b)
        })
        .method("div", |_, this, args| {
            arith(this, args, "div", |a, b| a / b)
        })
        .method("sqrt", |_, this, args| unary(this, args, hoc_sqrt))
        .method("abs", |_, this, args| unary(this, args, |x| Ok(x.abs())))
        .method("floor", |_, this, args| {
            unary(this, args, |x| Ok(x.floor()))
        })
        .method("tanh", |_, this, args| unary(this, args, |x| Ok(x.tanh())))
        .method("log", |_, this, args| unary(this, args, |x| Ok(x.ln())))
        .method("log10", |_, this, args| {
            unary(this, args, |x| Ok(x.log10()))
        })
        .method("pow", pow)
        .method("sin", sin)
        .method("apply", apply)
        .method("reduce", reduce)
        .method("addrand", |i, this, args| random_fill(i, this, args, true))
        .method("setrand", |i, this, args| random_fill(i, this, args, false))
        .method("deriv", deriv)
        .method("integral", integral)
        .method("interpolate", interpolate);
    let b = b
        .method("histogram", histogram)
        .method("hist", hist)
        .method("sumgauss", sumgauss)
        .method("smhist", smhist)
        .method("spikebin", spikebin)
        .method("rebin", rebin)
        .method("medfltr", medfltr)
        .method("resample", resample)
        .method("psth", psth)
        .method("inf", inf);
    super::fit::methods(b)
}

/// `add`, `sub`, `mul`, `div` with a number or a Vector of the same size.
fn arith(
    this: &Obj,
    args: &Args,
    name: &str,
    f: impl Fn(f64, f64) -> f64,
) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    match args.get(0)? {
        Value::Num(s) => {
            if name == "div" && *s == 0.0 {
                return Err(HocError::msg("Vector Division by zero"));
            }
            for e in d.borrow_mut().iter_mut() {
                *e = f(*e, *s);
            }
        }
        Value::Obj(_) => {
            let y = vec_arg_copy(args, 0)?;
            let mut x = d.borrow_mut();
            if x.len() != y.len() {
                return Err(HocError::msg(format!(
                    "Vector Vector argument to .{name}() wrong size"
                )));
            }
            for (a, b) in x.iter_mut().zip(&y) {
                *a = f(*a, *b);
            }
        }
        _ => {}
    }
    ret_self(this)
}

/// Element functions `v.f()` / `v.f(src)`: the result replaces this Vector's
/// elements. A failing element (`sqrt` of a negative) stops the loop there,
/// leaving the earlier elements done, as in NEURON.
fn unary(
    this: &Obj,
    args: &Args,
    f: impl Fn(f64) -> Result<f64, HocError>,
) -> Result<Value, HocError> {
    let src = if args.is_empty() {
        Src::Alias
    } else {
        Src::arg(this, args, 0)?
    };
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    let n = src.len(&ans);
    if ans.len() != n {
        resize_vec(&mut ans, n)?;
    }
    for i in 0..n {
        let x = src.at(&ans, i as i64, this, args.name())?;
        ans[i] = f(x)?;
    }
    ret_self(this)
}

/// `pow([src,] p)`.
fn pow(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (src, iarg) = if is_obj_arg(args, 0)? {
        (Src::arg(this, args, 0)?, 1)
    } else {
        (Src::Alias, 0)
    };
    let p = args.num(iarg)?;
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    let n = src.len(&ans);
    if ans.len() != n {
        resize_vec(&mut ans, n)?;
    }
    for i in 0..n {
        let x = src.at(&ans, i as i64, this, "pow")?;
        ans[i] = if p == -1.0 {
            // NEURON tests the destination element (and reuses where's message).
            if ans[i] == 0.0 {
                return Err(HocError::msg("Vector Invalid comparator in .where()"));
            }
            1.0 / x
        } else if p == 0.0 {
            1.0
        } else if p == 0.5 {
            hoc_sqrt(x)?
        } else if p == 1.0 {
            x
        } else if p == 2.0 {
            x * x
        } else {
            x.powf(p)
        };
    }
    ret_self(this)
}

/// `sin(freq, phase [, dx])`: a sine wave, frequency in Hz with `dx` in ms.
fn sin(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let freq = args.num(0)?;
    let phase = args.num(1)?;
    let dx = if args.len() > 2 { args.num(2)? } else { 1.0 };
    let period = 2.0 * PI / 1000.0 * freq * dx;
    for (i, e) in vector_data(this)?.borrow_mut().iter_mut().enumerate() {
        *e = (period * i as f64 + phase).sin();
    }
    ret_self(this)
}

// ------------------------------------------------------- calling HOC functions

/// Arguments and result of a HOC function called by name from Rust, passed
/// through the two helper built-ins below.
#[derive(Default)]
struct CallSlot {
    args: Vec<f64>,
    ret: Option<f64>,
}

const ARG_FN: &str = "__vector_call_arg";
const RET_FN: &str = "__vector_call_ret";

/// Registers the helper built-ins [`call_hoc_function`] uses to pass
/// numbers into and out of HOC code exactly (NaN signs included).
pub(crate) fn register_call_helpers(interp: &mut Interpreter) {
    interp.register_fn(ARG_FN, |i, a| {
        let k = a.index(0)?;
        let x = i.ext::<CallSlot>().args.get(k).copied();
        x.map(Value::Num)
            .ok_or_else(|| HocError::msg(format!("{ARG_FN}: no argument {k}")))
    });
    interp.register_fn(RET_FN, |i, a| {
        let x = a.num(0)?;
        i.ext::<CallSlot>().ret = Some(x);
        Ok(Value::Num(x))
    });
}

/// Calls the HOC function (or built-in function) called `name` with
/// numeric arguments and returns its number, as NEURON's `hoc_call_func`
/// does for `apply`, `reduce` and `fit`: inside a method, a function of the
/// object's template comes first, as in NEURON; then global functions.
pub fn call_hoc_function(
    interp: &mut Interpreter,
    name: &str,
    args: &[f64],
) -> Result<f64, HocError> {
    // Inside a method, a member of the object's template comes first.
    let member_of = interp.current_object().filter(|o| match &o.class.kind {
        ClassKind::Template(t) => t.find(name).is_some(),
        ClassKind::Native(_) => false,
    });
    if let Some(obj) = member_of {
        let vals = args.iter().map(|&x| Value::Num(x)).collect();
        let v = interp.member_get(&obj, &Rc::from(name), &[], Some(vals), Span::default())?;
        return number_result(name, v);
    }
    match interp.symbol_kind(name).cloned() {
        Some(Sym::Builtin(f)) => {
            let vals = args.iter().map(|&x| Value::Num(x)).collect();
            let mut a = Args::new(name.into(), vals);
            let v = f(interp, &mut a)?;
            number_result(name, v)
        }
        Some(Sym::Proc(_)) => call_by_text(interp, name, args),
        None | Some(Sym::Undef) => Err(HocError::msg(format!("{name} is undefined"))),
        Some(other) => Err(HocError::msg(format!(
            "{name} is {}, not a function",
            other.kind_name()
        ))),
    }
}

/// The number a called function returned.
fn number_result(name: &str, v: Value) -> Result<f64, HocError> {
    match v {
        Value::Num(x) => Ok(x),
        other => Err(HocError::msg(format!(
            "{name} returned {}, not a number",
            other.type_name()
        ))),
    }
}

/// Calls the global HOC function `name(args...)` by running HOC text at
/// top level, passing the numbers through the helper built-ins.
fn call_by_text(interp: &mut Interpreter, name: &str, args: &[f64]) -> Result<f64, HocError> {
    let ident = !name.is_empty()
        && name
            .chars()
            .enumerate()
            .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
    if !ident {
        return Err(HocError::msg(format!("{name} is undefined")));
    }
    let list: Vec<String> = (0..args.len()).map(|k| format!("{ARG_FN}({k})")).collect();
    let text = format!("{{{RET_FN}({name}({}))}}\n", list.join(", "));
    let saved_args = std::mem::replace(&mut interp.ext::<CallSlot>().args, args.to_vec());
    let saved_ret = interp.ext::<CallSlot>().ret.take();
    let r = interp.execute_string(name, &text);
    let slot = interp.ext::<CallSlot>();
    let ret = slot.ret.take();
    slot.args = saved_args;
    slot.ret = saved_ret;
    r?;
    ret.ok_or_else(|| HocError::msg(format!("{name} did not return a number")))
}

/// Whether `name` can be called: a global function, or a member of the
/// template of the object whose method is running.
fn callable(interp: &Interpreter, name: &str) -> bool {
    let member = interp
        .current_object()
        .is_some_and(|o| match &o.class.kind {
            ClassKind::Template(t) => t.find(name).is_some(),
            ClassKind::Native(_) => false,
        });
    member || !matches!(interp.symbol_kind(name), None | Some(Sym::Undef))
}

/// `apply("func" [, start, end])`: replaces elements by `func(element)`.
fn apply(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    if args.len() > 3 {
        return Err(HocError::msg("Too many parameters to apply method."));
    }
    let d = vector_data(this)?;
    let len = d.borrow().len();
    let range = opt_range(args, 1, len)?;
    if !args.is_str(0) {
        return Err(HocError::msg(
            "apply: first argument must be a HOC string or a Python callable",
        ));
    }
    let func = args.str(0)?;
    if !callable(interp, &func) {
        return Err(HocError::msg(format!("{func} is undefined")));
    }
    if let Some((s, e)) = range {
        for i in s..=e {
            let x = at(&d.borrow(), i as i64, this, "apply")?;
            let y = call_hoc_function(interp, &func, &[x])?;
            set_at(&mut d.borrow_mut(), i as i64, y, this, "apply")?;
        }
    }
    ret_self(this)
}

/// `reduce("func" [, base [, start, end]])`: `base + Σ func(element)`.
fn reduce(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let len = d.borrow().len();
    let range = opt_range(args, 2, len)?;
    let func = args.str(0)?;
    let mut base = if args.len() > 1 { args.num(1)? } else { 0.0 };
    if !callable(interp, &func) {
        return Err(HocError::msg(format!("{func} is undefined")));
    }
    if let Some((s, e)) = range {
        for i in s..=e {
            let x = at(&d.borrow(), i as i64, this, "reduce")?;
            base += call_hoc_function(interp, &func, &[x])?;
        }
    }
    Ok(Value::Num(base))
}

/// `addrand(Random [, start, end])` and `setrand(Random [, start, end])`.
fn random_fill(
    interp: &mut Interpreter,
    this: &Obj,
    args: &mut Args,
    add: bool,
) -> Result<Value, HocError> {
    let r = match args.obj(0)? {
        Some(r) if r.is("Random") => r,
        Some(r) => {
            return Err(HocError::msg(format!(
                "object type is {} instead of Random",
                r.class.name
            )))
        }
        None => return Err(HocError::msg("object type is nullptr instead of Random")),
    };
    let d = vector_data(this)?;
    let len = d.borrow().len();
    let Some((s, e)) = opt_range(args, 1, len)? else {
        return ret_self(this);
    };
    let mut rnd = r.native_mut::<HocRandom>()?;
    let ctx: &RandomContext = interp.ext::<RandomContext>();
    let mut v = d.borrow_mut();
    for x in &mut v[s..=e] {
        let y = rnd.repick(ctx).map_err(|e| HocError::msg(e.to_string()))?;
        *x = if add { *x + y } else { y };
    }
    ret_self(this)
}

// ------------------------------------------------------------ calculus

/// NEURON's `possible_srcvec`: a Vector first argument is the source, else
/// a copy of this Vector. Returns the source and the next argument index.
fn possible_src(this: &Obj, args: &Args) -> Result<(Src, usize), HocError> {
    if !args.is_empty() && args.is_obj(0) {
        Ok((Src::arg(this, args, 0)?, 1))
    } else {
        Ok((Src::Own(vector_data(this)?.borrow().clone()), 0))
    }
}

/// `deriv([src,] [dx [, 1 or 2]])`: the derivative (centered differences
/// with one-sided ends, or forward differences giving n - 1 values).
fn deriv(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (src, mut iarg) = possible_src(this, args)?;
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    let n = src.len(&ans);
    if n < 2 {
        return Err(HocError::msg(
            "Can't take derivative of Vector with less than two points",
        ));
    }
    if ans.len() != n {
        resize_vec(&mut ans, n)?;
    }
    let mut dx = 1.0;
    if args.len() > iarg {
        dx = args.num(iarg)?;
        iarg += 1;
    }
    let mut sym = 2;
    if args.len() > iarg {
        sym = c_int(chkarg(args, iarg, 1.0, 2.0)?);
    }
    let n = n as i64;
    let s = |ans: &[f64], i: i64| src.at(ans, i, this, "deriv");
    if sym == 2 {
        let v = (s(&ans, 1)? - s(&ans, 0)?) / dx;
        set_at(&mut ans, 0, v, this, "deriv")?;
        let v = (s(&ans, n - 1)? - s(&ans, n - 2)?) / dx;
        set_at(&mut ans, n - 1, v, this, "deriv")?;
        let dx = dx * 2.0;
        for i in 1..n - 1 {
            let v = (s(&ans, i + 1)? - s(&ans, i - 1)?) / dx;
            set_at(&mut ans, i, v, this, "deriv")?;
        }
    } else {
        resize_vec(&mut ans, (n - 1) as usize)?;
        for i in 0..n - 1 {
            let v = (s(&ans, i + 1)? - s(&ans, i)?) / dx;
            set_at(&mut ans, i, v, this, "deriv")?;
        }
    }
    ret_self(this)
}

/// `integral([src,] [dx])`: the running sum (Euler integration).
fn integral(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (src, iarg) = if !args.is_empty() && args.is_obj(0) {
        (Src::arg(this, args, 0)?, 1)
    } else {
        (Src::Alias, 0)
    };
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    let n = src.len(&ans);
    if ans.len() != n {
        resize_vec(&mut ans, n)?;
    }
    let dx = if args.len() > iarg {
        args.num(iarg)?
    } else {
        1.0
    };
    let v0 = src.at(&ans, 0, this, "integral")?;
    set_at(&mut ans, 0, v0, this, "integral")?;
    for i in 1..n {
        let v = ans[i - 1] + src.at(&ans, i as i64, this, "integral")? * dx;
        ans[i] = v;
    }
    ret_self(this)
}

/// `interpolate(xdest, xsrc [, ysrc])`: linear interpolation of the curve
/// `(xsrc, ysrc)` (default: this Vector's old values) at `xdest`.
fn interpolate(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let xd = Src::arg(this, args, 0)?;
    let xs = Src::arg(this, args, 1)?;
    let d = vector_data(this)?;
    let ys = if args.len() > 2 {
        Src::arg(this, args, 2)?
    } else {
        Src::Own(d.borrow().clone())
    };
    let mut yd = d.borrow_mut();
    let ns = xs.len(&yd) as i64;
    let nd = xd.len(&yd) as i64;
    resize_vec(&mut yd, nd as usize)?;
    let m = "interpolate";
    let g = |v: &Src, yd: &[f64], i: i64| v.at(yd, i, this, m);
    let mut id = 0i64;
    while id < nd && g(&xd, &yd, id)? <= g(&xs, &yd, 0)? {
        let y = g(&ys, &yd, 0)?;
        set_at(&mut yd, id, y, this, m)?;
        id += 1;
    }
    let mut is = 1i64;
    while is < ns && id < nd {
        if g(&xs, &yd, is)? <= g(&xs, &yd, is - 1)? {
            is += 1;
            continue;
        }
        while g(&xd, &yd, id)? <= g(&xs, &yd, is)? {
            let x0 = g(&xs, &yd, is - 1)?;
            let thet = (g(&xd, &yd, id)? - x0) / (g(&xs, &yd, is)? - x0);
            let y = (1.0 - thet) * g(&ys, &yd, is - 1)? + thet * g(&ys, &yd, is)?;
            set_at(&mut yd, id, y, this, m)?;
            id += 1;
            if id >= nd {
                break;
            }
        }
        is += 1;
    }
    while id < nd {
        let y = g(&ys, &yd, ns - 1)?;
        set_at(&mut yd, id, y, this, m)?;
        id += 1;
    }
    ret_self(this)
}

// ---------------------------------------------------------- histograms

/// `histogram(low, high, width)`: a new Vector of bin counts; bin 0 counts
/// values below `low`, bin `i` values in `[low + (i-1)·width, low + i·width)`.
fn histogram(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let low = args.num(0)?;
    let high = chkarg(args, 1, low, 1e99)?;
    let width = chkarg(args, 2, 0.0, high - low)?;
    let n = c_int(((high - low) / width).floor()) as i64 + 2;
    let mut y = zeros(int_size(n)?)?;
    for &x in vector_data(this)?.borrow().iter() {
        let ind = c_int(((x - low) / width).floor()) as i64 + 1;
        if ind >= 0 && ind < n {
            y[ind as usize] += 1.0;
        }
    }
    Ok(Value::Obj(Some(new_vector(interp, y)?)))
}

/// `hist(data, start, size, step)`: bin counts of `data` into this Vector.
fn hist(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (o, dd) = vec_arg(args, 0)?;
    same_err("hist", this, &o)?;
    let data = dd.borrow().clone();
    let start = args.num(1)?;
    let size = c_int(args.num(2)?) as i64;
    let step = chkarg(args, 3, 1e-99, 1e99)?;
    let d = vector_data(this)?;
    let mut hv = d.borrow_mut();
    if hv.len() as i64 != size {
        resize_vec(&mut hv, int_size(size)?)?;
    }
    hv.fill(0.0);
    for &x in &data {
        let ind = c_int(((x - start) / step).floor());
        if ind >= 0 && (ind as usize) < hv.len() {
            hv[ind as usize] += 1.0;
        }
    }
    ret_self(this)
}

/// `sumgauss(low, high, step, var [, weights])`: a new Vector, the sum of
/// Gaussians centred on the elements.
fn sumgauss(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let x = vector_data(this)?.borrow().clone();
    let low = args.num(0)?;
    let high = chkarg(args, 1, low, 1e99)?;
    let step = chkarg(args, 2, 1e-99, 1e99)?;
    let var = chkarg(args, 3, 0.0, 1e99)?;
    let w = if args.len() > 4 {
        vec_arg_copy(args, 4)?
    } else {
        vec![1.0; x.len()]
    };
    let points = c_int((high - low) / step + 0.5) as i64;
    let mut sum = zeros(int_size(points)?)?;
    let svar = var / (step * step);
    let scale = 1.0 / hoc_sqrt(2.0 * PI * var)?;
    for (i, &xi) in x.iter().enumerate() {
        let xv = c_int((xi - low) / step) as f64;
        for (j, s) in sum.iter_mut().enumerate() {
            let dj = j as f64 - xv;
            let arg = -dj * dj / (2.0 * svar);
            if arg > -20.0 {
                let wi = at(&w, i as i64, this, "sumgauss")?;
                *s += hoc_exp(arg) * scale * wi;
            }
        }
    }
    Ok(Value::Obj(Some(new_vector(interp, sum)?)))
}

/// `smhist(data, start, size, step, var [, weights])`: a histogram of
/// `data` smoothed by convolution with a Gaussian, into this Vector.
fn smhist(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let data = vec_arg_copy(args, 0)?;
    let start = args.num(1)?;
    let size = c_int(args.num(2)?) as i64;
    let step = chkarg(args, 3, 1e-99, 1e99)?;
    let var = chkarg(args, 4, 0.0, 1e99)?;
    let w = if args.len() > 5 {
        let w = vec_arg_copy(args, 5)?;
        if w.len() != data.len() {
            return Err(HocError::msg(
                "Vector.smhist: weight Vector must be same size as source Vector.",
            ));
        }
        Some(w)
    } else {
        None
    };
    let svar = 2.0 * var / (step * step);
    let scale = 1.0 / hoc_sqrt(2.0 * PI * var)?;
    let g2 = c_int((10.0 * svar).sqrt()) as i64;
    if g2 < 0 || g2 > super::MAX_SIZE as i64 / 4 {
        return Err(HocError::msg("Vector.smhist: the Gaussian is too wide"));
    }
    let g = g2 * 2 + 1;
    let mut n = 1i64;
    while n < size + g {
        n *= 2;
        if n > super::MAX_SIZE as i64 {
            return Err(HocError::msg("Vector.smhist: size too large"));
        }
    }
    let nu = n as usize;
    let mut gauss = zeros(nu)?;
    for i in 0..=g2 {
        gauss[i as usize] = scale * hoc_exp(-((i * i) as f64) / svar);
    }
    for i in 1..=g2 {
        gauss[(g - i) as usize] = scale * hoc_exp(-((i * i) as f64) / svar);
    }
    let mut series = zeros(nu)?;
    let high = start + n as f64 * step;
    for (i, &x) in data.iter().enumerate() {
        if x >= start && x < high {
            let k = c_int((x - start) / step);
            if k >= 0 && (k as usize) < nu {
                series[k as usize] += w.as_ref().map_or(1.0, |w| w[i]);
            }
        }
    }
    let mut ans = zeros(2 * nu)?;
    nrn_convlv(&mut series, nu, &mut gauss, g as usize, 1, &mut ans)?;
    let d = vector_data(this)?;
    let mut v1 = d.borrow_mut();
    if v1.len() as i64 != size {
        resize_vec(&mut v1, int_size(size)?)?;
    }
    v1.fill(0.0);
    for i in 0..v1.len().min(nu) {
        if ans[i] > 1e-9 {
            v1[i] = ans[i];
        }
    }
    ret_self(this)
}

// ------------------------------------------------------------- signals

/// `spikebin(data, thresh [, bin])`: 1 in each bin where `data` crosses
/// `thresh` upward, else 0.
fn spikebin(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let v1 = Src::arg(this, args, 0)?;
    let thresh = args.num(1)?;
    let bin = if args.len() > 2 {
        c_int(chkarg(args, 2, 0.0, 1e6)?) as i64
    } else {
        1
    };
    if bin <= 0 {
        // NEURON divides by the bin width here (a floating point exception).
        return Err(HocError::msg(
            "Vector.spikebin: the bin width must be at least 1",
        ));
    }
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    let n = v1.len(&ans) as i64 / bin;
    if ans.len() as i64 != n {
        resize_vec(&mut ans, n as usize)?;
    }
    ans.fill(0.0);
    let mut firing = false;
    for i in 0..n {
        for j in 0..bin {
            let x = v1.at(&ans, i * bin + j, this, "spikebin")?;
            if x >= thresh && !firing {
                firing = true;
                ans[i as usize] = 1.0;
            } else if firing && x < thresh {
                firing = false;
            }
        }
    }
    ret_self(this)
}

/// `rebin([src,] factor)`: sums of consecutive groups of `factor` elements.
fn rebin(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (v1, iarg) = possible_src(this, args)?;
    let f = c_int(args.num(iarg)?) as i64;
    if f == 0 {
        // NEURON divides by zero here (a floating point exception).
        return Err(HocError::msg("Vector.rebin: the factor must not be 0"));
    }
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    let len = v1.len(&ans) as u64;
    // size_t / int: a negative factor becomes a huge unsigned divisor.
    let n = (len / (f as u64)) as usize;
    if ans.len() != n {
        resize_vec(&mut ans, n)?;
    }
    for i in 0..n as i64 {
        ans[i as usize] = 0.0;
        for j in 0..f {
            let x = v1.at(&ans, i * f + j, this, "rebin")?;
            ans[i as usize] += x;
        }
    }
    ret_self(this)
}

/// `medfltr([src,] [points])`: the median of each element's neighbourhood
/// of `points` elements on either side.
///
/// NEURON 9.0.2 builds the window as `[w0, wlen)` instead of
/// `[w0, w0 + wlen)` and then crashes or reads garbage for most elements;
/// this uses the intended window, which gives NEURON's values wherever
/// NEURON's window starts at 0.
fn medfltr(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (v1, iarg) = possible_src(this, args)?;
    let v1 = match v1 {
        Src::Own(v) => v,
        Src::Alias => vector_data(this)?.borrow().clone(),
    };
    let n = v1.len() as i64;
    let points = if args.len() > iarg {
        c_int(chkarg(args, iarg, 1.0, (n / 2) as f64)?) as i64
    } else {
        3
    };
    if points < 1 {
        // Only a NaN gets here (NEURON then indexes out of bounds).
        return Err(HocError::msg("Vector.medfltr: points must be at least 1"));
    }
    let mut res = vec![0.0; n as usize];
    for i in 0..n {
        let w0 = if i >= points { i - points } else { 0 };
        let w1 = if i < n - points { i + points } else { n - 1 };
        let wlen = w1 - w0;
        let mut window = v1[w0 as usize..(w0 + wlen) as usize].to_vec();
        std_sort(&mut window);
        res[i as usize] = window
            .get((wlen / 2) as usize)
            .copied()
            .unwrap_or(v1[i as usize]);
    }
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    if ans.len() != res.len() {
        resize_vec(&mut ans, res.len())?;
    }
    ans.copy_from_slice(&res);
    ret_self(this)
}

/// `resample(src, factor)`: `src` stretched by `factor` (nearest sample).
fn resample(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let v1 = vec_arg_copy(args, 0)?;
    let f = chkarg(args, 1, 0.0, (v1.len() / 2) as f64)?;
    let n = c_int(v1.len() as f64 * f) as i64;
    let mut temp = zeros(int_size(n)?)?;
    for (i, t) in temp.iter_mut().enumerate() {
        *t = at(&v1, c_int(i as f64 / f) as i64, this, "resample")?;
    }
    *vector_data(this)?.borrow_mut() = temp;
    ret_self(this)
}

/// `psth(src, dt, trials, size)`: a spike-rate histogram with adaptive
/// bins holding at least `size` events.
fn psth(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let v1 = vec_arg_copy(args, 0)?;
    let dt = chkarg(args, 1, 0.0, 9e99)?;
    let trials = chkarg(args, 2, 0.0, 9e99)?;
    let size = chkarg(args, 3, 0.0, (v1.len() / 2) as f64)?;
    let n = v1.len() as i64;
    let mut temp = zeros(n as usize)?;
    for i in 0..n {
        let (mut fj, mut bj) = (0i64, 0i64);
        let mut integral = v1[i as usize];
        while integral < size {
            let mut moved = false;
            if i + fj < n - 1 {
                fj += 1;
                integral += v1[(i + fj) as usize];
                moved = true;
            }
            if i - bj > 0 && integral < size {
                bj += 1;
                integral += v1[(i - bj) as usize];
                moved = true;
            }
            if !moved {
                return Err(HocError::msg(
                    "Vector.psth: the whole Vector holds fewer events than size (NEURON would loop forever)",
                ));
            }
        }
        temp[i as usize] = integral / trials * 1000.0 / ((fj + bj + 1) as f64 * dt);
    }
    *vector_data(this)?.borrow_mut() = temp;
    ret_self(this)
}

/// `inf(stim, dt, gl, el, cm, th, res [, refp])`: the voltage of a leaky
/// integrate-and-fire cell driven by `stim`.
fn inf(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let stim = Src::arg(this, args, 0)?;
    let dt = chkarg(args, 1, 1e-99, 9e99)?;
    let gl = args.num(2)?;
    let el = args.num(3)?;
    let cm = args.num(4)? / dt;
    let th = args.num(5)?;
    let res = args.num(6)?;
    let refp = if args.len() > 7 { args.num(7)? } else { 0.0 };
    let d = vector_data(this)?;
    let mut v = d.borrow_mut();
    let n = stim.len(&v) as i64;
    if v.len() as i64 != n {
        resize_vec(&mut v, n as usize)?;
    }
    let m = "inf";
    set_at(&mut v, 0, el, this, m)?;
    let mut refr = 0.0;
    let mut t = 0i64;
    while t < n - 1 {
        let vt = at(&v, t, this, m)?;
        let i = -gl * (vt - el) + stim.at(&v, t, this, m)?;
        let vn = vt + i / cm;
        if vn >= th && refr <= 0.0 {
            set_at(&mut v, t + 1, 0.0, this, m)?;
            t += 1;
            set_at(&mut v, t + 1, res, this, m)?;
            refr = refp;
        } else {
            refr -= dt;
            set_at(&mut v, t + 1, vn, this, m)?;
        }
        t += 1;
    }
    ret_self(this)
}
