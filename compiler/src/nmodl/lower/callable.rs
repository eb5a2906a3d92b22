//! FUNCTIONs and PROCEDUREs: each becomes an [`ir::Function`] callable
//! from kernels and from HOC as `name_suffix(args)`. A FUNCTION's value is
//! a local assigned through its own name and returned at the end.

use super::super::ast::{Callable, ItemKind, Param};
use super::super::ir::*;
use super::build::*;
use super::Lowerer;

impl Lowerer<'_> {
    /// Gives every FUNCTION and PROCEDURE its index, so calls resolve
    /// whatever the order of definition.
    pub(super) fn declare_functions(&mut self) {
        for item in &self.prog.items {
            if let ItemKind::Function(c) | ItemKind::Procedure(c) = &item.kind {
                self.funcs
                    .insert(c.name.name.clone(), self.ir.functions.len());
                self.ir.functions.push(Function {
                    name: c.name.name.clone(),
                    args: c.params.len(),
                    locals: 0,
                    returns_value: matches!(item.kind, ItemKind::Function(_)),
                    hoc: true,
                    body: Vec::new(),
                });
            }
        }
    }

    /// Lowers the bodies of FUNCTIONs and PROCEDUREs.
    pub(super) fn functions(&mut self) {
        for item in &self.prog.items {
            if let ItemKind::Function(c) | ItemKind::Procedure(c) = &item.kind {
                let f = self.funcs[&c.name.name];
                let value = matches!(item.kind, ItemKind::Function(_));
                let (locals, body) = self.callable_body(c, value);
                let func = &mut self.ir.functions[f];
                func.locals = locals;
                func.body = body;
            }
        }
    }

    /// Lowers a callable's body: arguments are `Arg(k)`; a FUNCTION returns
    /// its value local at the end.
    pub(super) fn callable_body(&mut self, c: &Callable, value: bool) -> (usize, Vec<Stmt>) {
        let saved = self.begin();
        self.body.scopes.push(args_scope(&c.params));
        if value {
            let r = self.body.local();
            self.body.ret = Some((c.name.name.clone(), r));
        }
        let mut body = Vec::new();
        if let Some((_, r)) = &self.body.ret {
            // nocmodl's C leaves it uninitialised; 0 is as good a value.
            body.push(assign(r, num(0.0)));
        }
        body.extend(self.block(&c.body));
        if let Some((_, r)) = &self.body.ret {
            body.push(Stmt::Return(load(r)));
        }
        let locals = self.end(saved);
        (locals, body)
    }
}

/// The names of parameters as arguments `Arg(0)`, `Arg(1)`, ...
pub(super) fn args_scope(params: &[Param]) -> Vec<(String, Var)> {
    params
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.name.clone(), Var::Arg(i)))
        .collect()
}
