//! Scalar replacement of memory values within one pass of a body (one
//! instance, or two in the vector modes; one FUNCTION call): the value last
//! loaded from or stored to a slot, GLOBAL, node or ion field is kept in a
//! Cranelift variable and later loads of that place reuse it. hh's `cur`
//! evaluates its currents at v + 0.001 and at v, writing `gna`, `ina`, ...
//! as slots in between; with the loads replaced, both evaluations see the
//! same SSA values and Cranelift's GVN computes `gnabar*m*m*m*h` once (the
//! same operations on the same operands: the same bits).
//!
//! Stores still happen (write-through), so memory holds every written value
//! whenever something else may look. A store of a place is deleted when the
//! same place is stored again later in the same block with nothing between
//! that could read it (a load at a place only known at run time, a call, a
//! runtime service, a branch or a return).
//!
//! # When a remembered value is stale
//! * a FUNCTION or PROCEDURE call, or a runtime service, may read and write
//!   the instance's data and more: everything is forgotten;
//! * a write through a POINTER may hit any double: everything;
//! * a write to a slot (GLOBAL) array element at an index known only at run
//!   time: every slot (GLOBAL);
//! * a GLOBAL written in `Pair` mode holds only lane 1: forgotten;
//! * branches of the scalar path: what is remembered before an `If` (or a
//!   `Select`) holds in both arms; after it, what both arms remember
//!   (Cranelift's SSA construction merges two different values with a block
//!   parameter); an arm ending in a return does not count. A loop forgets,
//!   before its head, every place its condition or body may write.
//!
//! In the vector modes `If`s are if-converted: one block, every store
//! happens (under its lane mask), so nothing needs merging.
//!
//! Places never remembered: POINTER targets (they may alias anything) and
//! NET_RECEIVE weights.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::ir::{Inst, Value};
use cranelift_frontend::Variable;

use super::place::const_element;
use super::*;
use crate::nmodl::ir::{visit_expr, visit_stmt};

/// A memory place whose value may be remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Loc {
    /// element `k` of the instance's slots
    Slot(usize),
    /// element `k` of the GLOBALs
    Global(usize),
    /// the instance's node
    Node(NodeVar),
    /// a field of the instance's ion
    Ion(usize, IonField),
}

/// What is known at one point of the body.
#[derive(Debug, Clone, Default)]
pub(super) struct MemoPoint {
    /// places whose variable holds what memory holds here
    valid: HashSet<Loc>,
    /// the point is never reached (after a return)
    dead: bool,
}

/// The remembered values of the body being translated.
#[derive(Default)]
pub(super) struct Memo {
    /// one variable per place remembered so far
    vars: HashMap<Loc, Variable>,
    here: MemoPoint,
    /// stores that a later store of the same place may delete
    pending: HashMap<Loc, Vec<Inst>>,
}

/// The tracked place `var` names in `ir`, if any: a slot or GLOBAL without
/// an index or with a constant one within its array (see
/// [`const_element`]), a node or ion field.
fn loc_of(ir: &MechIr, per_instance: bool, var: &Var) -> Option<Loc> {
    match var {
        Var::Slot(k, i) if per_instance => const_element(*k, i, &ir.slot_array(*k)).map(Loc::Slot),
        Var::Global(k, i) => const_element(*k, i, &ir.global_array(*k)).map(Loc::Global),
        Var::Node(n) => Some(Loc::Node(*n)),
        Var::Ion(j, f) => Some(Loc::Ion(*j, *f)),
        _ => None,
    }
}

/// What code may overwrite.
#[derive(Default)]
struct Writes {
    /// anything (calls, services, POINTER writes)
    all: bool,
    /// any slot (an element at a run-time index)
    slots: bool,
    /// any GLOBAL
    globals: bool,
    locs: HashSet<Loc>,
}

impl Writes {
    fn hits(&self, l: Loc) -> bool {
        self.all
            || self.locs.contains(&l)
            || (self.slots && matches!(l, Loc::Slot(_)))
            || (self.globals && matches!(l, Loc::Global(_)))
    }
}

impl Translator<'_, '_> {
    pub(super) fn loc(&self, var: &Var) -> Option<Loc> {
        loc_of(self.env.ir, self.per_instance, var)
    }

    /// The remembered value of `loc`, if it is valid here.
    pub(super) fn memo_get(&mut self, loc: Loc) -> Option<Value> {
        if !self.memo.here.valid.contains(&loc) {
            return None;
        }
        let var = self.memo.vars[&loc];
        Some(self.b.use_var(var))
    }

    /// Memory at `loc` now holds `v` (in every lane).
    pub(super) fn memo_set(&mut self, loc: Loc, v: Value) {
        let ty = self.ty;
        let b = &mut self.b;
        let var = *self
            .memo
            .vars
            .entry(loc)
            .or_insert_with(|| b.declare_var(ty));
        self.b.def_var(var, v);
        self.memo.here.valid.insert(loc);
    }

