//! The HOC `ParallelContext` class: ranks and collectives (`nhost`, `id`,
//! `allreduce`, `allgather`, `broadcast`, `barrier`), threads (`nthread`),
//! gids and the spike exchange (`set_gid2node`, `cell`, `gid_connect`,
//! `threshold`, `spike_record`, `set_maxstep`, `psolve`), timers, and the
//! bulletin board (see `bbs`).
//!
//! The state is per interpreter, as NEURON's is per process: every
//! `ParallelContext` object sees the same ranks, gids and board. The
//! communicator is [`Local`] unless an MPI one is installed or a host
//! program gives one ([`set_communicator`]).

use super::bbs::{self, Bbs};
use super::netcon::{netcon_parts, set_netcon_pre, wrap_netcon};
use super::point::point_instance;
use super::sections::section_cell;
use super::{host, merr, model, playrec};
use crate::vector::{self, vector_data};
use nerve_runtime::hoc::value::Object;
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Value};
use nerve_runtime::model::{Gid, ModelError, NetConSource};
use nerve_runtime::parallel::{Communicator, Local, ReduceOp, SpikeExchange};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::time::Instant;

/// What every `ParallelContext` shares (in the interpreter's extension map).
pub(crate) struct ParState {
    /// the ranks
    pub comm: Box<dyn Communicator>,
    /// when and how spikes of gids travel
    pub exchange: SpikeExchange,
    /// the point process behind each gid whose source is one (`gid2obj`)
    pub gid_objs: HashMap<Gid, Weak<Object>>,
    /// the bulletin board
    pub bbs: Bbs,
    /// `timeout` [s]
    timeout: f64,
    /// wall time spent in `psolve` [s]
    integ_time: f64,
    /// wall time spent exchanging spikes [s]
    send_time: f64,
}

impl Default for ParState {
    fn default() -> Self {
        ParState {
            comm: default_comm(),
            exchange: SpikeExchange::default(),
            gid_objs: HashMap::new(),
            bbs: Bbs::default(),
            timeout: 20.0,
            integ_time: 0.0,
            send_time: 0.0,
        }
    }
}

/// MPI when built with it and started by a launcher, else one rank.
fn default_comm() -> Box<dyn Communicator> {
    #[cfg(feature = "mpi")]
    if let Some(c) = nerve_runtime::parallel::Mpi::from_launcher() {
        return Box::new(c);
    }
    Box::new(Local)
}

fn ok(x: f64) -> Result<Value, HocError> {
    Ok(Value::Num(x))
}

fn st(interp: &mut Interpreter) -> &mut ParState {
    interp.ext::<ParState>()
}

fn gid_arg(a: &Args, i: usize) -> Result<Gid, HocError> {
    let x = a.num(i)?;
    Ok(x as Gid)
}

/// Gives the interpreter's `ParallelContext`s their ranks (for embedding,
/// and for tests that run HOC on the ranks of a [`DryRun`]); the default
/// is MPI when built with it and started by a launcher, else one rank.
///
/// [`DryRun`]: nerve_runtime::parallel::DryRun
pub fn set_communicator(interp: &mut Interpreter, comm: Box<dyn Communicator>) {
    st(interp).comm = comm;
}

/// Called by `finitialize` right after the queue is emptied (NEURON's
/// `nrn_spike_exchange_init`): queues the first exchange, when spikes
/// travel between ranks.
pub(crate) fn init_exchange(interp: &mut Interpreter) -> Result<(), HocError> {
    let h = host(interp)?;
    let first = {
        let m = model(&h)?;
        let s = st(interp);
        s.exchange.init(&m, &*s.comm).map_err(merr)?
    };
    if let Some(t) = first {
        playrec::post_exchange(interp, t)?;
    }
    Ok(())
}

/// The exchange's event at `t` (NEURON's `NetParEvent::deliver`): the
/// other events up to `t` are delivered, spikes are exchanged, and the
/// next exchange is queued.
pub(crate) fn exchange_event(interp: &mut Interpreter, t: f64) -> Result<(), HocError> {
    playrec::deliver(interp, t)?;
    let h = host(interp)?;
    let next = {
        let mut m = model(&h)?;
        let s = st(interp);
        let t0 = Instant::now();
        let r = s.exchange.on_event(&mut m, &*s.comm, t).map_err(merr);
        s.send_time += t0.elapsed().as_secs_f64();
        r?
    };
    playrec::post_exchange(interp, next)
}

