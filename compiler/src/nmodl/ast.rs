//! The NMODL syntax tree, as the grammar builds it: one node per construct
//! of the language as NEURON 9's `nocmodl` accepts it, with byte spans on
//! everything a diagnostic may point at. Names are unresolved text and
//! nothing is checked yet: later passes build symbols, check blocks and
//! units, and lower the tree to the mechanism IR.
//!
//! [`super::print`] turns a tree back into canonical NMODL text.

pub use crate::hoc::ast::Span;

/// A name with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A numeric literal as written; a `-` sign before a declared value is
/// folded in (`el = -54.3` has value -54.3 and text `-54.3`).
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The value.
    pub value: f64,
    /// The text as written (`1e-3`, `.5`, `-70`).
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

impl Number {
    /// Whether the literal is written as an integer (no `.`, no exponent).
    pub fn is_integer(&self) -> bool {
        !self.text.contains(['.', 'e', 'E'])
    }
}

/// A unit in parentheses: `(mA/cm2)`, `(/ms)`, `(k-mole)`, `(.001 coul/cm3)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The text between the parentheses, with white space runs collapsed.
    pub text: String,
    /// The span including the parentheses.
    pub span: Span,
}

/// A whole `.mod` file.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// The top-level items in source order.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// From its first keyword to its closing brace.
    pub span: Span,
}

/// The kinds of top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// `TITLE text`
    Title(String),
    /// `VERBATIM ... ENDVERBATIM` with the raw lines between.
    Verbatim(String),
    /// `INCLUDE "file"`
    Include(String),
    /// `DEFINE NAME 3`: NAME stands for the integer.
    Define {
        /// The defined name.
        name: Ident,
        /// Its integer value.
        value: Number,
    },
    /// `UNITSON` (true) or `UNITSOFF` (false).
    UnitsCheck(bool),
    /// `LOCAL a, b[3]` at top level: variables shared by the whole file.
    Local(Vec<LocalVar>),
    /// `NEURON { ... }`: the mechanism's interface to NEURON.
    Neuron(Vec<NeuronStmt>),
    /// `UNITS { ... }`
    Units(Vec<UnitDef>),
    /// `PARAMETER { ... }`
    Parameter(Vec<ParamDecl>),
    /// `CONSTANT { ... }`
    Constant(Vec<ConstDecl>),
    /// `ASSIGNED { ... }`
    Assigned(Vec<VarDecl>),
    /// `STATE { ... }`
    State(Vec<VarDecl>),
    /// `INDEPENDENT { ... }`
    Independent(Vec<IndepDecl>),
    /// `INITIAL { ... }`
    Initial(Block),
    /// `BREAKPOINT { ... }`
    Breakpoint(Block),
    /// `CONSTRUCTOR { ... }`
    Constructor(Block),
    /// `DESTRUCTOR { ... }`
    Destructor(Block),
    /// `DERIVATIVE name { ... }`
    Derivative(NamedBlock),
    /// `KINETIC name [SOLVEFOR a, b] { ... }`
    Kinetic(NamedBlock),
    /// `LINEAR name [SOLVEFOR a, b] { ... }`
    Linear(NamedBlock),
    /// `NONLINEAR name [SOLVEFOR a, b] { ... }`
    Nonlinear(NamedBlock),
    /// `DISCRETE name { ... }`
    Discrete(NamedBlock),
    /// `FUNCTION name(args) (units) { ... }`
    Function(Callable),
    /// `PROCEDURE name(args) (units) { ... }`
    Procedure(Callable),
    /// `FUNCTION_TABLE name(args) (units)`: values supplied from HOC.
    FunctionTable {
        /// The table's name.
        name: Ident,
        /// Its arguments.
        params: Vec<Param>,
        /// Units of the value.
        unit: Option<Unit>,
    },
    /// `NET_RECEIVE (w, ...) { ... }`
    NetReceive {
        /// The NetCon weight vector's elements.
        params: Vec<Param>,
        /// The body.
        body: Block,
    },
    /// `BEFORE BREAKPOINT { ... }`, `AFTER SOLVE { ... }`, ...
    BeforeAfter {
        /// BEFORE or AFTER.
        when: When,
        /// Which step of the integration.
        point: BaPoint,
        /// The body.
        body: Block,
    },
}

