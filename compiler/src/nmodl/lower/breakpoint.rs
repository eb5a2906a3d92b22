//! The per-instance kernels NEURON's `nrn_init`, `nrn_cur`, `nrn_jacob` and
//! `nrn_state` are, statement for statement as nocmodl 9.0.2 writes them:
//!
//! * `init`: `v` from the node, ion values in, each STATE `x = x0` (in name
//!   order, as nocmodl does), the INITIAL block, written concentrations out;
//! * `cur`: the BREAKPOINT block (without SOLVE) at `v + 0.001` then at `v`,
//!   `_g = (i(v+.001) - i(v))/.001`, each written ion current and its
//!   `di/dv` added into the ion, `rhs -= i` (`+=` for ELECTRODE_CURRENT);
//!   a point process scales by `1e2/area` (nA → mA/cm²); then NEURON's
//!   `nrn_jacob`, `d += _g` (`-=` for ELECTRODE_CURRENT), in the same pass
//!   (no separate `jacob` kernel: one sweep over the instances, not two);
//! * `state`: `v`, ion values in, each SOLVE of BREAKPOINT, the rest of
//!   BREAKPOINT when the mechanism has no current, concentrations out.

use super::super::ast::{Block, ItemKind, Program, StmtKind};
use super::super::ir::*;
use super::build::*;
use super::Lowerer;

