//! The HOC `Vector` class: NEURON's one-dimensional array of doubles, with
//! every method of NEURON 9.0.2's `src/ivoc/ivocvect.cpp` that makes sense
//! without a simulator, reproducing NEURON's results, return values, argument
//! checks and quirks.
//!
//! # Layout
//!
//! | module        | methods |
//! |---------------|---------|
//! | this one      | the payload [`HocVector`], the `x[i]` property, shared argument helpers, [`register`] |
//! | [`basic`]     | construction, size and capacity, element access, `append insrt remove copy c cl at`, `fill indgen`, `sort reverse rotate`, `ind index sortindex`, `label` |
//! | [`select`]    | `where indwhere indvwhere contains eq` |
//! | [`stats`]     | `min max min_ind max_ind sum sumsq mean var stdev stderr median mag dot meansqerr scale trigavg` |
//! | [`math`]      | `add sub mul div`, element functions (`sqrt abs floor tanh log log10 pow sin`), `apply reduce`, random fills, `deriv integral interpolate`, histograms, `spikebin rebin medfltr resample psth inf`; [`math::call_hoc_function`] |
//! | [`cxx`]       | libstdc++'s `std::sort` and `std::minmax_element`, glibc's `qsort`, for NEURON's tie and NaN orders |
//! | [`fit`]       | `fit` (NEURON's simplex least-squares fit) |
//! | [`fourier`]   | `correl convlv spctrm filter fft` (NEURON's GSL radix-2 real FFT) |
//! | [`io`]        | `printf scanf scantil fwrite fread vwrite vread` and the [`VectorFile`] hook the `File` class plugs into |
//!
//! # Capacity
//!
//! `buffer_size()` reports the capacity of NEURON's `std::vector`, which
//! grows by libstdc++'s rules (doubling on `push_back`, `max(2·size, n)` on a
//! growing `resize`). The helpers [`push`], [`resize_vec`] and [`reserve`]
//! reproduce those rules on the Rust `Vec` (whose own growth policy differs)
//! so that `buffer_size()` prints what NEURON prints.
//!
//! # Not here
//!
//! `record`, `play` and `play_remove` need the simulator and are added with
//! it. The GUI methods (`plot line mark ploterr`) are headless no-ops
//! returning the Vector, as in NEURON without a display. The Python bridges
//! (`from_python to_python as_numpy`) report that Python is not available.

pub mod basic;
pub mod cxx;
pub mod fit;
pub mod fourier;
pub mod io;
pub mod math;
pub mod select;
pub mod stats;
#[cfg(test)]
mod tests;

pub use io::{set_file_access, FileAccess, VectorFile};

use nerve_runtime::hoc::value::DoubleArray;
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Property, Ptr, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// Largest number of elements a Vector may have: NEURON converts sizes to a
/// C `int`, so larger sizes fail there too.
pub const MAX_SIZE: usize = i32::MAX as usize;

/// NEURON's `dmaxint_` (2^53), the upper bound of several size arguments.
pub(crate) const DMAXINT: f64 = 9_007_199_254_740_992.0;

/// The payload of a HOC `Vector`.
pub struct HocVector {
    /// The elements, shared so that `&v.x[i]` pointers
    /// ([`Ptr::Elem`]) stay valid while the Vector lives.
    pub data: DoubleArray,
    /// The label set by `label("...")` (empty when none).
    pub label: String,
}

impl HocVector {
    /// A Vector payload holding `data`, without a label.
    pub fn new(data: Vec<f64>) -> HocVector {
        HocVector {
            data: Rc::new(RefCell::new(data)),
            label: String::new(),
        }
    }
}

/// The element storage of a Vector object, or an error naming the object
/// when it is not a Vector.
pub fn vector_data(obj: &Obj) -> Result<DoubleArray, HocError> {
    Ok(payload(obj)?.data.clone())
}

/// The payload of a Vector object (briefly borrowed).
fn payload(obj: &Obj) -> Result<std::cell::Ref<'_, HocVector>, HocError> {
    if !obj.is("Vector") {
        return Err(HocError::msg(format!(
            "object type is {} instead of Vector",
            obj.class.name
        )));
    }
    obj.native::<HocVector>()
}

/// Whether `obj` is a Vector.
pub fn is_vector(obj: &Obj) -> bool {
    obj.is("Vector") && obj.native::<HocVector>().is_ok()
}

/// Creates a new Vector object holding `data` (the next `Vector[N]`).
pub fn new_vector(interp: &mut Interpreter, data: Vec<f64>) -> Result<Obj, HocError> {
    new_vector_labeled(interp, data, String::new())
}

