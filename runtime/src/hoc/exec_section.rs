//! Runs the section statements and expressions: the section stack, `create`,
//! section references, host variables (`L`, `v(x)`, `t`), and the sections
//! of template objects. Everything about the model goes through the
//! installed [`SectionHost`].

use super::code::{DeclTarget, Ex, Lv, SecEx, SecSt, St, VarRef};
use super::error::HocError;
use super::exec::Flow;
use super::interp::Interpreter;
use super::section::{RangeKind, RangeSym, SecArray, SecHandle, SectionHost};
use super::symbols::Sym;
use super::template::MemberKind;
use super::value::{ClassKind, DoubleHandle, Obj, ObjectData, Ptr, Value};
use nerve_compiler::hoc::ast::{AssignOp, Span};
use std::cell::RefCell;
use std::rc::Rc;

impl Interpreter {
    // ------------------------------------------------------------ public API

    /// Installs the section host (the stdlib binds the cell model here).
    pub fn set_section_host(&mut self, host: Rc<dyn SectionHost>) {
        self.host = Some(host);
    }

    /// The installed section host.
    pub fn section_host(&self) -> Result<Rc<dyn SectionHost>, HocError> {
        self.host
            .clone()
            .ok_or_else(|| HocError::msg("sections are not available in this interpreter"))
    }

    /// Binds a global name to a host variable (a section property, a range
    /// variable or a simulation global); it is a built-in name.
    pub fn register_range(&mut self, name: &str, var: RangeSym) {
        let id = self.global_id(name);
        self.symbols[id].sym = Sym::Range(var);
        self.symbols[id].builtin = true;
    }

    /// The currently accessed section: the top of the section stack, else
    /// the `access`ed section, else the first section created.
    pub fn current_section(&self) -> Result<SecHandle, HocError> {
        let host = self.section_host()?;
        if let Some(&s) = self.sec_stack.last() {
            return if host.exists(s) {
                Ok(s)
            } else {
                Err(HocError::msg("Accessing a deleted section"))
            };
        }
        if let Some(s) = self.access.filter(|s| host.exists(*s)) {
            return Ok(s);
        }
        host.all()
            .first()
            .copied()
            .ok_or_else(|| HocError::msg("Section access unspecified"))
    }

    /// Pushes a section on the section stack (`push_section`).
    pub fn push_section(&mut self, s: SecHandle) {
        self.sec_stack.push(s);
    }

    /// Pops the section stack (`pop_section`); `None` if it was empty.
    pub fn pop_section(&mut self) -> Option<SecHandle> {
        self.sec_stack.pop()
    }

    /// `access sec`: makes `s` the default section.
    pub fn set_access(&mut self, s: SecHandle) {
        if let Some(top) = self.sec_stack.last_mut() {
            *top = s;
        }
        self.access = Some(s);
    }

    /// Runs `f` with `s` as the currently accessed section.
    pub fn with_section<R>(&mut self, s: SecHandle, f: impl FnOnce(&mut Self) -> R) -> R {
        self.sec_stack.push(s);
        let depth = self.sec_stack.len();
        let r = f(self);
        self.sec_stack.truncate(depth - 1);
        r
    }

    // ------------------------------------------------------------ statements

