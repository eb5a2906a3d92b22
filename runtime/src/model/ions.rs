//! Ions (NEURON's `eion.cpp` behaviour): `na_ion`, `k_ion`, `ca_ion` and any
//! ion a mechanism names in `USEION`. An ion is a mechanism type of kind
//! [`MechanismKind::Ion`] with one instance per segment where some
//! mechanism uses it; its data are the reversal potential, the inside and
//! outside concentrations, the total current and its derivative, and the
//! per-segment style bits of `ion_style`, which each mechanism inserted
//! "promotes" by how it uses the ion (NEURON's `nrn_promote`).
//!
//! The ion's hooks run before those of the mechanisms using it (an ion type
//! is registered before its first user): `init` sets the concentrations from
//! the `X0` globals (cinit) and the reversal potential by Nernst (einit);
//! `cur` zeroes the current the mechanisms then accumulate and recomputes
//! the reversal potential when the concentrations are states (eadvance);
//! `second_order_cur` moves the current to the half step (secondorder 2).

use super::ids::NodeId;
use super::{MechTypeId, Model, ModelError, Prop, Result};
use crate::mechanism::{
    ion, FieldKind, FieldSpec, MechanismKernels, MechanismKind, MechanismSpec, MechanismView,
};

/// Faraday's constant as NEURON 9 uses it (CODATA 2018) [C/mol].
pub const FARADAY: f64 = 96485.33212331001;
/// The gas constant as NEURON 9 uses it (CODATA 2018) [J/(K mol)].
pub const GAS_CONSTANT: f64 = 8.314462618153241;

/// Global slots beyond those of [`ion`]: the reversal potential a new
/// instance starts with.
const G_EREV0: usize = 3;

/// NEURON's `nrn_nernst`: the reversal potential [mV] of an ion of valence
/// `z` for concentrations `ci`, `co` at `celsius`.
pub fn nernst(ci: f64, co: f64, z: f64, celsius: f64) -> f64 {
    if z == 0.0 {
        return 0.0;
    }
    if ci <= 0.0 {
        1e6
    } else if co <= 0.0 {
        -1e6
    } else {
        1000.0 * GAS_CONSTANT * (celsius + 273.15) / FARADAY / z * (co / ci).ln()
    }
}

/// NEURON's defaults for an ion: (inside, outside concentration [mM],
/// reversal potential [mV], valence).
fn ion_defaults(name: &str) -> (f64, f64, f64, Option<f64>) {
    match name {
        "na" => (10.0, 140.0, 50.0, Some(1.0)),
        "k" => (54.4, 2.5, -77.0, Some(1.0)),
        "ca" => (5e-5, 2.0, 12.5 * (2.0f64 / 5e-5).ln(), Some(2.0)),
        _ => (1.0, 1.0, 0.0, None),
    }
}

/// NEURON's `nrn_promote`: the style of an ion after a mechanism that uses
/// its concentrations (`conc`: 0 no, 1 read, 3 write) and reversal potential
/// (`rev`: 0 no, 1 read, 3 write) is added.
pub fn promote(style: i32, conc: i32, rev: i32) -> i32 {
    let mut c = (style & 3).max(conc);
    let mut e = ((style >> 3) & 3).max(rev);
    if c > 0 && e < 2 {
        e = 2;
    }
    c = c.min(3);
    let mut it = (style & !0o177) + c + 8 * e;
    if c == 3 {
        it += 4;
        if e == 2 {
            it += 0o100;
        }
    }
    if c > 0 && e == 2 {
        it += 0o40;
    }
    if conc == 3 {
        it |= 0o200;
    }
    it
}