/// Creates a new Vector object holding `data` with a label.
pub(crate) fn new_vector_labeled(
    interp: &mut Interpreter,
    data: Vec<f64>,
    label: String,
) -> Result<Obj, HocError> {
    let class = interp
        .class("Vector")
        .ok_or_else(|| HocError::msg("the Vector class is not registered"))?;
    let payload = HocVector {
        data: Rc::new(RefCell::new(data)),
        label,
    };
    Ok(
        class.instantiate(nerve_runtime::hoc::value::ObjectData::Native(RefCell::new(
            Box::new(payload),
        ))),
    )
}

/// Registers the `Vector` class.
pub fn register(interp: &mut Interpreter) {
    builder().register(interp);
    math::register_call_helpers(interp);
}

/// The `Vector` class with all of this module's methods, not yet
/// registered: the simulator bindings add `record`, `play` and
/// `play_remove` to it and register it again (before any Vector exists).
pub fn builder() -> Builder {
    let b = ClassBuilder::new("Vector", basic::construct).property("x", x_property());
    let b = basic::methods(b);
    let b = select::methods(b);
    let b = stats::methods(b);
    let b = math::methods(b);
    let b = fourier::methods(b);
    let b = io::methods(b);
    gui_and_python(b)
}

/// The builder of the `Vector` class.
pub type Builder = ClassBuilder<HocVector>;

/// `x[i]`: read, written and pointed at; the index must be in range, as
/// NEURON's `hoc_araypt` demands.
fn x_property() -> Property {
    fn index(i: Option<usize>, len: usize) -> Result<usize, HocError> {
        match i {
            None => Err(HocError::msg(
                "array dimension of x now 1 (at compile time it was 0)",
            )),
            Some(i) if i < len => Ok(i),
            Some(i) => Err(HocError::msg(format!(
                "subscript 0 index {i} of x out of range {len}"
            ))),
        }
    }
    Property {
        get: Rc::new(|_, o, i| {
            let p = payload(o)?;
            let v = p.data.borrow();
            Ok(Value::Num(v[index(i, v.len())?]))
        }),
        set: Some(Rc::new(|_, o, i, val| {
            let x = match val {
                Value::Num(x) => x,
                other => {
                    return Err(HocError::msg(format!(
                        "a number is needed for x[], not {}",
                        other.type_name()
                    )))
                }
            };
            let p = payload(o)?;
            let mut v = p.data.borrow_mut();
            let k = index(i, v.len())?;
            v[k] = x;
            Ok(())
        })),
        ptr: Some(Rc::new(|o, i| {
            let d = vector_data(o)?;
            let k = index(i, d.borrow().len())?;
            Ok(Ptr::Elem(d, k))
        })),
    }
}

/// Headless GUI methods and the Python bridges.
fn gui_and_python(b: Builder) -> Builder {
    let b = ["plot", "line", "mark", "ploterr"]
        .into_iter()
        .fold(b, |b, name| b.method(name, |_, this, _| ret_self(this)));
    ["from_python", "to_python", "as_numpy"]
        .into_iter()
        .fold(b, |b, name| {
            b.method(name, |_, _, _| Err(HocError::msg("Python not available")))
        })
}

// ------------------------------------------------------------------ helpers

/// What methods that NEURON declares as returning the Vector itself return.
pub(crate) fn ret_self(this: &Obj) -> Result<Value, HocError> {
    Ok(Value::Obj(Some(this.clone())))
}

/// C's `(int)x` on x86-64: truncation, with NaN and out-of-range values
/// becoming `INT_MIN` (the "integer indefinite").
pub(crate) fn c_int(x: f64) -> i32 {
    if x.is_nan() || x >= 2_147_483_648.0 || x <= -2_147_483_649.0 {
        i32::MIN
    } else {
        x as i32
    }
}

/// NEURON's `chkarg(i, low, high)` on argument `i` (0-based): the number,
/// or "Arg out of range in user function". NaN passes, as in NEURON.
pub(crate) fn chkarg(args: &Args, i: usize, low: f64, high: f64) -> Result<f64, HocError> {
    let x = args.num(i)?;
    if x > high || x < low {
        return Err(HocError::msg(format!(
            "Arg out of range in user function: Vector.{} argument {} is {}, must be in [{}, {}]",
            args.name(),
            i + 1,
            fmt_num(x),
            fmt_num(low),
            fmt_num(high)
        )));
    }
    Ok(x)
}

/// A number as `%g` prints it, for messages.
pub(crate) fn fmt_num(x: f64) -> String {
    nerve_runtime::cfmt::fmt_g8(x)
}

/// `size() - 1` as NEURON passes it to `chkarg` without an `int` in between:
/// an unsigned wrap-around (about 1.8e19) for an empty Vector.
pub(crate) fn top_unsigned(len: usize) -> f64 {
    if len == 0 {
        18_446_744_073_709_551_615.0
    } else {
        (len - 1) as f64
    }
}

