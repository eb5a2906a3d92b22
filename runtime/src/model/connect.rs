//! `connect` and `disconnect`: the parent link, the children's sibling order
//! (by distance from the parent's 0 end, newest first among equals), the node
//! order of a section connected by its 1 end, and where each section's first
//! node hangs (`nrn_parent_info`).

use super::ids::{NodeId, SectionId};
use super::store::NodeValues;
use super::{Model, ModelError, Prop, Result};

/// What a section was connected to before a `connect` moved it (NEURON prints
/// "Notice: child(o) had previously been connected to parent parent(x)").
#[derive(Clone, Debug, PartialEq)]
pub struct PreviousParent {
    /// the old parent
    pub parent: SectionId,
    /// the child's connecting end before the call (0 or 1)
    pub orientation: f64,
    /// the old position on the parent
    pub parent_x: f64,
}

impl Model {
    /// `connect child(child_end), parent(parent_x)`: `child_end` must be 0 or 1,
    /// `parent_x` in [0, 1]. Returns the previous parent if there was one.
    /// A connection that would close a loop leaves the child disconnected and
    /// gives [`ModelError::Loop`].
    pub fn connect(
        &mut self,
        child: SectionId,
        child_end: f64,
        parent: SectionId,
        parent_x: f64,
    ) -> Result<Option<PreviousParent>> {
        self.sec(parent)?;
        let sec = self.sec(child)?;
        if child_end != 0.0 && child_end != 1.0 {
            return Err(ModelError::BadChildEnd {
                section: sec.name.clone(),
            });
        }
        if !(0.0..=1.0).contains(&parent_x) {
            return Err(ModelError::BadParentX {
                section: sec.name.clone(),
            });
        }
        let old_parent = sec.parent_sec;
        let old_pnode = sec.parent_node;
        let previous = old_parent.map(|p| PreviousParent {
            parent: p,
            orientation: sec.orientation,
            parent_x: sec.parent_x,
        });
        if old_parent.is_some() {
            self.remove_sibling(child)?;
        }
        if self.sec(child)?.orientation != child_end {
            self.reverse_children(child)?;
            self.reverse_nodes(child)?;
        }
        {
            let sec = self.sec_mut(child)?;
            sec.parent_x = parent_x;
            sec.orientation = child_end;
            sec.parent_sec = Some(parent);
            sec.parent_node = None;
        }
        self.add_sibling(child)?;
        self.tree_changed = true;
        self.diam_changed = true;
        self.structure_changed = true;
        if let Err(e) = self.parent_info(child) {
            if old_parent.is_none() {
                if let Some(n) = old_pnode {
                    self.free_node(n);
                }
            }
            return Err(e);
        }
        let new_pnode = self.sec(child)?.parent_node;
        self.relocate_points_opt(child, old_pnode, child, new_pnode)?;
        self.reattach_children_at_beginning(child, old_pnode)?;
        if old_parent.is_none() {
            if let Some(n) = old_pnode {
                self.free_node(n);
            }
        }
        Ok(previous)
    }

    /// Disconnects a section from its parent; it becomes the root of its own
    /// tree with a new root node (v = -65 mV until set).
    pub fn disconnect(&mut self, s: SectionId) -> Result<()> {
        let sec = self.sec(s)?;
        if sec.parent_sec.is_none() {
            return Ok(());
        }
        let old_pnode = sec.parent_node;
        self.remove_sibling(s)?;
        {
            let sec = self.sec_mut(s)?;
            sec.parent_sec = None;
            sec.parent_node = None;
        }
        self.parent_info(s)?;
        let new_pnode = self.sec(s)?.parent_node;
        self.relocate_points_opt(s, old_pnode, s, new_pnode)?;
        self.reattach_children_at_beginning(s, old_pnode)?;
        self.tree_changed = true;
        self.structure_changed = true;
        self.diam_changed = true;
        Ok(())
    }

    /// The parent section and the position on it.
    pub fn parent(&self, s: SectionId) -> Result<Option<(SectionId, f64)>> {
        let sec = self.sec(s)?;
        Ok(sec.parent_sec.map(|p| (p, sec.parent_x)))
    }

    /// The end of the section that connects to its parent (0 or 1; NEURON's
    /// `section_orientation`).
    pub fn orientation(&self, s: SectionId) -> Result<f64> {
        Ok(self.sec(s)?.orientation)
    }

    /// The children, in order of increasing distance from this section's 0 end.
    pub fn children(&self, s: SectionId) -> Result<&[SectionId]> {
        Ok(&self.sec(s)?.children)
    }

    /// The root section of the tree containing `s`.
    pub fn root_of(&self, s: SectionId) -> Result<SectionId> {
        let mut cur = s;
        let mut steps = 0;
        while let Some(p) = self.sec(cur)?.parent_sec {
            cur = p;
            steps += 1;
            if steps > self.sections.len() {
                break;
            }
        }
        Ok(cur)
    }

