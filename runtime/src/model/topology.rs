//! The shape of the tree: parent nodes for every section (`setup_topology`),
//! NEURON's `topology()` drawing and `psection()` content, and the lazy
//! update of everything derived (`verify_structure`).

use super::ids::SectionId;
use super::{Model, ModelError, Prop, Result};
use crate::cfmt::format_num;
use crate::mechanism::{FieldKind, MechanismKind};

/// One mechanism of a segment as `psection()` lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct MechanismInfo {
    /// `morphology`, `capacitance`, or the mechanism's name
    pub name: String,
    /// its PARAMETERs with their values (first element of arrays), as HOC names
    /// them (`g_pas`, `diam`, `cm`, `del`)
    pub params: Vec<(String, f64)>,
}

/// What `psection()` prints, as data.
#[derive(Clone, Debug, PartialEq)]
pub struct PsectionInfo {
    /// section name
    pub name: String,
    /// number of segments
    pub nseg: usize,
    /// length [µm]
    pub length: f64,
    /// axial resistivity [Ω·cm]
    pub ra: f64,
    /// rallbranch
    pub rallbranch: f64,
    /// `(parent name, this section's connecting end, position on the parent)`
    pub parent: Option<(String, f64, f64)>,
    /// for a root: `(connecting end, index of its root node in its cell group)`
    pub root: Option<(f64, usize)>,
    /// the first segment's mechanisms in insertion order
    pub mechanisms: Vec<MechanismInfo>,
}

impl PsectionInfo {
    /// The text NEURON's `psection()` prints.
    pub fn to_text(&self) -> String {
        let g = |x: f64| format_num("%g", x).unwrap_or_default();
        let mut s = format!(
            "{} {{ nseg={}  L={}  Ra={}",
            self.name,
            self.nseg,
            g(self.length),
            g(self.ra)
        );
        if self.rallbranch != 1.0 {
            s += &format!(" rallbranch={}", g(self.rallbranch));
        }
        s.push('\n');
        if let Some((p, o, x)) = &self.parent {
            s += &format!("\t{} connect {} ({}), {}\n", p, self.name, g(*o), g(*x));
        } else if let Some((o, cell)) = &self.root {
            s += &format!("\t/*location {} attached to cell {}*/\n", g(*o), cell);
        }
        s += "\t/* First segment only */\n";
        for m in &self.mechanisms {
            s += &format!("\tinsert {} {{", m.name);
            for (n, v) in &m.params {
                s += &format!(" {}={}", n, g(*v));
            }
            s += "}\n";
        }
        s += "}\n";
        s
    }
}

impl Model {
    /// Brings parent nodes, cell groups and geometry up to date (NEURON's
    /// `verify_structure`); errors come from the geometry (a zero diameter).
    pub fn verify_structure(&mut self) -> Result<()> {
        if self.tree_changed {
            self.setup_topology()?;
        }
        if self.structure_changed {
            self.rebuild_groups()?;
        }
        if self.diam_changed {
            self.recalc_diam()?;
        }
        Ok(())
    }

    /// NEURON's `setup_topology`: every section's parent node.
    pub(crate) fn setup_topology(&mut self) -> Result<()> {
        let list: Vec<SectionId> = self.sections().collect();
        for &s in &list {
            self.parent_info(s)?;
        }
        self.check_loops(&list)?;
        self.tree_changed = false;
        self.diam_changed = true;
        self.structure_changed = true;
        self.shape_changed += 1;
        Ok(())
    }

    /// NEURON's loop check in `section_order`: a section whose parent chain
    /// comes back to it.
    fn check_loops(&self, list: &[SectionId]) -> Result<()> {
        for &s in list {
            let mut cur = s;
            for _ in 0..list.len() {
                let Some(p) = self.sec(cur)?.parent_sec else {
                    break;
                };
                if p == s {
                    let mut cycle = vec![self.sec(s)?.name.clone()];
                    let mut c = self.sec(s)?.parent_sec;
                    while let Some(x) = c {
                        cycle.push(self.sec(x)?.name.clone());
                        if x == s {
                            break;
                        }
                        c = self.sec(x)?.parent_sec;
                    }
                    return Err(ModelError::LoopExists {
                        section: self.sec(s)?.name.clone(),
                        cycle,
                    });
                }
                cur = p;
            }
        }
        Ok(())
    }

    /// The sections in solver order (each cell breadth first, cells in
    /// section-list order of their roots); NEURON's `secorder`.
    pub fn section_order(&mut self) -> Result<&[SectionId]> {
        if self.tree_changed {
            self.setup_topology()?;
        }
        if self.structure_changed {
            self.rebuild_groups()?;
        }
        Ok(&self.secorder)
    }

