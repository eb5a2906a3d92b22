//! Results are the same bit for bit for any number of threads and groups.

use super::*;
use crate::mechanism::testing::{iclamp_spec, pas_spec};

/// Twelve passive ball-and-stick cells with different geometry and stimuli,
/// stepped 300 times; every node's v at every 10th step.
fn run(threads: usize, groups: usize) -> Vec<u64> {
    let mut m = Model::new();
    // SAFETY: the test kernels keep to the ABI contract.
    let pas = unsafe { m.register_mechanism(pas_spec()) }.unwrap();
    // SAFETY: as above.
    let icl = unsafe { m.register_mechanism(iclamp_spec()) }.unwrap();
    let slot = |m: &Model, t, f: &str| m.mechanism_spec(t).unwrap().field_slot(f).unwrap().0;
    let mut probes = Vec::new();
    for c in 0..12 {
        let soma = m.new_section(&format!("soma{c}"));
        let dend = m.new_section(&format!("dend{c}"));
        m.set_length(soma, 20.0).unwrap();
        m.set_diam_all(soma, 20.0).unwrap();
        m.set_length(dend, 100.0 + 25.0 * c as f64).unwrap();
        m.set_diam_all(dend, 1.0 + 0.1 * c as f64).unwrap();
        m.set_nseg(dend, 5 + c as i64).unwrap();
        m.connect(dend, 0.0, soma, 1.0).unwrap();
        for s in [soma, dend] {
            m.insert(s, pas).unwrap();
        }
        let st = m.new_point_process(icl, soma, 0.5).unwrap();
        for (f, v) in [("del", 1.0), ("dur", 3.0), ("amp", 0.05 * (c + 1) as f64)] {
            let r = m.point_var_ref(st, slot(&m, icl, f)).unwrap();
            m.set(r, v).unwrap();
        }
        probes.push((soma, 0.5));
        probes.push((dend, 0.9));
    }
    m.set_group_count(groups);
    m.set_threads(threads).unwrap();
    m.finitialize(Some(-65.0)).unwrap();
    let mut out = Vec::new();
    for step in 0..300 {
        m.fadvance().unwrap();
        if step % 10 == 0 {
            out.extend(probes.iter().map(|&(s, x)| m.v(s, x).unwrap().to_bits()));
        }
    }
    out
}

#[test]
fn one_two_four_threads_are_bit_identical() {
    let one = run(1, 1);
    assert_eq!(one, run(2, 2));
    assert_eq!(one, run(4, 4));
    assert_eq!(one, run(4, 7));
}
