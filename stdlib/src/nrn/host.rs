//! [`NrnHost`]: the model behind the VM's [`SectionHost`] trait. The VM's
//! section handles are numbers this host hands out; a table maps them to
//! the model's generation-checked [`SectionId`]s.

use super::var;
use nerve_runtime::hoc::value::{DoubleHandle, Ptr};
use nerve_runtime::hoc::{HocError, Obj, RangeSym, SecHandle, SectionHost};
use nerve_runtime::model::{
    ExternalDouble, Model, ModelError, PointerTarget, RangeVar, SectionId, VarRef,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The cell model, shared by the VM (through [`SectionHost`]) and the
/// built-ins.
pub struct NrnHost {
    /// The model.
    pub model: Rc<RefCell<Model>>,
    handles: RefCell<Vec<SectionId>>,
    by_id: RefCell<HashMap<SectionId, u64>>,
    /// mechanism variables by VM number (see [`super::mechs::MECH_VAR_BASE`])
    pub(crate) mech_vars: RefCell<Vec<super::mechs::MechVar>>,
    /// compiled code of the installed mechanisms (kept alive with the model)
    pub(crate) code: RefCell<Vec<Box<dyn std::any::Any>>>,
    /// standard mechanisms that failed to compile, with the reason
    pub(crate) unavailable: RefCell<HashMap<String, String>>,
    /// the instance `setdata_name(x)` chose, per density mechanism
    pub(crate) setdata:
        RefCell<HashMap<nerve_runtime::model::MechTypeId, nerve_runtime::model::InstanceId>>,
    /// HOC variables POINTERs refer to (kept alive and in place for the
    /// model, which holds their addresses)
    pointer_cells: RefCell<Vec<Rc<std::cell::Cell<f64>>>>,
}

impl Default for NrnHost {
    fn default() -> Self {
        Self::new()
    }
}

/// Largest nseg (NEURON keeps it in a `short`).
const MAX_NSEG: f64 = 32767.0;

fn merr(e: ModelError) -> HocError {
    HocError::msg(e.to_string())
}

impl NrnHost {
    /// An empty model.
    pub fn new() -> NrnHost {
        NrnHost {
            model: Rc::new(RefCell::new(Model::new())),
            handles: RefCell::new(Vec::new()),
            by_id: RefCell::new(HashMap::new()),
            mech_vars: RefCell::new(Vec::new()),
            code: RefCell::new(Vec::new()),
            unavailable: RefCell::new(HashMap::new()),
            setdata: RefCell::new(HashMap::new()),
            pointer_cells: RefCell::new(Vec::new()),
        }
    }

    fn m(&self) -> Result<std::cell::RefMut<'_, Model>, HocError> {
        self.model
            .try_borrow_mut()
            .map_err(|_| HocError::msg("internal: the model is in use"))
    }

    /// The model's id of a VM handle.
    pub fn id(&self, s: SecHandle) -> Result<SectionId, HocError> {
        self.handles
            .borrow()
            .get(s.0 as usize)
            .copied()
            .ok_or_else(|| HocError::msg("Accessing a deleted section"))
    }

    /// The VM handle of a model section.
    pub fn handle(&self, id: SectionId) -> SecHandle {
        if let Some(h) = self.by_id.borrow().get(&id) {
            return SecHandle(*h);
        }
        let mut hs = self.handles.borrow_mut();
        let h = hs.len() as u64;
        hs.push(id);
        self.by_id.borrow_mut().insert(id, h);
        SecHandle(h)
    }

    /// Whether a section's name matches a NEURON section regex: `[` and `]`
    /// are literal (NEURON escapes them; a `\` before one is dropped), the
    /// rest is `egrep` syntax;
    /// `whole` requires the whole name to match (`issection`).
    pub fn matches(pattern: &str, name: &str, whole: bool) -> Result<bool, HocError> {
        let mut p = String::new();
        if whole {
            p.push_str("^(");
        }
        let mut chars = pattern.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if matches!(chars.peek(), Some('[' | ']')) => {}
                '[' => p.push_str("[[]"),
                ']' => p.push_str("[]]"),
                c => p.push(c),
            }
        }
        if whole {
            p.push_str(")$");
        }
        let re = super::regex::Regex::new(&p).map_err(|e| HocError::msg(e.0))?;
        Ok(re.search(name.as_bytes()).is_some())
    }
}

