//! Tests of NetCons, threshold detection and delivery, with hand-written
//! kernels: `ExpSyn` as nocmodl compiles `expsyn.mod` (same floating-point
//! operations) and `Pacer`, an ARTIFICIAL_CELL that uses net_send, net_event
//! and net_move (the conformance case `mod_artcell`'s pacer.mod).

use super::*;
use crate::mechanism::testing::{iclamp_spec, pas_spec};
use crate::mechanism::{
    FieldKind, FieldSpec, MechanismKernels, MechanismKind, MechanismSpec, MechanismView,
};
use crate::model::{MechTypeId, RangeVar, SectionId};

const SYN_TAU: usize = 0;
const SYN_E: usize = 1;
const SYN_I: usize = 2;
const SYN_G: usize = 3;
const SYN_GJ: usize = 4;

pub(crate) unsafe fn slot(m: &MechanismView, field: usize, i: usize) -> *mut f64 {
    m.data.add(field * m.stride + i)
}

fn expsyn_spec() -> MechanismSpec {
    let mut s = MechanismSpec::new("ExpSyn", MechanismKind::Point);
    s.fields = vec![
        FieldSpec::new("tau", FieldKind::Parameter, 0.1),
        FieldSpec::new("e", FieldKind::Parameter, 0.0),
        FieldSpec::new("i", FieldKind::Assigned, 0.0),
        FieldSpec::new("g", FieldKind::State, 0.0),
        FieldSpec::new("_g", FieldKind::Assigned, 0.0),
    ];
    s.weights = 1;
    s.kernels = MechanismKernels {
        init: Some(syn_init),
        cur: Some(syn_cur),
        jacob: Some(syn_jacob),
        state: Some(syn_state),
        net_receive: Some(syn_receive),
        ..MechanismKernels::default()
    };
    s
}

unsafe extern "C" fn syn_init(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        *slot(m, SYN_G, i) = 0.0;
    }
}

unsafe extern "C" fn syn_cur(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        let ni = *m.node_index.add(i) as usize;
        let v = *m.v.add(ni);
        let (g, e) = (*slot(m, SYN_G, i), *slot(m, SYN_E, i));
        let g_local = 0.0 + g * ((v + 0.001) - e);
        let cur = g * (v - e);
        *slot(m, SYN_I, i) = cur;
        let rhs = 0.0 + cur;
        let mut gj = (g_local - rhs) / 0.001;
        let area = *m.area.add(ni);
        gj *= 1.0e2 / area;
        *slot(m, SYN_GJ, i) = gj;
        *m.rhs.add(ni) -= rhs * (1.0e2 / area);
    }
}

unsafe extern "C" fn syn_jacob(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        let ni = *m.node_index.add(i) as usize;
        *m.d.add(ni) += *slot(m, SYN_GJ, i);
    }
}

unsafe extern "C" fn syn_state(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        let g = slot(m, SYN_G, i);
        let tau = *slot(m, SYN_TAU, i);
        *g += (1.0 - (m.dt * ((-1.0) / tau)).exp()) * (-(0.0) / ((-1.0) / tau) - *g);
    }
}

unsafe extern "C" fn syn_receive(view: *const MechanismView, i: usize, w: *mut f64, _flag: f64) {
    let m = &*view;
    *slot(m, SYN_G, i) += *w;
}

const P_INTERVAL: usize = 0;
const P_NFIRED: usize = 1;
const P_NRESET: usize = 2;

pub(crate) fn pacer_spec() -> MechanismSpec {
    let mut s = MechanismSpec::new("Pacer", MechanismKind::Artificial);
    s.fields = vec![
        FieldSpec::new("interval", FieldKind::Parameter, 7.0),
        FieldSpec::new("nfired", FieldKind::Assigned, 0.0),
        FieldSpec::new("nreset", FieldKind::Assigned, 0.0),
    ];
    s.weights = 1;
    s.kernels = MechanismKernels {
        init: Some(pacer_init),
        net_receive: Some(pacer_receive),
        ..MechanismKernels::default()
    };
    s
}

unsafe fn host(m: &MechanismView, op: u32, i: usize, a: f64, b: f64) {
    if let Some(h) = m.host_call {
        h(m.host, op, m, i, a, b);
    }
}

unsafe extern "C" fn pacer_init(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        *slot(m, P_NFIRED, i) = 0.0;
        *slot(m, P_NRESET, i) = 0.0;
        host(m, 0, i, *slot(m, P_INTERVAL, i), 1.0);
    }
}

