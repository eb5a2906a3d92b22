//! 3-D points: coordinates and diameters stored as `f32` like NEURON's `Pt3d`,
//! arc lengths as `f64` (computed from `f32` differences, as NEURON does).
//! Once a section has points they define `L` and `diam`; assigning `L` or
//! `diam` rescales or rewrites the points unless `pt3dconst` is on.

use super::ids::SectionId;
use super::{Model, ModelError, Result};

/// One 3-D point [µm]. A negative diameter marks a spine (`spine3d`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pt3d {
    /// x [µm]
    pub x: f32,
    /// y [µm]
    pub y: f32,
    /// z [µm]
    pub z: f32,
    /// diameter [µm]; negative marks a spine
    pub d: f32,
    /// arc length from the first point [µm]
    pub arc: f64,
}

impl Model {
    fn pt3d_index(&self, s: SectionId, i: i64, upper: usize) -> Result<usize> {
        let n = self.sec(s)?.pt3d.len();
        if i < 0 || i as usize > upper {
            return Err(ModelError::Pt3dIndex { index: i, n3d: n });
        }
        Ok(i as usize)
    }

    /// NEURON's `nrn_pt3dmodified`: arcs from point `i0` on, `L` from the last.
    fn pt3d_modified(&mut self, s: SectionId, i0: usize) -> Result<()> {
        self.shape_changed += 1;
        self.diam_changed = true;
        let sec = self.sec_mut(s)?;
        sec.recalc_area = true;
        let n = sec.pt3d.len();
        if n == 0 {
            return Ok(());
        }
        let mut i0 = i0;
        if i0 == 0 {
            sec.pt3d[0].arc = 0.0;
            i0 = 1;
        }
        for i in i0..n {
            let p = sec.pt3d[i - 1];
            let q = sec.pt3d[i];
            let t1 = (q.x - p.x) as f64;
            let t2 = (q.y - p.y) as f64;
            let t3 = (q.z - p.z) as f64;
            sec.pt3d[i].arc = p.arc + (t1 * t1 + t2 * t2 + t3 * t3).sqrt();
        }
        sec.length = sec.pt3d[n - 1].arc;
        Ok(())
    }

    /// `pt3dclear()`: removes all 3-D points (`L` and `diam` keep their values).
    pub fn pt3dclear(&mut self, s: SectionId) -> Result<()> {
        self.sec_mut(s)?.pt3d.clear();
        self.shape_changed += 1;
        Ok(())
    }

    /// `pt3dadd(x, y, z, d)` [µm].
    pub fn pt3dadd(&mut self, s: SectionId, x: f64, y: f64, z: f64, d: f64) -> Result<()> {
        let sec = self.sec_mut(s)?;
        sec.pt3d.push(Pt3d {
            x: x as f32,
            y: y as f32,
            z: z as f32,
            d: d as f32,
            arc: 0.0,
        });
        let n = sec.pt3d.len();
        self.pt3d_modified(s, n - 1)
    }

    /// `pt3dinsert(i, x, y, z, d)`: inserts before point `i` (0 <= i <= n3d).
    pub fn pt3dinsert(
        &mut self,
        s: SectionId,
        i: i64,
        x: f64,
        y: f64,
        z: f64,
        d: f64,
    ) -> Result<()> {
        let n = self.sec(s)?.pt3d.len();
        let i = self.pt3d_index(s, i, n)?;
        let p = Pt3d {
            x: x as f32,
            y: y as f32,
            z: z as f32,
            d: d as f32,
            arc: 0.0,
        };
        self.sec_mut(s)?.pt3d.insert(i, p);
        self.pt3d_modified(s, i)
    }

    /// `pt3dremove(i)`.
    pub fn pt3dremove(&mut self, s: SectionId, i: i64) -> Result<()> {
        let n = self.sec(s)?.pt3d.len();
        let i = self.pt3d_index(s, i, n.wrapping_sub(1))?;
        if n == 0 {
            return Err(ModelError::Pt3dIndex { index: 0, n3d: 0 });
        }
        self.sec_mut(s)?.pt3d.remove(i);
        self.pt3d_modified(s, i)
    }

    /// `pt3dchange(i, d)`: changes only a diameter [µm].
    pub fn pt3dchange_diam(&mut self, s: SectionId, i: i64, d: f64) -> Result<()> {
        let n = self.sec(s)?.pt3d.len();
        if n == 0 {
            return Err(ModelError::Pt3dIndex { index: i, n3d: 0 });
        }
        let i = self.pt3d_index(s, i, n - 1)?;
        let sec = self.sec_mut(s)?;
        sec.pt3d[i].d = d as f32;
        sec.recalc_area = true;
        self.shape_changed += 1;
        self.diam_changed = true;
        Ok(())
    }

