//! Sections: creation and deletion, names, the cable properties (`L`, `Ra`,
//! `rallbranch`, `nseg`) and per-segment values (`diam`, `cm`, `v`), with the
//! side effects NEURON's `cable_prop_assign` and `nrn_rangeconst` have.

use super::ids::{NodeId, SectionId};
use super::pt3d::Pt3d;
use super::store::NodeValues;
use super::{Model, ModelError, NodeField, Result};

/// NEURON's defaults for a new section.
pub(crate) const DEFAULT_L: f64 = 100.0;
pub(crate) const DEFAULT_RA: f64 = 35.4;
/// Largest nseg NEURON accepts (a `short`).
pub const MAX_NSEG: i64 = 32767;

/// One unbranched cable.
#[derive(Clone, Debug)]
pub(crate) struct Section {
    /// printable name, e.g. `soma`, `dend[2]`, `Cell[0].axon`
    pub name: String,
    /// nseg + 1 nodes; `nodes[0]` is at the end connected to the parent, the
    /// last is the zero-area node at the other end
    pub nodes: Vec<NodeId>,
    /// parent section
    pub parent_sec: Option<SectionId>,
    /// position on the parent (NEURON's `dparam[1]`)
    pub parent_x: f64,
    /// the end of this section that connects: 0 or 1 (`dparam[3]`)
    pub orientation: f64,
    /// length [µm] (`dparam[2]`)
    pub length: f64,
    /// axial resistivity [Ω·cm]
    pub ra: f64,
    /// number of identical branches this section stands for
    pub rallbranch: f64,
    /// the node this section's first node hangs from (for a root section, a
    /// node it owns); valid when the tree is not changed
    pub parent_node: Option<NodeId>,
    /// children in order of increasing distance from this section's 0 end
    pub children: Vec<SectionId>,
    /// 3-D points
    pub pt3d: Vec<Pt3d>,
    /// `pt3dstyle(1, x, y, z)` logical connection point
    pub logical_connection: Option<[f32; 3]>,
    /// area, ri, diam (from 3-D points) and L (from 3-D points) are stale
    pub recalc_area: bool,
}

impl Section {
    /// Number of segments.
    pub(crate) fn nseg(&self) -> usize {
        self.nodes.len() - 1
    }
}

impl Model {
    pub(crate) fn sec(&self, s: SectionId) -> Result<&Section> {
        self.sections.get(s).ok_or(ModelError::DeletedSection)
    }

    pub(crate) fn sec_mut(&mut self, s: SectionId) -> Result<&mut Section> {
        self.sections.get_mut(s).ok_or(ModelError::DeletedSection)
    }

    /// Creates a section with NEURON's defaults (nseg 1, L 100 µm, Ra 35.4 Ω·cm,
    /// diam 500 µm, cm 1 µF/cm²) at the end of the section list.
    pub fn new_section(&mut self, name: &str) -> SectionId {
        let id = self.alloc_section(name);
        self.section_list.push(id);
        id
    }

    /// Creates a section placed in the section list right after `after` (how
    /// NEURON keeps the sections of one object together).
    pub fn new_section_after(&mut self, name: &str, after: SectionId) -> Result<SectionId> {
        self.sec(after)?;
        let pos = self
            .section_list
            .iter()
            .position(|&s| s == after)
            .ok_or(ModelError::DeletedSection)?;
        let id = self.alloc_section(name);
        self.section_list.insert(pos + 1, id);
        Ok(id)
    }

    fn alloc_section(&mut self, name: &str) -> SectionId {
        let id = self.sections.insert(Section {
            name: name.to_string(),
            nodes: Vec::new(),
            parent_sec: None,
            parent_x: 0.0,
            orientation: 0.0,
            length: DEFAULT_L,
            ra: DEFAULT_RA,
            rallbranch: 1.0,
            parent_node: None,
            children: Vec::new(),
            pt3d: Vec::new(),
            logical_connection: None,
            recalc_area: true,
        });
        let nodes: Vec<NodeId> = (0..2)
            .map(|i| self.new_node(id, i, NodeValues::fresh()))
            .collect();
        self.give_membrane(nodes[0]);
        if let Some(sec) = self.sections.get_mut(id) {
            sec.nodes = nodes;
        }
        self.tree_changed = true;
        self.diam_changed = true;
        id
    }

