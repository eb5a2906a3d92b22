//! Vector construction, size, element access and rearrangement: the
//! constructor, `size buffer_size resize clear get set append insrt remove
//! copy at c cl label fill indgen sort reverse rotate ind index sortindex
//! from_double`.

use super::cxx::{glibc_qsort, std_sort};
use super::{
    at, c_int, chkarg, epsilon, filled, int_size, new_vector, new_vector_labeled, push,
    range_check, reserve, resize_vec, ret_self, same_err, set_at, top_unsigned, vec_arg,
    vec_arg_copy, vector_data, zeros, Builder, HocVector, DMAXINT,
};
use nerve_runtime::hoc::{Args, HocError, Interpreter, Obj, Ptr, Value};
use std::rc::Rc;

/// `new Vector()`, `new Vector(n)`, `new Vector(n, init)`.
pub(crate) fn construct(_: &mut Interpreter, args: &mut Args) -> Result<HocVector, HocError> {
    if args.is_empty() {
        return Ok(HocVector::new(Vec::new()));
    }
    if !args.is_num(0) {
        // NEURON takes any other first argument as a Python iterable.
        return Err(HocError::msg("Python not available"));
    }
    let n = c_int(chkarg(args, 0, 0.0, 1e10)?);
    let init = if args.len() > 1 { args.num(1)? } else { 0.0 };
    Ok(HocVector::new(filled(int_size(n as i64)?, init)?))
}

/// Adds this module's methods.
pub(crate) fn methods(b: Builder) -> Builder {
    b.method("size", |_, this, _| {
        Ok(Value::Num(vector_data(this)?.borrow().len() as f64))
    })
    .method("buffer_size", buffer_size)
    .method("resize", |_, this, args| {
        let n = c_int(chkarg(args, 0, 0.0, DMAXINT)?);
        let d = vector_data(this)?;
        resize_vec(&mut d.borrow_mut(), int_size(n as i64)?)?;
        ret_self(this)
    })
    .method("clear", |_, this, _| {
        vector_data(this)?.borrow_mut().clear();
        ret_self(this)
    })
    .method("get", |_, this, args| {
        let d = vector_data(this)?;
        let v = d.borrow();
        let i = c_int(chkarg(args, 0, 0.0, top_unsigned(v.len()))?);
        Ok(Value::Num(at(&v, i as i64, this, "get")?))
    })
    .method("set", |_, this, args| {
        let x = args.num(1)?;
        let d = vector_data(this)?;
        let mut v = d.borrow_mut();
        let i = c_int(chkarg(args, 0, 0.0, top_unsigned(v.len()))?);
        set_at(&mut v, i as i64, x, this, "set")?;
        ret_self(this)
    })
    .method("append", |_, this, args| {
        let d = vector_data(this)?;
        append_args(this, &d, args, 0, "append")?;
        ret_self(this)
    })
    .method("insrt", insrt)
    .method("remove", remove)
    .method("copy", copy)
    .method("at", |i, this, args| at_copy(i, this, args, false))
    .method("c", |i, this, args| at_copy(i, this, args, false))
    .method("cl", |i, this, args| at_copy(i, this, args, true))
    .method("label", |_, this, args| {
        let mut p = this.native_mut::<HocVector>()?;
        if !args.is_empty() {
            p.label = args.str(0)?;
        }
        Ok(Value::str(p.label.clone()))
    })
    .method("fill", fill)
    .method("indgen", indgen)
    .method("sort", |_, this, _| {
        std_sort(&mut vector_data(this)?.borrow_mut());
        ret_self(this)
    })
    .method("reverse", |_, this, _| {
        vector_data(this)?.borrow_mut().reverse();
        ret_self(this)
    })
    .method("rotate", rotate)
    .method("ind", ind)
    .method("index", index)
    .method("sortindex", sortindex)
    .method("from_double", from_double)
}

fn buffer_size(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let mut v = d.borrow_mut();
    if !args.is_empty() {
        let n = c_int(chkarg(args, 0, v.len() as f64, DMAXINT)?);
        reserve(&mut v, int_size(n as i64)?)?;
    }
    Ok(Value::Num(v.capacity() as f64))
}

/// Appends arguments `from..` to `d` as `append` does: numbers one by one,
/// Vectors whole (not `this` itself), anything else ignored.
fn append_args(
    this: &Obj,
    d: &nerve_runtime::hoc::value::DoubleArray,
    args: &Args,
    from: usize,
    name: &str,
) -> Result<(), HocError> {
    for i in from..args.len() {
        match args.get(i)? {
            Value::Num(x) => push(&mut d.borrow_mut(), *x)?,
            Value::Obj(_) => {
                let (o, yd) = vec_arg(args, i)?;
                same_err(name, this, &o)?;
                let y = yd.borrow().clone();
                let mut v = d.borrow_mut();
                let n = v.len() + y.len();
                reserve(&mut v, n)?;
                v.extend_from_slice(&y);
            }
            _ => {}
        }
    }
    Ok(())
}

