//! Segment areas, axial resistances and the matrix coupling coefficients,
//! computed as NEURON's `nrn_area_ri`, `diam_from_list` and `connection_coef`
//! do (same formulas, same order of floating-point operations).
//!
//! Without 3-D points each segment is a cylinder of its `diam`. With two or
//! more points the section is a chain of frusta: each segment's area is the
//! integral of the lateral surface over its arc span, its `diam` the mean
//! diameter, and each half segment's resistance the integral of
//! 4·Ra/(π·d(s)²) approximated piecewise. The zero-area node at the far end
//! has area 100 (NEURON's dimensionless convention) and conductance
//! 1/(last right half-resistance).

use std::f64::consts::PI;

use super::ids::SectionId;
use super::section::section_length;
use super::{Model, ModelError, NodeField, Result};

impl Model {
    /// NEURON's `nrn_area_ri`: area, 1/ri and (from 3-D points) diam of every
    /// node of the section.
    pub(crate) fn area_ri(&mut self, s: SectionId) -> Result<()> {
        let sec = self.sec_mut(s)?;
        if let Some(last) = sec.pt3d.last() {
            sec.length = last.arc;
        }
        let ra = sec.ra;
        let nnode = sec.nodes.len();
        let dx = section_length(sec) / (nnode - 1) as f64;
        let nodes = sec.nodes.clone();
        if sec.pt3d.len() > 1 {
            self.area_ri_pt3d(s, ra)?;
        } else {
            let mut rright = 0.0;
            for &nd in &nodes[..nnode - 1] {
                let mut diam = self.node_get(nd, NodeField::Diam)?;
                if diam <= 0.0 {
                    diam = 1e-6;
                    self.node_set(nd, NodeField::Diam, diam)?;
                    return Err(ModelError::ZeroDiameter {
                        section: self.sec(s)?.name.clone(),
                    });
                }
                self.node_set(nd, NodeField::Area, PI * diam * dx)?;
                let rleft = 1e-2 * ra * (dx / 2.0) / (PI * diam * diam / 4.0);
                self.node_set(nd, NodeField::Rinv, 1.0 / (rleft + rright))?;
                rright = rleft;
            }
            let last = nodes[nnode - 1];
            self.node_set(last, NodeField::Area, 1.0e2)?;
            self.node_set(last, NodeField::Rinv, 1.0 / rright)?;
        }
        self.sec_mut(s)?.recalc_area = false;
        self.diam_changed = true;
        Ok(())
    }

    /// NEURON's `diam_from_list`, for all segments of the section in turn.
    fn area_ri_pt3d(&mut self, s: SectionId, ra: f64) -> Result<()> {
        let sec = self.sec(s)?;
        let pts = sec.pt3d.clone();
        let nodes = sec.nodes.clone();
        let nnode = nodes.len();
        let npt = pts.len();
        let spine_area = self.spine_area;
        let absd = |k: usize| (pts[k].d as f64).abs();
        let mut j = 0usize;
        let mut x1 = pts[0].arc;
        let mut y1 = absd(0);
        let ds = pts[npt - 1].arc / (nnode - 1) as f64;
        let mut rparent = 0.0;
        for (inode, &nd) in nodes[..nnode - 1].iter().enumerate() {
            let mut si = inode as f64 * ds;
            let mut diam = 0.0;
            let mut area = 0.0;
            let mut nspine = 0u32;
            let mut rleft = 0.0;
            let mut ri = 0.0;
            for ihalf in 0..2 {
                ri = 0.0;
                let sip = si + ds / 2.0;
                loop {
                    let jp = j + 1;
                    let xj = pts[j].arc;
                    if pts[j].d < 0.0 && xj >= si && xj < sip {
                        nspine += 1;
                    }
                    let xjp = pts[jp].arc;
                    let (x2, y2, jnext);
                    if xjp > sip || jp == npt - 1 {
                        let frac = if (xjp - xj).abs() < 1e-10 {
                            1.0
                        } else {
                            (sip - xj) / (xjp - xj)
                        };
                        x2 = sip;
                        y2 = (1.0 - frac) * absd(j) + frac * absd(jp);
                        jnext = j;
                    } else {
                        x2 = xjp;
                        y2 = absd(jp);
                        jnext = jp;
                    }
                    let mut delta = x2 - x1;
                    diam += (y2 + y1) * delta;
                    if delta < 1e-15 {
                        delta = 1e-15;
                    }
                    let mut temp = y2 * y1 / delta;
                    if temp == 0.0 {
                        temp = 1e-15;
                    }
                    ri += 1.0 / temp;
                    let half = 0.5 * (y2 - y1);
                    let slant = (delta * delta + half * half).sqrt();
                    area += (y2 + y1) * slant;
                    x1 = x2;
                    y1 = y2;
                    if j == jnext {
                        break;
                    }
                    j = jnext;
                }
                if ihalf == 0 {
                    rleft = ri * ra / PI * (4.0 * 0.01);
                } else {
                    ri = ri * ra / PI * (4.0 * 0.01);
                }
                si = sip;
            }
            self.node_set(nd, NodeField::Rinv, 1.0 / (rparent + rleft))?;
            diam *= 0.5 / ds;
            let old = self.node_get(nd, NodeField::Diam)?;
            if (diam - old).abs() > 1e-9 || diam < 1e-5 {
                self.node_set(nd, NodeField::Diam, diam)?;
            }
            if inode == nnode - 2 && pts[npt - 1].d < 0.0 {
                nspine += 1;
            }
            let a = area * 0.5 * PI;
            self.node_set(nd, NodeField::Area, a + nspine as f64 * spine_area)?;
            rparent = ri;
        }
        let last = nodes[nnode - 1];
        self.node_set(last, NodeField::Area, 1.0e2)?;
        self.node_set(last, NodeField::Rinv, 1.0 / rparent)?;
        Ok(())
    }

