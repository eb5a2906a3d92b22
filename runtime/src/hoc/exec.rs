//! Runs compiled HOC: statements, expressions, calls, member access.

use super::code::{DIdx, Ex, Lv, ProcDef, St, VarRef};
use super::error::{ErrorKind, HocError};
use super::exec_call::Callable;
use super::interp::{Interpreter, IterCtx};
use super::symbols::Sym;
use super::template::MemberKind;
use super::value::{ClassKind, Obj, Ptr, Value};
use crate::cfmt::fmt_g8;
use nerve_compiler::hoc::ast::{AssignOp, BinOp, DeclKind, ProcKind, Span};
use nerve_compiler::hoc::lexer::DollarKind;
use std::rc::Rc;

/// How a statement finished.
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
    /// `break` inside the body of a `for iterator` loop: ends the iterator.
    IterBreak,
    /// `return` inside the body of a `for iterator` loop: returns from the caller.
    IterReturn(Value),
}

/// Deepest HOC call nesting before "recursion too deep".
pub const MAX_DEPTH: usize = 10_000;

pub(crate) fn truthy(x: f64) -> bool {
    x != 0.0
}

impl Interpreter {
    pub(crate) fn here(&self, e: HocError, span: Span) -> HocError {
        if e.location.is_some() {
            return e;
        }
        let file = self.frame_file(self.cur);
        e.at(&file, span)
    }

    /// The source file frame `k` runs code from.
    pub(crate) fn frame_file(&self, k: usize) -> Rc<nerve_compiler::diagnostics::SourceFile> {
        let f = &self.frames[k];
        match (&f.def, &f.file) {
            (Some(d), _) => d.file.clone(),
            (None, Some(file)) => file.clone(),
            (None, None) => nerve_compiler::diagnostics::SourceFile::new("<top>", ""),
        }
    }

    /// The slot in the argument stack of argument `i` (1-based) of the current call.
    pub(crate) fn arg_slot(&self, i: usize) -> Option<usize> {
        let f = &self.frames[self.cur];
        (i >= 1 && i <= f.nargs).then(|| f.args_base + i - 1)
    }

    /// Argument `i` (1-based) of the current call.
    pub(crate) fn arg(&self, i: usize) -> Option<&Value> {
        self.arg_slot(i).map(|k| &self.arg_stack[k])
    }

    pub(crate) fn check_interrupt(&self) -> Result<(), HocError> {
        if self.interrupt.load(std::sync::atomic::Ordering::Relaxed) {
            self.interrupt
                .store(false, std::sync::atomic::Ordering::Relaxed);
            return Err(HocError::new(ErrorKind::Interrupted, "interrupted"));
        }
        Ok(())
    }

    // ------------------------------------------------------------ statements

