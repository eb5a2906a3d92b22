//! Changing `nseg` keeps what the user set: NEURON's `node_realloc` maps each
//! new segment to the old segment containing its center, reusing old nodes
//! (and their point processes) where it can and cloning the rest (v, diam, cm
//! and density mechanisms, but not point processes). Point processes of old
//! nodes that are dropped move to the new segment that covers them.

use super::ids::{NodeId, SectionId};
use super::store::NodeValues;
use super::{Model, Prop, Result};

impl Model {
    /// Gives a fresh segment node its morphology and capacitance (NEURON's
    /// `prop_alloc` of MORPHOLOGY then CAP in `nrn_change_nseg`).
    pub(crate) fn give_membrane(&mut self, n: NodeId) {
        if let Some(info) = self.nodes.get_mut(n) {
            info.props.push(Prop::Morphology);
            info.props.push(Prop::Capacitance);
        }
    }

    /// Replaces the section's nodes by `nseg + 1` nodes, keeping values.
    pub(crate) fn realloc_nodes(&mut self, s: SectionId, nseg: usize) -> Result<()> {
        let old = self.sec(s)?.nodes.clone();
        let n1 = old.len() - 1;
        let n2 = nseg;
        let mut new: Vec<Option<NodeId>> = vec![None; n2 + 1];
        new[n2] = Some(old[n1]);
        let mut old_left: Vec<Option<NodeId>> = old[..n1].iter().copied().map(Some).collect();
        if n1 < n2 {
            for (i1, slot) in old_left.iter_mut().enumerate() {
                let x = (i1 as f64 + 0.5) / n1 as f64;
                let i2 = (n2 as f64 * x) as usize;
                new[i2] = slot.take();
            }
            for (i2, slot) in new.iter_mut().enumerate().take(n2) {
                if slot.is_none() {
                    let x = (i2 as f64 + 0.5) / n2 as f64;
                    let i1 = (n1 as f64 * x) as usize;
                    *slot = Some(self.clone_node(s, old[i1])?);
                }
            }
        } else {
            for (i2, slot) in new.iter_mut().enumerate().take(n2) {
                let x = (i2 as f64 + 0.5) / n2 as f64;
                let i1 = (n1 as f64 * x) as usize;
                *slot = old_left[i1].take();
            }
            let mut i1 = 0;
            for (i2, &to) in new.iter().enumerate().take(n2) {
                let x2 = (i2 as f64 + 1.0) / n2 as f64;
                while i1 < n1 {
                    let x1 = (i1 as f64 + 0.5) / n1 as f64;
                    if x1 > x2 {
                        break;
                    }
                    if let (Some(from), Some(to)) = (old_left[i1], to) {
                        self.relocate_points(s, from, s, to)?;
                    }
                    i1 += 1;
                }
            }
        }
        for n in old_left.into_iter().flatten() {
            self.free_node(n);
        }
        let nodes: Vec<NodeId> = new.into_iter().flatten().collect();
        for (i, &n) in nodes.iter().enumerate() {
            if let Some(info) = self.nodes.get_mut(n) {
                info.index = i;
            }
        }
        self.sec_mut(s)?.nodes = nodes;
        self.structure_changed = true;
        Ok(())
    }

    /// NEURON's `node_clone`: a new node with the old one's v, diam, cm, i_cap
    /// and copies of its density mechanisms, its property list reversed.
    fn clone_node(&mut self, s: SectionId, from: NodeId) -> Result<NodeId> {
        let old = self.node_values(from)?;
        let values = NodeValues {
            v: old.v,
            diam: old.diam,
            cm: old.cm,
            i_cap: old.i_cap,
            ..NodeValues::fresh()
        };
        let n = self.new_node(s, 0, values);
        let props = self.node_info(from)?.props.clone();
        for p in props.into_iter().rev() {
            match p {
                Prop::Morphology | Prop::Capacitance => {
                    if let Some(info) = self.nodes.get_mut(n) {
                        info.props.push(p);
                    }
                }
                Prop::Mech(inst) => {
                    if !self.is_point_instance(inst) {
                        let values = self.instance_values(inst)?;
                        let mech = self.instance_info(inst)?.mech;
                        self.new_instance(mech, n, Some(s), &values);
                    }
                }
            }
        }
        Ok(n)
    }
}
