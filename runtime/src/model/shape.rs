//! `define_shape`: gives 3-D points to sections that have none (a straight
//! line from the parent's attachment point, fanned out among siblings) and
//! moves sections that have points so they start where their parent
//! attaches. Arithmetic follows NEURON's `nrn_define_shape`, including its
//! single-precision intermediates, because the points it stores then define
//! areas and lengths.

use std::f64::consts::PI;

use super::pt3d::Pt3d;
use super::section::section_length;
use super::{Model, ModelError, NodeField, Result};

impl Model {
    /// `define_shape()`. Returns NEURON's notices (sections whose first and
    /// last points coincide in x, y), for the caller to print.
    pub fn define_shape(&mut self) -> Result<Vec<String>> {
        let mut notices = Vec::new();
        if self.shape_defined_at == Some(self.shape_changed)
            && !self.diam_changed
            && !self.tree_changed
        {
            return Ok(notices);
        }
        self.verify_structure()?;
        self.recalc_diam()?;
        let dz: f32 = 100.0;
        let order = self.secorder.clone();
        for (i, &s) in order.iter().enumerate() {
            let sec = self.sec(s)?;
            let arc = sec.parent_x;
            let psec = sec.parent_sec;
            let (x, y, z, mut x1, mut y1): (f32, f32, f32, f32, f32);
            match psec {
                None => {
                    x = 0.0;
                    y = 0.0;
                    z = i as f32 * dz;
                    x1 = 1.0;
                    y1 = 0.0;
                }
                Some(p) => {
                    let ps = self.sec(p)?;
                    let (Some(&p0), Some(&pl)) = (ps.pt3d.first(), ps.pt3d.last()) else {
                        return Err(ModelError::Pt3dIndex { index: 0, n3d: 0 });
                    };
                    let mut arc1 = arc;
                    x1 = pl.x - p0.x;
                    y1 = pl.y - p0.y;
                    if ps.orientation != 0.0 {
                        arc1 = 1.0 - arc;
                    }
                    if arc1 < 0.5 {
                        x1 = -x1;
                        y1 = -y1;
                    }
                    x = (pl.x as f64 * arc1 + p0.x as f64 * (1.0 - arc1)) as f32;
                    y = (pl.y as f64 * arc1 + p0.y as f64 * (1.0 - arc1)) as f32;
                    z = (pl.z as f64 * arc1 + p0.z as f64 * (1.0 - arc1)) as f32;
                }
            }
            if !self.sec(s)?.pt3d.is_empty() {
                if psec.is_some() {
                    self.translate_shape(s, x, y, z)?;
                }
                continue;
            }
            let mut angle: f32;
            if (y1 as f64).abs() < 1e-6 && (x1 as f64).abs() < 1e-6 {
                let pname = match psec {
                    Some(p) => self.sec(p)?.name.clone(),
                    None => String::new(),
                };
                notices.push(format!(
                    "nrn_define_shape: {pname} first and last 3-d point at same (x,y)"
                ));
                angle = 0.0;
            } else {
                // NEURON's unqualified atan2/cos/sin of floats resolve to the float
                // overloads (atan2f, cosf, sinf)
                angle = y1.atan2(x1);
            }
            if arc > 0.0 && arc < 1.0 {
                angle = (angle as f64 + PI / 2.0) as f32;
            }
            let mut nch: f32 = 0.0;
            let mut ich: f32 = 0.0;
            if let Some(p) = psec {
                for &ch in &self.sec(p)?.children {
                    if ch == s {
                        ich = nch;
                    }
                    if arc == self.sec(ch)?.parent_x {
                        nch += 1.0;
                    }
                }
            }
            if nch > 1.0 {
                angle = (angle as f64 + (ich as f64 / (nch as f64 - 1.0) * 0.8 - 0.4)) as f32;
            }
            let len = section_length(self.sec_mut(s)?);
            let xe = (x as f64 + len * angle.cos() as f64) as f32;
            let ye = (y as f64 + len * angle.sin() as f64) as f32;
            let nodes = self.sec(s)?.nodes.clone();
            let nnode = nodes.len();
            let d0 = self.node_get(nodes[0], NodeField::Diam)?;
            self.pt3dadd(s, x as f64, y as f64, z as f64, d0)?;
            for (j, &n) in nodes[..nnode - 1].iter().enumerate() {
                let frac = (j as f64 + 0.5) / (nnode - 1) as f64;
                let d = self.node_get(n, NodeField::Diam)?;
                self.pt3dadd(
                    s,
                    x as f64 * (1.0 - frac) + xe as f64 * frac,
                    y as f64 * (1.0 - frac) + ye as f64 * frac,
                    z as f64,
                    d,
                )?;
            }
            let dl = self.node_get(nodes[nnode - 2], NodeField::Diam)?;
            self.pt3dadd(s, xe as f64, ye as f64, z as f64, dl)?;
            let sec = self.sec_mut(s)?;
            let last = sec.pt3d.len() - 1;
            sec.pt3d[last].arc = len;
            sec.length = len;
        }
        self.shape_defined_at = Some(self.shape_changed);
        Ok(notices)
    }

    /// NEURON's `nrn_translate_shape` (single precision, like the points).
    fn translate_shape(&mut self, s: super::SectionId, x: f32, y: f32, z: f32) -> Result<()> {
        if self.pt3dconst {
            return Ok(());
        }
        let sec = self.sec_mut(s)?;
        let (dx, dy, dz) = match &mut sec.logical_connection {
            Some(p) => {
                let d = (x - p[0], y - p[1], z - p[2]);
                *p = [x, y, z];
                d
            }
            None => {
                let p0: Pt3d = sec.pt3d[0];
                (x - p0.x, y - p0.y, z - p0.z)
            }
        };
        for p in &mut sec.pt3d {
            p.x += dx;
            p.y += dy;
            p.z += dz;
        }
        Ok(())
    }
}
