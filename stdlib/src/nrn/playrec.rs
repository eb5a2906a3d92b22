//! `Vector.record`, `Vector.play`, `play_remove`, spike records of NetCons,
//! `FInitializeHandler` statements and `CVode.event` callbacks: what runs
//! inside `finitialize` and `fadvance` on the HOC side, and the drivers of
//! those two (NEURON's `nrn_finitialize` and `nrn_fixed_step` as seen from
//! the interpreter).
//!
//! The model's event queue carries this module's events as external events
//! (a key into [`SimState::externals`]); [`deliver`] hands them here with the
//! model released, so a HOC statement can run in the middle of delivery.
//! Continuous play and record run through [`ContinuousHooks`] with the model
//! at hand.

use super::host::{model_target, target_get, target_set, PtrTarget};
use super::{host, merr, model, var};
use crate::vector::{self, vector_data};
use nerve_runtime::hoc::value::DoubleArray;
use nerve_runtime::hoc::{Args, HocError, Interpreter, Obj, Ptr, Value};
use nerve_runtime::model::{ContinuousHooks, ExternalEvent, Model, PreSynId, Result as MResult};
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

/// Where a record reads or a play writes.
#[derive(Clone)]
pub(crate) enum Src {
    /// the time `t` (recorded as the event time)
    T,
    /// a model variable
    Model(PtrTarget),
    /// a HOC scalar
    Cell(Rc<Cell<f64>>),
    /// an element of a HOC array or Vector
    Elem(DoubleArray, usize),
}

impl Src {
    /// The source a HOC pointer names.
    pub(crate) fn of(p: &Ptr) -> Result<Src, HocError> {
        Ok(match p {
            Ptr::Handle(h) => match model_target(h.as_ref()) {
                Some(PtrTarget::Global(var::T)) => Src::T,
                Some(t) => Src::Model(t),
                None => return Err(HocError::msg("this pointer cannot be recorded or played")),
            },
            Ptr::Cell(c) => Src::Cell(c.clone()),
            Ptr::Elem(a, i) => Src::Elem(a.clone(), *i),
            Ptr::Stack(_) => {
                return Err(HocError::msg(
                    "a local variable cannot be recorded or played",
                ))
            }
        })
    }

    fn read(&self, m: &mut Model) -> Option<f64> {
        match self {
            Src::T => Some(m.t()),
            Src::Model(t) => target_get(m, *t).ok(),
            Src::Cell(c) => Some(c.get()),
            Src::Elem(a, i) => a.borrow().get(*i).copied(),
        }
    }

    fn write(&self, m: &mut Model, x: f64) {
        match self {
            Src::T => m.set_t(x),
            Src::Model(t) => {
                let _ = target_set(m, *t, x);
            }
            Src::Cell(c) => c.set(x),
            Src::Elem(a, i) => {
                if let Some(e) = a.borrow_mut().get_mut(*i) {
                    *e = x;
                }
            }
        }
    }
}

/// When a record samples.
enum RecKind {
    /// after every step (NEURON's `YvecRecord`, `TvecRecord`)
    Continuous,
    /// every `dt` from 0, by events (`VecRecordDt`)
    Dt(f64),
    /// at the times of a Vector, by events (`VecRecordDiscrete`)
    Times(DoubleArray),
}

struct Record {
    y: DoubleArray,
    src: Src,
    kind: RecKind,
}

enum PlayKind {
    /// NEURON's `VecPlayStep`: `y[i]` at `t[i]` (or at `i·dt`)
    Step {
        t: Option<DoubleArray>,
        dt: f64,
        index: usize,
    },
    /// NEURON's `VecPlayContinuous`: linear interpolation every half step
    Continuous {
        t: DoubleArray,
        discon: Option<DoubleArray>,
        last: usize,
        ubound: usize,
        dindex: usize,
    },
}

struct Play {
    y: DoubleArray,
    src: Src,
    kind: PlayKind,
}

/// What an external event does.
#[derive(Clone)]
enum Ext {
    Record(usize),
    Play(usize),
    Stmt(Option<String>),
    /// the spike exchange between ranks (NEURON's `NetParEvent`)
    Exchange,
}

/// The spike record of a NetCon's source (`nc.record(...)`).
pub(crate) enum SpikeRec {
    /// times into a Vector (and the id into another)
    Vectors {
        tvec: DoubleArray,
        id: Option<(DoubleArray, f64)>,
    },
    /// a statement run at each spike
    Stmt(String),
}

