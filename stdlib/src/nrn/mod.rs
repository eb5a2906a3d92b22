//! The binding of the cell model to HOC: a [`SectionHost`] over
//! [`nerve_runtime::model::Model`], the section properties and range
//! variables (`L`, `nseg`, `diam`, `v`...), the simulation globals (`t`,
//! `dt`, `celsius`, `secondorder`), and NEURON's section built-ins.
//!
//! | module | what |
//! |---|---|
//! | `host` | [`NrnHost`]: section handles, variables, pointers |
//! | `sections` | `topology`, `psection`, `secname`, `area`, `distance`... |
//! | `pt3d` | `pt3dadd` and the other 3-D point functions, `define_shape` |
//! | `lists` | the `SectionList` and `SectionRef` classes |
//! | `solver` | `finitialize`, `fadvance`, `fcurrent` |
//! | `playrec` | `Vector.record`/`play`, spike records, events for HOC, the drivers of `finitialize` and `fadvance` |
//! | `netcon` | the `NetCon` class |
//! | `parallel` | the `ParallelContext` class: ranks, collectives, gids, the spike exchange, `psolve` |
//! | `bbs` | the bulletin board of `ParallelContext` on one process |
//! | `random` | `NMODLRandom`, the RANDOM streams of point processes, `noiseFromRandom123` |
//! | `savestate` | the `SaveState` class |
//! | `vecstim` | the built-in `VecStim` artificial cell (vecevent.mod) |
//! | `cvode` | `CVode` (fixed step only), `FInitializeHandler`, `batch_save`, `batch_run` |
//! | `functable` | `table_<name>_<suffix>`: the values of FUNCTION_TABLEs |

mod apcount;
mod bbs;
mod cvode;
mod functable;
mod host;
mod lists;
pub mod loader;
pub mod mechs;
mod netcon;
mod parallel;
mod playrec;
pub(crate) mod point;
mod pt3d;
pub(crate) mod random;
// NEURON 9 matches section names with std::regex (egrep), as StringFunctions
// does; strfun's module is private, so it is included here too (TODO: make
// it `pub(crate)` in strfun and use it from there).
#[path = "../strfun/regex.rs"]
#[allow(dead_code, clippy::duplicate_mod)]
mod regex;
mod savestate;
mod sections;
mod solver;
mod vecstim;

pub use host::NrnHost;
pub use parallel::set_communicator;

use nerve_runtime::hoc::{HocError, Interpreter, RangeKind, RangeSym};
use nerve_runtime::model::{Model, ModelError, SectionId};
use std::cell::RefMut;
use std::rc::Rc;

/// The host variables, by their number in [`RangeSym::id`].
pub(crate) mod var {
    pub const L: u32 = 0;
    pub const NSEG: u32 = 1;
    pub const RA: u32 = 2;
    pub const RALLBRANCH: u32 = 3;
    pub const DIAM: u32 = 4;
    pub const CM: u32 = 5;
    pub const V: u32 = 6;
    pub const T: u32 = 7;
    pub const DT: u32 = 8;
    pub const CELSIUS: u32 = 9;
    pub const SECONDORDER: u32 = 10;
}

/// The interpreter's binding (kept in the interpreter's extension map).
#[derive(Default)]
pub struct NrnState {
    /// The host, once [`register`] ran.
    pub host: Option<Rc<NrnHost>>,
}

/// A model error as a HOC error.
pub(crate) fn merr(e: ModelError) -> HocError {
    HocError::msg(e.to_string())
}

/// The interpreter's host.
pub(crate) fn host(interp: &mut Interpreter) -> Result<Rc<NrnHost>, HocError> {
    interp
        .ext::<NrnState>()
        .host
        .clone()
        .ok_or_else(|| HocError::msg("the cell model is not installed"))
}

/// The model, borrowed.
pub(crate) fn model(h: &NrnHost) -> Result<RefMut<'_, Model>, HocError> {
    h.model
        .try_borrow_mut()
        .map_err(|_| HocError::msg("internal: the model is in use"))
}

/// The currently accessed section as a model id.
pub(crate) fn cas(interp: &mut Interpreter) -> Result<(Rc<NrnHost>, SectionId), HocError> {
    let h = host(interp)?;
    let s = interp.current_section()?;
    let id = h.id(s)?;
    Ok((h, id))
}

/// Installs the model binding and the section built-ins.
pub fn register(interp: &mut Interpreter) {
    let h = Rc::new(NrnHost::new());
    interp.ext::<NrnState>().host = Some(h.clone());
    interp.set_section_host(h);
    let reg = |i: &mut Interpreter, name: &str, id: u32, kind: RangeKind| {
        i.register_range(name, RangeSym { id, kind });
    };
    reg(interp, "L", var::L, RangeKind::Section);
    reg(interp, "nseg", var::NSEG, RangeKind::Section);
    reg(interp, "Ra", var::RA, RangeKind::Section);
    reg(interp, "rallbranch", var::RALLBRANCH, RangeKind::Section);
    reg(interp, "diam", var::DIAM, RangeKind::Range);
    reg(interp, "cm", var::CM, RangeKind::Range);
    reg(interp, "v", var::V, RangeKind::Range);
    reg(interp, "t", var::T, RangeKind::Global);
    reg(interp, "dt", var::DT, RangeKind::Global);
    reg(interp, "celsius", var::CELSIUS, RangeKind::Global);
    reg(interp, "secondorder", var::SECONDORDER, RangeKind::Global);
    sections::register(interp);
    pt3d::register(interp);
    lists::register(interp);
    solver::register(interp);
    mechs::register(interp);
    netcon::register(interp);
    parallel::register(interp);
    cvode::register(interp);
    random::register(interp);
    savestate::register(interp);
    vecstim::register(interp).expect("VecStim registers in a new model");
    playrec::vector_builder().register(interp);
    loader::register(interp);
    loader::load_standard(interp);
}

#[cfg(test)]
mod mechs_tests;
#[cfg(test)]
mod random_tests;
#[cfg(test)]
mod tests;
