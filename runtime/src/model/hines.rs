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
        assert!((g.ncell..n).all(|i| (g.parent[i] as usize) < i));
        assert!(g
            .cell_ranges
            .iter()
            .all(|&(s, e)| g.ncell <= s as usize && s <= e && e as usize <= n));
    }
}

/// rhs += axial currents: for each non-root node i with parent p,
/// rhs[i] -= b[i]·(v[p] - v[i]) and rhs[p] += a[i]·(v[p] - v[i]).
pub(crate) fn axial_rhs(g: &mut CellGroup) {
    debug_check(g);
    let n = &mut g.nodes;
    let (v, a, b, rhs) = (n.v.as_ptr(), n.a.as_ptr(), n.b.as_ptr(), n.rhs.as_mut_ptr());
    let parent = g.parent.as_ptr();
    for i in g.ncell..n.v.len() {
        // SAFETY: i < len of every node array and parent[i] < i (see
        // `debug_check`); the pointers come from distinct vectors
        unsafe {
            let p = *parent.add(i) as usize;
            let dv = *v.add(p) - *v.add(i);
            *rhs.add(i) -= *b.add(i) * dv;
            *rhs.add(p) += *a.add(i) * dv;
        }
    }
}

/// d -= axial conductances: d[i] -= b[i], d[p] -= a[i].
pub(crate) fn axial_lhs(g: &mut CellGroup) {
    debug_check(g);
    let n = &mut g.nodes;
    let (a, b, d) = (n.a.as_ptr(), n.b.as_ptr(), n.d.as_mut_ptr());
    let parent = g.parent.as_ptr();
    for i in g.ncell..n.v.len() {
        // SAFETY: as in `axial_rhs`
        unsafe {
            let p = *parent.add(i) as usize;
            *d.add(i) -= *b.add(i);
            *d.add(p) -= *a.add(i);
        }
    }
}

/// Solves the tree system in place: rhs becomes Δv; d is destroyed.
///
/// Cells are independent, and each cell's eliminations form one long chain
/// of dependent divisions, so the cells are worked on [`INTERLEAVE`] at a
/// time, node by node in turn: the processor overlaps their chains. Every
/// node still sees exactly NEURON's operations in NEURON's order within its
/// cell, so the result is bit-identical to the one-cell-after-another
/// order.
pub(crate) fn solve(g: &mut CellGroup) {
    debug_check(g);
    let n = &mut g.nodes;
    let (a, b, d, rhs) = (
        n.a.as_ptr(),
        n.b.as_ptr(),
        n.d.as_mut_ptr(),
        n.rhs.as_mut_ptr(),
    );
    let parent = g.parent.as_ptr();
    for chunk in g.cell_ranges.rchunks(INTERLEAVE) {
        let longest = chunk.iter().map(|&(s, e)| e - s).max().unwrap_or(0);
        for j in 0..longest {
            for &(s, e) in chunk.iter().rev() {
                if j < e - s {
                    let i = (e - 1 - j) as usize;
                    // SAFETY: i is a non-root row (cell ranges lie in
                    // ncell..n) and parent[i] < i (see `debug_check`)
                    unsafe {
                        let p = *a.add(i) / *d.add(i);
                        let pi = *parent.add(i) as usize;
                        *d.add(pi) -= p * *b.add(i);
                        *rhs.add(pi) -= p * *rhs.add(i);
                    }
                }
            }
        }
    }
    for i in 0..g.ncell {
        n.rhs[i] /= n.d[i];
    }
    let (d, rhs) = (n.d.as_ptr(), n.rhs.as_mut_ptr());
    for chunk in g.cell_ranges.chunks(INTERLEAVE) {
        let longest = chunk.iter().map(|&(s, e)| e - s).max().unwrap_or(0);
        for j in 0..longest {
            for &(s, e) in chunk {
                if j < e - s {
                    let i = (s + j) as usize;
                    // SAFETY: as above
                    unsafe {
                        let pi = *parent.add(i) as usize;
                        *rhs.add(i) -= *b.add(i) * *rhs.add(pi);
                        *rhs.add(i) /= *d.add(i);
                    }
                }
            }
        }
    }
}

/// How many cells [`solve`] works on together.
const INTERLEAVE: usize = 8;