/// `psolve(tstop)`: steps to `tstop` with events, play and record, and the
/// spike exchange (NEURON's `netpar_solve` and `ncs2nrn_integrate`: as
/// many whole steps of dt as fit, then one more exchange).
fn psolve(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(1, 1)?;
    let tstop = a.num(0)? * (1.0 + 1e-11);
    let h = host(interp)?;
    let (t, dt) = {
        let m = model(&h)?;
        let s = st(interp);
        // NEURON's mindelay_, from the last set_maxstep or finitialize
        if s.exchange.maxstep().is_none() || s.exchange.interval() - 1e-10 < m.dt() {
            return Err(HocError::msg(
                "mindelay is 0 (or less than dt for fixed step method)",
            ));
        }
        (m.t(), m.dt())
    };
    let n = ((tstop - t) / dt + 1e-9) as i64;
    let t0 = Instant::now();
    if n > 3 {
        for _ in 0..n {
            playrec::fadvance(interp)?;
        }
    } else {
        while model(&h)?.t() <= tstop - dt {
            playrec::fadvance(interp)?;
        }
    }
    st(interp).integ_time += t0.elapsed().as_secs_f64();
    let mut m = model(&h)?;
    let s = st(interp);
    if s.exchange.active(&*s.comm) {
        s.exchange.exchange(&mut m, &*s.comm).map_err(merr)?;
    }
    ok(0.0)
}

/// An error of the gid tables in NEURON's words (which name the rank).
fn gid_err(interp: &mut Interpreter, e: ModelError) -> HocError {
    let rank = st(interp).comm.rank();
    match e {
        ModelError::GidNotHere(g) => {
            HocError::msg(format!("gid={g} has not been set on rank {rank}"))
        }
        ModelError::GidNoCell(g) => {
            HocError::msg(format!("gid {g} owned by {rank} but no associated cell"))
        }
        e => merr(e),
    }
}

/// `cell(gid, netcon [, send])`: the NetCon's source becomes the gid's;
/// with `send` 0 its spikes stay on this rank.
fn cell(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(2, 3)?;
    let gid = gid_arg(a, 0)?;
    let nc = a.object(1)?;
    let (id, src) = netcon_parts(&nc)?;
    let send = a.len() < 3 || vector::chkarg(a, 2, 0.0, 1.0)? != 0.0;
    let h = host(interp)?;
    let r = model(&h)?.gid_cell(gid, id, send);
    r.map_err(|e| match e {
        ModelError::NoSource => {
            HocError::msg(format!("pc.cell second arg, {}, has no source", nc.name()))
        }
        e => gid_err(interp, e),
    })?;
    let objs = &mut st(interp).gid_objs;
    match src {
        Some(o) => objs.insert(gid, Rc::downgrade(&o)),
        None => objs.remove(&gid),
    };
    ok(0.0)
}

/// The object behind a gid: the point process that is its source, or the
/// cell (template object) whose section holds the watched variable; nil
/// for a section outside any object.
fn gid2obj(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(1, 1)?;
    let gid = gid_arg(a, 0)?;
    let h = host(interp)?;
    let src = model(&h)?.gid_source(gid).map_err(merr)?;
    if let Some(o) = st(interp).gid_objs.get(&gid).and_then(|w| w.upgrade()) {
        return Ok(Value::Obj(Some(o)));
    }
    let NetConSource::Var(r) = src else {
        return Ok(Value::Obj(None));
    };
    let Some(s) = model(&h)?.var_section(r).map_err(merr)? else {
        return Ok(Value::Obj(None));
    };
    Ok(Value::Obj(section_cell(interp, s)?))
}