    pub(crate) fn exec(&mut self, s: &St) -> Result<Flow, HocError> {
        match s {
            St::Expr(e @ Ex::Assign(..), false) => {
                self.eval_for_effect(e)?;
                Ok(Flow::Normal)
            }
            St::Expr(e, echo) => {
                let v = self.eval(e)?;
                if *echo {
                    self.echo(&v, matches!(e, Ex::Member { .. }))?;
                }
                Ok(Flow::Normal)
            }
            St::Block(v) => {
                for s in v {
                    match self.exec(s)? {
                        Flow::Normal => {}
                        other => return Ok(other),
                    }
                }
                Ok(Flow::Normal)
            }
            St::If(c, a, b) => {
                if truthy(self.eval_num(c)?) {
                    self.exec(a)
                } else if let Some(b) = b {
                    self.exec(b)
                } else {
                    Ok(Flow::Normal)
                }
            }
            St::While(c, body) => {
                while truthy(self.eval_num(c)?) {
                    self.check_interrupt()?;
                    match self.exec(body)? {
                        Flow::Normal | Flow::Continue => {}
                        Flow::Break => break,
                        other => return Ok(other),
                    }
                }
                Ok(Flow::Normal)
            }
            St::CFor(init, cond, step, body) => {
                if let Some(i) = init {
                    self.eval_for_effect(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !truthy(self.eval_num(c)?) {
                            break;
                        }
                    }
                    self.check_interrupt()?;
                    match self.exec(body)? {
                        Flow::Normal | Flow::Continue => {}
                        Flow::Break => break,
                        other => return Ok(other),
                    }
                    if let Some(s) = step {
                        self.eval_for_effect(s)?;
                    }
                }
                Ok(Flow::Normal)
            }
            St::ForRange(lv, from, to, body) => {
                let a = self.eval_num(from)?;
                // The upper bound gets float_epsilon added, as in NEURON.
                let b = self.eval_num(to)? + self.float_epsilon.get();
                self.assign(lv, AssignOp::Set, Value::Num(a))?;
                loop {
                    let i = self.read_lv_num(lv)?;
                    if i > b {
                        break;
                    }
                    self.check_interrupt()?;
                    match self.exec(body)? {
                        Flow::Normal | Flow::Continue => {}
                        Flow::Break => break,
                        other => return Ok(other),
                    }
                    let i = self.read_lv_num(lv)?;
                    self.assign(lv, AssignOp::Set, Value::Num(i + 1.0))?;
                }
                Ok(Flow::Normal)
            }
            St::ForIter(f, args, body, span) => {
                let def = match self.callable(*f) {
                    Some(Callable::Proc(def, this)) if def.kind == ProcKind::Iterator => {
                        (def, this)
                    }
                    _ => {
                        let name = self.var_name(*f);
                        return Err(
                            self.here(HocError::msg(format!("{name} is not an iterator")), *span)
                        );
                    }
                };
                let base = self.push_args(args)?;
                let ctx = IterCtx {
                    body: body.clone(),
                    caller: self.cur,
                };
                match self.call_proc_at(&def.0, base, def.1, Some(ctx), *span)? {
                    Value::Void => Ok(Flow::Normal),
                    v => Ok(Flow::Return(v)),
                }
            }
            St::ForObjIter(obj, name, args, body, span) => {
                let o = self.eval_obj(obj, *span)?;
                let def = match &o.class.kind {
                    ClassKind::Template(t) => {
                        let i = self
                            .public_member(&o, t, name)
                            .map_err(|e| self.here(e, *span))?;
                        match &t.members.borrow()[i].kind {
                            MemberKind::Code(Some(d)) if d.kind == ProcKind::Iterator => {
                                Some(d.clone())
                            }
                            _ => None,
                        }
                    }
                    ClassKind::Native(_) => None,
                };
                let Some(def) = def else {
                    let msg = format!("{}.{name} is not an iterator", o.class.name);
                    return Err(self.here(HocError::msg(msg), *span));
                };
                let base = self.push_args(args)?;
                let ctx = IterCtx {
                    body: body.clone(),
                    caller: self.cur,
                };
                match self.call_proc_at(&def, base, Some(o), Some(ctx), *span)? {
                    Value::Void => Ok(Flow::Normal),
                    v => Ok(Flow::Return(v)),
                }
            }
            St::Break => Ok(Flow::Break),
            St::Continue => Ok(Flow::Continue),
            St::Return(e, span) => {
                let kind = self.frames[self.cur].def.as_ref().map(|d| d.kind);
                let v = match (e, kind) {
                    (_, None) => {
                        return Err(self.here(HocError::msg("return outside a proc or func"), *span))
                    }
                    (None, Some(ProcKind::Func)) => {
                        let name = self.frames[self.cur]
                            .def
                            .as_ref()
                            .map(|d| d.name.clone())
                            .unwrap_or_default();
                        return Err(self.here(
                            HocError::msg(format!("func {name} returns no value")),
                            *span,
                        ));
                    }
                    (None, Some(ProcKind::Obfunc)) => Value::Obj(None),
                    (None, Some(_)) => Value::Void,
                    (Some(e), Some(ProcKind::Proc | ProcKind::Iterator)) => {
                        return Err(self.here(
                            HocError::msg("a proc or iterator cannot return a value"),
                            ex_span(e).unwrap_or(*span),
                        ))
                    }
                    (Some(e), Some(ProcKind::Func)) => Value::Num(self.eval_num(e)?),
                    (Some(e), Some(ProcKind::Obfunc)) => match self.eval(e)? {
                        v @ Value::Obj(_) => v,
                        other => {
                            return Err(self.here(
                                HocError::msg(format!(
                                    "an obfunc must return an object, not {}",
                                    other.type_name()
                                )),
                                *span,
                            ))
                        }
                    },
                };
                Ok(Flow::Return(v))
            }
            St::Stop => Err(HocError::new(ErrorKind::Stop, "stop")),
            St::Setpointer {
                target,
                source,
                not_pointer,
                span,
            } => {
                let t = self.address_of(target).map_err(|e| self.here(e, *span))?;
                let s = self.address_of(source).map_err(|e| self.here(e, *span))?;
                let host = self.section_host().map_err(|e| self.here(e, *span))?;
                if host.set_pointer(&t, &s).map_err(|e| self.here(e, *span))? {
                    Ok(Flow::Normal)
                } else {
                    Err(self.here(HocError::msg(&**not_pointer), *span))
                }
            }
            St::IterStmt(span) => {
                let Some(ctx) = self.frames[self.cur].iter.clone() else {
                    return Err(self.here(
                        HocError::msg("iterator_statement outside an iterator called by for"),
                        *span,
                    ));
                };
                let saved = self.cur;
                self.cur = ctx.caller;
                let r = self.exec(&ctx.body);
                self.cur = saved;
                match r? {
                    Flow::Normal | Flow::Continue => Ok(Flow::Normal),
                    Flow::Break | Flow::IterBreak => Ok(Flow::IterBreak),
                    Flow::Return(v) | Flow::IterReturn(v) => Ok(Flow::IterReturn(v)),
                }
            }
            St::Print(args) => {
                // Each item is written as soon as it is evaluated, as NEURON
                // does (a later item's side effects print after it).
                for a in args {
                    let from_member = matches!(a, Ex::Member { .. });
                    let text = match self.eval(a)? {
                        Value::Num(x) => format!("{} ", fmt_g8(x)),
                        Value::Str(s) if from_member => format!("{} ", s.borrow()),
                        Value::Str(s) => s.borrow().clone(),
                        Value::Obj(o) => format!("{} ", obj_name(&o)),
                        other => {
                            return Err(HocError::msg(format!(
                                "print cannot print {}",
                                other.type_name()
                            )))
                        }
                    };
                    self.write_out(&text)?;
                }
                self.write_out("\n").map(|_| Flow::Normal)
            }
            St::Decl(kind, targets) => {
                for t in targets {
                    let mut dims = Vec::with_capacity(t.dims.len());
                    for d in &t.dims {
                        let x = self.eval_num(d)?;
                        if !(0.0..=1e9).contains(&x) {
                            return Err(
                                self.here(HocError::msg(format!("bad array size {x}")), t.span)
                            );
                        }
                        dims.push(x as usize);
                    }
                    self.declare(*kind, t.var, dims)
                        .map_err(|e| self.here(e, t.span))?;
                }
                Ok(Flow::Normal)
            }
            St::Define(target, def) => {
                self.define(*target, def.clone())?;
                Ok(Flow::Normal)
            }
            St::Sec(s) => self.exec_sec(s),
            St::Empty => Ok(Flow::Normal),
        }
    }