/// The ion's spec: fields `eX`, `Xi`, `Xo`, `iX`, `diX_dv_`, style; globals
/// `Xi0`, `Xo0`, valence, initial reversal potential.
fn ion_spec(name: &str, valence: f64) -> MechanismSpec {
    let (ci0, co0, e0, _) = ion_defaults(name);
    let mut spec = MechanismSpec::new(&format!("{name}_ion"), MechanismKind::Ion);
    let field = |n: String, d: f64| FieldSpec::new(&n, FieldKind::Assigned, d);
    spec.fields = vec![
        field(format!("e{name}"), e0),
        field(format!("{name}i"), ci0),
        field(format!("{name}o"), co0),
        field(format!("i{name}"), 0.0),
        field(format!("di{name}_dv_"), 0.0),
        FieldSpec {
            hoc: false,
            ..field("_style".into(), 0.0)
        },
    ];
    spec.globals = vec![
        (format!("{name}i0"), ci0),
        (format!("{name}o0"), co0),
        ("_valence".into(), valence),
        ("_erev0".into(), e0),
    ];
    spec.globals_hoc = vec![true, true, false, false];
    spec.kernels = MechanismKernels {
        init: Some(ion_init),
        cur: Some(ion_cur),
        second_order_cur: Some(ion_second_order_cur),
        ..MechanismKernels::default()
    };
    spec
}

/// One ion instance's data as a row of the view.
struct Row<'a> {
    v: &'a MechanismView,
    i: usize,
}

impl Row<'_> {
    fn get(&self, k: usize) -> f64 {
        // SAFETY: k < slot count and i < count (callers), per the ABI
        unsafe { *self.v.data.add(k * self.v.stride + self.i) }
    }
    fn set(&self, k: usize, x: f64) {
        // SAFETY: as in `get`; the view's data is writable by the hook
        unsafe { *self.v.data.add(k * self.v.stride + self.i) = x }
    }
    fn global(&self, k: usize) -> f64 {
        // SAFETY: ion specs have 4 globals, so `globals` is not null
        unsafe { *self.v.globals.add(k) }
    }
    fn style(&self) -> i32 {
        self.get(ion::STYLE) as i32
    }
    fn nernst(&self) -> f64 {
        nernst(
            self.get(ion::CONC_IN),
            self.get(ion::CONC_OUT),
            self.global(ion::G_VALENCE),
            self.v.celsius,
        )
    }
}

/// `init`: concentrations from the globals (cinit), Nernst (einit).
unsafe extern "C" fn ion_init(view: *const MechanismView) {
    // SAFETY: the solver passes a valid view (ABI contract)
    let v = unsafe { &*view };
    for i in 0..v.count {
        let r = Row { v, i };
        let style = r.style();
        if style & 0o4 != 0 {
            r.set(ion::CONC_IN, r.global(ion::G_CONC_IN0));
            r.set(ion::CONC_OUT, r.global(ion::G_CONC_OUT0));
        }
        if style & 0o40 != 0 {
            r.set(ion::EREV, r.nernst());
        }
    }
}

/// `cur`: zero the current and its derivative; Nernst when eadvance.
unsafe extern "C" fn ion_cur(view: *const MechanismView) {
    // SAFETY: the solver passes a valid view (ABI contract)
    let v = unsafe { &*view };
    for k in [ion::CURRENT, ion::DCURRENT_DV] {
        // SAFETY: field k of the `count` instances is `count` values at
        // `k * stride` (SoA, ABI), writable by the hook
        unsafe { std::slice::from_raw_parts_mut(v.data.add(k * v.stride), v.count) }.fill(0.0);
    }
    for i in 0..v.count {
        let r = Row { v, i };
        if r.style() & 0o100 != 0 {
            r.set(ion::EREV, r.nernst());
        }
    }
}

/// `second_order_cur`: the current at the half step, i += di/dv · Δv.
unsafe extern "C" fn ion_second_order_cur(view: *const MechanismView) {
    // SAFETY: the solver passes a valid view (ABI contract)
    let v = unsafe { &*view };
    for i in 0..v.count {
        let r = Row { v, i };
        // SAFETY: node_index[i] < node_count (ABI)
        let dv = unsafe { *v.rhs.add(*v.node_index.add(i) as usize) };
        r.set(
            ion::CURRENT,
            r.get(ion::CURRENT) + r.get(ion::DCURRENT_DV) * dv,
        );
    }
}