/// `gid_connect(srcgid, target [, netcon])`: a NetCon from the gid's
/// spikes to `target` (the gid's own source when the gid is on this rank);
/// with `netcon`, that NetCon (whose target must be `target`) takes the
/// gid as its source instead of a new one being made.
fn gid_connect(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(2, 3)?;
    let gid = gid_arg(a, 0)?;
    let not_point = || HocError::msg("arg 2 must be a point process");
    let target = a.obj(1)?.ok_or_else(not_point)?;
    let inst = point_instance(&target).ok_or_else(not_point)?.1;
    let h = host(interp)?;
    // the source point process, for `pre()`, when the gid is on this rank
    let src = {
        let m = model(&h)?;
        (m.gid_exists(gid) > 0)
            .then(|| st(interp).gid_objs.get(&gid).cloned())
            .flatten()
    };
    if a.len() == 3 {
        let o = a.object(2)?;
        let (id, _) = netcon_parts(&o)?;
        if model(&h)?.netcon_target(id).map_err(merr)? != Some(inst) {
            return Err(HocError::msg(
                "target is different from 3rd arg NetCon target",
            ));
        }
        let r = model(&h)?.gid_connect_netcon(gid, id);
        r.map_err(|e| gid_err(interp, e))?;
        set_netcon_pre(&o, src)?;
        return Ok(Value::Obj(Some(o)));
    }
    let r = model(&h)?.gid_connect(gid, inst);
    let id = r.map_err(|e| gid_err(interp, e))?;
    let o = wrap_netcon(interp, id, Some(&target))?;
    set_netcon_pre(&o, src)?;
    Ok(Value::Obj(Some(o)))
}

/// `spike_record(gid or -1, tvec, idvec)`: spikes of one gid, or of every
/// gid with a source on this rank, into the two Vectors.
fn spike_record(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(3, 3)?;
    let gid = gid_arg(a, 0)?;
    let tvec = vector_data(&a.object(1)?)?;
    let idvec = vector_data(&a.object(2)?)?;
    let h = host(interp)?;
    let gids = if gid < 0 {
        model(&h)?.output_gids()
    } else {
        vec![gid]
    };
    for g in gids {
        let ps = model(&h)?.set_gid_record(g, true).map_err(merr)?;
        interp.ext::<playrec::SimState>().spike_recs.insert(
            ps,
            playrec::SpikeRec::Vectors {
                tvec: tvec.clone(),
                id: Some((idvec.clone(), g as f64)),
            },
        );
    }
    ok(0.0)
}

fn reduce_op(kind: f64) -> Option<ReduceOp> {
    match kind as i64 {
        1 => Some(ReduceOp::Sum),
        2 => Some(ReduceOp::Max),
        3 => Some(ReduceOp::Min),
        _ => None,
    }
}

/// `allreduce(x, type)` or `allreduce(vec, type)` (1 sum, 2 max, 3 min).
fn allreduce(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(2, 2)?;
    let op = reduce_op(a.num(1)?);
    if a.is_obj(0) {
        let v = vector_data(&a.object(0)?)?;
        if let Some(op) = op {
            st(interp).comm.allreduce(&mut v.borrow_mut(), op);
        }
        return ok(0.0);
    }
    let mut x = [a.num(0)?];
    if let Some(op) = op {
        st(interp).comm.allreduce(&mut x, op);
    }
    ok(x[0])
}

/// `broadcast(vec or strdef, root)`: root's value everywhere; returns its
/// size (or length).
fn broadcast(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(2, 2)?;
    let root = vector::chkarg(a, 1, 0.0, f64::MAX)? as usize;
    if root >= st(interp).comm.size() {
        return Err(HocError::msg(format!(
            "broadcast: root {root} is not a rank"
        )));
    }
    if a.is_str(0) {
        let s = a.str_ref(0)?;
        let mut bytes = s.borrow().clone().into_bytes();
        st(interp).comm.broadcast_bytes(&mut bytes, root);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let n = text.len();
        *s.borrow_mut() = text;
        return ok(n as f64);
    }
    let v = vector_data(&a.object(0)?)?;
    let mut data = v.borrow().clone();
    st(interp).comm.broadcast(&mut data, root);
    let n = data.len();
    *v.borrow_mut() = data;
    ok(n as f64)
}