/// A `FInitializeHandler`: its type and statement (shared with the object).
pub(crate) struct Fih {
    pub kind: i32,
    pub stmt: String,
    pub this: Option<Weak<nerve_runtime::hoc::value::Object>>,
}

/// Everything this module keeps (in the interpreter's extension map).
#[derive(Default)]
pub(crate) struct SimState {
    records: Vec<Option<Record>>,
    plays: Vec<Option<Play>>,
    externals: HashMap<u64, Ext>,
    next_key: u64,
    pub fih: Vec<Weak<Fih>>,
    pub spike_recs: HashMap<PreSynId, SpikeRec>,
    /// `batch_save` pointers
    pub batch: Vec<Ptr>,
}

impl SimState {
    fn post(&mut self, m: &mut Model, t: f64, e: Ext) {
        let key = self.next_key;
        self.next_key += 1;
        self.externals.insert(key, e);
        m.post_external(t, key);
    }

    /// Removes the records and plays of a Vector (NEURON's `nrn_vecsim_remove`).
    fn remove_uses(&mut self, y: &DoubleArray) {
        for r in &mut self.records {
            if r.as_ref().is_some_and(|r| Rc::ptr_eq(&r.y, y)) {
                *r = None;
            }
        }
        for p in &mut self.plays {
            if p.as_ref().is_some_and(|p| Rc::ptr_eq(&p.y, y)) {
                *p = None;
            }
        }
    }

    /// `nrn_play_init`: every play posts its first event.
    fn play_init(&mut self, m: &mut Model) {
        let mut posts = Vec::new();
        for (i, p) in self.plays.iter_mut().enumerate() {
            let Some(p) = p else { continue };
            match &mut p.kind {
                PlayKind::Step { t, index, .. } => {
                    *index = 0;
                    match t {
                        Some(t) => {
                            if let Some(&t0) = t.borrow().first() {
                                posts.push((t0, i));
                            }
                        }
                        None => posts.push((0.0, i)),
                    }
                }
                PlayKind::Continuous {
                    t,
                    discon,
                    last,
                    ubound,
                    dindex,
                } => {
                    *last = 0;
                    *dindex = 0;
                    let tv = t.borrow();
                    match discon {
                        Some(d) if !d.borrow().is_empty() => {
                            *ubound = d.borrow()[0] as usize;
                            *dindex = 1;
                            if let Some(&tu) = tv.get(*ubound) {
                                posts.push((tu, i));
                            }
                        }
                        Some(_) => *ubound = tv.len().saturating_sub(1),
                        None => {
                            *ubound = 0;
                            if let Some(&t0) = tv.first() {
                                posts.push((t0, i));
                            }
                        }
                    }
                }
            }
        }
        for (t, i) in posts {
            self.post(m, t, Ext::Play(i));
        }
    }

    /// `nrn_record_init`: records start empty; event-driven ones post their
    /// first sample.
    fn record_init(&mut self, m: &mut Model) {
        let mut posts = Vec::new();
        for (i, r) in self.records.iter().enumerate() {
            let Some(r) = r else { continue };
            r.y.borrow_mut().clear();
            match &r.kind {
                RecKind::Continuous => {}
                RecKind::Dt(_) => posts.push((m.t(), i)),
                RecKind::Times(t) => {
                    if let Some(&t0) = t.borrow().first() {
                        posts.push((t0, i));
                    }
                }
            }
        }
        for (t, i) in posts {
            self.post(m, t, Ext::Record(i));
        }
    }

    fn deliver_record(&mut self, m: &mut Model, i: usize, tt: f64) {
        let mut next = None;
        if let Some(Some(r)) = self.records.get(i) {
            let x = match r.src {
                Src::T => Some(tt),
                _ => r.src.read(m),
            };
            let mut y = r.y.borrow_mut();
            if let Some(x) = x {
                let _ = vector::push(&mut y, x);
            }
            match &r.kind {
                RecKind::Dt(dt) => next = Some(tt + dt),
                RecKind::Times(t) => next = t.borrow().get(y.len()).copied(),
                RecKind::Continuous => {}
            }
        }
        if let Some(t) = next {
            self.post(m, t, Ext::Record(i));
        }
    }