/// A pointer to a model variable that stays valid as long as the variable
/// exists (then reading it is a clear error).
pub(crate) fn var_ptr(model: &Rc<RefCell<Model>>, r: VarRef) -> Rc<dyn DoubleHandle> {
    Rc::new(ModelPtr {
        model: model.clone(),
        target: PtrTarget::Var(r),
    })
}

/// A pointer to a model variable (`&v(0.5)`), or to a simulation global.
struct ModelPtr {
    model: Rc<RefCell<Model>>,
    target: PtrTarget,
}

/// What a model pointer points at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum PtrTarget {
    /// a range variable or mechanism field
    Var(VarRef),
    /// a mechanism type's GLOBAL (by its index)
    MechGlobal(nerve_runtime::model::MechTypeId, usize),
    /// `t`, `dt`, `celsius`, `secondorder` (by their `var` number)
    Global(u32),
    /// `L`, `nseg`, `Ra`, `rallbranch` of a section
    Section(SectionId, u32),
}

/// What a pointer made by this host points at (`None` for other pointers).
pub(crate) fn model_target(h: &dyn DoubleHandle) -> Option<PtrTarget> {
    h.as_any()?.downcast_ref::<ModelPtr>().map(|p| p.target)
}

/// Reads a model pointer's value with the model at hand.
pub(crate) fn target_get(m: &mut Model, t: PtrTarget) -> Result<f64, HocError> {
    match t {
        PtrTarget::Var(r) => m.get(r).map_err(merr),
        PtrTarget::MechGlobal(t, i) => Ok(m.globals(t).map_err(merr)?[i]),
        PtrTarget::Global(id) => Ok(global_get(m, id)),
        PtrTarget::Section(s, id) => section_get(m, s, id),
    }
}

/// Writes through a model pointer with the model at hand.
pub(crate) fn target_set(m: &mut Model, t: PtrTarget, x: f64) -> Result<(), HocError> {
    match t {
        PtrTarget::Var(r) => m.set(r, x).map_err(merr),
        PtrTarget::MechGlobal(t, i) => m.set_global(t, i, x).map_err(merr),
        PtrTarget::Global(id) => global_set(m, id, x),
        PtrTarget::Section(s, id) => section_set(m, s, id, x),
    }
}

impl DoubleHandle for ModelPtr {
    fn get(&self) -> Result<f64, HocError> {
        let mut m = self
            .model
            .try_borrow_mut()
            .map_err(|_| HocError::msg("internal: the model is in use"))?;
        match self.target {
            PtrTarget::Var(r) => m.get(r).map_err(merr),
            PtrTarget::MechGlobal(t, i) => Ok(m.globals(t).map_err(merr)?[i]),
            PtrTarget::Global(id) => Ok(global_get(&m, id)),
            PtrTarget::Section(s, id) => section_get(&mut m, s, id),
        }
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn set(&self, value: f64) -> Result<(), HocError> {
        let mut m = self
            .model
            .try_borrow_mut()
            .map_err(|_| HocError::msg("internal: the model is in use"))?;
        match self.target {
            PtrTarget::Var(r) => m.set(r, value).map_err(merr),
            PtrTarget::MechGlobal(t, i) => m.set_global(t, i, value).map_err(merr),
            PtrTarget::Global(id) => global_set(&mut m, id, value),
            PtrTarget::Section(s, id) => section_set(&mut m, s, id, value),
        }
    }
}

fn global_get(m: &Model, id: u32) -> f64 {
    match id {
        var::T => m.t(),
        var::DT => m.dt(),
        var::CELSIUS => m.celsius(),
        _ => m.secondorder() as f64,
    }
}

fn global_set(m: &mut Model, id: u32, x: f64) -> Result<(), HocError> {
    match id {
        var::T => m.set_t(x),
        var::DT => m.set_dt(x).map_err(merr)?,
        var::CELSIUS => m.set_celsius(x),
        _ => m.set_secondorder(x as i32),
    }
    Ok(())
}

fn section_get(m: &mut Model, s: SectionId, id: u32) -> Result<f64, HocError> {
    match id {
        var::L => m.length(s),
        var::NSEG => m.nseg(s).map(|n| n as f64),
        var::RA => m.ra(s),
        _ => m.rallbranch(s),
    }
    .map_err(merr)
}

fn section_set(m: &mut Model, s: SectionId, id: u32, x: f64) -> Result<(), HocError> {
    match id {
        var::L => {
            if x <= 0.0 {
                return Err(HocError::msg(format!("L must be positive, not {x}")));
            }
            m.set_length(s, x)
        }
        var::NSEG => {
            if x > MAX_NSEG {
                eprintln!(
                    "nerve: warning: nseg {x} is too large; nseg set to 1 (at most {MAX_NSEG})"
                );
            }
            m.set_nseg(s, x as i64)
        }
        var::RA => m.set_ra(s, x),
        _ => m.set_rallbranch(s, x),
    }
    .map_err(merr)
}

fn range_of(id: u32) -> RangeVar {
    match id {
        var::DIAM => RangeVar::Diam,
        var::CM => RangeVar::Cm,
        _ => RangeVar::V,
    }
}

impl SectionHost for NrnHost {
    fn create(&self, name: &str) -> SecHandle {
        let id = match self.m() {
            Ok(mut m) => m.new_section(name),
            Err(_) => return SecHandle(u64::MAX),
        };
        self.handle(id)
    }

