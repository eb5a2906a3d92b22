//! Threshold detection, delivery to NET_RECEIVE, the services kernels call
//! through the view's `host`, and the event phases of `finitialize` and
//! `fadvance` (NEURON's `nrn_finitialize`, `deliver_net_events`,
//! `nrn_deliver_events`, `init_net_events`).

use super::super::random::random_service;
use super::super::solver::MAX_IONS;
use super::super::store::{InstanceExtra, MechBlock, LOOSE};
use super::fornetcons::{NetconWeights, NETCON_COUNT, NETCON_SET_WEIGHT};
use super::queue::ItemId;
use super::{Event, GidSpike, NetConId, Output, PreSynId, PreSynSource};
use crate::mechanism::{MechanismKind, MechanismView, NetReceiveKernel};
use crate::model::solver::{block_view, NO_ION};
use crate::model::{InstanceId, Model, ModelError, Result, VarRef};

/// NEURON adds this to the time of a threshold crossing found by the fixed
/// step (`check_thresh` sends at `t + 1e-10`) [ms].
const THRESHOLD_TEPS: f64 = 1e-10;

/// `host_call` service 12: `net_send` at an absolute time (a = t + delay as
/// the kernel computed it; nocmodl writes `t + <delay>` textually, so
/// `net_send(etime - t, 1)` means `(t + etime) - t`).
const NET_SEND_AT: u32 = 12;

/// `host_call` service 13: arms WATCH condition `op >> 8` with flag a
/// (b: the condition's value now).
const WATCH: u32 = 13;

/// An event [`Model::deliver_events`] hands back to its caller.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExternalEvent {
    /// the number given to [`Model::post_external`]
    pub key: u64,
    /// its time [ms]
    pub t: f64,
}

/// Work a host program does inside a step (NEURON's `fixed_play_continuous`
/// and `fixed_record_continuous`), called with the model between the phases
/// of the step.
pub trait ContinuousHooks {
    /// Whether [`ContinuousHooks::play`] does anything (when not, each cell
    /// group takes its step in one pass).
    fn plays(&self) -> bool {
        false
    }
    /// Sets played values for time `t`: at t + dt/2 before the currents and at
    /// t + dt before the states.
    fn play(&mut self, _model: &mut Model, _t: f64) -> Result<()> {
        Ok(())
    }
    /// Records values after the states, at the new `t` (and at the end of
    /// `finitialize`).
    fn record(&mut self, _model: &mut Model, _t: f64) -> Result<()> {
        Ok(())
    }
}

/// No play, no record.
pub struct NoHooks;
impl ContinuousHooks for NoHooks {}

/// One service request a kernel made through `host_call`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Posted {
    mech: u32,
    row: usize,
    /// the service (the low byte of `op`)
    op: u32,
    /// `op >> 8` (the WATCH condition)
    index: u32,
    /// the view's t when it was posted [ms]
    t: f64,
    a: f64,
    b: f64,
}

/// What a kernel's `host` points to: the requests it posted, applied when it
/// returns, and the extras (random streams, vectors) of the type whose
/// kernel runs, lent by its block for the call. A cell group owns one, so groups may run their
/// kernels on several threads.
#[derive(Clone, Debug, Default)]
pub(crate) struct HostOutbox {
    /// the mechanism type whose kernel runs
    pub mech: u32,
    pub posted: Vec<Posted>,
    /// the running type's extras, by row (empty for a type without)
    pub extras: Vec<InstanceExtra>,
    /// the Random123 global index
    pub gix: u32,
    /// NET_RECEIVE of a type that uses `FOR_NETCONS`: the weights of the
    /// NetCons that target the instance
    pub netcon_weights: NetconWeights,
}

impl HostOutbox {
    /// Takes a block's extras for a kernel call.
    pub(crate) fn lend_extras(&mut self, mb: &mut MechBlock, gix: u32) {
        self.extras = std::mem::take(&mut mb.extras);
        self.gix = gix;
    }

    /// Gives the extras back after the call.
    pub(crate) fn return_extras(&mut self, mb: &mut MechBlock) {
        mb.extras = std::mem::take(&mut self.extras);
    }

