//! The JIT: compiles a mechanism's IR ([`crate::nmodl::ir::MechIr`]) to native
//! kernels with Cranelift, against the runtime's mechanism ABI (whose layout
//! [`layout`] mirrors). The compiler knows nothing of the solver: it hands
//! back raw function pointers with the ABI's C signatures, and the runtime
//! casts them to its own `Kernel` types.
//!
//! | module | what it does |
//! |---|---|
//! | [`layout`] | byte offsets of `MechanismView` and `IonView` |
//! | `compiler` | [`KernelCompiler`]: declare, define, finalize; [`CompiledMechanism`] |
//! | `translate` | IR bodies to Cranelift IR, scalar and f64x2 |
//! | `hoist` | loop-invariant expressions out of the instance loop |
//! | `vectorize` | which kernels may run two instances at a time |
//! | [`solve`] | dense solves: unrolled when small, else a registered helper |
//! | `mathlib` | libm symbols and the inline polynomial `exp` |
//! | `exp` | an inline `exp` bit-identical to glibc's ([`exact_exp`]) |
//! | `exp_table` | its table of 2^(k/128), derived at compile time |
//! | [`hh_example`] | hh by hand as IR and as Rust (tests, benchmark) |
//!
//! Setting `NERVE_JIT_DISASM` in the environment prints Cranelift's
//! machine code for every compiled function to stderr (a debugging aid).
//! Setting `NERVE_JIT_LIBM_EXP` makes every kernel of the process call
//! libm's `exp` instead of inlining [`exact_exp`] (for measurements).
//!
//! ```ignore
//! let compiled = nerve_compiler::jit::compile(&ir)?;
//! let cur = compiled.kernels().cur.unwrap();
//! unsafe { cur(&view as *const _ as *const std::ffi::c_void) };
//! ```

mod compiler;
mod exp;
mod exp_table;
pub mod hh_example;
mod hoist;
pub mod layout;
mod mathlib;
pub mod solve;
mod translate;
mod vectorize;

#[cfg(test)]
mod tests;

pub use compiler::{
    CompileStats, CompiledMechanism, FunctionFn, KernelCompiler, KernelFn, KernelPointers,
    NetReceiveFn,
};
pub use exp::{exact_exp, exact_exp_available, libm_is_glibc_fma, EXACT_EXP_LIMIT};
pub use mathlib::{inline_exp_reference, INLINE_EXP_MAX, INLINE_EXP_MIN};

use crate::nmodl::ir::MechIr;

/// How kernels are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JitOptions {
    /// Per-instance kernels of density mechanisms whose body is straight-line
    /// (after turning `If`s into selects, and `If`s on GLOBALs into a check
    /// at kernel entry) process two instances at a time with f64x2, with a
    /// scalar-width tail. Without `inline_exp` the results
    /// are bit-identical to the scalar path (libm is called lane by lane).
    pub vectorize: bool,
    /// `exp` is an inline polynomial with fmas (within a few ulp of libm over
    /// [-708, 709.78]; flushes results below about 3e-308 to 0) instead of a
    /// call of libm's `exp`. Takes precedence over `exact_exp`.
    pub inline_exp: bool,
    /// `exp` is inlined as the C library's own algorithm, bit-identical to
    /// libm's `exp`, where [`exact_exp_available`] (glibc's FMA variant on a
    /// CPU with FMA); elsewhere, and without this, it is a call of libm.
    pub exact_exp: bool,
}

impl JitOptions {
    /// Scalar kernels whose maths is bit-identical to C's (libm calls, or
    /// the inline [`exact_exp`] where it is available).
    pub const EXACT: JitOptions = JitOptions {
        vectorize: false,
        inline_exp: false,
        exact_exp: true,
    };
    /// f64x2 kernels with the inline polynomial `exp`: the fastest.
    pub const FAST: JitOptions = JitOptions {
        vectorize: true,
        inline_exp: true,
        exact_exp: true,
    };
}

impl Default for JitOptions {
    /// [`JitOptions::EXACT`]
    fn default() -> Self {
        JitOptions::EXACT
    }
}

/// Why a mechanism could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum JitError {
    /// Cranelift does not support this machine (or it is not 64-bit).
    #[error("the JIT cannot target this machine: {0}")]
    Host(String),
    /// The IR is malformed (an index out of range, a wrong argument count,
    /// an assignment to a read-only variable, ...): a bug of the lowering.
    #[error("mechanism {mechanism}, {place}: invalid IR: {message}")]
    InvalidIr {
        /// the mechanism's name
        mechanism: String,
        /// the kernel or function
        place: String,
        /// what is wrong
        message: String,
    },
    /// Cranelift rejected the generated code.
    #[error("mechanism {mechanism}, {place}: code generation failed: {message}")]
    Codegen {
        /// the mechanism's name
        mechanism: String,
        /// the kernel or function
        place: String,
        /// Cranelift's message
        message: String,
    },
    /// A bug of the JIT itself.
    #[error("internal JIT error: {0}")]
    Internal(String),
}

/// Compiles `ir` with the default (exact) options.
pub fn compile(ir: &MechIr) -> Result<CompiledMechanism, JitError> {
    compile_with(ir, JitOptions::default())
}

/// Compiles `ir` with `options`.
pub fn compile_with(ir: &MechIr, options: JitOptions) -> Result<CompiledMechanism, JitError> {
    KernelCompiler::new(options)?.compile(ir)
}