    /// Deletes a section: its children become roots of their own trees, its
    /// nodes and density mechanisms go, point processes in it become unlocated.
    pub fn delete_section(&mut self, s: SectionId) -> Result<()> {
        let children = self.sec(s)?.children.clone();
        for ch in children {
            self.disconnect(ch)?;
        }
        self.disconnect(s)?;
        let Some(sec) = self.sections.remove(s) else {
            return Err(ModelError::DeletedSection);
        };
        for &n in &sec.nodes {
            self.free_node(n);
        }
        if let Some(root) = sec.parent_node {
            // after disconnect a section's parent node is its own root node
            if self.nodes.get(root).map(|i| i.sec) == Some(s) {
                self.free_node(root);
            }
        }
        // the list keeps the dead id until enough have died (removing each
        // at once made deleting n sections cost n²)
        self.section_list_dead += 1;
        if self.section_list_dead * 2 > self.section_list.len() {
            let sections = &self.sections;
            self.section_list.retain(|&x| sections.contains(x));
            self.section_list_dead = 0;
        }
        self.tree_changed = true;
        self.structure_changed = true;
        self.diam_changed = true;
        self.shape_changed += 1;
        Ok(())
    }

    /// Frees a node and the density instances on it; its point processes
    /// become unlocated.
    pub(crate) fn free_node(&mut self, n: NodeId) {
        if let Some(info) = self.nodes.remove(n) {
            for inst in info.props.into_iter().filter_map(|p| match p {
                super::Prop::Mech(i) => Some(i),
                _ => None,
            }) {
                let point = self
                    .instances
                    .get(inst)
                    .map(|i| self.mech_types[i.mech.0 as usize].spec.kind.is_point())
                    == Some(true);
                if point {
                    if let Some(i) = self.instances.get_mut(inst) {
                        i.node = None;
                        i.sec = None;
                    }
                } else {
                    self.instances.remove(inst);
                }
            }
        }
        self.structure_changed = true;
    }

    /// Whether the handle names a live section.
    pub fn section_exists(&self, s: SectionId) -> bool {
        self.sections.contains(s)
    }

    /// Number of live sections.
    pub fn section_count(&self) -> usize {
        self.sections.len()
    }

