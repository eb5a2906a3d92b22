//! NEURON's fixed-step method: `finitialize`, `fadvance`, `fcurrent`, in the
//! order of operations of `nrn_finitialize`, `nrn_fixed_step_thread` and
//! `setup_tree_matrix`, so that results are NEURON's to the last bit.
//!
//! One step of a cell group: t += dt/2; assemble the current balance
//! (rhs: membrane and electrode currents at the present v, then axial
//! currents; d: di/dv, then capacitance cm·cj/1000, then axial
//! conductances); Hines elimination (leaves to root) and back substitution;
//! for `secondorder == 2` ion currents corrected to the half step; v += Δv
//! (2Δv for Crank–Nicolson); capacitive current; t += dt/2; mechanism states
//! with the new v. Groups share nothing while stepping, so they may run in
//! parallel.

mod beforeafter;

use super::hines;
use super::store::CellGroup;
use super::{MechType, Model, ModelError, Result};
use crate::mechanism::{BaTiming, IonView, Kernel, MechanismView};

/// The most ions one mechanism may use (checked at registration).
pub(crate) const MAX_IONS: usize = 8;

/// A view of mechanism type `t`'s instances in block `g`: their data, the
/// block's node arrays, and the ions of `ion_types` (written into `ions`,
/// which the view points to and which must outlive it). The caller fills in
/// what is not the block's: globals, t, dt, celsius, secondorder, host.
pub(crate) fn block_view(
    g: &mut CellGroup,
    t: usize,
    ion_types: &[super::MechTypeId],
    ions: &mut [IonView; MAX_IONS],
) -> MechanismView {
    for (j, it) in ion_types.iter().enumerate() {
        let ib = &mut g.mechs[it.0 as usize];
        ions[j] = IonView {
            data: ib.data.as_mut_ptr(),
            stride: ib.stride,
            index: std::ptr::null(),
        };
    }
    let node_count = g.nodes.len();
    let mb = &mut g.mechs[t];
    for (j, rows) in mb.ion_rows.iter().enumerate().take(ion_types.len()) {
        ions[j].index = rows.as_ptr();
    }
    MechanismView {
        count: mb.count,
        stride: mb.stride,
        data: mb.data.as_mut_ptr(),
        node_index: mb.node_row.as_ptr(),
        node_count,
        v: g.nodes.v.as_ptr(),
        rhs: g.nodes.rhs.as_mut_ptr(),
        d: g.nodes.d.as_mut_ptr(),
        area: g.nodes.area.as_ptr(),
        ions: if ion_types.is_empty() {
            std::ptr::null()
        } else {
            ions.as_ptr()
        },
        ion_count: ion_types.len(),
        diam: g.nodes.diam.as_ptr(),
        pointers: mb.pointers.as_view(),
        ..MechanismView::empty()
    }
}

/// An ion view slot before [`block_view`] fills it.
pub(crate) const NO_ION: IonView = IonView {
    data: std::ptr::null_mut(),
    stride: 0,
    index: std::ptr::null(),
};

/// What every group reads while stepping (shared, read-only).
struct StepContext<'a> {
    mechs: &'a [MechType],
    globals: GlobalPtrs,
    celsius: f64,
    secondorder: i32,
    /// the Random123 global index (for the instances' streams)
    gix: u32,
}

/// Pointers to each mechanism type's GLOBAL values, shared by the groups.
struct GlobalPtrs(Vec<*mut f64>);

// SAFETY: the pointers stay valid for a whole step (the model is borrowed
// mutably while it steps, so nothing reallocates the globals), and groups
// are stepped on several threads only when every mechanism type in use is
// `thread_safe`, whose kernels never write their globals: concurrent access
// is then read-only.
unsafe impl Sync for GlobalPtrs {}
unsafe impl Send for GlobalPtrs {}

/// Which hook to run.
#[derive(Clone, Copy)]
enum Hook {
    Init,
    Cur,
    Jacob,
    State,
    SecondOrderCur,
}

