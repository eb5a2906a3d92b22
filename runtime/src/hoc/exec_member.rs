//! Members of objects: fields and methods of template instances, methods
//! and properties of native objects.

use super::class::Args;
use super::error::HocError;
use super::interp::Interpreter;
use super::symbols::Sym;
use super::template::MemberKind;
use super::value::{ClassKind, Obj, Ptr, Value};
use nerve_compiler::hoc::ast::{AssignOp, ProcKind, Span};
use std::rc::Rc;

impl Interpreter {
    /// Reads `obj.name[idx]` or calls `obj.name(args)`.
    pub fn member_get(
        &mut self,
        o: &Obj,
        name: &Rc<str>,
        idx: &[f64],
        args: Option<Vec<Value>>,
        span: Span,
    ) -> Result<Value, HocError> {
        match &o.class.kind {
            ClassKind::Template(t) => {
                let i = self
                    .public_member(o, t, name)
                    .map_err(|e| self.here(e, span))?;
                let kind = t.members.borrow()[i].kind.clone();
                match kind {
                    MemberKind::Code(Some(def)) => {
                        let vals = args.unwrap_or_default();
                        if def.kind == ProcKind::Iterator {
                            return Err(self.here(
                                HocError::msg(format!("iterator {name} can only be called by for")),
                                span,
                            ));
                        }
                        let v = self.call_proc(&def, vals, Some(o.clone()), None, span)?;
                        Ok(match v {
                            Value::Void => Value::Num(0.0),
                            v => v,
                        })
                    }
                    MemberKind::Code(None) => Err(self.here(
                        HocError::msg(format!("{name} is declared but not defined")),
                        span,
                    )),
                    MemberKind::Data(_) => {
                        if args.is_some() {
                            return Err(self.here(
                                HocError::msg(format!("{}.{name} is not a function", o.name())),
                                span,
                            ));
                        }
                        let sym = o.field(i).unwrap_or_default();
                        let r = match (&sym, idx.is_empty()) {
                            (Sym::Num(c), true) => Ok(Value::Num(c.get())),
                            (Sym::Str(s), true) if s.dims.is_empty() => {
                                Ok(Value::Str(s.data[0].clone()))
                            }
                            (Sym::Objs(s), true) if s.dims.is_empty() => {
                                Ok(Value::Obj(s.data.borrow()[0].clone()))
                            }
                            (Sym::Undef, _) => {
                                Err(HocError::msg(format!("{}.{name} is undefined", o.name())))
                            }
                            (sym, _) => {
                                let dims = sym_dims(sym);
                                let flat =
                                    flat(&dims, idx, self.float_epsilon.get()).map_err(|m| {
                                        HocError::msg(format!("{}.{name}: {m}", o.name()))
                                    })?;
                                Ok(match sym {
                                    Sym::Array(a) => Value::Num(a.data.borrow()[flat]),
                                    Sym::Str(s) => Value::Str(s.data[flat].clone()),
                                    Sym::Objs(s) => Value::Obj(s.data.borrow()[flat].clone()),
                                    _ => {
                                        return Err(self.here(
                                            HocError::msg(format!(
                                                "{}.{name} is not an array",
                                                o.name()
                                            )),
                                            span,
                                        ))
                                    }
                                })
                            }
                        };
                        r.map_err(|e| self.here(e, span))
                    }
                }
            }
            ClassKind::Native(n) => {
                if args.is_none() {
                    if let Some(p) = n.properties_n.get(name) {
                        let get = p.get.clone();
                        return get(self, o, idx)
                            .map(Value::Num)
                            .map_err(|e| self.here(e, span));
                    }
                    if let Some(p) = n.properties.get(name) {
                        let get = p.get.clone();
                        let i = single_index(idx, self.float_epsilon.get())
                            .map_err(|e| self.here(e, span))?;
                        return get(self, o, i).map_err(|e| self.here(e, span));
                    }
                }
                match n.methods.get(name) {
                    Some(m) => {
                        if !idx.is_empty() {
                            return Err(self.here(
                                HocError::msg(format!(
                                    "{}.{name} is a method, not an array",
                                    o.class.name
                                )),
                                span,
                            ));
                        }
                        let m = m.clone();
                        let mut a = Args::new(name.clone(), args.unwrap_or_default());
                        m(self, o, &mut a).map_err(|e| self.here(e, span))
                    }
                    None => Err(self.here(
                        HocError::msg(format!("{} has no member named {name}", o.class.name)),
                        span,
                    )),
                }
            }
        }
    }

    pub(crate) fn public_member(
        &self,
        o: &Obj,
        t: &Rc<super::template::Template>,
        name: &str,
    ) -> Result<usize, HocError> {
        let i = t
            .find(name)
            .ok_or_else(|| HocError::msg(format!("{} has no member named {name}", o.class.name)))?;
        let inside = self.frames[self.cur]
            .this
            .as_ref()
            .is_some_and(|me| Rc::ptr_eq(me, o));
        if !inside && !t.is_public(name) {
            return Err(HocError::msg(format!(
                "{name} is not a public member of {}",
                o.class.name
            )));
        }
        Ok(i)
    }

