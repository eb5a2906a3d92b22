//! Dense linear algebra for the `Matrix` class, following the algorithms
//! of the Eigen library NEURON uses so that results agree to the last bit
//! for small matrices: partial-pivoting LU (`inverse`, `det`, the solves
//! inside `exp`), full-pivoting LU with rank detection (`solv`), Padé
//! scaling-and-squaring (`exp`) and binary powering (`pow`).
//!
//! NEURON's matrices are row-major Eigen matrices built for SSE2 (packets
//! of two doubles, no fused multiply-add); the summation orders below are
//! those of Eigen 3.4's kernels for that case: vectorized dot products in
//! the triangular vector solves and the row-major matrix-vector kernel, and
//! the matrix triangular solve (reciprocal multiply, panels of 4), and the
//! blocked LU above 16 rows. Checked against NEURON 9.0.2 on random
//! matrices: `det`, `solv`, `mulv`, `inverse`, `exp`, `mulm` and `pow` give
//! identical bits up to 40 x 40. Larger products use Eigen's cache-blocked
//! kernels, whose summation order is not reproduced; from about 70 x 70 on
//! the last bits may differ.

/// A dense matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Mat {
    /// Rows.
    pub nrow: usize,
    /// Columns.
    pub ncol: usize,
    /// `nrow * ncol` elements, row after row.
    pub data: Vec<f64>,
}

impl Mat {
    /// A zero matrix.
    pub fn zeros(nrow: usize, ncol: usize) -> Mat {
        Mat {
            nrow,
            ncol,
            data: vec![0.0; nrow * ncol],
        }
    }

    /// The identity (ones on the main diagonal, also when not square).
    pub fn identity(nrow: usize, ncol: usize) -> Mat {
        let mut m = Mat::zeros(nrow, ncol);
        for i in 0..nrow.min(ncol) {
            m.data[i * ncol + i] = 1.0;
        }
        m
    }

    /// Element `(i, j)`.
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.ncol + j]
    }

    /// Element `(i, j)`, mutably.
    pub fn at_mut(&mut self, i: usize, j: usize) -> &mut f64 {
        &mut self.data[i * self.ncol + j]
    }

    /// `self * other` (inner dimensions must agree).
    pub fn mul(&self, other: &Mat) -> Mat {
        let mut out = Mat::zeros(self.nrow, other.ncol);
        for i in 0..self.nrow {
            for j in 0..other.ncol {
                let mut s = 0.0;
                for k in 0..self.ncol {
                    s += self.at(i, k) * other.at(k, j);
                }
                *out.at_mut(i, j) = s;
            }
        }
        out
    }

    /// `self * v` (`v.len()` must be `ncol`), as Eigen's row-major
    /// matrix-vector kernel sums.
    pub fn mulv(&self, v: &[f64]) -> Vec<f64> {
        (0..self.nrow)
            .map(|i| 0.0 + gemv_dot(&self.data[i * self.ncol..(i + 1) * self.ncol], v))
            .collect()
    }

    /// The transpose.
    pub fn transpose(&self) -> Mat {
        let mut out = Mat::zeros(self.ncol, self.nrow);
        for i in 0..self.nrow {
            for j in 0..self.ncol {
                *out.at_mut(j, i) = self.at(i, j);
            }
        }
        out
    }

    /// `a * self + b * other` element by element (same shapes).
    fn axpby(&self, a: f64, other: &Mat, b: f64) -> Mat {
        Mat {
            nrow: self.nrow,
            ncol: self.ncol,
            data: self
                .data
                .iter()
                .zip(&other.data)
                .map(|(x, y)| a * x + b * y)
                .collect(),
        }
    }

    /// `self * s` element by element.
    pub fn scale(&self, s: f64) -> Mat {
        Mat {
            nrow: self.nrow,
            ncol: self.ncol,
            data: self.data.iter().map(|x| s * x).collect(),
        }
    }
}

/// Index of the first largest `|x|` (Eigen's `maxCoeff` keeps the first).
fn argmax_abs(xs: impl Iterator<Item = f64>) -> (usize, f64) {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, x) in xs.enumerate() {
        if x.abs() > best.1 || i == 0 {
            best = (i, x.abs());
        }
    }
    best
}

