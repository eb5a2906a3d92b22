//! Compiles HOC syntax trees to [`code`](super::code): resolves each name to
//! a local slot, a field of the template being compiled, or a global symbol,
//! declaring names the way NEURON's parser does (an assigned name becomes a
//! variable when the statement is parsed, before it runs).

use super::code::{DIdx, DeclTarget, Ex, Lv, ProcDef, St, VarRef};
use super::error::HocError;
use super::interp::Interpreter;
use super::symbols::Sym;
use super::template::{MemberKind, Template};
use nerve_compiler::diagnostics::SourceFile;
use nerve_compiler::hoc::ast::{self, DeclKind, Expr, ExprKind, Span, Stmt, StmtKind};
use nerve_compiler::hoc::lexer::{DollarIndex, DollarKind};
use std::rc::Rc;

/// What the compiler knows about where code is being compiled.
pub struct Scope {
    /// Locals of the proc being compiled: name and whether it is a `localobj`.
    pub locals: Vec<(Rc<str>, bool)>,
    /// The template being defined, if any.
    pub template: Option<Rc<Template>>,
    /// True for statements directly in a template body (not in a proc).
    pub template_body: bool,
    /// True inside a proc body.
    pub in_proc: bool,
    /// The source file.
    pub file: Rc<SourceFile>,
    /// How many braces enclose the statement being compiled.
    pub block_depth: usize,
}

impl Scope {
    /// The scope of top-level statements (or of a template body).
    pub fn top(file: Rc<SourceFile>, template: Option<Rc<Template>>) -> Scope {
        Scope {
            locals: Vec::new(),
            template_body: template.is_some(),
            template,
            in_proc: false,
            file,
            block_depth: 0,
        }
    }
}

impl Interpreter {
    fn err_at(&self, scope: &Scope, span: Span, msg: impl Into<String>) -> HocError {
        HocError::msg(msg).at(&scope.file, span)
    }

    /// Resolves a name for reading or writing.
    pub(crate) fn resolve(&mut self, scope: &Scope, name: &str) -> VarRef {
        if let Some(i) = scope.locals.iter().rposition(|(n, _)| &**n == name) {
            return VarRef::Local(i);
        }
        if let Some(t) = &scope.template {
            if let Some(i) = t.find(name) {
                return VarRef::Field(i);
            }
            if t.is_external(name) {
                return VarRef::Global(self.global_id(name));
            }
            if let Some(id) = self.lookup(name) {
                let s = &self.symbols[id];
                if s.builtin || matches!(s.sym, Sym::Class(_)) {
                    return VarRef::Global(id);
                }
            }
            return VarRef::Field(t.member(name, MemberKind::Data(Sym::Undef)));
        }
        VarRef::Global(self.global_id(name))
    }

    /// Makes an assigned name a variable if it was undefined.
    pub(crate) fn declare_assigned(&mut self, scope: &Scope, v: VarRef) {
        match v {
            VarRef::Global(id) => {
                if matches!(self.symbols[id].sym, Sym::Undef) {
                    self.symbols[id].sym = Sym::num(0.0);
                }
            }
            VarRef::Field(i) => {
                if let Some(t) = &scope.template {
                    let mut m = t.members.borrow_mut();
                    if matches!(m[i].kind, MemberKind::Data(Sym::Undef)) {
                        m[i].kind = MemberKind::Data(Sym::num(0.0));
                    }
                }
            }
            VarRef::Local(_) => {}
        }
    }

    /// Gives an undefined global or template member the kind `proto`.
    fn declare_kind(&mut self, scope: &Scope, v: VarRef, proto: Sym) {
        match v {
            VarRef::Global(id) if matches!(self.symbols[id].sym, Sym::Undef) => {
                self.symbols[id].sym = proto;
            }
            VarRef::Field(i) => {
                if let Some(t) = &scope.template {
                    let mut m = t.members.borrow_mut();
                    if matches!(m[i].kind, MemberKind::Data(Sym::Undef)) {
                        m[i].kind = MemberKind::Data(proto);
                    }
                }
            }
            _ => {}
        }
    }

