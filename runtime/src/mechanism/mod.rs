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
}

impl FieldSpec {
    /// A scalar field.
    pub fn new(name: &str, kind: FieldKind, default: f64) -> Self {
        Self {
            name: name.to_string(),
            kind,
            default,
            size: 1,
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
    /// GLOBAL variables with their initial values
    pub globals: Vec<(String, f64)>,
    /// the kernels
    pub kernels: MechanismKernels,
    /// true when the kernels never write `globals`: cell groups with this
    /// mechanism may then be stepped on several threads at once (the model
    /// steps every group on one thread while any type in use is not)
    pub thread_safe: bool,
}

impl MechanismSpec {
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
