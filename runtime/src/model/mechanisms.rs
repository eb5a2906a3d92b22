//! Mechanism types and instances in the model: registering a
//! [`MechanismSpec`], inserting density mechanisms into sections, placing
//! point processes, and [`VarRef`] handles to any range variable (v, diam, cm,
//! a mechanism field) that stay valid across rebuilds.

use super::ids::{InstanceId, NodeId, SectionId};
use super::store::{Loc, LOOSE};
use super::{InstanceInfo, MechType, Model, ModelError, NodeField, PointerTarget, Prop, Result};
use crate::mechanism::{MechanismKind, MechanismSpec};

/// A registered mechanism type; types run in registration order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MechTypeId(pub(crate) u32);

/// A range variable, to be resolved at a location by [`Model::var_ref`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeVar {
    /// membrane potential [mV] (ends included)
    V,
    /// diameter [µm]
    Diam,
    /// specific capacitance [µF/cm²]
    Cm,
    /// capacitive current [mA/cm²]
    ICap,
    /// slot `slot` of a density mechanism
    Mech {
        /// the mechanism
        mech: MechTypeId,
        /// the slot (see [`MechanismSpec::field_slot`])
        slot: usize,
    },
    /// POINTER `pointer` of a density mechanism (reads and writes reach
    /// its target)
    Pointer {
        /// the mechanism
        mech: MechTypeId,
        /// index into the spec's `pointers`
        pointer: usize,
    },
}

/// A stable handle to one value (what HOC's `&v(0.5)` or `&g_pas(0.5)`
/// yields). Resolves through stable ids, so it survives finitialize, nseg
/// changes of other sections and regrouping; it fails cleanly once its node or
/// instance is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarRef {
    /// membrane potential of a node [mV]
    V(NodeId),
    /// diameter of a segment [µm]
    Diam(NodeId),
    /// capacitance of a segment [µF/cm²]
    Cm(NodeId),
    /// capacitive current of a segment [mA/cm²]
    ICap(NodeId),
    /// a slot of a mechanism instance
    Instance(InstanceId, usize),
    /// POINTER `k` of a mechanism instance: reads and writes reach the
    /// double it refers to (an error while it is not set)
    Pointer(InstanceId, usize),
}

impl Model {
    /// Registers a mechanism type.
    ///
    /// # Safety
    /// The solver calls the spec's kernels with views of the model's arrays;
    /// each kernel must keep to the ABI contract (see [`crate::mechanism::abi`]):
    /// read and write only within the lengths the view states, only the arrays
    /// its hook may touch, and never unwind.
    pub unsafe fn register_mechanism(&mut self, mut spec: MechanismSpec) -> Result<MechTypeId> {
        if !spec.pointers.is_empty() {
            // targets may be in other groups: step on one thread
            spec.thread_safe = false;
        }
        if self.mechanism_type(&spec.name).is_some() {
            return Err(ModelError::DuplicateMechanism(spec.name));
        }
        if spec.ions.len() > super::solver::MAX_IONS {
            return Err(ModelError::WrongKind(format!(
                "{} (uses more than {} ions)",
                spec.name,
                super::solver::MAX_IONS
            )));
        }
        let mut ion_types = Vec::new();
        for dep in &spec.ions {
            ion_types.push(self.ion_type(&dep.ion, dep.valence)?);
        }
        let id = MechTypeId(self.mech_types.len() as u32);
        let defaults = spec.slot_defaults();
        let globals = spec.globals.iter().map(|g| g.1).collect();
        let slots = spec.slot_count();
        let has_extra = spec.has_extra();
        self.mech_types.push(MechType {
            spec,
            defaults,
            globals,
            ion_types,
        });
        for g in &mut self.groups {
            g.mechs.push(super::store::MechBlock::new(slots, has_extra));
        }
        self.loose
            .mechs
            .push(super::store::MechBlock::new(slots, has_extra));
        Ok(id)
    }

    /// The type registered under `name`.
    pub fn mechanism_type(&self, name: &str) -> Option<MechTypeId> {
        self.mech_types
            .iter()
            .position(|m| m.spec.name == name)
            .map(|i| MechTypeId(i as u32))
    }