/// `insrt(i, x or vec, ...)`: inserts before index `i` (0..=size).
fn insrt(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let len = d.borrow().len();
    let indx = c_int(chkarg(args, 0, 0.0, len as f64)?);
    let indx = usize::try_from(indx).map_err(|_| range_arg_error(args))?;
    let tail = d.borrow_mut().split_off(indx.min(len));
    append_args(this, &d, args, 1, "insrt")?;
    if !tail.is_empty() {
        let mut v = d.borrow_mut();
        let n = v.len();
        resize_vec(&mut v, n + tail.len())?;
        v[n..].copy_from_slice(&tail);
    }
    ret_self(this)
}

fn range_arg_error(args: &Args) -> HocError {
    HocError::msg(format!(
        "Arg out of range in user function: Vector.{}",
        args.name()
    ))
}

/// `remove(i)` or `remove(start, end)`.
fn remove(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let mut v = d.borrow_mut();
    let n = v.len() as i64;
    let start = c_int(chkarg(args, 0, 0.0, top_unsigned(v.len()))?) as i64;
    let end = if args.len() > 1 {
        c_int(chkarg(args, 1, start as f64, top_unsigned(v.len()))?) as i64
    } else {
        start
    };
    let (mut i, mut j) = (start, end + 1);
    while j < n {
        let x = at(&v, j, this, "remove")?;
        set_at(&mut v, i, x, this, "remove")?;
        i += 1;
        j += 1;
    }
    resize_vec(&mut v, int_size(i)?)?;
    ret_self(this)
}

/// `copy(src)`, `copy(src, dest_start)`, `copy(src, src_start, src_end)`,
/// `copy(src, dest_start, src_start, src_end [, dest_inc, src_inc])`,
/// `copy(src, srcindices [, destindices])`.
fn copy(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (src_obj, sd) = vec_arg(args, 0)?;
    let same = Rc::ptr_eq(&src_obj, this);
    let src: Vec<f64> = if same {
        Vec::new()
    } else {
        sd.borrow().clone()
    };
    let d = vector_data(this)?;
    let nargs = args.len();
    let src_len = if same { d.borrow().len() } else { src.len() };
    if nargs > 1 && args.is_obj(1) {
        let eps = epsilon(interp);
        let srcind = vec_arg_copy(args, 1)?;
        let destind = if nargs > 2 {
            Some(vec_arg_copy(args, 2)?)
        } else {
            None
        };
        let mut ns = srcind.len();
        let mut nx = src_len;
        let mut y = d.borrow_mut();
        if let Some(destind) = destind {
            ns = ns.min(destind.len());
            let ny = y.len();
            for i in 0..ns {
                let ix = c_int(srcind[i] + eps);
                let iy = c_int(destind[i] + eps);
                if ix >= 0 && iy >= 0 && (ix as usize) < nx && (iy as usize) < ny {
                    let x = if same {
                        y[ix as usize]
                    } else {
                        src[ix as usize]
                    };
                    y[iy as usize] = x;
                }
            }
        } else {
            nx = nx.min(y.len());
            for &s in srcind.iter().take(ns) {
                let ii = c_int(s + eps);
                if ii >= 0 && (ii as usize) < nx {
                    let x = if same {
                        y[ii as usize]
                    } else {
                        src[ii as usize]
                    };
                    y[ii as usize] = x;
                }
            }
        }
        return ret_self(this);
    }
    let top = src_len as f64 - 1.0;
    let (mut srcstart, mut srcend, mut srcinc) = (0i64, src_len as i64 - 1, 1i64);
    let (mut deststart, mut destinc) = (0i64, 1i64);
    if nargs > 1 && nargs < 3 {
        deststart = c_int(args.num(1)?) as i64;
    } else if nargs > 3 {
        deststart = c_int(args.num(1)?) as i64;
        srcstart = c_int(chkarg(args, 2, 0.0, top)?) as i64;
        srcend = c_int(chkarg(args, 3, -1.0, top)?) as i64;
        if nargs > 4 {
            destinc = c_int(chkarg(args, 4, 1.0, DMAXINT)?) as i64;
            srcinc = c_int(chkarg(args, 5, 1.0, DMAXINT)?) as i64;
        }
    } else if nargs > 2 {
        srcstart = c_int(chkarg(args, 1, 0.0, top)?) as i64;
        srcend = c_int(chkarg(args, 2, -1.0, top)?) as i64;
    }
    if srcend == -1 {
        srcend = src_len as i64 - 1;
    } else if srcend < srcstart {
        return Err(HocError::msg(
            "Vector.copy: src_end arg smaller than src_start",
        ));
    }
    if srcinc < 1 || destinc < 1 || srcstart < 0 {
        return Err(range_arg_error(args));
    }
    let size = (srcend - srcstart) / srcinc * destinc + deststart + 1;
    let mut y = d.borrow_mut();
    if size < 0 || (y.len() as i64) < size {
        resize_vec(&mut y, int_size(size)?)?;
    } else if (y.len() as i64) > size && nargs < 2 {
        resize_vec(&mut y, size as usize)?;
    }
    let (mut i, mut j) = (srcstart, deststart);
    while i <= srcend {
        let x = if same {
            at(&y, i, this, "copy")?
        } else {
            at(&src, i, &src_obj, "copy")?
        };
        set_at(&mut y, j, x, this, "copy")?;
        i += srcinc;
        j += destinc;
    }
    ret_self(this)
}