    fn deliver_play(&mut self, m: &mut Model, i: usize, tt: f64) {
        let mut next = None;
        if let Some(Some(p)) = self.plays.get_mut(i) {
            match &mut p.kind {
                PlayKind::Step { t, dt, index } => {
                    let y = p.y.borrow();
                    if let Some(&x) = y.get(*index) {
                        p.src.write(m, x);
                    }
                    *index += 1;
                    if *index < y.len() {
                        next = match t {
                            Some(t) => t.borrow().get(*index).copied(),
                            None => Some(tt + *dt),
                        };
                    }
                }
                PlayKind::Continuous {
                    t,
                    discon,
                    last,
                    ubound,
                    dindex,
                } => {
                    *last = *ubound;
                    let tv = t.borrow();
                    match discon {
                        Some(d) => {
                            let d = d.borrow();
                            if *dindex < d.len() {
                                *ubound = d[*dindex] as usize;
                                *dindex += 1;
                                next = tv.get(*ubound).copied();
                            } else {
                                *ubound = tv.len().saturating_sub(1);
                            }
                        }
                        None => {
                            if *ubound + 1 < tv.len() {
                                *ubound += 1;
                                next = Some(tv[*ubound]);
                            }
                        }
                    }
                    drop(tv);
                    if let Some(x) = interpolate(&p.y.borrow(), &t.borrow(), *ubound, last, tt) {
                        p.src.write(m, x);
                    }
                }
            }
        }
        if let Some(t) = next {
            self.post(m, t, Ext::Play(i));
        }
    }
}

/// What SaveState keeps of this module: the external events' meanings (the
/// model's saved queue refers to them by key) and where each play is.
#[derive(Clone)]
pub(crate) struct SimSnapshot {
    externals: HashMap<u64, Ext>,
    next_key: u64,
    /// per play: (index) for steps, (last, ubound, dindex) for continuous
    plays: Vec<Option<[usize; 3]>>,
}

impl SimState {
    /// The part of a SaveState this module keeps.
    pub(crate) fn snapshot(&self) -> SimSnapshot {
        SimSnapshot {
            externals: self.externals.clone(),
            next_key: self.next_key,
            plays: self
                .plays
                .iter()
                .map(|p| {
                    p.as_ref().map(|p| match p.kind {
                        PlayKind::Step { index, .. } => [index, 0, 0],
                        PlayKind::Continuous {
                            last,
                            ubound,
                            dindex,
                            ..
                        } => [last, ubound, dindex],
                    })
                })
                .collect(),
        }
    }

    /// Puts a snapshot back (`events`: the saved external events too, as
    /// the model's queue is put back). A step play's target gets the value
    /// it had at the save again (as NEURON's restore leaves it).
    pub(crate) fn restore(&mut self, s: &SimSnapshot, events: bool, m: &mut Model) {
        if events {
            self.externals.clone_from(&s.externals);
            self.next_key = self.next_key.max(s.next_key);
        }
        for (p, saved) in self.plays.iter_mut().zip(&s.plays) {
            let (Some(p), Some(x)) = (p, saved) else {
                continue;
            };
            match &mut p.kind {
                PlayKind::Step { index, .. } => {
                    *index = x[0];
                    let y = x[0]
                        .checked_sub(1)
                        .and_then(|k| p.y.borrow().get(k).copied());
                    if let Some(y) = y {
                        p.src.write(m, y);
                    }
                }
                PlayKind::Continuous {
                    last,
                    ubound,
                    dindex,
                    ..
                } => {
                    *last = x[0];
                    *ubound = x[1];
                    *dindex = x[2];
                }
            }
        }
    }
}

/// NEURON's `VecPlayContinuous::interpolate` (with `search`).
fn interpolate(y: &[f64], t: &[f64], ubound: usize, last: &mut usize, tt: f64) -> Option<f64> {
    let tu = *t.get(ubound)?;
    if tt >= tu {
        *last = ubound;
        if *last == 0 {
            return y.first().copied();
        }
    } else if tt <= *t.first()? {
        *last = 0;
        return y.first().copied();
    } else {
        while *last > 0 && tt < t[*last] {
            *last -= 1;
        }
        while *last < t.len() && tt >= t[*last] {
            *last += 1;
        }
    }
    let k = *last;
    let (x0, x1) = (*y.get(k - 1)?, *y.get(k)?);
    let (t0, t1) = (t[k - 1], t[k]);
    if t0 == t1 {
        return Some((x0 + x1) / 2.0);
    }
    let th = (tt - t0) / (t1 - t0);
    Some(x0 + (x1 - x0) * th)
}

