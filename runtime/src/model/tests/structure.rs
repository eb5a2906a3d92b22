//! Structure against NEURON 9.0.2: `topology()`, `psection()`, values kept
//! across nseg changes, and `define_shape` (3-D points, L, area, ri). NEURON's
//! output is `runtime/tests/data/structure.txt`, made by `structure.hoc`.

use super::*;
use crate::cfmt::{format, FmtArg};

const NEURON: &str = include_str!("../../../tests/data/structure.txt");

fn build() -> (Model, Vec<SectionId>) {
    let mut m = Model::new();
    let soma = m.new_section("soma");
    let dend: Vec<SectionId> = (0..4)
        .map(|i| m.new_section(&format!("dend[{i}]")))
        .collect();
    let axon = m.new_section("axon");
    let geom = |m: &mut Model, s, l, d, n| {
        m.set_length(s, l).unwrap();
        m.set_diam_all(s, d).unwrap();
        m.set_nseg(s, n).unwrap();
    };
    geom(&mut m, soma, 20.0, 20.0, 3);
    geom(&mut m, dend[0], 100.0, 2.0, 5);
    geom(&mut m, dend[1], 50.0, 1.0, 2);
    m.set_rallbranch(dend[1], 3.0).unwrap();
    geom(&mut m, dend[2], 70.0, 1.5, 1);
    geom(&mut m, dend[3], 40.0, 1.0, 4);
    geom(&mut m, axon, 300.0, 0.5, 9);
    m.set_ra(axon, 120.0).unwrap();
    m.connect(dend[0], 0.0, soma, 1.0).unwrap();
    m.connect(dend[1], 0.0, soma, 1.0).unwrap();
    m.connect(dend[2], 1.0, soma, 0.5).unwrap();
    m.connect(dend[3], 0.0, dend[0], 0.7).unwrap();
    m.connect(axon, 0.0, soma, 0.0).unwrap();
    let lone = m.new_section("lone");
    m.set_nseg(lone, 2).unwrap();
    let mut all = vec![soma];
    all.extend(&dend);
    all.push(axon);
    all.push(lone);
    (m, all)
}

/// HOC's `for (x, 0)` positions.
fn centers(nseg: usize) -> Vec<f64> {
    let dx = 1.0 / nseg as f64;
    let mut x = dx / 2.0;
    let mut v = Vec::new();
    for _ in 0..nseg {
        v.push(x);
        x += dx;
    }
    v
}

fn g17(x: f64) -> String {
    format("%.17g", &[FmtArg::Num(x)]).unwrap()
}

fn g9(x: f32) -> String {
    format("%.9g", &[FmtArg::Num(x as f64)]).unwrap()
}

#[test]
fn topology_psection_nseg_and_define_shape_match_neuron() {
    let (mut m, secs) = build();
    let mut out = m.topology_text().unwrap();
    out += "\t1 \n";
    for &s in &secs {
        out += &m.psection(s).unwrap().to_text();
    }
    let d0 = secs[1];
    for x in centers(5) {
        m.set_v(d0, x, -70.0 + 100.0 * x).unwrap();
    }
    for x in centers(5) {
        m.set_diam(d0, x, 1.0 + x).unwrap();
    }
    m.set_cm_all(d0, 1.5).unwrap();
    for (n, tag) in [(7, "nseg7"), (3, "nseg3")] {
        m.set_nseg(d0, n).unwrap();
        for x in centers(n as usize) {
            let (v, d, c) = (
                m.v(d0, x).unwrap(),
                m.diam(d0, x).unwrap(),
                m.cm(d0, x).unwrap(),
            );
            out += &format!("{tag} {} {} {} {}\n", g17(x), g17(v), g17(d), g17(c));
        }
    }
    assert!(m.define_shape().unwrap().is_empty());
    out += "\t1 \n";
    for &s in &secs {
        let name = m.name(s).unwrap().to_string();
        for (i, p) in m.pt3d(s).unwrap().to_vec().into_iter().enumerate() {
            out += &format!(
                "pt3d {name} {i} {} {} {} {} {}\n",
                g9(p.x),
                g9(p.y),
                g9(p.z),
                g9(p.d.abs()),
                g17(p.arc)
            );
        }
        let (l, a, r) = (
            m.length(s).unwrap(),
            m.area(s, 0.5).unwrap(),
            m.ri(s, 0.5).unwrap(),
        );
        out += &format!("shape {name} {} {} {}\n", g17(l), g17(a), g17(r));
    }
    let want: Vec<&str> = NEURON.lines().collect();
    let got: Vec<&str> = out.lines().collect();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "line {}", i + 1);
    }
    assert_eq!(got.len(), want.len());
}

#[test]
fn deleted_section_is_a_clear_error() {
    let (mut m, secs) = build();
    let soma = secs[0];
    let v = m.var_ref(secs[1], 0.5, RangeVar::V).unwrap();
    m.delete_section(soma).unwrap();
    assert_eq!(m.length(soma), Err(ModelError::DeletedSection));
    assert_eq!(m.name(soma), Err(ModelError::DeletedSection));
    // children became roots of their own trees; their handles still work
    assert_eq!(m.parent(secs[1]).unwrap(), None);
    assert_eq!(m.get(v).unwrap(), -65.0);
    m.finitialize(Some(-60.0)).unwrap();
    assert_eq!(m.get(v).unwrap(), -60.0);
    // a handle into a deleted section fails cleanly
    let axon_v = m.var_ref(secs[5], 0.5, RangeVar::V).unwrap();
    m.delete_section(secs[5]).unwrap();
    assert_eq!(m.get(axon_v), Err(ModelError::DeletedNode));
}