/// `at([start [, end]])`, `c(...)`, `cl(...)`: a new Vector with a copy of
/// the elements (and, for `cl`, the label).
fn at_copy(
    interp: &mut Interpreter,
    this: &Obj,
    args: &mut Args,
    with_label: bool,
) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let part = {
        let v = d.borrow();
        let mut start = 0u64;
        let mut end = v.len() as u64;
        if !args.is_empty() {
            start = to_size_t(chkarg(args, 0, 0.0, top_unsigned(v.len()))?)?;
        }
        if args.len() > 1 {
            end = to_size_t(chkarg(args, 1, start as f64, top_unsigned(v.len()))? + 1.0)?;
        }
        let delta = end as i64 - start as i64;
        let delta = int_size(delta)?;
        let mut out = zeros(delta)?;
        for (i, o) in out.iter_mut().enumerate() {
            *o = at(&v, start as i64 + i as i64, this, "at")?;
        }
        out
    };
    let label = if with_label {
        this.native::<HocVector>()?.label.clone()
    } else {
        String::new()
    };
    let o = new_vector_labeled(interp, part, label)?;
    Ok(Value::Obj(Some(o)))
}

/// A non-negative double converted to C's `size_t`.
fn to_size_t(x: f64) -> Result<u64, HocError> {
    if x.is_nan() || x < 0.0 {
        return Err(HocError::msg(format!(
            "Arg out of range in user function: {}",
            super::fmt_num(x)
        )));
    }
    Ok(x as u64)
}

/// `fill(x [, start, end])`.
fn fill(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let mut v = d.borrow_mut();
    let (mut start, mut end) = (0u64, v.len() as u64);
    if args.len() > 1 {
        start = to_size_t(chkarg(args, 1, 0.0, top_unsigned(v.len()))?)?;
        end = to_size_t(chkarg(args, 2, start as f64, top_unsigned(v.len()))? + 1.0)?;
    }
    let x = args.num(0)?;
    if end > v.len() as u64 {
        range_check(this, "fill", end as i64 - 1, v.len())?;
    }
    for e in &mut v[start as usize..end as usize] {
        *e = x;
    }
    ret_self(this)
}

/// `indgen()`, `indgen(step)`, `indgen(start, step)`, `indgen(start, stop, step)`.
fn indgen(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let mut v = d.borrow_mut();
    let mut n = v.len() as i64;
    let (mut start, mut step) = (0.0, 1.0);
    if args.len() >= 3 {
        start = args.num(0)?;
        let end = args.num(1)?;
        step = chkarg(
            args,
            2,
            (start - end).min(end - start),
            (start - end).max(end - start),
        )?;
        let xn = ((end - start) / step + 1e-9).floor() + 1.0;
        if xn > DMAXINT {
            return Err(HocError::msg("size too large"));
        } else if xn < 0.0 {
            return Err(HocError::msg("empty set"));
        }
        n = c_int(xn) as i64;
        if n != v.len() as i64 {
            resize_vec(&mut v, int_size(n)?)?;
        }
    } else if args.len() == 2 {
        start = args.num(0)?;
        step = chkarg(args, 1, -DMAXINT, DMAXINT)?;
    } else if args.len() == 1 {
        step = chkarg(args, 0, -DMAXINT, DMAXINT)?;
    }
    for (i, e) in v.iter_mut().enumerate().take(n.max(0) as usize) {
        *e = i as f64 * step + start;
    }
    ret_self(this)
}