unsafe extern "C" fn pacer_receive(view: *const MechanismView, i: usize, w: *mut f64, flag: f64) {
    let m = &*view;
    if flag == 1.0 {
        *slot(m, P_NFIRED, i) += 1.0;
        host(m, 1, i, m.t, 0.0);
        host(m, 0, i, *slot(m, P_INTERVAL, i), 1.0);
    } else if *w > 0.0 {
        *slot(m, P_NRESET, i) += 1.0;
        host(m, 2, i, m.t, 0.0);
    }
}

/// A model with `pas`, an IClamp and `ExpSyn` (shared with the tests of
/// the spike exchange).
pub(crate) struct Net {
    pub m: Model,
    pub pas: MechTypeId,
    pub icl: MechTypeId,
    pub syn: MechTypeId,
}

pub(crate) fn net() -> Net {
    let mut m = Model::new();
    // SAFETY: the test kernels keep to the ABI contract.
    let pas = unsafe { m.register_mechanism(pas_spec()) }.unwrap();
    // SAFETY: as above.
    let icl = unsafe { m.register_mechanism(iclamp_spec()) }.unwrap();
    // SAFETY: as above.
    let syn = unsafe { m.register_mechanism(expsyn_spec()) }.unwrap();
    Net { m, pas, icl, syn }
}

pub(crate) fn set(m: &mut Model, i: InstanceId, t: MechTypeId, f: &str, x: f64) {
    let slot = m.mechanism_spec(t).unwrap().field_slot(f).unwrap().0;
    let r = m.point_var_ref(i, slot).unwrap();
    m.set(r, x).unwrap();
}

pub(crate) fn get(m: &mut Model, i: InstanceId, t: MechTypeId, f: &str) -> f64 {
    let slot = m.mechanism_spec(t).unwrap().field_slot(f).unwrap().0;
    let r = m.point_var_ref(i, slot).unwrap();
    m.get(r).unwrap()
}

pub(crate) fn soma(n: &mut Net, name: &str) -> SectionId {
    let s = n.m.new_section(name);
    n.m.set_length(s, 20.0).unwrap();
    n.m.set_diam_all(s, 20.0).unwrap();
    n.m.insert(s, n.pas).unwrap();
    n.m.set_mech_all(s, n.pas, 0, 1e-3).unwrap();
    n.m.set_mech_all(s, n.pas, 1, -65.0).unwrap();
    s
}

/// NEURON 9.0.2: a passive cell driven over -50 mV by an IClamp excites an
/// ExpSyn on a second cell through a NetCon (delay 1.5, weight 0.01):
/// `spike 1.5000000000999967`, then at t = 8 `va -64.754450414645419
/// vb -58.489488491404792 g 0.00082084998623899055`.
#[test]
#[allow(clippy::excessive_precision)] // NEURON's digits, as printed
fn threshold_spike_and_synapse_match_neuron() {
    let mut n = net();
    let (a, b) = (soma(&mut n, "a"), soma(&mut n, "b"));
    let m = &mut n.m;
    let ic = m.new_point_process(n.icl, a, 0.5).unwrap();
    for (f, x) in [("del", 1.0), ("dur", 2.0), ("amp", 0.5)] {
        set(m, ic, n.icl, f, x);
    }
    let syn = m.new_point_process(n.syn, b, 0.5).unwrap();
    set(m, syn, n.syn, "tau", 2.0);
    let va = m.var_ref(a, 0.5, RangeVar::V).unwrap();
    let nc = m
        .netcon_new(NetConSource::Var(va), Some(syn), Some(-50.0), 1.5, 0.01)
        .unwrap();
    let ps = m.set_netcon_record(nc, true).unwrap();
    m.finitialize(Some(-65.0)).unwrap();
    let mut spikes = Vec::new();
    while m.t() < 8.0 {
        m.fadvance().unwrap();
        spikes.extend(m.take_spikes());
    }
    assert_eq!(spikes, [(ps, 1.5000000000999967)]);
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * y.abs().max(1.0);
    assert!(close(m.v(a, 0.5).unwrap(), -64.754450414645419));
    assert!(close(m.v(b, 0.5).unwrap(), -58.489488491404792));
    assert!(close(get(m, syn, n.syn, "g"), 0.00082084998623899055));
}