    /// Compiles one statement.
    pub fn compile_stmt(&mut self, scope: &mut Scope, s: &Stmt, top: bool) -> Result<St, HocError> {
        let span = s.span;
        Ok(match &s.kind {
            StmtKind::Expr(e) => {
                let echo = top && !matches!(e.kind, ExprKind::Assign { .. });
                St::Expr(self.compile_expr(scope, e)?, echo)
            }
            StmtKind::Block(v) => {
                let mut out = Vec::with_capacity(v.len());
                scope.block_depth += 1;
                let r = v.iter().try_for_each(|s| {
                    out.push(self.compile_stmt(scope, s, false)?);
                    Ok::<(), HocError>(())
                });
                scope.block_depth -= 1;
                r?;
                St::Block(out)
            }
            StmtKind::If { cond, then, els } => St::If(
                self.compile_expr(scope, cond)?,
                Box::new(self.compile_stmt(scope, then, false)?),
                match els {
                    Some(e) => Some(Box::new(self.compile_stmt(scope, e, false)?)),
                    None => None,
                },
            ),
            StmtKind::While { cond, body } => St::While(
                self.compile_expr(scope, cond)?,
                Box::new(self.compile_stmt(scope, body, false)?),
            ),
            StmtKind::CFor {
                init,
                cond,
                step,
                body,
            } => St::CFor(
                self.compile_opt(scope, init.as_ref())?,
                self.compile_opt(scope, cond.as_ref())?,
                self.compile_opt(scope, step.as_ref())?,
                Box::new(self.compile_stmt(scope, body, false)?),
            ),
            StmtKind::ForRange {
                var,
                from,
                to,
                body,
            } => {
                let lv = self.compile_lvalue(scope, var)?;
                St::ForRange(
                    lv,
                    self.compile_expr(scope, from)?,
                    self.compile_expr(scope, to)?,
                    Box::new(self.compile_stmt(scope, body, false)?),
                )
            }
            StmtKind::ForIter {
                object: Some(object),
                name,
                args,
                body,
            } => St::ForObjIter(
                self.compile_expr(scope, object)?,
                name.name.as_str().into(),
                self.compile_args(scope, args)?,
                Rc::new(self.compile_stmt(scope, body, false)?),
                name.span,
            ),
            StmtKind::ForIter {
                object: None,
                name,
                args,
                body,
            } => {
                let f = self.resolve(scope, &name.name);
                let args = self.compile_args(scope, args)?;
                St::ForIter(
                    f,
                    args,
                    Rc::new(self.compile_stmt(scope, body, false)?),
                    name.span,
                )
            }
            StmtKind::Break => St::Break,
            StmtKind::Continue => St::Continue,
            StmtKind::Return(e) => St::Return(self.compile_opt(scope, e.as_ref())?, span),
            StmtKind::Stop => St::Stop,
            StmtKind::IteratorStatement => St::IterStmt(span),
            StmtKind::Local(items) => {
                if !scope.in_proc {
                    return Err(self.err_at(
                        scope,
                        span,
                        "local declaration outside a proc or func",
                    ));
                }
                for it in items {
                    if !it.dims.is_empty() {
                        return Err(self.err_at(
                            scope,
                            it.name.span,
                            "local arrays are not supported",
                        ));
                    }
                    scope.locals.push((it.name.name.as_str().into(), false));
                }
                St::Empty
            }
            StmtKind::LocalObj(items) => {
                if !scope.in_proc {
                    return Err(self.err_at(
                        scope,
                        span,
                        "localobj declaration outside a proc or func",
                    ));
                }
                for it in items {
                    scope.locals.push((it.name.as_str().into(), true));
                }
                St::Empty
            }
            StmtKind::Print(args) => St::Print(self.compile_args(scope, args)?),
            StmtKind::Decl(DeclKind::Create, items) => self.compile_create(scope, items)?,
            StmtKind::Decl(kind, items) => {
                let mut targets = Vec::new();
                for it in items {
                    if scope.template.is_some() && it.name.name == "this" {
                        continue; // `objref this` names the object itself
                    }
                    // In a template, a declaration makes a member even where
                    // a built-in of that name exists (`objref v`).
                    let resolved = match &scope.template {
                        Some(t)
                            if !t.is_external(&it.name.name) && t.find(&it.name.name).is_none() =>
                        {
                            VarRef::Field(t.member(&it.name.name, MemberKind::Data(Sym::Undef)))
                        }
                        _ => self.resolve(scope, &it.name.name),
                    };
                    let var = match resolved {
                        VarRef::Local(_) => {
                            return Err(self.err_at(
                                scope,
                                it.name.span,
                                format!("{} is a local and cannot be redeclared", it.name.name),
                            ))
                        }
                        v => v,
                    };
                    let mut dims = Vec::new();
                    for d in &it.dims {
                        dims.push(self.compile_expr(scope, d)?);
                    }
                    // Like NEURON's parser, give an undefined name its declared
                    // kind now, so later statements of the same proc compile
                    // against it (`strdef ls` then `ls = "text"`).
                    if dims.is_empty() {
                        let proto = match kind {
                            DeclKind::Strdef => Some(Sym::strings(vec![])),
                            DeclKind::Objref => Some(Sym::objrefs(vec![])),
                            DeclKind::Double => Some(Sym::num(0.0)),
                            DeclKind::Create => None,
                        };
                        if let Some(proto) = proto {
                            self.declare_kind(scope, var, proto);
                        }
                    }
                    targets.push(DeclTarget {
                        var,
                        dims,
                        span: it.name.span,
                    });
                }
                St::Decl(*kind, targets)
            }
            StmtKind::Define { kind, name, body } => {
                if scope.in_proc || scope.block_depth > 0 {
                    return Err(self.err_at(
                        scope,
                        name.span,
                        "a proc, func, obfunc or iterator can only be defined at top level",
                    ));
                }
                let target = match &scope.template {
                    Some(t) => VarRef::Field(t.member(&name.name, MemberKind::Code(None))),
                    None => VarRef::Global(self.global_id(&name.name)),
                };
                if let VarRef::Global(id) = target {
                    if self.symbols[id].builtin {
                        return Err(self.err_at(
                            scope,
                            name.span,
                            format!("{} is a built-in and cannot be redefined", name.name),
                        ));
                    }
                }
                let mut inner = Scope {
                    locals: Vec::new(),
                    template: scope.template.clone(),
                    template_body: false,
                    in_proc: true,
                    file: scope.file.clone(),
                    block_depth: 0,
                };
                let body = self.compile_stmt(&mut inner, body, false)?;
                let def = Rc::new(ProcDef {
                    name: name.name.as_str().into(),
                    kind: *kind,
                    body,
                    locals: inner.locals.iter().map(|l| l.1).collect(),
                    file: scope.file.clone(),
                    span: name.span,
                    template: scope.template.clone(),
                });
                St::Define(target, def)
            }
            StmtKind::Template { .. } => {
                return Err(self.err_at(scope, span, "begintemplate must be at top level"))
            }
            StmtKind::Public(names) | StmtKind::External(names) => {
                let Some(t) = &scope.template else {
                    return Err(self.err_at(
                        scope,
                        span,
                        "public and external are only allowed in a template",
                    ));
                };
                let public = matches!(s.kind, StmtKind::Public(_));
                for n in names {
                    let list = if public { &t.public } else { &t.external };
                    list.borrow_mut().push(n.name.as_str().into());
                }
                St::Empty
            }
            StmtKind::WithSection { .. }
            | StmtKind::Connect { .. }
            | StmtKind::Access(_)
            | StmtKind::Insert(_)
            | StmtKind::Uninsert(_)
            | StmtKind::Taper { .. }
            | StmtKind::ForSeg { .. }
            | StmtKind::Forall(_)
            | StmtKind::Forsec { .. }
            | StmtKind::Ifsec { .. } => St::Sec(Box::new(self.compile_sec_stmt(scope, s)?)),
            StmtKind::Setpointer { target, source } => {
                let not_pointer: Rc<str> = match &target.kind {
                    ExprKind::Member { .. } => "not a point process pointer".into(),
                    ExprKind::Name { name, .. }
                    | ExprKind::Call { name, .. }
                    | ExprKind::SecVar { name, .. } => {
                        format!("{} not a model variable POINTER", name.name).into()
                    }
                    _ => "not a model variable POINTER".into(),
                };
                if !is_variable(source) {
                    return Err(self.err_at(scope, source.span, "syntax error"));
                }
                St::Setpointer {
                    target: self.compile_lvalue(scope, target)?,
                    source: self.compile_lvalue(scope, source)?,
                    not_pointer,
                    span,
                }
            }
            StmtKind::Empty => St::Empty,
        })
    }

