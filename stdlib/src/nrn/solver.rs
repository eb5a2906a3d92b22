//! `finitialize`, `fadvance`, `fcurrent`: the fixed-step solver of the model
//! (the first two run events, play and record: see `playrec`).

use super::{host, merr, model};
use nerve_runtime::hoc::{Interpreter, Value};

/// Registers the solver built-ins.
pub fn register(interp: &mut Interpreter) {
    interp.register_fn("finitialize", |i, a| {
        a.expect_count(0, 1)?;
        let v = if a.is_empty() { None } else { Some(a.num(0)?) };
        super::playrec::finitialize(i, v)?;
        Ok(Value::Num(1.0))
    });
    interp.register_fn("fadvance", |i, a| {
        a.expect_count(0, 0)?;
        super::playrec::fadvance(i)?;
        Ok(Value::Num(1.0))
    });
    interp.register_fn("fcurrent", |i, a| {
        a.expect_count(0, 0)?;
        let h = host(i)?;
        model(&h)?.fcurrent().map_err(merr)?;
        Ok(Value::Num(1.0))
    });
}
