//! The tree matrix: axial terms and the Hines solve (NEURON's `nrn_rhs` and
//! `nrn_lhs` axial loops, `triang`, `bksub`). Nodes are in Hines order: every
//! parent index is smaller than its child's, roots are rows `0..ncell`.

use super::store::CellGroup;

/// Checks (in debug builds) what the loops below rely on to index without
/// bounds checks: every node array has one entry per node, each non-root
/// node's parent comes before it, and the solve plan's chains cover the
/// non-root rows. [`rebuild_groups`](super::Model::rebuild_groups) builds groups
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
        let p = &g.plan;
        assert_eq!(
            p.chains.iter().map(|c| c.len as usize).sum::<usize>(),
            n - g.ncell
        );
        for c in &p.chains {
            let (h, e) = (c.head as usize, (c.head + c.len) as usize);
            assert!(g.ncell <= h && h < e && e <= n);
            let root = g.parent[h] as usize;
            assert!((h + 1..e).all(|r| g.parent[r] as usize >= h || g.parent[r] as usize == root));
        }
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
    // the first pass touches only row i: two rows at a time in f64x2
    // lanes (the same IEEE operations, so the same bits)
    let own = |i: usize| {
        // SAFETY: i < len of every node array and parent[i] < i (see
        // `debug_check`); the pointers come from distinct vectors
        unsafe {
            let p = *parent.add(i) as usize;
            let bi = *b.add(i);
            *d.add(i) += cfac * *cm.add(i) * *cap.add(i);
            *d.add(i) -= bi;
            *rhs.add(i) -= bi * (*v.add(p) - *v.add(i));
        }
    };
    let mut i = g.ncell;
    #[cfg(target_arch = "x86_64")]
    while i + 2 <= len {
        // SAFETY: as in `own`, for rows i and i + 1
        unsafe {
            use std::arch::x86_64::*;
            let (p0, p1) = (*parent.add(i) as usize, *parent.add(i + 1) as usize);
            let bi = _mm_loadu_pd(b.add(i));
            let c = _mm_mul_pd(
                _mm_mul_pd(_mm_set1_pd(cfac), _mm_loadu_pd(cm.add(i))),
                _mm_loadu_pd(cap.add(i)),
            );
            let di = _mm_sub_pd(_mm_add_pd(_mm_loadu_pd(d.add(i)), c), bi);
            _mm_storeu_pd(d.add(i), di);
            let dv = _mm_sub_pd(_mm_set_pd(*v.add(p1), *v.add(p0)), _mm_loadu_pd(v.add(i)));
            let r = _mm_sub_pd(_mm_loadu_pd(rhs.add(i)), _mm_mul_pd(bi, dv));
            _mm_storeu_pd(rhs.add(i), r);
        }
        i += 2;
    }
    while i < len {
        own(i);
        i += 1;
    }
    // the second pass touches the parent rows; two rows that continue a
    // chain (parents i - 1 and i) touch two neighbouring parents, so they
    // go in f64x2 lanes; any other pair row by row, in order
    let to_parent = |i: usize| {
        // SAFETY: as in `own`
        unsafe {
            let p = *parent.add(i) as usize;
            let ai = *a.add(i);
            *rhs.add(p) += ai * (*v.add(p) - *v.add(i));
            *d.add(p) -= ai;
        }
    };
    let mut i = g.ncell;
    #[cfg(target_arch = "x86_64")]
    while i + 2 <= len {
        // SAFETY: as in `own`; when the parents are i - 1 and i, rows
        // i - 1 .. i + 2 exist
        unsafe {
            use std::arch::x86_64::*;
            let (p0, p1) = (*parent.add(i) as usize, *parent.add(i + 1) as usize);
            if p1 == i && p0 + 1 == i {
                let ai = _mm_loadu_pd(a.add(i));
                let dv = _mm_sub_pd(_mm_loadu_pd(v.add(p0)), _mm_loadu_pd(v.add(i)));
                let r = _mm_add_pd(_mm_loadu_pd(rhs.add(p0)), _mm_mul_pd(ai, dv));
                _mm_storeu_pd(rhs.add(p0), r);
                _mm_storeu_pd(d.add(p0), _mm_sub_pd(_mm_loadu_pd(d.add(p0)), ai));
            } else {
                to_parent(i);
                to_parent(i + 1);
            }
        }
        i += 2;
    }
    while i < len {
        to_parent(i);
        i += 1;
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

/// Rows `head..head + len` that are eliminated as one run, from the last
/// row to the head (NEURON's order within it): every row's parent is in
/// the run, except the head's, which is in another run or a root. Either
/// a whole cell, or an unbranched chain (a section's nodes, extended by a
/// child section continuing from its last node).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Chain {
    pub head: u32,
    pub len: u32,
}