    /// Forgets the value of `loc` (memory holds it).
    pub(super) fn memo_forget(&mut self, loc: Loc) {
        self.memo.here.valid.remove(&loc);
    }

    /// After a load of `v` from `var`.
    pub(super) fn memo_loaded(&mut self, var: &Var, v: Value) {
        match (self.loc(var), var) {
            (Some(loc), _) => self.memo_set(loc, v),
            // the load may read a pending store
            (None, Var::Slot(..)) => self.commit(|l| matches!(l, Loc::Slot(_))),
            (None, Var::Global(..)) => self.commit(|l| matches!(l, Loc::Global(_))),
            (None, Var::Pointer(_)) => self.commit(|_| true),
            _ => {}
        }
    }

    /// After `stores` wrote `v` to `var`.
    pub(super) fn memo_stored(&mut self, var: &Var, v: Value, stores: Vec<Inst>) {
        match (self.loc(var), var) {
            (Some(Loc::Global(k)), _) if self.mode == Mode::Pair => {
                // memory keeps lane 1 only
                let loc = Loc::Global(k);
                self.memo.here.valid.remove(&loc);
                self.memo.pending.remove(&loc);
            }
            (Some(loc), _) => {
                if let Some(dead) = self.memo.pending.insert(loc, stores) {
                    for inst in dead {
                        self.b.func.layout.remove_inst(inst);
                    }
                }
                self.memo_set(loc, v);
            }
            (None, Var::Slot(..)) => self.forget(|l| matches!(l, Loc::Slot(_))),
            (None, Var::Global(..)) => self.forget(|l| matches!(l, Loc::Global(_))),
            (None, Var::Pointer(_)) => self.forget(|_| true),
            // locals, arguments, NET_RECEIVE weights
            _ => {}
        }
    }

    /// Keeps the pending stores of the places `f` selects.
    fn commit(&mut self, f: impl Fn(Loc) -> bool) {
        self.memo.pending.retain(|l, _| !f(*l));
    }

    /// Forgets the places `f` selects (and keeps their pending stores).
    fn forget(&mut self, f: impl Fn(Loc) -> bool) {
        self.memo.here.valid.retain(|l| !f(*l));
        self.commit(f);
    }

    /// After a call or a runtime service: anything may have changed.
    pub(super) fn memo_forget_all(&mut self) {
        self.forget(|_| true);
    }

    /// What is known here, before a branch or at the end of an arm; pending
    /// stores are kept (another path may read them).
    pub(super) fn memo_point(&mut self) -> MemoPoint {
        self.memo.pending.clear();
        self.memo.here.clone()
    }

    /// Continues from `p` (the start of an arm or a loop exit).
    pub(super) fn memo_restore(&mut self, p: MemoPoint) {
        self.memo.pending.clear();
        self.memo.here = p;
    }

    /// At the join of two arms that ended at `a` and `b`.
    pub(super) fn memo_join(&mut self, a: MemoPoint, b: MemoPoint) {
        self.memo.pending.clear();
        self.memo.here = match (a.dead, b.dead) {
            (true, _) => b,
            (_, true) => a,
            _ => MemoPoint {
                valid: a.valid.intersection(&b.valid).copied().collect(),
                dead: false,
            },
        };
    }

    /// After a return: what follows never runs.
    pub(super) fn memo_dead(&mut self) {
        self.memo_restore(MemoPoint {
            valid: HashSet::new(),
            dead: true,
        });
    }

    /// Before the head of `while (cond) body`: forgets what one iteration
    /// may write, so what stays valid holds on the back edge too.
    pub(super) fn memo_enter_loop(&mut self, cond: &Expr, body: &[Stmt]) {
        let (ir, per_instance) = (self.env.ir, self.per_instance);
        let mut w = Writes::default();
        let write = |w: &mut Writes, v: &Var| match (loc_of(ir, per_instance, v), v) {
            (Some(l), _) => {
                w.locs.insert(l);
            }
            (None, Var::Slot(..)) => w.slots = true,
            (None, Var::Global(..)) => w.globals = true,
            (None, Var::Pointer(_)) => w.all = true,
            _ => {}
        };
        let mut calls = false;
        let mut on_expr = |e: &Expr| calls |= matches!(e, Expr::Call(..) | Expr::Host(..));
        visit_expr(cond, &mut on_expr);
        for s in body {
            visit_stmt(
                s,
                &mut |s| match s {
                    Stmt::Assign(v, _) => write(&mut w, v),
                    Stmt::Solve { out, .. } => out.iter().for_each(|v| write(&mut w, v)),
                    Stmt::Call(..) | Stmt::Host(..) => w.all = true,
                    _ => {}
                },
                &mut on_expr,
            );
        }
        w.all |= calls;
        self.memo.pending.clear();
        self.memo.here.valid.retain(|l| !w.hits(*l));
    }
}
