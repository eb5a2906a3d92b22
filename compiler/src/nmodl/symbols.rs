//! The NMODL symbol table: every name a `.mod` file declares, with its kind,
//! where it was declared and how NEURON stores it (RANGE, GLOBAL, ...), plus
//! the scopes of LOCALs and arguments. Built once from the syntax tree; the
//! semantic checks ([`super::check`]) and the lowering passes read it.
//!
//! Storage follows nocmodl (`nocpout.cpp`, `parsact.cpp`): a PARAMETER is
//! GLOBAL unless named in RANGE; a STATE is always RANGE; an ASSIGNED is
//! per instance, visible from HOC only when named RANGE (or GLOBAL); the
//! implicit `m0` companion of each STATE `m` is a file-static PARAMETER
//! (default 0) unless the file declares `m0` itself.

use super::ast::*;
use super::check::Diagnostic;
use std::collections::HashMap;
use Storage as St;
use SymbolKind as K;

/// What a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// The mechanism's own name (SUFFIX, POINT_PROCESS, ARTIFICIAL_CELL).
    Mechanism(SuffixKind),
    /// `PARAMETER`
    Parameter,
    /// `CONSTANT`
    Constant,
    /// `ASSIGNED`
    Assigned,
    /// `STATE`
    State,
    /// `m0`: the initial value NEURON creates for STATE `m`.
    StateInit,
    /// `INDEPENDENT` (always `t` in NEURON).
    Independent,
    /// A named constant of the UNITS block (`FARADAY`, `R`, `PI`).
    UnitConstant,
    /// `DEFINE NAME 3`
    Define,
    /// `LOCAL` (in a block, or at top level).
    Local,
    /// A FUNCTION or PROCEDURE argument.
    Argument,
    /// A `NET_RECEIVE` or `FOR_NETCONS` argument (one per NetCon weight).
    NetReceiveArg,
    /// The variable of `FROM i = ...` or `COMPARTMENT i, ...` when not
    /// declared otherwise (nocmodl declares it implicitly).
    LoopVar,
    /// A name in `EXTERNAL` with no other declaration: a variable of
    /// another mechanism or of NEURON.
    External,
    /// A `RANDOM` stream variable (declared by the NEURON block itself).
    Random,
    /// A NEURON variable used without declaration (`v`, `t`, `dt`, ...).
    Builtin,
    /// `FUNCTION`
    Function,
    /// `PROCEDURE`
    Procedure,
    /// `FUNCTION_TABLE`
    FunctionTable,
    /// A named block a `SOLVE` can name.
    Block(BlockKind),
}

impl SymbolKind {
    /// Whether the name stands for a value (not a callable or a block).
    pub fn is_variable(self) -> bool {
        !matches!(
            self,
            SymbolKind::Mechanism(_)
                | SymbolKind::Function
                | SymbolKind::Procedure
                | SymbolKind::FunctionTable
                | SymbolKind::Block(_)
        )
    }

    /// The word used for this kind in messages and dumps.
    pub fn word(self) -> &'static str {
        match self {
            SymbolKind::Mechanism(SuffixKind::Suffix) => "SUFFIX",
            SymbolKind::Mechanism(SuffixKind::PointProcess) => "POINT_PROCESS",
            SymbolKind::Mechanism(SuffixKind::ArtificialCell) => "ARTIFICIAL_CELL",
            SymbolKind::Parameter => "PARAMETER",
            SymbolKind::Constant => "CONSTANT",
            SymbolKind::Assigned => "ASSIGNED",
            SymbolKind::State => "STATE",
            SymbolKind::StateInit => "STATE-INIT",
            SymbolKind::Independent => "INDEPENDENT",
            SymbolKind::UnitConstant => "UNITS",
            SymbolKind::Define => "DEFINE",
            SymbolKind::Local => "LOCAL",
            SymbolKind::Argument => "ARGUMENT",
            SymbolKind::NetReceiveArg => "NET_RECEIVE-ARG",
            SymbolKind::LoopVar => "LOOP-VAR",
            SymbolKind::External => "EXTERNAL",
            SymbolKind::Random => "RANDOM",
            SymbolKind::Builtin => "BUILTIN",
            SymbolKind::Function => "FUNCTION",
            SymbolKind::Procedure => "PROCEDURE",
            SymbolKind::FunctionTable => "FUNCTION_TABLE",
            SymbolKind::Block(b) => b.word(),
        }
    }
}

