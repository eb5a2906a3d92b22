//! Where every variable lives: per-instance slots in nocmodl's order, the
//! per-type globals, the ions and the currents.
//!
//! Slot order, as nocmodl 9.0.2 numbers its `fpfield`s: RANGE PARAMETERs,
//! RANGE ASSIGNEDs (each in declaration order), STATEs, then in the order
//! of their blocks the other ASSIGNEDs and the `D<state>` derivatives, then
//! the hidden `v` copy and the conductance `_g` (neither for an
//! ARTIFICIAL_CELL).

use super::super::ast::{ItemKind, NameListKind, NeuronStmtKind, UnitDefKind};
use super::super::ir::*;
use super::super::symbols::{Storage, Symbol, SymbolKind};
use super::{units, Lowerer};

impl Lowerer<'_> {
    fn add_slot(&mut self, name: &str, role: VarRole, sym: Option<&Symbol>, hoc: bool) {
        if self.slots.contains_key(name) {
            return;
        }
        self.slots.insert(name.to_string(), self.ir.slots.len());
        self.ir.slots.push(SlotDecl {
            name: name.to_string(),
            role,
            size: sym.and_then(|s| s.dim).unwrap_or(1),
            default: sym
                .filter(|s| s.kind == SymbolKind::Parameter)
                .and_then(|s| s.value)
                .unwrap_or(0.0),
            hoc,
            unit: sym.and_then(|s| s.unit.clone()),
        });
    }

    /// Whether a file-level symbol is a per-instance value.
    fn per_instance(s: &Symbol) -> bool {
        match s.kind {
            SymbolKind::State => true,
            SymbolKind::Parameter | SymbolKind::Assigned => {
                matches!(s.storage, Storage::Range | Storage::Instance) || s.ion.is_some()
            }
            _ => false,
        }
    }

    pub(super) fn layout(&mut self) {
        let table = self.table;
        let syms = table.symbols();
        for s in syms {
            if s.kind == SymbolKind::Parameter && s.storage == Storage::Range && s.ion.is_none() {
                self.add_slot(&s.name, VarRole::Parameter, Some(s), true);
            }
        }
        for s in syms {
            if s.kind == SymbolKind::Assigned && s.storage == Storage::Range {
                self.add_slot(&s.name, VarRole::Assigned, Some(s), true);
            }
        }
        for s in table.states() {
            self.add_slot(
                &s.name,
                VarRole::State,
                Some(s),
                s.storage == Storage::Range,
            );
        }
        for item in &self.prog.items {
            match &item.kind {
                ItemKind::Assigned(_) | ItemKind::Parameter(_) => {
                    let names: Vec<String> = match &item.kind {
                        ItemKind::Assigned(ds) => ds.iter().map(|d| d.name.name.clone()).collect(),
                        ItemKind::Parameter(ds) => ds.iter().map(|d| d.name.name.clone()).collect(),
                        _ => Vec::new(),
                    };
                    for name in names {
                        if let Some(s) = table.get(&name) {
                            if Self::per_instance(s) && s.kind != SymbolKind::State {
                                let role = if s.kind == SymbolKind::Parameter {
                                    VarRole::Parameter
                                } else {
                                    VarRole::Assigned
                                };
                                self.add_slot(&s.name, role, Some(s), false);
                            }
                        }
                    }
                }
                ItemKind::State(decls) => {
                    for d in decls {
                        if let Some(s) = table.get(&d.name.name) {
                            let mut ds = s.clone();
                            ds.kind = SymbolKind::Assigned;
                            self.add_slot(
                                &format!("D{}", s.name),
                                VarRole::Internal,
                                Some(&ds),
                                false,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        if self.ir.kind != MechKind::Artificial {
            self.add_slot("v", VarRole::Internal, None, false);
            self.add_slot("_g", VarRole::Internal, None, false);
        }
        self.layout_globals();
        self.layout_ions();
        self.unit_constants();
    }

    fn layout_globals(&mut self) {
        let table = self.table;
        for s in table.symbols() {
            if Self::per_instance(s) {
                continue;
            }
            let (role, hoc) = match (s.kind, s.storage) {
                (SymbolKind::Parameter, Storage::Global) => (VarRole::Parameter, true),
                (SymbolKind::Assigned, Storage::Global) => (VarRole::Assigned, true),
                // `GLOBAL m0`: the initial value of STATE m, set from HOC
                (SymbolKind::StateInit, Storage::Global) => (VarRole::Parameter, true),
                (SymbolKind::StateInit, _) => (VarRole::Internal, false),
                (SymbolKind::Local, Storage::Static) => (VarRole::Internal, false),
                _ => continue,
            };
            self.globals.insert(s.name.clone(), self.ir.globals.len());
            self.ir.globals.push(GlobalDecl {
                name: s.name.clone(),
                role,
                size: s.dim.unwrap_or(1),
                default: if s.kind == SymbolKind::Parameter {
                    s.value.unwrap_or(0.0)
                } else {
                    0.0
                },
                hoc,
            });
        }
    }

    fn layout_ions(&mut self) {
        let stmts: Vec<_> = self
            .prog
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ItemKind::Neuron(s) => Some(s),
                _ => None,
            })
            .flatten()
            .collect();
        for st in stmts {
            match &st.kind {
                NeuronStmtKind::UseIon(u) => {
                    let ion = u.ion.name.clone();
                    let k = match self.ir.ions.iter().position(|d| d.name == ion) {
                        Some(k) => k,
                        None => {
                            self.ir.ions.push(IonDecl {
                                name: ion.clone(),
                                valence: u.valence.as_ref().map(|n| n.value),
                                reads: Vec::new(),
                                writes: Vec::new(),
                            });
                            self.ir.ions.len() - 1
                        }
                    };
                    for (id, write) in u
                        .read
                        .iter()
                        .map(|i| (i, false))
                        .chain(u.write.iter().map(|i| (i, true)))
                    {
                        let name = id.name.as_str();
                        let field = if name == format!("e{ion}") {
                            IonField::Erev
                        } else if name == format!("{ion}i") {
                            IonField::ConcIn
                        } else if name == format!("{ion}o") {
                            IonField::ConcOut
                        } else if name == format!("i{ion}") {
                            IonField::Current
                        } else {
                            self.error(
                                id.span,
                                format!(
                                    "{name} is not a variable of the ion {ion} (e{ion}, {ion}i, {ion}o, i{ion})"
                                ),
                            );
                            continue;
                        };
                        self.ion_vars.insert(name.to_string(), (k, field));
                        let d = &mut self.ir.ions[k];
                        let push = |v: &mut Vec<IonField>, f| {
                            if !v.contains(&f) {
                                v.push(f)
                            }
                        };
                        if write {
                            if field == IonField::Erev {
                                self.diags.push(super::Diagnostic::error(
                                    id.span,
                                    format!("writing the reversal potential {name} is not supported by nerve"),
                                ));
                                continue;
                            }
                            push(&mut d.writes, field);
                            if field == IonField::Current {
                                push(&mut d.writes, IonField::DCurrentDv);
                                if !self.currents.contains(&id.name) {
                                    self.currents.push(id.name.clone());
                                }
                            } else {
                                // NEURON copies a written concentration in too.
                                push(&mut d.reads, field);
                            }
                        } else {
                            push(&mut d.reads, field);
                        }
                    }
                }
                NeuronStmtKind::List(
                    kind @ (NameListKind::Nonspecific | NameListKind::ElectrodeCurrent),
                    names,
                ) => {
                    if *kind == NameListKind::ElectrodeCurrent {
                        self.ir.electrode_current = true;
                    }
                    for n in names {
                        if !self.currents.contains(&n.name) {
                            self.currents.push(n.name.clone());
                        }
                    }
                }
                NeuronStmtKind::List(NameListKind::Pointer, names) => {
                    for n in names {
                        let sym = self.table.get(&n.name);
                        if sym.and_then(|s| s.dim).is_some() {
                            self.error(n.span, format!("POINTER {} cannot be an array", n.name));
                            continue;
                        }
                        if !self.pointers.contains_key(&n.name) {
                            self.pointers.insert(n.name.clone(), self.ir.pointers.len());
                            self.ir.pointers.push(PointerDecl {
                                name: n.name.clone(),
                                unit: sym.and_then(|s| s.unit.clone()),
                            });
                        }
                    }
                }
                NeuronStmtKind::List(NameListKind::Random, names) => {
                    for n in names {
                        if !self.randoms.contains_key(&n.name) {
                            self.randoms.insert(n.name.clone(), self.ir.randoms.len());
                            self.ir.randoms.push(n.name.clone());
                        }
                    }
                }
                NeuronStmtKind::List(
                    kind @ (NameListKind::BbcorePointer | NameListKind::External),
                    names,
                ) if !names.is_empty() => {
                    let word = match kind {
                        NameListKind::BbcorePointer => "BBCOREPOINTER",
                        _ => "EXTERNAL",
                    };
                    self.error(
                        names[0].span,
                        format!("{word} is not supported yet by nerve"),
                    );
                }
                _ => {}
            }
        }
    }

    /// The values of UNITS constants written as unit factors.
    fn unit_constants(&mut self) {
        for item in &self.prog.items {
            let ItemKind::Units(defs) = &item.kind else {
                continue;
            };
            for d in defs {
                match &d.kind {
                    UnitDefKind::Value { name, value, .. } => {
                        self.consts.insert(name.name.clone(), value.value);
                    }
                    UnitDefKind::Factor { name, from, to, .. } => {
                        match units::factor(&from.text, &to.text) {
                            Some(f) => {
                                self.consts.insert(name.name.clone(), f);
                            }
                            None => self.error(
                                d.span,
                                format!(
                                    "nerve does not know how many ({}) make one ({})",
                                    to.text, from.text
                                ),
                            ),
                        }
                    }
                    UnitDefKind::Alias { .. } => {}
                }
            }
        }
    }
}