impl StepContext<'_> {
    fn kernel(&self, t: usize, hook: Hook) -> Option<Kernel> {
        let k = &self.mechs[t].spec.kernels;
        match hook {
            Hook::Init => k.init,
            Hook::Cur => k.cur,
            Hook::Jacob => k.jacob,
            Hook::State => k.state,
            Hook::SecondOrderCur => k.second_order_cur,
        }
    }

    /// Runs one hook of every mechanism type, in type order, on a group.
    fn run(&self, g: &mut CellGroup, hook: Hook) {
        for t in 0..g.mechs.len() {
            if g.mechs[t].count == 0 {
                continue;
            }
            let Some(kernel) = self.kernel(t, hook) else {
                continue;
            };
            self.call(g, t, kernel);
            if matches!(hook, Hook::Init) {
                self.wrote_conc(g, t);
            }
        }
    }

    /// Calls a per-instance kernel of type `t` on a group's instances.
    /// INITIAL may post events (net_send) through the group's outbox; the
    /// random and vector services use the type's extras, lent to the
    /// outbox for the call.
    fn call(&self, g: &mut CellGroup, t: usize, kernel: Kernel) {
        g.outbox.mech = t as u32;
        g.outbox.lend_extras(&mut g.mechs[t], self.gix);
        let host = std::ptr::addr_of_mut!(g.outbox).cast();
        let mut ions = [NO_ION; MAX_IONS];
        let view = MechanismView {
            globals: self.globals.0[t],
            t: g.t,
            dt: g.dt,
            celsius: self.celsius,
            secondorder: self.secondorder,
            host,
            host_call: Some(super::events::host_call),
            ..block_view(g, t, &self.mechs[t].ion_types, &mut ions)
        };
        // SAFETY: the view's arrays are this group's and live through the
        // call; every node_row entry is < node_count (set by
        // rebuild_groups); `data` holds `slots * stride` values with
        // count <= stride; the kernel was registered under the ABI contract
        // (see `Model::register_mechanism`; BEFORE/AFTER blocks have
        // `state`'s).
        unsafe { kernel(&view) };
        g.outbox.return_extras(&mut g.mechs[t]);
    }

    /// NEURON's `nrn_wrote_conc`: after the INITIAL of a mechanism that
    /// writes an ion's concentrations, the ion's reversal potential follows
    /// them where the style computes it at initialization (einit).
    fn wrote_conc(&self, g: &mut CellGroup, t: usize) {
        let m = &self.mechs[t];
        for (dep, it) in m.spec.ions.iter().zip(&m.ion_types) {
            if dep.conc != 3 {
                continue;
            }
            let it = it.0 as usize;
            let z = self.mechs[it].globals[crate::mechanism::ion::G_VALENCE];
            super::ions::update_erev(&mut g.mechs[it], z, self.celsius, 0o40);
        }
    }
}

/// NEURON's `setup_tree_matrix` (`nrn_rhs` then `nrn_lhs`) for one group.
fn setup_tree_matrix(ctx: &StepContext, g: &mut CellGroup) {
    g.nodes.rhs.fill(0.0);
    g.nodes.d.fill(0.0);
    ctx.run_ba(g, BaTiming::BeforeBreakpoint);
    ctx.run(g, Hook::Cur);
    ctx.run(g, Hook::Jacob);
    hines::assemble(g, 0.001 * g.cj);
}

/// One fixed step of one group (NEURON's `nrn_fixed_step_thread` and
/// `nrn_fixed_step_lastpart`).
fn step_group(ctx: &StepContext, g: &mut CellGroup) {
    g.t += 0.5 * g.dt;
    step_solve(ctx, g);
    step_states(ctx, g);
}

/// The middle of a step, from t + dt/2 to t + dt: currents, solve, v update.
fn step_solve(ctx: &StepContext, g: &mut CellGroup) {
    setup_tree_matrix(ctx, g);
    hines::solve(g);
    if ctx.secondorder == 2 {
        ctx.run(g, Hook::SecondOrderCur);
    }
    g.finite = hines::update_v(g, 0.001 * g.cj, ctx.secondorder != 0);
    g.t += 0.5 * g.dt;
}

/// The end of a step: mechanism states with the new v.
fn step_states(ctx: &StepContext, g: &mut CellGroup) {
    ctx.run(g, Hook::State);
    ctx.run_ba(g, BaTiming::AfterSolve);
    ctx.run_ba(g, BaTiming::BeforeStep);
}