/// A row of Eigen 3.4's row-major matrix-vector product: two packet lanes
/// accumulate alternate products, are added, then the odd tail is added.
/// The dot products of the triangular vector solves sum the same way.
fn gemv_dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let mut c = [0.0, 0.0];
    let mut j = 0;
    while j + 2 <= n {
        c[0] += a[j] * b[j];
        c[1] += a[j + 1] * b[j + 1];
        j += 2;
    }
    let mut cc = c[0] + c[1];
    while j < n {
        cc += a[j] * b[j];
        j += 1;
    }
    cc
}

/// Eigen's panel width for triangular vector solves.
const VEC_PANEL: usize = 8;
/// Eigen's panel width for triangular matrix solves (SSE2 doubles).
const MAT_PANEL: usize = 4;

/// A partial-pivoting LU factorization `P A = L U` (Eigen's `PartialPivLU`).
pub struct PartialLu {
    lu: Mat,
    /// Row swapped with row k at step k.
    swaps: Vec<usize>,
    odd: bool,
}

impl PartialLu {
    /// Factors a square matrix: unblocked up to 16 rows, else in panels of
    /// 8 columns (Eigen's `blocked_lu` below 128 rows; 16 above).
    pub fn new(a: &Mat) -> PartialLu {
        let n = a.nrow;
        let mut lu = a.clone();
        let mut swaps = vec![0; n];
        let odd = if n <= 16 {
            unblocked_lu(&mut lu, 0, n, &mut swaps)
        } else {
            let bs = ((n / 8) / 16 * 16).clamp(8, 256);
            let mut odd = false;
            let mut k = 0;
            while k < n {
                let b = bs.min(n - k);
                odd ^= unblocked_lu(&mut lu, k, b, &mut swaps);
                // A12 = L11^-1 A12, then A22 -= A21 A12.
                let (c0, c1) = (k + b, n);
                if c0 < c1 {
                    let mut a12 = Mat::zeros(b, c1 - c0);
                    for i in 0..b {
                        for j in c0..c1 {
                            *a12.at_mut(i, j - c0) = lu.at(k + i, j);
                        }
                    }
                    let mut l11 = Mat::zeros(b, b);
                    for i in 0..b {
                        for j in 0..b {
                            *l11.at_mut(i, j) = lu.at(k + i, k + j);
                        }
                    }
                    unit_lower_solve_rows(&l11, &mut a12);
                    for i in 0..b {
                        for j in c0..c1 {
                            *lu.at_mut(k + i, j) = a12.at(i, j - c0);
                        }
                    }
                    for i in k + b..n {
                        for j in c0..c1 {
                            let mut acc = 0.0;
                            for t in 0..b {
                                acc += lu.at(i, k + t) * a12.at(t, j - c0);
                            }
                            *lu.at_mut(i, j) += -acc;
                        }
                    }
                }
                k += b;
            }
            odd
        };
        PartialLu { lu, swaps, odd }
    }

    /// The determinant.
    pub fn det(&self) -> f64 {
        let mut p = if self.lu.nrow == 0 {
            1.0
        } else {
            self.lu.at(0, 0)
        };
        for i in 1..self.lu.nrow {
            p *= self.lu.at(i, i);
        }
        if self.odd {
            -p
        } else {
            p
        }
    }

    /// Solves `A x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let mut c = b.to_vec();
        for (k, &p) in self.swaps.iter().enumerate() {
            c.swap(k, p);
        }
        lower_unit_solve(&self.lu, self.lu.nrow, &mut c);
        upper_solve(&self.lu, self.lu.nrow, &mut c);
        c
    }

    /// Solves `A X = B` (Eigen's matrix right-hand-side path: `inverse`,
    /// and the solve inside `exp`).
    pub fn solve_mat(&self, b: &Mat) -> Mat {
        let mut x = b.clone();
        let w = x.ncol;
        for (k, &p) in self.swaps.iter().enumerate() {
            if k != p {
                for t in 0..w {
                    x.data.swap(k * w + t, p * w + t);
                }
            }
        }
        lu_solve_rows(&self.lu, &mut x);
        x
    }
}