/// The kinds of named block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `DERIVATIVE`
    Derivative,
    /// `KINETIC`
    Kinetic,
    /// `LINEAR`
    Linear,
    /// `NONLINEAR`
    Nonlinear,
    /// `DISCRETE`
    Discrete,
}

impl BlockKind {
    /// The keyword.
    pub fn word(self) -> &'static str {
        match self {
            BlockKind::Derivative => "DERIVATIVE",
            BlockKind::Kinetic => "KINETIC",
            BlockKind::Linear => "LINEAR",
            BlockKind::Nonlinear => "NONLINEAR",
            BlockKind::Discrete => "DISCRETE",
        }
    }
}

/// Where a variable's value lives and whether HOC sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// One value per instance, visible from HOC as `name_suffix`.
    Range,
    /// One value per mechanism, visible from HOC as `name_suffix`.
    Global,
    /// One value per instance, hidden from HOC (an ASSIGNED not in RANGE).
    Instance,
    /// One value per mechanism, hidden from HOC (CONSTANT, implicit `m0`,
    /// top-level LOCAL, UNITS constants, DEFINE).
    Static,
    /// A `POINTER` to a variable elsewhere, set from HOC.
    Pointer,
    /// A `BBCOREPOINTER` (opaque data for CoreNEURON).
    BbcorePointer,
    /// `EXTERNAL`: another mechanism's variable.
    External,
    /// `RANDOM`: a Random123 stream.
    Random,
    /// Owned by NEURON (`v`, `t`, `dt`, `celsius`, `diam`, `area`, ...).
    Neuron,
    /// A LOCAL, argument or loop variable of one block.
    Local,
    /// Not a variable (a function, block or the mechanism name).
    None,
}

impl Storage {
    /// The word used in dumps.
    pub fn word(self) -> &'static str {
        match self {
            Storage::Range => "range",
            Storage::Global => "global",
            Storage::Instance => "instance",
            Storage::Static => "static",
            Storage::Pointer => "pointer",
            Storage::BbcorePointer => "bbcorepointer",
            Storage::External => "external",
            Storage::Random => "random",
            Storage::Neuron => "neuron",
            Storage::Local => "local",
            Storage::None => "-",
        }
    }
}

/// How a mechanism uses an ion variable (from `USEION`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IonUse {
    /// The ion (`na`, `ca`, ...).
    pub ion: String,
    /// Named after READ.
    pub read: bool,
    /// Named after WRITE.
    pub write: bool,
}

/// A declared name.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    /// The name.
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// Where it was declared (empty at 0 for names NEURON supplies).
    pub span: Span,
    /// Where its value lives.
    pub storage: Storage,
    /// Array length, when declared with `[n]` (a DEFINE resolved).
    pub dim: Option<usize>,
    /// Units as written, without parentheses.
    pub unit: Option<String>,
    /// Default (PARAMETER), value (CONSTANT, DEFINE, UNITS) or START value.
    pub value: Option<f64>,
    /// `<low, high>` of a PARAMETER, `FROM low TO high` of a STATE.
    pub limits: Option<(f64, f64)>,
    /// Number of arguments of a FUNCTION, PROCEDURE or FUNCTION_TABLE.
    pub arity: Option<usize>,
    /// Its role in USEION statements, if any.
    pub ion: Option<IonUse>,
    /// Named in NONSPECIFIC_CURRENT or ELECTRODE_CURRENT.
    pub current: Option<NameListKind>,
}

impl Symbol {
    fn at(id: &Ident, kind: SymbolKind, storage: Storage) -> Symbol {
        Symbol::new(&id.name, kind, id.span, storage)
    }

    fn new(name: &str, kind: SymbolKind, span: Span, storage: Storage) -> Symbol {
        Symbol {
            name: name.to_string(),
            kind,
            span,
            storage,
            dim: None,
            unit: None,
            value: None,
            limits: None,
            arity: None,
            ion: None,
            current: None,
        }
    }
}

