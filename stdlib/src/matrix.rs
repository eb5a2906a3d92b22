//! The HOC `Matrix` class (NEURON's `src/ivoc/matrix.cpp`): a dense matrix
//! of doubles.
//!
//! Storage is always dense; the type argument of `new Matrix(nrow, ncol,
//! type)` (1 full, 2 sparse, 3 banded) is checked and remembered, and only
//! changes `sprowlen`/`spgetrowval` (sparse only, as in NEURON). Methods
//! that return a Matrix return `this` or the output matrix argument, as
//! NEURON's do; those that return a Vector fill the optional output Vector
//! or make a new one. Numerics follow Eigen (see [`linalg`]).
//!
//! Not implemented: `symmeig` and `svd` (Eigen's general eigensolver and
//! Jacobi SVD fix the order and signs of eigenvectors in ways not worth
//! reproducing yet); they raise an error saying so.
//!
//! `m.x[i][j]` needs a two-index property, which the interpreter's property
//! API cannot express yet; `x` is registered and answers a one-index use
//! with an error pointing to `getval`/`setval`. [`x_get`], [`x_set`] and
//! [`x_ptr`] hold the element logic for when it can.

pub mod linalg;

use crate::file::with_open_file;
use crate::list::chkarg;
use crate::vector::{new_vector, vector_data};
use linalg::{expm, powm, FullLu, Mat, PartialLu};
use nerve_runtime::cfmt;
use nerve_runtime::hoc::class::PropertyN;
use nerve_runtime::hoc::value::DoubleArray;
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Ptr, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// Largest number of elements a Matrix may have (NEURON would fail to
/// allocate far below what its size checks allow).
const MAX_ELEMENTS: usize = 1 << 30;

/// The payload of a HOC `Matrix`.
pub struct HocMatrix {
    nrow: usize,
    ncol: usize,
    /// Row-major elements, shared so that `&m.x[i][j]` pointers stay valid.
    data: DoubleArray,
    /// 1 full, 2 sparse, 3 banded.
    kind: u8,
    /// The factorization the last `solv` made, reused by `solv(v, 1)`.
    lu: Option<Rc<FullLu>>,
}

impl HocMatrix {
    fn new(m: Mat, kind: u8) -> HocMatrix {
        HocMatrix {
            nrow: m.nrow,
            ncol: m.ncol,
            data: Rc::new(RefCell::new(m.data)),
            kind,
            lu: None,
        }
    }

    /// A copy of the elements.
    pub fn to_mat(&self) -> Mat {
        Mat {
            nrow: self.nrow,
            ncol: self.ncol,
            data: self.data.borrow().clone(),
        }
    }

    /// Replaces the contents (keeping the storage pointers refer to).
    fn store(&mut self, m: Mat) {
        self.nrow = m.nrow;
        self.ncol = m.ncol;
        *self.data.borrow_mut() = m.data;
    }
}

fn check_size(nrow: usize, ncol: usize) -> Result<(), HocError> {
    match nrow.checked_mul(ncol) {
        Some(n) if n <= MAX_ELEMENTS => Ok(()),
        _ => Err(HocError::msg(format!(
            "Matrix {nrow} x {ncol} is too large"
        ))),
    }
}

/// The elements of a Matrix object.
pub fn matrix_get(obj: &Obj) -> Result<Mat, HocError> {
    if !obj.is("Matrix") {
        return Err(HocError::msg(format!("{} is not a Matrix", obj.name())));
    }
    Ok(obj.native::<HocMatrix>()?.to_mat())
}

/// Replaces the elements (and shape) of a Matrix object.
pub fn matrix_set(obj: &Obj, m: Mat) -> Result<(), HocError> {
    if !obj.is("Matrix") {
        return Err(HocError::msg(format!("{} is not a Matrix", obj.name())));
    }
    check_size(m.nrow, m.ncol)?;
    obj.native_mut::<HocMatrix>()?.store(m);
    Ok(())
}