    /// A service on row `row`'s extra: random (`op & 0xff` in 3..=9, on
    /// RANDOM variable `op >> 8`) or vector (10 element `a`, 11 size); NaN
    /// when the row has no such stream, or for an element past the end.
    fn extra_service(&mut self, op: u32, row: usize, a: f64, b: f64) -> f64 {
        let Some(x) = self.extras.get_mut(row) else {
            return f64::NAN;
        };
        match op & 0xff {
            10 => {
                if a >= 0.0 {
                    x.vector.get(a as usize).copied().unwrap_or(f64::NAN)
                } else {
                    f64::NAN
                }
            }
            11 => x.vector.len() as f64,
            service => match x.streams.get_mut((op >> 8) as usize) {
                Some(s) => random_service(s, self.gix, service, a, b),
                None => f64::NAN,
            },
        }
    }
}

/// `host_call` of [`MechanismView`]: records event requests (ops 0, 1, 2, 12, 13) in
/// the [`HostOutbox`] the view's `host` points to, and runs the random
/// services (3 to 9, on the RANDOM variable `op >> 8`) and the vector
/// services (10, 11) on the extras lent to it (NaN when it has none), and
/// the `FOR_NETCONS` services (14 to 16) on the NetCon weights lent to it.
///
/// # Safety
/// `host` is null or points to a live [`HostOutbox`] that nothing else uses
/// during the call; `view` points to a live view.
pub(crate) unsafe extern "C" fn host_call(
    host: *mut std::ffi::c_void,
    op: u32,
    view: *const MechanismView,
    instance: usize,
    a: f64,
    b: f64,
) -> f64 {
    let service = op & 0xff;
    if !matches!(service, 0..=2 | NET_SEND_AT | WATCH) {
        if host.is_null() {
            return f64::NAN;
        }
        // SAFETY: by this function's contract
        let out = unsafe { &mut *host.cast::<HostOutbox>() };
        if matches!(service, NETCON_COUNT..=NETCON_SET_WEIGHT) {
            return out.netcon_weights.service(op, a, b);
        }
        return out.extra_service(op, instance, a, b);
    }
    if host.is_null() || view.is_null() {
        return 0.0;
    }
    // SAFETY: by this function's contract
    let (out, t) = unsafe { (&mut *host.cast::<HostOutbox>(), (*view).t) };
    out.posted.push(Posted {
        mech: out.mech,
        row: instance,
        op: service,
        index: op >> 8,
        t,
        a,
        b,
    });
    0.0
}

/// Whose weights a NET_RECEIVE call sees.
#[derive(Clone, Copy)]
enum Weights {
    NetCon(NetConId),
    /// zeros of the type's weight count (self events sent from INITIAL)
    None,
}

impl Model {
    /// The model time the event phases use: the first cell group's, which
    /// `dt2groups` keeps equal to the model's [ms].
    fn group_t(&self) -> (f64, f64) {
        self.groups
            .first()
            .map_or((self.t, self.dt), |g| (g.t, g.dt))
    }

    /// Runs `f` with a view of mechanism type `mech` in block `block` at time
    /// `t` whose host is `out`.
    pub(super) fn with_view<R>(
        &mut self,
        block: u32,
        mech: usize,
        t: f64,
        out: &mut HostOutbox,
        f: impl FnOnce(&MechanismView) -> R,
    ) -> R {
        out.mech = mech as u32;
        let (celsius, dt, secondorder) = (self.celsius, self.dt, self.secondorder);
        let globals = {
            let g = &mut self.mech_types[mech].globals;
            if g.is_empty() {
                std::ptr::null_mut()
            } else {
                g.as_mut_ptr()
            }
        };
        let ion_types = self.mech_types[mech].ion_types.clone();
        let gix = self.random.gix;
        let g = if block == LOOSE {
            &mut self.loose
        } else {
            &mut self.groups[block as usize]
        };
        out.lend_extras(&mut g.mechs[mech], gix);
        let mut ions = [NO_ION; MAX_IONS];
        let view = MechanismView {
            globals,
            t,
            dt,
            celsius,
            secondorder,
            host: (out as *mut HostOutbox).cast(),
            host_call: Some(host_call),
            ..block_view(g, mech, &ion_types, &mut ions)
        };
        let r = f(&view);
        out.return_extras(&mut g.mechs[mech]);
        r
    }

