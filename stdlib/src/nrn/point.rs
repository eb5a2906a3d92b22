//! Point processes as HOC objects: every POINT_PROCESS and ARTIFICIAL_CELL
//! mechanism is a HOC class whose objects carry a [`PointProcess`] payload.
//! (The classes themselves are registered when a mechanism is loaded.)

use nerve_runtime::hoc::Object;
use nerve_runtime::model::{InstanceId, MechTypeId};

/// The native payload of a point-process object (`new IClamp(0.5)`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PointProcess {
    /// its mechanism type
    pub mech: MechTypeId,
    /// its instance in the model (`None` once the model dropped it)
    pub instance: Option<InstanceId>,
}

/// The model instance of a point-process object, or `None` if `obj` is not a
/// point process.
#[allow(dead_code)]
pub(crate) fn point_instance(obj: &Object) -> Option<(MechTypeId, InstanceId)> {
    let p = obj.native::<PointProcess>().ok()?;
    Some((p.mech, p.instance?))
}