/// The continuous plays and records, for the solver's phases.
struct Hooks<'a>(&'a mut SimState);

impl ContinuousHooks for Hooks<'_> {
    fn plays(&self) -> bool {
        self.0
            .plays
            .iter()
            .flatten()
            .any(|p| matches!(p.kind, PlayKind::Continuous { .. }))
    }

    fn play(&mut self, m: &mut Model, tt: f64) -> MResult<()> {
        for p in self.0.plays.iter_mut().flatten() {
            if let PlayKind::Continuous {
                t, last, ubound, ..
            } = &mut p.kind
            {
                if let Some(x) = interpolate(&p.y.borrow(), &t.borrow(), *ubound, last, tt) {
                    p.src.write(m, x);
                }
            }
        }
        Ok(())
    }

    fn record(&mut self, m: &mut Model, t: f64) -> MResult<()> {
        for r in self.0.records.iter().flatten() {
            if let RecKind::Continuous = r.kind {
                let x = match r.src {
                    Src::T => Some(t),
                    _ => r.src.read(m),
                };
                if let Some(x) = x {
                    // a Vector at NEURON's size limit stops growing
                    let _ = vector::push(&mut r.y.borrow_mut(), x);
                }
            }
        }
        Ok(())
    }
}

/// Runs a statement as NEURON's `HocCommand` does (in braces, so nothing
/// echoes), in an object's context when given.
fn run_stmt(interp: &mut Interpreter, stmt: &str, this: Option<Obj>) -> Result<(), HocError> {
    interp.execute_in("statement", &format!("{{{stmt}}}\n"), this)
}

/// Runs `stmt` with `t` set to `tt` (NEURON sets `t` for HOC callbacks),
/// then puts `t` back.
fn run_at(interp: &mut Interpreter, stmt: &str, tt: f64) -> Result<(), HocError> {
    let h = host(interp)?;
    let saved = {
        let mut m = model(&h)?;
        let s = m.t();
        m.set_t(tt);
        s
    };
    let r = run_stmt(interp, stmt, None);
    model(&h)?.set_t(saved);
    r
}

/// Appends the spikes the model logged to their records, in order.
pub(crate) fn flush_spikes(interp: &mut Interpreter) -> Result<(), HocError> {
    let h = host(interp)?;
    let spikes = model(&h)?.take_spikes();
    for (ps, tt) in spikes {
        let stmt = match interp.ext::<SimState>().spike_recs.get(&ps) {
            Some(SpikeRec::Vectors { tvec, id }) => {
                vector::push(&mut tvec.borrow_mut(), tt)?;
                if let Some((iv, id)) = id {
                    vector::push(&mut iv.borrow_mut(), *id)?;
                }
                continue;
            }
            Some(SpikeRec::Stmt(s)) => s.clone(),
            None => continue,
        };
        run_at(interp, &stmt, tt)?;
    }
    Ok(())
}

/// Delivers the events due by `til`, handling this module's as they come.
pub(crate) fn deliver(interp: &mut Interpreter, til: f64) -> Result<(), HocError> {
    let h = host(interp)?;
    loop {
        let ev = model(&h)?.deliver_events(til).map_err(merr)?;
        flush_spikes(interp)?;
        let Some(ExternalEvent { key, t }) = ev else {
            return Ok(());
        };
        let Some(e) = interp.ext::<SimState>().externals.remove(&key) else {
            continue;
        };
        match e {
            Ext::Record(i) => {
                let mut m = model(&h)?;
                interp.ext::<SimState>().deliver_record(&mut m, i, t);
            }
            Ext::Play(i) => {
                let mut m = model(&h)?;
                interp.ext::<SimState>().deliver_play(&mut m, i, t);
            }
            Ext::Stmt(Some(s)) => run_at(interp, &s, t)?,
            Ext::Stmt(None) => {}
            Ext::Exchange => super::parallel::exchange_event(interp, t)?,
        }
    }
}

