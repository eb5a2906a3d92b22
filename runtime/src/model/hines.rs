//! The tree matrix: axial terms and the Hines solve (NEURON's `nrn_rhs` and
//! `nrn_lhs` axial loops, `triang`, `bksub`). Nodes are in Hines order: every
//! parent index is smaller than its child's, roots are rows `0..ncell`.

use super::store::CellGroup;

/// rhs += axial currents: for each non-root node i with parent p,
/// rhs[i] -= b[i]·(v[p] - v[i]) and rhs[p] += a[i]·(v[p] - v[i]).
pub(crate) fn axial_rhs(g: &mut CellGroup) {
    let n = &mut g.nodes;
    for i in g.ncell..n.v.len() {
        let p = g.parent[i] as usize;
        let dv = n.v[p] - n.v[i];
        n.rhs[i] -= n.b[i] * dv;
        n.rhs[p] += n.a[i] * dv;
    }
}

/// d -= axial conductances: d[i] -= b[i], d[p] -= a[i].
pub(crate) fn axial_lhs(g: &mut CellGroup) {
    let n = &mut g.nodes;
    for i in g.ncell..n.v.len() {
        let p = g.parent[i] as usize;
        n.d[i] -= n.b[i];
        n.d[p] -= n.a[i];
    }
}

/// Solves the tree system in place: rhs becomes Δv; d is destroyed.
pub(crate) fn solve(g: &mut CellGroup) {
    let n = &mut g.nodes;
    let end = n.v.len();
    for i in (g.ncell..end).rev() {
        let p = n.a[i] / n.d[i];
        let pi = g.parent[i] as usize;
        n.d[pi] -= p * n.b[i];
        n.rhs[pi] -= p * n.rhs[i];
    }
    for i in 0..g.ncell {
        n.rhs[i] /= n.d[i];
    }
    for i in g.ncell..end {
        let pi = g.parent[i] as usize;
        n.rhs[i] -= n.b[i] * n.rhs[pi];
        n.rhs[i] /= n.d[i];
    }
}