/// `rotate(n [, 0])`: shifts right by `n` (left if negative), wrapping
/// around unless a second argument is given (then filling with zeros).
fn rotate(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let mut a = d.borrow_mut();
    let n = a.len() as i64;
    let mut r = c_int(args.num(0)?) as i64;
    let wrap = args.len() < 2;
    let mut rev = false;
    if n == 0 && r != 0 {
        // NEURON divides by the size here (a floating point exception).
        return Err(HocError::msg("Vector.rotate: the Vector is empty"));
    }
    if r > n {
        r %= n;
    }
    if r < 0 {
        r = n - (r.abs() % n);
        rev = true;
    }
    if r > 0 {
        let (r, n) = (r as usize, n as usize);
        let rc = n - r;
        let mut hold = vec![0.0; n];
        if wrap {
            hold[r..].copy_from_slice(&a[..rc]);
            hold[..r].copy_from_slice(&a[rc..]);
        } else if !rev {
            hold[r..].copy_from_slice(&a[..rc]);
        } else {
            hold[..r].copy_from_slice(&a[rc..]);
        }
        a.copy_from_slice(&hold);
    }
    ret_self(this)
}

/// `ind(indices)`: a new Vector of the elements at the valid indices.
fn ind(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let y = vec_arg_copy(args, 0)?;
    let x = vector_data(this)?.borrow().clone();
    let mut z = Vec::with_capacity(y.len());
    for &yi in &y {
        let yv = c_int(yi);
        if yv >= 0 && (yv as usize) < x.len() {
            z.push(x[yv as usize]);
        }
    }
    Ok(Value::Obj(Some(new_vector(interp, z)?)))
}

/// `index(indices)` or `index(src, indices)`: elements picked by index (0
/// where an index is out of range).
fn index(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (data, idx) = if args.len() > 1 {
        (vec_arg_copy(args, 0)?, vec_arg_copy(args, 1)?)
    } else {
        let _ = vec_arg(args, 0)?;
        (vector_data(this)?.borrow().clone(), vec_arg_copy(args, 0)?)
    };
    let d = vector_data(this)?;
    let mut ans = d.borrow_mut();
    if ans.len() != idx.len() {
        resize_vec(&mut ans, idx.len())?;
    }
    for (a, &j) in ans.iter_mut().zip(&idx) {
        let j = c_int(j);
        *a = if j >= 0 && (j as usize) < data.len() {
            data[j as usize]
        } else {
            0.0
        };
    }
    ret_self(this)
}

/// `sortindex([dest])`: the indices that sort the Vector (stable for ties).
fn sortindex(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let x = vector_data(this)?.borrow().clone();
    let mut si: Vec<(f64, usize)> = x.iter().copied().zip(0..).collect();
    glibc_qsort(&mut si, &|a, b| {
        if a.0 > b.0 {
            1
        } else if a.0 < b.0 {
            -1
        } else {
            0
        }
    });
    let out: Vec<f64> = si.iter().map(|&(_, i)| i as f64).collect();
    if !args.is_empty() && args.is_obj(0) {
        let (o, yd) = vec_arg(args, 0)?;
        let mut y = yd.borrow_mut();
        resize_vec(&mut y, out.len())?;
        y.copy_from_slice(&out);
        return Ok(Value::Obj(Some(o)));
    }
    let mut v = zeros(0)?;
    resize_vec(&mut v, out.len())?;
    v.copy_from_slice(&out);
    Ok(Value::Obj(Some(new_vector(interp, v)?)))
}

/// `from_double(n, &x)`: copies `n` doubles starting at a pointer.
fn from_double(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let n = c_int(args.num(0)?) as i64;
    let p = args.ptr(1)?;
    let n = int_size(n)?;
    let vals: Vec<f64> = match &p {
        Ptr::Elem(arr, k) => {
            let a = arr.borrow();
            if k.saturating_add(n) > a.len() {
                return Err(HocError::msg(format!(
                    "Vector.from_double: {n} values from index {k} run past the end of an array of {}",
                    a.len()
                )));
            }
            a[*k..*k + n].to_vec()
        }
        _ if n <= 1 => {
            if n == 1 {
                vec![interp.ptr_get(&p)?]
            } else {
                Vec::new()
            }
        }
        _ => {
            return Err(HocError::msg(
                "Vector.from_double: the pointer is to a single number, not an array",
            ))
        }
    };
    let d = vector_data(this)?;
    let mut v = d.borrow_mut();
    resize_vec(&mut v, n)?;
    v.copy_from_slice(&vals);
    ret_self(this)
}