#[test]
fn handles_survive_nseg_changes_elsewhere_and_regrouping() {
    let (mut m, secs) = build();
    let r = m.var_ref(secs[6], 0.3, RangeVar::V).unwrap();
    m.set(r, -12.5).unwrap();
    m.finitialize(None).unwrap();
    m.set_nseg(secs[1], 11).unwrap();
    m.set_group_count(3);
    m.finitialize(None).unwrap();
    assert_eq!(m.get(r).unwrap(), -12.5);
    assert_eq!(m.cell_count().unwrap(), 2);
    // the handle names its location
    let VarRef::V(n) = r else { unreachable!() };
    let (s, x) = m.node_location(n).unwrap();
    assert_eq!((s, x), (secs[6], 0.25));
}

#[test]
fn loops_are_errors() {
    let (mut m, secs) = build();
    // a loop through the middle of sections is found when the topology is set
    // up (NEURON: "A loop exists involving section soma")
    m.connect(secs[0], 0.0, secs[4], 0.5).unwrap();
    let err = m.topology_text().unwrap_err();
    assert_eq!(
        err,
        ModelError::LoopExists {
            section: "soma".into(),
            cycle: ["soma", "dend[3]", "dend[0]", "soma"]
                .map(String::from)
                .to_vec()
        }
    );
    assert!(m.finitialize(None).is_err());
    m.disconnect(secs[0]).unwrap();
    assert!(m.finitialize(None).is_ok());
    // a loop through connecting ends is refused at once, and the section is
    // left disconnected
    let err = m.connect(secs[1], 0.0, secs[0], 0.0);
    assert!(err.is_ok());
    let err = m.connect(secs[0], 0.0, secs[1], 0.0).unwrap_err();
    assert_eq!(
        err,
        ModelError::Loop {
            section: "soma".into()
        }
    );
    assert_eq!(m.parent(secs[0]).unwrap(), None);
    assert!(m.connect(secs[1], 0.5, secs[0], 0.5).is_err());
    assert!(m.connect(secs[1], 0.0, secs[0], 1.5).is_err());
    let prev = m.connect(secs[3], 0.0, secs[6], 1.0).unwrap();
    assert_eq!(prev.map(|p| p.parent), Some(secs[0]));
}

/// NEURON 9.0.2 prints this for
/// `soma { insert pas  st = new IClamp(0.5) psection() }` then
/// `soma { nseg = 3 psection() }`: the point process shows on the first
/// segment, and the first segment cloned by the nseg change lists its
/// properties in reverse order and has no point process.
#[test]
fn psection_lists_properties_in_neuron_order() {
    use crate::mechanism::testing::{iclamp_spec, pas_spec};
    let mut m = Model::new();
    let mut icl = iclamp_spec();
    icl.name = "IClamp".into();
    // SAFETY: the test kernels keep to the ABI contract.
    let pas = unsafe { m.register_mechanism(pas_spec()) }.unwrap();
    let icl = unsafe { m.register_mechanism(icl) }.unwrap();
    let soma = m.new_section("soma");
    m.insert(soma, pas).unwrap();
    let st = m.new_point_process(icl, soma, 0.5).unwrap();
    let one = m.psection(soma).unwrap().to_text();
    m.set_nseg(soma, 3).unwrap();
    let three = m.psection(soma).unwrap().to_text();
    assert_eq!(
        one,
        "soma { nseg=1  L=100  Ra=35.4\n\t/*location 0 attached to cell 0*/\n\
         \t/* First segment only */\n\tinsert morphology { diam=500}\n\
         \tinsert capacitance { cm=1}\n\tinsert pas { g_pas=0.001 e_pas=-70}\n\
         \tinsert IClamp { del=0 dur=0 amp=0}\n}\n"
    );
    assert_eq!(
        three,
        "soma { nseg=3  L=100  Ra=35.4\n\t/*location 0 attached to cell 0*/\n\
         \t/* First segment only */\n\tinsert pas { g_pas=0.001 e_pas=-70}\n\
         \tinsert capacitance { cm=1}\n\tinsert morphology { diam=500}\n}\n"
    );
    assert_eq!(m.point_process_location(st).unwrap(), (soma, 0.5));
}

#[test]
fn section_order_survives_deletions_and_compaction() {
    let mut m = Model::new();
    let s: Vec<SectionId> = (0..10).map(|i| m.new_section(&format!("s{i}"))).collect();
    for &k in &[1, 3, 5, 7, 8, 9] {
        m.delete_section(s[k]).unwrap();
    }
    let a = m.new_section("a");
    let b = m.new_section_after("b", s[2]).unwrap();
    let live: Vec<SectionId> = m.sections().collect();
    assert_eq!(live, vec![s[0], s[2], b, s[4], s[6], a]);
    assert_eq!(m.section_count(), 6);
    m.delete_section(s[0]).unwrap();
    assert_eq!(
        m.sections().collect::<Vec<_>>(),
        vec![s[2], b, s[4], s[6], a]
    );
}
