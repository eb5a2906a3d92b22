//! Built-in HOC functions and variables, grouped by concern.
pub mod io;
pub mod lang;
pub mod math;

use nerve_runtime::hoc::Interpreter;

/// Registers every built-in function and variable.
pub fn register(interp: &mut Interpreter) {
    math::register(interp);
    io::register(interp);
    lang::register(interp);
}
