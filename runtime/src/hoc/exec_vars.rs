//! Variables at run time: reading and writing globals, fields, locals and
//! array elements, assignment operators, and pointers to doubles.

use super::class::Args;
use super::code::{Ex, Lv, VarRef};
use super::error::HocError;
use super::interp::Interpreter;
use super::symbols::Sym;
use super::template::MemberKind;
use super::value::ClassKind;
use super::value::{Obj, ObjectData, Ptr, Value};
use nerve_compiler::hoc::ast::{AssignOp, Span};
use nerve_compiler::hoc::lexer::DollarKind;
use std::rc::Rc;

impl Interpreter {
    /// The storage behind a non-local variable reference (cloned handle).
    pub(crate) fn sym_of(&self, v: VarRef) -> Result<Sym, HocError> {
        match v {
            VarRef::Global(id) => Ok(self.symbols[id].sym.clone()),
            VarRef::Field(i) => {
                let this = self.frames[self.cur].this.as_ref().ok_or_else(|| {
                    HocError::msg("a template variable is used outside an object")
                })?;
                match &this.data {
                    ObjectData::Template(f) => Ok(f.borrow()[i].clone()),
                    ObjectData::Native(_) => {
                        Err(HocError::msg("internal: field of a native object"))
                    }
                }
            }
            VarRef::Local(_) => Err(HocError::msg("a local variable is a scalar, not an array")),
        }
    }

    pub(crate) fn var_name(&self, v: VarRef) -> String {
        match v {
            VarRef::Global(id) => self.symbols[id].name.to_string(),
            VarRef::Field(i) => {
                let t = self.frames[self.cur]
                    .def
                    .as_ref()
                    .and_then(|d| d.template.clone())
                    .or_else(|| self.defining.clone());
                t.map(|t| t.members.borrow()[i].name.to_string())
                    .unwrap_or_else(|| "?".into())
            }
            VarRef::Local(s) => self.frames[self.cur]
                .def
                .as_ref()
                .map(|_| format!("local #{s}"))
                .unwrap_or_default(),
        }
    }

    pub(crate) fn read_var(&mut self, v: VarRef) -> Result<Value, HocError> {
        if let VarRef::Local(s) = v {
            return Ok(self.locals[self.frames[self.cur].base + s].clone());
        }
        let sym = self.sym_of(v)?;
        Ok(match sym {
            Sym::Num(c) => Value::Num(c.get()),
            Sym::Array(a) => Value::Num(a.data.borrow().first().copied().unwrap_or(0.0)),
            Sym::Str(s) => match s.data.first() {
                Some(s) => Value::Str(s.clone()),
                None => {
                    return Err(HocError::msg(format!(
                        "{} is an empty strdef array",
                        self.var_name(v)
                    )))
                }
            },
            Sym::Objs(o) => Value::Obj(o.data.borrow().first().cloned().flatten()),
            Sym::Undef => {
                return Err(HocError::msg(format!(
                    "{} is an undefined variable",
                    self.var_name(v)
                )))
            }
            Sym::Proc(d) => {
                // A func named without parentheses: HOC calls it.
                return self.call_proc(&d, Vec::new(), self.this_for(v), None, Span::default());
            }
            Sym::Builtin(f) => {
                let name: Rc<str> = self.var_name(v).into();
                return f(self, &mut Args::new(name, Vec::new()));
            }
            Sym::Class(c) => {
                return Err(HocError::msg(format!(
                    "{} is a template, not a value",
                    c.name
                )))
            }
            Sym::Range(r) => Value::Num(self.range_get(r, None)?),
            Sym::Sections(_) => {
                return Err(HocError::msg(format!(
                    "{} is a section, not a value",
                    self.var_name(v)
                )))
            }
            Sym::Mechanism => {
                return Err(HocError::msg(format!(
                    "{} is a mechanism, not a value",
                    self.var_name(v)
                )))
            }
        })
    }

    pub(crate) fn this_for(&self, v: VarRef) -> Option<Obj> {
        match v {
            VarRef::Field(_) => self.frames[self.cur].this.clone(),
            _ => None,
        }
    }

    pub(crate) fn flat_index(
        &self,
        v: VarRef,
        dims: &[usize],
        idx: &[f64],
    ) -> Result<usize, HocError> {
        super::exec_member::flat(dims, idx, self.float_epsilon.get())
            .map_err(|m| HocError::msg(format!("{}: {m}", self.var_name(v))))
    }