    /// `pt3dchange(i, x, y, z, d)` [µm].
    pub fn pt3dchange(
        &mut self,
        s: SectionId,
        i: i64,
        x: f64,
        y: f64,
        z: f64,
        d: f64,
    ) -> Result<()> {
        let n = self.sec(s)?.pt3d.len();
        if n == 0 {
            return Err(ModelError::Pt3dIndex { index: i, n3d: 0 });
        }
        let i = self.pt3d_index(s, i, n - 1)?;
        let sec = self.sec_mut(s)?;
        let p = &mut sec.pt3d[i];
        p.x = x as f32;
        p.y = y as f32;
        p.z = z as f32;
        p.d = d as f32;
        self.pt3d_modified(s, i)
    }

    /// The 3-D points of a section.
    pub fn pt3d(&self, s: SectionId) -> Result<&[Pt3d]> {
        Ok(&self.sec(s)?.pt3d)
    }

    /// `n3d()`.
    pub fn n3d(&self, s: SectionId) -> Result<usize> {
        Ok(self.sec(s)?.pt3d.len())
    }

    /// Point `i` (0 <= i < n3d), for `x3d`, `y3d`, `z3d`, `arc3d`; `diam3d` is
    /// `d.abs()`, `spine3d` is `d < 0`.
    pub fn pt3d_point(&self, s: SectionId, i: i64) -> Result<Pt3d> {
        let n = self.sec(s)?.pt3d.len();
        if i < 0 || i as usize >= n {
            return Err(ModelError::Pt3dIndex { index: i, n3d: n });
        }
        Ok(self.sec(s)?.pt3d[i as usize])
    }

    /// `pt3dconst()`.
    pub fn pt3dconst(&self) -> bool {
        self.pt3dconst
    }

    /// `pt3dconst(b)`: returns the previous value.
    pub fn set_pt3dconst(&mut self, b: bool) -> bool {
        std::mem::replace(&mut self.pt3dconst, b)
    }

    /// `pt3dstyle()`: the logical connection point, if style 1.
    pub fn pt3dstyle(&self, s: SectionId) -> Result<Option<[f32; 3]>> {
        Ok(self.sec(s)?.logical_connection)
    }

    /// `pt3dstyle(0)` (None) or `pt3dstyle(1, x, y, z)`.
    pub fn set_pt3dstyle(&mut self, s: SectionId, p: Option<[f64; 3]>) -> Result<()> {
        let sec = self.sec_mut(s)?;
        let new = p.map(|[x, y, z]| [x as f32, y as f32, z as f32]);
        if new.is_none() && sec.logical_connection.is_none() {
            return Ok(());
        }
        sec.logical_connection = new;
        self.shape_changed += 1;
        self.diam_changed = true;
        Ok(())
    }

    /// NEURON's `nrn_length_change`: scales the points about the first so the
    /// last arc is `l` [µm].
    pub(crate) fn length_change(&mut self, s: SectionId, l: f64) -> Result<()> {
        if self.pt3dconst {
            return Ok(());
        }
        let sec = self.sec_mut(s)?;
        let Some(&p0) = sec.pt3d.first() else {
            return Ok(());
        };
        let (x0, y0, z0) = (p0.x as f64, p0.y as f64, p0.z as f64);
        let last = sec.pt3d[sec.pt3d.len() - 1].arc;
        let fac = l / last;
        for p in &mut sec.pt3d {
            p.arc *= fac;
            p.x = (x0 + (p.x as f64 - x0) * fac) as f32;
            p.y = (y0 + (p.y as f64 - y0) * fac) as f32;
            p.z = (z0 + (p.z as f64 - z0) * fac) as f32;
        }
        self.shape_changed += 1;
        Ok(())
    }

    /// NEURON's `nrn_diam_change`: after `diam` is assigned, the points take
    /// the diameter of the segment they lie in.
    pub(crate) fn diam_change(&mut self, s: SectionId) -> Result<()> {
        if self.pt3dconst || self.sec(s)?.pt3d.is_empty() {
            return Ok(());
        }
        let l = super::section::section_length(self.sec_mut(s)?);
        let last = {
            let sec = self.sec(s)?;
            sec.pt3d[sec.pt3d.len() - 1].arc
        };
        if (l - last).abs() > 0.001 {
            self.length_change(s, l)?;
        }
        let n = self.sec(s)?.pt3d.len();
        for i in 0..n {
            let sec = self.sec(s)?;
            let x = (sec.pt3d[i].arc / l).min(1.0);
            let node = sec.nodes[super::section::node_index_of(sec, x)];
            let d = self.node_get(node, super::NodeField::Diam)?;
            self.sec_mut(s)?.pt3d[i].d = d as f32;
        }
        self.shape_changed += 1;
        Ok(())
    }
}
