//! `table_<name>_<suffix>(...)`: gives a mechanism's FUNCTION_TABLE its
//! values, with the argument forms of NEURON's `hoc_spec_table`:
//! * `table_f(c)`: `f` is `c` everywhere;
//! * `table_f(yvec, xvec)`: Vectors of values and of increasing argument
//!   values (one argument only);
//! * `table_f(&y[0], n, &x[0])`, `table_f(&y[0], n, min, max)`: `n` values
//!   read from the pointer, at the `n` argument values read from the
//!   second pointer, or evenly spaced from `min` to `max`; with two
//!   arguments, one such `n, ...` group per argument and `n1 * n2` values
//!   in row order (`table_f(&y[0], n1, min1, max1, n2, &x2[0])`).
//!
//! NEURON keeps pointers into what it was given; nerve copies the values
//! when `table_f` is called (call it again after changing them).

use super::{host, merr, model, NrnHost};
use crate::vector::vector_data;
use nerve_compiler::nmodl::ir::MechIr;
use nerve_runtime::hoc::{Args, HocError, Interpreter, Ptr, Value};
use nerve_runtime::model::{FunctionTable, MechTypeId, TableAxis};
use std::rc::Rc;

/// Declares `table_<name>_<suffix>` for every FUNCTION_TABLE of `ir`.
pub(crate) fn declare(interp: &mut Interpreter, _h: &Rc<NrnHost>, t: MechTypeId, ir: &MechIr) {
    for ft in &ir.function_tables {
        let (name, nargs) = (ft.name.clone(), ft.args);
        let fname = format!("table_{}_{}", ft.name, ir.name);
        interp.register_fn(&fname.clone(), move |i, a| {
            let table = parse(i, a, nargs, &fname)?;
            let h = host(i)?;
            model(&h)?
                .set_function_table(t, &name, table)
                .map_err(merr)?;
            Ok(Value::Num(0.0))
        });
    }
}

/// The table the arguments describe.
fn parse(
    interp: &Interpreter,
    a: &Args,
    nargs: usize,
    fname: &str,
) -> Result<FunctionTable, HocError> {
    a.expect_count(1, 1 + 3 * nargs)?;
    if a.len() == 1 {
        return Ok(FunctionTable::constant(a.num(0)?, nargs));
    }
    if a.is_obj(0) && a.is_obj(1) {
        if nargs > 1 {
            return Err(HocError::msg(format!(
                "{fname}: Vector arguments allowed only for functions of one variable"
            )));
        }
        let y = vector_data(&a.object(0)?)?.borrow().clone();
        let x = vector_data(&a.object(1)?)?.borrow().clone();
        if x.len() != y.len() {
            return Err(HocError::msg(format!(
                "{fname}: Vector arguments not same size"
            )));
        }
        return Ok(FunctionTable {
            values: y,
            axes: vec![TableAxis::Points(x)],
        });
    }
    let mut k = 1;
    let mut axes = Vec::with_capacity(nargs);
    for _ in 0..nargs {
        let n = a.num(k)?;
        k += 1;
        if n < 1.0 {
            return Err(HocError::msg(format!(
                "{fname}: size arg < 1 in hoc_spec_table"
            )));
        }
        let n = n as usize;
        if a.is_num(k) {
            let (min, max) = (a.num(k)?, a.num(k + 1)?);
            k += 2;
            if max < min {
                return Err(HocError::msg(format!(
                    "{fname}: min > max in hoc_spec_table"
                )));
            }
            axes.push(TableAxis::Range { n, min, max });
        } else {
            axes.push(TableAxis::Points(values(interp, a, k, n, fname)?));
            k += 1;
        }
    }
    if k != a.len() {
        return Err(HocError::msg(format!(
            "{fname}: {} arguments for a table of {nargs} argument(s)",
            a.len()
        )));
    }
    let count = axes.iter().map(TableAxis::len).product();
    Ok(FunctionTable {
        values: values(interp, a, 0, count, fname)?,
        axes,
    })
}

/// `n` consecutive values from argument `k`: a pointer into an array or a
/// Vector (`&y[0]`, `&vec.x[0]`), a pointer to one variable when `n` is 1,
/// or a Vector.
fn values(
    interp: &Interpreter,
    a: &Args,
    k: usize,
    n: usize,
    fname: &str,
) -> Result<Vec<f64>, HocError> {
    let short = |have: usize| {
        HocError::msg(format!(
            "{fname}: argument {} has {have} values from where it points, {n} needed",
            k + 1
        ))
    };
    if a.is_obj(k) {
        let v = vector_data(&a.object(k)?)?;
        let v = v.borrow();
        return v
            .get(..n)
            .map(<[f64]>::to_vec)
            .ok_or_else(|| short(v.len()));
    }
    match a.ptr(k)? {
        Ptr::Elem(arr, i) => {
            let arr = arr.borrow();
            arr.get(i..i + n)
                .map(<[f64]>::to_vec)
                .ok_or_else(|| short(arr.len().saturating_sub(i)))
        }
        p if n == 1 => Ok(vec![interp.ptr_get(&p)?]),
        _ => Err(short(1)),
    }
}