/// Creates a new full Matrix object holding `m`.
pub fn new_matrix(interp: &mut Interpreter, m: Mat) -> Result<Obj, HocError> {
    let obj = interp.new_object("Matrix", vec![Value::Num(1.0), Value::Num(1.0)])?;
    matrix_set(&obj, m)?;
    Ok(obj)
}

/// NEURON's `check_domain`: `i` must be in `[0, max]`.
fn check_domain(i: usize, max: usize) -> Result<(), HocError> {
    if i > max {
        return Err(HocError::msg(format!(
            "Matrix index out of range: index={i}  max_index={max}"
        )));
    }
    Ok(())
}

fn wrong_size() -> HocError {
    HocError::msg("wrong size for Matrix or Vector operation")
}

/// A Matrix argument.
fn matrix_arg(args: &Args, i: usize) -> Result<Obj, HocError> {
    let o = args.object(i)?;
    if !o.is("Matrix") {
        return Err(HocError::msg(format!(
            "{}: argument {} must be a Matrix, not {}",
            args.name(),
            i + 1,
            o.name()
        )));
    }
    Ok(o)
}

/// A Vector argument's elements (a copy).
fn vector_arg(args: &Args, i: usize) -> Result<Vec<f64>, HocError> {
    Ok(vector_data(&args.object(i)?)?.borrow().clone())
}

/// Stores `data` into the Vector argument `i` if given, else a new Vector.
fn vector_out(
    interp: &mut Interpreter,
    args: &Args,
    i: usize,
    data: Vec<f64>,
) -> Result<Value, HocError> {
    if i < args.len() {
        let o = args.object(i)?;
        *vector_data(&o)?.borrow_mut() = data;
        Ok(Value::Obj(Some(o)))
    } else {
        Ok(Value::Obj(Some(new_vector(interp, data)?)))
    }
}

/// Stores `result` into the output Matrix argument `i` (after NEURON's
/// in-place check, when `in_place` names the operation) or a new Matrix,
/// and returns that Matrix.
fn out_matrix(
    interp: &mut Interpreter,
    this: &Obj,
    args: &Args,
    i: usize,
    in_place: Option<&str>,
    result: Mat,
) -> Result<Value, HocError> {
    let out = if i < args.len() {
        let o = matrix_arg(args, i)?;
        if let (true, Some(what)) = (Rc::ptr_eq(&o, this), in_place) {
            return Err(HocError::msg(format!(
                "{what} matrix operation cannot be done in place"
            )));
        }
        matrix_set(&o, result)?;
        o
    } else {
        new_matrix(interp, result)?
    };
    Ok(Value::Obj(Some(out)))
}

fn this_value(this: &Obj) -> Result<Value, HocError> {
    Ok(Value::Obj(Some(this.clone())))
}

fn me(this: &Obj) -> Result<Mat, HocError> {
    Ok(this.native::<HocMatrix>()?.to_mat())
}

fn square(m: &Mat) -> Result<(), HocError> {
    if m.nrow != m.ncol {
        return Err(wrong_size());
    }
    Ok(())
}

/// A row index argument: `chkarg(i, 0, nrow - 1)`.
fn row_arg(args: &Args, i: usize, n: usize) -> Result<usize, HocError> {
    Ok(chkarg(args, i, 0.0, n as f64 - 1.0)? as usize)
}

/// `m.x[i][j]`: element `(i, j)`, indices rounded as NEURON does (`+ float_epsilon`, truncated).
pub fn x_get(interp: &Interpreter, this: &Obj, idx: &[f64]) -> Result<f64, HocError> {
    let (i, j, m) = x_index(interp, this, idx)?;
    let x = m.data.borrow()[i * m.ncol + j];
    Ok(x)
}

/// `m.x[i][j] = v`.
pub fn x_set(interp: &Interpreter, this: &Obj, idx: &[f64], v: f64) -> Result<(), HocError> {
    let (i, j, m) = x_index(interp, this, idx)?;
    m.data.borrow_mut()[i * m.ncol + j] = v;
    Ok(())
}