    /// Calls `kernel` (NET_RECEIVE or its INITIAL) for one instance at time
    /// `t`, then applies what it posted.
    fn call_receive(
        &mut self,
        target: InstanceId,
        kernel: fn(&crate::mechanism::MechanismKernels) -> Option<NetReceiveKernel>,
        weights: Weights,
        flag: f64,
        t: f64,
    ) -> Result<()> {
        let info = self.instance_info(target)?;
        let (loc, mech) = (info.loc, info.mech.0 as usize);
        let spec = &self.mech_types[mech].spec;
        let Some(k) = kernel(&spec.kernels) else {
            return Ok(());
        };
        if loc.block == LOOSE && spec.kind != MechanismKind::Artificial {
            return Err(ModelError::UnlocatedTarget(spec.name.clone()));
        }
        let nweights = spec.weights.max(1);
        if !spec.pointers.is_empty() {
            // the instance may be new since the last step (a loose block
            // that grew): its table must cover it
            self.resolve_pointers()?;
            self.check_pointers(target)?;
        }
        let mut scratch = vec![0.0; nweights];
        let wptr = match weights {
            Weights::NetCon(nc) => match self.events.netcons.get_mut(nc) {
                Some(n) if !n.weights.is_empty() => n.weights.as_mut_ptr(),
                _ => scratch.as_mut_ptr(),
            },
            Weights::None => scratch.as_mut_ptr(),
        };
        let mut out = HostOutbox::default();
        if self.mech_types[mech].spec.for_netcons {
            out.netcon_weights = self.lend_netcon_weights(target, nweights);
        }
        let row = loc.row as usize;
        self.with_view(loc.block, mech, t, &mut out, |view| {
            // SAFETY: the view describes the block's live arrays; row < count
            // (the instance's location); `wptr` points to the NetCon's weight
            // vector (which nothing else touches during the call) or to
            // `scratch`, either at least the type's weight count long; the
            // kernel was registered under the ABI contract.
            unsafe { k(view, row, wptr, flag) }
        });
        let nc = match weights {
            Weights::NetCon(nc) => Some(nc),
            Weights::None => None,
        };
        self.apply_posted(loc.block, &out.posted, nc)
    }

    /// Applies the requests kernels posted in `block`, in order. The first
    /// WATCH of an instance in `posted` disarms its others (`posted` is
    /// one NET_RECEIVE call's).
    fn apply_posted(&mut self, block: u32, posted: &[Posted], nc: Option<NetConId>) -> Result<()> {
        let mut armed: Vec<InstanceId> = Vec::new();
        for p in posted {
            let b = self.block(block);
            let Some(&inst) = b.mechs.get(p.mech as usize).and_then(|m| m.ids.get(p.row)) else {
                continue;
            };
            match p.op {
                0 | NET_SEND_AT => {
                    let td = if p.op == 0 { p.t + p.a } else { p.a };
                    if td < p.t {
                        return Err(ModelError::EventInPast {
                            what: "net_send",
                            t: td,
                            now: p.t,
                        });
                    }
                    self.net_send(inst, td, p.b, nc);
                }
                1 => {
                    if p.a < p.t {
                        return Err(ModelError::EventInPast {
                            what: "net_event",
                            t: p.a,
                            now: p.t,
                        });
                    }
                    if let Some(&ps) = self.events.by_point.get(&inst) {
                        self.presyn_send(ps, p.a)?;
                    }
                }
                WATCH => {
                    let first = !armed.contains(&inst);
                    if first {
                        armed.push(inst);
                    }
                    self.arm_watch(inst, p.index, p.a, p.b, first);
                }
                _ => {
                    let Some(&item) = self.events.movable.get(&inst) else {
                        let name = self.mech_types[p.mech as usize].spec.name.clone();
                        return Err(ModelError::NoMovableEvent(name));
                    };
                    if p.a < p.t {
                        return Err(ModelError::EventInPast {
                            what: "net_move",
                            t: p.a,
                            now: p.t,
                        });
                    }
                    self.events.queue.move_to(item, p.a);
                }
            }
        }
        Ok(())
    }

    /// Queues a self event (NEURON's `nrn_net_send`); a flag-1 event becomes
    /// the one `net_move` moves.
    pub(super) fn net_send(
        &mut self,
        target: InstanceId,
        td: f64,
        flag: f64,
        weights: Option<NetConId>,
    ) -> ItemId {
        let id = self.events.queue.insert(
            td,
            Event::ToSelf {
                target,
                flag,
                weights,
            },
        );
        if flag == 1.0 {
            self.events.movable.insert(target, id);
        }
        id
    }

