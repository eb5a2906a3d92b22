//! The cell model: sections, segments (nodes), 3-D points and the cell tree,
//! with NEURON's geometry (area, axial resistance) and its fixed-step cable
//! solver. Pure Rust; the HOC binding (`create`, `connect`, `access`, `L`,
//! `diam`, `v(x)`, `finitialize`, `fadvance`...) lives in the stdlib and calls
//! the methods of [`Model`].
//!
//! NEURON keeps lazily-updated derived state behind three flags
//! (`tree_changed`, `v_structure_change`, `diam_changed`) and a per-section
//! `recalc_area_`; [`Model`] does the same, and updates what is stale before a
//! query or a step, so results (and their floating-point rounding) follow
//! NEURON's order of operations.
//!
//! | module | what |
//! |---|---|
//! | [`ids`] | generation-checked handles ([`SectionId`], [`NodeId`], [`InstanceId`]) |
//! | `store` | SoA node and mechanism blocks, one per cell group |
//! | `section` | creating, deleting, naming sections; `L`, `Ra`, `nseg`, range values |
//! | `nseg` | keeping segment values when `nseg` changes |
//! | `connect` | `connect`, `disconnect`, the sibling order |
//! | `topology` | parent nodes, section order, `topology()`, `psection()` |
//! | `pt3d` | 3-D points and how they tie to `L` and `diam` |
//! | `shape` | `define_shape` |
//! | `geometry` | `area`, `ri`, the matrix coefficients |
//! | `mechanisms` | mechanism types, insertion, point processes, variable handles |
//! | `savestate` | SaveState: snapshots of states and events |
//! | `random` | the instances' Random123 streams (NMODL `RANDOM`) |
//! | `groups` | cell groups in Hines order |
//! | `solver` | `finitialize`, `fadvance`, `fcurrent` |

// units are written in brackets (`[mV]`), which rustdoc would take for links
#![allow(rustdoc::broken_intra_doc_links)]

mod connect;
pub mod events;
mod functable;
mod geometry;
mod groups;
mod hines;
pub mod ids;
mod ions;
mod mechanisms;
mod nseg;
mod pointers;
mod pt3d;
mod random;
mod savestate;
mod section;
mod shape;
mod solver;
mod store;
mod topology;

#[cfg(test)]
mod tests;

pub use connect::PreviousParent;
pub use events::{
    ContinuousHooks, EventId, ExternalEvent, Gid, GidSpike, NetConSource, NoHooks, Spike,
};
pub use functable::{FunctionTable, TableAxis};
pub use ids::{InstanceId, NetConId, NodeId, PreSynId, SectionId};
pub use mechanisms::{MechTypeId, RangeVar, VarRef};
pub use pointers::{ExternalDouble, PointerTarget};
pub use pt3d::Pt3d;
pub use savestate::SavedState;
pub use topology::{MechanismInfo, PsectionInfo};

use crate::mechanism::MechanismSpec;
use ids::Slab;
use store::{CellGroup, Loc};

