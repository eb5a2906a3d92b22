//! The mechanism IR: what the lowering passes make of a `.mod` file and what
//! the JIT compiles. Every NEURON semantic (ion copies, the v+0.001
//! conductance estimate, solve methods, TABLEs, point-process area scaling)
//! is spelled out here as plain statements by the lowering, so the JIT is a
//! generic compiler of "a loop over instances running a block" and knows
//! nothing about NMODL.
//!
//! # Storage the IR names
//! * per instance: `Slot` (structure of arrays, slot `k` of instance `i` is
//!   `data[k * stride + i]`, see the runtime's mechanism ABI);
//! * per mechanism type: `Global` (a flat array of f64: GLOBAL variables,
//!   TABLE storage, saved DEPEND values, ...);
//! * per call: `Local` (kernel or function locals, uninitialised until
//!   written), `Arg` (function arguments; in NET_RECEIVE the NetCon's weights,
//!   which may be written);
//! * the cell group's node arrays at the instance's node (`Node`), the ion
//!   instance in the same segment (`Ion`), and the step's scalars (`T`, `Dt`,
//!   `Celsius`, `SecondOrder`, `Flag` in NET_RECEIVE);
//! * per instance, the doubles elsewhere that its `POINTER` variables refer
//!   to (`Pointer`, see [`PointerDecl`] for what the runtime provides).
//!
//! Arrays: `Slot` and `Global` take an optional element index expression
//! (rounded toward zero; the lowering guarantees it is in range).

/// How the mechanism is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MechKind {
    /// `SUFFIX`: one instance per segment; currents in mA/cm².
    Density,
    /// `POINT_PROCESS`: placed at a location; currents in nA.
    Point,
    /// `ARTIFICIAL_CELL`: a point process with no node (no v, no currents).
    Artificial,
}

/// What a slot or global is, for the runtime (psection, HOC access, SaveState).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarRole {
    /// `PARAMETER`
    Parameter,
    /// `ASSIGNED`
    Assigned,
    /// `STATE`
    State,
    /// Made by the lowering (conductance for the Jacobian, `v` copy, derivative
    /// of an ion current, TABLE storage, saved DEPEND values, ...).
    Internal,
}

/// One per-instance variable (a range variable when `hoc` is true).
#[derive(Debug, Clone, PartialEq)]
pub struct SlotDecl {
    /// name without the suffix (`gnabar`, `m`, `_g`)
    pub name: String,
    /// its block
    pub role: VarRole,
    /// number of consecutive slots (1 unless a range array)
    pub size: usize,
    /// value given to new instances
    pub default: f64,
    /// visible from HOC as `name_suffix` (RANGE, STATE)
    pub hoc: bool,
    /// units as written, for psection and messages
    pub unit: Option<String>,
}

/// One per-mechanism variable.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalDecl {
    /// name without the suffix (`minf`, `usetable`, `_tab_minf`)
    pub name: String,
    /// its block
    pub role: VarRole,
    /// number of consecutive values
    pub size: usize,
    /// initial value (every element)
    pub default: f64,
    /// visible from HOC as `name_suffix` (GLOBAL, `usetable_suffix`)
    pub hoc: bool,
}

/// The fields of an ion's per-segment data, in the runtime's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IonField {
    /// reversal potential `eX` [mV]
    Erev,
    /// inside concentration `Xi` [mM]
    ConcIn,
    /// outside concentration `Xo` [mM]
    ConcOut,
    /// total current `iX` [mA/cm²]
    Current,
    /// d(iX)/dv [S/cm²]
    DCurrentDv,
}

/// One ion named by `USEION`.
#[derive(Debug, Clone, PartialEq)]
pub struct IonDecl {
    /// `na`, `k`, `ca`, or any new name
    pub name: String,
    /// `VALENCE n` when given
    pub valence: Option<f64>,
    /// fields the mechanism reads
    pub reads: Vec<IonField>,
    /// fields the mechanism writes (a concentration or the current)
    pub writes: Vec<IonField>,
}