/// Eigen's `unblocked_lu` on the panel of columns `k0..k0 + w` and rows
/// `k0..n`; row swaps apply to whole rows. Returns whether it swapped an
/// odd number of times.
#[allow(clippy::needless_range_loop)] // k indexes both the matrix and the swaps
fn unblocked_lu(lu: &mut Mat, k0: usize, w: usize, swaps: &mut [usize]) -> bool {
    let n = lu.nrow;
    let nc = lu.ncol;
    let mut odd = false;
    for k in k0..k0 + w {
        let (p, big) = argmax_abs((k..n).map(|i| lu.at(i, k)));
        let p = p + k;
        swaps[k] = p;
        if big != 0.0 {
            if p != k {
                for j in 0..nc {
                    lu.data.swap(k * nc + j, p * nc + j);
                }
                odd = !odd;
            }
            let d = lu.at(k, k);
            for i in k + 1..n {
                *lu.at_mut(i, k) /= d;
            }
        }
        for i in k + 1..n {
            let l = lu.at(i, k);
            for j in k + 1..k0 + w {
                let u = lu.at(k, j);
                *lu.at_mut(i, j) -= l * u;
            }
        }
    }
    odd
}

/// Solves `L x = c` in place with the unit lower triangle of the top-left
/// `n x n` block of `lu` (Eigen's row-major `triangular_solve_vector`).
fn lower_unit_solve(lu: &Mat, n: usize, c: &mut [f64]) {
    let row = |i: usize| &lu.data[i * lu.ncol..i * lu.ncol + n];
    let mut pi = 0;
    while pi < n {
        let pw = (n - pi).min(VEC_PANEL);
        if pi > 0 {
            for i in pi..pi + pw {
                c[i] += -gemv_dot(&row(i)[..pi], &c[..pi]);
            }
        }
        for k in 1..pw {
            let i = pi + k;
            let d = gemv_dot(&row(i)[pi..i], &c[pi..i]);
            c[i] -= d;
        }
        pi += pw;
    }
}

/// Solves `U x = c` in place with the upper triangle of the top-left
/// `n x n` block of `lu` (as [`lower_unit_solve`], dividing by the pivots).
fn upper_solve(lu: &Mat, n: usize, c: &mut [f64]) {
    let row = |i: usize| &lu.data[i * lu.ncol..i * lu.ncol + n];
    let mut pi = n;
    while pi > 0 {
        let pw = pi.min(VEC_PANEL);
        let start = pi - pw;
        if pi < n {
            for i in start..pi {
                c[i] += -gemv_dot(&row(i)[pi..n], &c[pi..n]);
            }
        }
        for k in 0..pw {
            let i = pi - k - 1;
            if k > 0 {
                let d = gemv_dot(&row(i)[i + 1..pi], &c[i + 1..pi]);
                c[i] -= d;
            }
            if c[i] != 0.0 {
                c[i] /= lu.at(i, i);
            }
        }
        pi = start;
    }
}

/// Solves `L X = B` and then `U X = B` in place for a matrix `B`, as
/// Eigen's matrix triangular solve does for row-major storage: row `j` of
/// `X` gets the contributions of earlier panels as one accumulated sum,
/// then those within its panel one by one, and is multiplied by the
/// reciprocal of the pivot.
fn lu_solve_rows(lu: &Mat, x: &mut Mat) {
    unit_lower_solve_rows(lu, x);
    upper_solve_rows(lu, x);
}

/// The unit-lower half of [`lu_solve_rows`].
fn unit_lower_solve_rows(lu: &Mat, x: &mut Mat) {
    let n = lu.nrow;
    let w = x.ncol;
    // x.row(j) -= sum_m coef(m) * x.row(m), summed from 0 in the order given.
    let sub_sum = |x: &mut Mat, j: usize, ms: &mut dyn Iterator<Item = (usize, f64)>| {
        let mut acc = vec![0.0; w];
        for (m, coef) in ms {
            for (t, a) in acc.iter_mut().enumerate() {
                *a += x.data[m * w + t] * coef;
            }
        }
        for (t, a) in acc.iter().enumerate() {
            x.data[j * w + t] += -a;
        }
    };
    let sub_one = |x: &mut Mat, j: usize, m: usize, coef: f64| {
        for t in 0..w {
            let v = x.data[m * w + t];
            x.data[j * w + t] -= v * coef;
        }
    };
    // Unit lower: panels from the top.
    let mut p0 = 0;
    while p0 < n {
        let p1 = (p0 + MAT_PANEL).min(n);
        for j in p0..p1 {
            if p0 > 0 {
                sub_sum(x, j, &mut (0..p0).map(|m| (m, lu.at(j, m))));
            }
            for m in p0..j {
                sub_one(x, j, m, lu.at(j, m));
            }
        }
        p0 = p1;
    }
}