/// A named block: DERIVATIVE, KINETIC, LINEAR, NONLINEAR, DISCRETE.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedBlock {
    /// The block's name, used by `SOLVE`.
    pub name: Ident,
    /// `SOLVEFOR a, b` (KINETIC, LINEAR and NONLINEAR only).
    pub solvefor: Vec<Ident>,
    /// The body.
    pub body: Block,
}

/// A FUNCTION or PROCEDURE.
#[derive(Debug, Clone, PartialEq)]
pub struct Callable {
    /// Its name.
    pub name: Ident,
    /// Its parameters.
    pub params: Vec<Param>,
    /// Units of the result.
    pub unit: Option<Unit>,
    /// The body.
    pub body: Block,
}

/// A formal parameter: `v (mV)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Its name.
    pub name: Ident,
    /// Its units.
    pub unit: Option<Unit>,
}

/// BEFORE or AFTER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// `BEFORE`
    Before,
    /// `AFTER`
    After,
}

/// Where a BEFORE/AFTER block runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaPoint {
    /// `BREAKPOINT`
    Breakpoint,
    /// `SOLVE`
    Solve,
    /// `INITIAL`
    Initial,
    /// `STEP`
    Step,
}

/// The three ways a mechanism names itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuffixKind {
    /// `SUFFIX`: a density mechanism.
    Suffix,
    /// `POINT_PROCESS`
    PointProcess,
    /// `ARTIFICIAL_CELL`
    ArtificialCell,
}

/// Lists of names in the NEURON block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameListKind {
    /// `NONSPECIFIC_CURRENT`
    Nonspecific,
    /// `ELECTRODE_CURRENT`
    ElectrodeCurrent,
    /// `RANGE`
    Range,
    /// `GLOBAL`
    Global,
    /// `POINTER`
    Pointer,
    /// `BBCOREPOINTER`
    BbcorePointer,
    /// `EXTERNAL`
    External,
    /// `RANDOM`
    Random,
}

/// A statement of the NEURON block.
#[derive(Debug, Clone, PartialEq)]
pub struct NeuronStmt {
    /// What it is.
    pub kind: NeuronStmtKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of NEURON block statement.
#[derive(Debug, Clone, PartialEq)]
pub enum NeuronStmtKind {
    /// `SUFFIX hh`, `POINT_PROCESS IClamp`, `ARTIFICIAL_CELL NetStim`
    Suffix(SuffixKind, Ident),
    /// `USEION k READ ek WRITE ik VALENCE 1 REPRESENTS CHEBI:29103`
    UseIon(UseIon),
    /// `RANGE a, b` and the other name lists.
    List(NameListKind, Vec<Ident>),
    /// `THREADSAFE`
    Threadsafe,
    /// `REPRESENTS NCIT:C17145`: what the mechanism models.
    Represents(String),
}

/// `USEION` with its lists.
#[derive(Debug, Clone, PartialEq)]
pub struct UseIon {
    /// The ion (`na`, `k`, `ca`, ...).
    pub ion: Ident,
    /// Variables read (`ena`, `cai`, ...).
    pub read: Vec<Ident>,
    /// Variables written (`ina`, `cai`, ...).
    pub write: Vec<Ident>,
    /// The charge, when given.
    pub valence: Option<Number>,
    /// An ontology id, when given.
    pub represents: Option<String>,
}

/// A definition in the UNITS block.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitDef {
    /// What it defines.
    pub kind: UnitDefKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of UNITS definition.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitDefKind {
    /// `(mV) = (millivolt)`: a new unit name.
    Alias {
        /// The new unit.
        name: Unit,
        /// What it means.
        meaning: Unit,
    },
    /// `FARADAY = 96485.309 (coul)`: a named constant with units.
    Value {
        /// The constant.
        name: Ident,
        /// Its value.
        value: Number,
        /// Its units.
        unit: Unit,
    },
    /// `FARADAY = (faraday) (coulomb)` or `x = (foot) -> (inch)`: a constant
    /// that is a unit expressed in other units.
    Factor {
        /// The constant.
        name: Ident,
        /// The unit whose size it is.
        from: Unit,
        /// The units it is expressed in.
        to: Unit,
        /// Written with `->`.
        arrow: bool,
    },
}

/// `<low, high>` after a PARAMETER.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// The lower limit.
    pub low: Number,
    /// The upper limit.
    pub high: Number,
}

/// A PARAMETER: `gbar = 0.12 (S/cm2) <0, 1e9>`, `x (mV)`, `a[3] (ms)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDecl {
    /// Its name.
    pub name: Ident,
    /// The array size, for `a[3]`.
    pub dim: Option<Dim>,
    /// Its default value.
    pub value: Option<Number>,
    /// Its units.
    pub unit: Option<Unit>,
    /// Its limits.
    pub limits: Option<Limits>,
    /// Where it was written.
    pub span: Span,
}