    /// A spike of a source at `tt` (NEURON's `PreSyn::send`).
    pub(super) fn presyn_send(&mut self, ps: PreSynId, tt: f64) -> Result<()> {
        let p = self.presyn(ps)?;
        let (record, gid, output) = (p.record, p.gid, p.output);
        if record {
            self.events.spikes.push((ps, tt));
        }
        if let (Some(gid), Output::Sent) = (gid, output) {
            self.events.gids.outbox.push(GidSpike { gid, t: tt });
        }
        let p = self.presyn(ps)?;
        if p.use_min_delay {
            let d = p.delay;
            self.events.queue.insert(tt + d, Event::PreSyn(ps));
            return Ok(());
        }
        let sends: Vec<(f64, NetConId)> = p
            .netcons
            .iter()
            .filter_map(|&nc| {
                let n = self.events.netcons.get(nc)?;
                (n.active && n.target.is_some()).then_some((tt + n.delay, nc))
            })
            .collect();
        for (td, nc) in sends {
            self.events.queue.insert(td, Event::NetCon(nc));
        }
        Ok(())
    }

    /// NEURON's `check_thresh`: every threshold source, in creation order,
    /// that is above its threshold and was not at the last check spikes at
    /// `t + 1e-10`; then every armed WATCH condition that turned true sends
    /// its event at `t`.
    pub fn check_thresholds(&mut self) -> Result<()> {
        let (t, _) = self.group_t();
        let key = (self.groups_gen, self.events.presyn_gen);
        if (self.structure_changed || self.tree_changed)
            || self.events.threshold_cache.key != Some(key)
        {
            self.build_threshold_cache()?;
            self.events.threshold_cache.key =
                (!(self.structure_changed || self.tree_changed)).then_some(key);
        }
        let sources = std::mem::take(&mut self.events.threshold_cache.sources);
        let r = self.check_sources(&sources, t);
        self.events.threshold_cache.sources = sources;
        r?;
        self.check_watches(t)
    }

    fn check_sources(&mut self, sources: &[(PreSynId, super::ValueAt)], t: f64) -> Result<()> {
        use super::ValueAt;
        for &(ps, at) in sources {
            let x = match at {
                ValueAt::V { block, row } => self.groups[block as usize].nodes.v[row as usize],
                ValueAt::Data { block, mech, index } => {
                    self.groups[block as usize].mechs[mech as usize].data[index as usize]
                }
                ValueAt::Other(r) => match self.get(r) {
                    Ok(x) => x,
                    Err(_) => continue,
                },
            };
            let Some(p) = self.events.presyns.get_mut(ps) else {
                continue;
            };
            if x - p.threshold > 0.0 {
                if !p.above {
                    p.above = true;
                    self.presyn_send(ps, t + THRESHOLD_TEPS)?;
                }
            } else {
                p.above = false;
            }
        }
        Ok(())
    }

    /// Lists the variable sources in check order with where their values
    /// are (in a cell group when the structure is up to date; else read
    /// through [`Model::get`]).
    fn build_threshold_cache(&mut self) -> Result<()> {
        use super::ValueAt;
        let located = !(self.structure_changed || self.tree_changed);
        let mut sources = Vec::with_capacity(self.events.presyn_order.len());
        for &ps in &self.events.presyn_order {
            let PreSynSource::Var(r) = self.presyn(ps)?.source else {
                continue;
            };
            let at = match r {
                VarRef::V(n) if located => match self.node_info(n) {
                    Ok(info) if info.loc.block != LOOSE => ValueAt::V {
                        block: info.loc.block,
                        row: info.loc.row,
                    },
                    _ => ValueAt::Other(r),
                },
                VarRef::Instance(i, slot) if located => match self.instance_info(i) {
                    Ok(info) if info.loc.block != LOOSE => {
                        let mb = &self.groups[info.loc.block as usize].mechs[info.mech.0 as usize];
                        ValueAt::Data {
                            block: info.loc.block,
                            mech: info.mech.0,
                            index: (slot * mb.stride + info.loc.row as usize) as u32,
                        }
                    }
                    _ => ValueAt::Other(r),
                },
                _ => ValueAt::Other(r),
            };
            sources.push((ps, at));
        }
        self.events.threshold_cache.sources = sources;
        Ok(())
    }