impl Lowerer<'_> {
    /// `slot = Ion(..)` for every ion value read (and written
    /// concentrations, which NEURON copies in too).
    pub(super) fn ion_reads(&self) -> Vec<Stmt> {
        let mut out = Vec::new();
        for (k, ion) in self.ir.ions.iter().enumerate() {
            for f in &ion.reads {
                if let Some(slot) = self.ion_slot(k, *f) {
                    out.push(assign(&slot, load(&Var::Ion(k, *f))));
                }
            }
        }
        out
    }

    /// `Ion(..) = slot` for every written concentration.
    fn conc_writes(&self) -> Vec<Stmt> {
        let mut out = Vec::new();
        for (k, ion) in self.ir.ions.iter().enumerate() {
            for f in &ion.writes {
                if matches!(f, IonField::ConcIn | IonField::ConcOut) {
                    if let Some(slot) = self.ion_slot(k, *f) {
                        out.push(assign(&Var::Ion(k, *f), load(&slot)));
                    }
                }
            }
        }
        out
    }

    /// The slot holding ion `k`'s field `f`.
    pub(super) fn ion_slot(&self, k: usize, f: IonField) -> Option<Var> {
        let name = self
            .ion_vars
            .iter()
            .find(|(_, &(i, g))| i == k && g == f)
            .map(|(n, _)| n.clone())?;
        self.slot(&name)
    }

    pub(super) fn v_copy(&self, plus: Option<f64>) -> Vec<Stmt> {
        match self.slot("v") {
            Some(v) => {
                let node = load(&Var::Node(NodeVar::V));
                vec![assign(
                    &v,
                    match plus {
                        Some(d) => add(node, num(d)),
                        None => node,
                    },
                )]
            }
            None => Vec::new(),
        }
    }

    pub(super) fn kernels(&mut self) {
        self.init_kernel();
        self.cur_and_state_kernels();
    }

    fn init_kernel(&mut self) {
        let saved = self.begin();
        let mut body = self.v_copy(None);
        body.extend(self.ion_reads());
        // An ion concentration that is a STATE keeps the ion's value.
        let mut states: Vec<_> = self
            .table
            .states()
            .filter(|s| s.ion.is_none())
            .map(|s| (s.name.clone(), s.dim))
            .collect();
        states.sort();
        for (name, dim) in states {
            let x0 = format!("{name}0");
            let (Some(x), Some(init)) = (
                self.slot(&name),
                self.slot(&x0).or_else(|| self.global(&x0)),
            ) else {
                continue;
            };
            match dim {
                None => body.push(assign(&x, load(&init))),
                Some(n) => {
                    for i in 0..n {
                        let ix = || num(i as f64);
                        // `m0` is one value for every element (nocmodl)
                        body.push(assign(&indexed(&x, ix()), load(&init)));
                    }
                }
            }
        }
        let initial = item_block(self.prog, |k| match k {
            ItemKind::Initial(b) => Some(b),
            _ => None,
        });
        if let Some(b) = initial {
            body.extend(self.block(b));
        }
        body.extend(self.conc_writes());
        let locals = self.end(saved);
        if !body.is_empty() {
            self.ir.kernels.init = Some(Kernel { locals, body });
        }
    }

    fn cur_and_state_kernels(&mut self) {
        let Some(bp) = item_block(self.prog, |k| match k {
            ItemKind::Breakpoint(b) => Some(b),
            _ => None,
        }) else {
            return;
        };
        let has_current = !self.currents.is_empty() && self.ir.kind != MechKind::Artificial;
        // The SOLVEs, lowered into the state kernel.
        let saved = self.begin();
        let mut state = self.v_copy(None);
        state.extend(self.ion_reads());
        let reads = state.len();
        self.push_scope(bp);
        for s in &bp.stmts {
            if let StmtKind::Solve { .. } = s.kind {
                self.stmt(s, &mut state);
            }
        }
        if !has_current {
            for s in &bp.stmts {
                if !matches!(s.kind, StmtKind::Solve { .. }) {
                    self.stmt(s, &mut state);
                }
            }
        }
        self.body.scopes.pop();
        if state.len() > reads {
            state.extend(self.conc_writes());
            let locals = self.end(saved);
            self.ir.kernels.state = Some(Kernel {
                locals,
                body: state,
            });
        } else {
            self.end(saved);
        }
        if has_current {
            self.cur_kernel(bp);
        }
    }

    fn cur_kernel(&mut self, bp: &Block) {
        let saved = self.begin();
        self.push_scope(bp);
        let mut current = Vec::new();
        for s in &bp.stmts {
            if !matches!(s.kind, StmtKind::Solve { .. }) {
                self.stmt(s, &mut current);
            }
        }
        self.body.scopes.pop();
        let point = self.ir.kind == MechKind::Point;
        let currents: Vec<Var> = self.currents.iter().filter_map(|c| self.slot(c)).collect();
        let sum = |cs: &[Var]| cs.iter().map(load).reduce(add).unwrap_or(num(0.0));
        // written ion currents: (ion index, slot)
        let ion_currents: Vec<(usize, Var)> = (0..self.ir.ions.len())
            .filter(|&k| self.ir.ions[k].writes.contains(&IonField::Current))
            .filter_map(|k| Some((k, self.ion_slot(k, IonField::Current)?)))
            .collect();
        let mut body = self.v_copy(Some(0.001));
        body.extend(self.ion_reads());
        body.extend(current.iter().cloned());
        let g_local = self.body.local();
        body.push(assign(&g_local, sum(&currents)));
        let saved_i: Vec<Var> = ion_currents.iter().map(|_| self.body.local()).collect();
        for ((_, c), d) in ion_currents.iter().zip(&saved_i) {
            body.push(assign(d, load(c)));
        }
        body.extend(self.v_copy(None));
        body.extend(current);
        let rhs = self.body.local();
        body.push(assign(&rhs, sum(&currents)));
        let area = || load(&Var::Node(NodeVar::Area));
        for ((k, c), d) in ion_currents.iter().zip(&saved_i) {
            let mut di = div(sub(load(d), load(c)), num(0.001));
            if point {
                di = div(mul(di, num(1e2)), area());
            }
            body.push(add_to(&Var::Ion(*k, IonField::DCurrentDv), di));
        }
        let Some(g) = self.slot("_g") else { return };
        body.push(assign(&g, div(sub(load(&g_local), load(&rhs)), num(0.001))));
        for (k, c) in &ion_currents {
            let mut i = load(c);
            if point {
                i = div(mul(i, num(1e2)), area());
            }
            body.push(add_to(&Var::Ion(*k, IonField::Current), i));
        }
        body.extend(self.conc_writes());
        if point {
            body.push(assign(&g, mul(load(&g), div(num(1e2), area()))));
            body.push(assign(&rhs, mul(load(&rhs), div(num(1e2), area()))));
        }
        let node_rhs = Var::Node(NodeVar::Rhs);
        let node_d = Var::Node(NodeVar::D);
        if self.ir.electrode_current {
            body.push(add_to(&node_rhs, load(&rhs)));
        } else {
            body.push(sub_from(&node_rhs, load(&rhs)));
        }
        // NEURON's `nrn_jacob`, in the same pass: the solver zeroes d with
        // rhs, and each node still gets its types' terms in type order
        body.push(if self.ir.electrode_current {
            sub_from(&node_d, load(&g))
        } else {
            add_to(&node_d, load(&g))
        });
        let locals = self.end(saved);
        self.ir.kernels.cur = Some(Kernel { locals, body });
    }
}

/// The first top-level block `pick` selects.
pub(super) fn item_block(prog: &Program, pick: fn(&ItemKind) -> Option<&Block>) -> Option<&Block> {
    prog.items.iter().find_map(|i| pick(&i.kind))
}