/// The upper half of [`lu_solve_rows`].
fn upper_solve_rows(lu: &Mat, x: &mut Mat) {
    let n = lu.nrow;
    let w = x.ncol;
    // x.row(j) -= sum_m coef(m) * x.row(m), summed from 0 in the order given.
    let sub_sum = |x: &mut Mat, j: usize, ms: &mut dyn Iterator<Item = (usize, f64)>| {
        let mut acc = vec![0.0; w];
        for (m, coef) in ms {
            for (t, a) in acc.iter_mut().enumerate() {
                *a += x.data[m * w + t] * coef;
            }
        }
        for (t, a) in acc.iter().enumerate() {
            x.data[j * w + t] += -a;
        }
    };
    let sub_one = |x: &mut Mat, j: usize, m: usize, coef: f64| {
        for t in 0..w {
            let v = x.data[m * w + t];
            x.data[j * w + t] -= v * coef;
        }
    };
    // Upper: panels from the bottom, the last one possibly narrower.
    let mut p1 = n;
    while p1 > 0 {
        let width = if p1 == n && !n.is_multiple_of(MAT_PANEL) {
            n % MAT_PANEL
        } else {
            MAT_PANEL.min(p1)
        };
        let p0 = p1 - width;
        if p1 < n {
            for j in p0..p1 {
                sub_sum(x, j, &mut (p1..n).map(|m| (m, lu.at(j, m))));
            }
        }
        for j in (p0..p1).rev() {
            for m in j + 1..p1 {
                sub_one(x, j, m, lu.at(j, m));
            }
            let inv = 1.0 / lu.at(j, j);
            for t in 0..w {
                x.data[j * w + t] *= inv;
            }
        }
        p1 = p0;
    }
}

/// A full-pivoting LU factorization `P A Q = L U` with Eigen's rank
/// threshold (`FullPivLU`), for `Matrix.solv`.
pub struct FullLu {
    lu: Mat,
    row_swaps: Vec<usize>,
    col_perm: Vec<usize>,
    rank: usize,
}

impl FullLu {
    /// Factors a square matrix.
    #[allow(clippy::needless_range_loop)] // k indexes both the matrix and the swaps
    pub fn new(a: &Mat) -> FullLu {
        let n = a.nrow;
        let mut lu = a.clone();
        let mut row_swaps: Vec<usize> = (0..n).collect();
        let mut col_perm: Vec<usize> = (0..n).collect();
        let mut nonzero = n;
        let mut maxpivot: f64 = 0.0;
        for k in 0..n {
            // Largest |x| in the corner, first in column-major order.
            let (mut bi, mut bj, mut big) = (k, k, -1.0);
            for j in k..n {
                for i in k..n {
                    let x = lu.at(i, j).abs();
                    if x > big {
                        (bi, bj, big) = (i, j, x);
                    }
                }
            }
            if big == 0.0 {
                nonzero = k;
                break;
            }
            maxpivot = maxpivot.max(big);
            row_swaps[k] = bi;
            if bi != k {
                for j in 0..n {
                    lu.data.swap(k * n + j, bi * n + j);
                }
            }
            col_perm.swap(k, bj);
            if bj != k {
                for i in 0..n {
                    lu.data.swap(i * n + k, i * n + bj);
                }
            }
            let d = lu.at(k, k);
            for i in k + 1..n {
                *lu.at_mut(i, k) /= d;
            }
            for i in k + 1..n {
                let l = lu.at(i, k);
                for j in k + 1..n {
                    let u = lu.at(k, j);
                    *lu.at_mut(i, j) -= l * u;
                }
            }
        }
        let threshold = maxpivot.abs() * (f64::EPSILON * n as f64);
        let rank = (0..nonzero)
            .filter(|&i| lu.at(i, i).abs() > threshold)
            .count();
        FullLu {
            lu,
            row_swaps,
            col_perm,
            rank,
        }
    }