    fn compile_opt(&mut self, scope: &mut Scope, e: Option<&Expr>) -> Result<Option<Ex>, HocError> {
        e.map(|e| self.compile_expr(scope, e)).transpose()
    }

    fn compile_args(&mut self, scope: &mut Scope, args: &[Expr]) -> Result<Vec<Ex>, HocError> {
        args.iter().map(|a| self.compile_expr(scope, a)).collect()
    }

    fn compile_dollar_index(
        &mut self,
        scope: &mut Scope,
        idx: &DollarIndex,
        span: Span,
    ) -> Result<DIdx, HocError> {
        if !scope.in_proc {
            return Err(self.err_at(
                scope,
                span,
                "$ arguments are only defined inside a proc or func",
            ));
        }
        Ok(match idx {
            DollarIndex::Lit(n) => {
                if *n == 0 {
                    return Err(self.err_at(scope, span, "$ arguments are numbered from 1"));
                }
                DIdx::Lit(*n)
            }
            DollarIndex::Var(name) => DIdx::Var(self.resolve(scope, name)),
        })
    }

    /// The section and the range variable of `sec.name`, for reading and
    /// for assigning. Only range variables may follow `sec.`: NEURON
    /// rejects `dend.ri(0.5)`.
    fn compile_sec_var(
        &mut self,
        scope: &mut Scope,
        sec: &ast::SecRef,
        name: &ast::Ident,
        indices: &[Expr],
        span: Span,
    ) -> Result<(super::code::SecEx, VarRef), HocError> {
        let sec = self.compile_secref(scope, sec)?;
        if !indices.is_empty() {
            return Err(self.err_at(scope, span, "indexed range variables are not supported"));
        }
        let id = self.global_id(&name.name);
        if matches!(self.symbols[id].sym, Sym::Builtin(_) | Sym::Proc(_)) {
            return Err(self.err_at(
                scope,
                name.span,
                format!(
                    "{0} is a function, not a range variable; write `sec {0}(...)` to call it with sec accessed",
                    name.name
                ),
            ));
        }
        Ok((sec, VarRef::Global(id)))
    }