/// The names of one block: a FUNCTION's arguments and LOCALs, a nested
/// block's LOCALs, NET_RECEIVE's arguments, ...
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// The `{ ... }` the names belong to.
    pub span: Span,
    /// The names, in declaration order.
    pub symbols: Vec<Symbol>,
}

/// The mechanism's name and kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Mechanism {
    /// SUFFIX, POINT_PROCESS or ARTIFICIAL_CELL.
    pub kind: SuffixKind,
    /// The name (`hh`, `IClamp`).
    pub name: Ident,
}

/// Every name of a `.mod` file.
#[derive(Debug, Clone, Default)]
pub struct SymbolTable {
    /// The mechanism, when the NEURON block names it.
    pub mechanism: Option<Mechanism>,
    symbols: Vec<Symbol>,
    index: HashMap<String, usize>,
    scopes: Vec<Scope>,
    /// Problems worth a warning that do not stop compilation.
    pub warnings: Vec<Diagnostic>,
}

impl SymbolTable {
    /// The file-level symbol of a name.
    pub fn get(&self, name: &str) -> Option<&Symbol> {
        self.index.get(name).map(|&i| &self.symbols[i])
    }

    /// File-level symbols in declaration order.
    pub fn symbols(&self) -> &[Symbol] {
        &self.symbols
    }

    /// The scope of a block, if it declares names.
    pub fn scope(&self, block: Span) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.span == block)
    }

    /// All block scopes, in source order.
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// The STATEs, in declaration order.
    pub fn states(&self) -> impl Iterator<Item = &Symbol> {
        self.symbols.iter().filter(|s| s.kind == SymbolKind::State)
    }

    fn insert(&mut self, sym: Symbol) -> usize {
        let i = self.symbols.len();
        self.index.insert(sym.name.clone(), i);
        self.symbols.push(sym);
        i
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Symbol> {
        self.index.get(name).map(|&i| &mut self.symbols[i])
    }
}

/// NEURON variables a `.mod` file may use without declaring them; nocmodl
/// and the C compiler accept each (checked with NEURON 9.0.2).
pub const BUILTIN_VARIABLES: &[&str] = &["v", "t", "dt", "celsius", "diam", "area", "secondorder"];

/// Names of NEURON's own variables (whether declared or not).
fn is_neuron_variable(name: &str) -> bool {
    BUILTIN_VARIABLES.contains(&name)
}

/// Collects every declaration of `program`. Errors: a name declared twice,
/// a name both variable and function, GLOBAL of a STATE, GLOBAL or POINTER
/// of an undeclared name, an ion variable or current with no declaration.
pub fn build(program: &Program) -> Result<SymbolTable, Vec<Diagnostic>> {
    let mut b = Builder::default();
    b.declarations(program);
    b.neuron_block(program);
    b.implicit();
    b.bodies(program);
    if b.errors.is_empty() {
        Ok(b.table)
    } else {
        Err(b.errors)
    }
}

#[derive(Default)]
struct Builder {
    table: SymbolTable,
    errors: Vec<Diagnostic>,
    defines: HashMap<String, f64>,
}

fn unit_text(u: &Option<Unit>) -> Option<String> {
    u.as_ref().map(|u| u.text.clone())
}

impl Builder {
    fn error(&mut self, span: Span, message: String) {
        self.errors.push(Diagnostic::error(span, message));
    }

    fn dim(&mut self, d: &Option<Dim>) -> Option<usize> {
        match d {
            None => None,
            Some(Dim::Num(n)) => Some(n.value.max(0.0) as usize),
            Some(Dim::Name(id)) => match self.defines.get(&id.name) {
                Some(v) => Some(v.max(0.0) as usize),
                None => {
                    self.error(
                        id.span,
                        format!("{} is used as a size but not DEFINEd", id.name),
                    );
                    None
                }
            },
        }
    }