    /// Replaces the code of a registered type with `new`'s (a reloaded
    /// `.mod` whose layout is unchanged): kernels, functions, WATCH
    /// conditions, BEFORE/AFTER blocks and thread safety; instances keep
    /// their values.
    ///
    /// # Safety
    /// As for [`Model::register_mechanism`], for the type's existing layout.
    pub unsafe fn replace_kernels(&mut self, t: MechTypeId, new: MechanismSpec) -> Result<()> {
        let m = self
            .mech_types
            .get_mut(t.0 as usize)
            .ok_or(ModelError::UnknownMechanism)?;
        m.spec.kernels = new.kernels;
        m.spec.functions = new.functions;
        m.spec.watches = new.watches;
        m.spec.before_after = new.before_after;
        m.spec.thread_safe = new.thread_safe;
        Ok(())
    }

    /// Number of registered types (ions included).
    pub fn mechanism_count(&self) -> usize {
        self.mech_types.len()
    }

    /// The `k`-th registered type.
    pub fn mechanism_type_at(&self, k: usize) -> MechTypeId {
        MechTypeId(k as u32)
    }

    /// The spec of a type.
    pub fn mechanism_spec(&self, t: MechTypeId) -> Result<&MechanismSpec> {
        self.mech_types
            .get(t.0 as usize)
            .map(|m| &m.spec)
            .ok_or(ModelError::UnknownMechanism)
    }

    /// The GLOBAL values of a type.
    pub fn globals(&self, t: MechTypeId) -> Result<&[f64]> {
        self.mech_types
            .get(t.0 as usize)
            .map(|m| m.globals.as_slice())
            .ok_or(ModelError::UnknownMechanism)
    }

    /// Sets GLOBAL `i` of a type.
    pub fn set_global(&mut self, t: MechTypeId, i: usize, x: f64) -> Result<()> {
        let m = self
            .mech_types
            .get_mut(t.0 as usize)
            .ok_or(ModelError::UnknownMechanism)?;
        let name = m.spec.name.clone();
        let g = m.globals.get_mut(i).ok_or(ModelError::UnknownField {
            mechanism: name,
            field: i.to_string(),
        })?;
        *g = x;
        Ok(())
    }

    fn kind_of(&self, t: MechTypeId) -> Result<MechanismKind> {
        Ok(self.mechanism_spec(t)?.kind)
    }

    pub(crate) fn instance_info(&self, i: InstanceId) -> Result<&InstanceInfo> {
        self.instances.get(i).ok_or(ModelError::DeletedInstance)
    }

    pub(crate) fn is_point_instance(&self, i: InstanceId) -> bool {
        self.instances
            .get(i)
            .map(|x| self.mech_types[x.mech.0 as usize].spec.kind.is_point())
            .unwrap_or(false)
    }

    /// All slots of an instance.
    pub(crate) fn instance_values(&self, i: InstanceId) -> Result<Vec<f64>> {
        let info = self.instance_info(i)?;
        let b = &self.block(info.loc.block).mechs[info.mech.0 as usize];
        Ok(b.values(info.loc.row as usize))
    }

    /// Creates an instance (in the loose block) on a node.
    pub(crate) fn new_instance(
        &mut self,
        mech: MechTypeId,
        node: NodeId,
        sec: Option<SectionId>,
        values: &[f64],
    ) -> InstanceId {
        let id = self.instances.insert(InstanceInfo {
            mech,
            node: Some(node),
            sec,
            loc: Loc {
                block: LOOSE,
                row: 0,
            },
        });
        let extra = self.new_extra(mech);
        let row = self.loose.mechs[mech.0 as usize].push(id, u32::MAX, values, extra);
        if let Some(i) = self.instances.get_mut(id) {
            i.loc.row = row;
        }
        if let Some(n) = self.nodes.get_mut(node) {
            n.props.push(Prop::Mech(id));
        }
        self.structure_changed = true;
        id
    }