/// Pacer cells: p0 fires every 7 ms and resets p1 (interval 11) through a
/// NetCon with delay 1, so p1 fires 1 ms after each p0 spike.
#[test]
fn artificial_cells_send_move_and_fire() {
    let mut m = Model::new();
    // SAFETY: the test kernels keep to the ABI contract.
    let pacer = unsafe { m.register_mechanism(pacer_spec()) }.unwrap();
    let p0 = m.new_unlocated(pacer).unwrap();
    let p1 = m.new_unlocated(pacer).unwrap();
    set(&mut m, p1, pacer, "interval", 11.0);
    m.netcon_new(NetConSource::Point(p0), Some(p1), Some(0.0), 1.0, 1.0)
        .unwrap();
    let r0 = m
        .netcon_new(NetConSource::Point(p0), None, None, 1.0, 0.0)
        .unwrap();
    let r1 = m
        .netcon_new(NetConSource::Point(p1), None, None, 1.0, 0.0)
        .unwrap();
    let s0 = m.set_netcon_record(r0, true).unwrap();
    let s1 = m.set_netcon_record(r1, true).unwrap();
    m.finitialize(None).unwrap();
    while m.t() < 60.0 {
        m.fadvance().unwrap();
    }
    let spikes = m.take_spikes();
    let times = |s| -> Vec<f64> {
        spikes
            .iter()
            .filter(|x| x.0 == s)
            .map(|x| x.1)
            .collect::<Vec<_>>()
    };
    let p0_times: Vec<f64> = (1..=8).map(|k| 7.0 * k as f64).collect();
    assert_eq!(times(s0), p0_times);
    let p1_times: Vec<f64> = (1..=8).map(|k| 7.0 * k as f64 + 1.0).collect();
    assert_eq!(times(s1), p1_times);
    assert_eq!(get(&mut m, p1, pacer, "nreset"), 8.0);
    assert_eq!(get(&mut m, p1, pacer, "nfired"), 8.0);
}

/// A ring of passive cells, each kicked by an IClamp-free synapse chain:
/// the first cell has a clamp; every cell's v(0.5) drives the next cell's
/// synapse. Spikes and voltages are the same for any thread count.
pub(crate) fn ring(threads: usize, groups: usize) -> (Vec<(usize, u64)>, Vec<u64>) {
    let mut n = net();
    let ncell = 9;
    let cells: Vec<SectionId> = (0..ncell).map(|c| soma(&mut n, &format!("c{c}"))).collect();
    let m = &mut n.m;
    let ic = m.new_point_process(n.icl, cells[0], 0.5).unwrap();
    for (f, x) in [("del", 0.5), ("dur", 1.0), ("amp", 0.6)] {
        set(m, ic, n.icl, f, x);
    }
    let mut sources = Vec::new();
    for c in 0..ncell {
        let syn = m
            .new_point_process(n.syn, cells[(c + 1) % ncell], 0.5)
            .unwrap();
        set(m, syn, n.syn, "tau", 3.0);
        let v = m.var_ref(cells[c], 0.5, RangeVar::V).unwrap();
        let nc = m
            .netcon_new(NetConSource::Var(v), Some(syn), Some(-55.0), 0.7, 0.05)
            .unwrap();
        sources.push(m.set_netcon_record(nc, true).unwrap());
        // a second and third NetCon with the same delay: one queue event per spike
        for _ in 0..2 {
            m.netcon_new(NetConSource::Var(v), Some(syn), None, 0.7, 0.0)
                .unwrap();
        }
    }
    m.set_group_count(groups);
    m.set_threads(threads).unwrap();
    m.finitialize(Some(-65.0)).unwrap();
    let mut spikes = Vec::new();
    let mut vs = Vec::new();
    for step in 0..1200 {
        m.fadvance().unwrap();
        for (ps, t) in m.take_spikes() {
            let c = sources.iter().position(|&s| s == ps).unwrap();
            spikes.push((c, t.to_bits()));
        }
        if step % 50 == 0 {
            vs.extend(cells.iter().map(|&s| m.v(s, 0.5).unwrap().to_bits()));
        }
    }
    (spikes, vs)
}

#[test]
fn ring_is_bit_identical_for_any_thread_count() {
    let one = ring(1, 1);
    assert!(one.0.len() >= ncells_min(), "the ring must propagate");
    assert_eq!(one, ring(2, 2));
    assert_eq!(one, ring(3, 5));
}

fn ncells_min() -> usize {
    9
}

