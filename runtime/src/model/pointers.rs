//! NMODL `POINTER` variables: per instance, a reference to a double owned by
//! someone else (a node's v, another mechanism's field, a HOC variable), set
//! with HOC's `setpointer`.
//!
//! An instance keeps its targets as stable handles ([`PointerTarget`], in
//! its [`InstanceExtra`](super::store::InstanceExtra), so they move with it
//! when the groups are rebuilt). Kernels need raw addresses: before
//! `finitialize`, each `fadvance`, `fcurrent` and each FUNCTION call from
//! HOC (after the structure is brought up to date, the only time storage
//! moves), [`Model::resolve_pointers`] turns the handles of every type with
//! POINTERs into each block's table (`pointers[k * stride + row]`, the
//! view's `pointers`). An instance that runs (in a cell group, or an
//! artificial cell) whose POINTER is unset stops the run with an error
//! naming the mechanism and the variable, where NEURON would dereference
//! null.

use super::store::LOOSE;
use super::{InstanceId, MechTypeId, Model, ModelError, NodeField, Result, VarRef};
use crate::mechanism::MechanismKind;

/// What a POINTER refers to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PointerTarget {
    /// a model variable (never a [`VarRef::Pointer`]: `setpointer` to a
    /// POINTER takes that POINTER's target)
    Var(VarRef),
    /// GLOBAL `index` of a mechanism type
    Global(MechTypeId, usize),
    /// a double outside the model (a HOC variable)
    External(ExternalDouble),
}

/// The address of a double owned outside the model, which its owner keeps
/// alive and in place while the model may use it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExternalDouble(*mut f64);

// SAFETY: the double is only read and written by the model's kernels and
// accessors; types with POINTERs are stepped on one thread (see
// `Model::register_mechanism`), so there is no concurrent access.
unsafe impl Send for ExternalDouble {}
unsafe impl Sync for ExternalDouble {}

impl ExternalDouble {
    /// Wraps an address.
    ///
    /// # Safety
    /// `p` must stay valid for reads and writes, and not move, for as long
    /// as any POINTER of the model refers to it (the caller keeps its owner
    /// alive, e.g. a HOC variable's `Rc<Cell<f64>>`).
    pub unsafe fn new(p: *mut f64) -> Self {
        ExternalDouble(p)
    }

    pub(crate) fn get(self) -> f64 {
        // SAFETY: valid by the contract of `new`
        unsafe { *self.0 }
    }

    pub(crate) fn set(self, x: f64) {
        // SAFETY: valid by the contract of `new`
        unsafe { *self.0 = x }
    }
}

/// A block's resolved POINTER addresses for one type (see the module
/// header); null entries for unset POINTERs of instances that do not run.
#[derive(Clone, Debug, Default)]
pub(crate) struct PointerTable(pub Vec<*mut f64>);

// SAFETY: the addresses are dereferenced only by kernels of types with
// POINTERs, which run on one thread (see `Model::register_mechanism`), and
// the table is rebuilt whenever the storage it points into may have moved.
unsafe impl Send for PointerTable {}
unsafe impl Sync for PointerTable {}

impl PointerTable {
    /// The table for a view: null when empty.
    pub(crate) fn as_view(&self) -> *const *mut f64 {
        if self.0.is_empty() {
            std::ptr::null()
        } else {
            self.0.as_ptr()
        }
    }
}

impl Model {
    /// `setpointer`: POINTER `k` of instance `i` refers to `target` from
    /// now on. A target that is itself a POINTER means that POINTER's
    /// present target.
    pub fn set_pointer(&mut self, i: InstanceId, k: usize, target: PointerTarget) -> Result<()> {
        let info = self.instance_info(i)?;
        let (loc, mech) = (info.loc, info.mech.0 as usize);
        let spec = &self.mech_types[mech].spec;
        if k >= spec.pointers.len() {
            return Err(ModelError::UnknownField {
                mechanism: spec.name.clone(),
                field: k.to_string(),
            });
        }
        let target = match target {
            PointerTarget::Var(VarRef::Pointer(j, m)) => self.set_target(j, m)?,
            PointerTarget::Var(r) => {
                // fails now for a deleted node or instance
                self.get(r)?;
                PointerTarget::Var(r)
            }
            PointerTarget::Global(t, index) => {
                if self.globals(t)?.len() <= index {
                    return Err(ModelError::UnknownField {
                        mechanism: self.mechanism_spec(t)?.name.clone(),
                        field: index.to_string(),
                    });
                }
                PointerTarget::Global(t, index)
            }
            t => t,
        };
        let extra = self.block_mut(loc.block).mechs[mech]
            .extras
            .get_mut(loc.row as usize)
            .ok_or(ModelError::DeletedInstance)?;
        if extra.pointers.len() <= k {
            extra.pointers.resize(k + 1, None);
        }
        extra.pointers[k] = Some(target);
        Ok(())
    }