/// Registers the `ParallelContext` class.
pub(crate) fn register(interp: &mut Interpreter) {
    let b = ClassBuilder::new("ParallelContext", |i: &mut Interpreter, a: &mut Args| {
        a.expect_count(0, 1)?;
        st(i);
        Ok(())
    })
    .method("nhost", |i, _, _| ok(st(i).comm.size() as f64))
    .method("id", |i, _, _| ok(st(i).comm.rank() as f64))
    .method("nhost_world", |i, _, _| ok(st(i).comm.size() as f64))
    .method("id_world", |i, _, _| ok(st(i).comm.rank() as f64))
    .method("nhost_bbs", |i, _, _| ok(st(i).comm.size() as f64))
    .method("id_bbs", |i, _, _| ok(st(i).comm.rank() as f64))
    .method("nthread", |i, _, a| {
        a.expect_count(0, 2)?;
        let h = host(i)?;
        let mut m = model(&h)?;
        if !a.is_empty() {
            let n = vector::chkarg(a, 0, 1.0, 1024.0)? as usize;
            m.set_threads(n).map_err(merr)?;
        }
        ok(m.threads() as f64)
    })
    .method("set_gid2node", |i, _, a| {
        a.expect_count(2, 2)?;
        let gid = gid_arg(a, 0)?;
        let rank = a.num(1)?;
        if rank == st(i).comm.rank() as f64 {
            let h = host(i)?;
            model(&h)?.gid_register(gid).map_err(merr)?;
        }
        ok(0.0)
    })
    .method("gid_exists", |i, _, a| {
        a.expect_count(1, 1)?;
        let gid = gid_arg(a, 0)?;
        let h = host(i)?;
        let n = model(&h)?.gid_exists(gid);
        ok(f64::from(n))
    })
    .method("cell", |i, _, a| cell(i, a))
    .method("gid2obj", |i, _, a| gid2obj(i, a))
    .method("gid2cell", |i, _, a| gid2obj(i, a))
    .method("gid_connect", |i, _, a| gid_connect(i, a))
    .method("gid_clear", |i, _, a| {
        a.expect_count(0, 1)?;
        let h = host(i)?;
        model(&h)?.gid_clear();
        st(i).gid_objs.clear();
        ok(0.0)
    })
    .method("threshold", |i, _, a| {
        a.expect_count(1, 2)?;
        let gid = gid_arg(a, 0)?;
        let h = host(i)?;
        let mut m = model(&h)?;
        let no_source = |_| HocError::msg("gid not associated with spike generation location");
        if a.len() > 1 {
            m.set_gid_threshold(gid, a.num(1)?).map_err(no_source)?;
        }
        ok(m.gid_threshold(gid).map_err(no_source)?)
    })
    .method("spike_record", |i, _, a| spike_record(i, a))
    .method("set_maxstep", |i, _, a| {
        a.expect_count(1, 1)?;
        let x = a.num(0)?;
        let h = host(i)?;
        let m = model(&h)?;
        let s = st(i);
        ok(s.exchange.set_maxstep(&m, &*s.comm, x))
    })
    .method("psolve", |i, _, a| psolve(i, a))
    .method("allreduce", |i, _, a| allreduce(i, a))
    .method("allgather", |i, _, a| {
        a.expect_count(2, 2)?;
        let x = a.num(0)?;
        let v = vector_data(&a.object(1)?)?;
        *v.borrow_mut() = st(i).comm.allgather(x);
        ok(0.0)
    })
    .method("broadcast", |i, _, a| broadcast(i, a))
    .method("barrier", |i, _, _| {
        st(i).comm.barrier();
        ok(0.0)
    })
    .method("time", |_, _, _| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        ok(now)
    })
    .method("integ_time", |i, _, _| ok(st(i).integ_time))
    .method("step_time", |i, _, _| ok(st(i).integ_time))
    .method("send_time", |i, _, _| ok(st(i).send_time))
    .method("wait_time", |_, _, _| ok(0.0))
    .method("event_time", |_, _, _| ok(0.0))
    .method("vtransfer_time", |_, _, _| ok(0.0))
    .method("timeout", |i, _, a| {
        a.expect_count(0, 1)?;
        let s = st(i);
        let old = s.timeout;
        if !a.is_empty() {
            s.timeout = a.num(0)?;
        }
        ok(old)
    })
    .method("spike_compress", |_, _, _| ok(0.0))
    .method("mpi_init", |_, _, _| ok(0.0))
    .method("setup_transfer", |_, _, _| Err(no_gap_junctions()))
    .method("source_var", |_, _, _| Err(no_gap_junctions()))
    .method("target_var", |_, _, _| Err(no_gap_junctions()))
    .method("nrncore_run", |_, _, _| {
        Err(HocError::msg(
            "nrncore_run: CoreNEURON is not part of nerve",
        ))
    });
    bbs::methods(b).register(interp);
}

fn no_gap_junctions() -> HocError {
    HocError::msg(
        "gap junctions (setup_transfer, source_var, target_var) are not supported by nerve",
    )
}
