//! Dense linear solves (`Stmt::Solve`): Gaussian elimination with partial
//! pivoting. Small systems are unrolled into the kernel (see
//! `translate/stmt.rs`); compile time grows with n³, so larger ones call
//! [`nerve_jit_solve`], registered with the JIT under [`SOLVE_SYMBOL`]. Both
//! do the same operations in the same order, so they give the same bits.

/// Largest n unrolled into the kernel. Unrolled compile time of hh plus an
/// n×n solve (release): n = 4 1.0 ms, 6 2.6 ms, 8 6 ms, 20 220 ms; through
/// the helper any n up to 20 takes 0.7-1.3 ms.
pub const UNROLL_MAX: usize = 4;

/// The name the kernels import [`nerve_jit_solve`] by.
pub(super) const SOLVE_SYMBOL: &str = "nerve_jit_solve";

/// Solves `a x = b` in place: `a` is n×n row-major, `b` holds n right-hand
/// sides on entry and x on return. For each column k, every lower row whose
/// |a[row][k]| exceeds the current pivot's is swapped into the pivot row
/// (columns k.. and b), then the rows below are eliminated; then back
/// substitution. A singular system gives infinities or NaN, never a trap.
///
/// # Safety
/// `a` must be valid for n² and `b` for n f64 writes, not aliased.
pub unsafe extern "C" fn nerve_jit_solve(n: usize, a: *mut f64, b: *mut f64) {
    // SAFETY: guaranteed by the caller (the JIT passes a stack slot of
    // n² + n f64)
    let (a, b) = unsafe {
        (
            std::slice::from_raw_parts_mut(a, n * n),
            std::slice::from_raw_parts_mut(b, n),
        )
    };
    for k in 0..n {
        for row in k + 1..n {
            if a[row * n + k].abs() > a[k * n + k].abs() {
                for j in k..n {
                    a.swap(k * n + j, row * n + j);
                }
                b.swap(k, row);
            }
        }
        for row in k + 1..n {
            let f = a[row * n + k] / a[k * n + k];
            for j in k + 1..n {
                a[row * n + j] -= f * a[k * n + j];
            }
            b[row] -= f * b[k];
        }
    }
    for k in (0..n).rev() {
        let mut s = b[k];
        for j in k + 1..n {
            s -= a[k * n + j] * b[j];
        }
        b[k] = s / a[k * n + k];
    }
}
