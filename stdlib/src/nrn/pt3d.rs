//! The 3-D point built-ins of the currently accessed section (`pt3dadd`,
//! `n3d`, `x3d`...) and `define_shape()`.

use super::{cas, host, merr, model};
use nerve_runtime::hoc::{Args, HocError, Interpreter, Value};
use nerve_runtime::model::Pt3d;

fn index(a: &Args, i: usize) -> Result<i64, HocError> {
    Ok(a.num(i)? as i64)
}

/// Registers one accessor of point `i`.
fn point_fn(interp: &mut Interpreter, name: &str, f: fn(&Pt3d) -> f64) {
    interp.register_fn(name, move |i, a| {
        a.expect_count(1, 1)?;
        let (h, s) = cas(i)?;
        let p = model(&h)?.pt3d_point(s, index(a, 0)?).map_err(merr)?;
        Ok(Value::Num(f(&p)))
    });
}

/// Registers the 3-D point built-ins.
pub fn register(interp: &mut Interpreter) {
    interp.register_fn("pt3dclear", |i, a| {
        a.expect_count(0, 1)?;
        let (h, s) = cas(i)?;
        model(&h)?.pt3dclear(s).map_err(merr)?;
        Ok(Value::Num(0.0))
    });
    interp.register_fn("pt3dadd", |i, a| {
        a.expect_count(4, 4)?;
        let (h, s) = cas(i)?;
        let (x, y, z, d) = (a.num(0)?, a.num(1)?, a.num(2)?, a.num(3)?);
        model(&h)?.pt3dadd(s, x, y, z, d).map_err(merr)?;
        Ok(Value::Num(1.0))
    });
    interp.register_fn("pt3dinsert", |i, a| {
        a.expect_count(5, 5)?;
        let (h, s) = cas(i)?;
        let k = index(a, 0)?;
        let (x, y, z, d) = (a.num(1)?, a.num(2)?, a.num(3)?, a.num(4)?);
        model(&h)?.pt3dinsert(s, k, x, y, z, d).map_err(merr)?;
        Ok(Value::Num(0.0))
    });
    interp.register_fn("pt3dremove", |i, a| {
        a.expect_count(1, 1)?;
        let (h, s) = cas(i)?;
        model(&h)?.pt3dremove(s, index(a, 0)?).map_err(merr)?;
        Ok(Value::Num(0.0))
    });
    interp.register_fn("pt3dchange", |i, a| {
        let (h, s) = cas(i)?;
        let k = index(a, 0)?;
        match a.len() {
            2 => model(&h)?.pt3dchange_diam(s, k, a.num(1)?),
            5 => model(&h)?.pt3dchange(s, k, a.num(1)?, a.num(2)?, a.num(3)?, a.num(4)?),
            n => {
                return Err(HocError::msg(format!(
                    "pt3dchange: takes 2 or 5 arguments, {n} given"
                )))
            }
        }
        .map_err(merr)?;
        Ok(Value::Num(0.0))
    });
    interp.register_fn("n3d", |i, a| {
        a.expect_count(0, 0)?;
        let (h, s) = cas(i)?;
        let r = model(&h)?.n3d(s).map_err(merr)? as f64;
        Ok(Value::Num(r))
    });
    point_fn(interp, "x3d", |p| p.x as f64);
    point_fn(interp, "y3d", |p| p.y as f64);
    point_fn(interp, "z3d", |p| p.z as f64);
    point_fn(interp, "diam3d", |p| (p.d as f64).abs());
    point_fn(interp, "arc3d", |p| p.arc);
    point_fn(interp, "spine3d", |p| if p.d < 0.0 { 1.0 } else { 0.0 });
    interp.register_fn("pt3dconst", |i, a| {
        a.expect_count(0, 1)?;
        let h = host(i)?;
        let mut m = model(&h)?;
        let old = if a.is_empty() {
            m.pt3dconst()
        } else {
            m.set_pt3dconst(a.num(0)? != 0.0)
        };
        Ok(Value::Num(if old { 1.0 } else { 0.0 }))
    });
    interp.register_fn("define_shape", |i, a| {
        a.expect_count(0, 0)?;
        let h = host(i)?;
        let notices = model(&h)?.define_shape().map_err(merr)?;
        if !notices.is_empty() {
            i.flush();
            for n in notices {
                eprintln!("{n}");
            }
        }
        Ok(Value::Num(1.0))
    });
}