    /// Compiles an assignable expression.
    pub fn compile_lvalue(&mut self, scope: &mut Scope, e: &Expr) -> Result<Lv, HocError> {
        let span = e.span;
        Ok(match &e.kind {
            ExprKind::Name { name, indices } => {
                if scope.template.is_some() && name.name == "this" {
                    return Err(self.err_at(scope, span, "cannot assign to this"));
                }
                let v = self.resolve(scope, &name.name);
                if indices.is_empty() {
                    self.declare_assigned(scope, v);
                    Lv::Var(v, span)
                } else {
                    Lv::Elem(v, self.compile_args(scope, indices)?, span)
                }
            }
            ExprKind::Member {
                object,
                name,
                indices,
                args: None,
            } => Lv::Member {
                obj: Box::new(self.compile_expr(scope, object)?),
                name: name.name.as_str().into(),
                indices: self.compile_args(scope, indices)?,
                span,
            },
            ExprKind::Dollar {
                kind,
                index,
                subscript: None,
            } => Lv::Dollar(*kind, self.compile_dollar_index(scope, index, span)?, span),
            ExprKind::Dollar {
                kind: DollarKind::Ptr,
                index,
                subscript: Some(sub),
            } => {
                let idx = self.compile_dollar_index(scope, index, span)?;
                Lv::PtrElem(idx, Box::new(self.compile_expr(scope, sub)?), span)
            }
            ExprKind::Call { name, args } => {
                let v = self.resolve(scope, &name.name);
                let [x] = args.as_slice() else {
                    return Err(self.err_at(
                        scope,
                        span,
                        format!("{}(x) needs exactly one position to be assigned", name.name),
                    ));
                };
                Lv::RangeAt(v, Box::new(self.compile_expr(scope, x)?), span)
            }
            ExprKind::SecVar {
                sec,
                name,
                indices,
                args,
            } => {
                let (sec, v) = self.compile_sec_var(scope, sec, name, indices, span)?;
                let inner = match args.as_deref() {
                    None => Lv::Var(v, span),
                    Some([x]) => Lv::RangeAt(v, Box::new(self.compile_expr(scope, x)?), span),
                    Some(_) => {
                        return Err(self.err_at(
                            scope,
                            span,
                            format!("{}(x) takes exactly one position", name.name),
                        ))
                    }
                };
                Lv::WithSec(Box::new(sec), Box::new(inner))
            }
            _ => return Err(self.err_at(scope, span, "this cannot be assigned to")),
        })
    }