impl Model {
    fn context(&mut self) -> (StepContext<'_>, &mut Vec<CellGroup>) {
        let globals = self
            .mech_types
            .iter_mut()
            .map(|m| {
                if m.globals.is_empty() {
                    std::ptr::null_mut()
                } else {
                    m.globals.as_mut_ptr()
                }
            })
            .collect();
        (
            StepContext {
                mechs: &self.mech_types,
                globals: GlobalPtrs(globals),
                celsius: self.celsius,
                secondorder: self.secondorder,
                gix: self.random.gix,
            },
            &mut self.groups,
        )
    }

    /// Runs `f` on every cell group: on the model's thread pool when it has
    /// more than one thread, there is more than one group and every
    /// mechanism type is thread safe; otherwise in order on this thread.
    /// Groups share nothing but read-only data, so the results are the same
    /// bit for bit either way.
    fn for_each_group(&mut self, f: impl Fn(&StepContext, &mut CellGroup) + Sync) {
        use rayon::prelude::*;
        let pool = self.pool.take();
        let parallel = pool.is_some()
            && self.groups.len() > 1
            && self.mech_types.iter().all(|m| m.spec.thread_safe);
        let (ctx, groups) = self.context();
        match &pool {
            Some(p) if parallel => p.install(|| groups.par_iter_mut().for_each(|g| f(&ctx, g))),
            _ => groups.iter_mut().for_each(|g| f(&ctx, g)),
        }
        self.pool = pool;
    }

    /// NEURON's `dt2thread`: groups take t, dt and cj from the model when
    /// `force` or when dt differs from the first group's.
    pub(crate) fn dt2groups(&mut self, force: bool) {
        let differs = self.groups.first().is_none_or(|g| g.dt != self.dt);
        if force || differs {
            let cj = if self.secondorder != 0 {
                2.0 / self.dt
            } else {
                1.0 / self.dt
            };
            for g in &mut self.groups {
                g.t = self.t;
                g.dt = self.dt;
                g.cj = cj;
            }
        }
    }

    /// Every group's BEFORE INITIAL blocks, then its INITIAL blocks
    /// (capacitive currents zeroed first); events they post wait in the
    /// groups' outboxes.
    pub(crate) fn init_groups(&mut self) {
        self.run_before_after(BaTiming::BeforeInitial);
        self.for_each_group(|ctx, g| {
            for (i_cap, &c) in g.nodes.i_cap.iter_mut().zip(&g.cap) {
                if c != 0.0 {
                    *i_cap = 0.0;
                }
            }
            ctx.run(g, Hook::Init);
        });
    }

    /// `finitialize`, last phase: the currents at the initial v (as
    /// `fcurrent`), then the BEFORE STEP blocks and the first record
    /// (NEURON's `nrn_record_init` and `fixed_record_continuous`). (Then:
    /// record events at t = 0.)
    pub fn init_currents(&mut self, hooks: &mut dyn super::ContinuousHooks) -> Result<()> {
        self.for_each_group(setup_tree_matrix);
        self.run_before_after(BaTiming::BeforeStep);
        hooks.record(self, self.t)
    }

    /// `fcurrent()`: assembles the currents at the present v without stepping
    /// (assigned currents such as `i_pas` become valid).
    pub fn fcurrent(&mut self) -> Result<()> {
        self.verify_structure()?;
        self.resolve_pointers()?;
        self.check_function_tables()?;
        self.dt2groups(true);
        self.for_each_group(setup_tree_matrix);
        Ok(())
    }

    /// For benchmarks: assembles the tree matrix once, then solves it `reps`
    /// times (restoring the assembled matrix before each solve, untimed) and
    /// returns the time spent in the solves alone.
    pub fn time_tree_solve(&mut self, reps: usize) -> Result<std::time::Duration> {
        self.fcurrent()?;
        let saved: Vec<(Vec<f64>, Vec<f64>)> = self
            .groups
            .iter()
            .map(|g| (g.nodes.d.clone(), g.nodes.rhs.clone()))
            .collect();
        let mut total = std::time::Duration::ZERO;
        for _ in 0..reps {
            for (g, (d, rhs)) in self.groups.iter_mut().zip(&saved) {
                g.nodes.d.copy_from_slice(d);
                g.nodes.rhs.copy_from_slice(rhs);
            }
            let t0 = std::time::Instant::now();
            for g in self.groups.iter_mut() {
                super::hines::solve(g);
            }
            total += t0.elapsed();
        }
        Ok(total)
    }

