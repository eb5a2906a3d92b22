//! The tree matrix: axial terms and the Hines solve (NEURON's `nrn_rhs` and
//! `nrn_lhs` axial loops, `triang`, `bksub`). Nodes are in Hines order: every
//! parent index is smaller than its child's, roots are rows `0..ncell`.

use super::store::CellGroup;

/// Checks (in debug builds) what the loops below rely on to index without
/// bounds checks: every node array has one entry per node, each non-root
/// node's parent comes before it, and the cell ranges lie in the non-root
/// rows. [`rebuild_groups`](super::Model::rebuild_groups) builds groups
/// this way and nothing changes a group's shape afterwards.
fn debug_check(g: &CellGroup) {
    if cfg!(debug_assertions) {
        let n = g.nodes.v.len();
        for len in [
            g.nodes.a.len(),
            g.nodes.b.len(),
            g.nodes.d.len(),
            g.nodes.rhs.len(),
        ] {
            assert_eq!(len, n);
        }
        assert_eq!(g.parent.len(), n);
        assert_eq!(g.cap.len(), n);
        assert_eq!(g.nodes.cm.len(), n);
        assert!((g.ncell..n).all(|i| (g.parent[i] as usize) < i));
        assert!(g
            .cell_ranges
            .iter()
            .all(|&(s, e)| g.ncell <= s as usize && s <= e && e as usize <= n));
    }
}

/// Adds the capacitance and the axial terms to the assembled membrane
/// terms (NEURON's `nrn_rhs` axial loop, `nrn_cap_jacob`, `nrn_lhs` axial
/// loop): for each node i with parent p, d[i] += cfac·cm[i] (nodes with
/// membrane), rhs[i] -= b[i]·(v[p] - v[i]), d[i] -= b[i],
/// rhs[p] += a[i]·(v[p] - v[i]), d[p] -= a[i].
///
/// Every node still receives NEURON's terms in NEURON's order (its own
/// capacitance, its own axial term, then its children's in row order,
/// since children come after it), but in two passes: the first touches
/// only row i, the second only the parent rows, so neither pass waits on a
/// value it stored in the previous iteration (a chain through memory that
/// made the single NEURON-order loop slow).
pub(crate) fn assemble(g: &mut CellGroup, cfac: f64) {
    debug_check(g);
    let n = &mut g.nodes;
    let len = n.v.len();
    let (v, a, b, cm, cap) = (
        n.v.as_ptr(),
        n.a.as_ptr(),
        n.b.as_ptr(),
        n.cm.as_ptr(),
        g.cap.as_ptr(),
    );
    let (d, rhs) = (n.d.as_mut_ptr(), n.rhs.as_mut_ptr());
    let parent = g.parent.as_ptr();
    for i in 0..g.ncell {
        // SAFETY: i < ncell <= len (see `debug_check`)
        unsafe { *d.add(i) += cfac * *cm.add(i) * *cap.add(i) };
    }
    for i in g.ncell..len {
        // SAFETY: i < len of every node array and parent[i] < i (see
        // `debug_check`); the pointers come from distinct vectors
        unsafe {
            let p = *parent.add(i) as usize;
            let bi = *b.add(i);
            *d.add(i) += cfac * *cm.add(i) * *cap.add(i);
            *d.add(i) -= bi;
            *rhs.add(i) -= bi * (*v.add(p) - *v.add(i));
        }
    }
    for i in g.ncell..len {
        // SAFETY: as above
        unsafe {
            let p = *parent.add(i) as usize;
            let ai = *a.add(i);
            *rhs.add(p) += ai * (*v.add(p) - *v.add(i));
            *d.add(p) -= ai;
        }
    }
}

