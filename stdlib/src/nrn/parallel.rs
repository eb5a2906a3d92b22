//! The HOC `ParallelContext` class: ranks and collectives (`nhost`, `id`,
//! `allreduce`, `allgather`, `broadcast`, `barrier`), threads (`nthread`),
//! gids and the spike exchange (`set_gid2node`, `cell`, `gid_connect`,
//! `threshold`, `spike_record`, `set_maxstep`, `psolve`), timers, and the
//! bulletin board (see `bbs`).
//!
//! The state is per interpreter, as NEURON's is per process: every
//! `ParallelContext` object sees the same ranks, gids and board. The
//! communicator is [`Local`] unless an MPI one is installed.

use super::bbs::{self, Bbs};
use super::netcon::{netcon_parts, wrap_netcon};
use super::point::point_instance;
use super::{host, merr, model, playrec};
use crate::vector::{self, vector_data};
use nerve_runtime::hoc::value::Object;
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Value};
use nerve_runtime::model::{Gid, NetConSource};
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

/// Called by `finitialize`: the exchange counts steps from here.
pub(crate) fn on_finitialize(interp: &mut Interpreter) {
    st(interp).exchange.init();
}

/// Called after each `fadvance`: exchanges spikes when it is time.
pub(crate) fn after_step(interp: &mut Interpreter) -> Result<(), HocError> {
    let h = host(interp)?;
    let mut m = model(&h)?;
    let s = st(interp);
    let t0 = Instant::now();
    let r = s.exchange.after_step(&mut m, &*s.comm).map_err(merr);
    s.send_time += t0.elapsed().as_secs_f64();
    r
}

/// `psolve(tstop)`: steps to `tstop` with events, play and record, and the
/// spike exchange (NEURON's `ncs2nrn_integrate`: as many whole steps of dt
/// as fit).
fn psolve(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(1, 1)?;
    let tstop = a.num(0)?;
    let h = host(interp)?;
    let Some(maxstep) = st(interp).exchange.maxstep() else {
        return Err(HocError::msg(
            "mindelay is 0 (or less than dt for fixed step method)",
        ));
    };
    let (t, dt) = {
        let m = model(&h)?;
        let s = st(interp);
        let md = s.exchange.set_maxstep(&m, &*s.comm, maxstep);
        if md < m.dt() {
            return Err(HocError::msg(
                "mindelay is 0 (or less than dt for fixed step method)",
            ));
        }
        (m.t(), m.dt())
    };
    let n = ((tstop - t) / dt + 1e-9).floor();
    let t0 = Instant::now();
    let mut k = 0.0;
    while k < n {
        playrec::fadvance(interp)?;
        k += 1.0;
    }
    st(interp).integ_time += t0.elapsed().as_secs_f64();
    ok(0.0)
}

/// `cell(gid, netcon [, output])`.
fn cell(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(2, 3)?;
    let gid = gid_arg(a, 0)?;
    let nc = a.object(1)?;
    let (id, src) = netcon_parts(&nc)?;
    let h = host(interp)?;
    let rank = st(interp).comm.rank();
    model(&h)?.gid_cell(gid, id).map_err(|e| match e {
        nerve_runtime::model::ModelError::GidNotHere(g) => {
            HocError::msg(format!("gid={g} has not been set on rank {rank}"))
        }
        e => merr(e),
    })?;
    if let Some(o) = src {
        st(interp).gid_objs.insert(gid, Rc::downgrade(&o));
    }
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
    let name = {
        let m = model(&h)?;
        match m.var_section(r).map_err(merr)? {
            Some(s) => m.name(s).map_err(merr)?.to_string(),
            None => return Ok(Value::Obj(None)),
        }
    };
    Ok(Value::Obj(object_named(interp, &name)))
}

/// The object a section name starts with (`PCell[2]` of `PCell[2].soma`).
fn object_named(interp: &Interpreter, section: &str) -> Option<Obj> {
    let (obj, _) = section.split_once('.')?;
    let (class, rest) = obj.split_once('[')?;
    let index: usize = rest.strip_suffix(']')?.parse().ok()?;
    interp
        .class(class)?
        .live()
        .into_iter()
        .find(|o| o.index == index)
}

/// `gid_connect(srcgid, target [, netcon])`: a NetCon from the gid's
/// spikes to `target`.
fn gid_connect(interp: &mut Interpreter, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(2, 3)?;
    if a.len() == 3 {
        return Err(HocError::msg(
            "gid_connect with an existing NetCon (third argument) is not supported",
        ));
    }
    let gid = gid_arg(a, 0)?;
    let target = a.obj(1)?;
    let inst = match &target {
        None => None,
        Some(o) => Some(
            point_instance(o)
                .ok_or_else(|| HocError::msg("gid_connect: arg 2 must be a point process"))?
                .1,
        ),
    };
    let h = host(interp)?;
    let id = model(&h)?.gid_connect(gid, inst).map_err(merr)?;
    let o = wrap_netcon(interp, id, target.as_ref())?;
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
            model(&h)?.gid_register(gid);
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
        if a.len() > 1 {
            m.set_gid_threshold(gid, a.num(1)?).map_err(merr)?;
        }
        ok(m.gid_threshold(gid).map_err(merr)?)
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
