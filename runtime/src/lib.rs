//! nerve-runtime: the HOC virtual machine (and, later, the cell model, the
//! mechanism ABI and the solver). The VM knows nothing of the solver; the
//! stdlib binds them.
pub mod cfmt;
pub mod hoc;
pub mod mechanism;
pub mod model;
pub mod parallel;
pub mod random123;