    /// NEURON's `recalc_diam`: areas and resistances of every section, then
    /// the coupling coefficients a (child on parent) and b (parent on child):
    /// a = -100·rallbranch·(1/ri)/area(parent node) for a first node,
    /// -100·(1/ri)/area(previous node) otherwise; b = -100·(1/ri)/area(node).
    pub(crate) fn recalc_diam(&mut self) -> Result<()> {
        if self.structure_changed {
            self.rebuild_groups()?;
        }
        let list: Vec<SectionId> = self.sections().collect();
        for &s in &list {
            self.area_ri(s)?;
        }
        for g in &mut self.groups {
            g.nodes.a.iter_mut().for_each(|x| *x = 0.0);
            g.nodes.b.iter_mut().for_each(|x| *x = 0.0);
        }
        self.loose.nodes.a.iter_mut().for_each(|x| *x = 0.0);
        self.loose.nodes.b.iter_mut().for_each(|x| *x = 0.0);
        for &s in &list {
            let sec = self.sec(s)?;
            let nodes = sec.nodes.clone();
            let rall = sec.rallbranch;
            let pnode = sec.parent_node.ok_or(ModelError::DeletedNode)?;
            let area = self.node_get(pnode, NodeField::Area)?;
            let rinv = self.node_get(nodes[0], NodeField::Rinv)?;
            self.node_set(nodes[0], NodeField::A, -1.0e2 * rall * rinv / area)?;
            for j in 1..nodes.len() {
                let area = self.node_get(nodes[j - 1], NodeField::Area)?;
                let rinv = self.node_get(nodes[j], NodeField::Rinv)?;
                self.node_set(nodes[j], NodeField::A, -1.0e2 * rinv / area)?;
            }
        }
        for &s in &list {
            let nodes = self.sec(s)?.nodes.clone();
            for n in nodes {
                let area = self.node_get(n, NodeField::Area)?;
                let rinv = self.node_get(n, NodeField::Rinv)?;
                self.node_set(n, NodeField::B, -1.0e2 * rinv / area)?;
            }
        }
        self.diam_changed = false;
        Ok(())
    }

    /// `area(x)` [µm²]: area of the segment containing x; 0 at x = 0 and 1.
    pub fn area(&mut self, s: SectionId, x: f64) -> Result<f64> {
        if x == 0.0 || x == 1.0 {
            self.sec(s)?;
            return Ok(0.0);
        }
        let n = self.segment_node(s, x)?;
        if self.sec(s)?.recalc_area {
            self.area_ri(s)?;
        }
        self.node_get(n, NodeField::Area)
    }

    /// `ri(x)` [MΩ]: resistance between the node at x and its parent node
    /// (1e30 where there is none, e.g. a root's x = 0).
    pub fn ri(&mut self, s: SectionId, x: f64) -> Result<f64> {
        if !(0.0..=1.0).contains(&x) {
            return Err(ModelError::XOutOfRange);
        }
        let n = self.node_exact(s, x)?;
        let owner = self.node_info(n)?.sec;
        if self.sec(owner)?.recalc_area {
            self.area_ri(owner)?;
        }
        let rinv = self.node_get(n, NodeField::Rinv)?;
        Ok(if rinv != 0.0 { 1.0 / rinv } else { 1.0e30 })
    }
}
