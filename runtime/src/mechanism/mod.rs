//! Mechanisms as the model and the solver see them: a [`MechanismSpec`] (name,
//! fields, kernels) registered once per type, and the ABI ([`abi`]) its kernels
//! are called through. Kernels come from the JIT (NMODL) or, in tests, from
//! hand-written Rust ([`testing`]).

// units are written in brackets (`[mV]`), which rustdoc would take for links
#![allow(rustdoc::broken_intra_doc_links)]

pub mod abi;
#[cfg(test)]
pub(crate) mod testing;

pub use abi::{
    FunctionKernel, HostCall, IonView, Kernel, MechanismKernels, MechanismView, NetReceiveKernel,
};

/// How a mechanism is placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MechanismKind {
    /// A density mechanism (`SUFFIX`): one instance per segment of every section
    /// it is inserted in; currents in [mA/cm²].
    Density,
    /// A point process (`POINT_PROCESS`): instances placed at a location;
    /// currents in [nA].
    Point,
    /// An artificial cell (`ARTIFICIAL_CELL`): a point process that needs no
    /// node arithmetic (no currents, no v); placed at a location like a point
    /// process for NEURON compatibility.
    Artificial,
    /// An ion (`na_ion`): one instance per segment where a mechanism uses the
    /// ion, inserted with that mechanism; fields [`ion::ERev`..] in the order
    /// of [`ion`]'s constants.
    Ion,
}

impl MechanismKind {
    /// Density mechanisms and ions: one instance per segment.
    pub fn is_density(self) -> bool {
        matches!(self, MechanismKind::Density | MechanismKind::Ion)
    }

    /// Point processes and artificial cells: placed one by one.
    pub fn is_point(self) -> bool {
        matches!(self, MechanismKind::Point | MechanismKind::Artificial)
    }
}

/// The slots of an ion's instance data (the IR's `IonField` order) and its
/// globals.
pub mod ion {
    /// reversal potential [mV]
    pub const EREV: usize = 0;
    /// inside concentration [mM]
    pub const CONC_IN: usize = 1;
    /// outside concentration [mM]
    pub const CONC_OUT: usize = 2;
    /// total membrane current of the ion [mA/cm²]
    pub const CURRENT: usize = 3;
    /// d(current)/dv [S/cm²]
    pub const DCURRENT_DV: usize = 4;
    /// the style bits of `ion_style` (NEURON's c_style + 4 cinit + 8 e_style
    /// + 32 einit + 64 eadvance), per segment
    pub const STYLE: usize = 5;
    /// global 0: initial inside concentration (`nai0_na_ion`)
    pub const G_CONC_IN0: usize = 0;
    /// global 1: initial outside concentration (`nao0_na_ion`)
    pub const G_CONC_OUT0: usize = 1;
    /// global 2: valence
    pub const G_VALENCE: usize = 2;
}

/// How a mechanism uses an ion (from `USEION`), as NEURON's `nrn_promote`
/// takes it.
#[derive(Clone, Debug, PartialEq)]
pub struct IonDep {
    /// the ion's name (`na`)
    pub ion: String,
    /// `VALENCE` when given
    pub valence: Option<f64>,
    /// 0: concentrations unused, 1: read, 3: written
    pub conc: i32,
    /// 0: reversal potential unused, 1: read, 3: written
    pub rev: i32,
}

/// A FUNCTION or PROCEDURE callable from HOC as `name_suffix(args)`.
#[derive(Clone, Debug)]
pub struct FunctionSpec {
    /// NMODL name (without the suffix)
    pub name: String,
    /// number of arguments
    pub args: usize,
    /// FUNCTION (true) or PROCEDURE
    pub returns_value: bool,
    /// the compiled entry
    pub kernel: FunctionKernel,
}

/// When a `BEFORE`/`AFTER` block runs (NEURON 9.0.2's `nrn_ba` points):
/// for every cell group, the types in type order and each type's blocks of
/// that timing in source order, every instance of the group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaTiming {
    /// in finitialize, after v is set (and the type-0 FInitializeHandlers),
    /// before any INITIAL block
    BeforeInitial,
    /// in finitialize, after the INITIAL blocks and the NetCons' NET_RECEIVE
    /// INITIAL, before the events sent at t = 0 are delivered
    AfterInitial,
    /// before the currents (`cur`) are assembled, after `rhs` is zeroed:
    /// every step (at t + dt/2), in `fcurrent` and at the end of finitialize
    BeforeBreakpoint,
    /// every step after the `state` kernels (at t + dt)
    AfterSolve,
    /// right after `AfterSolve`, before the step's recordings; also at the
    /// end of finitialize before the t = 0 recording
    BeforeStep,
}

/// A `FUNCTION_TABLE` of a type: its values are given from HOC
/// (`table_<name>_<suffix>`, see [`crate::model::Model::set_function_table`])
/// and kept after the type's globals, described by a header of globals the
/// kernels read (the IR's `FunctionTableDecl` has the layout).
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionTableSpec {
    /// its NMODL name (`tabninf`)
    pub name: String,
    /// number of arguments (axes of the table)
    pub args: usize,
    /// the index in the type's globals of its header
    pub header: usize,
    /// the kernels use it: a run without it given is an error
    pub used: bool,
}

/// What a field of a mechanism is (NMODL's blocks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// PARAMETER: set by the user, shown by `psection`.
    Parameter,
    /// ASSIGNED: computed by the kernels.
    Assigned,
    /// STATE: integrated by the `state` kernel.
    State,
}