    /// Echoes a top-level expression's value. A string from an object's
    /// member is printed like a number ("\t%s "), a plain string bare.
    pub(crate) fn echo(&mut self, v: &Value, from_member: bool) -> Result<(), HocError> {
        let text = match v {
            Value::Num(x) => format!("\t{} \n", fmt_g8(*x)),
            Value::Str(s) if from_member => format!("\t{} \n", s.borrow()),
            Value::Str(s) => format!("{}\n", s.borrow()),
            Value::Obj(o) => format!("\t{} \n", obj_name(o)),
            Value::Ptr(_) | Value::Void => return Ok(()),
        };
        self.write_out(&text)
    }

    pub(crate) fn declare(
        &mut self,
        kind: DeclKind,
        var: VarRef,
        dims: Vec<usize>,
    ) -> Result<(), HocError> {
        let fresh = |old: &Sym| -> Result<Sym, HocError> {
            let ok = matches!(
                (kind, old),
                (_, Sym::Undef)
                    | (DeclKind::Double, Sym::Num(_) | Sym::Array(_))
                    | (DeclKind::Strdef, Sym::Str(_))
                    | (DeclKind::Objref, Sym::Objs(_))
            );
            if !ok {
                return Err(HocError::msg(format!(
                    "already declared as {}",
                    old.kind_name()
                )));
            }
            Ok(match kind {
                DeclKind::Double if dims.is_empty() => match old {
                    Sym::Num(_) => old.clone(),
                    _ => Sym::num(0.0),
                },
                DeclKind::Double => Sym::array(dims.clone()),
                DeclKind::Strdef => match old {
                    Sym::Str(s) if s.dims == dims => old.clone(),
                    _ => Sym::strings(dims.clone()),
                },
                DeclKind::Objref => Sym::objrefs(if dims.is_empty() {
                    vec![]
                } else {
                    dims.clone()
                }),
                DeclKind::Create => Sym::Undef,
            })
        };
        match var {
            VarRef::Global(id) => {
                if self.symbols[id].builtin {
                    return Err(HocError::msg(format!(
                        "{} is a built-in name",
                        self.symbols[id].name
                    )));
                }
                let new = fresh(&self.symbols[id].sym).map_err(|e| {
                    HocError::msg(format!("{} {}", self.symbols[id].name, e.message))
                })?;
                self.symbols[id].sym = new;
            }
            VarRef::Field(i) => {
                if let Some(obj) = self.frames[self.cur].this.clone() {
                    if let Some(old) = obj.field(i) {
                        let new = fresh(&old)?;
                        obj.set_field(i, new);
                    }
                } else if let Some(t) = self.defining.clone() {
                    let mut m = t.members.borrow_mut();
                    let old = match &m[i].kind {
                        MemberKind::Data(s) => s.clone(),
                        MemberKind::Code(_) => {
                            return Err(HocError::msg(format!("{} is a procedure", m[i].name)))
                        }
                    };
                    let new = fresh(&old)
                        .map_err(|e| HocError::msg(format!("{} {}", m[i].name, e.message)))?;
                    m[i].kind = MemberKind::Data(new);
                }
            }
            VarRef::Local(_) => return Err(HocError::msg("a local cannot be redeclared")),
        }
        Ok(())
    }

