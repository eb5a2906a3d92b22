//! nerve-compiler: the front ends of nerve. It turns source text into syntax
//! trees and renders diagnostics; it knows nothing of the solver.
pub mod diagnostics;
pub mod hoc;
pub mod nmodl;
