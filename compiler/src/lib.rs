//! nerve-compiler: the front ends of nerve. It turns source text into syntax
//! trees, renders diagnostics and compiles mechanism IR to native kernels
//! ([`jit`]); it knows nothing of the solver.
pub mod diagnostics;
pub mod hoc;
pub mod jit;
pub mod nmodl;