    pub(crate) fn define(&mut self, target: VarRef, def: Rc<ProcDef>) -> Result<(), HocError> {
        match target {
            VarRef::Global(id) => {
                match &self.symbols[id].sym {
                    Sym::Undef | Sym::Proc(_) => {}
                    other => {
                        let msg = format!(
                            "{} already declared as {}",
                            self.symbols[id].name,
                            other.kind_name()
                        );
                        return Err(HocError::msg(msg).at(&def.file, def.span));
                    }
                }
                self.symbols[id].sym = Sym::Proc(def);
            }
            VarRef::Field(i) => {
                if let Some(t) = &def.template {
                    let mut m = t.members.borrow_mut();
                    if let MemberKind::Data(s) = &m[i].kind {
                        if !matches!(s, Sym::Undef) {
                            let msg =
                                format!("{} already declared as {}", m[i].name, s.kind_name());
                            return Err(HocError::msg(msg).at(&def.file, def.span));
                        }
                    }
                    m[i].kind = MemberKind::Code(Some(def.clone()));
                }
            }
            VarRef::Local(_) => return Err(HocError::msg("cannot define a proc over a local")),
        }
        Ok(())
    }

    // ----------------------------------------------------------- expressions

    /// Evaluates an expression whose value is not needed (a statement, a
    /// `for` loop's init and step). Numeric assignments to a local or a
    /// global scalar take a path that makes no `Value`.
    pub(crate) fn eval_for_effect(&mut self, e: &Ex) -> Result<(), HocError> {
        if let Ex::Assign(op, lv, value, span) = e {
            match **lv {
                Lv::Var(VarRef::Local(s), _) => {
                    let slot = self.frames[self.cur].base + s;
                    if let Value::Num(_) = self.locals[slot] {
                        let x = self.eval_num(value)?;
                        if let Value::Num(old) = self.locals[slot] {
                            let r = self.combine(*op, old, x).map_err(|e| self.here(e, *span))?;
                            self.locals[slot] = Value::Num(r);
                            return Ok(());
                        }
                        return self.assign(lv, *op, Value::Num(x)).map(|_| ());
                    }
                }
                Lv::Var(VarRef::Global(id), _) => {
                    if let Sym::Num(c) = &self.symbols[id].sym {
                        let c = c.clone();
                        let x = self.eval_num(value)?;
                        let r = self
                            .combine(*op, c.get(), x)
                            .map_err(|e| self.here(e, *span))?;
                        c.set(r);
                        return Ok(());
                    }
                }
                _ => {}
            }
            let v = self.eval(value)?;
            return self
                .assign(lv, *op, v)
                .map(|_| ())
                .map_err(|e| self.here(e, *span));
        }
        self.eval(e).map(|_| ())
    }

