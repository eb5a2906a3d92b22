//! What the VM needs of sections, without knowing the cell model: an opaque
//! section handle, the names whose value depends on the currently accessed
//! section (`L`, `diam`, `v`...), section-array storage, and the
//! [`SectionHost`] trait through which the VM creates, connects and reads
//! sections. The stdlib implements the trait over `nerve_runtime::model`
//! and installs it with [`Interpreter::set_section_host`](super::Interpreter::set_section_host).
//!
//! The VM itself keeps NEURON's section stack: `sec stmt` and `sec { }`
//! push and pop, `access` sets the default, and with neither the first
//! section in creation order is the currently accessed section.

use super::error::HocError;
use super::value::{DoubleHandle, Obj, Ptr};
use std::cell::RefCell;
use std::rc::Rc;

/// A section, as the host identifies it. The VM never looks inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SecHandle(pub u64);

/// How a host variable depends on the section stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    /// One value per section (`L`, `nseg`, `Ra`, `rallbranch`); read and
    /// written on the currently accessed section.
    Section,
    /// One value per segment (`diam`, `cm`, `v`, `g_pas`): `name(x)` at a
    /// position, `name` alone reads x = 0.5 and assigns every segment.
    Range,
    /// One value overall, owned by the host (`t`, `dt`, `celsius`).
    Global,
}

/// A name bound to a host variable (the payload of [`Sym::Range`](super::symbols::Sym::Range)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeSym {
    /// The host's number for the variable.
    pub id: u32,
    /// How it depends on the section stack.
    pub kind: RangeKind,
}

/// The sections of a `create` statement: one, or an array of them.
/// Dropping the storage deletes its sections (a redeclared name, a freed
/// object), as NEURON does.
pub struct SecArray {
    /// Size of each dimension (empty for a single section).
    pub dims: Vec<usize>,
    /// The sections, row-major; `None` before they are created (a template's
    /// prototype) or after `delete_section()`.
    pub secs: RefCell<Vec<Option<SecHandle>>>,
    /// The host that owns the sections (to delete them on drop).
    pub host: Option<Rc<dyn SectionHost>>,
}

impl SecArray {
    /// Storage shaped by `dims`, with no sections yet.
    pub fn prototype(dims: Vec<usize>) -> SecArray {
        let n = dims.iter().product::<usize>();
        SecArray {
            dims,
            secs: RefCell::new(vec![None; n]),
            host: None,
        }
    }
}

impl Drop for SecArray {
    fn drop(&mut self) {
        if let Some(h) = &self.host {
            for s in self.secs.borrow().iter().flatten() {
                h.delete(*s);
            }
        }
    }
}

/// The section operations the VM calls. Methods take `&self`: a host keeps
/// its model behind interior mutability and never calls back into the VM.
pub trait SectionHost {
    /// Creates a section called `name` (`soma`, `dend[2]`, `Cell[0].soma`).
    fn create(&self, name: &str) -> SecHandle;
    /// Deletes a section (nothing happens if it is already gone).
    fn delete(&self, s: SecHandle);
    /// Whether the section exists.
    fn exists(&self, s: SecHandle) -> bool;
    /// The section's name.
    fn name(&self, s: SecHandle) -> Result<String, HocError>;
    /// Every section in creation order (`forall`).
    fn all(&self) -> Vec<SecHandle>;
    /// Reads a host variable: on section `s` at position `x` (`None`: the
    /// whole-section form).
    fn get(&self, var: RangeSym, s: Option<SecHandle>, x: Option<f64>) -> Result<f64, HocError>;
    /// Writes a host variable; for a range variable with `x` = `None`, every
    /// segment.
    fn set(
        &self,
        var: RangeSym,
        s: Option<SecHandle>,
        x: Option<f64>,
        value: f64,
    ) -> Result<(), HocError>;
    /// A stable pointer to a host variable (`&v(0.5)`, `&t`).
    fn pointer(
        &self,
        var: RangeSym,
        s: Option<SecHandle>,
        x: Option<f64>,
    ) -> Result<Rc<dyn DoubleHandle>, HocError>;
    /// `connect child(child_end), parent(parent_x)`.
    fn connect(
        &self,
        child: SecHandle,
        child_end: f64,
        parent: SecHandle,
        parent_x: f64,
    ) -> Result<(), HocError>;
    /// `insert name` (`insert` false: `uninsert name`).
    fn insert(&self, s: SecHandle, name: &str, insert: bool) -> Result<(), HocError>;
    /// The segment centers of a section, with the 0 and 1 ends when `ends`
    /// (`for (x)`), in increasing x.
    fn segments(&self, s: SecHandle, ends: bool) -> Result<Vec<f64>, HocError>;
    /// Sections an object stands for in `forsec obj` (a SectionList), or
    /// `None` if the object is not a list of sections.
    fn list_sections(&self, o: &Obj) -> Option<Vec<SecHandle>>;
    /// The section `obj.name[index]` names for a native object (`sr.sec`,
    /// `sr.child[1]`), or `None` if the object has no such section.
    fn object_section(
        &self,
        o: &Obj,
        name: &str,
        index: Option<usize>,
    ) -> Option<Result<SecHandle, HocError>>;
    /// Whether a section's name matches a `forsec`/`ifsec` pattern.
    fn name_matches(&self, pattern: &str, s: SecHandle) -> Result<bool, HocError>;
    /// `setpointer target, source`: makes the POINTER variable `target`
    /// (a pointer made by [`SectionHost::pointer`] or a point-process
    /// property) refer to `source`. `Ok(false)` when `target` is not a
    /// POINTER variable.
    fn set_pointer(&self, target: &Ptr, source: &Ptr) -> Result<bool, HocError> {
        let _ = (target, source);
        Err(HocError::msg("setpointer: no model to set pointers in"))
    }
}