    pub(crate) fn instance_on(&self, n: NodeId, t: MechTypeId) -> Result<Option<InstanceId>> {
        for p in &self.node_info(n)?.props {
            if let Prop::Mech(i) = *p {
                if self.instance_info(i)?.mech == t {
                    return Ok(Some(i));
                }
            }
        }
        Ok(None)
    }

    /// `insert name`: puts a density mechanism in every segment (no-op if the
    /// first segment already has it, as in NEURON).
    pub fn insert(&mut self, s: SectionId, t: MechTypeId) -> Result<()> {
        if !self.kind_of(t)?.is_density() {
            return Err(ModelError::WrongKind(self.mechanism_spec(t)?.name.clone()));
        }
        let nodes = self.sec(s)?.nodes.clone();
        if self.instance_on(nodes[0], t)?.is_some() {
            return Ok(());
        }
        let defaults = self.mech_types[t.0 as usize].defaults.clone();
        for &n in nodes[..nodes.len() - 1].iter().rev() {
            self.new_instance(t, n, None, &defaults);
            self.need_ions(t, n)?;
        }
        Ok(())
    }

    /// `uninsert name`: removes a density mechanism from every segment.
    pub fn uninsert(&mut self, s: SectionId, t: MechTypeId) -> Result<()> {
        if self.kind_of(t)? != MechanismKind::Density {
            return Err(ModelError::WrongKind(self.mechanism_spec(t)?.name.clone()));
        }
        let nodes = self.sec(s)?.nodes.clone();
        for n in nodes {
            if let Some(i) = self.instance_on(n, t)? {
                self.instances.remove(i);
                if let Some(info) = self.nodes.get_mut(n) {
                    info.props.retain(|&p| p != Prop::Mech(i));
                }
                self.structure_changed = true;
            }
        }
        Ok(())
    }

    /// `ismembrane`: whether the section's first segment has the mechanism.
    pub fn is_inserted(&self, s: SectionId, t: MechTypeId) -> Result<bool> {
        let n0 = self.sec(s)?.nodes[0];
        Ok(self.instance_on(n0, t)?.is_some())
    }

    /// Creates a point process at `x` of a section (x = 0 or 1 places it on the
    /// end nodes, as NEURON's `node_exact`).
    pub fn new_point_process(&mut self, t: MechTypeId, s: SectionId, x: f64) -> Result<InstanceId> {
        if !self.kind_of(t)?.is_point() {
            return Err(ModelError::WrongKind(self.mechanism_spec(t)?.name.clone()));
        }
        if !(0.0..=1.0).contains(&x) {
            return Err(ModelError::XOutOfRange);
        }
        let node = self.node_exact(s, x)?;
        let defaults = self.mech_types[t.0 as usize].defaults.clone();
        let i = self.new_instance(t, node, Some(s), &defaults);
        self.need_ions(t, node)?;
        Ok(i)
    }

    /// Creates a point process with no location (`new NetStim()`, or a point
    /// process whose section is gone): it keeps its values but takes no part
    /// in the cable equation.
    pub fn new_unlocated(&mut self, t: MechTypeId) -> Result<InstanceId> {
        if !self.kind_of(t)?.is_point() {
            return Err(ModelError::WrongKind(self.mechanism_spec(t)?.name.clone()));
        }
        let values = self.mech_types[t.0 as usize].defaults.clone();
        let id = self.instances.insert(InstanceInfo {
            mech: t,
            node: None,
            sec: None,
            loc: Loc {
                block: LOOSE,
                row: 0,
            },
        });
        let extra = self.new_extra(t);
        let row = self.loose.mechs[t.0 as usize].push(id, u32::MAX, &values, extra);
        if let Some(i) = self.instances.get_mut(id) {
            i.loc.row = row;
        }
        self.structure_changed = true;
        Ok(id)
    }

    /// The instance of density mechanism `t` in the segment at `x` of a
    /// section, if it is inserted there.
    pub fn density_instance(
        &mut self,
        s: SectionId,
        x: f64,
        t: MechTypeId,
    ) -> Result<Option<InstanceId>> {
        let n = self.segment_node(s, x)?;
        self.instance_on(n, t)
    }