    /// Evaluates an expression that must be a number.
    pub(crate) fn eval_num(&mut self, e: &Ex) -> Result<f64, HocError> {
        match e {
            Ex::Num(x) => Ok(*x),
            Ex::Var(VarRef::Local(s), _) => {
                if let Value::Num(x) = self.locals[self.frames[self.cur].base + s] {
                    return Ok(x);
                }
                self.eval_num_slow(e)
            }
            Ex::Var(VarRef::Global(id), _) => {
                if let Sym::Num(c) = &self.symbols[*id].sym {
                    return Ok(c.get());
                }
                self.eval_num_slow(e)
            }
            Ex::Bin(op, a, b, span) if !matches!(op, BinOp::Eq | BinOp::Ne | BinOp::Pow) => {
                // HOC evaluates both operands of && and || (no short circuit).
                let x = self.eval_num(a)?;
                let y = self.eval_num(b)?;
                match op {
                    BinOp::Add => Ok(x + y),
                    BinOp::Sub => Ok(x - y),
                    BinOp::Mul => Ok(x * y),
                    BinOp::Div if y != 0.0 => Ok(x / y),
                    _ => self.binop(*op, x, y).map_err(|e| self.here(e, *span)),
                }
            }
            Ex::Dollar(DollarKind::Num, DIdx::Lit(i), _) => match self.arg(*i) {
                Some(Value::Num(x)) => Ok(*x),
                _ => self.eval_num_slow(e),
            },
            Ex::Call(v, args, span) => {
                // A func call in arithmetic: straight to the proc, no Value detour.
                if let Some(Callable::Proc(def, this)) = self.callable(*v) {
                    if def.kind == ProcKind::Func {
                        let base = self.push_args(args)?;
                        return match self.call_proc_at(&def, base, this, None, *span)? {
                            Value::Num(x) => Ok(x),
                            other => Err(self.here(
                                HocError::msg(format!(
                                    "{} returned {}",
                                    def.name,
                                    other.type_name()
                                )),
                                *span,
                            )),
                        };
                    }
                }
                self.eval_num_slow(e)
            }
            _ => self.eval_num_slow(e),
        }
    }