/// Runs the FInitializeHandlers of one type, in creation order.
fn fihexec(interp: &mut Interpreter, kind: i32) -> Result<(), HocError> {
    let list: Vec<Rc<Fih>> = {
        let s = interp.ext::<SimState>();
        s.fih.retain(|w| w.strong_count() > 0);
        s.fih.iter().filter_map(|w| w.upgrade()).collect()
    };
    for f in list.iter().filter(|f| f.kind == kind) {
        let this = f.this.as_ref().and_then(|w| w.upgrade());
        run_stmt(interp, &f.stmt, this)?;
    }
    Ok(())
}

/// `finitialize([v])` in NEURON's order: handlers of type 3, a new
/// start (t = 0, queue emptied, the first spike exchange queued when ranks
/// exchange spikes, spike records emptied), play events at
/// t = 0, v set, handlers of type 0, INITIAL blocks and NET_RECEIVE
/// INITIAL, handlers of type 1, events sent by INITIAL, the currents and the
/// first record, record events at t = 0, handlers of type 2.
pub(crate) fn finitialize(interp: &mut Interpreter, v: Option<f64>) -> Result<(), HocError> {
    fihexec(interp, 3)?;
    let h = host(interp)?;
    {
        let mut m = model(&h)?;
        m.init_begin().map_err(merr)?;
    }
    super::parallel::init_exchange(interp)?;
    {
        let mut m = model(&h)?;
        super::vecstim::refresh(interp, &mut m);
        let s = interp.ext::<SimState>();
        for r in s.spike_recs.values() {
            if let SpikeRec::Vectors { tvec, id } = r {
                tvec.borrow_mut().clear();
                if let Some((iv, _)) = id {
                    iv.borrow_mut().clear();
                }
            }
        }
        s.play_init(&mut m);
    }
    deliver(interp, 0.0)?;
    model(&h)?.init_set_v(v);
    fihexec(interp, 0)?;
    model(&h)?.init_mechanisms().map_err(merr)?;
    flush_spikes(interp)?;
    fihexec(interp, 1)?;
    let t = model(&h)?.t();
    deliver(interp, t)?;
    {
        let mut m = model(&h)?;
        let s = interp.ext::<SimState>();
        s.record_init(&mut m);
        m.init_currents(&mut Hooks(s)).map_err(merr)?;
    }
    deliver(interp, t)?;
    super::apcount::after_init(interp);
    fihexec(interp, 2)
}

/// `fadvance()`: thresholds checked, events up to t + dt/2 delivered (the
/// spike exchange among them), the step (with continuous play and
/// record), events up to the new t.
pub(crate) fn fadvance(interp: &mut Interpreter) -> Result<(), HocError> {
    let h = host(interp)?;
    let til = {
        let mut m = model(&h)?;
        m.step_begin().map_err(merr)?;
        m.step_deliver_until()
    };
    deliver(interp, til)?;
    let t = {
        let mut m = model(&h)?;
        let s = interp.ext::<SimState>();
        m.step_advance(&mut Hooks(s)).map_err(merr)?;
        m.t()
    };
    deliver(interp, t)?;
    model(&h)?.step_end().map_err(merr)?;
    super::apcount::after_step(interp)
}

/// Queues the spike exchange's event at `t` (see `parallel`).
pub(crate) fn post_exchange(interp: &mut Interpreter, t: f64) -> Result<(), HocError> {
    let h = host(interp)?;
    let mut m = model(&h)?;
    interp.ext::<SimState>().post(&mut m, t, Ext::Exchange);
    Ok(())
}

/// Posts a HOC callback (`cvode.event(t, "stmt")`; `None`: an event that
/// does nothing).
pub(crate) fn post_stmt(
    interp: &mut Interpreter,
    t: f64,
    stmt: Option<String>,
) -> Result<(), HocError> {
    let h = host(interp)?;
    let mut m = model(&h)?;
    interp.ext::<SimState>().post(&mut m, t, Ext::Stmt(stmt));
    Ok(())
}

