//! Compiles the section statements (`create`, `connect`, `access`, `sec { }`,
//! `insert`, `forall`, `forsec`, `ifsec`, `for (x)`, tapered assignments)
//! and section references.

use super::code::{DeclTarget, Lv, SecEx, SecSt, St, VarRef};
use super::compile::Scope;
use super::error::HocError;
use super::interp::Interpreter;
use super::section::SecArray;
use super::symbols::Sym;
use super::template::MemberKind;
use nerve_compiler::hoc::ast::{DeclItem, ExprKind, SecRef, Stmt, StmtKind};
use std::rc::Rc;

impl Interpreter {
    /// Compiles a reference to a section.
    pub(crate) fn compile_secref(
        &mut self,
        scope: &mut Scope,
        r: &SecRef,
    ) -> Result<SecEx, HocError> {
        let index = match &r.index {
            Some(i) => Some(Box::new(self.compile_expr(scope, i)?)),
            None => None,
        };
        Ok(match &r.object {
            None => {
                let v = match self.resolve(scope, &r.name.name) {
                    VarRef::Local(_) => {
                        return Err(HocError::msg(format!(
                            "{} is a local, not a section",
                            r.name.name
                        ))
                        .at(&scope.file, r.span))
                    }
                    v => v,
                };
                SecEx::Var(v, index, r.span)
            }
            Some(o) => SecEx::Member(
                Box::new(self.compile_expr(scope, o)?),
                r.name.name.as_str().into(),
                index,
                r.span,
            ),
        })
    }

    /// `create a, b[n]`: the names become sections for the parser at once
    /// (so the next line can say `a { ... }`); the sections are made when
    /// the statement runs.
    pub(crate) fn compile_create(
        &mut self,
        scope: &mut Scope,
        items: &[DeclItem],
    ) -> Result<St, HocError> {
        let mut targets = Vec::new();
        for it in items {
            let name = it.name.name.as_str();
            let var = self.resolve(scope, name);
            match var {
                VarRef::Local(_) => {
                    return Err(
                        HocError::msg(format!("{name} is a local and cannot be a section"))
                            .at(&scope.file, it.name.span),
                    )
                }
                VarRef::Global(id) => {
                    if matches!(self.symbols[id].sym, Sym::Undef) {
                        self.symbols[id].sym = Sym::Sections(Rc::new(SecArray::prototype(vec![])));
                    }
                }
                VarRef::Field(i) => {
                    if let Some(t) = &scope.template {
                        if !t.sections.borrow().iter().any(|n| &**n == name) {
                            t.sections.borrow_mut().push(name.into());
                        }
                        let mut m = t.members.borrow_mut();
                        if matches!(m[i].kind, MemberKind::Data(Sym::Undef)) {
                            m[i].kind = MemberKind::Data(Sym::Sections(Rc::new(
                                SecArray::prototype(vec![]),
                            )));
                        }
                    }
                    self.add_section_name(name);
                }
            }
            let mut dims = Vec::new();
            for d in &it.dims {
                dims.push(self.compile_expr(scope, d)?);
            }
            targets.push(DeclTarget {
                var,
                dims,
                span: it.name.span,
            });
        }
        Ok(St::Sec(Box::new(SecSt::Create(targets))))
    }

    /// Compiles one of the section statements.
    pub(crate) fn compile_sec_stmt(
        &mut self,
        scope: &mut Scope,
        s: &Stmt,
    ) -> Result<SecSt, HocError> {
        let span = s.span;
        Ok(match &s.kind {
            StmtKind::WithSection { sec, body } => {
                let sec = self.compile_secref(scope, sec)?;
                SecSt::With(sec, Box::new(self.compile_stmt(scope, body, false)?))
            }
            StmtKind::Connect {
                child,
                child_x,
                parent,
                parent_x,
            } => SecSt::Connect {
                child: self.compile_secref(scope, child)?,
                child_end: match child_x {
                    Some(e) => Some(self.compile_expr(scope, e)?),
                    None => None,
                },
                parent: match parent {
                    Some(p) => Some(self.compile_secref(scope, p)?),
                    None => None,
                },
                parent_x: self.compile_expr(scope, parent_x)?,
                span,
            },
            StmtKind::Access(sec) => SecSt::Access(self.compile_secref(scope, sec)?),
            StmtKind::Insert(n) => SecSt::Insert(n.name.as_str().into(), true, n.span),
            StmtKind::Uninsert(n) => SecSt::Insert(n.name.as_str().into(), false, n.span),
            StmtKind::Taper { target, y0, y1 } => {
                let ExprKind::RangeSlice { target: t, x0, x1 } = &target.kind else {
                    return Err(HocError::msg(
                        "only a range variable slice name(x0:x1) can be assigned a:b",
                    )
                    .at(&scope.file, target.span));
                };
                let (sec, name) = match &t.kind {
                    ExprKind::Name { name, indices } if indices.is_empty() => (None, name),
                    ExprKind::SecVar {
                        sec,
                        name,
                        indices,
                        args: None,
                    } if indices.is_empty() => (Some(self.compile_secref(scope, sec)?), name),
                    _ => {
                        return Err(HocError::msg("this cannot be assigned a:b")
                            .at(&scope.file, target.span))
                    }
                };
                SecSt::Taper {
                    sec,
                    var: VarRef::Global(self.global_id(&name.name)),
                    x: (self.compile_expr(scope, x0)?, self.compile_expr(scope, x1)?),
                    y: (self.compile_expr(scope, y0)?, self.compile_expr(scope, y1)?),
                    span,
                }
            }
            StmtKind::ForSeg { var, ends, body } => {
                let v = self.resolve(scope, &var.name);
                self.declare_assigned(scope, v);
                SecSt::ForSeg(
                    Lv::Var(v, var.span),
                    match ends {
                        Some(e) => Some(self.compile_expr(scope, e)?),
                        None => None,
                    },
                    Box::new(self.compile_stmt(scope, body, false)?),
                    span,
                )
            }
            StmtKind::Forall(body) => {
                SecSt::Forall(Box::new(self.compile_stmt(scope, body, false)?))
            }
            StmtKind::Forsec { target, body } => SecSt::Forsec(
                self.compile_expr(scope, target)?,
                Box::new(self.compile_stmt(scope, body, false)?),
                span,
            ),
            StmtKind::Ifsec { target, body } => SecSt::Ifsec(
                self.compile_expr(scope, target)?,
                Box::new(self.compile_stmt(scope, body, false)?),
                span,
            ),
            _ => {
                return Err(HocError::msg("internal: not a section statement").at(&scope.file, span))
            }
        })
    }
}