    /// Declares a file-level name, reporting a clash with an earlier one.
    fn declare(&mut self, sym: Symbol) {
        if let Some(old) = self.table.get(&sym.name) {
            let (ow, nw) = (old.kind.word(), sym.kind.word());
            let msg = if old.kind.is_variable() != sym.kind.is_variable() {
                format!("{} is declared both as {ow} and as {nw}", sym.name)
            } else if old.kind == sym.kind {
                format!("{} is declared twice in {nw}", sym.name)
            } else {
                format!("{} is declared both in {ow} and in {nw}", sym.name)
            };
            self.error(sym.span, msg);
            return;
        }
        self.table.insert(sym);
    }

    fn var(&mut self, kind: SymbolKind, storage: Storage, d: &VarDecl) {
        let mut s = Symbol::at(&d.name, kind, storage);
        s.dim = self.dim(&d.dim);
        s.unit = unit_text(&d.unit);
        s.value = d.start.as_ref().map(|n| n.value);
        s.limits = d.range.as_ref().map(|l| (l.low.value, l.high.value));
        self.declare(s);
    }

    /// Pass 1: the declaration blocks, callables and named blocks.
    fn declarations(&mut self, program: &Program) {
        for item in &program.items {
            if let ItemKind::Define { name, value } = &item.kind {
                self.defines.insert(name.name.clone(), value.value);
            }
        }
        for item in &program.items {
            match &item.kind {
                ItemKind::Define { name, value } => {
                    let mut s = Symbol::at(name, K::Define, St::Static);
                    s.value = Some(value.value);
                    self.declare(s);
                }
                ItemKind::Units(defs) => {
                    for d in defs {
                        let (name, unit) = match &d.kind {
                            UnitDefKind::Alias { .. } => continue,
                            UnitDefKind::Value { name, unit, .. } => {
                                (name, Some(unit.text.clone()))
                            }
                            UnitDefKind::Factor { name, to, .. } => (name, Some(to.text.clone())),
                        };
                        let mut s = Symbol::at(name, K::UnitConstant, St::Static);
                        s.unit = unit;
                        if let UnitDefKind::Value { value, .. } = &d.kind {
                            s.value = Some(value.value);
                        }
                        self.declare(s);
                    }
                }
                ItemKind::Local(vars) => {
                    for v in vars {
                        let mut s = Symbol::at(&v.name, K::Local, St::Static);
                        s.dim = self.dim(&v.dim);
                        self.declare(s);
                    }
                }
                ItemKind::Parameter(decls) => {
                    for d in decls {
                        let mut s = Symbol::at(&d.name, K::Parameter, St::Global);
                        s.dim = self.dim(&d.dim);
                        s.unit = unit_text(&d.unit);
                        s.value = d.value.as_ref().map(|n| n.value);
                        s.limits = d.limits.as_ref().map(|l| (l.low.value, l.high.value));
                        self.declare(s);
                    }
                }
                ItemKind::Constant(decls) => {
                    for d in decls {
                        let mut s = Symbol::at(&d.name, K::Constant, St::Static);
                        s.unit = unit_text(&d.unit);
                        s.value = Some(d.value.value);
                        self.declare(s);
                    }
                }
                ItemKind::Assigned(decls) => {
                    for d in decls {
                        self.var(K::Assigned, St::Instance, d);
                    }
                }
                ItemKind::State(decls) => {
                    for d in decls {
                        self.var(K::State, St::Range, d);
                    }
                }
                ItemKind::Independent(decls) => {
                    for d in decls {
                        let mut s = Symbol::at(&d.name, K::Independent, St::Neuron);
                        s.unit = unit_text(&d.unit);
                        s.limits = Some((d.range.low.value, d.range.high.value));
                        self.declare(s);
                    }
                }
                ItemKind::Function(c) | ItemKind::Procedure(c) => {
                    let kind = if matches!(item.kind, ItemKind::Function(_)) {
                        K::Function
                    } else {
                        K::Procedure
                    };
                    let mut s = Symbol::at(&c.name, kind, St::None);
                    s.arity = Some(c.params.len());
                    s.unit = unit_text(&c.unit);
                    self.declare(s);
                }
                ItemKind::FunctionTable { name, params, unit } => {
                    let mut s = Symbol::at(name, K::FunctionTable, St::None);
                    s.arity = Some(params.len());
                    s.unit = unit_text(unit);
                    self.declare(s);
                }
                ItemKind::Derivative(b) => self.block(BlockKind::Derivative, b),
                ItemKind::Kinetic(b) => self.block(BlockKind::Kinetic, b),
                ItemKind::Linear(b) => self.block(BlockKind::Linear, b),
                ItemKind::Nonlinear(b) => self.block(BlockKind::Nonlinear, b),
                ItemKind::Discrete(b) => self.block(BlockKind::Discrete, b),
                _ => {}
            }
        }
    }

