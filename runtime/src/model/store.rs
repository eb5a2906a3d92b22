//! Where the numbers live: structure-of-arrays blocks of node values and of
//! mechanism instance data. Each cell group owns one block (its nodes in Hines
//! order, its instances sorted by node); nodes and instances created since the
//! last rebuild wait in a loose block. Handles find their row through
//! [`Loc`], which a rebuild updates, so handles survive reordering.

use super::ids::{InstanceId, NodeId};
use crate::random123::Random123Stream;

/// Which block and row a node or instance is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Loc {
    /// group index, or [`LOOSE`]
    pub block: u32,
    /// row within the block
    pub row: u32,
}

/// Block index of the loose block.
pub(crate) const LOOSE: u32 = u32::MAX;

/// NEURON's defaults for a new node: v = -65 mV, area = 100.
pub(crate) const DEFAULT_V: f64 = -65.0;
pub(crate) const DEFAULT_AREA: f64 = 100.0;

/// Per-node values, SoA.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeBlock {
    /// membrane potential [mV]
    pub v: Vec<f64>,
    /// membrane area [µm²] (100 for zero-area nodes)
    pub area: Vec<f64>,
    /// conductance to the parent node [µS]
    pub rinv: Vec<f64>,
    /// effect of this node on the parent's equation
    pub a: Vec<f64>,
    /// effect of the parent on this node's equation
    pub b: Vec<f64>,
    /// matrix diagonal
    pub d: Vec<f64>,
    /// right-hand side; Δv after the solve
    pub rhs: Vec<f64>,
    /// segment diameter [µm] (MORPHOLOGY)
    pub diam: Vec<f64>,
    /// specific capacitance [µF/cm²] (the capacitance mechanism)
    pub cm: Vec<f64>,
    /// capacitive current [mA/cm²]
    pub i_cap: Vec<f64>,
    /// owner of each row (a dead id for rows of deleted nodes)
    pub ids: Vec<NodeId>,
}

/// The values of one node that persist (moved on rebuild, copied on clone).
#[derive(Clone, Copy, Debug)]
pub(crate) struct NodeValues {
    pub v: f64,
    pub area: f64,
    pub rinv: f64,
    pub a: f64,
    pub b: f64,
    pub diam: f64,
    pub cm: f64,
    pub i_cap: f64,
}

impl NodeValues {
    /// A fresh node as NEURON allocates it (diam 500 µm, cm 1 µF/cm²).
    pub(crate) fn fresh() -> Self {
        Self {
            v: DEFAULT_V,
            area: DEFAULT_AREA,
            rinv: 0.0,
            a: 0.0,
            b: 0.0,
            diam: 500.0,
            cm: 1.0,
            i_cap: 0.0,
        }
    }
}

impl NodeBlock {
    pub(crate) fn len(&self) -> usize {
        self.v.len()
    }

    pub(crate) fn push(&mut self, id: NodeId, x: NodeValues) -> u32 {
        let row = self.v.len() as u32;
        self.v.push(x.v);
        self.area.push(x.area);
        self.rinv.push(x.rinv);
        self.a.push(x.a);
        self.b.push(x.b);
        self.d.push(0.0);
        self.rhs.push(0.0);
        self.diam.push(x.diam);
        self.cm.push(x.cm);
        self.i_cap.push(x.i_cap);
        self.ids.push(id);
        row
    }

    pub(crate) fn values(&self, row: usize) -> NodeValues {
        NodeValues {
            v: self.v[row],
            area: self.area[row],
            rinv: self.rinv[row],
            a: self.a[row],
            b: self.b[row],
            diam: self.diam[row],
            cm: self.cm[row],
            i_cap: self.i_cap[row],
        }
    }
}

/// Instance data of one mechanism type in one block: field `k` of instance `i`
/// at `data[k * stride + i]`, as the ABI's [`MechanismView`](crate::mechanism::MechanismView) wants.
#[derive(Clone, Debug, Default)]
pub(crate) struct MechBlock {
    pub data: Vec<f64>,
    pub stride: usize,
    pub count: usize,
    pub slots: usize,
    /// row of each instance's node in the block's node arrays
    pub node_row: Vec<u32>,
    /// owner of each row (dead ids for deleted instances)
    pub ids: Vec<InstanceId>,
    /// for each ion the type uses, the row of the ion instance on each
    /// instance's node (set by the group rebuild)
    pub ion_rows: Vec<Vec<u32>>,
    /// whether the type keeps an [`InstanceExtra`] per instance
    pub has_extra: bool,
    /// per row, when `has_extra` (else empty)
    pub extras: Vec<InstanceExtra>,
    /// the resolved POINTER targets, `pointers[k * stride + row]` (empty
    /// for a type without POINTERs; rebuilt by `resolve_pointers`)
    pub pointers: super::pointers::PointerTable,
}

