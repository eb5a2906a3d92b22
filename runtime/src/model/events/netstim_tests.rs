//! The instances' random streams against NEURON 9.0.2: a hand-written
//! `NetStim` (NEURON 9's `netstim.mod`, `RANDOM ranvar`, the same
//! floating-point operations) drawing through `host_call` must give NEURON's
//! spike times bit for bit, with default stream ids, ids set as
//! `noiseFromRandom123` sets them, and another Random123 global index.

use super::*;
use crate::mechanism::{
    FieldKind, FieldSpec, MechanismKernels, MechanismKind, MechanismSpec, MechanismView,
};
use crate::model::MechTypeId;

const INTERVAL: usize = 0;
const NUMBER: usize = 1;
const START: usize = 2;
const NOISE: usize = 3;
const EVENT: usize = 4;
const ON: usize = 5;
const ISPIKE: usize = 6;

/// `host_call` service codes (RANDOM variable 0)
const NET_SEND: u32 = 0;
const NET_EVENT: u32 = 1;
const EXPRAND: u32 = 4;
const SETSEQ: u32 = 6;

fn netstim_spec() -> MechanismSpec {
    let mut s = MechanismSpec::new("NetStim", MechanismKind::Artificial);
    s.fields = vec![
        FieldSpec::new("interval", FieldKind::Parameter, 10.0),
        FieldSpec::new("number", FieldKind::Parameter, 10.0),
        FieldSpec::new("start", FieldKind::Parameter, 50.0),
        FieldSpec::new("noise", FieldKind::Parameter, 0.0),
        FieldSpec::new("event", FieldKind::Assigned, 0.0),
        FieldSpec::new("on", FieldKind::Assigned, 0.0),
        FieldSpec::new("ispike", FieldKind::Assigned, 0.0),
    ];
    s.weights = 1;
    s.randoms = vec!["ranvar".into()];
    s.kernels = MechanismKernels {
        init: Some(ns_init),
        net_receive: Some(ns_receive),
        ..MechanismKernels::default()
    };
    s
}

unsafe fn f(m: &MechanismView, field: usize, i: usize) -> *mut f64 {
    m.data.add(field * m.stride + i)
}

unsafe fn host(m: &MechanismView, op: u32, i: usize, a: f64, b: f64) -> f64 {
    match m.host_call {
        Some(h) => h(m.host, op, m, i, a, b),
        None => 0.0,
    }
}

unsafe fn invl(m: &MechanismView, i: usize, mut mean: f64) -> f64 {
    if mean <= 0.0 {
        mean = 0.01;
    }
    let noise = *f(m, NOISE, i);
    if noise == 0.0 {
        mean
    } else {
        // erand() = random_negexp(ranvar)
        (1.0 - noise) * mean + noise * mean * host(m, EXPRAND, i, 1.0, 0.0)
    }
}

unsafe fn next_invl(m: &MechanismView, i: usize) {
    if *f(m, NUMBER, i) > 0.0 {
        *f(m, EVENT, i) = invl(m, i, *f(m, INTERVAL, i));
    }
    if *f(m, ISPIKE, i) >= *f(m, NUMBER, i) {
        *f(m, ON, i) = 0.0;
    }
}

unsafe fn init_sequence(m: &MechanismView, i: usize) {
    if *f(m, NUMBER, i) > 0.0 {
        *f(m, ON, i) = 1.0;
        *f(m, EVENT, i) = 0.0;
        *f(m, ISPIKE, i) = 0.0;
    }
}

unsafe extern "C" fn ns_init(view: *const MechanismView) {
    let m = &*view;
    for i in 0..m.count {
        host(m, SETSEQ, i, 0.0, 0.0);
        *f(m, ON, i) = 0.0;
        *f(m, ISPIKE, i) = 0.0;
        let noise = f(m, NOISE, i);
        *noise = noise.read().clamp(0.0, 1.0);
        if *f(m, START, i) >= 0.0 && *f(m, NUMBER, i) > 0.0 {
            *f(m, ON, i) = 1.0;
            let interval = *f(m, INTERVAL, i);
            let mut event = *f(m, START, i) + invl(m, i, interval) - interval * (1.0 - *noise);
            if event < 0.0 {
                event = 0.0;
            }
            *f(m, EVENT, i) = event;
            host(m, NET_SEND, i, event, 3.0);
        }
    }
}

unsafe extern "C" fn ns_receive(view: *const MechanismView, i: usize, w: *mut f64, flag: f64) {
    let m = &*view;
    if flag == 0.0 {
        if *w > 0.0 && *f(m, ON, i) == 0.0 {
            init_sequence(m, i);
            next_invl(m, i);
            *f(m, EVENT, i) -= *f(m, INTERVAL, i) * (1.0 - *f(m, NOISE, i));
            host(m, NET_SEND, i, *f(m, EVENT, i), 1.0);
        } else if *w < 0.0 {
            *f(m, ON, i) = 0.0;
        }
    }
    if flag == 3.0 && *f(m, ON, i) == 1.0 {
        init_sequence(m, i);
        host(m, NET_SEND, i, 0.0, 1.0);
    }
    if flag == 1.0 && *f(m, ON, i) == 1.0 {
        *f(m, ISPIKE, i) += 1.0;
        host(m, NET_EVENT, i, m.t, 0.0);
        next_invl(m, i);
        if *f(m, ON, i) == 1.0 {
            host(m, NET_SEND, i, *f(m, EVENT, i), 1.0);
        }
    }
}