/// One or two chains of the same length, solved together (two in the lanes
/// of f64x2 operations: the divider's throughput per value doubles).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Unit {
    c0: u32,
    /// the second chain (= `c0` for a single)
    c1: u32,
    /// the chains' heads and (common) length
    h0: u32,
    h1: u32,
    len: u32,
}

/// The order in which [`solve`] works through a group's tree, built once
/// per group by [`SolvePlan::new`].
///
/// Elimination (leaves to root) runs chain by chain: a chain may start
/// once every chain attached to it is done, so the chains are taken by
/// height (leaf chains first) and the chains of one height, which are
/// independent, are interleaved [`INTERLEAVE`] units at a time: the
/// processor overlaps their dependent divisions. What a chain's head
/// subtracts from the node it hangs on is kept aside and subtracted when
/// that node's chain starts, for all its child chains in decreasing row
/// order, before the node's own in-chain child: exactly NEURON's order of
/// operations on every node (NEURON eliminates rows from the last to the
/// first, and child chains have larger rows than the node they hang on).
/// Back substitution (root to leaves) takes the chains by depth.
#[derive(Clone, Debug, Default)]
pub(crate) struct SolvePlan {
    chains: Vec<Chain>,
    /// child chains of each chain (then of each root row: index
    /// `chains.len() + root`), in decreasing head row: `kids[kid_start[o]..kid_start[o + 1]]`
    kid_start: Vec<u32>,
    kids: Vec<u32>,
    /// whether the runs are whole cells (then each head hangs on its own
    /// root and is eliminated in place, last of its run: nothing is kept
    /// aside)
    by_cell: bool,
    /// elimination units, by height; `fwd_levels` are ranges of `fwd`
    fwd: Vec<Unit>,
    fwd_levels: Vec<(u32, u32)>,
    /// substitution units, by depth
    back: Vec<Unit>,
    back_levels: Vec<(u32, u32)>,
}

impl SolvePlan {
    /// The plan for a tree of `parent` (Hines order, roots `0..ncell`, each
    /// cell's rows contiguous). With enough cells to interleave, each cell
    /// is one run; otherwise (few big cells) each unbranched chain is.
    pub(crate) fn new(parent: &[u32], ncell: usize) -> Self {
        let n = parent.len();
        let by_cell = ncell >= 2 * INTERLEAVE;
        let mut chains: Vec<Chain> = Vec::new();
        let mut chain_of = vec![u32::MAX; n];
        for r in ncell..n {
            let p = parent[r] as usize;
            let starts = if by_cell {
                p < ncell
                    && (r == ncell || parent[chains[chains.len() - 1].head as usize] as usize != p)
            } else {
                p != r - 1 || r == ncell
            };
            if starts {
                chains.push(Chain {
                    head: r as u32,
                    len: 0,
                });
            }
            let c = chains.len() - 1;
            chains[c].len += 1;
            chain_of[r] = c as u32;
        }
        let nc = chains.len();
        let owner = |c: &Chain| {
            let at = parent[c.head as usize] as usize;
            if at < ncell {
                nc + at
            } else {
                chain_of[at] as usize
            }
        };
        // child lists in decreasing head row (chains are in increasing order)
        let mut counts = vec![0u32; nc + ncell + 1];
        for c in &chains {
            counts[owner(c) + 1] += 1;
        }
        let mut kid_start = counts.clone();
        for o in 0..nc + ncell {
            kid_start[o + 1] += kid_start[o];
        }
        let mut fill = kid_start.clone();
        let mut kids = vec![0u32; nc];
        for (k, c) in chains.iter().enumerate().rev() {
            let o = owner(c);
            kids[fill[o] as usize] = k as u32;
            fill[o] += 1;
        }
        // heights (children have larger indices) and depths
        let mut height = vec![0u32; nc];
        for k in (0..nc).rev() {
            let o = owner(&chains[k]);
            if o < nc {
                height[o] = height[o].max(height[k] + 1);
            }
        }
        let mut depth = vec![0u32; nc];
        for k in 0..nc {
            let o = owner(&chains[k]);
            if o < nc {
                depth[k] = depth[o] + 1;
            }
        }
        let (fwd, fwd_levels) = levels(&chains, &height);
        let (back, back_levels) = levels(&chains, &depth);
        SolvePlan {
            by_cell,
            chains,
            kid_start,
            kids,
            fwd,
            fwd_levels,
            back,
            back_levels,
        }
    }
}