    /// `fadvance`, the step itself (after [`Model::step_begin`] and the first
    /// delivery): each group advances from t to t + dt; with continuous
    /// plays the groups pause at t + dt/2 and before the states for
    /// `hooks.play`; then `hooks.record` at the new t.
    pub fn step_advance(&mut self, hooks: &mut dyn super::ContinuousHooks) -> Result<()> {
        if hooks.plays() {
            for g in &mut self.groups {
                g.t += 0.5 * g.dt;
            }
            hooks.play(self, self.group_time())?;
            self.for_each_group(step_solve);
            hooks.play(self, self.group_time())?;
            self.for_each_group(step_states);
        } else {
            self.for_each_group(step_group);
        }
        self.t = self.group_time();
        hooks.record(self, self.t)
    }

    /// The first group's t (the model's when there are no groups).
    fn group_time(&self) -> f64 {
        self.groups.first().map_or(self.t, |g| g.t)
    }

    /// `fadvance`, the end: a v that is NaN or infinite is an error naming
    /// t, the section and the position.
    pub fn step_end(&self) -> Result<()> {
        self.check_finite()
    }

    /// NEURON's `nrn_thread_table_check`: every type's TABLE hook, once, on
    /// this thread (it may rebuild tables in the type's globals).
    pub(crate) fn check_tables(&mut self) {
        let (celsius, dt, t, secondorder) = (self.celsius, self.dt, self.t, self.secondorder);
        for m in &mut self.mech_types {
            let Some(k) = m.spec.kernels.table else {
                continue;
            };
            let view = MechanismView {
                globals: if m.globals.is_empty() {
                    std::ptr::null_mut()
                } else {
                    m.globals.as_mut_ptr()
                },
                celsius,
                dt,
                t,
                secondorder,
                ..MechanismView::empty()
            };
            // SAFETY: a type-wide hook with no instances reads only the
            // globals and scalars of the view (ABI contract of `table`)
            unsafe { k(&view) };
        }
    }

    fn check_finite(&self) -> Result<()> {
        // the last v update of each group said whether its v are finite
        for g in self.groups.iter().filter(|g| !g.finite) {
            if let Some(row) = g.nodes.v.iter().position(|v| !v.is_finite()) {
                let id = g.nodes.ids[row];
                let (s, x) = self.node_location(id)?;
                return Err(ModelError::NonFinite {
                    t: self.t,
                    section: self.sec(s)?.name.clone(),
                    x,
                    value: g.nodes.v[row],
                });
            }
        }
        Ok(())
    }
}