    pub(crate) fn read_elem(&mut self, v: VarRef, idx: &[f64]) -> Result<Value, HocError> {
        let sym = match v {
            VarRef::Local(_) => return Err(HocError::msg("a local is not an array")),
            _ => self.sym_of(v)?,
        };
        match sym {
            Sym::Array(a) => {
                let i = self.flat_index(v, &a.dims, idx)?;
                Ok(Value::Num(a.data.borrow()[i]))
            }
            Sym::Objs(o) => {
                let i = self.flat_index(v, &o.dims, idx)?;
                Ok(Value::Obj(o.data.borrow()[i].clone()))
            }
            Sym::Str(s) => {
                let i = self.flat_index(v, &s.dims, idx)?;
                Ok(Value::Str(s.data[i].clone()))
            }
            Sym::Undef => Err(HocError::msg(format!(
                "{} is an undefined array",
                self.var_name(v)
            ))),
            other => Err(HocError::msg(format!(
                "{} is {}, not an array",
                self.var_name(v),
                other.kind_name()
            ))),
        }
    }

    pub(crate) fn read_lv_num(&mut self, lv: &Lv) -> Result<f64, HocError> {
        let v = match lv {
            Lv::Var(v, _) => self.read_var(*v)?,
            Lv::Elem(v, idx, _) => {
                let idx = self.eval_indices(idx)?;
                self.read_elem(*v, &idx)?
            }
            Lv::Member {
                obj,
                name,
                indices,
                span,
            } => {
                let o = self.eval_obj(obj, *span)?;
                let idx = self.eval_indices(indices)?;
                self.member_get(&o, name, &idx, None, *span)?
            }
            Lv::Dollar(k, idx, span) => self.eval(&Ex::Dollar(*k, idx.clone(), *span))?,
            Lv::PtrElem(idx, sub, _) => {
                let p = self.ptr_elem(idx, sub)?;
                Value::Num(self.ptr_get(&p)?)
            }
            Lv::RangeAt(..) | Lv::WithSec(..) => Value::Num(self.read_lv_sec(lv)?),
        };
        match v {
            Value::Num(x) => Ok(x),
            other => Err(HocError::msg(format!(
                "loop variable holds {}",
                other.type_name()
            ))),
        }
    }

    pub(crate) fn combine(&self, op: AssignOp, old: f64, new: f64) -> Result<f64, HocError> {
        Ok(match op {
            AssignOp::Set => new,
            AssignOp::Add => old + new,
            AssignOp::Sub => old - new,
            AssignOp::Mul => old * new,
            AssignOp::Div => {
                if new == 0.0 {
                    return Err(HocError::msg("division by zero"));
                }
                old / new
            }
        })
    }

    /// Stores `value` into a symbol's storage at flat index `i` (`None`: scalar).
    pub(crate) fn store_sym(
        &self,
        name: &dyn Fn() -> String,
        sym: &Sym,
        i: Option<usize>,
        op: AssignOp,
        value: Value,
    ) -> Result<Value, HocError> {
        match (sym, value) {
            (Sym::Num(c), Value::Num(x)) if i.is_none() => {
                let r = self.combine(op, c.get(), x)?;
                c.set(r);
                Ok(Value::Num(r))
            }
            (Sym::Array(a), Value::Num(x)) => {
                let i = i.unwrap_or(0);
                let mut d = a.data.borrow_mut();
                let r = self.combine(op, d[i], x)?;
                d[i] = r;
                Ok(Value::Num(r))
            }
            (Sym::Str(s), Value::Str(src)) if op == AssignOp::Set => {
                let text = src.borrow().clone();
                let dst = &s.data[i.unwrap_or(0)];
                *dst.borrow_mut() = text;
                Ok(Value::Str(dst.clone()))
            }
            (Sym::Objs(o), Value::Obj(src)) if op == AssignOp::Set => {
                let old = std::mem::replace(&mut o.data.borrow_mut()[i.unwrap_or(0)], src.clone());
                self.defer_release(old);
                Ok(Value::Obj(src))
            }
            (Sym::Undef, _) => Err(HocError::msg(format!("{} is undefined", name()))),
            (sym, v) => Err(HocError::msg(format!(
                "cannot assign {} to {} ({})",
                v.type_name(),
                name(),
                sym.kind_name()
            ))),
        }
    }

    pub(crate) fn assign(
        &mut self,
        lv: &Lv,
        op: AssignOp,
        value: Value,
    ) -> Result<Value, HocError> {
        let r = self.assign_inner(lv, op, value)?;
        self.run_releases()?;
        Ok(r)
    }