/// Units grouped by `level` (ascending): within a level the chains are
/// sorted by length, longest first, and neighbours of equal length paired.
fn levels(chains: &[Chain], level: &[u32]) -> (Vec<Unit>, Vec<(u32, u32)>) {
    let mut order: Vec<u32> = (0..chains.len() as u32).collect();
    order.sort_by_key(|&c| {
        (
            level[c as usize],
            std::cmp::Reverse(chains[c as usize].len),
            c,
        )
    });
    let mut units = Vec::with_capacity(order.len());
    let mut ranges = Vec::new();
    let mut k = 0;
    while k < order.len() {
        let lv = level[order[k] as usize];
        let start = units.len() as u32;
        while k < order.len() && level[order[k] as usize] == lv {
            let c0 = order[k];
            let pair = k + 1 < order.len()
                && level[order[k + 1] as usize] == lv
                && chains[order[k + 1] as usize].len == chains[c0 as usize].len;
            let c1 = if pair { order[k + 1] } else { c0 };
            units.push(Unit {
                c0,
                c1,
                h0: chains[c0 as usize].head,
                h1: chains[c1 as usize].head,
                len: chains[c0 as usize].len,
            });
            k += if pair { 2 } else { 1 };
        }
        ranges.push((start, units.len() as u32));
    }
    (units, ranges)
}

