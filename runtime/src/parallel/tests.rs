//! The collectives of [`DryRun`] and the spike exchange on 1 to 4 faked
//! ranks: a ring of passive cells spread over the ranks by gid (where no
//! two events ever have the same time) gives the same spikes and voltages
//! bit for bit as on one rank, and the same spikes as the ring wired with
//! plain NetCons. (How equal-time events order over ranks is checked
//! against NEURON by `tests/mpi_dry_run.rs`.)

use super::*;
use crate::model::events::tests::{net, ring, set, soma};
use crate::model::{NetConSource, RangeVar};

#[test]
fn dry_run_collectives() {
    let out = DryRun::run(3, |c| {
        let r = c.rank() as f64;
        let mut v = [r, 10.0 - r];
        c.allreduce(&mut v, ReduceOp::Sum);
        let mut mx = [r];
        c.allreduce(&mut mx, ReduceOp::Max);
        let mut mn = [r];
        c.allreduce(&mut mn, ReduceOp::Min);
        let g = c.allgather(r * 2.0);
        let gv = c.allgatherv(&vec![r; c.rank()]);
        let mut b = if c.rank() == 1 {
            vec![7.0, 8.0]
        } else {
            vec![]
        };
        c.broadcast(&mut b, 1);
        let mut s = if c.rank() == 2 {
            b"hi".to_vec()
        } else {
            vec![]
        };
        c.broadcast_bytes(&mut s, 2);
        c.barrier();
        (v, mx[0], mn[0], g, gv, b, s)
    });
    for o in &out {
        assert_eq!(o.0, [3.0, 27.0]);
        assert_eq!((o.1, o.2), (2.0, 0.0));
        assert_eq!(o.3, [0.0, 2.0, 4.0]);
        assert_eq!(o.4, [1.0, 2.0, 2.0]);
        assert_eq!(o.5, [7.0, 8.0]);
        assert_eq!(o.6, b"hi");
    }
}

#[test]
fn local_is_one_rank() {
    let c = Local;
    let mut v = [4.0];
    c.allreduce(&mut v, ReduceOp::Sum);
    assert_eq!((c.rank(), c.size(), v[0]), (0, 1, 4.0));
    let s = [GidSpike { gid: 3, t: 1.5 }];
    assert_eq!(c.allgather_spikes(&s), s);
}

const NCELL: usize = 9;

/// The ring of the events tests, cell `c` (gid `c`) on rank `c % size`,
/// connected by `gid_connect`: this rank's spikes (gid, time bits) and its
/// cells' voltages every 50 steps (gid, bits).
type RankOut = (Vec<(i64, u64)>, Vec<(usize, u64)>);

fn gid_ring(comm: &dyn Communicator) -> RankOut {
    let mut n = net();
    let mine: Vec<usize> = (0..NCELL)
        .filter(|c| c % comm.size() == comm.rank())
        .collect();
    let secs: Vec<_> = mine
        .iter()
        .map(|c| soma(&mut n, &format!("c{c}")))
        .collect();
    let m = &mut n.m;
    let mut recs = Vec::new();
    for (k, &c) in mine.iter().enumerate() {
        let gid = c as i64;
        m.gid_register(gid).unwrap();
        if c == 0 {
            let ic = m.new_point_process(n.icl, secs[k], 0.5).unwrap();
            for (f, x) in [("del", 0.5), ("dur", 1.0), ("amp", 0.6)] {
                set(m, ic, n.icl, f, x);
            }
        }
        let v = m.var_ref(secs[k], 0.5, RangeVar::V).unwrap();
        let nc = m
            .netcon_new(NetConSource::Var(v), None, Some(-55.0), 1.0, 0.0)
            .unwrap();
        m.gid_cell(gid, nc, true).unwrap();
        m.netcon_delete(nc).unwrap();
        recs.push((m.set_gid_record(gid, true).unwrap(), gid));
    }
    // connected once every gid of this rank has its source (a gid_connect
    // before would make the gid an input of this rank)
    for (k, &c) in mine.iter().enumerate() {
        let syn = m.new_point_process(n.syn, secs[k], 0.5).unwrap();
        set(m, syn, n.syn, "tau", 3.0);
        let src = ((c + NCELL - 1) % NCELL) as i64;
        let nc = m.gid_connect(src, syn).unwrap();
        m.set_netcon_delay(nc, 0.7).unwrap();
        m.netcon_weights_mut(nc).unwrap()[0] = 0.05;
    }
    let mut ex = SpikeExchange::default();
    // the min-delay counts the NetCons driven from other ranks only
    let md = ex.set_maxstep(m, comm, 10.0);
    assert_eq!(md, if comm.size() == 1 { 10.0 } else { 0.7 });
    ex.finitialize(m, comm, Some(-65.0)).unwrap();
    let (mut spikes, mut vs) = (Vec::new(), Vec::new());
    for step in 0..1200 {
        ex.fadvance(m, comm).unwrap();
        for (ps, t) in m.take_spikes() {
            let gid = recs.iter().find(|r| r.0 == ps).unwrap().1;
            spikes.push((gid, t.to_bits()));
        }
        if step % 50 == 0 {
            for (k, &c) in mine.iter().enumerate() {
                vs.push((c, m.v(secs[k], 0.5).unwrap().to_bits()));
            }
        }
    }
    (spikes, vs)
}

fn merged(outs: Vec<RankOut>) -> RankOut {
    let (mut s, mut v) = (Vec::new(), Vec::new());
    for (a, b) in outs {
        s.extend(a);
        v.extend(b);
    }
    s.sort_by(|a, b| {
        f64::from_bits(a.1)
            .total_cmp(&f64::from_bits(b.1))
            .then(a.0.cmp(&b.0))
    });
    v.sort();
    (s, v)
}

#[test]
fn spike_exchange_is_bit_identical_for_any_rank_count() {
    let one = merged(vec![gid_ring(&Local)]);
    assert!(one.0.len() >= NCELL, "the ring must propagate");
    for n in 2..=4 {
        assert_eq!(merged(DryRun::run(n, |c| gid_ring(&c))), one, "{n} ranks");
    }
    // the same spike times as the ring wired with NetCons
    let plain: Vec<(i64, u64)> = ring(1, 1)
        .0
        .into_iter()
        .map(|(c, t)| (c as i64, t))
        .collect();
    assert_eq!(one.0, plain);
}
