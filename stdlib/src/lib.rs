//! nerve-stdlib: the HOC built-ins (functions and classes) that make nerve's
//! interpreter a NEURON-compatible one, registered through the same public
//! API a host program uses.
pub mod builtins;
pub mod file;
pub mod gui;
pub mod hoclib;
pub mod list;
pub mod matrix;
pub mod nrn;
pub mod random;
pub mod random_class;
pub mod strfun;
pub mod timer;
pub mod vector;

use nerve_runtime::hoc::Interpreter;

/// Installs every built-in function, variable and class into `interp`.
pub fn install(interp: &mut Interpreter) {
    builtins::register(interp);
    vector::register(interp);
    list::register(interp);
    strfun::register(interp);
    file::register(interp);
    matrix::register(interp);
    random_class::register(interp);
    timer::register(interp);
    nrn::register(interp);
    gui::register(interp);
}

/// Flushes everything the session has buffered: the output, open `File`
/// objects and the file `wopen` selected. Call before the process exits.
pub fn flush_all(interp: &mut Interpreter) {
    file::flush_all(interp);
    builtins::io::flush(interp);
    interp.flush();
}

/// A new interpreter with the whole standard library installed.
pub fn interpreter() -> Interpreter {
    let mut i = Interpreter::new();
    install(&mut i);
    i
}