/// The arguments after a leading point process (`vec.record(pp, &pp.x,
/// ...)`: NEURON uses the point process only to find the variable's thread,
/// which nerve does not need).
fn without_point(interp: &mut Interpreter, a: &Args) -> Result<Args, HocError> {
    let pp = a.object(0)?;
    let kind = match super::point::point_instance(&pp) {
        Some((t, _)) => {
            let h = host(interp)?;
            let k = model(&h)?.mechanism_spec(t).map_err(merr)?.kind;
            Some(k)
        }
        None => None,
    };
    // NEURON takes only a POINT_PROCESS (not an ARTIFICIAL_CELL)
    if kind != Some(nerve_runtime::mechanism::MechanismKind::Point) {
        return Err(HocError::msg("Optional first arg is not a POINT_PROCESS"));
    }
    let rest = (1..a.len())
        .map(|k| a.get(k).cloned())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Args::new(a.name().into(), rest))
}

/// `vec.record([pp,] &var [, Dt or tvec])`.
fn record(interp: &mut Interpreter, this: &Obj, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(1, 4)?;
    if a.is_obj(0) {
        let mut rest = without_point(interp, a)?;
        return record(interp, this, &mut rest);
    }
    a.expect_count(1, 3)?;
    let src = Src::of(&a.ptr(0)?)?;
    let kind = if a.len() > 1 {
        if a.is_obj(1) {
            RecKind::Times(vector_data(&a.object(1)?)?)
        } else {
            RecKind::Dt(vector::chkarg(a, 1, 1e-9, 1e10)?)
        }
    } else {
        RecKind::Continuous
    };
    let y = vector_data(this)?;
    let s = interp.ext::<SimState>();
    s.remove_uses(&y);
    s.records.push(Some(Record { y, src, kind }));
    vector::ret_self(this)
}

/// `vec.play([pp,] &var, Dt or tvec [, continuous or discon])`,
/// `vec.play(index)` (plays one element now).
fn play(interp: &mut Interpreter, this: &Obj, a: &mut Args) -> Result<Value, HocError> {
    a.expect_count(1, 5)?;
    if a.is_obj(0) {
        let mut rest = without_point(interp, a)?;
        return play(interp, this, &mut rest);
    }
    a.expect_count(1, 4)?;
    let y = vector_data(this)?;
    if a.is_num(0) {
        let len = y.borrow().len();
        let j = vector::chkarg(a, 0, 0.0, len as f64 - 1.0)? as usize;
        let s = interp.ext::<SimState>();
        let p = s.plays.iter().flatten().find(|p| Rc::ptr_eq(&p.y, &y));
        if let Some(p) = p {
            let x = y.borrow()[j];
            let src = p.src.clone();
            let h = host(interp)?;
            src.write(&mut *model(&h)?, x);
        }
        return vector::ret_self(this);
    }
    if a.is_str(0) {
        return Err(HocError::msg(
            "Vector.play of a statement is not supported by nerve yet",
        ));
    }
    let src = Src::of(&a.ptr(0)?)?;
    let (mut tvec, mut dt) = (None, -1.0);
    if a.len() > 1 {
        if a.is_obj(1) {
            tvec = Some(vector_data(&a.object(1)?)?);
        } else {
            dt = vector::chkarg(a, 1, 1e-9, 1e10)?;
        }
    }
    let (mut con, mut discon) = (false, None);
    if a.len() > 2 {
        if a.is_num(2) {
            con = vector::chkarg(a, 2, 0.0, 1.0)? != 0.0;
        } else {
            discon = Some(vector_data(&a.object(2)?)?);
            con = true;
        }
    }
    let kind = if con {
        let Some(t) = tvec else {
            return Err(HocError::msg(
                "Second argument of Vector.play in continuous mode must be a time vector",
            ));
        };
        PlayKind::Continuous {
            t,
            discon,
            last: 0,
            ubound: 0,
            dindex: 0,
        }
    } else {
        if tvec.is_none() && dt == -1.0 {
            vector::chkarg(a, 1, 1e-9, 1e10)?;
        }
        PlayKind::Step {
            t: tvec,
            dt,
            index: 0,
        }
    };
    let s = interp.ext::<SimState>();
    s.remove_uses(&y);
    s.plays.push(Some(Play { y, src, kind }));
    vector::ret_self(this)
}

/// The Vector class with `record`, `play` and `play_remove`.
pub(crate) fn vector_builder() -> vector::Builder {
    vector::builder()
        .method("record", record)
        .method("play", play)
        .method("play_remove", |i, this, a| {
            a.expect_count(0, 0)?;
            let y = vector_data(this)?;
            i.ext::<SimState>().remove_uses(&y);
            vector::ret_self(this)
        })
}
