//! Selecting and comparing elements: `where indwhere indvwhere contains eq`.
//! Comparisons use the interpreter's `float_epsilon`, as NEURON's do.

use super::{
    epsilon, eq_eps, push, range_check, ret_self, vec_arg, vec_arg_copy, vector_data, Builder,
};
use nerve_runtime::hoc::{Args, HocError, Interpreter, Obj, Value};
use std::rc::Rc;

/// Adds this module's methods.
pub(crate) fn methods(b: Builder) -> Builder {
    b.method("where", |i, this, args| {
        select(i, this, args, "where", false)
    })
    .method("indvwhere", |i, this, args| {
        select(i, this, args, "indvwhere", true)
    })
    .method("indwhere", indwhere)
    .method("contains", |interp, this, args| {
        let g = args.num(0)?;
        let e = epsilon(interp);
        let found = vector_data(this)?.borrow().iter().any(|&x| eq_eps(x, g, e));
        Ok(Value::Num(if found { 1.0 } else { 0.0 }))
    })
    .method("eq", |interp, this, args| {
        let y = vec_arg_copy(args, 0)?;
        let e = epsilon(interp);
        let d = vector_data(this)?;
        let x = d.borrow();
        let same = x.len() == y.len() && x.iter().zip(&y).all(|(&a, &b)| eq_eps(a, b, e));
        Ok(Value::Num(if same { 1.0 } else { 0.0 }))
    })
}

/// A comparison of `where`, `indwhere` and `indvwhere`.
#[derive(Clone, Copy)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Open,
    Closed,
    ClosedOpen,
    OpenClosed,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            ">" => Op::Gt,
            "<" => Op::Lt,
            ">=" => Op::Ge,
            "<=" => Op::Le,
            "()" => Op::Open,
            "[]" => Op::Closed,
            "[)" => Op::ClosedOpen,
            "(]" => Op::OpenClosed,
            _ => return None,
        })
    }

    /// Whether the comparison takes a second value (an interval).
    fn is_interval(self) -> bool {
        matches!(
            self,
            Op::Open | Op::Closed | Op::ClosedOpen | Op::OpenClosed
        )
    }

    fn test(self, x: f64, v: f64, v2: f64, e: f64) -> bool {
        match self {
            Op::Eq => eq_eps(x, v, e),
            Op::Ne => !eq_eps(x, v, e),
            Op::Gt => x > v + e,
            Op::Lt => x < v - e,
            Op::Ge => x >= v - e,
            Op::Le => x <= v + e,
            Op::Open => x > v + e && x < v2 - e,
            Op::Closed => x >= v - e && x <= v2 + e,
            Op::ClosedOpen => x >= v - e && x < v2 - e,
            Op::OpenClosed => x > v + e && x <= v2 + e,
        }
    }
}

fn bad_op(method: &str) -> HocError {
    HocError::msg(format!("Vector Invalid comparator in .{method}()"))
}

/// `where([src,] op, x [, y])` (the matching values) and
/// `indvwhere([src,] op, x [, y])` (their indices), into this Vector.
fn select(
    interp: &mut Interpreter,
    this: &Obj,
    args: &mut Args,
    method: &str,
    indices: bool,
) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let (src, alias, iarg) = if !args.is_empty() && args.is_obj(0) {
        let (o, sd) = vec_arg(args, 0)?;
        let v = sd.borrow().clone();
        (v, Rc::ptr_eq(&o, this), 1)
    } else {
        (d.borrow().clone(), false, 0)
    };
    let op = args.str(iarg)?;
    let value = args.num(iarg + 1)?;
    let e = epsilon(interp);
    let mut y = d.borrow_mut();
    y.clear();
    let op = Op::parse(&op).ok_or_else(|| bad_op(method))?;
    let value2 = if op.is_interval() {
        args.num(iarg + 2)?
    } else {
        0.0
    };
    // With its own Vector as source, NEURON empties it first: `where` then
    // fails reading element 0, `indvwhere` (which takes the size after
    // emptying) finds nothing.
    if alias && !src.is_empty() {
        if indices {
            return ret_self(this);
        }
        range_check(this, method, 0, 0)?;
    }
    for (i, &x) in src.iter().enumerate() {
        if op.test(x, value, value2, e) {
            push(&mut y, if indices { i as f64 } else { x })?;
        }
    }
    ret_self(this)
}

/// `indwhere(op, x [, y])`: the index of the first matching element, or -1.
fn indwhere(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let op = args.str(0)?;
    let value = args.num(1)?;
    let op = Op::parse(&op).ok_or_else(|| bad_op("indwhere"))?;
    let value2 = if op.is_interval() { args.num(2)? } else { 0.0 };
    let e = epsilon(interp);
    let d = vector_data(this)?;
    let x = d.borrow();
    let found = x.iter().position(|&x| op.test(x, value, value2, e));
    Ok(Value::Num(found.map_or(-1.0, |i| i as f64)))
}