/// What the runtime keeps for an instance beside its numbers, for the
/// kernels' host services (only for types that need it).
#[derive(Clone, Debug, Default)]
pub(crate) struct InstanceExtra {
    /// one Random123 stream per `RANDOM` variable of the type
    pub streams: Vec<Random123Stream>,
    /// the numbers the vector services read (VecStim's event times)
    pub vector: Vec<f64>,
    /// what each POINTER variable refers to (`None` until `setpointer`;
    /// shorter than the type's list when the last ones were never set)
    pub pointers: Vec<Option<super::pointers::PointerTarget>>,
}

impl MechBlock {
    pub(crate) fn new(slots: usize, has_extra: bool) -> Self {
        Self {
            slots,
            has_extra,
            ..Self::default()
        }
    }

    /// Appends an instance with the given slot values and extra (dropped
    /// when the type keeps none); returns its row.
    pub(crate) fn push(
        &mut self,
        id: InstanceId,
        node_row: u32,
        values: &[f64],
        extra: InstanceExtra,
    ) -> u32 {
        if self.has_extra {
            self.extras.push(extra);
        }
        if self.count == self.stride {
            let new_stride = (self.stride * 2).max(4);
            let mut data = vec![0.0; new_stride * self.slots];
            for k in 0..self.slots {
                data[k * new_stride..k * new_stride + self.count]
                    .copy_from_slice(&self.data[k * self.stride..k * self.stride + self.count]);
            }
            self.data = data;
            self.stride = new_stride;
        }
        let row = self.count;
        for (k, &x) in values.iter().enumerate().take(self.slots) {
            self.data[k * self.stride + row] = x;
        }
        self.count += 1;
        self.node_row.push(node_row);
        self.ids.push(id);
        row as u32
    }

    pub(crate) fn get(&self, row: usize, slot: usize) -> f64 {
        self.data[slot * self.stride + row]
    }

    pub(crate) fn set(&mut self, row: usize, slot: usize, x: f64) {
        self.data[slot * self.stride + row] = x;
    }

    pub(crate) fn values(&self, row: usize) -> Vec<f64> {
        (0..self.slots).map(|k| self.get(row, k)).collect()
    }

    /// A copy of a row's extra (empty when the type keeps none).
    pub(crate) fn extra(&self, row: usize) -> InstanceExtra {
        self.extras.get(row).cloned().unwrap_or_default()
    }
}

/// A block: node arrays plus one [`MechBlock`] per mechanism type. A cell
/// group's block also has the tree (parents) and the solver's per-group state.
#[derive(Clone, Debug, Default)]
pub(crate) struct CellGroup {
    pub nodes: NodeBlock,
    pub mechs: Vec<MechBlock>,
    /// parent row of each node; roots (rows `0..ncell`) have `u32::MAX`
    pub parent: Vec<u32>,
    /// number of cells (root nodes come first)
    pub ncell: usize,
    /// the tree solve's order of work (see [`super::hines::SolvePlan`])
    pub plan: super::hines::SolvePlan,
    /// the solve's scratch: per chain, what its head subtracts from its
    /// parent's d and rhs
    pub deferred: Vec<[f64; 2]>,
    /// per row, 1.0 where the node has membrane (capacitance), else 0.0
    pub cap: Vec<f64>,
    /// this group's time [ms] (NEURON's `NrnThread::_t`)
    pub t: f64,
    /// this group's time step [ms]
    pub dt: f64,
    /// 1/dt, or 2/dt for `secondorder` [1/ms]
    pub cj: f64,
    /// false when the last v update produced a NaN or infinite v (the
    /// step's end then finds and reports it)
    pub finite: bool,
    /// events posted by this group's kernels (INITIAL's `net_send`)
    pub outbox: super::events::HostOutbox,
}