    /// Compiles an expression.
    pub fn compile_expr(&mut self, scope: &mut Scope, e: &Expr) -> Result<Ex, HocError> {
        let span = e.span;
        Ok(match &e.kind {
            ExprKind::Num(x) => Ex::Num(*x),
            ExprKind::Str(s) => Ex::Str(s.as_str().into()),
            ExprKind::Name { name, indices } => {
                if scope.template.is_some() && name.name == "this" && indices.is_empty() {
                    return Ok(Ex::This(span));
                }
                let v = self.resolve(scope, &name.name);
                if indices.is_empty() {
                    Ex::Var(v, span)
                } else {
                    Ex::Elem(v, self.compile_args(scope, indices)?, span)
                }
            }
            ExprKind::Call { name, args } => {
                let v = self.resolve(scope, &name.name);
                Ex::Call(v, self.compile_args(scope, args)?, span)
            }
            ExprKind::Member {
                object,
                name,
                indices,
                args,
            } => Ex::Member {
                obj: Box::new(self.compile_expr(scope, object)?),
                name: name.name.as_str().into(),
                indices: self.compile_args(scope, indices)?,
                args: match args {
                    Some(a) => Some(self.compile_args(scope, a)?),
                    None => None,
                },
                span,
            },
            ExprKind::SecVar {
                sec,
                name,
                indices,
                args,
            } => {
                let (sec, v) = self.compile_sec_var(scope, sec, name, indices, span)?;
                let inner = match args {
                    None => Ex::Var(v, span),
                    Some(a) => Ex::Call(v, self.compile_args(scope, a)?, span),
                };
                Ex::WithSec(Box::new(sec), Box::new(inner))
            }
            ExprKind::RangeSlice { .. } => {
                return Err(self.err_at(
                    scope,
                    span,
                    "a range slice name(x0:x1) can only be assigned (name(x0:x1) = y0:y1)",
                ))
            }
            ExprKind::Dollar {
                kind,
                index,
                subscript: None,
            } => Ex::Dollar(*kind, self.compile_dollar_index(scope, index, span)?, span),
            ExprKind::Dollar {
                kind: DollarKind::Ptr,
                index,
                subscript: Some(sub),
            } => {
                let idx = self.compile_dollar_index(scope, index, span)?;
                Ex::PtrElem(idx, Box::new(self.compile_expr(scope, sub)?), span)
            }
            ExprKind::Dollar { .. } => {
                return Err(self.err_at(
                    scope,
                    span,
                    "only a pointer argument ($&n) can be indexed",
                ))
            }
            ExprKind::AddrOf(inner) => {
                Ex::AddrOf(Box::new(self.compile_lvalue(scope, inner)?), span)
            }
            ExprKind::New { class, args } => {
                let id = self.global_id(&class.name);
                Ex::New(id, self.compile_args(scope, args)?, span)
            }
            ExprKind::Unary(op, inner) => {
                let x = Box::new(self.compile_expr(scope, inner)?);
                match op {
                    ast::UnOp::Neg => Ex::Neg(x),
                    ast::UnOp::Not => Ex::Not(x),
                }
            }
            ExprKind::Binary(op, a, b) => Ex::Bin(
                *op,
                Box::new(self.compile_expr(scope, a)?),
                Box::new(self.compile_expr(scope, b)?),
                span,
            ),
            ExprKind::Assign { op, target, value } => {
                let value = self.compile_expr(scope, value)?;
                let lv = self.compile_lvalue(scope, target)?;
                Ex::Assign(*op, Box::new(lv), Box::new(value), span)
            }
        })
    }
}

/// Whether `e` names a variable (what `setpointer` can point at).
fn is_variable(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Name { .. } | ExprKind::SecVar { .. } | ExprKind::Member { .. } => true,
        ExprKind::Call { args, .. } => args.len() == 1,
        _ => false,
    }
}