/// v += Δv (2Δv for Crank–Nicolson, `twice`), and the capacitive current
/// cfac·cm·Δv at the nodes with membrane (the others keep theirs). Returns
/// whether every new v is finite.
pub(crate) fn update_v(g: &mut CellGroup, cfac: f64, twice: bool) -> bool {
    debug_check(g);
    let n = &mut g.nodes;
    let f = if twice { 2.0 } else { 1.0 };
    let mut finite = true;
    for (((v, i_cap), (&dv, &cm)), &cap) in
        n.v.iter_mut()
            .zip(n.i_cap.iter_mut())
            .zip(n.rhs.iter().zip(&n.cm))
            .zip(&g.cap)
    {
        // 2·Δv and 1·Δv are exact, as NEURON's `v += 2*rhs` and `v += rhs`
        *v += f * dv;
        finite &= v.abs() < f64::INFINITY;
        let c = cfac * cm * dv;
        *i_cap = if cap != 0.0 { c } else { *i_cap };
    }
    finite
}

/// Cells are solved in units: two cells of the same shape (same length,
/// same parent structure) form a pair whose eliminations run in the two
/// lanes of f64x2 operations (the divider's throughput per value doubles),
/// any other cell is a single. Built by [`plan`] when the group is built.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Unit {
    /// first non-root row of the (first) cell
    pub s0: u32,
    /// first non-root row of the second cell (= `s0` for a single)
    pub s1: u32,
    /// rows per cell
    pub len: u32,
}

impl Unit {
    fn paired(&self) -> bool {
        self.s0 != self.s1
    }
}

/// Pairs neighbouring cells of the same shape (see [`Unit`]).
pub(crate) fn plan(cell_ranges: &[(u32, u32)], parent: &[u32]) -> Vec<Unit> {
    let shape_eq = |(s0, e0): (u32, u32), (s1, e1): (u32, u32)| {
        let rel = |p: u32, s: u32| if p >= s { p - s } else { u32::MAX };
        e0 - s0 == e1 - s1
            && (0..e0 - s0)
                .all(|k| rel(parent[(s0 + k) as usize], s0) == rel(parent[(s1 + k) as usize], s1))
    };
    let mut units = Vec::with_capacity(cell_ranges.len());
    let mut k = 0;
    while k < cell_ranges.len() {
        let (s, e) = cell_ranges[k];
        if k + 1 < cell_ranges.len() && shape_eq(cell_ranges[k], cell_ranges[k + 1]) {
            units.push(Unit {
                s0: s,
                s1: cell_ranges[k + 1].0,
                len: e - s,
            });
            k += 2;
        } else {
            units.push(Unit {
                s0: s,
                s1: s,
                len: e - s,
            });
            k += 1;
        }
    }
    units
}

/// Solves the tree system in place: rhs becomes Δv; d is destroyed.
///
/// Cells are independent, and each cell's eliminations form one long chain
/// of dependent divisions, so the cells are worked on [`INTERLEAVE`] units
/// at a time, node by node in turn: the processor overlaps their chains,
/// and a pair's two cells share each division instruction. Every node
/// still sees exactly NEURON's operations in NEURON's order within its
/// cell, so the result is bit-identical to the one-cell-after-another
/// order.
pub(crate) fn solve(g: &mut CellGroup) {
    debug_check(g);
    debug_assert_eq!(
        g.units
            .iter()
            .map(|u| u.len as usize * (1 + u.paired() as usize))
            .sum::<usize>(),
        g.cell_ranges
            .iter()
            .map(|&(s, e)| (e - s) as usize)
            .sum::<usize>()
    );
    let n = &mut g.nodes;
    let m = Mat {
        a: n.a.as_ptr(),
        b: n.b.as_ptr(),
        d: n.d.as_mut_ptr(),
        rhs: n.rhs.as_mut_ptr(),
        parent: g.parent.as_ptr(),
    };
    for chunk in g.units.rchunks(INTERLEAVE) {
        let longest = chunk.iter().map(|u| u.len).max().unwrap_or(0);
        for j in 0..longest {
            for u in chunk.iter().rev() {
                if j < u.len {
                    let k = u.len - 1 - j;
                    // SAFETY: the unit's rows are non-root rows of its cells
                    // (built by `plan` from the cell ranges), and parents
                    // precede children (see `debug_check`)
                    unsafe {
                        if u.paired() {
                            m.eliminate2((u.s0 + k) as usize, (u.s1 + k) as usize);
                        } else {
                            m.eliminate((u.s0 + k) as usize);
                        }
                    }
                }
            }
        }
    }
    for i in 0..g.ncell {
        n.rhs[i] /= n.d[i];
    }
    for chunk in g.units.chunks(INTERLEAVE) {
        let longest = chunk.iter().map(|u| u.len).max().unwrap_or(0);
        for j in 0..longest {
            for u in chunk {
                if j < u.len {
                    // SAFETY: as above
                    unsafe {
                        if u.paired() {
                            m.substitute2((u.s0 + j) as usize, (u.s1 + j) as usize);
                        } else {
                            m.substitute((u.s0 + j) as usize);
                        }
                    }
                }
            }
        }
    }
}