    /// What POINTER `k` of instance `i` refers to (`None` while unset).
    pub fn pointer_target(&self, i: InstanceId, k: usize) -> Result<Option<PointerTarget>> {
        let info = self.instance_info(i)?;
        let mb = &self.block(info.loc.block).mechs[info.mech.0 as usize];
        Ok(mb
            .extras
            .get(info.loc.row as usize)
            .and_then(|e| e.pointers.get(k).copied().flatten()))
    }

    /// The target of a POINTER that must be set.
    pub(crate) fn set_target(&self, i: InstanceId, k: usize) -> Result<PointerTarget> {
        self.pointer_target(i, k)?
            .ok_or_else(|| self.pointer_not_set(i, k))
    }

    /// The error for an unset POINTER, with the instance's location.
    fn pointer_not_set(&self, i: InstanceId, k: usize) -> ModelError {
        let Ok(info) = self.instance_info(i) else {
            return ModelError::DeletedInstance;
        };
        let spec = &self.mech_types[info.mech.0 as usize].spec;
        let location = info
            .node
            .and_then(|n| self.node_location(n).ok())
            .and_then(|(s, x)| Some(format!(" at {}({x})", self.sec(s).ok()?.name)))
            .unwrap_or_default();
        ModelError::PointerNotSet {
            mechanism: spec.name.clone(),
            pointer: spec.pointers.get(k).cloned().unwrap_or_default(),
            location,
        }
    }

    /// The present address of a target.
    fn target_address(&mut self, t: PointerTarget) -> Result<*mut f64> {
        let node = |m: &mut Model, n, f: NodeField| -> Result<*mut f64> {
            let loc = m.node_info(n)?.loc;
            let col = f.slice_mut(&mut m.block_mut(loc.block).nodes);
            Ok(col[loc.row as usize..].as_mut_ptr())
        };
        match t {
            PointerTarget::External(p) => Ok(p.0),
            PointerTarget::Global(t, index) => {
                let g = &mut self.mech_types[t.0 as usize].globals;
                Ok(g[index..].as_mut_ptr())
            }
            PointerTarget::Var(r) => match r {
                VarRef::V(n) => node(self, n, NodeField::V),
                VarRef::Diam(n) => node(self, n, NodeField::Diam),
                VarRef::Cm(n) => node(self, n, NodeField::Cm),
                VarRef::ICap(n) => node(self, n, NodeField::ICap),
                VarRef::Instance(i, slot) => {
                    let info = self.instance_info(i)?;
                    let (loc, t) = (info.loc, info.mech.0 as usize);
                    let mb = &mut self.block_mut(loc.block).mechs[t];
                    let at = slot * mb.stride + loc.row as usize;
                    Ok(mb.data[at..].as_mut_ptr())
                }
                VarRef::Pointer(i, k) => {
                    let t = self.set_target(i, k)?;
                    self.target_address(t)
                }
            },
        }
    }

    /// Rebuilds every block's POINTER tables from the instances' targets
    /// (see the module header); an error for an instance in a cell group
    /// whose POINTER is unset. Cheap when no type has POINTERs.
    pub(crate) fn resolve_pointers(&mut self) -> Result<()> {
        for t in 0..self.mech_types.len() {
            let np = self.mech_types[t].spec.pointers.len();
            if np == 0 {
                continue;
            }
            // unlocated artificial cells run too (INITIAL, NET_RECEIVE)
            let artificial = self.mech_types[t].spec.kind == MechanismKind::Artificial;
            let blocks: Vec<u32> = (0..self.groups.len() as u32).chain([LOOSE]).collect();
            for b in blocks {
                let (count, stride) = {
                    let mb = &self.block(b).mechs[t];
                    (mb.count, mb.stride)
                };
                let mut table = vec![std::ptr::null_mut(); np * stride];
                for row in 0..count {
                    let id = self.block(b).mechs[t].ids[row];
                    if self.instance_info(id).is_err() {
                        continue;
                    }
                    for (k, entry) in table.iter_mut().skip(row).step_by(stride).enumerate() {
                        match self.pointer_target(id, k)? {
                            Some(target) => *entry = self.target_address(target)?,
                            None if b != LOOSE || artificial => {
                                return Err(self.pointer_not_set(id, k))
                            }
                            None => {}
                        }
                    }
                }
                self.block_mut(b).mechs[t].pointers = PointerTable(table);
            }
        }
        Ok(())
    }

    /// An error unless every POINTER of instance `i` is set (before a
    /// kernel runs on it alone: NET_RECEIVE, a FUNCTION).
    pub(crate) fn check_pointers(&self, i: InstanceId) -> Result<()> {
        let mech = self.instance_info(i)?.mech;
        for k in 0..self.mech_types[mech.0 as usize].spec.pointers.len() {
            self.set_target(i, k)?;
        }
        Ok(())
    }
}