/// An array size: an integer or a `DEFINE`d name.
#[derive(Debug, Clone, PartialEq)]
pub enum Dim {
    /// `[3]`
    Num(Number),
    /// `[NANN]`
    Name(Ident),
}

/// A CONSTANT: `twopi = 6.283185307179586`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstDecl {
    /// Its name.
    pub name: Ident,
    /// Its value.
    pub value: Number,
    /// Its units.
    pub unit: Option<Unit>,
    /// Where it was written.
    pub span: Span,
}

/// An ASSIGNED or STATE variable: `m`, `cai (mM) <1e-6>`,
/// `x[3] FROM 0 TO 1 START 0.5 (mM)`.
#[derive(Debug, Clone, PartialEq)]
pub struct VarDecl {
    /// Its name.
    pub name: Ident,
    /// The array size, for `x[3]`.
    pub dim: Option<Dim>,
    /// `FROM low TO high`.
    pub range: Option<Limits>,
    /// `START value`.
    pub start: Option<Number>,
    /// Its units.
    pub unit: Option<Unit>,
    /// `<abstol>` for CVODE.
    pub abstol: Option<Number>,
    /// Where it was written.
    pub span: Span,
}

/// An INDEPENDENT variable: `t FROM 0 TO 1 WITH 1 (ms)`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndepDecl {
    /// Written after `SWEEP`.
    pub sweep: bool,
    /// Its name.
    pub name: Ident,
    /// `FROM low TO high`.
    pub range: Limits,
    /// `WITH n`.
    pub with: Number,
    /// `START value`.
    pub start: Option<Number>,
    /// Its units.
    pub unit: Option<Unit>,
    /// Where it was written.
    pub span: Span,
}

/// A `LOCAL` variable: `a` or `a[3]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalVar {
    /// Its name.
    pub name: Ident,
    /// The array size.
    pub dim: Option<Dim>,
}

/// `{ statements }`
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The statements.
    pub stmts: Vec<Stmt>,
    /// From `{` to `}`.
    pub span: Span,
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    /// What it is.
    pub kind: StmtKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of statement.
#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `LOCAL a, b`
    Local(Vec<LocalVar>),
    /// `x = e`, `m' = e`, `x[i] = e`; `PROTECT x = e` when `protect`.
    Assign {
        /// A name, an indexed name or a derivative.
        target: Expr,
        /// The value.
        value: Expr,
        /// Written after `PROTECT` (atomic update under threads).
        protect: bool,
    },
    /// A function call as a statement: `rates(v)`, `net_send(0, 1)`.
    Call(Expr),
    /// `~ lhs = rhs` in LINEAR, NONLINEAR or DERIVATIVE blocks; `~+` when `add`.
    Equation {
        /// Left side.
        lhs: Expr,
        /// Right side.
        rhs: Expr,
        /// Written `~+` (equation addition).
        add: bool,
    },
    /// A reaction in a KINETIC block.
    Reaction(Reaction),
    /// `CONSERVE A + B = total`
    Conserve {
        /// The conserved sum.
        species: Vec<Reactant>,
        /// Its value.
        total: Expr,
    },
    /// `COMPARTMENT [i,] volume { species }`
    Compartment(Compartment),
    /// `LONGITUDINAL_DIFFUSION [i,] rate { species }`
    LongDiffusion(Compartment),
    /// `if (c) { } else if (c) { } else { }`
    If {
        /// The condition.
        cond: Expr,
        /// Run when it holds.
        then: Block,
        /// `else if` arms, in order.
        elifs: Vec<(Expr, Block)>,
        /// The final `else`.
        els: Option<Block>,
    },
    /// `while (c) { }`
    While {
        /// The condition.
        cond: Expr,
        /// The body.
        body: Block,
    },
    /// `FROM i = a TO b [BY c] { }`: an integer loop.
    From {
        /// The loop variable.
        var: Ident,
        /// First value.
        from: Expr,
        /// Last value (inclusive).
        to: Expr,
        /// Step.
        by: Option<Expr>,
        /// The body.
        body: Block,
    },
    /// `SOLVE block [METHOD m | STEADYSTATE m]`
    Solve {
        /// The block to integrate.
        block: Ident,
        /// The method, if given.
        method: Option<SolveMethod>,
    },
    /// `TABLE a, b DEPEND c FROM lo TO hi WITH n`
    Table(Table),
    /// `WATCH (v > thresh) 2, ...`
    Watch(Vec<Watch>),
    /// `FOR_NETCONS (w, x) { }`
    ForNetcons {
        /// Names for the NetCon weights.
        params: Vec<Param>,
        /// The body.
        body: Block,
    },
    /// `INITIAL { }` inside NET_RECEIVE.
    Initial(Block),
    /// A nested `{ }`.
    Block(Block),
    /// `VERBATIM ... ENDVERBATIM` with the raw lines between.
    Verbatim(String),
    /// `UNITSON` (true) or `UNITSOFF` (false).
    UnitsCheck(bool),
    /// `MUTEXLOCK`
    MutexLock,
    /// `MUTEXUNLOCK`
    MutexUnlock,
    /// `LAG name BY tau`
    Lag {
        /// The lagged variable.
        name: Ident,
        /// The lag.
        by: Ident,
    },
    /// `CONDUCTANCE g [USEION ion]`: the conductance of a current, for CVODE.
    Conductance {
        /// The conductance variable.
        name: Ident,
        /// The ion whose current it is.
        ion: Option<Ident>,
    },
}