/// `&m.x[i][j]`.
pub fn x_ptr(interp: &Interpreter, this: &Obj, idx: &[f64]) -> Result<Ptr, HocError> {
    let (i, j, m) = x_index(interp, this, idx)?;
    Ok(Ptr::Elem(m.data.clone(), i * m.ncol + j))
}

/// The checked indices of `m.x[i][j]`, with a borrow of the matrix.
fn x_index<'a>(
    interp: &Interpreter,
    this: &'a Obj,
    idx: &[f64],
) -> Result<(usize, usize, std::cell::Ref<'a, HocMatrix>), HocError> {
    let [a, b] = idx else {
        return Err(HocError::msg("Array dimension of Matrix.x is 2"));
    };
    let eps = interp.float_epsilon.get();
    let m = this.native::<HocMatrix>()?;
    let conv = |x: f64, n: usize| -> Result<usize, HocError> {
        let k = (x + eps).trunc();
        if k.is_nan() || k < 0.0 {
            return Err(HocError::msg(format!(
                "Matrix index out of range: index={k}  max_index={}",
                n as i64 - 1
            )));
        }
        check_domain(k as usize, n.saturating_sub(1)).map(|_| k as usize)
    };
    let i = conv(*a, m.nrow)?;
    let j = conv(*b, m.ncol)?;
    Ok((i, j, m))
}

/// `printf`/`fprint` text for the elements.
fn format_elements(m: &Mat, f1: &str, f2: &str) -> Result<String, HocError> {
    let mut s = String::new();
    for i in 0..m.nrow {
        for j in 0..m.ncol {
            s.push_str(
                &cfmt::format_num(f1, m.at(i, j))
                    .map_err(|e| HocError::msg(format!("Matrix printf: {e}")))?,
            );
        }
        s.push_str(f2);
    }
    Ok(s)
}

fn construct(interp: &mut Interpreter, args: &mut Args) -> Result<HocMatrix, HocError> {
    let eps = interp.float_epsilon.get();
    let nrow = if !args.is_empty() {
        (chkarg(args, 0, 1.0, 1e10)? + eps) as usize
    } else {
        1
    };
    let ncol = if args.len() > 1 {
        (chkarg(args, 1, 1.0, 1e10)? + eps) as usize
    } else {
        1
    };
    let kind = if args.len() > 2 {
        chkarg(args, 2, 1.0, 3.0)? as u8
    } else {
        1
    };
    check_size(nrow, ncol)?;
    Ok(HocMatrix::new(Mat::zeros(nrow, ncol), kind))
}

/// Sets row (`by_row`) or column `k` from a number or a Vector.
fn set_line(this: &Obj, args: &Args, by_row: bool) -> Result<Value, HocError> {
    let mut m = me(this)?;
    let (n, len) = if by_row {
        (m.nrow, m.ncol)
    } else {
        (m.ncol, m.nrow)
    };
    let k = row_arg(args, 0, n)?;
    let vals = if args.is_num(1) {
        vec![args.num(1)?; len]
    } else {
        let v = vector_arg(args, 1)?;
        check_domain(v.len(), len)?;
        v
    };
    for (t, x) in vals.into_iter().enumerate() {
        *(if by_row {
            m.at_mut(k, t)
        } else {
            m.at_mut(t, k)
        }) = x;
    }
    this.native_mut::<HocMatrix>()?.store(m);
    this_value(this)
}

/// The `(i, j)` cells of diagonal `k` (`k > 0` above the main one).
fn diagonal(m: &Mat, k: i64) -> impl Iterator<Item = (usize, usize)> {
    let (i0, j0) = if k >= 0 {
        (0, k as usize)
    } else {
        ((-k) as usize, 0)
    };
    let n = m.nrow.saturating_sub(i0).min(m.ncol.saturating_sub(j0));
    (0..n).map(move |t| (i0 + t, j0 + t))
}