/// An index NEURON would compute and then use through `std::vector::at`:
/// the error `at` throws when it is out of range.
pub(crate) fn range_check(
    this: &Obj,
    method: &str,
    n: i64,
    size: usize,
) -> Result<usize, HocError> {
    if n >= 0 && (n as u64) < size as u64 {
        Ok(n as usize)
    } else {
        Err(HocError::msg(format!(
            "{}::{method}: vector::_M_range_check: __n (which is {}) >= this->size() (which is {size})",
            this.name(),
            n as u64
        )))
    }
}

/// The optional `(start, end)` pair at arguments `i, i+1` checked the way
/// most NEURON methods do (`int top = size - 1`): `0 <= start <= end <= top`.
/// Returns the whole range when argument `i` is absent.
pub(crate) fn int_range(args: &Args, i: usize, len: usize) -> Result<(usize, usize), HocError> {
    if args.len() <= i {
        return if len == 0 {
            Ok((0, 0))
        } else {
            Ok((0, len - 1))
        };
    }
    let top = len as f64 - 1.0;
    let start = c_int(chkarg(args, i, 0.0, top)?);
    let end = c_int(chkarg(args, i + 1, start as f64, top)?);
    if start < 0 || end < start || end as i64 >= len as i64 {
        return Err(HocError::msg(format!(
            "Arg out of range in user function: Vector.{} range {start} to {end}",
            args.name()
        )));
    }
    Ok((start as usize, end as usize))
}

/// Like [`int_range`] but the range is empty (`None`) for an empty Vector
/// without range arguments (for loops `for i = start; i <= end`).
pub(crate) fn opt_range(
    args: &Args,
    i: usize,
    len: usize,
) -> Result<Option<(usize, usize)>, HocError> {
    if args.len() <= i && len == 0 {
        return Ok(None);
    }
    int_range(args, i, len).map(Some)
}

/// NEURON's `hoc_is_object_arg(i)` where the argument must exist: whether
/// argument `i` is an object, or "not enough arguments".
pub(crate) fn is_obj_arg(args: &Args, i: usize) -> Result<bool, HocError> {
    if i >= args.len() {
        return Err(HocError::msg(format!(
            "{} not enough arguments",
            args.name()
        )));
    }
    Ok(args.is_obj(i))
}

/// Argument `i` as a Vector (NEURON's `vector_arg`): the object and its storage.
pub(crate) fn vec_arg(args: &Args, i: usize) -> Result<(Obj, DoubleArray), HocError> {
    match args.get(i)? {
        Value::Obj(Some(o)) => {
            let d = vector_data(o)?;
            Ok((o.clone(), d))
        }
        Value::Obj(None) => Err(HocError::msg("object type is nullptr instead of Vector")),
        _ => Err(HocError::msg(format!(
            "{}: argument {} must be a Vector, not {}",
            args.name(),
            i + 1,
            args.get(i)?.type_name()
        ))),
    }
}

/// A copy of argument `i`'s elements (a Vector).
pub(crate) fn vec_arg_copy(args: &Args, i: usize) -> Result<Vec<f64>, HocError> {
    let (_, d) = vec_arg(args, i)?;
    let v = d.borrow().clone();
    Ok(v)
}

/// NEURON's `same_err`: a method that cannot take its own Vector as argument.
pub(crate) fn same_err(name: &str, this: &Obj, other: &Obj) -> Result<(), HocError> {
    if Rc::ptr_eq(this, other) {
        return Err(HocError::msg(format!(
            "{name}  argument needs to be copied first"
        )));
    }
    Ok(())
}

/// A size NEURON would refuse (`std::length_error` or `std::bad_alloc`).
fn size_error(n: usize) -> HocError {
    HocError::msg(format!(
        "cannot create a Vector of {n} elements (at most {MAX_SIZE})"
    ))
}

/// libstdc++'s `reserve(n)`: the capacity becomes exactly `n` if larger.
pub fn reserve(v: &mut Vec<f64>, n: usize) -> Result<(), HocError> {
    if n > MAX_SIZE {
        return Err(size_error(n));
    }
    if n > v.capacity() {
        let add = n - v.len();
        v.try_reserve_exact(add).map_err(|_| size_error(n))?;
    }
    Ok(())
}

/// libstdc++'s `push_back`: the capacity doubles (from 1) when full.
pub fn push(v: &mut Vec<f64>, x: f64) -> Result<(), HocError> {
    if v.len() == v.capacity() {
        let n = v.len() + v.len().max(1);
        reserve(v, n.min(MAX_SIZE).max(v.len() + 1))?;
    }
    v.push(x);
    Ok(())
}