/// How many units [`solve`] works on together.
const INTERLEAVE: usize = 4;

/// The tree matrix of a group, for the solve's unchecked row operations.
struct Mat {
    a: *const f64,
    b: *const f64,
    d: *mut f64,
    rhs: *mut f64,
    parent: *const u32,
}

impl Mat {
    /// NEURON's `triang` step for row `i`: eliminates it from its parent's
    /// equation. Caller: `i` is a non-root row of the group.
    #[inline(always)]
    unsafe fn eliminate(&self, i: usize) {
        let p = *self.a.add(i) / *self.d.add(i);
        let pi = *self.parent.add(i) as usize;
        *self.d.add(pi) -= p * *self.b.add(i);
        *self.rhs.add(pi) -= p * *self.rhs.add(i);
    }

    /// NEURON's `bksub` step for row `i` (its parent is solved).
    #[inline(always)]
    unsafe fn substitute(&self, i: usize) {
        let pi = *self.parent.add(i) as usize;
        *self.rhs.add(i) -= *self.b.add(i) * *self.rhs.add(pi);
        *self.rhs.add(i) /= *self.d.add(i);
    }

    /// [`Mat::eliminate`] of rows `i` and `j` (of two different cells) in
    /// the two lanes of f64x2 operations: the same IEEE operations, so the
    /// same bits.
    #[inline(always)]
    unsafe fn eliminate2(&self, i: usize, j: usize) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::*;
            let ld = |p: *const f64| _mm_set_pd(*p.add(j), *p.add(i));
            let p = _mm_div_pd(ld(self.a), ld(self.d));
            let (pi, pj) = (*self.parent.add(i) as usize, *self.parent.add(j) as usize);
            let ldp = |p: *const f64| _mm_set_pd(*p.add(pj), *p.add(pi));
            let d = _mm_sub_pd(ldp(self.d), _mm_mul_pd(p, ld(self.b)));
            let r = _mm_sub_pd(ldp(self.rhs), _mm_mul_pd(p, ld(self.rhs)));
            _mm_storel_pd(self.d.add(pi), d);
            _mm_storeh_pd(self.d.add(pj), d);
            _mm_storel_pd(self.rhs.add(pi), r);
            _mm_storeh_pd(self.rhs.add(pj), r);
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self.eliminate(i);
            self.eliminate(j);
        }
    }

    /// [`Mat::substitute`] of rows `i` and `j` in two lanes.
    #[inline(always)]
    unsafe fn substitute2(&self, i: usize, j: usize) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::*;
            let ld = |p: *const f64| _mm_set_pd(*p.add(j), *p.add(i));
            let (pi, pj) = (*self.parent.add(i) as usize, *self.parent.add(j) as usize);
            let rp = _mm_set_pd(*self.rhs.add(pj), *self.rhs.add(pi));
            let r = _mm_sub_pd(ld(self.rhs), _mm_mul_pd(ld(self.b), rp));
            let r = _mm_div_pd(r, ld(self.d));
            _mm_storel_pd(self.rhs.add(i), r);
            _mm_storeh_pd(self.rhs.add(j), r);
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self.substitute(i);
            self.substitute(j);
        }
    }
}