    /// The mechanism type of an instance.
    pub fn instance_type(&self, i: InstanceId) -> Result<MechTypeId> {
        Ok(self.instance_info(i)?.mech)
    }

    /// `pp.loc(x)`: moves a point process.
    pub fn locate_point_process(&mut self, i: InstanceId, s: SectionId, x: f64) -> Result<()> {
        if !self.is_point_instance(i) {
            return Err(ModelError::DeletedInstance);
        }
        if !(0.0..=1.0).contains(&x) {
            return Err(ModelError::XOutOfRange);
        }
        let node = self.node_exact(s, x)?;
        self.move_point(i, s, node)
    }

    /// Moves a point process to a node: it becomes the newest entry of the
    /// node's property list (NEURON's `nrn_loc_point_process`).
    pub(crate) fn move_point(&mut self, i: InstanceId, s: SectionId, node: NodeId) -> Result<()> {
        let old = self.instance_info(i)?.node;
        if let Some(o) = old {
            if let Some(info) = self.nodes.get_mut(o) {
                info.props.retain(|&p| p != Prop::Mech(i));
            }
        }
        self.nodes
            .get_mut(node)
            .ok_or(ModelError::DeletedNode)?
            .props
            .push(Prop::Mech(i));
        let mech = self.instance_info(i)?.mech;
        if let Some(info) = self.instances.get_mut(i) {
            info.node = Some(node);
            info.sec = Some(s);
        }
        self.need_ions(mech, node)?;
        self.structure_changed = true;
        Ok(())
    }

    /// Where a point process is: its section and arc position.
    pub fn point_process_location(&self, i: InstanceId) -> Result<(SectionId, f64)> {
        let info = self.instance_info(i)?;
        match (info.sec, info.node) {
            (Some(s), Some(n)) => Ok((s, self.arc_position(s, n)?)),
            _ => Err(ModelError::NotLocated),
        }
    }

    /// Destroys a point process.
    pub fn delete_point_process(&mut self, i: InstanceId) -> Result<()> {
        let info = self
            .instances
            .remove(i)
            .ok_or(ModelError::DeletedInstance)?;
        if let Some(n) = info.node {
            if let Some(ni) = self.nodes.get_mut(n) {
                ni.props.retain(|&p| p != Prop::Mech(i));
            }
        }
        self.detach_point(i);
        self.structure_changed = true;
        Ok(())
    }

    /// Resolves a range variable at `x` of a section into a stable handle.
    /// `v` uses the exact node (ends included); the others the segment.
    pub fn var_ref(&mut self, s: SectionId, x: f64, var: RangeVar) -> Result<VarRef> {
        if !(0.0..=1.0).contains(&x) {
            return Err(ModelError::XOutOfRange);
        }
        Ok(match var {
            RangeVar::V => VarRef::V(self.node_exact(s, x)?),
            RangeVar::Diam => VarRef::Diam(self.segment_node(s, x)?),
            RangeVar::Cm => VarRef::Cm(self.segment_node(s, x)?),
            RangeVar::ICap => VarRef::ICap(self.segment_node(s, x)?),
            RangeVar::Mech { mech, slot } => {
                let spec = self.mechanism_spec(mech)?;
                if slot >= spec.slot_count() {
                    return Err(ModelError::UnknownField {
                        mechanism: spec.name.clone(),
                        field: slot.to_string(),
                    });
                }
                let n = self.segment_node(s, x)?;
                match self.instance_on(n, mech)? {
                    Some(i) => VarRef::Instance(i, slot),
                    None => {
                        return Err(ModelError::NotInserted {
                            mechanism: self.mechanism_spec(mech)?.name.clone(),
                            section: self.sec(s)?.name.clone(),
                        })
                    }
                }
            }
            RangeVar::Pointer { mech, pointer } => {
                let spec = self.mechanism_spec(mech)?;
                if pointer >= spec.pointers.len() {
                    return Err(ModelError::UnknownField {
                        mechanism: spec.name.clone(),
                        field: pointer.to_string(),
                    });
                }
                let n = self.segment_node(s, x)?;
                match self.instance_on(n, mech)? {
                    Some(i) => VarRef::Pointer(i, pointer),
                    None => {
                        return Err(ModelError::NotInserted {
                            mechanism: self.mechanism_spec(mech)?.name.clone(),
                            section: self.sec(s)?.name.clone(),
                        })
                    }
                }
            }
        })
    }

