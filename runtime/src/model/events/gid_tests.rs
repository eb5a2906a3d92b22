//! Tests of gids on one rank: the rules of `set_gid2node`, `cell` and
//! `gid_connect` as NEURON 9.0.2 has them, and a `gid_connect` to a gid of
//! this rank delivering exactly as a NetCon from the gid's source.

use super::tests::{get, pacer_spec, set, slot};
use super::*;
use crate::mechanism::{
    FieldKind, FieldSpec, MechanismKernels, MechanismKind, MechanismSpec, MechanismView,
};
use crate::model::MechTypeId;

/// `Order`: an artificial cell whose NET_RECEIVE appends the weight as a
/// digit (`x = 10 x + w`), so `x` spells the order of its inputs.
fn order_spec() -> MechanismSpec {
    let mut s = MechanismSpec::new("Order", MechanismKind::Artificial);
    s.fields = vec![FieldSpec::new("x", FieldKind::Assigned, 0.0)];
    s.weights = 1;
    s.kernels = MechanismKernels {
        net_receive: Some(order_receive),
        ..MechanismKernels::default()
    };
    s
}

unsafe extern "C" fn order_receive(view: *const MechanismView, i: usize, w: *mut f64, _: f64) {
    let m = &*view;
    let x = slot(m, 0, i);
    *x = *x * 10.0 + *w;
}

struct Cells {
    m: Model,
    pacer: MechTypeId,
    order: MechTypeId,
}

fn cells() -> Cells {
    let mut m = Model::new();
    // SAFETY: the test kernels keep to the ABI contract.
    let pacer = unsafe { m.register_mechanism(pacer_spec()) }.unwrap();
    // SAFETY: as above.
    let order = unsafe { m.register_mechanism(order_spec()) }.unwrap();
    Cells { m, pacer, order }
}

/// A gid of this rank with a pacer (firing every 7 ms) as its source.
fn pacer_gid(c: &mut Cells, gid: Gid) -> (InstanceId, NetConId) {
    let p = c.m.new_unlocated(c.pacer).unwrap();
    c.m.gid_register(gid).unwrap();
    let nc =
        c.m.netcon_new(NetConSource::Point(p), None, None, 1.0, 0.0)
            .unwrap();
    c.m.gid_cell(gid, nc, true).unwrap();
    (p, nc)
}

#[test]
fn gid_rules_follow_neuron() {
    let mut c = cells();
    let t = c.m.new_unlocated(c.order).unwrap();
    assert_eq!(c.m.gid_exists(1), 0);
    c.m.gid_register(1).unwrap();
    assert_eq!(c.m.gid_exists(1), 1);
    assert!(matches!(c.m.gid_register(1), Err(ModelError::GidInUse(1))));
    // connecting to a gid of this rank needs its source
    assert!(matches!(
        c.m.gid_connect(1, t),
        Err(ModelError::GidNoCell(1))
    ));
    let p = c.m.new_unlocated(c.pacer).unwrap();
    let src =
        c.m.netcon_new(NetConSource::Point(p), None, None, 1.0, 0.0)
            .unwrap();
    assert!(matches!(
        c.m.gid_cell(2, src, true),
        Err(ModelError::GidNotHere(2))
    ));
    let ps = c.m.gid_cell(1, src, true).unwrap();
    assert_eq!(c.m.gid_exists(1), 3);
    assert_eq!(c.m.output_gids(), [1]);
    // the NetCon hangs on the gid's own source: one threshold, one list
    let nc = c.m.gid_connect(1, t).unwrap();
    assert_eq!(c.m.netcon_presyn(nc).unwrap(), Some(ps));
    assert_eq!(c.m.netcon_source(nc).unwrap(), NetConSource::Point(p));
    assert_eq!(c.m.presyn(ps).unwrap().netcons, [src, nc]);
    assert_eq!(
        (
            c.m.netcon_srcgid(nc).unwrap(),
            c.m.netcon_srcgid(src).unwrap()
        ),
        (1, 1)
    );
    assert_eq!(
        (
            c.m.netcon_delay(nc).unwrap(),
            c.m.netcon_weights(nc).unwrap()
        ),
        (1.0, &[0.0][..])
    );
    c.m.set_netcon_threshold(nc, -20.0).unwrap();
    assert_eq!(c.m.gid_threshold(1).unwrap(), -20.0);
    // the source outlives the NetCon that named it
    c.m.netcon_delete(src).unwrap();
    assert_eq!(c.m.gid_presyn(1).unwrap(), ps);
    // a gid of another rank: an input source, which then bars the gid here
    let inp = c.m.gid_connect(7, t).unwrap();
    assert_eq!(c.m.netcon_srcgid(inp).unwrap(), 7);
    assert_eq!(c.m.netcon_source(inp).unwrap(), NetConSource::None);
    assert_eq!(c.m.gid_exists(7), 0);
    assert!(matches!(
        c.m.gid_register(7),
        Err(ModelError::GidInputPort(7))
    ));
    assert!(matches!(
        c.m.gid_threshold(7),
        Err(ModelError::GidNoSource(7))
    ));
    // a source serves one gid; kept local, it is not sent
    c.m.gid_register(3).unwrap();
    assert!(matches!(
        c.m.gid_cell(3, nc, true),
        Err(ModelError::GidOtherSource { gid: 3, other: 1 })
    ));
    let q = c.m.new_unlocated(c.pacer).unwrap();
    let src3 =
        c.m.netcon_new(NetConSource::Point(q), None, None, 1.0, 0.0)
            .unwrap();
    c.m.gid_cell(3, src3, false).unwrap();
    assert_eq!(c.m.gid_exists(3), 2);
    assert_eq!(c.m.output_gids(), [1]);
    // the smallest delay counts the NetCons of input sources only
    c.m.set_netcon_delay(nc, 0.5).unwrap();
    c.m.set_netcon_delay(inp, 2.5).unwrap();
    assert_eq!(c.m.gid_connect_min_delay(), 2.5);
    // a NetCon given to gid_connect moves to the gid's source
    let moved =
        c.m.netcon_new(NetConSource::None, Some(t), None, 4.0, 9.0)
            .unwrap();
    c.m.gid_connect_netcon(3, moved).unwrap();
    assert_eq!(c.m.netcon_srcgid(moved).unwrap(), 3);
    assert_eq!(c.m.netcon_delay(moved).unwrap(), 4.0);
    // gid_clear: no gids, the sources stay with their NetCons
    c.m.gid_clear();
    assert_eq!((c.m.gid_exists(1), c.m.gid_exists(3)), (0, 0));
    assert_eq!(
        (
            c.m.netcon_srcgid(nc).unwrap(),
            c.m.netcon_srcgid(inp).unwrap()
        ),
        (-1, -1)
    );
    assert_eq!(c.m.netcon_presyn(nc).unwrap(), Some(ps));
    c.m.gid_register(7).unwrap();
}

