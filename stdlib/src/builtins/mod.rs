//! Built-in HOC functions and variables.
use nerve_runtime::hoc::Interpreter;

/// Registers every built-in function and variable.
pub fn register(_interp: &mut Interpreter) {}