    /// Solves `A x = b`; unknowns beyond the rank are set to 0 (Eigen).
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.lu.nrow;
        let mut x = vec![0.0; n];
        if self.rank == 0 {
            return x;
        }
        let mut c = b.to_vec();
        for (k, &p) in self.row_swaps.iter().enumerate() {
            c.swap(k, p);
        }
        lower_unit_solve(&self.lu, n, &mut c);
        upper_solve(&self.lu, self.rank, &mut c);
        for i in 0..self.rank {
            x[self.col_perm[i]] = c[i];
        }
        x
    }

    /// How many rows the factorization has.
    pub fn size(&self) -> usize {
        self.lu.nrow
    }
}

/// Sum of `coef[k] * powers[k]` plus `c0 * I`, evaluated left to right as
/// Eigen's expression templates do.
fn poly(terms: &[(f64, &Mat)], c0: Option<f64>) -> Mat {
    let (c, m) = terms[0];
    let mut acc = m.scale(c);
    for (c, m) in &terms[1..] {
        acc = acc.axpby(1.0, m, *c);
    }
    if let Some(c0) = c0 {
        let n = acc.nrow;
        for i in 0..n {
            let d = acc.at(i, i);
            *acc.at_mut(i, i) = d + c0;
        }
        // Off-diagonal entries get `+ c0 * 0`, which changes nothing but -0.
        for x in acc.data.iter_mut() {
            *x += 0.0;
        }
    }
    acc
}

/// The matrix exponential (Eigen's `MatrixExponential` for doubles).
pub fn expm(a: &Mat) -> Mat {
    let n = a.nrow;
    let l1 = (0..n)
        .map(|j| (0..n).map(|i| a.at(i, j).abs()).sum::<f64>())
        .fold(f64::NEG_INFINITY, f64::max);
    let mut squarings = 0;
    let (u, v) = if l1 < 1.495585217958292e-2 {
        let b = [120.0, 60.0, 12.0, 1.0];
        let a2 = a.mul(a);
        let u = a.mul(&poly(&[(b[3], &a2)], Some(b[1])));
        (u, poly(&[(b[2], &a2)], Some(b[0])))
    } else if l1 < 2.539_398_330_063_23e-1 {
        let b = [30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0];
        let a2 = a.mul(a);
        let a4 = a2.mul(&a2);
        let u = a.mul(&poly(&[(b[5], &a4), (b[3], &a2)], Some(b[1])));
        (u, poly(&[(b[4], &a4), (b[2], &a2)], Some(b[0])))
    } else if l1 < 9.504178996162932e-1 {
        let b = [
            17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0,
        ];
        let a2 = a.mul(a);
        let a4 = a2.mul(&a2);
        let a6 = a4.mul(&a2);
        let u = a.mul(&poly(&[(b[7], &a6), (b[5], &a4), (b[3], &a2)], Some(b[1])));
        (
            u,
            poly(&[(b[6], &a6), (b[4], &a4), (b[2], &a2)], Some(b[0])),
        )
    } else if l1 < 2.097847961257068 {
        let b = [
            17643225600.0,
            8821612800.0,
            2075673600.0,
            302702400.0,
            30270240.0,
            2162160.0,
            110880.0,
            3960.0,
            90.0,
            1.0,
        ];
        let a2 = a.mul(a);
        let a4 = a2.mul(&a2);
        let a6 = a4.mul(&a2);
        let a8 = a6.mul(&a2);
        let t = [(b[9], &a8), (b[7], &a6), (b[5], &a4), (b[3], &a2)];
        let u = a.mul(&poly(&t, Some(b[1])));
        (
            u,
            poly(
                &[(b[8], &a8), (b[6], &a6), (b[4], &a4), (b[2], &a2)],
                Some(b[0]),
            ),
        )
    } else {
        let b = [
            64764752532480000.0,
            32382376266240000.0,
            7771770303897600.0,
            1187353796428800.0,
            129060195264000.0,
            10559470521600.0,
            670442572800.0,
            33522128640.0,
            1323241920.0,
            40840800.0,
            960960.0,
            16380.0,
            182.0,
            1.0,
        ];
        // frexp(l1 / maxnorm): the exponent e with l1 / maxnorm = f * 2^e, f in [0.5, 1).
        let r = l1 / 5.371920351148152;
        if r.is_finite() && r > 0.0 {
            let mut e = 0i32;
            let mut f = r;
            while f >= 1.0 {
                f /= 2.0;
                e += 1;
            }
            while f < 0.5 {
                f *= 2.0;
                e -= 1;
            }
            squarings = e.max(0);
        }
        let scale = 2f64.powi(-squarings);
        let a = a.scale(scale);
        let a2 = a.mul(&a);
        let a4 = a2.mul(&a2);
        let a6 = a4.mul(&a2);
        let v0 = poly(&[(b[13], &a6), (b[11], &a4), (b[9], &a2)], None);
        let tmp = a6.mul(&v0);
        let tmp = tmp.axpby(
            1.0,
            &poly(&[(b[7], &a6), (b[5], &a4), (b[3], &a2)], Some(b[1])),
            1.0,
        );
        let u = a.mul(&tmp);
        let tmp = poly(&[(b[12], &a6), (b[10], &a4), (b[8], &a2)], None);
        let v = a6.mul(&tmp);
        let v = v.axpby(
            1.0,
            &poly(&[(b[6], &a6), (b[4], &a4), (b[2], &a2)], Some(b[0])),
            1.0,
        );
        (u, v)
    };
    let numer = u.axpby(1.0, &v, 1.0);
    let denom = u.axpby(-1.0, &v, 1.0);
    let mut r = PartialLu::new(&denom).solve_mat(&numer);
    for _ in 0..squarings {
        r = r.mul(&r);
    }
    r
}