/// One `POINTER` variable: per instance, a reference to a double owned by
/// someone else (another mechanism's variable, a node's `v`, a NetCon
/// weight, a HOC variable), set from HOC with
/// `setpointer pp.name, <variable>` (or `h.setpointer(ref, "name", pp)`).
///
/// The runtime must provide, per instance, one `*mut f64` per declaration
/// (in the order of [`MechIr::pointers`]) that kernels read and write
/// through ([`Var::Pointer`]); it must keep them valid while the model's
/// storage moves (as NEURON re-points them after a reallocation), refuse to
/// run any kernel of an instance whose pointer was never set (NEURON
/// dereferences null and crashes), and make `pp.name` in HOC read and write
/// the target. A pointer is never used by the type-wide `table` kernel.
/// (The mechanism ABI's `MechanismView::pointers` table; the JIT keeps
/// kernels that use pointers scalar.)
#[derive(Debug, Clone, PartialEq)]
pub struct PointerDecl {
    /// name without the suffix (`pre`, `vpre`)
    pub name: String,
    /// units as written, for psection and messages
    pub unit: Option<String>,
}

/// The cell group's node arrays at the instance's node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeVar {
    /// membrane potential [mV] (read only)
    V,
    /// right-hand side of the current balance (read, write)
    Rhs,
    /// diagonal (read, write)
    D,
    /// membrane area [µm²] (read only)
    Area,
    /// segment diameter [µm] (read only)
    Diam,
}

/// A place holding a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Var {
    /// per-instance value at element offset `k` (see
    /// [`MechIr::slot_offset`]), plus the optional index of a range array
    Slot(usize, Option<Box<Expr>>),
    /// per-mechanism value at element offset `k` (see
    /// [`MechIr::global_offset`]), plus the optional index of an array
    Global(usize, Option<Box<Expr>>),
    /// a local of the kernel or function being compiled
    Local(usize),
    /// an argument of the function being compiled (NET_RECEIVE: weight k)
    Arg(usize),
    /// the node of the instance
    Node(NodeVar),
    /// a field of the instance's ion `ion` (index into [`MechIr::ions`])
    Ion(usize, IonField),
    /// time [ms] (read only)
    T,
    /// time step [ms] (read only)
    Dt,
    /// temperature [°C] (read only)
    Celsius,
    /// `secondorder` (read only)
    SecondOrder,
    /// NET_RECEIVE's `flag` (read only)
    Flag,
    /// the double POINTER `k` (index into [`MechIr::pointers`]) of the
    /// instance refers to (read, write)
    Pointer(usize),
}

/// Binary operators (comparisons and logic give 1.0 or 0.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// `^` (C's `pow`)
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    /// exact equality (NMODL compares doubles with C's `==`)
    Eq,
    Ne,
    /// `&&` (both operands are evaluated; they have no side effects)
    And,
    /// `||`
    Or,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    /// `!` (1.0 when the operand is 0.0)
    Not,
}

/// The math functions the JIT provides, with C library semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathFn {
    Exp,
    Log,
    Log10,
    Sqrt,
    Fabs,
    Floor,
    Ceil,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Erf,
    /// 2 arguments
    Atan2,
    /// 2 arguments
    Pow,
    /// 2 arguments
    Fmod,
    /// 2 arguments (C's fmin; used by the lowering, not by users)
    Min,
    /// 2 arguments
    Max,
}

/// Services of the runtime a kernel can call through the view's `host_call`.
/// The discriminant is the service code, the low byte of the `op` passed.
///
/// The random services (`Uniform` and later) draw on one of the instance's
/// Random123 streams: their first argument is always `Expr::Num(k)`, the
/// index of the RANDOM variable in [`MechIr::randoms`] (0 for the older
/// `scop_random`, `exprand`, `normrand`), which the JIT puts in `op >> 8`;
/// the remaining (at most two) arguments are passed as `a`, `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum HostFn {
    /// `net_send(delay, flag)`: a self event to this instance
    NetSend = 0,
    /// `net_event(t)`: this (artificial) cell spikes at t
    NetEvent = 1,
    /// `net_move(t)`: moves this instance's pending self event
    NetMove = 2,
    /// `(k)`: a uniform random number in (0, 1) (`random_uniform(r)`,
    /// `random_dpick`, `scop_random`)
    Uniform = 3,
    /// `(k, mean)`: negative exponential (`random_negexp(r)` is mean 1,
    /// `exprand(mean)`)
    Exprand = 4,
    /// `(k, mean, sd)`: normal (`random_normal(r)`, `normrand(mean, sd)`)
    Normrand = 5,
    /// `(k, x)`: `random_setseq(r, x)`
    RandomSetseq = 6,
    /// `(k, id1, id2)`: the first two ids of `random_setids(r, id1, id2, id3)`
    RandomSetids12 = 7,
    /// `(k, id3)`: the third id, after `RandomSetids12`
    RandomSetid3 = 8,
    /// `(k)`: `random_ipick(r)`
    RandomIpick = 9,
    /// `(t, flag)`: a self event at absolute time t. `net_send(d, flag)` is
    /// lowered to this with t = `t + d` associated as nocmodl's generated C
    /// text does (t joins the leftmost term of d's top-level +/- chain), so
    /// event times round as NEURON's do.
    NetSendAt = 12,
    /// `(k, flag, value)`: arms `WATCH` condition `k` (index into
    /// [`Kernels::watch`]) of this instance with `flag`; `value` is the
    /// condition's value now (NEURON's `_nrn_watch_activate`). As the
    /// random services, `k` is a constant the JIT puts in `op >> 8`. The
    /// first WATCH armed by one NET_RECEIVE call disarms the instance's
    /// others.
    Watch = 13,
    /// `()`: how many NetCons target this instance (`FOR_NETCONS`; NEURON's
    /// `_nrn_netcon_args`)
    NetconCount = 14,
    /// `(k, i)`: weight k of the i-th NetCon that targets this instance
    /// (`k` a constant the JIT puts in `op >> 8`)
    NetconWeight = 15,
    /// `(k, i, x)`: sets weight k of the i-th NetCon that targets this
    /// instance to x
    NetconSetWeight = 16,
}

