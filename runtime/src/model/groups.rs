//! Cell groups (NEURON's `v_setup_vectors` and `reorder_secorder`): the cells
//! are split into contiguous runs, one per group; each group's nodes are laid
//! out in Hines order (all root nodes first, then cell by cell, sections breadth
//! first, each section's nodes from its connecting end) with a parent index
//! array, and its mechanism instances sorted by node. Values move with their
//! stable ids, so handles survive. The arithmetic of one cell does not depend
//! on which group it is in, so results are bit-identical for any group count.

use std::collections::{HashMap, VecDeque};

use super::ids::{InstanceId, NodeId, SectionId};
use super::store::{CellGroup, Loc, MechBlock, LOOSE};
use super::{Model, ModelError, Prop, Result};

impl Model {
    /// Rebuilds the cell groups from the sections.
    pub(crate) fn rebuild_groups(&mut self) -> Result<()> {
        if self.tree_changed {
            self.setup_topology()?;
        }
        let mut roots = Vec::new();
        for s in self.sections() {
            if self.sec(s)?.parent_sec.is_none() {
                roots.push(s);
            }
        }
        let ncell = roots.len();
        let ngroup = self.group_count.max(1);
        let nmech = self.mech_types.len();
        let new_block = |ncell: usize| CellGroup {
            mechs: (0..nmech)
                .map(|t| {
                    let spec = &self.mech_types[t].spec;
                    MechBlock::new(spec.slot_count(), spec.has_extra())
                })
                .collect(),
            ncell,
            finite: true,
            ..CellGroup::default()
        };
        let mut groups: Vec<CellGroup> = Vec::with_capacity(ngroup);
        let mut node_locs: Vec<(NodeId, Loc)> = Vec::new();
        let mut inst_locs: Vec<(InstanceId, Loc)> = Vec::new();
        let mut secorder = Vec::new();
        let mut next = 0;
        for g in 0..ngroup {
            let count = if g < ncell {
                (ncell - g).div_ceil(ngroup)
            } else {
                0
            };
            let cells = &roots[next..next + count];
            next += count;
            let mut order: Vec<NodeId> = Vec::new();
            let mut parent: Vec<u32> = Vec::new();
            let mut cap: Vec<f64> = Vec::new();
            let mut row_of: HashMap<NodeId, u32> = HashMap::new();
            for &c in cells {
                let rn = self.sec(c)?.parent_node.ok_or(ModelError::DeletedNode)?;
                row_of.insert(rn, order.len() as u32);
                order.push(rn);
                parent.push(u32::MAX);
                cap.push(0.0);
            }
            for &c in cells {
                let mut queue: VecDeque<SectionId> = VecDeque::from([c]);
                while let Some(s) = queue.pop_front() {
                    let sec = self.sec(s)?;
                    queue.extend(sec.children.iter().copied());
                    secorder.push(s);
                    let pn = sec.parent_node.ok_or(ModelError::DeletedNode)?;
                    let mut prow = *row_of.get(&pn).ok_or(ModelError::DeletedNode)?;
                    let last = sec.nodes.len() - 1;
                    for (j, &n) in sec.nodes.iter().enumerate() {
                        let row = order.len() as u32;
                        row_of.insert(n, row);
                        order.push(n);
                        parent.push(prow);
                        // the node at a section's end has no membrane
                        cap.push(if j < last { 1.0 } else { 0.0 });
                        prow = row;
                    }
                }
            }
            let mut block = new_block(cells.len());
            for &n in &order {
                let v = self.node_values(n)?;
                let row = block.nodes.push(n, v);
                node_locs.push((
                    n,
                    Loc {
                        block: g as u32,
                        row,
                    },
                ));
            }
            for (row, &n) in order.iter().enumerate() {
                for p in self.node_info(n)?.props.iter().rev() {
                    let Prop::Mech(i) = *p else { continue };
                    let info = self.instance_info(i)?;
                    let t = info.mech.0 as usize;
                    let old = &self.block(info.loc.block).mechs[t];
                    let orow = info.loc.row as usize;
                    let r = block.mechs[t].push(i, row as u32, &old.values(orow), old.extra(orow));
                    inst_locs.push((
                        i,
                        Loc {
                            block: g as u32,
                            row: r,
                        },
                    ));
                }
            }
            for t in 0..nmech {
                let its = &self.mech_types[t].ion_types;
                let mut rows = Vec::with_capacity(its.len());
                for it in its {
                    let ib = &block.mechs[it.0 as usize];
                    let mut ion_row = vec![u32::MAX; block.nodes.len()];
                    for (r, &nr) in ib.node_row.iter().enumerate() {
                        ion_row[nr as usize] = r as u32;
                    }
                    let mut col = Vec::with_capacity(block.mechs[t].count);
                    for &nr in &block.mechs[t].node_row {
                        match ion_row[nr as usize] {
                            u32::MAX => return Err(ModelError::DeletedInstance),
                            r => col.push(r),
                        }
                    }
                    rows.push(col);
                }
                block.mechs[t].ion_rows = rows;
            }
            block.plan = super::hines::SolvePlan::new(&parent, cells.len());
            block.parent = parent;
            block.cap = cap;
            block.t = self.t;
            // forces the next step to take t, dt and cj from the model
            block.dt = f64::NAN;
            groups.push(block);
        }
        // unlocated point processes wait in the loose block
        let mut loose = new_block(0);
        for (i, info) in self.instances.iter() {
            if info.node.is_none() {
                let t = info.mech.0 as usize;
                let old = &self.block(info.loc.block).mechs[t];
                let orow = info.loc.row as usize;
                let r = loose.mechs[t].push(i, u32::MAX, &old.values(orow), old.extra(orow));
                inst_locs.push((
                    i,
                    Loc {
                        block: LOOSE,
                        row: r,
                    },
                ));
            }
        }
        for (n, loc) in node_locs {
            if let Some(info) = self.nodes.get_mut(n) {
                info.loc = loc;
            }
        }
        for (i, loc) in inst_locs {
            if let Some(info) = self.instances.get_mut(i) {
                info.loc = loc;
            }
        }
        self.groups = groups;
        self.loose = loose;
        self.secorder = secorder;
        self.structure_changed = false;
        self.groups_gen += 1;
        self.diam_changed = true;
        Ok(())
    }

    /// Number of cells (trees).
    pub fn cell_count(&mut self) -> Result<usize> {
        self.verify_structure()?;
        Ok(self.groups.iter().map(|g| g.ncell).sum())
    }

    /// Total number of nodes the solver steps.
    pub fn node_count(&mut self) -> Result<usize> {
        self.verify_structure()?;
        Ok(self.groups.iter().map(|g| g.nodes.len()).sum())
    }
}