/// Solves the tree system in place: rhs becomes Δv; d is destroyed. See
/// [`SolvePlan`] for the order; the result is bit-identical to NEURON's
/// row-by-row `triang` and `bksub`.
pub(crate) fn solve(g: &mut CellGroup) {
    debug_check(g);
    let plan = &g.plan;
    let deferred = &mut g.deferred;
    deferred.resize(plan.chains.len(), [0.0; 2]);
    let n = &mut g.nodes;
    let m = Mat {
        a: n.a.as_ptr(),
        b: n.b.as_ptr(),
        d: n.d.as_mut_ptr(),
        rhs: n.rhs.as_mut_ptr(),
        parent: g.parent.as_ptr(),
    };
    let ch = &plan.chains;
    // subtracts the kept-aside terms of owner o's child chains
    let apply_kids = |o: usize, deferred: &[[f64; 2]]| {
        let kids = &plan.kids[plan.kid_start[o] as usize..plan.kid_start[o + 1] as usize];
        for &k in kids {
            let [xd, xr] = deferred[k as usize];
            // SAFETY: a head's parent is a row of the group (see `debug_check`)
            unsafe {
                let at = *m.parent.add(ch[k as usize].head as usize) as usize;
                *m.d.add(at) -= xd;
                *m.rhs.add(at) -= xr;
            }
        }
    };
    // rows head + stop .. head + len are eliminated in the sweep; with
    // whole cells the head too (its root has no other run)
    let stop = u32::from(!plan.by_cell);
    for &(lo, hi) in &plan.fwd_levels {
        for chunk in plan.fwd[lo as usize..hi as usize].chunks(INTERLEAVE) {
            if !plan.by_cell {
                for u in chunk {
                    apply_kids(u.c0 as usize, deferred);
                    if u.c1 != u.c0 {
                        apply_kids(u.c1 as usize, deferred);
                    }
                }
            }
            let last = chunk[chunk.len() - 1];
            if last.len == chunk[0].len && chunk.iter().all(|u| u.c1 != u.c0) {
                // the common case of many same-sized cells: all pairs of
                // one length, no per-row checks
                for k in (stop..last.len).rev() {
                    for u in chunk {
                        // SAFETY: as below
                        unsafe { m.eliminate2((u.h0 + k) as usize, (u.h1 + k) as usize) };
                    }
                }
            } else {
                for j in 1..=chunk[0].len - stop {
                    for u in chunk {
                        if j <= u.len - stop {
                            let k = u.len - j;
                            // SAFETY: non-root rows inside the runs (see
                            // `SolvePlan::new`)
                            unsafe {
                                if u.c1 != u.c0 {
                                    m.eliminate2((u.h0 + k) as usize, (u.h1 + k) as usize);
                                } else {
                                    m.eliminate((u.h0 + k) as usize);
                                }
                            }
                        }
                    }
                }
            }
            for u in chunk.iter().filter(|_| !plan.by_cell) {
                // SAFETY: a head is a non-root row
                unsafe {
                    deferred[u.c0 as usize] = m.head_terms(u.h0 as usize);
                    if u.c1 != u.c0 {
                        deferred[u.c1 as usize] = m.head_terms(u.h1 as usize);
                    }
                }
            }
        }
    }
    for r in 0..g.ncell {
        if !plan.by_cell {
            apply_kids(plan.chains.len() + r, deferred);
        }
        n.rhs[r] /= n.d[r];
    }
    for &(lo, hi) in &plan.back_levels {
        for chunk in plan.back[lo as usize..hi as usize].chunks(INTERLEAVE) {
            let last = chunk[chunk.len() - 1];
            if last.len == chunk[0].len && chunk.iter().all(|u| u.c1 != u.c0) {
                for j in 0..last.len {
                    for u in chunk {
                        // SAFETY: as below
                        unsafe { m.substitute2((u.h0 + j) as usize, (u.h1 + j) as usize) };
                    }
                }
                continue;
            }
            for j in 0..chunk[0].len {
                for u in chunk {
                    if j < u.len {
                        // SAFETY: as above; a chain's parent chain (or
                        // root) is solved at a lower depth
                        unsafe {
                            if u.c1 != u.c0 {
                                m.substitute2((u.h0 + j) as usize, (u.h1 + j) as usize);
                            } else {
                                m.substitute((u.h0 + j) as usize);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How many units [`solve`] works on together.
const INTERLEAVE: usize = 8;

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

    /// What eliminating head row `h` subtracts from its parent's `d` and
    /// `rhs` (NEURON's `triang` step, the products only).
    #[inline(always)]
    unsafe fn head_terms(&self, h: usize) -> [f64; 2] {
        let p = *self.a.add(h) / *self.d.add(h);
        [p * *self.b.add(h), p * *self.rhs.add(h)]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// NEURON's `triang` and `bksub`, row by row: the order the plan must
    /// reproduce bit for bit.
    fn reference(
        parent: &[u32],
        ncell: usize,
        a: &[f64],
        b: &[f64],
        d: &mut [f64],
        rhs: &mut [f64],
    ) {
        for i in (ncell..parent.len()).rev() {
            let p = a[i] / d[i];
            let pi = parent[i] as usize;
            d[pi] -= p * b[i];
            rhs[pi] -= p * rhs[i];
        }
        for i in 0..ncell {
            rhs[i] /= d[i];
        }
        for i in ncell..parent.len() {
            let pi = parent[i] as usize;
            rhs[i] -= b[i] * rhs[pi];
            rhs[i] /= d[i];
        }
    }

    /// A small deterministic generator (xorshift).
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn f(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// `ncell` random trees in Hines order: sections of random length
    /// hanging on random earlier nodes of their cell (several children per
    /// node, children on roots, chains continuing from a section's end).
    fn random_group(gen: &mut Gen, ncell: usize, same_shape: bool) -> CellGroup {
        let mut parent: Vec<u32> = vec![u32::MAX; ncell];
        let seed = gen.next();
        for c in 0..ncell {
            if same_shape {
                // every cell drawn from the same stream: the same tree
                gen.0 = seed;
            }
            let start = parent.len();
            for _ in 0..1 + gen.next() % 12 {
                let attach = if parent.len() == start || gen.next().is_multiple_of(5) {
                    c as u32
                } else {
                    (start + (gen.next() as usize) % (parent.len() - start)) as u32
                };
                let mut prev = attach;
                for _ in 0..1 + gen.next() % 9 {
                    parent.push(prev);
                    prev = parent.len() as u32 - 1;
                }
            }
        }
        let mut g = CellGroup {
            ncell,
            ..CellGroup::default()
        };
        let n = parent.len();
        for x in [
            &mut g.nodes.v,
            &mut g.nodes.a,
            &mut g.nodes.b,
            &mut g.nodes.d,
            &mut g.nodes.rhs,
        ] {
            *x = vec![0.0; n];
        }
        g.nodes.cm = vec![1.0; n];
        g.cap = vec![1.0; n];
        g.plan = SolvePlan::new(&parent, ncell);
        g.parent = parent;
        for i in 0..g.parent.len() {
            g.nodes.a[i] = -gen.f();
            g.nodes.b[i] = -gen.f();
            g.nodes.d[i] = 3.0 + gen.f();
            g.nodes.rhs[i] = gen.f() - 0.5;
        }
        g
    }

    #[test]
    fn assembly_matches_neurons_loops_bit_for_bit() {
        let mut gen = Gen(0x2545f4914f6cdd1d);
        for (ncell, same_shape) in [(1, false), (3, false), (17, false), (20, true)] {
            for _ in 0..20 {
                let mut g = random_group(&mut gen, ncell, same_shape);
                let n = g.parent.len();
                for i in 0..n {
                    g.nodes.v[i] = -70.0 + 30.0 * gen.f();
                    g.nodes.cm[i] = 0.5 + gen.f();
                    g.cap[i] = if i >= ncell && !gen.next().is_multiple_of(4) {
                        1.0
                    } else {
                        0.0
                    };
                }
                let cfac = 0.001 * 40.0;
                let (mut d, mut rhs) = (g.nodes.d.clone(), g.nodes.rhs.clone());
                // NEURON: nrn_rhs's axial loop, then the capacitance of the
                // nodes with membrane, then nrn_lhs's axial loop
                let (v, a, b) = (&g.nodes.v, &g.nodes.a, &g.nodes.b);
                for i in ncell..n {
                    let p = g.parent[i] as usize;
                    let dv = v[p] - v[i];
                    rhs[i] -= b[i] * dv;
                    rhs[p] += a[i] * dv;
                }
                for i in (0..n).filter(|&i| g.cap[i] != 0.0) {
                    d[i] += cfac * g.nodes.cm[i];
                }
                for i in ncell..n {
                    let p = g.parent[i] as usize;
                    d[i] -= b[i];
                    d[p] -= a[i];
                }
                assemble(&mut g, cfac);
                let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&g.nodes.rhs), bits(&rhs), "rhs, {ncell} cells");
                assert_eq!(bits(&g.nodes.d), bits(&d), "d, {ncell} cells");
            }
        }
    }

    #[test]
    fn solve_matches_neurons_row_order_bit_for_bit() {
        let mut gen = Gen(0x9e3779b97f4a7c15);
        // few cells: chains by height; many: whole cells
        for (ncell, same_shape) in [1, 2, 3, 7, 16, 17, 40, 16, 33, 64]
            .into_iter()
            .enumerate()
            .map(|(k, n)| (n, k >= 7))
        {
            for _ in 0..20 {
                let mut g = random_group(&mut gen, ncell, same_shape);
                let (mut d, mut rhs) = (g.nodes.d.clone(), g.nodes.rhs.clone());
                reference(&g.parent, ncell, &g.nodes.a, &g.nodes.b, &mut d, &mut rhs);
                solve(&mut g);
                let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&g.nodes.rhs), bits(&rhs), "{ncell} cells");
            }
        }
    }
}