    fn block(&mut self, kind: BlockKind, b: &NamedBlock) {
        self.declare(Symbol::at(&b.name, K::Block(kind), St::None));
    }

    /// Pass 2: the NEURON block's qualifiers, ions and currents.
    fn neuron_block(&mut self, program: &Program) {
        let stmts = program.items.iter().filter_map(|i| match &i.kind {
            ItemKind::Neuron(s) => Some(s),
            _ => None,
        });
        for stmt in stmts.flatten() {
            match &stmt.kind {
                NeuronStmtKind::Suffix(kind, name) => {
                    if let Some(m) = &self.table.mechanism {
                        let msg = format!("the mechanism is already named {}", m.name.name);
                        self.error(name.span, msg);
                    } else {
                        self.table.mechanism = Some(Mechanism {
                            kind: *kind,
                            name: name.clone(),
                        });
                    }
                }
                NeuronStmtKind::UseIon(u) => {
                    for (id, write) in u
                        .read
                        .iter()
                        .map(|i| (i, false))
                        .chain(u.write.iter().map(|i| (i, true)))
                    {
                        self.ion_variable(&u.ion.name, id, write);
                    }
                }
                NeuronStmtKind::List(kind, names) => {
                    for id in names {
                        self.qualify(*kind, id);
                    }
                }
                _ => {}
            }
        }
    }

    fn ion_variable(&mut self, ion: &str, id: &Ident, write: bool) {
        let Some(s) = self.table.get_mut(&id.name) else {
            self.error(
                id.span,
                format!(
                    "{} is named in USEION {ion} but not declared: declare it in ASSIGNED",
                    id.name
                ),
            );
            return;
        };
        let entry = s.ion.get_or_insert(IonUse {
            ion: ion.to_string(),
            read: false,
            write: false,
        });
        if write {
            entry.write = true;
        } else {
            entry.read = true;
        }
        let kind = s.kind;
        if kind == K::Parameter {
            let what = if write { "written" } else { "read" };
            let msg = format!(
                "{} is a PARAMETER but is {what} through USEION {ion}: its default is ignored and NEURON sets it",
                id.name
            );
            self.table.warnings.push(Diagnostic::warning(id.span, msg));
        }
    }

    fn qualify(&mut self, kind: NameListKind, id: &Ident) {
        let name = id.name.as_str();
        if matches!(kind, NameListKind::Range | NameListKind::Global)
            && matches!(name, "diam" | "area")
        {
            self.error(
                id.span,
                format!("{name} cannot be a RANGE or GLOBAL variable: it belongs to NEURON"),
            );
            return;
        }
        if self.table.get(name).is_none() {
            self.state_init(name);
        }
        let Some(s) = self.table.get_mut(name) else {
            match kind {
                NameListKind::External => {
                    self.table
                        .insert(Symbol::new(name, K::External, id.span, St::External));
                }
                NameListKind::Random => {
                    self.table
                        .insert(Symbol::new(name, K::Random, id.span, St::Random));
                }
                NameListKind::Range => {
                    let msg =
                        format!("RANGE names {name}, which is not declared (NEURON ignores it)");
                    self.table.warnings.push(Diagnostic::warning(id.span, msg));
                }
                NameListKind::Nonspecific | NameListKind::ElectrodeCurrent => {
                    self.error(
                        id.span,
                        format!("the current {name} is not declared: declare it in ASSIGNED"),
                    );
                }
                _ => {
                    let word = list_word(kind);
                    self.error(
                        id.span,
                        format!("{word} names {name}, which is not declared"),
                    );
                }
            }
            return;
        };
        if kind == NameListKind::Random {
            self.error(
                id.span,
                format!("{name} is already declared and cannot be redeclared as RANDOM"),
            );
            return;
        }
        if !s.kind.is_variable() {
            let msg = format!(
                "{} names {name}, which is a {}, not a variable",
                list_word(kind),
                s.kind.word()
            );
            self.error(id.span, msg);
            return;
        }
        match kind {
            NameListKind::Range => {
                if s.storage != St::Neuron {
                    s.storage = St::Range;
                }
            }
            NameListKind::Global => {
                if s.kind == K::State {
                    self.error(
                        id.span,
                        format!("{name} is a STATE and so cannot be GLOBAL"),
                    );
                } else {
                    s.storage = St::Global;
                }
            }
            NameListKind::Pointer => s.storage = St::Pointer,
            NameListKind::BbcorePointer => s.storage = St::BbcorePointer,
            NameListKind::External => s.storage = St::External,
            NameListKind::Random => s.storage = St::Random,
            NameListKind::Nonspecific | NameListKind::ElectrodeCurrent => {
                s.current = Some(kind);
                s.storage = St::Range;
            }
        }
    }