/// libstdc++'s `resize(n)`: new elements are 0; growing past the capacity
/// makes it `max(2·size, n)`; shrinking keeps it.
pub fn resize_vec(v: &mut Vec<f64>, n: usize) -> Result<(), HocError> {
    if n > MAX_SIZE {
        return Err(size_error(n));
    }
    if n > v.capacity() {
        reserve(v, (2 * v.len()).max(n).min(MAX_SIZE))?;
    }
    v.resize(n, 0.0);
    Ok(())
}

/// A new zeroed `Vec` of exactly `n` elements and capacity (`Vect(n)`).
pub(crate) fn zeros(n: usize) -> Result<Vec<f64>, HocError> {
    filled(n, 0.0)
}

/// A new `Vec` of `n` copies of `x`, capacity `n` (`Vect(n, x)`).
pub(crate) fn filled(n: usize, x: f64) -> Result<Vec<f64>, HocError> {
    if n > MAX_SIZE {
        return Err(size_error(n));
    }
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| size_error(n))?;
    v.resize(n, x);
    Ok(v)
}

/// A size computed by NEURON as a C `int` and then used as `size_t`: negative
/// values are errors (NEURON throws `std::length_error`).
pub(crate) fn int_size(n: i64) -> Result<usize, HocError> {
    if n < 0 || n as u64 > MAX_SIZE as u64 {
        return Err(HocError::msg(format!(
            "cannot create std::vector larger than max_size() (size {n})"
        )));
    }
    Ok(n as usize)
}

/// The interpreter's `float_epsilon` (NEURON's `hoc_epsilon`).
pub(crate) fn epsilon(interp: &Interpreter) -> f64 {
    interp.float_epsilon.get()
}

/// NEURON's `MyMath::eq(x, y, e)`: `|x - y| < e`, written as NEURON does.
pub(crate) fn eq_eps(x: f64, y: f64, e: f64) -> bool {
    x - y < e && y - x < e
}

/// NEURON's `hoc_Sqrt`: a negative argument is an error.
pub(crate) fn hoc_sqrt(x: f64) -> Result<f64, HocError> {
    if x < 0.0 {
        return Err(HocError::msg("sqrt argument out of domain"));
    }
    Ok(x.sqrt())
}

/// NEURON's `hoc_Exp`: 0 below -700, `exp(700)` above 700 (NEURON also
/// warns on stderr), `exp(x)` otherwise.
pub(crate) fn hoc_exp(x: f64) -> f64 {
    if x < -700.0 {
        0.0
    } else if x > 700.0 {
        let g = nerve_runtime::cfmt::format_num("%g", x).unwrap_or_default();
        eprintln!("exp({g}) out of range, returning exp(700)");
        700f64.exp()
    } else {
        x.exp()
    }
}

/// A source Vector argument of a method that writes into its own Vector:
/// a copy of another Vector's elements, or the Vector itself (then NEURON
/// reads the elements as they are being overwritten, and so does this).
pub(crate) enum Src {
    /// Another Vector's elements.
    Own(Vec<f64>),
    /// The method's own Vector.
    Alias,
}

impl Src {
    /// Argument `i`: [`Src::Alias`] when it is `this`.
    pub(crate) fn arg(this: &Obj, args: &Args, i: usize) -> Result<Src, HocError> {
        let (o, d) = vec_arg(args, i)?;
        if Rc::ptr_eq(&o, this) {
            Ok(Src::Alias)
        } else {
            let v = d.borrow().clone();
            Ok(Src::Own(v))
        }
    }

    /// The number of elements, given the method's own elements `live`.
    pub(crate) fn len(&self, live: &[f64]) -> usize {
        match self {
            Src::Own(v) => v.len(),
            Src::Alias => live.len(),
        }
    }

    /// Element `i` (checked like `std::vector::at`).
    pub(crate) fn at(
        &self,
        live: &[f64],
        i: i64,
        this: &Obj,
        method: &str,
    ) -> Result<f64, HocError> {
        let s = match self {
            Src::Own(v) => v.as_slice(),
            Src::Alias => live,
        };
        let k = range_check(this, method, i, s.len())?;
        Ok(s[k])
    }
}

/// `v.at(i)` on the method's own elements, as a checked read.
pub(crate) fn at(v: &[f64], i: i64, this: &Obj, method: &str) -> Result<f64, HocError> {
    let k = range_check(this, method, i, v.len())?;
    Ok(v[k])
}

/// `v.at(i) = x` on the method's own elements, as a checked write.
pub(crate) fn set_at(
    v: &mut [f64],
    i: i64,
    x: f64,
    this: &Obj,
    method: &str,
) -> Result<(), HocError> {
    let k = range_check(this, method, i, v.len())?;
    v[k] = x;
    Ok(())
}
