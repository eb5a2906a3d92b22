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

use super::hines;
use super::store::CellGroup;
use super::{MechType, Model, ModelError, Result};
use crate::mechanism::{Kernel, MechanismView};

/// What every group reads while stepping (shared, read-only).
struct StepContext<'a> {
    mechs: &'a [MechType],
    globals: GlobalPtrs,
    celsius: f64,
    secondorder: i32,
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
        let node_count = g.nodes.len();
        for (t, mb) in g.mechs.iter_mut().enumerate() {
            if mb.count == 0 {
                continue;
            }
            let Some(kernel) = self.kernel(t, hook) else {
                continue;
            };
            let view = MechanismView {
                count: mb.count,
                stride: mb.stride,
                data: mb.data.as_mut_ptr(),
                node_index: mb.node_row.as_ptr(),
                node_count,
                v: g.nodes.v.as_ptr(),
                rhs: g.nodes.rhs.as_mut_ptr(),
                d: g.nodes.d.as_mut_ptr(),
                area: g.nodes.area.as_ptr(),
                ions: std::ptr::null(),
                ion_count: 0,
                globals: self.globals.0[t],
                t: g.t,
                dt: g.dt,
                celsius: self.celsius,
                secondorder: self.secondorder,
                diam: std::ptr::null(),
                host: std::ptr::null_mut(),
                host_call: None,
            };
            // SAFETY: the view's arrays are this group's and live through the
            // call; every node_row entry is < node_count (set by
            // rebuild_groups); `data` holds `slots * stride` values with
            // count <= stride; the kernel was registered under the ABI contract
            // (see `Model::register_mechanism`).
            unsafe { kernel(&view) };
        }
    }
}

/// NEURON's `setup_tree_matrix` (`nrn_rhs` then `nrn_lhs`) for one group.
fn setup_tree_matrix(ctx: &StepContext, g: &mut CellGroup) {
    g.nodes.rhs.iter_mut().for_each(|x| *x = 0.0);
    ctx.run(g, Hook::Cur);
    hines::axial_rhs(g);
    g.nodes.d.iter_mut().for_each(|x| *x = 0.0);
    ctx.run(g, Hook::Jacob);
    let cfac = 0.001 * g.cj;
    for &r in &g.cap_rows {
        let r = r as usize;
        g.nodes.d[r] += cfac * g.nodes.cm[r];
    }
    hines::axial_lhs(g);
}

/// One fixed step of one group (NEURON's `nrn_fixed_step_thread` and
/// `nrn_fixed_step_lastpart`).
fn step_group(ctx: &StepContext, g: &mut CellGroup) {
    g.t += 0.5 * g.dt;
    setup_tree_matrix(ctx, g);
    hines::solve(g);
    if ctx.secondorder == 2 {
        ctx.run(g, Hook::SecondOrderCur);
    }
    if ctx.secondorder != 0 {
        for (v, dv) in g.nodes.v.iter_mut().zip(&g.nodes.rhs) {
            *v += 2.0 * dv;
        }
    } else {
        for (v, dv) in g.nodes.v.iter_mut().zip(&g.nodes.rhs) {
            *v += dv;
        }
    }
    let cfac = 0.001 * g.cj;
    for &r in &g.cap_rows {
        let r = r as usize;
        g.nodes.i_cap[r] = cfac * g.nodes.cm[r] * g.nodes.rhs[r];
    }
    g.t += 0.5 * g.dt;
    ctx.run(g, Hook::State);
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
    fn dt2groups(&mut self, force: bool) {
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

    /// `finitialize(v_init)`: t = 0, v = `v_init` everywhere (if given), every
    /// mechanism's INITIAL, then the currents (as `fcurrent`).
    pub fn finitialize(&mut self, v_init: Option<f64>) -> Result<()> {
        self.verify_structure()?;
        self.t = 0.0;
        self.dt2groups(true);
        if let Some(v) = v_init {
            for g in &mut self.groups {
                g.nodes.v.iter_mut().for_each(|x| *x = v);
            }
        }
        self.for_each_group(|ctx, g| {
            for &r in &g.cap_rows {
                g.nodes.i_cap[r as usize] = 0.0;
            }
            ctx.run(g, Hook::Init);
            setup_tree_matrix(ctx, g);
        });
        Ok(())
    }

    /// `fcurrent()`: assembles the currents at the present v without stepping
    /// (assigned currents such as `i_pas` become valid).
    pub fn fcurrent(&mut self) -> Result<()> {
        self.verify_structure()?;
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

    /// `fadvance()`: one fixed step of dt. A v that is NaN or infinite
    /// afterwards is an error naming t, the section and the position.
    pub fn fadvance(&mut self) -> Result<()> {
        self.verify_structure()?;
        let t_changed = self.groups.first().is_some_and(|g| g.t != self.t);
        self.dt2groups(t_changed);
        self.for_each_group(step_group);
        if let Some(g) = self.groups.first() {
            self.t = g.t;
        }
        self.check_finite()
    }

    fn check_finite(&self) -> Result<()> {
        for g in &self.groups {
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