/// One field (range variable) of a mechanism.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSpec {
    /// name without the suffix, e.g. `g` for `g_pas`
    pub name: String,
    /// its block
    pub kind: FieldKind,
    /// value given to new instances
    pub default: f64,
    /// number of elements (1 unless a range array)
    pub size: usize,
    /// visible from HOC (RANGE variables, STATEs); hidden fields are
    /// internal to the kernels
    pub hoc: bool,
}

impl FieldSpec {
    /// A scalar field.
    pub fn new(name: &str, kind: FieldKind, default: f64) -> Self {
        Self {
            name: name.to_string(),
            kind,
            default,
            size: 1,
            hoc: true,
        }
    }
}

/// Everything the model needs to know about one mechanism type.
#[derive(Clone, Debug)]
pub struct MechanismSpec {
    /// the SUFFIX or POINT_PROCESS name, e.g. `pas`, `IClamp`
    pub name: String,
    /// density or point process
    pub kind: MechanismKind,
    /// the fields in data order; a field of size n takes n consecutive slots
    pub fields: Vec<FieldSpec>,
    /// GLOBAL variables with their initial values (type-wide storage; an
    /// array takes consecutive entries)
    pub globals: Vec<(String, f64)>,
    /// which of `globals` HOC sees as `name_suffix` (same length, or empty
    /// for all); arrays and internal storage are hidden
    pub globals_hoc: Vec<bool>,
    /// ions used, in the order of the kernels' `ions` views
    pub ions: Vec<IonDep>,
    /// FUNCTIONs and PROCEDUREs callable from HOC
    pub functions: Vec<FunctionSpec>,
    /// NET_RECEIVE argument count (a NetCon's weight vector length)
    pub weights: usize,
    /// the `RANDOM` variables: each instance has one Random123 stream per
    /// entry, which the kernels' random services draw from (an old-style
    /// `scop_random`/`exprand`/`normrand` mechanism declares one unnamed
    /// stream, `""`)
    pub randoms: Vec<String>,
    /// each instance holds a vector of numbers the kernels read through the
    /// vector services (VecStim's event times; NEURON's VecStim keeps a
    /// pointer to a Vector)
    pub vector: bool,
    /// the names of the POINTER variables, in the order of the view's
    /// `pointers` table (each instance refers to one double per entry, set
    /// with `setpointer`)
    pub pointers: Vec<String>,
    /// NET_RECEIVE walks the NetCons that target its instance
    /// (`FOR_NETCONS`) through the `host_call` services 14 to 16, so the
    /// runtime lends it their weight vectors for each call
    pub for_netcons: bool,
    /// the kernels
    pub kernels: MechanismKernels,
    /// the `WATCH` conditions: entry k returns the value of condition k for
    /// one instance (no arguments; the condition holds when it is > 0).
    /// NET_RECEIVE arms them through the `host_call` service 13; the
    /// runtime evaluates the armed ones once per step (see
    /// [`crate::model::Model::check_thresholds`])
    pub watches: Vec<FunctionKernel>,
    /// the `FUNCTION_TABLE`s
    pub function_tables: Vec<FunctionTableSpec>,
    /// the `BEFORE`/`AFTER` blocks, in source order: loop kernels over the
    /// instances with the contract of `state` (may write the instance data
    /// and, through POINTERs, elsewhere; never `rhs` or `d`)
    pub before_after: Vec<(BaTiming, Kernel)>,
    /// true when the kernels never write `globals`: cell groups with this
    /// mechanism may then be stepped on several threads at once (the model
    /// steps every group on one thread while any type in use is not; a type
    /// with POINTERs never is, since its targets may be in other groups)
    pub thread_safe: bool,
}

impl MechanismSpec {
    /// A spec with no fields, globals, ions or kernels.
    pub fn new(name: &str, kind: MechanismKind) -> Self {
        Self {
            name: name.to_string(),
            kind,
            fields: Vec::new(),
            globals: Vec::new(),
            globals_hoc: Vec::new(),
            ions: Vec::new(),
            functions: Vec::new(),
            weights: 0,
            randoms: Vec::new(),
            vector: false,
            pointers: Vec::new(),
            for_netcons: false,
            kernels: MechanismKernels::default(),
            watches: Vec::new(),
            function_tables: Vec::new(),
            before_after: Vec::new(),
            thread_safe: true,
        }
    }

    /// Whether instances need the runtime's per-instance extras (random
    /// streams, a vector, POINTER targets).
    pub fn has_extra(&self) -> bool {
        !self.randoms.is_empty() || self.vector || !self.pointers.is_empty()
    }

    /// Whether HOC sees global `i`.
    pub fn global_is_hoc(&self, i: usize) -> bool {
        self.globals_hoc.get(i).copied().unwrap_or(true)
    }

    /// Number of f64 slots per instance.
    pub fn slot_count(&self) -> usize {
        self.fields.iter().map(|f| f.size).sum()
    }

    /// The first slot of the field called `name`, and its size.
    pub fn field_slot(&self, name: &str) -> Option<(usize, usize)> {
        let mut slot = 0;
        for f in &self.fields {
            if f.name == name {
                return Some((slot, f.size));
            }
            slot += f.size;
        }
        None
    }

    /// Default value of every slot, in slot order.
    pub fn slot_defaults(&self) -> Vec<f64> {
        let mut v = Vec::with_capacity(self.slot_count());
        for f in &self.fields {
            v.extend(std::iter::repeat_n(f.default, f.size));
        }
        v
    }
}