    /// A handle to a slot of a point process.
    pub fn point_var_ref(&self, i: InstanceId, slot: usize) -> Result<VarRef> {
        let info = self.instance_info(i)?;
        let spec = &self.mech_types[info.mech.0 as usize].spec;
        if slot >= spec.slot_count() {
            return Err(ModelError::UnknownField {
                mechanism: spec.name.clone(),
                field: slot.to_string(),
            });
        }
        Ok(VarRef::Instance(i, slot))
    }

    /// Reads through a handle. `Diam` of a section whose geometry is stale is
    /// recomputed first, hence `&mut self`.
    pub fn get(&mut self, r: VarRef) -> Result<f64> {
        match r {
            VarRef::V(n) => self.node_get(n, NodeField::V),
            VarRef::Diam(n) => {
                let s = self.node_info(n)?.sec;
                if self.sec(s)?.recalc_area {
                    self.area_ri(s)?;
                }
                self.node_get(n, NodeField::Diam)
            }
            VarRef::Cm(n) => self.node_get(n, NodeField::Cm),
            VarRef::ICap(n) => self.node_get(n, NodeField::ICap),
            VarRef::Instance(i, slot) => {
                let info = self.instance_info(i)?;
                Ok(self.block(info.loc.block).mechs[info.mech.0 as usize]
                    .get(info.loc.row as usize, slot))
            }
            VarRef::Pointer(i, k) => match self.set_target(i, k)? {
                PointerTarget::Var(r) => self.get(r),
                PointerTarget::Global(t, index) => Ok(self.globals(t)?[index]),
                PointerTarget::External(p) => Ok(p.get()),
            },
        }
    }

    /// Writes through a handle (with the side effects of assigning diam).
    pub fn set(&mut self, r: VarRef, x: f64) -> Result<()> {
        match r {
            VarRef::V(n) => self.node_set(n, NodeField::V, x),
            VarRef::Diam(n) => {
                let s = self.node_info(n)?.sec;
                if self.pt3dconst {
                    return Ok(());
                }
                self.diam_changed = true;
                self.node_set(n, NodeField::Diam, x)?;
                self.sec_mut(s)?.recalc_area = true;
                self.diam_change(s)
            }
            VarRef::Cm(n) => self.node_set(n, NodeField::Cm, x),
            VarRef::ICap(n) => self.node_set(n, NodeField::ICap, x),
            VarRef::Instance(i, slot) => {
                let info = self.instance_info(i)?;
                let (b, t, row) = (info.loc.block, info.mech.0 as usize, info.loc.row);
                self.block_mut(b).mechs[t].set(row as usize, slot, x);
                Ok(())
            }
            VarRef::Pointer(i, k) => match self.set_target(i, k)? {
                PointerTarget::Var(r) => self.set(r, x),
                PointerTarget::Global(t, index) => self.set_global(t, index, x),
                PointerTarget::External(p) => {
                    p.set(x);
                    Ok(())
                }
            },
        }
    }

    /// Sets a density mechanism slot in every segment of a section
    /// (`g_pas = 0.002` inside a section).
    pub fn set_mech_all(&mut self, s: SectionId, t: MechTypeId, slot: usize, x: f64) -> Result<()> {
        let nodes = self.sec(s)?.nodes.clone();
        for &n in &nodes[..nodes.len() - 1] {
            let sec_name = || self.sec(s).map(|x| x.name.clone()).unwrap_or_default();
            let i = self
                .instance_on(n, t)?
                .ok_or_else(|| ModelError::NotInserted {
                    mechanism: self.mech_types[t.0 as usize].spec.name.clone(),
                    section: sec_name(),
                })?;
            self.set(VarRef::Instance(i, slot), x)?;
        }
        Ok(())
    }
}
