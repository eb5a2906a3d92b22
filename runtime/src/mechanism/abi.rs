//! The mechanism ABI: the plain C data a compiled kernel sees for one mechanism
//! type in one cell group, and the one kernel signature. It depends on nothing
//! else in nerve, so the JIT (which emits kernels) and the solver (which calls
//! them) meet only here.
//!
//! # Data layout
//! Instance data is structure-of-arrays in one buffer: field `k` of instance `i`
//! is `data[k * stride + i]` (`stride >= count`). Fields are numbered as the
//! mechanism's [`MechanismSpec`](super::MechanismSpec) lists them. Node arrays
//! (`v`, `rhs`, `d`, `area`) are the cell group's, in Hines order, indexed by
//! `node_index[i]`.
//!
//! # The order the solver calls the hooks (NEURON's fixed step)
//! * `finitialize`: v is set, then `init` of every type in type order, then one
//!   `cur` + `jacob` pass (NEURON's `fcurrent`, so assigned currents are valid).
//! * `fadvance`: t += dt/2; `rhs` and `d` are zeroed, `cur` of every type
//!   (which may add its conductance to `d` itself), `jacob` of every type,
//!   capacitance, axial terms; Hines solve;
//!   `second_order_cur` (only when `secondorder == 2`); v += rhs (2 rhs when
//!   `secondorder > 0`); t += dt/2; `state` of every type.
//!
//! The `BEFORE`/`AFTER` blocks of a type (the spec's `before_after`, with the
//! signature of [`Kernel`]) run at the points [`super::BaTiming`] names.
//!
//! Kernels never allocate, never unwind, and touch only what their hook's
//! documentation allows.

/// One ion a mechanism reads or writes (e.g. `na`: `ena`, `ina`, `dina_dv`...).
/// The ion's own instances are SoA like a mechanism's.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct IonView {
    /// the ion mechanism's instance data: field `k` of ion instance `j` is
    /// `data[k * stride + j]`
    pub data: *mut f64,
    /// distance between consecutive fields of the ion's data [elements]
    pub stride: usize,
    /// for each instance of *this* mechanism, the row `j` of the ion instance in
    /// the same segment (length `count` of the mechanism view)
    pub index: *const u32,
}

/// What a kernel sees for one mechanism type in one cell group.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MechanismView {
    /// number of instances
    pub count: usize,
    /// distance between consecutive fields in `data` [elements]
    pub stride: usize,
    /// instance data, structure of arrays: field `k` of instance `i` is
    /// `data[k * stride + i]`
    pub data: *mut f64,
    /// per instance, the index of its node in the group's node arrays
    pub node_index: *const u32,
    /// number of nodes in the group (length of `v`, `rhs`, `d`, `area`)
    pub node_count: usize,
    /// membrane potential per node [mV]; read-only for kernels
    pub v: *const f64,
    /// right-hand side of the current balance per node [mA/cm²] (for zero-area
    /// nodes [nA]); `cur` subtracts outward membrane currents, adds electrode
    /// currents; after the solve it holds the change of v [mV]
    pub rhs: *mut f64,
    /// diagonal of the current balance per node [mS/cm² = mA/cm²/mV]; `jacob`
    /// adds di/dv of membrane currents (subtracts it for electrode currents)
    pub d: *mut f64,
    /// membrane area per node [µm²] (100 for zero-area nodes, NEURON's
    /// dimensionless convention); point processes scale nA by `1e2 / area` to
    /// reach mA/cm²
    pub area: *const f64,
    /// ions used, in the order of the spec's ion list (null when none)
    pub ions: *const IonView,
    /// number of entries in `ions`
    pub ion_count: usize,
    /// the type's GLOBAL variables (shared by all instances; null when none)
    pub globals: *mut f64,
    /// time of this call [ms]: t + dt/2 during `cur`/`jacob` of a step, t + dt
    /// during `state`, 0 during `init`
    pub t: f64,
    /// time step [ms]
    pub dt: f64,
    /// temperature [°C]
    pub celsius: f64,
    /// 0: backward Euler; 1: Crank–Nicolson; 2: Crank–Nicolson with ion
    /// currents corrected to t + dt/2
    pub secondorder: i32,
    /// segment diameter per node [µm] (null when the hook does not need it)
    pub diam: *const f64,
    /// opaque pointer to the runtime's event and random services (null when
    /// the hook may not call them)
    pub host: *mut std::ffi::c_void,
    /// the runtime's services: `host_call(host, op, view, instance, a, b)`.
    /// The low byte of `op` is the service (the IR's `HostFn` code): 0
    /// net_send(delay=a, flag=b), 1 net_event(t=a), 2 net_move(t=a); on the
    /// instance's Random123 stream of RANDOM variable `op >> 8` (the spec's
    /// `randoms[op >> 8]`; 0 for `scop_random`, `exprand`, `normrand`):
    /// 3 uniform in (0, 1) (`random_uniform`, `random_dblpick`),
    /// 4 exprand(mean=a) (`random_negexp(r)` is mean 1), 5 normrand(mean=a,
    /// sd=b) (`random_normal(r)` is 0, 1), 6 `random_setseq(r, a)` (a is
    /// seq·4 + which, as NEURON's), 7 ids 1 and 2 = a, b and 8 id 3 = a
    /// (`random_setids(r, a, b, c)` is 7 then 8), 9 `random_ipick(r)`; on
    /// the instance's vector (types with `vector`, e.g. VecStim): 10
    /// element `a` (NaN past the end), 11 its size; 12 net_send at time a
    /// (flag b): nocmodl computes a self event's time as `t + <delay
    /// expression>` written out, so `net_send(etime - t, 1)` is at
    /// `(t + etime) - t`, which 0 (t + (etime - t)) cannot reproduce;
    /// 13 arms WATCH condition `op >> 8` (the spec's `watches`) with flag a,
    /// b being the condition's value now (NET_RECEIVE only).
    /// Returns the service's value (0 for the event services and the
    /// setters; NaN for a random service without a stream)
    pub host_call: Option<HostCall>,
    /// the targets of the type's POINTER variables: pointer `k` of instance
    /// `i` is `pointers[k * stride + i]`, a double owned elsewhere (a node's
    /// v, another mechanism's field, a HOC variable) that kernels read and
    /// write; never null for an instance the view covers (the runtime
    /// refuses to run kernels of an instance whose pointer is unset). Null
    /// when the type has no POINTER variables.
    pub pointers: *const *mut f64,
}