/// Everything that can go wrong in the model and the solver.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// A [`SectionId`] of a deleted section.
    #[error("Accessing a deleted section")]
    DeletedSection,
    /// The thread pool could not be made.
    #[error("cannot start the solver's threads: {0}")]
    Threads(String),
    /// A [`NodeId`] of a node that no longer exists (its section was deleted or
    /// its `nseg` changed).
    #[error("the segment no longer exists (its section was deleted or its nseg changed)")]
    DeletedNode,
    /// An [`InstanceId`] of a mechanism instance that no longer exists.
    #[error("the mechanism instance no longer exists")]
    DeletedInstance,
    /// An arc position outside [0, 1].
    #[error("range variable domain is 0<=x<=1")]
    XOutOfRange,
    /// `nseg` < 1.
    #[error("nseg must be positive")]
    BadNseg,
    /// `connect` with a child end other than 0 or 1.
    #[error("{section} must connect at position 0 or 1")]
    BadChildEnd {
        /// the child section
        section: String,
    },
    /// `connect` with a parent position outside [0, 1].
    #[error("{section} must connect from 0<=x<=1 of parent")]
    BadParentX {
        /// the child section
        section: String,
    },
    /// The tree has a loop (found when the topology is set up, as NEURON's
    /// `section_order` finds it); `cycle` lists the sections from `section`
    /// back to it.
    #[error("A loop exists involving section {section}")]
    LoopExists {
        /// the first section (in section-list order) on the loop
        section: String,
        /// the loop: `section`, its parent, ..., `section`
        cycle: Vec<String>,
    },
    /// `connect` would close a loop; the section has been disconnected.
    #[error("{section} connection will form loop")]
    Loop {
        /// the child section
        section: String,
    },
    /// A segment of a section without 3-D points had diam <= 0 when its area was
    /// computed; diam was set to 1e-6 µm (NEURON does the same, then errors).
    #[error("{section} diameter diam = 0. Setting to 1e-6")]
    ZeroDiameter {
        /// the section
        section: String,
    },
    /// A 3-D point index out of range.
    #[error("3-D point index {index} out of range (n3d = {n3d})")]
    Pt3dIndex {
        /// the index given
        index: i64,
        /// number of points
        n3d: usize,
    },
    /// A mechanism of that name is already registered.
    #[error("mechanism {0} is already registered")]
    DuplicateMechanism(String),
    /// A mechanism type id that is not registered.
    #[error("no such mechanism type")]
    UnknownMechanism,
    /// A mechanism field that does not exist.
    #[error("{mechanism} has no field {field}")]
    UnknownField {
        /// mechanism name
        mechanism: String,
        /// field name or slot
        field: String,
    },
    /// A density mechanism used where a point process is needed, or the reverse.
    #[error("{0} is not the right kind of mechanism for this use")]
    WrongKind(String),
    /// Reading a density mechanism's variable where it is not inserted.
    #[error("{mechanism} mechanism not inserted in section {section}")]
    NotInserted {
        /// mechanism name
        mechanism: String,
        /// section name
        section: String,
    },
    /// A point process that has no location (its section was deleted).
    #[error("point process not located in a section")]
    NotLocated,
    /// v became NaN or infinite during a step.
    #[error("v is {value} at t={t} ms in {section}({x})")]
    NonFinite {
        /// time at the end of the step [ms]
        t: f64,
        /// section name
        section: String,
        /// arc position of the node
        x: f64,
        /// the offending value [mV]
        value: f64,
    },
    /// A `VALENCE` that contradicts the ion's.
    #[error("{ion} ion valence defined differently ({have} and {want})")]
    IonValence {
        /// the ion
        ion: String,
        /// its valence
        have: f64,
        /// the one asked for
        want: f64,
    },
    /// A NetCon that was deleted.
    #[error("the NetCon no longer exists")]
    DeletedNetCon,
    /// A NetCon target without NET_RECEIVE.
    #[error("No NET_RECEIVE in target PointProcess: {0}")]
    NoNetReceive(String),
    /// Source-related use of a NetCon without a source.
    #[error("NetCon source is missing")]
    NoSource,
    /// Target-related use of a NetCon without a target.
    #[error("NetCon target is missing")]
    NoTarget,
    /// `cell(gid, nc)` for a gid `set_gid2node` did not give this rank.
    #[error("gid={0} has not been set on this rank")]
    GidNotHere(i64),
    /// `set_gid2node` of a gid this rank has already.
    #[error("gid={0} already exists on this process as an output port")]
    GidInUse(i64),
    /// `set_gid2node` of a gid this rank already receives (`gid_connect`).
    #[error("gid={0} already exists as an input port. Setup all the output ports on this process before using them as input ports.")]
    GidInputPort(i64),
    /// `cell(gid, nc)` for a gid this rank receives (`gid_connect`).
    #[error(
        "gid={0} is in the input list. Must register with pc.set_gid2node prior to connecting"
    )]
    GidInInputList(i64),
    /// `cell(gid, nc)` with a NetCon whose source is another gid's.
    #[error("Can't associate gid {gid}. PreSyn already associated with gid {other}.")]
    GidOtherSource {
        /// the gid asked for
        gid: i64,
        /// the source's gid
        other: i64,
    },
    /// A gid with no spike source on this rank.
    #[error("gid {0} not associated with spike generation location")]
    GidNoSource(i64),
    /// `gid_connect` to a gid of this rank that `cell` has not given a
    /// source yet.
    #[error("gid {0} owned by this rank but no associated cell")]
    GidNoCell(i64),
    /// The spike exchange's min-delay is below dt (NEURON's wording).
    #[error("usable mindelay is 0 (or less than dt for fixed step method): {0} ms")]
    MinDelayTooSmall(f64),
    /// `nc.event(t, flag)` to a target that is not an ARTIFICIAL_CELL.
    #[error("Can only send fake self-events to ARTIFICIAL_CELLs")]
    SelfEventToNonArtificial,
    /// `net_move` with no pending flag-1 self event.
    #[error("No event with flag=1 for net_move in {0}")]
    NoMovableEvent(String),
    /// An event delivered to a point process with no location.
    #[error("{0} receives an event but is not located in a section")]
    UnlocatedTarget(String),
    /// An event at a time before the present (`net_send`, `net_event`).
    #[error("{what} time {t} is before t = {now}")]
    EventInPast {
        /// which service
        what: &'static str,
        /// the time asked for [ms]
        t: f64,
        /// the present [ms]
        now: f64,
    },
    /// A random service or method on a mechanism without that `RANDOM`
    /// variable.
    #[error("{0} has no such RANDOM variable")]
    NoRandom(String),
    /// A FUNCTION_TABLE given values that do not fit it, or one that does
    /// not exist.
    #[error("{0}")]
    BadFunctionTable(String),
    /// A kernel would look up a FUNCTION_TABLE HOC never gave.
    #[error("table not specified in hoc_func_table: FUNCTION_TABLE {table} of {mechanism} has no values (give them with table_{table}_{mechanism})")]
    FunctionTableNotGiven {
        /// mechanism name
        mechanism: String,
        /// the FUNCTION_TABLE's name
        table: String,
    },
    /// A WATCH armed with a condition its type does not have (the kernels
    /// and the spec disagree).
    #[error("{0} has no such WATCH condition")]
    NoWatch(String),
    /// `SaveState.restore` into a model whose structure changed.
    #[error("SaveState: the model's sections, mechanisms or point processes changed since save")]
    SaveStateMismatch,
    /// A vector for an instance whose type has none.
    #[error("{0} instances hold no vector")]
    NoVector(String),
    /// `dt` must be positive and finite.
    #[error("dt must be positive, got {0}")]
    BadDt(f64),
    /// A kernel would run (or HOC reads `pp.name`) with a POINTER that
    /// `setpointer` never set (NEURON dereferences null and crashes).
    #[error("{mechanism}{location}: POINTER {pointer} not set (use setpointer)")]
    PointerNotSet {
        /// mechanism name
        mechanism: String,
        /// the POINTER's name
        pointer: String,
        /// ` at sec(x)`, or empty
        location: String,
    },
}

