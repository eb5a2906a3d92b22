//! Runs compiled HOC: statements, expressions, calls, member access.

use super::class::Args;
use super::code::{DIdx, Ex, Lv, ProcDef, St, VarRef};
use super::error::{ErrorKind, HocError};
use super::interp::{Frame, Interpreter, IterCtx};
use super::symbols::Sym;
use super::template::MemberKind;
use super::value::{ClassKind, Obj, ObjectData, Ptr, Value};
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

fn truthy(x: f64) -> bool {
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
    fn arg(&self, i: usize) -> Option<&Value> {
        self.arg_slot(i).map(|k| &self.arg_stack[k])
    }

    fn check_interrupt(&self) -> Result<(), HocError> {
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
    fn echo(&mut self, v: &Value, from_member: bool) -> Result<(), HocError> {
        let text = match v {
            Value::Num(x) => format!("\t{} \n", fmt_g8(*x)),
            Value::Str(s) if from_member => format!("\t{} \n", s.borrow()),
            Value::Str(s) => format!("{}\n", s.borrow()),
            Value::Obj(o) => format!("\t{} \n", obj_name(o)),
            Value::Ptr(_) | Value::Void => return Ok(()),
        };
        self.write_out(&text)
    }

    fn declare(&mut self, kind: DeclKind, var: VarRef, dims: Vec<usize>) -> Result<(), HocError> {
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

    fn define(&mut self, target: VarRef, def: Rc<ProcDef>) -> Result<(), HocError> {
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
            _ => self.eval_num_slow(e),
        }
    }

    /// The less common cases of [`Self::eval_num`], kept out of its body so
    /// the hot cases stay small.
    #[inline(never)]
    fn eval_num_slow(&mut self, e: &Ex) -> Result<f64, HocError> {
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
    fn check_pow_range(&mut self, x: f64, y: f64, r: f64) {
        if x.is_finite() && y.is_finite() && (r.is_infinite() || (r == 0.0 && x != 0.0)) {
            self.range_warning("exponentiation");
        }
    }

    #[inline]
    fn binop(&self, op: BinOp, x: f64, y: f64) -> Result<f64, HocError> {
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
                    .instantiate(&class, vals)
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
    fn ptr_elem(&mut self, idx: &DIdx, sub: &Ex) -> Result<Ptr, HocError> {
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

    fn eval_obj(&mut self, e: &Ex, span: Span) -> Result<Obj, HocError> {
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

    fn eval_indices(&mut self, idx: &[Ex]) -> Result<Vec<f64>, HocError> {
        let mut out = Vec::with_capacity(idx.len());
        for a in idx {
            out.push(self.eval_num(a)?);
        }
        Ok(out)
    }

    fn dollar_index(&mut self, idx: &DIdx) -> Result<usize, HocError> {
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

    fn read_var(&mut self, v: VarRef) -> Result<Value, HocError> {
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
        })
    }

    fn this_for(&self, v: VarRef) -> Option<Obj> {
        match v {
            VarRef::Field(_) => self.frames[self.cur].this.clone(),
            _ => None,
        }
    }

    fn flat_index(&self, v: VarRef, dims: &[usize], idx: &[f64]) -> Result<usize, HocError> {
        if dims.len() != idx.len() && !(dims.is_empty() && idx.len() == 1) {
            return Err(HocError::msg(format!(
                "{} has {} dimension(s) but {} index(es) were given",
                self.var_name(v),
                dims.len().max(1),
                idx.len()
            )));
        }
        let dims: &[usize] = if dims.is_empty() { &[1] } else { dims };
        let mut flat = 0usize;
        let eps = self.float_epsilon.get();
        for (k, (&d, &x)) in dims.iter().zip(idx).enumerate() {
            // NEURON truncates subscript + float_epsilon toward zero.
            let x = (x + eps).trunc();
            if x.is_nan() || x < 0.0 || (x as usize) >= d {
                return Err(HocError::msg(format!(
                    "index {} of {}: {x} is out of range (size {d})",
                    k + 1,
                    self.var_name(v)
                )));
            }
            flat = flat * d + x as usize;
        }
        Ok(flat)
    }

    fn read_elem(&mut self, v: VarRef, idx: &[f64]) -> Result<Value, HocError> {
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
    fn store_sym(
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
                o.data.borrow_mut()[i.unwrap_or(0)] = src.clone();
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
                self.locals[slot] = r.clone();
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

    fn callable(&self, v: VarRef) -> Option<Callable> {
        match v {
            VarRef::Global(id) => match &self.symbols[id].sym {
                Sym::Proc(d) => Some(Callable::Proc(d.clone(), None)),
                Sym::Builtin(f) => {
                    Some(Callable::Builtin(f.clone(), self.symbols[id].name.clone()))
                }
                _ => None,
            },
            VarRef::Field(i) => {
                let this = self.frames[self.cur].this.clone();
                // The template of the running method, or of the object an
                // `execute1(cmd, obj)` runs in.
                let t = self.frames[self.cur]
                    .def
                    .as_ref()
                    .and_then(|d| d.template.clone())
                    .or_else(|| match this.as_ref().map(|o| &o.class.kind) {
                        Some(ClassKind::Template(t)) => Some(t.clone()),
                        _ => None,
                    })?;
                let m = t.members.borrow();
                match &m.get(i)?.kind {
                    MemberKind::Code(Some(d)) => Some(Callable::Proc(d.clone(), this)),
                    _ => None,
                }
            }
            VarRef::Local(_) => None,
        }
    }

    fn call_var(&mut self, v: VarRef, vals: Vec<Value>, span: Span) -> Result<Value, HocError> {
        match self.callable(v) {
            Some(Callable::Proc(def, this)) => {
                if def.kind == ProcKind::Iterator {
                    let msg = format!("iterator {} can only be called by for", def.name);
                    return Err(self.here(HocError::msg(msg), span));
                }
                self.call_proc(&def, vals, this, None, span)
            }
            Some(Callable::Builtin(f, name)) => {
                let mut args = Args::new(name, vals);
                f(self, &mut args).map_err(|e| self.here(e, span))
            }
            None => {
                if let (VarRef::Global(_) | VarRef::Field(_), Ok(Sym::Range(r))) =
                    (v, self.sym_of(v))
                {
                    return self.range_call(r, &vals).map_err(|e| self.here(e, span));
                }
                let name = self.var_name(v);
                let what = match v {
                    VarRef::Local(_) => "a local variable".to_string(),
                    _ => match self.sym_of(v) {
                        Ok(Sym::Undef) => "an undefined function".to_string(),
                        Ok(s) => s.kind_name().to_string(),
                        Err(_) => "not a function".to_string(),
                    },
                };
                Err(self.here(HocError::msg(format!("{name} is {what}")), span))
            }
        }
    }

    /// Calls the global function, proc or built-in `name` with `args`, as a
    /// host program or a native method (`Vector.apply("f")`) needs. A proc
    /// returns [`Value::Void`].
    pub fn call_function(&mut self, name: &str, args: Vec<Value>) -> Result<Value, HocError> {
        let id = self
            .lookup(name)
            .ok_or_else(|| HocError::msg(format!("{name} is an undefined function")))?;
        match self.callable(VarRef::Global(id)) {
            Some(Callable::Proc(def, _)) if def.kind == ProcKind::Iterator => Err(HocError::msg(
                format!("iterator {name} can only be called by for"),
            )),
            Some(Callable::Proc(def, _)) => self.call_proc(&def, args, None, None, Span::default()),
            Some(Callable::Builtin(f, n)) => f(self, &mut Args::new(n, args)),
            None => Err(HocError::msg(format!("{name} is not a function"))),
        }
    }

    /// Calls a compiled proc with arguments, as `this` if given.
    pub(crate) fn call_proc(
        &mut self,
        def: &Rc<ProcDef>,
        args: Vec<Value>,
        this: Option<Obj>,
        iter: Option<IterCtx>,
        span: Span,
    ) -> Result<Value, HocError> {
        let args_base = self.arg_stack.len();
        self.arg_src.extend(args.iter().map(|_| None));
        self.arg_stack.extend(args);
        self.call_proc_at(def, args_base, this, iter, span)
    }

    /// Calls a compiled proc whose arguments are on the argument stack from
    /// `args_base` up; they are popped when it returns.
    pub(crate) fn call_proc_at(
        &mut self,
        def: &Rc<ProcDef>,
        args_base: usize,
        this: Option<Obj>,
        iter: Option<IterCtx>,
        span: Span,
    ) -> Result<Value, HocError> {
        let r = self.call_frame(def, args_base, this, iter);
        self.truncate_args(args_base);
        match r {
            Ok(Flow::Return(v)) | Ok(Flow::IterReturn(v)) => Ok(v),
            Ok(_) => match def.kind {
                ProcKind::Func => {
                    let mut e =
                        HocError::msg(format!("func {} ends without returning a value", def.name));
                    let file = self.frame_file(self.cur);
                    let (line, col) = file.line_col(span.start);
                    e.location = Some(super::error::Location {
                        file: file.clone(),
                        span,
                    });
                    e.stack
                        .push(format!("{}() at {}:{}:{}", def.name, file.name, line, col));
                    Err(e)
                }
                ProcKind::Obfunc => Ok(Value::Obj(None)),
                ProcKind::Proc | ProcKind::Iterator => Ok(Value::Void),
            },
            Err(mut e) => {
                if e.is_error() {
                    if e.location.is_none() && e.stack.is_empty() {
                        // Failed before running (too deep, interrupted): point at the call.
                        e = self.here(e, span);
                    }
                    let file = self.frame_file(self.cur);
                    let (line, col) = file.line_col(span.start);
                    e.stack
                        .push(format!("{}() at {}:{}:{}", def.name, file.name, line, col));
                }
                Err(e)
            }
        }
    }

    /// Pushes a frame, runs the body, pops the frame.
    fn call_frame(
        &mut self,
        def: &Rc<ProcDef>,
        args_base: usize,
        this: Option<Obj>,
        iter: Option<IterCtx>,
    ) -> Result<Flow, HocError> {
        self.check_interrupt()?;
        if self.frames.len() >= MAX_DEPTH {
            return Err(HocError::msg(format!(
                "recursion too deep: {MAX_DEPTH} nested calls (in {})",
                def.name
            )));
        }
        let base = self.locals.len();
        self.locals.extend(def.locals.iter().map(|&obj| {
            if obj {
                Value::Obj(None)
            } else {
                Value::Num(0.0)
            }
        }));
        let caller = self.cur;
        self.frames.push(Frame {
            def: Some(def.clone()),
            args_base,
            nargs: self.arg_stack.len() - args_base,
            base,
            this,
            iter,
            file: None,
        });
        self.cur = self.frames.len() - 1;
        let r = self.exec(&def.body);
        self.frames.pop();
        self.locals.truncate(base);
        self.cur = caller;
        r
    }

    /// Creates an instance of a class with constructor arguments.
    pub fn instantiate(
        &mut self,
        class: &Rc<super::value::ClassInfo>,
        vals: Vec<Value>,
    ) -> Result<Obj, HocError> {
        match &class.kind {
            ClassKind::Native(n) => {
                let ctor = n.ctor.clone();
                let mut args = Args::new(class.name.clone(), vals);
                let payload = ctor(self, &mut args)?;
                Ok(class.instantiate(ObjectData::Native(std::cell::RefCell::new(payload))))
            }
            ClassKind::Template(t) => {
                let fields = t.new_fields();
                let obj = class.instantiate(ObjectData::Template(std::cell::RefCell::new(fields)));
                self.make_object_sections(&obj)?;
                let init = t
                    .find("init")
                    .and_then(|i| match &t.members.borrow()[i].kind {
                        MemberKind::Code(Some(d)) => Some(d.clone()),
                        _ => None,
                    });
                if let Some(init) = init {
                    self.call_proc(&init, vals, Some(obj.clone()), None, Span::default())?;
                }
                Ok(obj)
            }
        }
    }

    // --------------------------------------------------------------- members

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
                                let flat = flat(&dims, idx).map_err(|m| {
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

    fn member_set(
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
                        flat(&sym_dims(&sym), idx)
                            .map_err(|m| HocError::msg(format!("{}.{name}: {m}", o.name())))?,
                    )
                };
                let oname = o.name();
                self.store_sym(&|| format!("{oname}.{name}"), &sym, flat_i, op, value)
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

    fn member_ptr(&mut self, o: &Obj, name: &Rc<str>, idx: &[f64]) -> Result<Ptr, HocError> {
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
                            flat(&a.dims, idx).map_err(HocError::msg)?
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

/// Whether an expression can evaluate to an object (for `==` and `!=`).
fn may_be_object(e: &Ex) -> bool {
    matches!(
        e,
        Ex::Var(..) | Ex::Elem(..) | Ex::Call(..) | Ex::Member { .. } | Ex::New(..) | Ex::This(_)
    ) || matches!(e, Ex::Dollar(DollarKind::Obj, ..))
}

/// What a name can be called as.
pub(crate) enum Callable {
    Proc(Rc<ProcDef>, Option<Obj>),
    Builtin(super::class::NativeFn, Rc<str>),
}

fn sym_dims(sym: &Sym) -> Vec<usize> {
    match sym {
        Sym::Array(a) => a.dims.clone(),
        Sym::Str(s) => s.dims.clone(),
        Sym::Objs(o) => o.dims.clone(),
        _ => vec![],
    }
}

fn flat(dims: &[usize], idx: &[f64]) -> Result<usize, String> {
    let dims: &[usize] = if dims.is_empty() { &[1] } else { dims };
    if dims.len() != idx.len() {
        return Err(format!(
            "{} index(es) given for {} dimension(s)",
            idx.len(),
            dims.len()
        ));
    }
    let mut f = 0;
    for (&d, &x) in dims.iter().zip(idx) {
        if x.is_nan() || x <= -1.0 || (x as usize) >= d {
            return Err(format!("index {x} is out of range (size {d})"));
        }
        f = f * d + x as usize;
    }
    Ok(f)
}

/// The one subscript of a native property, truncated after adding
/// float_epsilon as NEURON does (`v.x[-1]` is element 0).
fn single_index(idx: &[f64], eps: f64) -> Result<Option<usize>, HocError> {
    match idx {
        [] => Ok(None),
        [x] if (*x + eps).trunc() >= 0.0 => Ok(Some((*x + eps).trunc() as usize)),
        [x] => Err(HocError::msg(format!("index {x} is negative"))),
        _ => Err(HocError::msg("only one index is allowed here")),
    }
}

/// `Name[i]`, or `NULLobject` for nil.
pub fn obj_name(o: &Option<Obj>) -> String {
    match o {
        Some(o) => o.name(),
        None => "NULLobject".into(),
    }
}

fn ex_span(e: &Ex) -> Option<Span> {
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