    fn assign_inner(&mut self, lv: &Lv, op: AssignOp, value: Value) -> Result<Value, HocError> {
        match lv {
            Lv::Var(VarRef::Local(s), _) => {
                let slot = self.frames[self.cur].base + s;
                let r = match (&self.locals[slot], value) {
                    (Value::Num(old), Value::Num(x)) => Value::Num(self.combine(op, *old, x)?),
                    (Value::Obj(_), v @ Value::Obj(_)) if op == AssignOp::Set => v,
                    (old, v) => {
                        return Err(HocError::msg(format!(
                            "cannot assign {} to a local holding {}",
                            v.type_name(),
                            old.type_name()
                        )))
                    }
                };
                let old = std::mem::replace(&mut self.locals[slot], r.clone());
                if let Value::Obj(old) = old {
                    self.defer_release(old);
                }
                Ok(r)
            }
            Lv::RangeAt(..) | Lv::WithSec(..) => self.assign_sec(lv, op, value),
            Lv::Var(v, _) => {
                let sym = self.sym_of(*v)?;
                if let Sym::Range(r) = sym {
                    return self.range_set(r, None, op, value);
                }
                // An undefined global assigned at run time becomes a variable.
                if let (Sym::Undef, Value::Num(_), VarRef::Global(id)) = (&sym, &value, v) {
                    self.symbols[*id].sym = Sym::num(0.0);
                    return self.assign(lv, op, value);
                }
                let vv = *v;
                self.store_sym(&|| self.var_name(vv), &sym, None, op, value)
            }
            Lv::Elem(v, idx, _) => {
                let idx = self.eval_indices(idx)?;
                let sym = self.sym_of(*v)?;
                let dims = match &sym {
                    Sym::Array(a) => &a.dims,
                    Sym::Objs(o) => &o.dims,
                    Sym::Str(s) => &s.dims,
                    other => {
                        return Err(HocError::msg(format!(
                            "{} is {}, not an array",
                            self.var_name(*v),
                            other.kind_name()
                        )))
                    }
                };
                let i = self.flat_index(*v, dims, &idx)?;
                let vv = *v;
                self.store_sym(&|| self.var_name(vv), &sym, Some(i), op, value)
            }
            Lv::Member {
                obj,
                name,
                indices,
                span,
            } => {
                let o = self.eval_obj(obj, *span)?;
                let idx = self.eval_indices(indices)?;
                self.member_set(&o, name, &idx, op, value)
            }
            Lv::PtrElem(idx, sub, _) => {
                let p = self.ptr_elem(idx, sub)?;
                let x = match value {
                    Value::Num(x) => x,
                    other => {
                        return Err(HocError::msg(format!(
                            "cannot assign {} to a double",
                            other.type_name()
                        )))
                    }
                };
                let r = self.combine(op, self.ptr_get(&p)?, x)?;
                self.ptr_set(&p, r)?;
                Ok(Value::Num(r))
            }
            Lv::Dollar(kind, idx, _) => {
                let i = self.dollar_index(idx)?;
                let slot = self
                    .arg_slot(i)
                    .ok_or_else(|| HocError::msg(format!("${i}: no such argument")))?;
                let arg = self.arg_stack[slot].clone();
                match (kind, arg, value) {
                    (DollarKind::Num, Value::Num(old), Value::Num(x)) => {
                        let r = self.combine(op, old, x)?;
                        self.arg_stack[slot] = Value::Num(r);
                        Ok(Value::Num(r))
                    }
                    (DollarKind::Str, Value::Str(dst), Value::Str(src)) if op == AssignOp::Set => {
                        let text = src.borrow().clone();
                        *dst.borrow_mut() = text;
                        Ok(Value::Str(dst))
                    }
                    (DollarKind::Obj, Value::Obj(_), v @ Value::Obj(_)) if op == AssignOp::Set => {
                        self.arg_stack[slot] = v.clone();
                        if let Value::Obj(o) = &v {
                            self.write_through(slot, o.clone());
                        }
                        Ok(v)
                    }
                    (DollarKind::Ptr, Value::Ptr(p), Value::Num(x)) => {
                        let r = self.combine(op, self.ptr_get(&p)?, x)?;
                        self.ptr_set(&p, r)?;
                        Ok(Value::Num(r))
                    }
                    (_, a, v) => Err(HocError::msg(format!(
                        "cannot assign {} to argument {i}, which is {}",
                        v.type_name(),
                        a.type_name()
                    ))),
                }
            }
        }
    }