    pub(crate) fn member_set(
        &mut self,
        o: &Obj,
        name: &Rc<str>,
        idx: &[f64],
        op: AssignOp,
        value: Value,
    ) -> Result<Value, HocError> {
        match &o.class.kind {
            ClassKind::Template(t) => {
                let i = self.public_member(o, t, name)?;
                let sym = o.field(i).unwrap_or_default();
                let flat_i = if idx.is_empty() {
                    None
                } else {
                    Some(
                        flat(&sym_dims(&sym), idx, self.float_epsilon.get())
                            .map_err(|m| HocError::msg(format!("{}.{name}: {m}", o.name())))?,
                    )
                };
                let oname = o.name();
                let r = self.store_sym(&|| format!("{oname}.{name}"), &sym, flat_i, op, value)?;
                self.run_releases()?;
                Ok(r)
            }
            ClassKind::Native(n) if n.properties_n.contains_key(name) => {
                let p = n.properties_n[name].clone();
                let set = p.set.ok_or_else(|| {
                    HocError::msg(format!("{}.{name} cannot be assigned", o.class.name))
                })?;
                let new = match value {
                    Value::Num(x) => x,
                    other => {
                        return Err(HocError::msg(format!(
                            "{}.{name} needs a number, not {}",
                            o.class.name,
                            other.type_name()
                        )))
                    }
                };
                let x = if op == AssignOp::Set {
                    new
                } else {
                    let old = (p.get)(self, o, idx)?;
                    self.combine(op, old, new)?
                };
                set(self, o, idx, x)?;
                Ok(Value::Num(x))
            }
            ClassKind::Native(n) => {
                let p = n.properties.get(name).ok_or_else(|| {
                    HocError::msg(format!("{} has no property named {name}", o.class.name))
                })?;
                let set = p.set.clone().ok_or_else(|| {
                    HocError::msg(format!("{}.{name} cannot be assigned", o.class.name))
                })?;
                let get = p.get.clone();
                let i = single_index(idx, self.float_epsilon.get())?;
                let v = if op == AssignOp::Set {
                    value
                } else {
                    let old = match get(self, o, i)? {
                        Value::Num(x) => x,
                        other => {
                            return Err(HocError::msg(format!(
                                "{}.{name} is {}",
                                o.class.name,
                                other.type_name()
                            )))
                        }
                    };
                    let new = match value {
                        Value::Num(x) => x,
                        other => {
                            return Err(HocError::msg(format!(
                                "cannot combine {} with a number",
                                other.type_name()
                            )))
                        }
                    };
                    Value::Num(self.combine(op, old, new)?)
                };
                set(self, o, i, v.clone())?;
                Ok(v)
            }
        }
    }

    pub(crate) fn member_ptr(
        &mut self,
        o: &Obj,
        name: &Rc<str>,
        idx: &[f64],
    ) -> Result<Ptr, HocError> {
        match &o.class.kind {
            ClassKind::Template(t) => {
                let i = self.public_member(o, t, name)?;
                let sym = o.field(i).unwrap_or_default();
                match sym {
                    Sym::Num(c) if idx.is_empty() => Ok(Ptr::Cell(c)),
                    Sym::Array(a) => {
                        let i = if idx.is_empty() {
                            0
                        } else {
                            flat(&a.dims, idx, self.float_epsilon.get()).map_err(HocError::msg)?
                        };
                        Ok(Ptr::Elem(a.data.clone(), i))
                    }
                    _ => Err(HocError::msg(format!(
                        "cannot take the address of {}.{name}",
                        o.name()
                    ))),
                }
            }
            ClassKind::Native(n) if n.properties_n.contains_key(name) => {
                let p = n.properties_n[name].ptr.clone().ok_or_else(|| {
                    HocError::msg(format!(
                        "cannot take the address of {}.{name}",
                        o.class.name
                    ))
                })?;
                p(self, o, idx)
            }
            ClassKind::Native(n) => {
                let p = n
                    .properties
                    .get(name)
                    .and_then(|p| p.ptr.clone())
                    .ok_or_else(|| {
                        HocError::msg(format!(
                            "cannot take the address of {}.{name}",
                            o.class.name
                        ))
                    })?;
                p(o, single_index(idx, self.float_epsilon.get())?)
            }
        }
    }
}

pub(crate) fn sym_dims(sym: &Sym) -> Vec<usize> {
    match sym {
        Sym::Array(a) => a.dims.clone(),
        Sym::Str(s) => s.dims.clone(),
        Sym::Objs(o) => o.dims.clone(),
        _ => vec![],
    }
}

/// The row-major position of subscripts `idx` in an array of `dims` (a
/// scalar takes one subscript, 0). Each subscript is truncated after adding
/// float_epsilon, as NEURON does (`x[-1]` is `x[0]`, `x[1.99999999999]` is
/// `x[2]`). Errors name the problem; the caller names the variable.
pub(crate) fn flat(dims: &[usize], idx: &[f64], eps: f64) -> Result<usize, String> {
    let dims: &[usize] = if dims.is_empty() { &[1] } else { dims };
    if dims.len() != idx.len() {
        return Err(format!(
            "{} index(es) given for {} dimension(s)",
            idx.len(),
            dims.len()
        ));
    }
    let mut f = 0;
    for (k, (&d, &x)) in dims.iter().zip(idx).enumerate() {
        let t = (x + eps).trunc();
        if t.is_nan() || t < 0.0 || (t as usize) >= d {
            return Err(format!("index {}: {t} is out of range (size {d})", k + 1));
        }
        f = f * d + t as usize;
    }
    Ok(f)
}

/// The one subscript of a native property, truncated after adding
/// float_epsilon as NEURON does (`v.x[-1]` is element 0).
pub(crate) fn single_index(idx: &[f64], eps: f64) -> Result<Option<usize>, HocError> {
    match idx {
        [] => Ok(None),
        [x] if (*x + eps).trunc() >= 0.0 => Ok(Some((*x + eps).trunc() as usize)),
        [x] => Err(HocError::msg(format!("index {x} is negative"))),
        _ => Err(HocError::msg("only one index is allowed here")),
    }
}