    fn reattach_children_at_beginning(
        &mut self,
        s: SectionId,
        old_pnode: Option<NodeId>,
    ) -> Result<()> {
        let sec = self.sec(s)?;
        let pnode = sec.parent_node;
        let orient = sec.orientation;
        let children = sec.children.clone();
        for ch in children {
            if self.sec(ch)?.parent_x == orient {
                self.sec_mut(ch)?.parent_node = pnode;
                self.relocate_points_opt(ch, old_pnode, ch, pnode)?;
            }
        }
        Ok(())
    }

    /// Distance of the connection from the parent's 0 end (NEURON's `ncp_abs`).
    fn ncp_abs(&self, s: SectionId) -> Result<f64> {
        let sec = self.sec(s)?;
        let x = sec.parent_x;
        if let Some(p) = sec.parent_sec {
            if self.sec(p)?.orientation != 0.0 {
                return Ok(1.0 - x);
            }
        }
        Ok(x)
    }

    fn remove_sibling(&mut self, s: SectionId) -> Result<()> {
        if let Some(p) = self.sec(s)?.parent_sec {
            if let Some(ps) = self.sections.get_mut(p) {
                ps.children.retain(|&c| c != s);
            }
        }
        Ok(())
    }

    fn add_sibling(&mut self, s: SectionId) -> Result<()> {
        let Some(p) = self.sec(s)?.parent_sec else {
            return Ok(());
        };
        let x = self.ncp_abs(s)?;
        let siblings = self.sec(p)?.children.clone();
        let mut pos = siblings.len();
        for (i, &c) in siblings.iter().enumerate() {
            if x <= self.ncp_abs(c)? {
                pos = i;
                break;
            }
        }
        self.sec_mut(p)?.children.insert(pos, s);
        Ok(())
    }

    fn reverse_children(&mut self, s: SectionId) -> Result<()> {
        let sec = self.sec_mut(s)?;
        sec.children.reverse();
        let children = sec.children.clone();
        for c in children {
            self.sec_mut(c)?.parent_node = None;
        }
        Ok(())
    }

    fn reverse_nodes(&mut self, s: SectionId) -> Result<()> {
        let sec = self.sec_mut(s)?;
        let n = sec.nodes.len() - 1;
        sec.nodes[..n].reverse();
        let nodes = sec.nodes.clone();
        for (i, n) in nodes.into_iter().enumerate() {
            if let Some(info) = self.nodes.get_mut(n) {
                info.index = i;
            }
        }
        Ok(())
    }

    /// NEURON's `nrn_parent_info`: finds the node the section's first node hangs
    /// from, allocating a root node for a tree that has none.
    pub(crate) fn parent_info(&mut self, s: SectionId) -> Result<()> {
        let mut sec = s;
        let mut pnode = None;
        let mut steps = 0;
        while let Some(psec) = self.sec(sec)?.parent_sec {
            steps += 1;
            if psec == s || steps > self.sections.len() {
                let name = self.sec(s)?.name.clone();
                self.disconnect(s)?;
                return Err(ModelError::Loop { section: name });
            }
            let x = self.sec(sec)?.parent_x;
            let ps = self.sec(psec)?;
            if x != ps.orientation {
                pnode = Some(if x == 1.0 || x == 0.0 {
                    ps.nodes[ps.nodes.len() - 1]
                } else {
                    ps.nodes[super::section::node_index_of(ps, x)]
                });
                break;
            }
            sec = psec;
        }
        let pnode = match pnode {
            Some(n) => n,
            None => match self.sec(sec)?.parent_node {
                Some(n) => n,
                None => {
                    let n = self.new_node(sec, 0, NodeValues::fresh());
                    self.sec_mut(sec)?.parent_node = Some(n);
                    n
                }
            },
        };
        self.sec_mut(s)?.parent_node = Some(pnode);
        Ok(())
    }

    fn relocate_points_opt(
        &mut self,
        oldsec: SectionId,
        oldnode: Option<NodeId>,
        sec: SectionId,
        node: Option<NodeId>,
    ) -> Result<()> {
        match (oldnode, node) {
            (Some(o), Some(n)) if self.nodes.contains(o) => self.relocate_points(oldsec, o, sec, n),
            _ => Ok(()),
        }
    }

    /// NEURON's `nrn_relocate_old_points`: point processes of `oldsec` on
    /// `oldnode` move to `node` in `sec`.
    pub(crate) fn relocate_points(
        &mut self,
        oldsec: SectionId,
        oldnode: NodeId,
        sec: SectionId,
        node: NodeId,
    ) -> Result<()> {
        let props = self.node_info(oldnode)?.props.clone();
        // NEURON walks the list newest first
        for p in props.into_iter().rev() {
            let Prop::Mech(inst) = p else { continue };
            if !self.is_point_instance(inst) {
                continue;
            }
            if self.instance_info(inst)?.sec != Some(oldsec) {
                continue;
            }
            if oldnode == node {
                if let Some(i) = self.instances.get_mut(inst) {
                    i.sec = Some(sec);
                }
            } else {
                self.move_point(inst, sec, node)?;
            }
        }
        Ok(())
    }
}