    /// Declares `m0` now when `name` is `m0` for a STATE `m` (a NEURON
    /// block may name it, as in `GLOBAL Buffer0`; pass 3 declares the rest).
    fn state_init(&mut self, name: &str) {
        let Some(stem) = name.strip_suffix('0') else {
            return;
        };
        let Some(st) = self.table.get(stem).filter(|s| s.kind == K::State) else {
            return;
        };
        let mut s = Symbol::new(name, K::StateInit, Span::new(0, 0), St::Static);
        s.unit = st.unit.clone();
        s.value = Some(0.0);
        self.table.insert(s);
    }

    /// Pass 3: what NEURON adds: `m0` for each STATE `m`, NEURON's own
    /// variables; RANGE-less PARAMETERs stay GLOBAL.
    fn implicit(&mut self) {
        let states: Vec<(String, Option<String>)> = self
            .table
            .states()
            .map(|s| (s.name.clone(), s.unit.clone()))
            .collect();
        for (name, unit) in states {
            let init = format!("{name}0");
            if self.table.get(&init).is_none() {
                let mut s = Symbol::new(&init, K::StateInit, Span::new(0, 0), St::Static);
                s.unit = unit;
                // one value for every element of a STATE array (nocmodl)
                s.value = Some(0.0);
                self.table.insert(s);
            }
        }
        for s in &mut self.table.symbols {
            // An ion's potential or concentration belongs to the ion: hidden
            // from HOC as the mechanism's even when named RANGE; its current
            // is the mechanism's (nocpout.cpp, NRNPRANGEIN/OUT).
            if let Some(ion) = &s.ion {
                if s.name != format!("i{}", ion.ion) && s.storage == St::Range {
                    s.storage = St::Instance;
                }
            }
            if is_neuron_variable(&s.name) && s.kind.is_variable() && s.kind != K::State {
                s.storage = St::Neuron;
            }
        }
    }

    /// Pass 4: the scopes of every body.
    fn bodies(&mut self, program: &Program) {
        for item in &program.items {
            match &item.kind {
                ItemKind::Function(c) | ItemKind::Procedure(c) => {
                    let mut params = Vec::new();
                    for p in &c.params {
                        if params.iter().any(|s: &Symbol| s.name == p.name.name) {
                            self.error(
                                p.name.span,
                                format!("the argument {} is named twice", p.name.name),
                            );
                            continue;
                        }
                        let mut s = Symbol::at(&p.name, K::Argument, St::Local);
                        s.unit = unit_text(&p.unit);
                        params.push(s);
                    }
                    self.body(&c.body, params, &mut Vec::new());
                }
                ItemKind::NetReceive { params, body } => {
                    let ps = self.net_args(params);
                    self.body(body, ps, &mut Vec::new());
                }
                ItemKind::Initial(b)
                | ItemKind::Breakpoint(b)
                | ItemKind::Constructor(b)
                | ItemKind::Destructor(b)
                | ItemKind::BeforeAfter { body: b, .. } => {
                    self.body(b, Vec::new(), &mut Vec::new())
                }
                ItemKind::Derivative(nb)
                | ItemKind::Kinetic(nb)
                | ItemKind::Linear(nb)
                | ItemKind::Nonlinear(nb)
                | ItemKind::Discrete(nb) => self.body(&nb.body, Vec::new(), &mut Vec::new()),
                _ => {}
            }
        }
    }