#[test]
fn netcon_properties_and_events() {
    let mut n = net();
    let b = soma(&mut n, "b");
    let m = &mut n.m;
    let syn = m.new_point_process(n.syn, b, 0.5).unwrap();
    let nc = m
        .netcon_new(NetConSource::None, Some(syn), None, 1.0, 0.02)
        .unwrap();
    assert_eq!(m.netcon_weights(nc).unwrap(), [0.02]);
    assert!(m.netcon_active(nc).unwrap());
    assert_eq!(m.netcon_delay(nc).unwrap(), 1.0);
    let rec = m
        .netcon_new(NetConSource::None, None, None, 1.0, 0.0)
        .unwrap();
    assert!(matches!(m.netcon_delay(rec), Err(ModelError::NoSource)));
    assert!(!m.set_netcon_active(rec, true).unwrap());
    assert!(!m.netcon_active(rec).unwrap());
    m.finitialize(Some(-65.0)).unwrap();
    assert!(m.netcon_event(nc, 0.3, None).unwrap());
    m.fadvance().unwrap(); // delivers up to t + dt/2 = 0.0125 only
    assert_eq!(get(m, syn, n.syn, "g"), 0.0);
    while m.t() < 0.29 {
        m.fadvance().unwrap();
    }
    // 0.3 <= t + dt/2 at t = 0.3 - 0.025 + ...: delivered at the step start
    m.fadvance().unwrap();
    assert!(get(m, syn, n.syn, "g") > 0.0);
    let e = m.post_external(5.0, 42);
    assert_eq!(m.event_time(e), Some(5.0));
    assert_eq!(
        m.deliver_events(10.0).unwrap(),
        Some(ExternalEvent { key: 42, t: 5.0 })
    );
    assert!(!m.cancel_event(e));
    m.netcon_delete(nc).unwrap();
    assert!(!m.netcon_exists(nc));
}

/// SaveState: save mid-run, continue, restore, continue again: the same
/// trace and spikes bit for bit (threshold NetCon into an ExpSyn, pacers
/// with self events and net_move in flight, an event from `nc.event`).
#[test]
fn save_restore_continues_bit_identically() {
    let mut n = net();
    let (a, b) = (soma(&mut n, "a"), soma(&mut n, "b"));
    // SAFETY: the test kernels keep to the ABI contract.
    let pacer = unsafe { n.m.register_mechanism(pacer_spec()) }.unwrap();
    let m = &mut n.m;
    let ic = m.new_point_process(n.icl, a, 0.5).unwrap();
    for (f, x) in [("del", 1.0), ("dur", 20.0), ("amp", 0.5)] {
        set(m, ic, n.icl, f, x);
    }
    let syn = m.new_point_process(n.syn, b, 0.5).unwrap();
    set(m, syn, n.syn, "tau", 2.0);
    let va = m.var_ref(a, 0.5, RangeVar::V).unwrap();
    let nc = m
        .netcon_new(NetConSource::Var(va), Some(syn), Some(-55.0), 1.5, 0.01)
        .unwrap();
    m.set_netcon_record(nc, true).unwrap();
    let p0 = m.new_unlocated(pacer).unwrap();
    let p1 = m.new_unlocated(pacer).unwrap();
    set(m, p1, pacer, "interval", 3.0);
    m.netcon_new(NetConSource::Point(p0), Some(p1), Some(0.0), 0.5, 1.0)
        .unwrap();
    let r1 = m
        .netcon_new(NetConSource::Point(p1), None, None, 1.0, 0.0)
        .unwrap();
    m.set_netcon_record(r1, true).unwrap();
    let kick = m
        .netcon_new(NetConSource::Point(p0), Some(syn), None, 2.0, 0.02)
        .unwrap();
    m.finitialize(Some(-65.0)).unwrap();
    m.netcon_event(kick, 9.0, None).unwrap();
    while m.t() < 5.0 {
        m.fadvance().unwrap();
    }
    m.take_spikes();
    let saved = m.save_state().unwrap();
    let go = |m: &mut Model| {
        let mut trace = Vec::new();
        while m.t() < 25.0 {
            m.fadvance().unwrap();
            trace.push(m.v(b, 0.5).unwrap().to_bits());
            trace.push(get(m, syn, n.syn, "g").to_bits());
        }
        let spikes: Vec<(PreSynId, u64)> = m
            .take_spikes()
            .iter()
            .map(|s| (s.0, s.1.to_bits()))
            .collect();
        (trace, spikes, get(m, p1, pacer, "nreset"))
    };
    let first = go(m);
    assert!(
        first.1.len() > 3 && first.2 > 0.0,
        "spikes and resets happen"
    );
    m.restore_state(&saved, true).unwrap();
    assert_eq!(m.t(), saved.t());
    let second = go(m);
    assert_eq!(first.0, second.0);
    assert_eq!(first.1, second.1);
    assert_eq!(first.2, second.2);
    // a restore with a changed structure is refused
    m.new_point_process(n.syn, a, 0.5).unwrap();
    assert!(matches!(
        m.restore_state(&saved, true),
        Err(ModelError::SaveStateMismatch)
    ));
}