impl Model {
    /// Calls a mechanism's FUNCTION or PROCEDURE from HOC on one instance
    /// (`None`: on scratch data with the type's defaults, as when the
    /// mechanism is not inserted where HOC calls it).
    pub fn call_function(
        &mut self,
        t: super::MechTypeId,
        inst: Option<super::InstanceId>,
        f: crate::mechanism::FunctionKernel,
        args: &[f64],
    ) -> Result<f64> {
        self.verify_structure()?;
        self.resolve_pointers()?;
        self.check_tables();
        let ti = t.0 as usize;
        if ti >= self.mech_types.len() {
            return Err(ModelError::UnknownMechanism);
        }
        let np = self.mech_types[ti].spec.pointers.len();
        match inst {
            Some(i) => self.check_pointers(i)?,
            None if np > 0 => {
                let spec = &self.mech_types[ti].spec;
                return Err(ModelError::PointerNotSet {
                    mechanism: spec.name.clone(),
                    pointer: spec.pointers[0].clone(),
                    location: String::new(),
                });
            }
            None => {}
        }
        // an unlocated instance's POINTERs, as a one-row table
        let mut one_row: Vec<*mut f64> = Vec::new();
        let mut ions = [NO_ION; MAX_IONS];
        let nions = self.mech_types[ti].ion_types.len();
        let zero_row = [0u32; 1];
        // scratch storage for a call with no instance (kept alive to the end)
        let mut scratch = self.mech_types[ti].defaults.clone();
        let mut ion_scratch: Vec<Vec<f64>> = Vec::new();
        let (mut sv, mut srhs, mut sd, sarea, sdiam) = ([-65.0], [0.0], [0.0], [100.0], [500.0]);
        let loc = match inst {
            Some(i) => {
                let info = self.instance_info(i)?;
                if info.mech != t {
                    return Err(ModelError::UnknownMechanism);
                }
                Some(info.loc)
            }
            None => None,
        };
        let globals = if self.mech_types[ti].globals.is_empty() {
            std::ptr::null_mut()
        } else {
            self.mech_types[ti].globals.as_mut_ptr()
        };
        let mut view = MechanismView {
            globals,
            t: self.t,
            dt: self.dt,
            celsius: self.celsius,
            secondorder: self.secondorder,
            ..MechanismView::empty()
        };
        let row;
        // the random and vector services use the instance's extra
        let mut out = super::events::HostOutbox::default();
        let gix = self.random.gix;
        match loc {
            Some(l) if l.block != super::store::LOOSE => {
                let g = &mut self.groups[l.block as usize];
                out.lend_extras(&mut g.mechs[ti], gix);
                view = MechanismView {
                    globals: view.globals,
                    t: view.t,
                    dt: view.dt,
                    celsius: view.celsius,
                    secondorder: view.secondorder,
                    ..block_view(g, ti, &self.mech_types[ti].ion_types, &mut ions)
                };
                row = l.row as usize;
            }
            other => {
                if let Some(l) = other {
                    // an unlocated point process: its own values
                    let b = &self.loose.mechs[ti];
                    scratch = b.values(l.row as usize);
                    if b.has_extra {
                        out.extras = vec![b.extra(l.row as usize)];
                    }
                    one_row = (0..np)
                        .map(|k| b.pointers.0[k * b.stride + l.row as usize])
                        .collect();
                    out.gix = gix;
                }
                for (j, it) in self.mech_types[ti].ion_types.iter().enumerate() {
                    ion_scratch.push(self.mech_types[it.0 as usize].defaults.clone());
                    ions[j].data = ion_scratch[j].as_mut_ptr();
                    ions[j].stride = 1;
                    ions[j].index = zero_row.as_ptr();
                }
                view.count = 1;
                view.stride = 1;
                view.data = scratch.as_mut_ptr();
                view.node_index = zero_row.as_ptr();
                view.node_count = 1;
                view.v = sv.as_mut_ptr();
                view.rhs = srhs.as_mut_ptr();
                view.d = sd.as_mut_ptr();
                view.area = sarea.as_ptr();
                view.diam = sdiam.as_ptr();
                view.pointers = if one_row.is_empty() {
                    std::ptr::null()
                } else {
                    one_row.as_ptr()
                };
                row = 0;
            }
        }
        if nions > 0 {
            view.ions = ions.as_ptr();
            view.ion_count = nions;
        }
        view.host = std::ptr::addr_of_mut!(out).cast();
        view.host_call = Some(super::events::host_call);
        // SAFETY: the view describes live arrays of the right lengths (a
        // group's, or the scratch arrays above, which outlive the call);
        // row < count; `args` has the function's argument count (checked by
        // the caller against the spec); the kernel keeps to the ABI.
        let r = unsafe { f(&view, row, args.as_ptr()) };
        // events posted by a function called from HOC are dropped
        if let Some(l) = loc {
            if l.block == super::store::LOOSE {
                let b = &mut self.loose.mechs[ti];
                for (k, x) in scratch.iter().enumerate() {
                    b.set(l.row as usize, k, *x);
                }
                if let (Some(x), Some(e)) = (
                    b.extras.get_mut(l.row as usize),
                    out.extras.into_iter().next(),
                ) {
                    *x = e;
                }
            } else {
                out.return_extras(&mut self.groups[l.block as usize].mechs[ti]);
            }
        }
        Ok(r)
    }
}
