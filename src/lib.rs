//! nerve: a NEURON-compatible simulator of neurons and networks.
//!
//! This crate is the embedding library: it re-exports the pieces a host
//! program needs to run HOC (and, as they land, models and mechanisms).
//!
//! ```
//! let mut hoc = nerve::interpreter();
//! hoc.run_source("example", "x = 6 * 7").unwrap();
//! assert_eq!(hoc.get_num("x"), Some(42.0));
//! ```
pub use nerve_compiler as compiler;
pub use nerve_runtime as runtime;
pub use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Value};
pub use nerve_stdlib as stdlib;

pub mod cli;
mod cli_repl;

/// A HOC interpreter with nerve's standard library installed.
pub fn interpreter() -> Interpreter {
    nerve_stdlib::interpreter()
}