impl HostFn {
    /// Whether the service draws on a random stream (its first argument is
    /// the stream's index).
    pub fn is_random(self) -> bool {
        (HostFn::Uniform as u32..=HostFn::RandomIpick as u32).contains(&(self as u32))
    }

    /// Whether the first argument is a constant index the JIT puts in
    /// `op >> 8` (a random stream, a WATCH condition, a weight).
    pub fn has_index(self) -> bool {
        self.is_random()
            || matches!(
                self,
                HostFn::Watch | HostFn::NetconWeight | HostFn::NetconSetWeight
            )
    }
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Load(Var),
    Un(UnOp, Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// `cond ? a : b` (only the chosen branch is evaluated)
    Select(Box<Expr>, Box<Expr>, Box<Expr>),
    Math(MathFn, Vec<Expr>),
    /// a FUNCTION (index into [`MechIr::functions`]) of the same instance
    Call(usize, Vec<Expr>),
    /// a runtime service returning a value
    Host(HostFn, Vec<Expr>),
}

/// A statement, run for one instance.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    Assign(Var, Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>),
    /// a PROCEDURE or FUNCTION called for its effects
    Call(usize, Vec<Expr>),
    /// a runtime service called for its effects (net_send, ...)
    Host(HostFn, Vec<Expr>),
    /// returns from a function (FUNCTION: with its value; PROCEDURE and
    /// kernels: the value is ignored)
    Return(Expr),
    /// Solves the dense n×n system `a x = b` (row-major `a`, n² entries) by
    /// Gaussian elimination with partial pivoting and assigns `x[k]` to
    /// `out[k]`. All of `a` and `b` are evaluated before anything is
    /// assigned. Used by derivimplicit, sparse and LINEAR/NONLINEAR.
    Solve {
        a: Vec<Expr>,
        b: Vec<Expr>,
        out: Vec<Var>,
    },
}

/// A FUNCTION or PROCEDURE (callable from kernels and, when `hoc`, from HOC
/// as `name_suffix(args)` on an instance).
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// its NMODL name
    pub name: String,
    /// number of arguments
    pub args: usize,
    /// number of locals
    pub locals: usize,
    /// FUNCTION (returns a value) or PROCEDURE (returns 0)
    pub returns_value: bool,
    /// callable from HOC
    pub hoc: bool,
    /// the body
    pub body: Vec<Stmt>,
}

/// The body of one hook, run once per instance (`per_instance`) or once per
/// call (a type-wide hook such as TABLE precomputation, where Slot, Node and
/// Ion are not available).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kernel {
    /// number of locals
    pub locals: usize,
    /// the statements
    pub body: Vec<Stmt>,
}

/// When a `BEFORE`/`AFTER` block runs (NEURON 9.0.2's `nrn_ba`): per
/// instance, for every instance of the type, the types in the order their
/// mechanisms were loaded and a type's blocks in source order (the
/// runtime's `BaTiming`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaTiming {
    /// `BEFORE INITIAL`: in finitialize, after v is set and the type-0
    /// FInitializeHandlers ran, before any mechanism's `init`.
    BeforeInitial,
    /// `AFTER INITIAL`: in finitialize, after every `init` and every
    /// `net_receive_init`, before the type-1 FInitializeHandlers and before
    /// the events sent at t = 0 are delivered.
    AfterInitial,
    /// `BEFORE BREAKPOINT`: before the currents are computed (`cur` of any
    /// mechanism): every step, and once in finitialize after `AfterInitial`.
    BeforeBreakpoint,
    /// `AFTER SOLVE`: every fixed step after the `state` kernels (t already
    /// advanced to t + dt), before `BeforeStep`.
    AfterSolve,
    /// `BEFORE STEP`: every fixed step right after `AfterSolve`, before the
    /// continuous recordings (Vector.record) and event delivery; also at the
    /// end of finitialize (and `frecord_init`) before the t = 0 recording.
    BeforeStep,
}

