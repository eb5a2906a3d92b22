//! Passive voltage traces against NEURON 9.0.2: two cells (a soma with three
//! dendrites, and a soma with an axon), `pas` everywhere, three IClamps,
//! 400 steps of 0.025 ms with secondorder 0 and 1. NEURON's output is
//! `runtime/tests/data/passive_trace.txt`, made by `passive_trace.hoc`.

use super::*;
use crate::mechanism::testing::{iclamp_spec, pas_spec};

const NEURON: &str = include_str!("../../../tests/data/passive_trace.txt");

/// The model of `passive_trace.hoc`, and the handles it records.
pub(super) fn build() -> (Model, Vec<VarRef>) {
    let mut m = Model::new();
    // SAFETY: the test kernels keep to the ABI contract.
    let pas = unsafe { m.register_mechanism(pas_spec()) }.unwrap();
    let icl = unsafe { m.register_mechanism(iclamp_spec()) }.unwrap();
    let slot =
        |m: &Model, t: MechTypeId, f: &str| m.mechanism_spec(t).unwrap().field_slot(f).unwrap().0;
    let (g, e) = (slot(&m, pas, "g"), slot(&m, pas, "e"));
    let soma = m.new_section("soma");
    let dend: Vec<SectionId> = (0..3)
        .map(|i| m.new_section(&format!("dend[{i}]")))
        .collect();
    let soma2 = m.new_section("soma2");
    let axon2 = m.new_section("axon2");
    let passive = |m: &mut Model, s: SectionId, gv: Option<f64>, ev: Option<f64>| {
        m.insert(s, pas).unwrap();
        if let Some(gv) = gv {
            m.set_mech_all(s, pas, g, gv).unwrap();
        }
        if let Some(ev) = ev {
            m.set_mech_all(s, pas, e, ev).unwrap();
        }
    };
    m.set_length(soma, 20.0).unwrap();
    m.set_diam_all(soma, 20.0).unwrap();
    passive(&mut m, soma, Some(0.001), Some(-65.0));
    m.set_length(dend[0], 300.0).unwrap();
    m.set_diam_all(dend[0], 2.0).unwrap();
    m.set_nseg(dend[0], 7).unwrap();
    m.set_ra(dend[0], 150.0).unwrap();
    passive(&mut m, dend[0], Some(0.0002), Some(-70.0));
    m.set_length(dend[1], 120.0).unwrap();
    m.set_diam_all(dend[1], 1.5).unwrap();
    m.set_nseg(dend[1], 3).unwrap();
    passive(&mut m, dend[1], Some(0.0001), Some(-60.0));
    m.set_cm_all(dend[1], 2.0).unwrap();
    m.set_length(dend[2], 80.0).unwrap();
    m.set_nseg(dend[2], 5).unwrap();
    passive(&mut m, dend[2], Some(0.0003), Some(-65.0));
    // HOC's `for (x, 0)`: x = dx/2, then x += dx
    let dx = 1.0 / 5.0;
    let mut x = dx / 2.0;
    for _ in 0..5 {
        m.set_diam(dend[2], x, 2.5 - x).unwrap();
        x += dx;
    }
    m.connect(dend[0], 0.0, soma, 1.0).unwrap();
    m.connect(dend[1], 0.0, soma, 0.0).unwrap();
    m.connect(dend[2], 1.0, soma, 0.5).unwrap();
    m.set_length(soma2, 15.0).unwrap();
    m.set_diam_all(soma2, 15.0).unwrap();
    passive(&mut m, soma2, None, None);
    m.set_length(axon2, 500.0).unwrap();
    m.set_diam_all(axon2, 1.0).unwrap();
    m.set_nseg(axon2, 11).unwrap();
    m.set_ra(axon2, 100.0).unwrap();
    passive(&mut m, axon2, Some(0.0005), Some(-72.0));
    m.connect(axon2, 0.0, soma2, 1.0).unwrap();
    let (del, dur, amp) = (
        slot(&m, icl, "del"),
        slot(&m, icl, "dur"),
        slot(&m, icl, "amp"),
    );
    for (s, x, p) in [
        (soma, 0.5, [1.0, 3.0, 0.5]),
        (dend[1], 0.8, [0.5, 6.0, -0.05]),
        (soma2, 0.5, [2.0, 5.0, 0.2]),
    ] {
        let st = m.new_point_process(icl, s, x).unwrap();
        for (k, val) in [del, dur, amp].into_iter().zip(p) {
            let r = m.point_var_ref(st, k).unwrap();
            m.set(r, val).unwrap();
        }
    }
    let rec = [
        (soma, 0.5),
        (dend[0], 0.5),
        (dend[0], 1.0),
        (dend[1], 0.1),
        (dend[2], 1.0),
        (soma2, 0.5),
        (axon2, 0.9),
    ]
    .into_iter()
    .map(|(s, x)| m.var_ref(s, x, RangeVar::V).unwrap())
    .collect();
    (m, rec)
}

/// Runs both secondorder settings; returns lines like NEURON's (as numbers).
pub(super) fn run(m: &mut Model, rec: &[VarRef]) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    m.set_dt(0.025).unwrap();
    for so in [0, 1] {
        m.set_secondorder(so);
        m.finitialize(Some(-65.0)).unwrap();
        for _ in 0..400 {
            m.fadvance().unwrap();
            let mut line = vec![so as f64, m.t()];
            for &r in rec {
                line.push(m.get(r).unwrap());
            }
            out.push(line);
        }
    }
    out
}

fn neuron() -> Vec<Vec<f64>> {
    NEURON
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().map(|w| w.parse().unwrap()).collect())
        .collect()
}

#[test]
fn passive_trace_matches_neuron() {
    let (mut m, rec) = build();
    let ours = run(&mut m, &rec);
    let theirs = neuron();
    assert_eq!(ours.len(), theirs.len());
    let mut max_diff: f64 = 0.0;
    let mut inexact = 0;
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            max_diff = max_diff.max((x - y).abs());
            inexact += usize::from(x != y);
        }
    }
    assert!(max_diff <= 1e-9, "max |nerve - NEURON| = {max_diff:e} mV");
    assert_eq!(inexact, 0, "{inexact} values differ (max {max_diff:e})");
}

#[test]
fn results_do_not_depend_on_group_count() {
    let (mut m, rec) = build();
    let one = run(&mut m, &rec);
    for n in [2, 3] {
        m.set_group_count(n);
        let many = run(&mut m, &rec);
        assert_eq!(one, many, "group count {n}");
    }
}
