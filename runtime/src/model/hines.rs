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
///
/// Cells are independent, and each cell's eliminations form one long chain
/// of dependent divisions, so the cells are worked on [`INTERLEAVE`] at a
/// time, node by node in turn: the processor overlaps their chains. Every
/// node still sees exactly NEURON's operations in NEURON's order within its
/// cell, so the result is bit-identical to the one-cell-after-another
/// order.
pub(crate) fn solve(g: &mut CellGroup) {
    let n = &mut g.nodes;
    let (a, b, d, rhs) = (&n.a, &n.b, &mut n.d, &mut n.rhs);
    let parent = &g.parent;
    for chunk in g.cell_ranges.rchunks(INTERLEAVE) {
        let longest = chunk.iter().map(|&(s, e)| e - s).max().unwrap_or(0);
        for j in 0..longest {
            for &(s, e) in chunk.iter().rev() {
                if j < e - s {
                    let i = (e - 1 - j) as usize;
                    let p = a[i] / d[i];
                    let pi = parent[i] as usize;
                    d[pi] -= p * b[i];
                    rhs[pi] -= p * rhs[i];
                }
            }
        }
    }
    for i in 0..g.ncell {
        rhs[i] /= d[i];
    }
    for chunk in g.cell_ranges.chunks(INTERLEAVE) {
        let longest = chunk.iter().map(|&(s, e)| e - s).max().unwrap_or(0);
        for j in 0..longest {
            for &(s, e) in chunk {
                if j < e - s {
                    let i = (s + j) as usize;
                    let pi = parent[i] as usize;
                    rhs[i] -= b[i] * rhs[pi];
                    rhs[i] /= d[i];
                }
            }
        }
    }
}

/// How many cells [`solve`] works on together.
const INTERLEAVE: usize = 8;