    /// Delivers the queued events with time <= `til`, earliest first, until
    /// an external one comes up: that one is returned (the caller handles it
    /// and calls again). `None` once nothing is due.
    pub fn deliver_events(&mut self, til: f64) -> Result<Option<ExternalEvent>> {
        while let Some((id, tt, ev)) = self.events.queue.pop_until(til) {
            match ev {
                Event::External(key) => return Ok(Some(ExternalEvent { key, t: tt })),
                Event::NetCon(nc) => self.deliver_netcon(nc, tt)?,
                Event::PreSyn(ps) => {
                    let Some(p) = self.events.presyns.get(ps) else {
                        continue;
                    };
                    let (pdelay, list) = (p.delay, p.netcons.clone());
                    for nc in list {
                        let Some(n) = self.events.netcons.get(nc) else {
                            continue;
                        };
                        if !(n.active && n.target.is_some()) {
                            continue;
                        }
                        let dtt = n.delay - pdelay;
                        if dtt == 0.0 {
                            self.deliver_netcon(nc, tt)?;
                        } else {
                            self.events.queue.insert(tt + dtt, Event::NetCon(nc));
                        }
                    }
                }
                Event::ToSelf {
                    target,
                    flag,
                    weights,
                } => {
                    if self.events.movable.get(&target) == Some(&id) {
                        self.events.movable.remove(&target);
                    }
                    if !self.instances.contains(target) {
                        continue;
                    }
                    let w = match weights {
                        Some(nc) if self.events.netcons.contains(nc) => Weights::NetCon(nc),
                        _ => Weights::None,
                    };
                    self.call_receive(target, |k| k.net_receive, w, flag, tt)?;
                }
                Event::Watch { target, flag } => self.deliver_watch(id, target, flag, tt)?,
            }
        }
        Ok(None)
    }

    /// NET_RECEIVE of `target` with `flag` at `tt` and zero weights (a
    /// WATCH condition's event).
    pub(super) fn receive_without_weights(
        &mut self,
        target: InstanceId,
        flag: f64,
        tt: f64,
    ) -> Result<()> {
        self.call_receive(target, |k| k.net_receive, Weights::None, flag, tt)
    }

    fn deliver_netcon(&mut self, nc: NetConId, tt: f64) -> Result<()> {
        let Some(target) = self.events.netcons.get(nc).and_then(|n| n.target) else {
            return Ok(());
        };
        if !self.instances.contains(target) {
            return Ok(());
        }
        self.call_receive(target, |k| k.net_receive, Weights::NetCon(nc), 0.0, tt)
    }

    /// Delivers everything due by `til`, dropping external events (for a
    /// model driven without a host program).
    fn deliver_internal(&mut self, til: f64) -> Result<()> {
        while self.deliver_events(til)?.is_some() {}
        Ok(())
    }

    /// Empties the queue and the spike log (NEURON's `clear_event_queue`).
    pub(crate) fn clear_events(&mut self) {
        self.events.queue.clear();
        self.events.movable.clear();
        self.events.watches.clear();
        self.events.spikes.clear();
        self.events.gids.outbox.clear();
    }