    /// The text `topology()` prints (starting and ending with a newline).
    pub fn topology_text(&mut self) -> Result<String> {
        if self.tree_changed {
            self.setup_topology()?;
        }
        if self.structure_changed {
            self.rebuild_groups()?;
        }
        let mut out = String::from("\n");
        for s in self.sections() {
            if self.sec(s)?.parent_sec.is_none() {
                out.push('|');
                self.dashes(&mut out, s, 0, '-')?;
            }
        }
        out.push('\n');
        Ok(out)
    }

    fn dashes(&self, out: &mut String, s: SectionId, offset: usize, first: char) -> Result<()> {
        let sec = self.sec(s)?;
        let o = sec.orientation as i32;
        out.extend(std::iter::repeat_n(' ', offset));
        out.push(first);
        for _ in 2..sec.nodes.len() {
            out.push('-');
        }
        if sec.rallbranch == 1.0 {
            out.push_str(&format!("|       {}({}-{})\n", sec.name, o, 1 - o));
        } else {
            out.push_str(&format!(
                "|       {}({}-{}) with {} rall branches\n",
                sec.name,
                o,
                1 - o,
                format_num("%g", sec.rallbranch).unwrap_or_default()
            ));
        }
        for &ch in sec.children.iter().rev() {
            let x = self.sec(ch)?.parent_x;
            let i = node_index_exact(sec, x);
            out.push(' ');
            self.dashes(out, ch, (i + offset as i64 + 1).max(0) as usize, '`')?;
        }
        Ok(())
    }

    /// `psection()` as data (brings the structure up to date first, as NEURON
    /// does).
    pub fn psection(&mut self, s: SectionId) -> Result<PsectionInfo> {
        self.verify_structure()?;
        let length = super::section::section_length(self.sec_mut(s)?);
        let sec = self.sec(s)?;
        let parent = match sec.parent_sec {
            Some(p) => Some((self.sec(p)?.name.clone(), sec.orientation, sec.parent_x)),
            None => None,
        };
        let root = match (sec.parent_sec, sec.parent_node) {
            (None, Some(n)) => Some((sec.orientation, self.node_info(n)?.loc.row as usize)),
            _ => None,
        };
        let n0 = sec.nodes[0];
        let mut mechanisms = Vec::new();
        for p in self.node_info(n0)?.props.clone() {
            mechanisms.push(match p {
                Prop::Morphology => MechanismInfo {
                    name: "morphology".into(),
                    params: vec![("diam".into(), self.node_get(n0, super::NodeField::Diam)?)],
                },
                Prop::Capacitance => MechanismInfo {
                    name: "capacitance".into(),
                    params: vec![("cm".into(), self.node_get(n0, super::NodeField::Cm)?)],
                },
                Prop::Mech(inst) => {
                    let mech = self.instance_info(inst)?.mech;
                    let spec = &self.mech_types[mech.0 as usize].spec;
                    let values = self.instance_values(inst)?;
                    let mut params = Vec::new();
                    let mut slot = 0;
                    for f in &spec.fields {
                        if f.kind == FieldKind::Parameter && f.hoc {
                            let name = match spec.kind {
                                MechanismKind::Density => format!("{}_{}", f.name, spec.name),
                                _ => f.name.clone(),
                            };
                            params.push((name, values[slot]));
                        }
                        slot += f.size;
                    }
                    if spec.kind == MechanismKind::Ion {
                        // NEURON shows what the style makes a PARAMETER
                        use crate::mechanism::ion;
                        let style = values[ion::STYLE] as i32;
                        let f = |k: usize| (spec.fields[k].name.clone(), values[k]);
                        if style & 3 == 1 {
                            params.push(f(ion::CONC_IN));
                            params.push(f(ion::CONC_OUT));
                        }
                        if (style >> 3) & 3 == 1 {
                            params.insert(0, f(ion::EREV));
                        }
                    }
                    MechanismInfo {
                        name: spec.name.clone(),
                        params,
                    }
                }
            });
        }
        Ok(PsectionInfo {
            name: sec.name.clone(),
            nseg: sec.nseg(),
            length,
            ra: sec.ra,
            rallbranch: sec.rallbranch,
            parent,
            root,
            mechanisms,
        })
    }
}

/// NEURON's `node_index_exact`: -1 for the connecting end, nnode-1 for the far
/// end, otherwise the segment index.
fn node_index_exact(sec: &super::section::Section, x: f64) -> i64 {
    let arc0at0 = sec.orientation == 0.0;
    let last = sec.nodes.len() as i64 - 1;
    if x == 0.0 {
        if arc0at0 {
            -1
        } else {
            last
        }
    } else if x == 1.0 {
        if arc0at0 {
            last
        } else {
            -1
        }
    } else {
        super::section::node_index_of(sec, x) as i64
    }
}