/// The kernels of a mechanism, one per ABI hook; `None` when it does nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kernels {
    /// INITIAL (with the ion copies and the state initialisation NEURON does)
    pub init: Option<Kernel>,
    /// BREAKPOINT currents: rhs, ion currents, conductance into a slot
    pub cur: Option<Kernel>,
    /// the conductance into `d`
    pub jacob: Option<Kernel>,
    /// SOLVE: advance the states over dt
    pub state: Option<Kernel>,
    /// type-wide, once before `init` and before each step when tables are
    /// in use: rebuilds TABLEs whose DEPEND values changed
    pub table: Option<Kernel>,
    /// NET_RECEIVE: `Arg(k)` is weight k, `Flag` the flag
    pub net_receive: Option<Kernel>,
    /// NET_RECEIVE's INITIAL (per NetCon, `Arg(k)` its weights)
    pub net_receive_init: Option<Kernel>,
    /// `BEFORE`/`AFTER` blocks, per instance, in source order
    pub before_after: Vec<(BaTiming, Kernel)>,
    /// `WATCH` conditions, in the order the lowering meets them (`else if`
    /// branches last to first): entry k is the index
    /// in [`MechIr::functions`] of a FUNCTION of no arguments that copies
    /// the node's v and returns the condition's value (`a - b` for `a > b`,
    /// `b - a` for `a < b`); the condition holds when it is > 0. The JIT
    /// gives them entries as it does HOC functions; the runtime calls them
    /// once per step for every armed WATCH (NEURON's `_watchN_cond`).
    pub watch: Vec<usize>,
}

impl Kernels {
    /// The kernels that run once per instance (all but `table`), BEFORE/AFTER
    /// blocks included.
    pub fn per_instance(&self) -> impl Iterator<Item = &Kernel> {
        [
            &self.init,
            &self.cur,
            &self.jacob,
            &self.state,
            &self.net_receive,
            &self.net_receive_init,
        ]
        .into_iter()
        .flatten()
        .chain(self.before_after.iter().map(|(_, k)| k))
    }
}

/// Calls `fs` on every statement and `fe` on every expression of `s`
/// (pre-order), including nested ones.
pub fn visit_stmt(s: &Stmt, fs: &mut dyn FnMut(&Stmt), fe: &mut dyn FnMut(&Expr)) {
    fs(s);
    match s {
        Stmt::Assign(v, e) => {
            visit_var(v, fe);
            visit_expr(e, fe);
        }
        Stmt::If(c, a, b) => {
            visit_expr(c, fe);
            for s in a.iter().chain(b) {
                visit_stmt(s, fs, fe);
            }
        }
        Stmt::While(c, b) => {
            visit_expr(c, fe);
            for s in b {
                visit_stmt(s, fs, fe);
            }
        }
        Stmt::Call(_, args) | Stmt::Host(_, args) => {
            for a in args {
                visit_expr(a, fe);
            }
        }
        Stmt::Return(e) => visit_expr(e, fe),
        Stmt::Solve { a, b, out } => {
            for e in a.iter().chain(b) {
                visit_expr(e, fe);
            }
            for v in out {
                visit_var(v, fe);
            }
        }
    }
}

fn visit_var(v: &Var, fe: &mut dyn FnMut(&Expr)) {
    if let Var::Slot(_, Some(i)) | Var::Global(_, Some(i)) = v {
        visit_expr(i, fe);
    }
}

/// Calls `fe` on `e` and every expression inside it (pre-order).
pub fn visit_expr(e: &Expr, fe: &mut dyn FnMut(&Expr)) {
    fe(e);
    match e {
        Expr::Num(_) => {}
        Expr::Load(v) => visit_var(v, fe),
        Expr::Un(_, a) => visit_expr(a, fe),
        Expr::Bin(_, a, b) => {
            visit_expr(a, fe);
            visit_expr(b, fe);
        }
        Expr::Select(c, a, b) => {
            visit_expr(c, fe);
            visit_expr(a, fe);
            visit_expr(b, fe);
        }
        Expr::Math(_, args) | Expr::Call(_, args) | Expr::Host(_, args) => {
            for a in args {
                visit_expr(a, fe);
            }
        }
    }
}