    fn delete(&self, s: SecHandle) {
        if let (Ok(id), Ok(mut m)) = (self.id(s), self.model.try_borrow_mut()) {
            if m.section_exists(id) {
                let _ = m.delete_section(id);
            }
        }
    }

    fn exists(&self, s: SecHandle) -> bool {
        match (self.id(s), self.model.try_borrow()) {
            (Ok(id), Ok(m)) => m.section_exists(id),
            _ => false,
        }
    }

    fn name(&self, s: SecHandle) -> Result<String, HocError> {
        let id = self.id(s)?;
        Ok(self.m()?.name(id).map_err(merr)?.to_string())
    }

    fn all(&self) -> Vec<SecHandle> {
        let ids: Vec<SectionId> = match self.model.try_borrow() {
            Ok(m) => m.sections().collect(),
            Err(_) => return Vec::new(),
        };
        ids.into_iter().map(|id| self.handle(id)).collect()
    }

    fn get(&self, v: RangeSym, s: Option<SecHandle>, x: Option<f64>) -> Result<f64, HocError> {
        if let Some(mv) = self.mech_var(v.id) {
            let s = s.map(|s| self.id(s)).transpose()?;
            return super::mechs::get(self, mv, s, x);
        }
        let mut m = self.m()?;
        let Some(s) = s else {
            return Ok(global_get(&m, v.id));
        };
        let s = self.id(s)?;
        let x = x.unwrap_or(0.5);
        match v.id {
            var::L | var::NSEG | var::RA | var::RALLBRANCH => section_get(&mut m, s, v.id),
            var::DIAM => m.diam(s, x).map_err(merr),
            var::CM => m.cm(s, x).map_err(merr),
            _ => m.v(s, x).map_err(merr),
        }
    }

    fn set(
        &self,
        v: RangeSym,
        s: Option<SecHandle>,
        x: Option<f64>,
        value: f64,
    ) -> Result<(), HocError> {
        if let Some(mv) = self.mech_var(v.id) {
            let s = s.map(|s| self.id(s)).transpose()?;
            return super::mechs::set(self, mv, s, x, value);
        }
        let mut m = self.m()?;
        let Some(s) = s else {
            return global_set(&mut m, v.id, value);
        };
        let s = self.id(s)?;
        match (v.id, x) {
            (var::L | var::NSEG | var::RA | var::RALLBRANCH, _) => {
                section_set(&mut m, s, v.id, value)
            }
            (var::DIAM, None) => m.set_diam_all(s, value).map_err(merr),
            (var::DIAM, Some(x)) => m.set_diam(s, x, value).map_err(merr),
            (var::CM, None) => m.set_cm_all(s, value).map_err(merr),
            (var::CM, Some(x)) => m.set_cm(s, x, value).map_err(merr),
            (_, None) => m.set_v_all(s, value).map_err(merr),
            (_, Some(x)) => m.set_v(s, x, value).map_err(merr),
        }
    }