/// Result with [`ModelError`].
pub type Result<T> = std::result::Result<T, ModelError>;

/// A node's structural information (its values live in a block).
#[derive(Clone, Debug)]
pub(crate) struct NodeInfo {
    /// the section it belongs to (for a root node: the root section)
    pub sec: SectionId,
    /// its index in the section's node list (NEURON's `sec_node_index_`)
    pub index: usize,
    /// where its values are
    pub loc: Loc,
    /// NEURON's property list of the node, oldest first
    pub props: Vec<Prop>,
}

/// One entry of a node's property list (NEURON's `Prop` chain): the order is
/// what `psection` prints and what a cloned node reverses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prop {
    /// `morphology` (diam)
    Morphology,
    /// `capacitance` (cm)
    Capacitance,
    /// a density mechanism or point process
    Mech(InstanceId),
}

/// A mechanism instance's structural information.
#[derive(Clone, Debug)]
pub(crate) struct InstanceInfo {
    pub mech: MechTypeId,
    /// its node (`None` for an unlocated point process)
    pub node: Option<NodeId>,
    /// for point processes, the section it was located in
    pub sec: Option<SectionId>,
    /// where its data are
    pub loc: Loc,
}

/// A registered mechanism type.
#[derive(Clone, Debug)]
pub(crate) struct MechType {
    pub spec: MechanismSpec,
    pub defaults: Vec<f64>,
    pub globals: Vec<f64>,
    /// the ion types of `spec.ions`, in order
    pub ion_types: Vec<MechTypeId>,
}