    /// The less common cases of [`Self::eval_num`], kept out of its body so
    /// the hot cases stay small.
    #[inline(never)]
    pub(crate) fn eval_num_slow(&mut self, e: &Ex) -> Result<f64, HocError> {
        match e {
            Ex::Num(x) => Ok(*x),
            Ex::Var(VarRef::Local(s), span) => match &self.locals[self.frames[self.cur].base + s] {
                Value::Num(x) => Ok(*x),
                other => {
                    let msg = format!("a local holding {} is used as a number", other.type_name());
                    Err(self.here(HocError::msg(msg), *span))
                }
            },
            Ex::Var(VarRef::Global(id), _) if matches!(self.symbols[*id].sym, Sym::Num(_)) => {
                match &self.symbols[*id].sym {
                    Sym::Num(c) => Ok(c.get()),
                    _ => unreachable!("checked by the guard"),
                }
            }
            Ex::Bin(op @ (BinOp::Eq | BinOp::Ne), a, b, span)
                if may_be_object(a) || may_be_object(b) =>
            {
                // Objects compare by identity (nil equals nil).
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                let same = match (x, y) {
                    (Value::Num(x), Value::Num(y)) => {
                        return self.binop(*op, x, y).map_err(|e| self.here(e, *span));
                    }
                    (Value::Obj(p), Value::Obj(q)) => match (p, q) {
                        (None, None) => true,
                        (Some(p), Some(q)) => Rc::ptr_eq(&p, &q),
                        _ => false,
                    },
                    (Value::Str(p), Value::Str(q)) => *p.borrow() == *q.borrow(),
                    (x, y) => {
                        let msg =
                            format!("cannot compare {} with {}", x.type_name(), y.type_name());
                        return Err(self.here(HocError::msg(msg), *span));
                    }
                };
                Ok(if same == (*op == BinOp::Eq) { 1.0 } else { 0.0 })
            }
            Ex::Bin(op, a, b, span) => {
                // HOC evaluates both operands of && and || (no short circuit).
                let x = self.eval_num(a)?;
                let y = self.eval_num(b)?;
                let r = self.binop(*op, x, y).map_err(|e| self.here(e, *span))?;
                if *op == BinOp::Pow {
                    self.check_pow_range(x, y, r);
                }
                Ok(r)
            }
            Ex::Dollar(DollarKind::Num, DIdx::Lit(i), _)
                if matches!(self.arg(*i), Some(Value::Num(_))) =>
            {
                match self.arg(*i) {
                    Some(Value::Num(x)) => Ok(*x),
                    _ => unreachable!("checked by the guard"),
                }
            }
            Ex::Neg(a) => Ok(-self.eval_num(a)?),
            Ex::Not(a) => Ok(if self.eval_num(a)? == 0.0 { 1.0 } else { 0.0 }),
            _ => match self.eval(e)? {
                Value::Num(x) => Ok(x),
                other => {
                    let msg = format!("{} is used where a number is needed", other.type_name());
                    Err(self.here(HocError::msg(msg), ex_span(e).unwrap_or_default()))
                }
            },
        }
    }

    /// Overflow or underflow of ^ is a warning, as in NEURON.
    #[cold]
    pub(crate) fn check_pow_range(&mut self, x: f64, y: f64, r: f64) {
        if x.is_finite() && y.is_finite() && (r.is_infinite() || (r == 0.0 && x != 0.0)) {
            self.range_warning("exponentiation");
        }
    }