/// The runtime's services a kernel may call (see [`MechanismView::host_call`]).
pub type HostCall = unsafe extern "C" fn(
    host: *mut std::ffi::c_void,
    op: u32,
    view: *const MechanismView,
    instance: usize,
    a: f64,
    b: f64,
) -> f64;

/// A FUNCTION or PROCEDURE compiled for calls from HOC: runs on one instance
/// (`instance < count`) with `args` (as many as the function declares) and
/// returns its value (0 for a PROCEDURE).
///
/// # Safety
/// As for [`Kernel`]; `args` valid for the function's argument count.
pub type FunctionKernel =
    unsafe extern "C" fn(view: *const MechanismView, instance: usize, args: *const f64) -> f64;

/// The one signature of every kernel except `net_receive`.
///
/// # Safety
/// The caller passes a view whose pointers are valid for the lengths it states
/// and are not aliased by anything else running at the same time.
pub type Kernel = unsafe extern "C" fn(view: *const MechanismView);

/// Delivery of one event to one instance (NetCon to a point process);
/// `weights` points to the NetCon's weight vector (NET_RECEIVE may write it).
///
/// # Safety
/// As for [`Kernel`]; `instance < count`; `weights` valid for the NetCon's
/// weight count.
pub type NetReceiveKernel =
    unsafe extern "C" fn(view: *const MechanismView, instance: usize, weights: *mut f64, flag: f64);

/// The hooks of one mechanism type; a missing hook is `None` (a null pointer).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct MechanismKernels {
    /// INITIAL: after v is set by `finitialize`. May write the instance data
    /// and the ions' data; must not touch `rhs` or `d`.
    pub init: Option<Kernel>,
    /// BREAKPOINT currents: evaluates the current at v+0.001 and at v (in that
    /// order, as NEURON does), subtracts i(v) from `rhs` (adds it, for an
    /// electrode current), stores g = (i(v+0.001) - i(v)) / 0.001 in its own
    /// data, and accumulates ion currents. It may add g to `d` itself
    /// (subtract it, for an electrode current; `d` is zeroed before the
    /// first `cur`), as NMODL kernels do, or leave that to `jacob`; it only
    /// adds to a node's `d`, never reads it otherwise.
    pub cur: Option<Kernel>,
    /// Adds the conductance stored by `cur` to `d` (subtracts it for an
    /// electrode current), when `cur` did not. Must not touch `rhs`.
    pub jacob: Option<Kernel>,
    /// SOLVE of the states over one step with the new v. May write the
    /// instance data and ion concentrations; must not touch `rhs` or `d`.
    pub state: Option<Kernel>,
    /// Only for ions and only when `secondorder == 2`, right after the solve:
    /// corrects each ion current by di/dv · Δv (Δv is in `rhs`).
    pub second_order_cur: Option<Kernel>,
    /// NET_RECEIVE: one event to one instance.
    pub net_receive: Option<NetReceiveKernel>,
    /// NET_RECEIVE's INITIAL: once per NetCon targeting an instance, during
    /// `finitialize` after `init` (`flag` is 0).
    pub net_receive_init: Option<NetReceiveKernel>,
    /// Type-wide (the view has `count` instances but the hook reads only
    /// `globals`, `celsius`, `dt`): rebuilds TABLEs whose DEPEND values
    /// changed. Runs on one thread before `init` and before each step.
    pub table: Option<Kernel>,
}

impl MechanismView {
    /// A view with no instances and null pointers (for tests and defaults).
    pub const fn empty() -> Self {
        Self {
            count: 0,
            stride: 0,
            data: std::ptr::null_mut(),
            node_index: std::ptr::null(),
            node_count: 0,
            v: std::ptr::null(),
            rhs: std::ptr::null_mut(),
            d: std::ptr::null_mut(),
            area: std::ptr::null(),
            ions: std::ptr::null(),
            ion_count: 0,
            globals: std::ptr::null_mut(),
            t: 0.0,
            dt: 0.0,
            celsius: 0.0,
            secondorder: 0,
            diam: std::ptr::null(),
            host: std::ptr::null_mut(),
            host_call: None,
            pointers: std::ptr::null(),
        }
    }
}