/// Recomputes the reversal potential by Nernst in every instance of an
/// ion block whose style has one of the bits of `mask`.
pub(crate) fn update_erev(b: &mut super::store::MechBlock, z: f64, celsius: f64, mask: i32) {
    for i in 0..b.count {
        if (b.get(i, ion::STYLE) as i32) & mask != 0 {
            let e = nernst(b.get(i, ion::CONC_IN), b.get(i, ion::CONC_OUT), z, celsius);
            b.set(i, ion::EREV, e);
        }
    }
}

impl Model {
    /// The type of ion `name` (`na`), registered with NEURON's defaults on
    /// first use. A valence given for a known ion must agree.
    pub fn ion_type(&mut self, name: &str, valence: Option<f64>) -> Result<MechTypeId> {
        let full = format!("{name}_ion");
        if let Some(t) = self.mechanism_type(&full) {
            if let Some(z) = valence {
                let have = self.mech_types[t.0 as usize].globals[ion::G_VALENCE];
                if have != z {
                    return Err(ModelError::IonValence {
                        ion: name.to_string(),
                        have,
                        want: z,
                    });
                }
            }
            return Ok(t);
        }
        let (_, _, _, known) = ion_defaults(name);
        if let (Some(k), Some(z)) = (known, valence) {
            if k != z {
                return Err(ModelError::IonValence {
                    ion: name.to_string(),
                    have: k,
                    want: z,
                });
            }
        }
        let z = known.or(valence).unwrap_or(1.0);
        // SAFETY: the ion kernels above keep to the ABI contract
        unsafe { self.register_mechanism(ion_spec(name, z)) }
    }

    /// Puts the ions mechanism `t` uses on node `n` (creating their
    /// instances), makes each the newest property of the node (NEURON's
    /// `need_memb` order, seen in `psection`) and promotes its style.
    pub(crate) fn need_ions(&mut self, t: MechTypeId, n: NodeId) -> Result<()> {
        let deps: Vec<(MechTypeId, i32, i32)> = {
            let m = &self.mech_types[t.0 as usize];
            m.ion_types
                .iter()
                .zip(&m.spec.ions)
                .map(|(&it, d)| (it, d.conc, d.rev))
                .collect()
        };
        for (it, conc, rev) in deps {
            let inst = match self.instance_on(n, it)? {
                Some(i) => {
                    if let Some(info) = self.nodes.get_mut(n) {
                        info.props.retain(|&p| p != Prop::Mech(i));
                        info.props.push(Prop::Mech(i));
                    }
                    i
                }
                None => {
                    let m = &self.mech_types[it.0 as usize];
                    let mut values = m.defaults.clone();
                    values[ion::EREV] = m.globals[G_EREV0];
                    values[ion::CONC_IN] = m.globals[ion::G_CONC_IN0];
                    values[ion::CONC_OUT] = m.globals[ion::G_CONC_OUT0];
                    self.new_instance(it, n, None, &values)
                }
            };
            let r = super::VarRef::Instance(inst, ion::STYLE);
            let style = self.get(r)? as i32;
            self.set(r, promote(style, conc, rev) as f64)?;
        }
        Ok(())
    }