    #[inline]
    pub(crate) fn binop(&self, op: BinOp, x: f64, y: f64) -> Result<f64, HocError> {
        let eps = self.float_epsilon.get();
        let b = |c: bool| if c { 1.0 } else { 0.0 };
        Ok(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => {
                if y == 0.0 {
                    return Err(HocError::msg("division by zero"));
                }
                x / y
            }
            BinOp::Mod => {
                if y <= 0.0 {
                    return Err(HocError::msg(format!(
                        "{x} % {y}: the divisor must be positive"
                    )));
                }
                x - y * (x / y).floor()
            }
            BinOp::Pow => {
                let r = x.powf(y);
                if r.is_nan() && !x.is_nan() && !y.is_nan() {
                    return Err(HocError::msg(format!("{x}^{y}: argument out of domain")));
                }
                r
            }
            BinOp::Eq => b(x <= y + eps && x >= y - eps),
            BinOp::Ne => b(x < y - eps || x > y + eps),
            BinOp::Lt => b(x < y - eps),
            BinOp::Le => b(x <= y + eps),
            BinOp::Gt => b(x > y + eps),
            BinOp::Ge => b(x >= y - eps),
            BinOp::And => b(truthy(x) && truthy(y)),
            BinOp::Or => b(truthy(x) || truthy(y)),
        })
    }

    /// Evaluates an expression to a value.
    pub(crate) fn eval(&mut self, e: &Ex) -> Result<Value, HocError> {
        match e {
            Ex::Num(x) => Ok(Value::Num(*x)),
            Ex::Str(s) => Ok(Value::str(&**s)),
            Ex::Var(v, span) => self.read_var(*v).map_err(|e| self.here(e, *span)),
            Ex::Elem(v, idx, span) => {
                let idx = self.eval_indices(idx)?;
                self.read_elem(*v, &idx).map_err(|e| self.here(e, *span))
            }
            Ex::Call(v, args, span) => {
                if let Some(Callable::Proc(def, this)) = self.callable(*v) {
                    if def.kind != ProcKind::Iterator {
                        let base = self.push_args(args)?;
                        return self.call_proc_at(&def, base, this, None, *span);
                    }
                }
                let vals = self.eval_args(args)?;
                self.call_var(*v, vals, *span)
            }
            Ex::Member {
                obj,
                name,
                indices,
                args,
                span,
            } => {
                let o = self.eval_obj(obj, *span)?;
                let idx = self.eval_indices(indices)?;
                let args = match args {
                    Some(a) => Some(self.eval_args(a)?),
                    None => None,
                };
                self.member_get(&o, name, &idx, args, *span)
            }
            Ex::Dollar(kind, idx, span) => {
                let i = self.dollar_index(idx).map_err(|e| self.here(e, *span))?;
                let v = self.arg(i).cloned();
                let v = v.ok_or_else(|| {
                    self.here(
                        HocError::msg(format!(
                            "${i}: the call has only {} argument(s)",
                            self.frames[self.cur].nargs
                        )),
                        *span,
                    )
                })?;
                match (kind, v) {
                    (DollarKind::Num, v @ Value::Num(_)) => Ok(v),
                    (DollarKind::Str, v @ Value::Str(_)) => Ok(v),
                    (DollarKind::Obj, v @ Value::Obj(_)) => Ok(v),
                    (DollarKind::Ptr, Value::Ptr(p)) => Ok(Value::Num(
                        self.ptr_get(&p).map_err(|e| self.here(e, *span))?,
                    )),
                    (k, v) => {
                        let want = match k {
                            DollarKind::Num => "a number",
                            DollarKind::Str => "a string",
                            DollarKind::Obj => "an object",
                            DollarKind::Ptr => "a pointer",
                        };
                        Err(self.here(
                            HocError::msg(format!(
                                "argument {i} is {}, but {want} is used",
                                v.type_name()
                            )),
                            *span,
                        ))
                    }
                }
            }
            Ex::PtrElem(idx, sub, span) => {
                let p = self.ptr_elem(idx, sub).map_err(|e| self.here(e, *span))?;
                Ok(Value::Num(
                    self.ptr_get(&p).map_err(|e| self.here(e, *span))?,
                ))
            }
            Ex::AddrOf(lv, span) => Ok(Value::Ptr(
                self.address_of(lv).map_err(|e| self.here(e, *span))?,
            )),
            Ex::New(id, args, span) => {
                let vals = self.eval_args(args)?;
                let class = match &self.symbols[*id].sym {
                    Sym::Class(c) => c.clone(),
                    _ => {
                        let msg = format!("{} is not a template", self.symbols[*id].name);
                        return Err(self.here(HocError::msg(msg), *span));
                    }
                };
                let o = self
                    .instantiate_at(&class, vals, *span)
                    .map_err(|e| self.here(e, *span))?;
                Ok(Value::Obj(Some(o)))
            }
            Ex::This(span) => match &self.frames[self.cur].this {
                Some(o) => Ok(Value::Obj(Some(o.clone()))),
                None => Err(self.here(
                    HocError::msg("this is only defined in a template's procs"),
                    *span,
                )),
            },
            Ex::Neg(_) | Ex::Not(_) | Ex::Bin(..) => Ok(Value::Num(self.eval_num(e)?)),
            Ex::Assign(op, lv, value, span) => {
                let v = self.eval(value)?;
                self.assign(lv, *op, v).map_err(|e| self.here(e, *span))
            }
            Ex::WithSec(sec, inner) => self.eval_with_sec(sec, inner),
            Ex::Unsupported(msg, span) => Err(self.here(HocError::msg(&**msg), *span)),
        }
    }

    /// The pointer `$&n[sub]`: `sub` doubles after where argument n points.
    pub(crate) fn ptr_elem(&mut self, idx: &DIdx, sub: &Ex) -> Result<Ptr, HocError> {
        let i = self.dollar_index(idx)?;
        let k = self.eval_num(sub)?;
        let base = match self.arg(i) {
            Some(Value::Ptr(p)) => p.clone(),
            _ => return Err(HocError::msg(format!("argument {i} is not a pointer"))),
        };
        let k = (k + self.float_epsilon.get()).trunc();
        match base {
            Ptr::Elem(a, j) if j as f64 + k >= 0.0 => Ok(Ptr::Elem(a, (j as f64 + k) as usize)),
            p if k == 0.0 => Ok(p),
            _ => Err(HocError::msg(format!(
                "${i}[{k}]: the pointer does not point into an array"
            ))),
        }
    }

    pub(crate) fn eval_obj(&mut self, e: &Ex, span: Span) -> Result<Obj, HocError> {
        match self.eval(e)? {
            Value::Obj(Some(o)) => Ok(o),
            Value::Obj(None) => {
                Err(self.here(HocError::msg("the object reference is NULLobject"), span))
            }
            other => Err(self.here(
                HocError::msg(format!("{} has no members", other.type_name())),
                span,
            )),
        }
    }

    pub(crate) fn eval_args(&mut self, args: &[Ex]) -> Result<Vec<Value>, HocError> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.eval(a)?);
        }
        Ok(out)
    }

    pub(crate) fn eval_indices(&mut self, idx: &[Ex]) -> Result<Vec<f64>, HocError> {
        let mut out = Vec::with_capacity(idx.len());
        for a in idx {
            out.push(self.eval_num(a)?);
        }
        Ok(out)
    }

    pub(crate) fn dollar_index(&mut self, idx: &DIdx) -> Result<usize, HocError> {
        let i = match idx {
            DIdx::Lit(n) => *n,
            DIdx::Var(v) => match self.read_var(*v)? {
                Value::Num(x) if x >= 1.0 => x as usize,
                _ => return Err(HocError::msg("a $ index must be a number >= 1")),
            },
        };
        Ok(i)
    }

    // ------------------------------------------------------------- variables
}