/// The cell model and its solver state: sections, nodes, mechanism instances,
/// the cell groups the solver steps, and the global `t`, `dt`, `celsius`,
/// `secondorder`.
#[derive(Debug)]
pub struct Model {
    sections: Slab<SectionId, section::Section>,
    /// NEURON's `section_list`: creation order (topology and forall order)
    section_list: Vec<SectionId>,
    /// how many ids in `section_list` are of deleted sections
    section_list_dead: usize,
    nodes: Slab<NodeId, NodeInfo>,
    instances: Slab<InstanceId, InstanceInfo>,
    mech_types: Vec<MechType>,
    /// the cell groups (blocks `0..n`)
    groups: Vec<CellGroup>,
    /// nodes and instances not yet placed in a group
    loose: CellGroup,
    /// sections in solver order (cell by cell, breadth first)
    secorder: Vec<SectionId>,
    /// how many groups the cells are split into
    group_count: usize,
    /// The threads groups are stepped on (`None`: this thread only).
    pub(crate) pool: Option<rayon::ThreadPool>,
    tree_changed: bool,
    structure_changed: bool,
    /// counts the cell group rebuilds (caches of group rows compare it)
    groups_gen: u64,
    diam_changed: bool,
    /// counts shape changes (NEURON's `nrn_shape_changed_`)
    shape_changed: u64,
    /// value of `shape_changed` when define_shape last ran
    shape_defined_at: Option<u64>,
    /// NEURON's `pt3dconst`: when set, assigning L or diam leaves 3-D points alone
    pt3dconst: bool,
    /// area added per spine [µm²] (NEURON's `setSpineArea`)
    spine_area: f64,
    /// time [ms]
    t: f64,
    /// time step [ms]
    dt: f64,
    /// temperature [°C]
    celsius: f64,
    /// 0, 1 or 2 (see [`crate::mechanism::MechanismView::secondorder`])
    secondorder: i32,
    /// NetCons, spike sources and the event queue
    events: events::Events,
    /// the global index and id counter of the instances' random streams
    random: random::RandomState,
}

impl Default for Model {
    fn default() -> Self {
        Self::new()
    }
}

impl Model {
    /// An empty model with NEURON's defaults: dt = 0.025 ms, celsius = 6.3 °C,
    /// secondorder = 0, one cell group.
    pub fn new() -> Self {
        Self {
            sections: Slab::default(),
            section_list: Vec::new(),
            section_list_dead: 0,
            nodes: Slab::default(),
            instances: Slab::default(),
            mech_types: Vec::new(),
            groups: Vec::new(),
            loose: CellGroup::default(),
            secorder: Vec::new(),
            group_count: 1,
            pool: None,
            tree_changed: true,
            structure_changed: true,
            groups_gen: 0,
            diam_changed: true,
            shape_changed: 0,
            shape_defined_at: None,
            pt3dconst: false,
            spine_area: 0.0,
            t: 0.0,
            dt: 0.025,
            celsius: 6.3,
            secondorder: 0,
            events: events::Events::default(),
            random: random::RandomState::default(),
        }
    }

    pub(crate) fn block(&self, b: u32) -> &CellGroup {
        if b == store::LOOSE {
            &self.loose
        } else {
            &self.groups[b as usize]
        }
    }

    pub(crate) fn block_mut(&mut self, b: u32) -> &mut CellGroup {
        if b == store::LOOSE {
            &mut self.loose
        } else {
            &mut self.groups[b as usize]
        }
    }

    pub(crate) fn node_info(&self, n: NodeId) -> Result<&NodeInfo> {
        self.nodes.get(n).ok_or(ModelError::DeletedNode)
    }

    /// The section a variable belongs to (`None` for an unlocated point
    /// process).
    pub fn var_section(&self, r: VarRef) -> Result<Option<SectionId>> {
        Ok(match r {
            VarRef::V(n) | VarRef::Diam(n) | VarRef::Cm(n) | VarRef::ICap(n) => {
                Some(self.node_info(n)?.sec)
            }
            VarRef::Instance(i, _) | VarRef::Pointer(i, _) => {
                let info = self.instance_info(i)?;
                match (info.sec, info.node) {
                    (Some(s), _) => Some(s),
                    (None, Some(n)) => Some(self.node_info(n)?.sec),
                    (None, None) => None,
                }
            }
        })
    }

    /// Creates a node with the given values in the loose block.
    pub(crate) fn new_node(
        &mut self,
        sec: SectionId,
        index: usize,
        values: store::NodeValues,
    ) -> NodeId {
        let id = self.nodes.insert(NodeInfo {
            sec,
            index,
            loc: Loc {
                block: store::LOOSE,
                row: 0,
            },
            props: Vec::new(),
        });
        let row = self.loose.nodes.push(id, values);
        if let Some(info) = self.nodes.get_mut(id) {
            info.loc.row = row;
        }
        self.structure_changed = true;
        id
    }

    /// The persistent values of a node.
    pub(crate) fn node_values(&self, n: NodeId) -> Result<store::NodeValues> {
        let loc = self.node_info(n)?.loc;
        Ok(self.block(loc.block).nodes.values(loc.row as usize))
    }