fn diag_arg(args: &Args, m: &Mat) -> Result<i64, HocError> {
    Ok(chkarg(args, 0, -(m.nrow as f64 - 1.0), m.ncol as f64 - 1.0)? as i64)
}

fn solv(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let m = me(this)?;
    square(&m)?;
    let b = vector_arg(args, 0)?;
    if b.len() != m.ncol {
        return Err(wrong_size());
    }
    let mut out = None;
    let mut use_lu = false;
    for i in 1..args.len().min(3) {
        if args.is_obj(i) {
            out = Some(i);
        } else {
            use_lu = args.num(i)? as i64 != 0;
        }
    }
    let lu = {
        let mut h = this.native_mut::<HocMatrix>()?;
        match &h.lu {
            Some(lu) if use_lu && lu.size() == m.nrow => lu.clone(),
            _ => {
                let lu = Rc::new(FullLu::new(&m));
                h.lu = Some(lu.clone());
                lu
            }
        }
    };
    let x = lu.solve(&b);
    vector_out(interp, args, out.unwrap_or(usize::MAX), x)
}

fn bcopy(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let m = me(this)?;
    let i0 = row_arg(args, 0, m.nrow)?;
    let j0 = row_arg(args, 1, m.ncol)?;
    let m0 = chkarg(args, 2, 1.0, (m.nrow - i0) as f64)? as usize;
    let n0 = chkarg(args, 3, 1.0, (m.ncol - j0) as f64)? as usize;
    let (i1, j1, out_at) = if args.len() > 4 && args.is_num(4) {
        (
            chkarg(args, 4, 0.0, 1e9)? as usize,
            chkarg(args, 5, 0.0, 1e9)? as usize,
            6,
        )
    } else {
        (0, 0, 4)
    };
    let mut out = if out_at < args.len() {
        matrix_get(&matrix_arg(args, out_at)?)?
    } else {
        Mat::zeros(m0, n0)
    };
    if i1 + m0 > out.nrow || j1 + n0 > out.ncol {
        return Err(HocError::msg(
            "bcopy: the block does not fit in the output Matrix",
        ));
    }
    for i in 0..m0 {
        for j in 0..n0 {
            *out.at_mut(i1 + i, j1 + j) = m.at(i0 + i, j0 + j);
        }
    }
    out_matrix(interp, this, args, out_at, None, out)
}

fn fprint(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let mut ia = 0;
    let mut pr_size = true;
    if args.is_num(0) {
        pr_size = chkarg(args, 0, 0.0, 1.0)? as i64 == 1;
        ia = 1;
    }
    let file = args.object(ia)?;
    let f1 = if args.len() > ia + 1 {
        args.str(ia + 1)?
    } else {
        " %-8.3g".into()
    };
    let f2 = if args.len() > ia + 2 {
        args.str(ia + 2)?
    } else {
        "\n".into()
    };
    let m = me(this)?;
    let mut text = if pr_size {
        format!("{} {}\n", m.nrow, m.ncol)
    } else {
        String::new()
    };
    text.push_str(&format_elements(&m, &f1, &f2)?);
    with_open_file(&file, |f| {
        f.write_str(&text);
        Ok(())
    })?;
    Ok(Value::Num(0.0))
}

fn scanf(_: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let file = args.object(0)?;
    let given = if args.len() > 1 {
        Some((
            chkarg(args, 1, 1.0, 1e9)? as usize,
            chkarg(args, 2, 1.0, 1e9)? as usize,
        ))
    } else {
        None
    };
    let m = with_open_file(&file, |f| {
        let (nrow, ncol) = match given {
            Some(rc) => rc,
            None => {
                // NEURON converts with a C `(int)` cast.
                let (r, c) = (f.scan_number()? as i32, f.scan_number()? as i32);
                match (usize::try_from(r), usize::try_from(c)) {
                    (Ok(r), Ok(c)) if r > 0 && c > 0 => (r, c),
                    _ => return Err(HocError::msg(format!("Matrix.scanf: bad size {r} x {c}"))),
                }
            }
        };
        check_size(nrow, ncol)?;
        let mut m = Mat::zeros(nrow, ncol);
        for x in m.data.iter_mut() {
            *x = f.scan_number()?;
        }
        Ok(m)
    })?;
    this.native_mut::<HocMatrix>()?.store(m);
    Ok(Value::Num(0.0))
}