    fn net_args(&mut self, params: &[Param]) -> Vec<Symbol> {
        let mut out: Vec<Symbol> = Vec::new();
        for p in params {
            if out.iter().any(|s| s.name == p.name.name) {
                self.error(
                    p.name.span,
                    format!("the argument {} is named twice", p.name.name),
                );
                continue;
            }
            let mut s = Symbol::at(&p.name, K::NetReceiveArg, St::Local);
            s.unit = unit_text(&p.unit);
            out.push(s);
        }
        out
    }

    /// Records the scope of `block` (its LOCALs after `pre`), then its
    /// nested blocks. `outer` holds the names of the enclosing scopes.
    fn body(&mut self, block: &Block, pre: Vec<Symbol>, outer: &mut Vec<Vec<String>>) {
        let mut syms = pre;
        for stmt in &block.stmts {
            if let StmtKind::Local(vars) = &stmt.kind {
                for v in vars {
                    if syms.iter().any(|s| s.name == v.name.name) {
                        self.error(
                            v.name.span,
                            format!("{} is declared twice in this block", v.name.name),
                        );
                        continue;
                    }
                    let mut s = Symbol::at(&v.name, K::Local, St::Local);
                    s.dim = self.dim(&v.dim);
                    syms.push(s);
                }
            }
        }
        // Implicit loop variables join the innermost scope.
        let mut implicit = Vec::new();
        for stmt in &block.stmts {
            let var = match &stmt.kind {
                StmtKind::From { var, .. } => Some(var),
                StmtKind::Compartment(c) | StmtKind::LongDiffusion(c) => c.index.as_ref(),
                _ => None,
            };
            if let Some(var) = var {
                let known = syms
                    .iter()
                    .chain(&implicit)
                    .any(|s: &Symbol| s.name == var.name)
                    || outer.iter().any(|sc| sc.contains(&var.name))
                    || self
                        .table
                        .get(&var.name)
                        .is_some_and(|s| s.kind.is_variable());
                if !known {
                    implicit.push(Symbol::at(var, K::LoopVar, St::Local));
                }
            }
        }
        syms.extend(implicit);
        outer.push(syms.iter().map(|s| s.name.clone()).collect());
        if !syms.is_empty() {
            self.table.scopes.push(Scope {
                span: block.span,
                symbols: syms,
            });
        }
        for stmt in &block.stmts {
            for (b, pre) in nested(stmt) {
                let pre = match pre {
                    Some(ps) => self.net_args(ps),
                    None => Vec::new(),
                };
                self.body(b, pre, outer);
            }
        }
        outer.pop();
    }
}

fn list_word(kind: NameListKind) -> &'static str {
    match kind {
        NameListKind::Nonspecific => "NONSPECIFIC_CURRENT",
        NameListKind::ElectrodeCurrent => "ELECTRODE_CURRENT",
        NameListKind::Range => "RANGE",
        NameListKind::Global => "GLOBAL",
        NameListKind::Pointer => "POINTER",
        NameListKind::BbcorePointer => "BBCOREPOINTER",
        NameListKind::External => "EXTERNAL",
        NameListKind::Random => "RANDOM",
    }
}

/// The blocks directly inside a statement, with the arguments they declare
/// (FOR_NETCONS).
pub(crate) fn nested(stmt: &Stmt) -> Vec<(&Block, Option<&[Param]>)> {
    match &stmt.kind {
        StmtKind::If {
            then, elifs, els, ..
        } => {
            let mut v = vec![(then, None)];
            v.extend(elifs.iter().map(|(_, b)| (b, None)));
            v.extend(els.iter().map(|b| (b, None)));
            v
        }
        StmtKind::While { body, .. } | StmtKind::From { body, .. } => vec![(body, None)],
        StmtKind::ForNetcons { params, body } => vec![(body, Some(params.as_slice()))],
        StmtKind::Initial(b) | StmtKind::Block(b) => vec![(b, None)],
        _ => Vec::new(),
    }
}