    /// Reads one node field.
    pub(crate) fn node_get(&self, n: NodeId, f: NodeField) -> Result<f64> {
        let loc = self.node_info(n)?.loc;
        let nb = &self.block(loc.block).nodes;
        Ok(f.slice(nb)[loc.row as usize])
    }

    /// Writes one node field.
    pub(crate) fn node_set(&mut self, n: NodeId, f: NodeField, x: f64) -> Result<()> {
        let loc = self.node_info(n)?.loc;
        let nb = &mut self.block_mut(loc.block).nodes;
        f.slice_mut(nb)[loc.row as usize] = x;
        Ok(())
    }

    /// Time [ms].
    pub fn t(&self) -> f64 {
        self.t
    }

    /// Sets the time [ms] (the next `fadvance` starts from it, as in NEURON).
    pub fn set_t(&mut self, t: f64) {
        self.t = t;
    }

    /// Time step [ms].
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// Sets the time step [ms].
    pub fn set_dt(&mut self, dt: f64) -> Result<()> {
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(ModelError::BadDt(dt));
        }
        self.dt = dt;
        Ok(())
    }

    /// Temperature [°C].
    pub fn celsius(&self) -> f64 {
        self.celsius
    }

    /// Sets the temperature [°C].
    pub fn set_celsius(&mut self, c: f64) {
        self.celsius = c;
    }

    /// NEURON's `secondorder` (0, 1 or 2).
    pub fn secondorder(&self) -> i32 {
        self.secondorder
    }

    /// Sets `secondorder`: 0 backward Euler, 1 Crank–Nicolson, 2 Crank–Nicolson
    /// with ion currents at the half step. Other values behave as 1 (NEURON
    /// tests `secondorder` for nonzero, and for 2).
    pub fn set_secondorder(&mut self, s: i32) {
        self.secondorder = s;
    }

    /// Number of cell groups the cells are split into (NEURON's thread count).
    /// Results do not depend on it.
    pub fn group_count(&self) -> usize {
        self.group_count
    }

    /// Sets the number of cell groups (at least 1); takes effect at the next
    /// rebuild.
    pub fn set_group_count(&mut self, n: usize) {
        self.group_count = n.max(1);
        self.structure_changed = true;
    }

    /// Steps cell groups on `n` threads (1: this thread only). Results do
    /// not depend on the thread count. Also makes at least `n` groups.
    pub fn set_threads(&mut self, n: usize) -> Result<()> {
        let n = n.max(1);
        self.pool = if n == 1 {
            None
        } else {
            Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| ModelError::Threads(e.to_string()))?,
            )
        };
        if self.group_count < n {
            self.set_group_count(n);
        }
        Ok(())
    }

    /// How many threads step the cell groups.
    pub fn threads(&self) -> usize {
        self.pool.as_ref().map_or(1, |p| p.current_num_threads())
    }

    /// Area added for each spine (a 3-D point with negative diameter) [µm²]
    /// (NEURON's `setSpineArea`).
    pub fn set_spine_area(&mut self, a: f64) {
        self.spine_area = a;
        self.diam_changed = true;
    }

    /// NEURON's `getSpineArea` [µm²].
    pub fn spine_area(&self) -> f64 {
        self.spine_area
    }
}

/// A field of the node arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeField {
    V,
    Area,
    Rinv,
    A,
    B,
    Diam,
    Cm,
    ICap,
}

impl NodeField {
    fn slice(self, nb: &store::NodeBlock) -> &[f64] {
        match self {
            NodeField::V => &nb.v,
            NodeField::Area => &nb.area,
            NodeField::Rinv => &nb.rinv,
            NodeField::A => &nb.a,
            NodeField::B => &nb.b,
            NodeField::Diam => &nb.diam,
            NodeField::Cm => &nb.cm,
            NodeField::ICap => &nb.i_cap,
        }
    }

    fn slice_mut(self, nb: &mut store::NodeBlock) -> &mut [f64] {
        match self {
            NodeField::V => &mut nb.v,
            NodeField::Area => &mut nb.area,
            NodeField::Rinv => &mut nb.rinv,
            NodeField::A => &mut nb.a,
            NodeField::B => &mut nb.b,
            NodeField::Diam => &mut nb.diam,
            NodeField::Cm => &mut nb.cm,
            NodeField::ICap => &mut nb.i_cap,
        }
    }
}