/// Whether an expression can evaluate to an object (for `==` and `!=`).
pub(crate) fn may_be_object(e: &Ex) -> bool {
    matches!(
        e,
        Ex::Var(..) | Ex::Elem(..) | Ex::Call(..) | Ex::Member { .. } | Ex::New(..) | Ex::This(_)
    ) || matches!(e, Ex::Dollar(DollarKind::Obj, ..))
}

/// `Name[i]`, or `NULLobject` for nil.
pub fn obj_name(o: &Option<Obj>) -> String {
    match o {
        Some(o) => o.name(),
        None => "NULLobject".into(),
    }
}

pub(crate) fn ex_span(e: &Ex) -> Option<Span> {
    match e {
        Ex::Var(_, s)
        | Ex::Elem(_, _, s)
        | Ex::Call(_, _, s)
        | Ex::Dollar(_, _, s)
        | Ex::PtrElem(_, _, s) => Some(*s),
        Ex::Member { span, .. } | Ex::AddrOf(_, span) | Ex::New(_, _, span) | Ex::This(span) => {
            Some(*span)
        }
        Ex::Bin(_, _, _, s) | Ex::Assign(_, _, _, s) | Ex::Unsupported(_, s) => Some(*s),
        Ex::Neg(e) | Ex::Not(e) | Ex::WithSec(_, e) => ex_span(e),
        Ex::Num(_) | Ex::Str(_) => None,
    }
}