fn set(m: &mut Model, i: InstanceId, t: MechTypeId, field: &str, x: f64) {
    let slot = m.mechanism_spec(t).unwrap().field_slot(field).unwrap().0;
    let r = m.point_var_ref(i, slot).unwrap();
    m.set(r, x).unwrap();
}

/// Runs to 100 ms and returns each NetStim's spike times.
fn run(m: &mut Model, sources: &[PreSynId]) -> Vec<Vec<f64>> {
    m.finitialize(Some(-65.0)).unwrap();
    while m.t() < 100.0 {
        m.fadvance().unwrap();
    }
    let spikes = m.take_spikes();
    sources
        .iter()
        .map(|&s| spikes.iter().filter(|x| x.0 == s).map(|x| x.1).collect())
        .collect()
}

/// NEURON 9.0.2 (`nrniv`): four NetStims (start 2, interval 5, number 6,
/// noise 1, 0.5, 1, 0), the third with `noiseFromRandom123(7, 8, 9)`,
/// spikes recorded with `NetCon.record`; then the same run after
/// `Random123_globalindex(3)`.
#[test]
#[allow(clippy::excessive_precision)] // NEURON's digits, as printed
fn netstim_noise_matches_neuron_bit_for_bit() {
    let mut m = Model::new();
    // SAFETY: the test kernels keep to the ABI contract.
    let ns = unsafe { m.register_mechanism(netstim_spec()) }.unwrap();
    let mut sources = Vec::new();
    let mut cells = Vec::new();
    for noise in [1.0, 0.5, 1.0, 0.0] {
        let c = m.new_unlocated(ns).unwrap();
        for (field, x) in [("start", 2.0), ("interval", 5.0), ("number", 6.0)] {
            set(&mut m, c, ns, field, x);
        }
        set(&mut m, c, ns, "noise", noise);
        let nc = m
            .netcon_new(NetConSource::Point(c), None, None, 1.0, 0.0)
            .unwrap();
        sources.push(m.set_netcon_record(nc, true).unwrap());
        cells.push(c);
    }
    let ids = |m: &mut Model, c| m.with_random_stream(c, 0, |s, _| s.ids()).unwrap();
    assert_eq!(ids(&mut m, cells[0]), (1, 0, 1));
    assert_eq!(ids(&mut m, cells[3]), (1, 0, 4));
    // noiseFromRandom123(7, 8, 9)
    m.with_random_stream(cells[2], 0, |s, gix| {
        s.set_ids(7, 8, 9);
        s.set_seq4which(gix, 0.0);
    })
    .unwrap();
    let expected: [&[f64]; 4] = [
        &[
            5.71274205414118,
            10.843924182727669,
            15.444232921136027,
            16.104093346655045,
            19.054795857997771,
            19.298609535211217,
        ],
        &[
            2.4439206065120178,
            5.7207685730685069,
            11.630179641785087,
            14.885566660032152,
            27.750872444215837,
            33.7670397452817,
        ],
        &[
            22.579017061700053,
            29.163223410362974,
            44.045583624724912,
            48.077621061259748,
            53.573356056841931,
            66.370242740080869,
        ],
        &[2.0, 7.0, 12.0, 17.0, 22.0, 27.0],
    ];
    assert_eq!(run(&mut m, &sources), expected);
    // a second run reseeds in INITIAL
    assert_eq!(run(&mut m, &sources), expected);
    m.set_random123_global_index(3);
    let expected: [&[f64]; 4] = [
        &[
            3.3122891551196405,
            6.4488453869836899,
            12.480263881032672,
            21.874999015450861,
            25.994179963243511,
            28.968603377873034,
        ],
        &[
            2.6006008368483151,
            6.6742740393270203,
            9.6201532751612682,
            12.647340930066591,
            16.736338240797249,
            20.908408333410986,
        ],
        &[
            2.2846001391348496,
            8.2144867273779614,
            26.964577778006927,
            33.182908461477844,
            62.161426065026923,
            65.64447472135312,
        ],
        &[2.0, 7.0, 12.0, 17.0, 22.0, 27.0],
    ];
    assert_eq!(run(&mut m, &sources), expected);
}

/// Stream ids count instances of RANDOM variables in creation order;
/// deleted instances keep their numbers; the services give NaN for a type
/// without streams.
#[test]
#[allow(clippy::excessive_precision)] // NEURON's digits, as printed
fn default_ids_count_streams_in_creation_order() {
    let mut m = Model::new();
    // SAFETY: the test kernels keep to the ABI contract.
    let ns = unsafe { m.register_mechanism(netstim_spec()) }.unwrap();
    let a = m.new_unlocated(ns).unwrap();
    let b = m.new_unlocated(ns).unwrap();
    m.delete_point_process(a).unwrap();
    let c = m.new_unlocated(ns).unwrap();
    let ids = |m: &mut Model, c| m.with_random_stream(c, 0, |s, _| s.ids()).unwrap();
    assert_eq!(ids(&mut m, b), (1, 0, 2));
    assert_eq!(ids(&mut m, c), (1, 0, 3));
    assert!(matches!(
        m.with_random_stream(c, 1, |_, _| ()),
        Err(ModelError::NoRandom(_))
    ));
    // NEURON 9.0.2: the second NetStim's `ranvar.uniform()` at sequence 0
    let u = m
        .with_random_stream(b, 0, |s, gix| s.next_uniform(gix))
        .unwrap();
    assert_eq!(u, 0.83730385758976833);
}