/// How a SOLVE integrates its block.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveMethod {
    /// `STEADYSTATE` rather than `METHOD`.
    pub steadystate: bool,
    /// `cnexp`, `derivimplicit`, `sparse`, `euler`, ...
    pub name: Ident,
}

/// A TABLE statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Tabulated variables (empty: the function's value).
    pub names: Vec<Ident>,
    /// Variables the table depends on.
    pub depend: Vec<Ident>,
    /// Lowest argument.
    pub from: Expr,
    /// Highest argument.
    pub to: Expr,
    /// Number of intervals.
    pub with: Number,
}

/// One condition of a WATCH statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    /// The condition, a `>` or `<` comparison.
    pub cond: Expr,
    /// The flag delivered to NET_RECEIVE: a number or a `DEFINE`d name.
    pub flag: Expr,
}

/// One side of a reaction: `2 A + B`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reactant {
    /// The stoichiometric coefficient, when written.
    pub coef: Option<Number>,
    /// The species: a name or an indexed name.
    pub species: Expr,
}

/// A KINETIC reaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Reaction {
    /// `~ A + B <-> C (kf, kb)`
    Reversible {
        /// Left side.
        lhs: Vec<Reactant>,
        /// Right side.
        rhs: Vec<Reactant>,
        /// Forward rate.
        kf: Expr,
        /// Backward rate.
        kb: Expr,
    },
    /// `~ A << (flux)`: a flux into the species.
    Influx {
        /// The species.
        lhs: Vec<Reactant>,
        /// The flux.
        flux: Expr,
    },
    /// `~ A -> (rate)`: first-order removal.
    Outflux {
        /// The species.
        lhs: Vec<Reactant>,
        /// The rate.
        rate: Expr,
    },
}

/// The body of COMPARTMENT and LONGITUDINAL_DIFFUSION.
#[derive(Debug, Clone, PartialEq)]
pub struct Compartment {
    /// The index variable, for arrays of species.
    pub index: Option<Ident>,
    /// The volume (or diffusion rate) expression.
    pub expr: Expr,
    /// The species it applies to.
    pub species: Vec<Ident>,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// Right associative power.
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `!x`
    Not,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number, with the units that may follow it: `1 (mV)`.
    Num {
        /// The literal.
        num: Number,
        /// Its units.
        unit: Option<Unit>,
    },
    /// A string (only as a function argument, e.g. of `printf`).
    Str(String),
    /// A variable.
    Name(Ident),
    /// A derivative `m'` (order 1) or `m''` (order 2).
    Prime {
        /// The state.
        name: Ident,
        /// How many primes.
        order: u32,
    },
    /// `x[i]`, `m'[i]`
    Index {
        /// The array.
        base: Box<Expr>,
        /// The index.
        index: Box<Expr>,
    },
    /// `f(a, b)`
    Call {
        /// The function.
        name: Ident,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `(e)`: kept, because a parenthesized number such as `(0.001)` is a
    /// unit conversion factor for the units checker.
    Paren(Box<Expr>),
    /// `-e`, `!e`
    Unary(UnOp, Box<Expr>),
    /// `a + b`, ...
    Binary(BinOp, Box<Expr>, Box<Expr>),
}
