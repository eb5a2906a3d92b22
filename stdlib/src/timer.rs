//! timer (being written)
use nerve_runtime::hoc::Interpreter;
/// Registers this module's classes.
pub fn register(_interp: &mut Interpreter) {}
