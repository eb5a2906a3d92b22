//! Point processes as HOC objects: every POINT_PROCESS and ARTIFICIAL_CELL
//! mechanism is a HOC class whose objects carry a [`PointProcess`] payload.
//! (The classes themselves are registered when a mechanism is loaded.)

use nerve_runtime::hoc::Object;
use nerve_runtime::model::{InstanceId, MechTypeId, Model};
use std::cell::RefCell;
use std::rc::Weak;

/// The native payload of a point-process object (`new IClamp(0.5)`); the
/// instance goes with the object.
#[derive(Debug)]
pub(crate) struct PointProcess {
    /// its mechanism type
    pub mech: MechTypeId,
    /// its instance in the model (`None` once the model dropped it)
    pub instance: Option<InstanceId>,
    /// the model the instance lives in
    pub model: Weak<RefCell<Model>>,
}

impl Drop for PointProcess {
    fn drop(&mut self) {
        if let (Some(i), Some(m)) = (self.instance.take(), self.model.upgrade()) {
            if let Ok(mut m) = m.try_borrow_mut() {
                let _ = m.delete_point_process(i);
            }
        }
    }
}

/// The model instance of a point-process object, or `None` if `obj` is not a
/// point process.
pub(crate) fn point_instance(obj: &Object) -> Option<(MechTypeId, InstanceId)> {
    let p = obj.native::<PointProcess>().ok()?;
    Some((p.mech, p.instance?))
}