    fn pointer(
        &self,
        v: RangeSym,
        s: Option<SecHandle>,
        x: Option<f64>,
    ) -> Result<Rc<dyn DoubleHandle>, HocError> {
        let target = match (self.mech_var(v.id), s) {
            (Some(super::mechs::MechVar::Global { mech, index }), _) => {
                PtrTarget::MechGlobal(mech, index)
            }
            (Some(super::mechs::MechVar::Range { mech, slot }), Some(s)) => PtrTarget::Var(
                self.m()?
                    .var_ref(self.id(s)?, x.unwrap_or(0.5), RangeVar::Mech { mech, slot })
                    .map_err(merr)?,
            ),
            (Some(super::mechs::MechVar::Pointer { mech, pointer }), Some(s)) => PtrTarget::Var(
                self.m()?
                    .var_ref(
                        self.id(s)?,
                        x.unwrap_or(0.5),
                        RangeVar::Pointer { mech, pointer },
                    )
                    .map_err(merr)?,
            ),
            (Some(_), None) => return Err(HocError::msg("a range variable needs a section")),
            (None, None) => PtrTarget::Global(v.id),
            (None, Some(s)) => {
                let s = self.id(s)?;
                match v.id {
                    var::L | var::NSEG | var::RA | var::RALLBRANCH => PtrTarget::Section(s, v.id),
                    id => PtrTarget::Var(
                        self.m()?
                            .var_ref(s, x.unwrap_or(0.5), range_of(id))
                            .map_err(merr)?,
                    ),
                }
            }
        };
        Ok(Rc::new(ModelPtr {
            model: self.model.clone(),
            target,
        }))
    }

    fn connect(
        &self,
        child: SecHandle,
        child_end: f64,
        parent: SecHandle,
        parent_x: f64,
    ) -> Result<(), HocError> {
        let (c, p) = (self.id(child)?, self.id(parent)?);
        self.m()?
            .connect(c, child_end, p, parent_x)
            .map(|_| ())
            .map_err(merr)
    }

    fn insert(&self, s: SecHandle, name: &str, insert: bool) -> Result<(), HocError> {
        let s = self.id(s)?;
        let mut m = self.m()?;
        let Some(t) = m.mechanism_type(name) else {
            if let Some(why) = self.unavailable.borrow().get(name) {
                return Err(HocError::msg(why.clone()));
            }
            return Err(HocError::msg(format!("{name} is not a MECHANISM")));
        };
        if insert {
            m.insert(s, t).map_err(merr)
        } else {
            m.uninsert(s, t).map_err(merr)
        }
    }

    fn segments(&self, s: SecHandle, ends: bool) -> Result<Vec<f64>, HocError> {
        let n = self.m()?.nseg(self.id(s)?).map_err(merr)?;
        let mut out = Vec::with_capacity(n + 2);
        if ends {
            out.push(0.0);
        }
        out.extend((0..n).map(|i| (i as f64 + 0.5) / n as f64));
        if ends {
            out.push(1.0);
        }
        Ok(out)
    }

    fn list_sections(&self, o: &Obj) -> Option<Vec<SecHandle>> {
        super::lists::list_sections(o)
    }

    fn object_section(
        &self,
        o: &Obj,
        name: &str,
        index: Option<usize>,
    ) -> Option<Result<SecHandle, HocError>> {
        super::lists::sectionref_section(self, o, name, index)
    }

    fn name_matches(&self, pattern: &str, s: SecHandle) -> Result<bool, HocError> {
        let name = self.name(s)?;
        NrnHost::matches(pattern, &name, false)
    }

    fn set_pointer(&self, target: &Ptr, source: &Ptr) -> Result<bool, HocError> {
        let Ptr::Handle(h) = target else {
            return Ok(false);
        };
        let Some(PtrTarget::Var(VarRef::Pointer(i, k))) = model_target(&**h) else {
            return Ok(false);
        };
        let unsupported = |what: &str| {
            Err(HocError::msg(format!(
                "setpointer: a POINTER cannot refer to {what} in nerve yet"
            )))
        };
        let to = match source {
            Ptr::Handle(h) => match model_target(&**h) {
                Some(PtrTarget::Var(r)) => PointerTarget::Var(r),
                Some(PtrTarget::MechGlobal(t, index)) => PointerTarget::Global(t, index),
                Some(_) => return unsupported("t, dt, celsius or L, nseg, Ra"),
                None => return unsupported("this variable"),
            },
            Ptr::Cell(c) => {
                // the cell stays alive (and in place) with the host
                self.pointer_cells.borrow_mut().push(c.clone());
                // SAFETY: `c` is kept in `pointer_cells` as long as the host
                // lives, and the model's kernels run only through the host
                PointerTarget::External(unsafe { ExternalDouble::new(c.as_ptr()) })
            }
            Ptr::Elem(..) => return unsupported("an array element"),
            Ptr::Stack(_) => {
                return Err(HocError::msg(
                    "setpointer: a POINTER cannot refer to a local variable",
                ))
            }
        };
        self.m()?.set_pointer(i, k, to).map_err(merr)?;
        Ok(true)
    }
}
