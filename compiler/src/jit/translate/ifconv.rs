//! If-conversion in the vector modes: both arms of an `If` run for both
//! lanes, and the lanes keep what their own arm computed.
//!
//! The usual way: the arms run one after the other, each writing the
//! locals and places it assigns as SSA values (places through the memo of
//! `memo`, their stores deferred); at the end, each local or place either
//! arm assigned gets one `select` of the two arms' values under the
//! condition (a single `blendv` when the condition is one comparison), and
//! each place one store. Nested `If`s inside the arms are merged the same
//! way, their stores deferred to the outermost one.
//!
//! The fallback, when an arm reads or writes a slot array at an index only
//! known at run time (which could be a place whose store is deferred):
//! every assignment in an arm is a store merged under the lane mask of the
//! arm (`bitselect(mask, new, old)`), in order.

use super::memo::Loc;
use super::*;
use cranelift_codegen::ir::InstBuilder;

use crate::nmodl::ir::visit_stmt;

/// A local or place an arm assigns.
#[derive(Clone, PartialEq)]
enum Target {
    Local(usize),
    /// a place with a remembered value (and a variable naming it)
    Place(Loc, Var),
}

impl Translator<'_, '_> {
    /// An `If` in a vector body.
    pub(super) fn vector_if(&mut self, c: &Expr, t: &[Stmt], e: &[Stmt]) -> R<()> {
        match self.targets(t, e) {
            Some(targets) if self.mask.is_none() => self.merged_if(c, t, e, &targets),
            _ => self.masked_if(c, t, e),
        }
    }

    /// What the arms assign, or `None` when an arm touches a slot array at
    /// a run-time index.
    fn targets(&self, t: &[Stmt], e: &[Stmt]) -> Option<Vec<Target>> {
        let mut out: Vec<Target> = Vec::new();
        let mut run_time_index = false;
        let mut on_var = |v: &Var, out: &mut Vec<Target>, assigned: bool| {
            let target = match (self.loc(v), v) {
                (_, Var::Local(k)) => Target::Local(*k),
                (Some(l), _) => Target::Place(l, v.clone()),
                (None, Var::Slot(..)) => {
                    run_time_index = true;
                    return;
                }
                _ => return,
            };
            if assigned && !out.contains(&target) {
                out.push(target);
            }
        };
        let mut loads = Vec::new();
        for s in t.iter().chain(e) {
            visit_stmt(
                s,
                &mut |s| match s {
                    Stmt::Assign(v, _) => on_var(v, &mut out, true),
                    Stmt::Solve { out: vs, .. } => {
                        vs.iter().for_each(|v| on_var(v, &mut out, true))
                    }
                    _ => {}
                },
                &mut |x| {
                    if let Expr::Load(v) = x {
                        loads.push(v.clone());
                    }
                },
            );
        }
        for v in &loads {
            on_var(v, &mut out, false);
        }
        (!run_time_index).then_some(out)
    }

    /// The current value of a target.
    fn target_value(&mut self, t: &Target) -> R<Value> {
        match t {
            Target::Local(k) => self.load_var(&Var::Local(*k)),
            Target::Place(_, v) => self.load_var(v),
        }
    }

    /// The value of a target known without a load: a local's, a place's
    /// when remembered (else memory still holds it, as stores wait).
    fn known_value(&mut self, t: &Target) -> R<Option<Value>> {
        match t {
            Target::Local(k) => self.load_var(&Var::Local(*k)).map(Some),
            Target::Place(l, _) => Ok(self.memo_get(*l)),
        }
    }

    /// Makes `v` the current value of a target without storing it; `None`:
    /// what memory holds.
    fn set_target(&mut self, t: &Target, v: Option<Value>) -> R<()> {
        match (t, v) {
            (Target::Local(k), Some(v)) => {
                let var = self.local(*k)?;
                self.b.def_var(var, v);
            }
            (Target::Place(l, _), Some(v)) => self.memo_set(*l, v),
            (Target::Place(l, _), None) => self.memo_forget(*l),
            (Target::Local(_), None) => {}
        }
        Ok(())
    }

    fn merged_if(&mut self, c: &Expr, t: &[Stmt], e: &[Stmt], targets: &[Target]) -> R<()> {
        let c = self.cond(c)?;
        let mut before = Vec::with_capacity(targets.len());
        for x in targets {
            before.push(self.known_value(x)?);
        }
        self.defer += 1;
        self.stmts(t)?;
        let mut after_t = Vec::with_capacity(targets.len());
        for (x, old) in targets.iter().zip(&before) {
            after_t.push(self.target_value(x)?);
            self.set_target(x, *old)?;
        }
        self.stmts(e)?;
        self.defer -= 1;
        for (x, vt) in targets.iter().zip(after_t) {
            let ve = self.target_value(x)?;
            let v = if vt == ve { vt } else { self.sel(c, vt, ve) };
            match x {
                Target::Place(_, var) if self.defer == 0 => self.store_var(var, v)?,
                _ => self.set_target(x, Some(v))?,
            }
        }
        Ok(())
    }

    /// Both arms run, each under its lane mask.
    fn masked_if(&mut self, c: &Expr, t: &[Stmt], e: &[Stmt]) -> R<()> {
        if self.defer > 0 {
            // a nested If of an arm whose stores are deferred touches a
            // slot array at a run-time index: `targets` of the outer If
            // saw it, so this cannot happen
            return Err(JitError::Internal(format!(
                "a masked If inside a merged one in {}",
                self.place
            )));
        }
        let c = self.cond(c)?;
        let outer = self.mask;
        let not_c = self.b.ins().bnot(c);
        let (mt, me) = match outer {
            Some(m) => (self.b.ins().band(m, c), self.b.ins().band(m, not_c)),
            None => (c, not_c),
        };
        self.mask = Some(mt);
        self.stmts(t)?;
        self.mask = Some(me);
        self.stmts(e)?;
        self.mask = outer;
        Ok(())
    }
}