fn resize(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let eps = interp.float_epsilon.get();
    let nrow = (chkarg(args, 0, 1.0, 1e9)? + eps) as usize;
    let ncol = (chkarg(args, 1, 1.0, 1e9)? + eps) as usize;
    check_size(nrow, ncol)?;
    let m = me(this)?;
    let mut r = Mat::zeros(nrow, ncol);
    for i in 0..nrow.min(m.nrow) {
        for j in 0..ncol.min(m.ncol) {
            *r.at_mut(i, j) = m.at(i, j);
        }
    }
    this.native_mut::<HocMatrix>()?.store(r);
    this_value(this)
}

fn sparse_only(this: &Obj) -> Result<Mat, HocError> {
    if this.native::<HocMatrix>()?.kind != 2 {
        return Err(HocError::msg(
            "Matrix method not implemented for this type matrix",
        ));
    }
    me(this)
}

/// Registers the `Matrix` class.
pub fn register(interp: &mut Interpreter) {
    let x = PropertyN {
        get: Rc::new(|i, o, idx| x_get(i, o, idx)),
        set: Some(Rc::new(|i, o, idx, v| x_set(i, o, idx, v))),
        ptr: Some(Rc::new(|i, o, idx| x_ptr(i, o, idx))),
    };
    let b = ClassBuilder::<HocMatrix>::new("Matrix", construct)
        .property_n("x", x)
        .method("nrow", |_, this, _| {
            Ok(Value::Num(this.native::<HocMatrix>()?.nrow as f64))
        })
        .method("ncol", |_, this, _| {
            Ok(Value::Num(this.native::<HocMatrix>()?.ncol as f64))
        })
        .method("getval", |_, this, args| {
            let m = me(this)?;
            let i = row_arg(args, 0, m.nrow)?;
            let j = row_arg(args, 1, m.ncol)?;
            Ok(Value::Num(m.at(i, j)))
        })
        .method("setval", |_, this, args| {
            let h = this.native::<HocMatrix>()?;
            let i = row_arg(args, 0, h.nrow)?;
            let j = row_arg(args, 1, h.ncol)?;
            let v = args.num(2)?;
            h.data.borrow_mut()[i * h.ncol + j] = v;
            Ok(Value::Num(v))
        })
        .method("sprowlen", |_, this, args| {
            let m = sparse_only(this)?;
            let i = row_arg(args, 0, m.nrow)?;
            Ok(Value::Num(
                (0..m.ncol).filter(|&j| m.at(i, j) != 0.0).count() as f64,
            ))
        })
        .method("spgetrowval", |interp, this, args| {
            let m = sparse_only(this)?;
            let i = row_arg(args, 0, m.nrow)?;
            let cols: Vec<usize> = (0..m.ncol).filter(|&j| m.at(i, j) != 0.0).collect();
            let jx = row_arg(args, 1, cols.len())?;
            let j = cols.get(jx).copied().unwrap_or(0);
            if args.len() > 2 {
                interp.ptr_set(&args.ptr(2)?, j as f64)?;
            }
            Ok(Value::Num(m.at(i, j)))
        })
        .method("det", |interp, this, args| {
            let m = me(this)?;
            square(&m)?;
            let mut d = PartialLu::new(&m).det();
            let mut e = 0.0;
            if d != 0.0 && d.is_finite() {
                while d.abs() >= 10.0 {
                    d *= 0.1;
                    e += 1.0;
                }
                while d.abs() < 1.0 {
                    d *= 10.0;
                    e -= 1.0;
                }
            }
            interp.ptr_set(&args.ptr(0)?, e)?;
            Ok(Value::Num(d))
        })
        .method("printf", |interp, this, args| {
            let f1 = if !args.is_empty() {
                args.str(0)?
            } else {
                " %-8.3g".into()
            };
            let f2 = if args.len() > 1 {
                args.str(1)?
            } else {
                "\n".into()
            };
            let s = format_elements(&me(this)?, &f1, &f2)?;
            interp.write_out(&s)?;
            Ok(Value::Num(0.0))
        })
        .method("fprint", fprint)
        .method("scanf", scanf);
    register_rest(b).register(interp);
}