/// A pacer gid drives an `Order` cell through NetCons and `gid_connect`s
/// interleaved: the inputs arrive in the order the NetCons were made
/// (NEURON's list of the source), and three NetCons of one delay share
/// one queue event (NEURON's `use_min_delay`), as plain NetCons would.
#[test]
fn local_gid_connect_delivers_as_a_netcon() {
    for fan_out in [false, true] {
        let mut c = cells();
        let (p, _) = pacer_gid(&mut c, 0);
        let t = c.m.new_unlocated(c.order).unwrap();
        let add = |c: &mut Cells, gid: bool, w: f64| {
            let nc = if gid {
                c.m.gid_connect(0, t).unwrap()
            } else {
                c.m.netcon_new(NetConSource::Point(p), Some(t), None, 1.0, 0.0)
                    .unwrap()
            };
            c.m.netcon_weights_mut(nc).unwrap()[0] = w;
            let d = if fan_out { 1.0 } else { w };
            c.m.set_netcon_delay(nc, d).unwrap();
        };
        add(&mut c, true, 1.0);
        add(&mut c, false, 2.0);
        add(&mut c, true, 3.0);
        c.m.finitialize(None).unwrap();
        while c.m.t() < 7.5 {
            c.m.fadvance().unwrap();
        }
        assert_eq!(get(&mut c.m, t, c.order, "x"), 0.0);
        assert_eq!(c.m.take_gid_spikes(), [GidSpike { gid: 0, t: 7.0 }]);
        let ps = c.m.gid_presyn(0).unwrap();
        assert_eq!(c.m.presyn(ps).unwrap().use_min_delay, fan_out);
        while c.m.t() < 12.0 {
            c.m.fadvance().unwrap();
        }
        assert_eq!(get(&mut c.m, t, c.order, "x"), 123.0);
    }
}

#[test]
fn local_gid_connect_keeps_the_source_order_of_equal_times() {
    // two pacer gids fire at the same moments: the second's ordinary
    // NetCon comes after the first's gid_connect, whatever their order of
    // creation
    let mut c = cells();
    let (p0, _) = pacer_gid(&mut c, 0);
    let (_, _) = pacer_gid(&mut c, 1);
    let t = c.m.new_unlocated(c.order).unwrap();
    let late = c.m.gid_connect(1, t).unwrap();
    c.m.netcon_weights_mut(late).unwrap()[0] = 2.0;
    let nc =
        c.m.netcon_new(NetConSource::Point(p0), Some(t), None, 1.0, 3.0)
            .unwrap();
    let early = c.m.gid_connect(0, t).unwrap();
    c.m.netcon_weights_mut(early).unwrap()[0] = 1.0;
    c.m.finitialize(None).unwrap();
    while c.m.t() < 8.5 {
        c.m.fadvance().unwrap();
    }
    // source 0 first (its list: the NetCon, then the gid_connect), then 1
    assert_eq!(get(&mut c.m, t, c.order, "x"), 312.0);
    c.m.netcon_delete(nc).unwrap();
    set(&mut c.m, t, c.order, "x", 0.0);
    while c.m.t() < 15.5 {
        c.m.fadvance().unwrap();
    }
    assert_eq!(get(&mut c.m, t, c.order, "x"), 12.0);
}