/// `a` to the integer power `p >= 0` (Eigen's `MatrixPower` for integer
/// exponents: binary powering, multiplying on the left).
pub fn powm(a: &Mat, p: u32) -> Mat {
    let n = a.nrow;
    if n == 1 {
        return Mat {
            nrow: 1,
            ncol: 1,
            data: vec![a.data[0].powf(f64::from(p))],
        };
    }
    let mut res = Mat::identity(n, n);
    let mut tmp = a.clone();
    let mut pp = f64::from(p);
    loop {
        if pp % 2.0 >= 1.0 {
            res = tmp.mul(&res);
        }
        pp /= 2.0;
        if pp < 1.0 {
            break;
        }
        tmp = tmp.mul(&tmp);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(n: usize, d: &[f64]) -> Mat {
        Mat {
            nrow: n,
            ncol: d.len() / n,
            data: d.to_vec(),
        }
    }

    #[test]
    fn lu_det_inverse_solve() {
        let a = m(3, &[2.0, 0.0, 1.0, 0.0, 3.0, 0.0, 0.0, 0.0, 4.0]);
        let lu = PartialLu::new(&a);
        assert_eq!(lu.det(), 24.0);
        let inv = lu.solve_mat(&Mat::identity(3, 3));
        assert_eq!(
            inv.data,
            vec![0.5, 0.0, -0.125, 0.0, 1.0 / 3.0, 0.0, 0.0, 0.0, 0.25]
        );
        let x = FullLu::new(&a).solve(&[0.0, 1.0, 2.0]);
        assert_eq!(x, vec![-0.25, 1.0 / 3.0, 0.5]);
        // Singular: free unknowns are 0.
        let s = m(2, &[1.0, 2.0, 2.0, 4.0]);
        assert_eq!(FullLu::new(&s).rank, 1);
        assert_eq!(PartialLu::new(&s).det(), 0.0);
    }

    #[test]
    fn exp_and_pow() {
        let z = Mat::zeros(2, 2);
        assert_eq!(expm(&z).data, vec![1.0, 0.0, 0.0, 1.0]);
        let d = m(2, &[1.0, 0.0, 0.0, 2.0]);
        let e = expm(&d);
        assert!((e.at(0, 0) - 1f64.exp()).abs() < 1e-14);
        assert!((e.at(1, 1) - 2f64.exp()).abs() < 1e-13);
        let big = m(2, &[10.0, 0.0, 0.0, -3.0]);
        let e = expm(&big);
        assert!((e.at(0, 0) / 10f64.exp() - 1.0).abs() < 1e-13);
        let a = m(2, &[1.0, 1.0, 0.0, 1.0]);
        assert_eq!(powm(&a, 5).data, vec![1.0, 5.0, 0.0, 1.0]);
        assert_eq!(powm(&a, 0).data, vec![1.0, 0.0, 0.0, 1.0]);
    }
}