/// The methods returning Vectors and Matrices.
fn register_rest(b: ClassBuilder<HocMatrix>) -> ClassBuilder<HocMatrix> {
    b.method("mulv", |interp, this, args| {
        let m = me(this)?;
        let v = vector_arg(args, 0)?;
        if v.len() != m.ncol {
            return Err(wrong_size());
        }
        vector_out(interp, args, 1, m.mulv(&v))
    })
    .method("getrow", |interp, this, args| {
        let m = me(this)?;
        let k = row_arg(args, 0, m.nrow)?;
        vector_out(interp, args, 1, (0..m.ncol).map(|j| m.at(k, j)).collect())
    })
    .method("getcol", |interp, this, args| {
        let m = me(this)?;
        let k = row_arg(args, 0, m.ncol)?;
        vector_out(interp, args, 1, (0..m.nrow).map(|i| m.at(i, k)).collect())
    })
    .method("getdiag", |interp, this, args| {
        let m = me(this)?;
        let k = diag_arg(args, &m)?;
        let mut v = if args.len() > 1 {
            vector_arg(args, 1)?
        } else {
            Vec::new()
        };
        v.resize(m.nrow, 0.0);
        for (i, j) in diagonal(&m, k) {
            v[i] = m.at(i, j);
        }
        vector_out(interp, args, 1, v)
    })
    .method("setdiag", |_, this, args| {
        let mut m = me(this)?;
        let k = diag_arg(args, &m)?;
        let cells: Vec<(usize, usize)> = diagonal(&m, k).collect();
        if args.is_num(1) {
            let x = args.num(1)?;
            cells.iter().for_each(|&(i, j)| *m.at_mut(i, j) = x);
        } else {
            let v = vector_arg(args, 1)?;
            check_domain(v.len(), m.nrow)?;
            for (i, j) in cells {
                if let Some(x) = v.get(i) {
                    *m.at_mut(i, j) = *x;
                }
            }
        }
        this.native_mut::<HocMatrix>()?.store(m);
        this_value(this)
    })
    .method("setrow", |_, this, args| set_line(this, args, true))
    .method("setcol", |_, this, args| set_line(this, args, false))
    .method("solv", solv)
    .method("symmeig", |_, _, _| {
        Err(HocError::msg("Matrix.symmeig is not implemented in nerve"))
    })
    .method("svd", |_, _, _| {
        Err(HocError::msg("Matrix.svd is not implemented in nerve"))
    })
    .method("c", |interp, this, args| {
        let m = me(this)?;
        out_matrix(interp, this, args, 0, None, m)
    })
    .method("add", |_, this, args| {
        let m = me(this)?;
        let other = matrix_get(&matrix_arg(args, 0)?)?;
        if (other.nrow, other.ncol) != (m.nrow, m.ncol) {
            return Err(wrong_size());
        }
        let sum = Mat {
            data: m.data.iter().zip(&other.data).map(|(a, b)| a + b).collect(),
            ..m
        };
        let out = if args.len() > 1 {
            matrix_arg(args, 1)?
        } else {
            this.clone()
        };
        matrix_set(&out, sum)?;
        Ok(Value::Obj(Some(out)))
    })
    .method("muls", |_, this, args| {
        let s = args.num(0)?;
        let r = me(this)?.scale(s);
        let out = if args.len() > 1 {
            matrix_arg(args, 1)?
        } else {
            this.clone()
        };
        matrix_set(&out, r)?;
        Ok(Value::Obj(Some(out)))
    })
    .method("mulm", |interp, this, args| {
        let m = me(this)?;
        let other_obj = matrix_arg(args, 0)?;
        let other = matrix_get(&other_obj)?;
        if args.len() > 1 {
            let out = matrix_arg(args, 1)?;
            if Rc::ptr_eq(&out, &other_obj) || Rc::ptr_eq(&out, this) {
                return Err(HocError::msg(
                    "matrix multiplication cannot be done in place",
                ));
            }
        }
        check_domain(m.ncol, other.nrow)?;
        if m.ncol != other.nrow {
            return Err(wrong_size());
        }
        out_matrix(interp, this, args, 1, None, m.mul(&other))
    })
    .method("resize", resize)
    .method("bcopy", bcopy)
    .method("zero", |_, this, _| {
        let m = me(this)?;
        this.native_mut::<HocMatrix>()?
            .store(Mat::zeros(m.nrow, m.ncol));
        this_value(this)
    })
    .method("ident", |_, this, _| {
        let m = me(this)?;
        this.native_mut::<HocMatrix>()?
            .store(Mat::identity(m.nrow, m.ncol));
        this_value(this)
    })
    .method("exp", |interp, this, args| {
        let m = me(this)?;
        square(&m)?;
        if !args.is_empty() && Rc::ptr_eq(&matrix_arg(args, 0)?, this) {
            return Err(HocError::msg(
                "exponentiation matrix operation cannot be done in place",
            ));
        }
        out_matrix(interp, this, args, 0, None, expm(&m))
    })
    .method("pow", |interp, this, args| {
        let k = chkarg(args, 0, 0.0, 100.0)? as u32;
        let m = me(this)?;
        square(&m)?;
        let r = powm(&m, k);
        out_matrix(interp, this, args, 1, Some("raising to a power"), r)
    })
    .method("inverse", |interp, this, args| {
        let m = me(this)?;
        square(&m)?;
        let inv = PartialLu::new(&m).solve_mat(&Mat::identity(m.nrow, m.ncol));
        out_matrix(interp, this, args, 0, None, inv)
    })
    .method("transpose", |interp, this, args| {
        let m = me(this)?;
        if !args.is_empty() {
            let out = matrix_arg(args, 0)?;
            // NEURON transposes `this` in place when the output already
            // equals it (by value), leaving the output as it was.
            if matrix_get(&out)? == m {
                this.native_mut::<HocMatrix>()?.store(m.transpose());
                return Ok(Value::Obj(Some(out)));
            }
        }
        out_matrix(interp, this, args, 0, None, m.transpose())
    })
    .method("set", |_, this, args| {
        let mut m = me(this)?;
        let n = m.data.len();
        if args.len() < n {
            return Err(HocError::msg(format!(
                "Matrix.set: {n} values are needed, {} given",
                args.len()
            )));
        }
        for (k, x) in m.data.iter_mut().enumerate() {
            *x = args.num(k)?;
        }
        this.native_mut::<HocMatrix>()?.store(m);
        this_value(this)
    })
    .method("to_vector", |interp, this, args| {
        let m = me(this)?;
        let v = (0..m.ncol).flat_map(|j| (0..m.nrow).map(move |i| (i, j)));
        let data: Vec<f64> = v.map(|(i, j)| m.at(i, j)).collect();
        vector_out(interp, args, 0, data)
    })
    .method("from_vector", |_, this, args| {
        let mut m = me(this)?;
        let v = vector_arg(args, 0)?;
        if v.len() != m.nrow * m.ncol {
            return Err(wrong_size());
        }
        let (nrow, ncol) = (m.nrow, m.ncol);
        for j in 0..ncol {
            for i in 0..nrow {
                *m.at_mut(i, j) = v[j * nrow + i];
            }
        }
        this.native_mut::<HocMatrix>()?.store(m);
        this_value(this)
    })
}

#[cfg(test)]
mod tests;