    pub(crate) fn address_of(&mut self, lv: &Lv) -> Result<Ptr, HocError> {
        match lv {
            Lv::Var(VarRef::Local(s), _) => Ok(Ptr::Stack(self.frames[self.cur].base + s)),
            Lv::RangeAt(..) | Lv::WithSec(..) => self.address_of_sec(lv),
            Lv::Var(v, _) => match self.sym_of(*v)? {
                Sym::Num(c) => Ok(Ptr::Cell(c)),
                Sym::Range(r) => self.range_ptr(r, None),
                Sym::Array(a) => Ok(Ptr::Elem(a.data.clone(), 0)),
                Sym::Undef => Err(HocError::msg(format!(
                    "{} is an undefined variable",
                    self.var_name(*v)
                ))),
                other => Err(HocError::msg(format!(
                    "cannot take the address of {} ({})",
                    self.var_name(*v),
                    other.kind_name()
                ))),
            },
            Lv::Elem(v, idx, _) => {
                let idx = self.eval_indices(idx)?;
                match self.sym_of(*v)? {
                    Sym::Array(a) => {
                        let i = self.flat_index(*v, &a.dims, &idx)?;
                        Ok(Ptr::Elem(a.data.clone(), i))
                    }
                    other => Err(HocError::msg(format!(
                        "cannot take the address of an element of {} ({})",
                        self.var_name(*v),
                        other.kind_name()
                    ))),
                }
            }
            Lv::Member {
                obj,
                name,
                indices,
                span,
            } => {
                let o = self.eval_obj(obj, *span)?;
                let idx = self.eval_indices(indices)?;
                self.member_ptr(&o, name, &idx)
            }
            Lv::Dollar(DollarKind::Ptr, idx, _) => {
                let i = self.dollar_index(idx)?;
                match self.arg(i) {
                    Some(Value::Ptr(p)) => Ok(p.clone()),
                    _ => Err(HocError::msg(format!("argument {i} is not a pointer"))),
                }
            }
            Lv::PtrElem(idx, sub, _) => self.ptr_elem(idx, sub),
            Lv::Dollar(..) => Err(HocError::msg("cannot take the address of a $ argument")),
        }
    }

    /// Reads the double a pointer points at.
    pub fn ptr_get(&self, p: &Ptr) -> Result<f64, HocError> {
        match p {
            Ptr::Cell(c) => Ok(c.get()),
            Ptr::Elem(a, i) => a
                .borrow()
                .get(*i)
                .copied()
                .ok_or_else(|| HocError::msg("the pointer's array element no longer exists")),
            Ptr::Stack(i) => match self.locals.get(*i) {
                Some(Value::Num(x)) => Ok(*x),
                _ => Err(HocError::msg(
                    "the pointer's local variable no longer exists",
                )),
            },
            Ptr::Handle(h) => h.get(),
        }
    }

    /// Writes the double a pointer points at.
    pub fn ptr_set(&mut self, p: &Ptr, x: f64) -> Result<(), HocError> {
        match p {
            Ptr::Cell(c) => {
                c.set(x);
                Ok(())
            }
            Ptr::Elem(a, i) => match a.borrow_mut().get_mut(*i) {
                Some(slot) => {
                    *slot = x;
                    Ok(())
                }
                None => Err(HocError::msg(
                    "the pointer's array element no longer exists",
                )),
            },
            Ptr::Stack(i) => match self.locals.get_mut(*i) {
                Some(slot @ Value::Num(_)) => {
                    *slot = Value::Num(x);
                    Ok(())
                }
                _ => Err(HocError::msg(
                    "the pointer's local variable no longer exists",
                )),
            },
            Ptr::Handle(h) => h.set(x),
        }
    }

    // ----------------------------------------------------------------- calls
}

impl Interpreter {
    /// Notes that a reference to `old` was dropped; if its template has an
    /// `unref` proc, that proc runs once the assignment is done.
    pub(crate) fn defer_release(&self, old: Option<Obj>) {
        if let Some(o) = old {
            if has_unref(&o) {
                self.pending_release.borrow_mut().push(o);
            }
        }
    }

    /// Runs the `unref` procs of references dropped by the last assignment.
    pub(crate) fn run_releases(&mut self) -> Result<(), HocError> {
        loop {
            let next = self.pending_release.borrow_mut().pop();
            match next {
                Some(o) => self.release(o)?,
                None => return Ok(()),
            }
        }
    }

    /// Drops a reference the caller holds to `obj`. If the object's template
    /// defines `unref`, it is called first with the number of references
    /// that remain, as NEURON does on every decrement.
    pub fn release(&mut self, obj: Obj) -> Result<(), HocError> {
        if let ClassKind::Template(t) = &obj.class.kind {
            let unref = t
                .find("unref")
                .and_then(|i| match &t.members.borrow()[i].kind {
                    MemberKind::Code(Some(d)) => Some(d.clone()),
                    _ => None,
                });
            if let Some(def) = unref {
                let remaining = Rc::strong_count(&obj) - 1;
                let this = Some(obj.clone());
                self.call_proc(
                    &def,
                    vec![Value::Num(remaining as f64)],
                    this,
                    None,
                    Span::default(),
                )?;
            }
        }
        drop(obj);
        Ok(())
    }
}

/// Whether `o`'s template has an `unref` proc.
fn has_unref(o: &Obj) -> bool {
    match &o.class.kind {
        ClassKind::Template(t) => t.find("unref").is_some(),
        ClassKind::Native(_) => false,
    }
}