/// A `FUNCTION_TABLE`: a FUNCTION (of `args` ≤ 2 arguments) that looks
/// its value up in a table HOC gives with `table_<name>_<suffix>(...)`.
///
/// The runtime keeps the table after the declared globals and describes
/// it in the header of `1 + 4 * args` globals at element offset `header`:
/// the element offset of the values (0: not given yet, the function
/// returns NaN), then per argument the number of grid points, the
/// smallest and largest argument (a grid of evenly spaced points) and the
/// element offset of the grid's points (0 for the evenly spaced grid).
/// Values are in row order; each grid's points follow them.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionTableDecl {
    /// the NMODL name (`tabninf`)
    pub name: String,
    /// its index in [`MechIr::functions`]
    pub function: usize,
    /// number of arguments (1 or 2)
    pub args: usize,
    /// element offset of its header in the globals
    pub header: usize,
    /// a per-instance kernel calls it (directly or through functions):
    /// the runtime must have the table before running them
    pub used: bool,
}

/// A lowered mechanism.
#[derive(Debug, Clone, PartialEq)]
pub struct MechIr {
    /// SUFFIX / POINT_PROCESS / ARTIFICIAL_CELL name
    pub name: String,
    /// density, point or artificial
    pub kind: MechKind,
    /// per-instance variables, in slot order
    pub slots: Vec<SlotDecl>,
    /// per-mechanism variables, in order (element offsets are the running sum
    /// of sizes)
    pub globals: Vec<GlobalDecl>,
    /// ions, in the order of `Var::Ion` indices
    pub ions: Vec<IonDecl>,
    /// POINTER variables, in the order of `Var::Pointer` indices
    pub pointers: Vec<PointerDecl>,
    /// RANDOM variables (per-instance Random123 streams), in the order of
    /// the random services' first argument
    pub randoms: Vec<String>,
    /// FUNCTIONs and PROCEDUREs, in the order of `Expr::Call` indices
    pub functions: Vec<Function>,
    /// FUNCTION_TABLEs (their functions are in `functions`)
    pub function_tables: Vec<FunctionTableDecl>,
    /// the hooks
    pub kernels: Kernels,
    /// number of NET_RECEIVE arguments (the NetCon weight vector's length)
    pub weights: usize,
    /// the mechanism's current is an ELECTRODE_CURRENT (point processes that
    /// inject current, like IClamp)
    pub electrode_current: bool,
    /// no kernel except `table` writes a Global or through a Pointer
    /// (instances may then run on several threads at once)
    pub thread_safe: bool,
}

impl MechIr {
    /// The first element of slot declaration `k`.
    pub fn slot_offset(&self, k: usize) -> usize {
        self.slots[..k].iter().map(|s| s.size).sum()
    }

    /// The first element of global declaration `k`.
    pub fn global_offset(&self, k: usize) -> usize {
        self.globals[..k].iter().map(|g| g.size).sum()
    }

    /// The elements of the slot declaration starting at element `base`
    /// (all the instance's elements when none starts there).
    pub fn slot_array(&self, base: usize) -> std::ops::Range<usize> {
        array_at(self.slots.iter().map(|s| s.size), base)
    }

    /// The elements of the GLOBAL declaration starting at element `base`
    /// (all the GLOBAL elements when none starts there).
    pub fn global_array(&self, base: usize) -> std::ops::Range<usize> {
        array_at(self.globals.iter().map(|g| g.size), base)
    }

    /// Number of f64 per instance.
    pub fn slot_count(&self) -> usize {
        self.slots.iter().map(|s| s.size).sum()
    }

    /// Number of f64 of type-wide storage.
    pub fn global_count(&self) -> usize {
        self.globals.iter().map(|g| g.size).sum()
    }
}

/// The declaration (of consecutive `sizes`) starting at element `base`, or
/// every element.
fn array_at(sizes: impl Iterator<Item = usize>, base: usize) -> std::ops::Range<usize> {
    let mut start = 0;
    let mut total = 0;
    let mut found = None;
    for size in sizes {
        if start == base && size > 0 && found.is_none() {
            found = Some(base..base + size);
        }
        start += size;
        total += size;
    }
    found.unwrap_or(0..total)
}