    /// `ion_style("X_ion", ...)` on a section: returns the old style of its
    /// first segment (-1 if the ion is not there) and, with `new`, sets every
    /// segment's style (c_style + 4 cinit + 8 e_style + 32 einit + 64
    /// eadvance).
    pub fn ion_style(
        &mut self,
        s: super::SectionId,
        ion_name: &str,
        new: Option<i32>,
    ) -> Result<f64> {
        let Some(t) = self.mechanism_type(ion_name) else {
            return Ok(-1.0);
        };
        let nodes = self.sec(s)?.nodes.clone();
        let Some(first) = self.instance_on(nodes[0], t)? else {
            return Ok(-1.0);
        };
        let old = self.get(super::VarRef::Instance(first, ion::STYLE))?;
        if let Some(st) = new {
            for &n in &nodes[..nodes.len() - 1] {
                if let Some(i) = self.instance_on(n, t)? {
                    let r = super::VarRef::Instance(i, ion::STYLE);
                    let keep = self.get(r)? as i32 & !0o177;
                    self.set(r, (keep | (st & 0o177)) as f64)?;
                }
            }
        }
        Ok((old as i32 & 0o177) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanism::IonDep;

    /// A sodium leak reading ena and writing ina = g (v - ena), g = 0.001.
    unsafe extern "C" fn naleak_cur(view: *const MechanismView) {
        let v = unsafe { &*view };
        let ion = unsafe { &*v.ions };
        for i in 0..v.count {
            unsafe {
                let node = *v.node_index.add(i) as usize;
                let j = *ion.index.add(i) as usize;
                let ena = *ion.data.add(ion::EREV * ion.stride + j);
                let ina = 0.001 * (*v.v.add(node) - ena);
                *ion.data.add(ion::CURRENT * ion.stride + j) += ina;
                *ion.data.add(ion::DCURRENT_DV * ion.stride + j) += 0.001;
                *v.rhs.add(node) -= ina;
                *v.data.add(i) = ina;
            }
        }
    }

    #[test]
    fn a_mechanism_sees_and_feeds_its_ion() {
        let mut m = Model::new();
        let mut spec = MechanismSpec::new("naleak", MechanismKind::Density);
        spec.fields = vec![FieldSpec::new("ina", FieldKind::Assigned, 0.0)];
        spec.ions = vec![IonDep {
            ion: "na".into(),
            valence: None,
            conc: 0,
            rev: 1,
        }];
        spec.kernels.cur = Some(naleak_cur);
        let t = unsafe { m.register_mechanism(spec) }.unwrap();
        let na = m.mechanism_type("na_ion").unwrap();
        assert!(na < t, "the ion runs before its users");
        let s = m.new_section("soma");
        m.set_nseg(s, 3).unwrap();
        m.insert(s, t).unwrap();
        assert_eq!(m.ion_style(s, "na_ion", None).unwrap(), 8.0);
        m.finitialize(Some(-65.0)).unwrap();
        let ina = m
            .var_ref(
                s,
                0.5,
                crate::model::RangeVar::Mech {
                    mech: na,
                    slot: ion::CURRENT,
                },
            )
            .unwrap();
        assert_eq!(m.get(ina).unwrap(), 0.001 * (-65.0 - 50.0));
        m.fadvance().unwrap();
        let v = m.var_ref(s, 0.5, crate::model::RangeVar::V).unwrap();
        assert!(m.get(v).unwrap() > -65.0, "the sodium leak depolarises");
    }

    #[test]
    fn promote_follows_neuron() {
        // styles read back from NEURON 9.0.2's ion_style() after inserting
        // hh (na: READ ena), a channel READ cai, cao, then a pump WRITE cai
        assert_eq!(promote(0, 0, 1), 8);
        assert_eq!(promote(0, 1, 0), 49);
        assert_eq!(promote(49, 3, 0), 247);
    }

    #[test]
    fn nernst_of_the_default_potassium() {
        // 6.3 degC, ki 54.4, ko 2.5: about -74 mV with NEURON's constants
        let e = nernst(54.4, 2.5, 1.0, 6.3);
        assert!((e + 74.0).abs() < 0.3, "{e}");
        assert_eq!(nernst(0.0, 1.0, 1.0, 6.3), 1e6);
        assert_eq!(nernst(1.0, 0.0, 1.0, 6.3), -1e6);
        assert_eq!(nernst(1.0, 2.0, 0.0, 6.3), 0.0);
    }
}