    /// Live sections in NEURON's section-list order (creation order): the
    /// order of `forall` and `topology()`.
    pub fn sections(&self) -> impl Iterator<Item = SectionId> + '_ {
        self.section_list
            .iter()
            .copied()
            .filter(|&s| self.sections.contains(s))
    }

    /// The section's name.
    pub fn name(&self, s: SectionId) -> Result<&str> {
        Ok(&self.sec(s)?.name)
    }

    /// Number of segments.
    pub fn nseg(&self, s: SectionId) -> Result<usize> {
        Ok(self.sec(s)?.nseg())
    }

    /// Sets nseg. Segment values (v, diam, cm, density mechanisms) carry over
    /// as NEURON's `node_realloc` does (each new segment takes the values of the
    /// old segment containing its center). Above 32767 NEURON warns and uses 1;
    /// so does this (the caller prints the warning).
    pub fn set_nseg(&mut self, s: SectionId, n: i64) -> Result<()> {
        let n = if n > MAX_NSEG { 1 } else { n };
        if n < 1 {
            return Err(ModelError::BadNseg);
        }
        if self.sec(s)?.nseg() == n as usize {
            return Ok(());
        }
        self.realloc_nodes(s, n as usize)?;
        self.tree_changed = true;
        self.diam_changed = true;
        self.sec_mut(s)?.recalc_area = true;
        Ok(())
    }

    /// Length `L` [µm]. With 3-D points and stale geometry, the arc length of
    /// the last point (as NEURON's `section_length`); never below 1e-9.
    pub fn length(&mut self, s: SectionId) -> Result<f64> {
        let sec = self.sec_mut(s)?;
        Ok(section_length(sec))
    }

    /// Sets `L` [µm]; 3-D points are scaled to match (ignored entirely when
    /// `pt3dconst` is on, as in NEURON).
    pub fn set_length(&mut self, s: SectionId, l: f64) -> Result<()> {
        self.sec(s)?;
        if self.pt3dconst {
            return Ok(());
        }
        let sec = self.sec_mut(s)?;
        sec.length = l;
        sec.recalc_area = true;
        self.length_change(s, l)?;
        self.diam_changed = true;
        Ok(())
    }

    /// Axial resistivity `Ra` [Ω·cm].
    pub fn ra(&self, s: SectionId) -> Result<f64> {
        Ok(self.sec(s)?.ra)
    }

    /// Sets `Ra` [Ω·cm].
    pub fn set_ra(&mut self, s: SectionId, ra: f64) -> Result<()> {
        let sec = self.sec_mut(s)?;
        sec.ra = ra;
        sec.recalc_area = true;
        self.diam_changed = true;
        Ok(())
    }

    /// `rallbranch`: the section stands for this many identical branches.
    pub fn rallbranch(&self, s: SectionId) -> Result<f64> {
        Ok(self.sec(s)?.rallbranch)
    }

    /// Sets `rallbranch`.
    pub fn set_rallbranch(&mut self, s: SectionId, r: f64) -> Result<()> {
        let sec = self.sec_mut(s)?;
        sec.rallbranch = r;
        sec.recalc_area = true;
        self.diam_changed = true;
        Ok(())
    }

    /// The segment index for arc position `x` (NEURON's `node_index`): the
    /// index into the section's node list, which runs from the connecting end.
    pub(crate) fn node_index(&self, s: SectionId, x: f64) -> Result<usize> {
        if !(0.0..=1.0).contains(&x) {
            return Err(ModelError::XOutOfRange);
        }
        let sec = self.sec(s)?;
        Ok(node_index_of(sec, x))
    }

    /// The segment node containing `x` (0 < x < 1; x = 0 and 1 give the first
    /// and last segment).
    pub fn segment_node(&self, s: SectionId, x: f64) -> Result<NodeId> {
        let i = self.node_index(s, x)?;
        Ok(self.sec(s)?.nodes[i])
    }

    /// The node at `x` including the ends (NEURON's `node_exact`): x = 0 or 1 at
    /// the connecting end gives the parent's node, at the far end the section's
    /// zero-area node. Out-of-range x is clamped, as in NEURON.
    pub fn node_exact(&mut self, s: SectionId, x: f64) -> Result<NodeId> {
        let sec = self.sec(s)?;
        if x <= 0.0 || x >= 1.0 {
            let mut x = x.clamp(0.0, 1.0);
            if sec.orientation != 0.0 {
                x = 1.0 - x;
            }
            if x == 0.0 {
                if self.tree_changed {
                    self.setup_topology()?;
                }
                self.sec(s)?.parent_node.ok_or(ModelError::DeletedNode)
            } else {
                Ok(sec.nodes[sec.nodes.len() - 1])
            }
        } else {
            Ok(sec.nodes[node_index_of(sec, x)])
        }
    }

    /// Segment diameter at `x` [µm] (recomputed from 3-D points if stale).
    pub fn diam(&mut self, s: SectionId, x: f64) -> Result<f64> {
        let n = self.segment_node(s, x)?;
        if self.sec(s)?.recalc_area {
            self.area_ri(s)?;
        }
        self.node_get(n, NodeField::Diam)
    }

    /// Sets the diameter of the segment at `x` [µm]. With 3-D points (and
    /// `pt3dconst` off) the points' diameters follow, as NEURON's
    /// `nrn_diam_change`; with `pt3dconst` on the assignment is ignored.
    pub fn set_diam(&mut self, s: SectionId, x: f64, d: f64) -> Result<()> {
        let n = self.segment_node(s, x)?;
        if self.pt3dconst {
            return Ok(());
        }
        self.diam_changed = true;
        self.node_set(n, NodeField::Diam, d)?;
        self.sec_mut(s)?.recalc_area = true;
        self.diam_change(s)
    }

    /// Sets the diameter of every segment [µm] (`diam = d` in a section).
    pub fn set_diam_all(&mut self, s: SectionId, d: f64) -> Result<()> {
        let nodes = self.sec(s)?.nodes.clone();
        if self.pt3dconst {
            return Ok(());
        }
        self.diam_changed = true;
        for &n in &nodes[..nodes.len() - 1] {
            self.node_set(n, NodeField::Diam, d)?;
        }
        self.sec_mut(s)?.recalc_area = true;
        self.diam_change(s)
    }

    /// Specific membrane capacitance at `x` [µF/cm²].
    pub fn cm(&self, s: SectionId, x: f64) -> Result<f64> {
        self.node_get(self.segment_node(s, x)?, NodeField::Cm)
    }

    /// Sets the capacitance of the segment at `x` [µF/cm²].
    pub fn set_cm(&mut self, s: SectionId, x: f64, cm: f64) -> Result<()> {
        let n = self.segment_node(s, x)?;
        self.node_set(n, NodeField::Cm, cm)
    }

    /// Sets the capacitance of every segment [µF/cm²].
    pub fn set_cm_all(&mut self, s: SectionId, cm: f64) -> Result<()> {
        let nodes = self.sec(s)?.nodes.clone();
        for &n in &nodes[..nodes.len() - 1] {
            self.node_set(n, NodeField::Cm, cm)?;
        }
        Ok(())
    }

    /// Capacitive current of the segment at `x` [mA/cm²] (after a step).
    pub fn i_cap(&self, s: SectionId, x: f64) -> Result<f64> {
        self.node_get(self.segment_node(s, x)?, NodeField::ICap)
    }

    /// Membrane potential at `x` [mV], ends included.
    pub fn v(&mut self, s: SectionId, x: f64) -> Result<f64> {
        if !(0.0..=1.0).contains(&x) {
            return Err(ModelError::XOutOfRange);
        }
        let n = self.node_exact(s, x)?;
        self.node_get(n, NodeField::V)
    }

    /// Sets the membrane potential at `x` [mV], ends included.
    pub fn set_v(&mut self, s: SectionId, x: f64, v: f64) -> Result<()> {
        if !(0.0..=1.0).contains(&x) {
            return Err(ModelError::XOutOfRange);
        }
        let n = self.node_exact(s, x)?;
        self.node_set(n, NodeField::V, v)
    }

    /// Sets v everywhere in the section, both end nodes included (`v = ...` in
    /// a section, NEURON's `nrn_rangeconst`).
    pub fn set_v_all(&mut self, s: SectionId, v: f64) -> Result<()> {
        let n0 = self.node_exact(s, 0.0)?;
        self.node_set(n0, NodeField::V, v)?;
        let n1 = self.node_exact(s, 1.0)?;
        self.node_set(n1, NodeField::V, v)?;
        let nodes = self.sec(s)?.nodes.clone();
        for &n in &nodes[..nodes.len() - 1] {
            self.node_set(n, NodeField::V, v)?;
        }
        Ok(())
    }

    /// The arc position of a node in its section (NEURON's `nrn_arc_position`).
    pub fn arc_position(&self, s: SectionId, n: NodeId) -> Result<f64> {
        let sec = self.sec(s)?;
        let nnode = sec.nodes.len();
        let x = if sec.parent_node == Some(n) {
            0.0
        } else {
            let idx = self.node_info(n)?.index;
            if idx == nnode - 1 {
                1.0
            } else {
                (idx as f64 + 0.5) / (nnode as f64 - 1.0)
            }
        };
        Ok(if sec.orientation == 0.0 { x } else { 1.0 - x })
    }

    /// Which section a node belongs to and its arc position there.
    pub fn node_location(&self, n: NodeId) -> Result<(SectionId, f64)> {
        let s = self.node_info(n)?.sec;
        Ok((s, self.arc_position(s, n)?))
    }
}

/// NEURON's `node_index`, x already checked.
pub(crate) fn node_index_of(sec: &Section, x: f64) -> usize {
    let n = (sec.nodes.len() - 1) as f64;
    let mut i = (n * x) as i64;
    if i == n as i64 {
        i = n as i64 - 1;
    }
    if sec.orientation != 0.0 {
        i = n as i64 - i - 1;
    }
    i.max(0) as usize
}

/// NEURON's `section_length`.
pub(crate) fn section_length(sec: &mut Section) -> f64 {
    if sec.recalc_area {
        if let Some(last) = sec.pt3d.last() {
            sec.length = last.arc;
        }
    }
    if sec.length <= 1e-9 {
        sec.length = 1e-9;
    }
    sec.length
}