    pub(crate) fn exec_sec(&mut self, s: &SecSt) -> Result<Flow, HocError> {
        match s {
            SecSt::With(sec, body) => {
                let h = self.resolve_sec(sec)?;
                self.with_section(h, |i| i.exec(body))
            }
            SecSt::Create(targets) => {
                for t in targets {
                    self.create(t)?;
                }
                Ok(Flow::Normal)
            }
            SecSt::Connect {
                child,
                child_end,
                parent,
                parent_x,
                span,
            } => {
                let c = self.resolve_sec(child)?;
                let end = match child_end {
                    Some(e) => self.eval_num(e)?,
                    None => 0.0,
                };
                let p = match parent {
                    Some(p) => self.resolve_sec(p)?,
                    None => self.current_section().map_err(|e| self.here(e, *span))?,
                };
                let x = self.eval_num(parent_x)?;
                let host = self.section_host()?;
                host.connect(c, end, p, x)
                    .map_err(|e| self.here(e, *span))?;
                Ok(Flow::Normal)
            }
            SecSt::Access(sec) => {
                let h = self.resolve_sec(sec)?;
                self.set_access(h);
                Ok(Flow::Normal)
            }
            SecSt::Insert(name, insert, span) => {
                let r = self.current_section().and_then(|s| {
                    let host = self.section_host()?;
                    host.insert(s, name, *insert)
                });
                r.map_err(|e| self.here(e, *span))?;
                Ok(Flow::Normal)
            }
            SecSt::Taper {
                sec,
                var,
                x,
                y,
                span,
            } => {
                let x0 = self.eval_num(&x.0)?;
                let x1 = self.eval_num(&x.1)?;
                let y0 = self.eval_num(&y.0)?;
                let y1 = self.eval_num(&y.1)?;
                let s = match sec {
                    Some(sec) => self.resolve_sec(sec)?,
                    None => self.current_section().map_err(|e| self.here(e, *span))?,
                };
                self.taper(s, *var, (x0, x1), (y0, y1))
                    .map_err(|e| self.here(e, *span))?;
                Ok(Flow::Normal)
            }
            SecSt::ForSeg(lv, ends, body, span) => {
                let s = self.current_section().map_err(|e| self.here(e, *span))?;
                let ends = match ends {
                    Some(e) => self.eval_num(e)? != 0.0,
                    None => true,
                };
                let xs = self
                    .section_host()?
                    .segments(s, ends)
                    .map_err(|e| self.here(e, *span))?;
                for x in xs {
                    self.assign(lv, AssignOp::Set, Value::Num(x))
                        .map_err(|e| self.here(e, *span))?;
                    match self.exec(body)? {
                        Flow::Normal | Flow::Continue => {}
                        Flow::Break => break,
                        other => return Ok(other),
                    }
                }
                Ok(Flow::Normal)
            }
            SecSt::Forall(body) => {
                let all = self.section_host()?.all();
                let all = self.own_sections(all);
                self.over_sections(&all, body)
            }
            SecSt::Forsec(target, body, span) => {
                let list = self.matching_sections(target, *span)?;
                self.over_sections(&list, body)
            }
            SecSt::Ifsec(target, body, span) => {
                let cas = self.current_section().map_err(|e| self.here(e, *span))?;
                let hit = match self.eval(target)? {
                    Value::Str(p) => {
                        let p = p.borrow().clone();
                        self.section_host()?
                            .name_matches(&p, cas)
                            .map_err(|e| self.here(e, *span))?
                    }
                    v => self.section_list_of(v, *span)?.contains(&cas),
                };
                if hit {
                    self.exec(body)
                } else {
                    Ok(Flow::Normal)
                }
            }
        }
    }

    /// Inside an object's method, `forall` and `forsec "regex"` see only the
    /// object's own sections (as in NEURON).
    fn own_sections(&self, list: Vec<SecHandle>) -> Vec<SecHandle> {
        let Some(obj) = self.frames[self.cur].this.as_ref() else {
            return list;
        };
        let ObjectData::Template(fields) = &obj.data else {
            return list;
        };
        let mut mine = Vec::new();
        for f in fields.borrow().iter() {
            if let Sym::Sections(a) = f {
                mine.extend(a.secs.borrow().iter().flatten().copied());
            }
        }
        list.into_iter().filter(|s| mine.contains(s)).collect()
    }