    /// Applies what the cell groups' INITIAL blocks posted (group by group),
    /// runs INITIAL of unlocated artificial cells, then NEURON's
    /// `init_net_events`: each source forgets its crossing state and decides
    /// on a shared delay; each NetCon (in creation order) runs its target's
    /// NET_RECEIVE INITIAL, or has its weights after the first zeroed when
    /// there is none; then every WATCH is disarmed.
    pub(crate) fn init_events_after_initial(&mut self) -> Result<()> {
        for gi in 0..self.groups.len() {
            let posted = std::mem::take(&mut self.groups[gi].outbox.posted);
            self.apply_posted(gi as u32, &posted, None)?;
        }
        for mech in 0..self.mech_types.len() {
            let spec = &self.mech_types[mech].spec;
            let Some(init) = spec.kernels.init else {
                continue;
            };
            if spec.kind != MechanismKind::Artificial || self.loose.mechs[mech].count == 0 {
                continue;
            }
            let mut out = HostOutbox::default();
            self.with_view(LOOSE, mech, 0.0, &mut out, |view| {
                // SAFETY: an artificial cell's INITIAL touches only its own
                // instance data (the ABI contract for ARTIFICIAL_CELL
                // kernels); the view's arrays are the loose block's.
                unsafe { init(view) }
            });
            self.apply_posted(LOOSE, &out.posted, None)?;
        }
        let order = self.events.presyn_order.clone();
        for ps in order {
            let list = self.presyn(ps)?.netcons.clone();
            let delays: Vec<f64> = list
                .iter()
                .filter_map(|&nc| self.events.netcons.get(nc).map(|n| n.delay))
                .collect();
            let p = self.presyn_mut(ps)?;
            p.above = false;
            p.use_min_delay = delays.len() > 2 && delays.iter().all(|&d| d == delays[0]);
            if p.use_min_delay {
                p.delay = delays[0];
            }
        }
        let (t, _) = self.group_t();
        for nc in self.events.netcon_order.clone() {
            let Some(target) = self.events.netcons.get(nc).and_then(|n| n.target) else {
                continue;
            };
            let Ok(info) = self.instance_info(target) else {
                continue;
            };
            let has_init = self.mech_types[info.mech.0 as usize]
                .spec
                .kernels
                .net_receive_init
                .is_some();
            if has_init {
                self.call_receive(target, |k| k.net_receive_init, Weights::NetCon(nc), 0.0, t)?;
            } else if let Some(n) = self.events.netcons.get_mut(nc) {
                n.weights.iter_mut().skip(1).for_each(|w| *w = 0.0);
            }
        }
        self.disarm_all_watches();
        Ok(())
    }

    /// `finitialize`, phase 1: the structure is brought up to date, t = 0,
    /// the queue is emptied. (Then: play events at t = 0, [`Self::init_set_v`].)
    pub fn init_begin(&mut self) -> Result<()> {
        self.verify_structure()?;
        self.resolve_pointers()?;
        self.t = 0.0;
        self.dt2groups(true);
        self.check_tables();
        self.check_function_tables()?;
        self.clear_events();
        Ok(())
    }

    /// `finitialize`, phase 2: v = `v_init` everywhere (if given).
    pub fn init_set_v(&mut self, v_init: Option<f64>) {
        if let Some(v) = v_init {
            for g in &mut self.groups {
                g.nodes.v.iter_mut().for_each(|x| *x = v);
            }
        }
    }

    /// `finitialize`, phase 3: the BEFORE INITIAL blocks, every INITIAL
    /// block, the NetCons' NET_RECEIVE INITIAL blocks, the AFTER INITIAL
    /// blocks. (Then: events sent by INITIAL at t = 0,
    /// [`Self::init_currents`].)
    pub fn init_mechanisms(&mut self) -> Result<()> {
        self.init_groups();
        self.init_events_after_initial()?;
        self.run_before_after(crate::mechanism::BaTiming::AfterInitial);
        Ok(())
    }

    /// The time up to which the first delivery of a step goes: t + dt/2 [ms].
    pub fn step_deliver_until(&self) -> f64 {
        let (t, dt) = self.group_t();
        t + 0.5 * dt
    }

    /// `fadvance`, phase 1: the structure is brought up to date and the
    /// thresholds are checked at the present t. (Then:
    /// `deliver_events(step_deliver_until())`, [`Self::step_advance`],
    /// `deliver_events(t)`, [`Self::step_end`].)
    pub fn step_begin(&mut self) -> Result<()> {
        self.verify_structure()?;
        self.resolve_pointers()?;
        let t_changed = self.groups.first().is_some_and(|g| g.t != self.t);
        self.dt2groups(t_changed);
        self.check_tables();
        self.check_function_tables()?;
        self.check_thresholds()
    }

    /// `finitialize(v_init)` with no host program: NEURON's order of
    /// operations, external events dropped.
    pub fn finitialize(&mut self, v_init: Option<f64>) -> Result<()> {
        self.init_begin()?;
        self.deliver_internal(0.0)?;
        self.init_set_v(v_init);
        self.init_mechanisms()?;
        self.deliver_internal(self.t)?;
        self.init_currents(&mut NoHooks)?;
        self.deliver_internal(self.t)
    }

    /// `fadvance()` with no host program: one fixed step of dt. A v that is
    /// NaN or infinite afterwards is an error naming t, the section and the
    /// position.
    pub fn fadvance(&mut self) -> Result<()> {
        self.step_begin()?;
        self.deliver_internal(self.step_deliver_until())?;
        self.step_advance(&mut NoHooks)?;
        self.deliver_internal(self.t)?;
        self.step_end()
    }
}