    /// Runs `body` with each live section of `list` accessed in turn.
    fn over_sections(&mut self, list: &[SecHandle], body: &St) -> Result<Flow, HocError> {
        let host = self.section_host()?;
        for &s in list {
            if !host.exists(s) {
                continue;
            }
            match self.with_section(s, |i| i.exec(body))? {
                Flow::Normal | Flow::Continue => {}
                Flow::Break => break,
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// The sections `forsec target` visits.
    fn matching_sections(&mut self, target: &Ex, span: Span) -> Result<Vec<SecHandle>, HocError> {
        match self.eval(target)? {
            Value::Str(p) => {
                let p = p.borrow().clone();
                let host = self.section_host()?;
                let mut out = Vec::new();
                for s in host.all() {
                    if host.name_matches(&p, s).map_err(|e| self.here(e, span))? {
                        out.push(s);
                    }
                }
                Ok(self.own_sections(out))
            }
            v => self.section_list_of(v, span),
        }
    }

    fn section_list_of(&self, v: Value, span: Span) -> Result<Vec<SecHandle>, HocError> {
        let host = self.section_host()?;
        match v {
            Value::Obj(Some(o)) => host.list_sections(&o).ok_or_else(|| {
                self.here(
                    HocError::msg(format!("{} is not a SectionList", o.name())),
                    span,
                )
            }),
            other => Err(self.here(
                HocError::msg(format!(
                    "a regular expression or a SectionList is needed, not {}",
                    other.type_name()
                )),
                span,
            )),
        }
    }

    /// `name(x0:x1) = y0:y1`: each segment whose center lies in [x0, x1]
    /// gets the linearly interpolated value (NEURON's range assignment).
    fn taper(
        &mut self,
        s: SecHandle,
        var: VarRef,
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
    ) -> Result<(), HocError> {
        let r = self.range_sym(var)?;
        let host = self.section_host()?;
        if !(0.0..=1.0).contains(&x0) || !(0.0..=1.0).contains(&x1) {
            return Err(HocError::msg("range variable domain is 0<=x<=1"));
        }
        let eps = 1e-10;
        for x in host.segments(s, false)? {
            if x < x0 - eps || x > x1 + eps {
                continue;
            }
            let y = if x1 == x0 {
                y0
            } else {
                y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            };
            host.set(r, Some(s), Some(x), y)?;
        }
        Ok(())
    }

    // -------------------------------------------------------------- create

    fn create(&mut self, t: &DeclTarget) -> Result<(), HocError> {
        let mut dims = Vec::with_capacity(t.dims.len());
        for d in &t.dims {
            let x = self.eval_num(d)?;
            if !(0.0..=1e7).contains(&x) {
                return Err(self.here(HocError::msg(format!("bad array size {x}")), t.span));
            }
            dims.push(x as usize);
        }
        let check = |old: &Sym, name: &str| -> Result<(), HocError> {
            match old {
                Sym::Undef | Sym::Sections(_) => Ok(()),
                other => Err(HocError::msg(format!(
                    "{name} already declared as {}",
                    other.kind_name()
                ))),
            }
        };
        match t.var {
            VarRef::Global(id) => {
                let name = self.symbols[id].name.clone();
                if self.symbols[id].builtin {
                    return Err(
                        self.here(HocError::msg(format!("{name} is a built-in name")), t.span)
                    );
                }
                check(&self.symbols[id].sym, &name).map_err(|e| self.here(e, t.span))?;
                let arr = self
                    .new_sections(&name, dims)
                    .map_err(|e| self.here(e, t.span))?;
                self.symbols[id].sym = Sym::Sections(Rc::new(arr));
            }
            VarRef::Field(i) => {
                if let Some(obj) = self.frames[self.cur].this.clone() {
                    let old = obj.field(i).unwrap_or_default();
                    let member = self.member_name(&obj, i);
                    check(&old, &member).map_err(|e| self.here(e, t.span))?;
                    let name = format!("{}.{member}", obj.name());
                    let arr = self
                        .new_sections(&name, dims)
                        .map_err(|e| self.here(e, t.span))?;
                    obj.set_field(i, Sym::Sections(Rc::new(arr)));
                } else if let Some(tpl) = self.defining.clone() {
                    let mut m = tpl.members.borrow_mut();
                    if let MemberKind::Data(old) = &m[i].kind {
                        check(old, &m[i].name).map_err(|e| self.here(e, t.span))?;
                    }
                    m[i].kind = MemberKind::Data(Sym::Sections(Rc::new(SecArray::prototype(dims))));
                }
            }
            VarRef::Local(_) => {
                return Err(self.here(HocError::msg("a local cannot be a section"), t.span))
            }
        }
        Ok(())
    }

    fn member_name(&self, obj: &Obj, i: usize) -> String {
        match &obj.class.kind {
            ClassKind::Template(t) => t
                .members
                .borrow()
                .get(i)
                .map(|m| m.name.to_string())
                .unwrap_or_default(),
            ClassKind::Native(_) => String::new(),
        }
    }

    /// New sections called `base`, `base[0]`, ..., `base[i][j]`.
    fn new_sections(&self, base: &str, dims: Vec<usize>) -> Result<SecArray, HocError> {
        let host = self.section_host()?;
        let n: usize = dims.iter().product();
        let mut secs = Vec::with_capacity(n);
        for k in 0..n {
            let mut name = base.to_string();
            let mut rest = k;
            let mut idx = vec![0; dims.len()];
            for (d, slot) in dims.iter().zip(idx.iter_mut()).rev() {
                *slot = rest % d;
                rest /= d;
            }
            for i in idx {
                name.push_str(&format!("[{i}]"));
            }
            secs.push(Some(host.create(&name)));
        }
        Ok(SecArray {
            dims,
            secs: RefCell::new(secs),
            host: Some(host),
        })
    }

    /// Creates the sections of a new template object (`Cell[0].soma`),
    /// before its `init` runs.
    pub(crate) fn make_object_sections(&mut self, obj: &Obj) -> Result<(), HocError> {
        let ClassKind::Template(t) = &obj.class.kind else {
            return Ok(());
        };
        let ObjectData::Template(fields) = &obj.data else {
            return Ok(());
        };
        let n = fields.borrow().len();
        for i in 0..n {
            let proto = match &fields.borrow()[i] {
                Sym::Sections(a) if a.host.is_none() => a.dims.clone(),
                _ => continue,
            };
            let member = t.members.borrow()[i].name.clone();
            let arr = self.new_sections(&format!("{}.{member}", obj.name()), proto)?;
            fields.borrow_mut()[i] = Sym::Sections(Rc::new(arr));
        }
        Ok(())
    }

    // ---------------------------------------------------- section references

    /// The section a reference names.
    pub(crate) fn resolve_sec(&mut self, r: &SecEx) -> Result<SecHandle, HocError> {
        match self.resolve_target(r)? {
            SecTarget::Section(h) => Ok(h),
            SecTarget::Object(o, name) => Err(self.here(
                HocError::msg(format!("{}.{name} is an object, not a section", o.name())),
                r.span(),
            )),
        }
    }

    /// What `obj.name` names where the parser expected a section: a section,
    /// or (for a member that is an objref, like `a.child` when `child` is
    /// also a SectionRef member name) the object it holds.
    fn resolve_target(&mut self, r: &SecEx) -> Result<SecTarget, HocError> {
        let span = r.span();
        let index = match r {
            SecEx::Var(_, Some(i), _) | SecEx::Member(_, _, Some(i), _) => Some(self.eval_num(i)?),
            _ => None,
        };
        let (sym, name) = match r {
            SecEx::Var(v, _, _) => (
                self.sym_of(*v).map_err(|e| self.here(e, span))?,
                self.var_name(*v),
            ),
            SecEx::Member(o, name, _, _) => {
                let o = match self.eval(o)? {
                    Value::Obj(Some(o)) => o,
                    other => {
                        return Err(self.here(
                            HocError::msg(format!("{} has no sections", other.type_name())),
                            span,
                        ))
                    }
                };
                match &o.class.kind {
                    ClassKind::Native(_) => {
                        let host = self.section_host()?;
                        let idx = index.map(|x| (x + self.float_epsilon.get()).max(0.0) as usize);
                        return match host.object_section(&o, name, idx) {
                            Some(r) => r.map(SecTarget::Section).map_err(|e| self.here(e, span)),
                            None => Err(self.here(
                                HocError::msg(format!("{} has no section {name}", o.class.name)),
                                span,
                            )),
                        };
                    }
                    ClassKind::Template(t) => {
                        let i = self
                            .public_member(&o, t, name)
                            .map_err(|e| self.here(e, span))?;
                        let field = o.field(i).unwrap_or_default();
                        if let Sym::Objs(objs) = &field {
                            let k = (index.unwrap_or(0.0) + self.float_epsilon.get()).trunc();
                            let held = objs
                                .data
                                .borrow()
                                .get(k.max(0.0) as usize)
                                .cloned()
                                .flatten();
                            return match held {
                                Some(held) => Ok(SecTarget::Object(held, name.clone())),
                                None => Err(self.here(
                                    HocError::msg(format!("{}.{name} is NULLobject", o.name())),
                                    span,
                                )),
                            };
                        }
                        (field, format!("{}.{name}", o.name()))
                    }
                }
            }
        };
        let Sym::Sections(a) = sym else {
            return Err(self.here(HocError::msg(format!("{name} is not a section")), span));
        };
        let flat = if a.dims.is_empty() {
            0
        } else {
            let x = (index.unwrap_or(0.0) + self.float_epsilon.get()).trunc();
            if a.dims.len() != 1 || x < 0.0 || x as usize >= a.dims[0] {
                return Err(self.here(
                    HocError::msg(format!("{name}[{x}]: index out of range")),
                    span,
                ));
            }
            x as usize
        };
        let h = a.secs.borrow().get(flat).copied().flatten();
        let host = self.section_host()?;
        match h {
            Some(h) if host.exists(h) => Ok(SecTarget::Section(h)),
            _ => Err(self.here(
                HocError::msg(format!("{name}: Accessing a deleted section")),
                span,
            )),
        }
    }

    // ------------------------------------------------------- host variables

    fn range_sym(&self, v: VarRef) -> Result<RangeSym, HocError> {
        match self.sym_of(v)? {
            Sym::Range(r) => Ok(r),
            other => Err(HocError::msg(format!(
                "{} is {}, not a range variable",
                self.var_name(v),
                other.kind_name()
            ))),
        }
    }

    fn range_section(&self, r: RangeSym) -> Result<Option<SecHandle>, HocError> {
        Ok(match r.kind {
            RangeKind::Global => None,
            _ => Some(self.current_section()?),
        })
    }

    /// Reads a host variable on the accessed section.
    pub(crate) fn range_get(&self, r: RangeSym, x: Option<f64>) -> Result<f64, HocError> {
        let s = self.range_section(r)?;
        self.section_host()?.get(r, s, x)
    }

    /// Writes a host variable on the accessed section (combining with `op`).
    pub(crate) fn range_set(
        &mut self,
        r: RangeSym,
        x: Option<f64>,
        op: AssignOp,
        value: Value,
    ) -> Result<Value, HocError> {
        let Value::Num(y) = value else {
            return Err(HocError::msg(format!(
                "cannot assign {} to a range variable",
                value.type_name()
            )));
        };
        let s = self.range_section(r)?;
        let host = self.section_host()?;
        let y = if op == AssignOp::Set {
            y
        } else {
            let old = host.get(r, s, x)?;
            self.combine(op, old, y)?
        };
        host.set(r, s, x, y)?;
        Ok(Value::Num(y))
    }

    /// A pointer to a host variable on the accessed section.
    pub(crate) fn range_ptr(&self, r: RangeSym, x: Option<f64>) -> Result<Ptr, HocError> {
        let s = self.range_section(r)?;
        let h: Rc<dyn DoubleHandle> = self.section_host()?.pointer(r, s, x)?;
        Ok(Ptr::Handle(h))
    }

    /// `name(x)` where `name` is a host variable (`v(0.5)`, `diam(x)`).
    pub(crate) fn range_call(&self, r: RangeSym, vals: &[Value]) -> Result<Value, HocError> {
        let x = match vals {
            [] => None,
            [Value::Num(x)] => Some(*x),
            _ => {
                return Err(HocError::msg(
                    "a range variable takes one position: name(x)",
                ))
            }
        };
        Ok(Value::Num(self.range_get(r, x)?))
    }

    /// Evaluates `Ex::WithSec`.
    pub(crate) fn eval_with_sec(&mut self, sec: &SecEx, e: &Ex) -> Result<Value, HocError> {
        match self.resolve_target(sec)? {
            SecTarget::Section(h) => self.with_section(h, |i| i.eval(e)),
            // `a.child.val` where `child` holds an object: plain member access.
            SecTarget::Object(o, _) => match e {
                Ex::Var(v, span) => {
                    let name: Rc<str> = self.var_name(*v).into();
                    self.member_get(&o, &name, &[], None, *span)
                }
                Ex::Call(v, args, span) => {
                    let name: Rc<str> = self.var_name(*v).into();
                    let vals = self.eval_args(args)?;
                    self.member_get(&o, &name, &[], Some(vals), *span)
                }
                other => self.eval(other),
            },
        }
    }

    /// The member that a section-variable place names on an object.
    fn object_member_name(&self, inner: &Lv) -> Result<Rc<str>, HocError> {
        match inner {
            Lv::Var(v, _) => Ok(self.var_name(*v).into()),
            _ => Err(HocError::msg("this cannot be a member of an object")),
        }
    }

    /// Assigns through `Lv::RangeAt` and `Lv::WithSec`.
    pub(crate) fn assign_sec(
        &mut self,
        lv: &Lv,
        op: AssignOp,
        value: Value,
    ) -> Result<Value, HocError> {
        match lv {
            Lv::RangeAt(v, x, _) => {
                let x = self.eval_num(x)?;
                let r = self.range_sym(*v)?;
                self.range_set(r, Some(x), op, value)
            }
            Lv::WithSec(sec, inner) => match self.resolve_target(sec)? {
                SecTarget::Section(h) => self.with_section(h, |i| i.assign(inner, op, value)),
                SecTarget::Object(o, _) => {
                    let name = self.object_member_name(inner)?;
                    self.member_set(&o, &name, &[], op, value)
                }
            },
            _ => self.assign(lv, op, value),
        }
    }

    /// Pointers through `Lv::RangeAt` and `Lv::WithSec`.
    pub(crate) fn address_of_sec(&mut self, lv: &Lv) -> Result<Ptr, HocError> {
        match lv {
            Lv::RangeAt(v, x, _) => {
                let x = self.eval_num(x)?;
                let r = self.range_sym(*v)?;
                self.range_ptr(r, Some(x))
            }
            Lv::WithSec(sec, inner) => match self.resolve_target(sec)? {
                SecTarget::Section(h) => self.with_section(h, |i| i.address_of(inner)),
                SecTarget::Object(o, _) => {
                    let name = self.object_member_name(inner)?;
                    self.member_ptr(&o, &name, &[])
                }
            },
            _ => self.address_of(lv),
        }
    }

    /// Reads through `Lv::RangeAt` and `Lv::WithSec` (for `+=`-style loops).
    pub(crate) fn read_lv_sec(&mut self, lv: &Lv) -> Result<f64, HocError> {
        match lv {
            Lv::RangeAt(v, x, _) => {
                let x = self.eval_num(x)?;
                let r = self.range_sym(*v)?;
                self.range_get(r, Some(x))
            }
            Lv::WithSec(sec, inner) => match self.resolve_target(sec)? {
                SecTarget::Section(h) => self.with_section(h, |i| i.read_lv_num(inner)),
                SecTarget::Object(o, _) => {
                    let name = self.object_member_name(inner)?;
                    match self.member_get(&o, &name, &[], None, lv_span(lv))? {
                        Value::Num(x) => Ok(x),
                        other => Err(HocError::msg(format!("{name} holds {}", other.type_name()))),
                    }
                }
            },
            _ => self.read_lv_num(lv),
        }
    }
}

/// What a section reference turned out to name.
enum SecTarget {
    Section(SecHandle),
    /// An object held by a member, and the member's name.
    Object(Obj, Rc<str>),
}

fn lv_span(lv: &Lv) -> Span {
    match lv {
        Lv::Var(_, s) | Lv::Elem(_, _, s) | Lv::Dollar(_, _, s) => *s,
        Lv::Member { span, .. } => *span,
        _ => Span::default(),
    }
}
