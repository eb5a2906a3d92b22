//! Semantic checks of an NMODL file against its [`SymbolTable`]: what
//! NEURON 9.0.2's `nocmodl` (or the C compiler after it) rejects in a file
//! that parses, reported with a span and a message that names the problem.
//!
//! Which checks exist, and which are errors rather than warnings, was
//! settled by running nocmodl and nrnivmodl on small files (see
//! `check_tests.rs`). Notable: nocmodl lets any block assign a PARAMETER or
//! CONSTANT, and lets a STATE go without an equation, so neither is an
//! error here (the second is a warning). nerve also rejects VERBATIM C.

use super::ast::*;
use super::builtins::{builtin_arity, METHODS};
pub use super::diagnostic::{Diagnostic, Severity};
use super::symbols::{
    build, nested, BlockKind, Symbol, SymbolKind, SymbolTable, BUILTIN_VARIABLES,
};

/// Builds the symbol table and runs the checks: every diagnostic, errors
/// and warnings, sorted by position.
pub fn analyze(program: &Program) -> Vec<Diagnostic> {
    let mut out = match build(program) {
        Ok(table) => {
            let mut d = table.warnings.clone();
            d.extend(check(program, &table));
            d
        }
        Err(errors) => errors,
    };
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}

/// Checks `program`: undeclared names, misuse of names, block rules,
/// SOLVE methods, KINETIC species, argument counts, VERBATIM.
pub fn check(program: &Program, table: &SymbolTable) -> Vec<Diagnostic> {
    let mut c = Checker {
        table,
        scopes: Vec::new(),
        ctx: Ctx::Other,
        diags: Vec::new(),
        primed: Vec::new(),
        net_args: net_receive_args(program),
        mentioned: Vec::new(),
    };
    c.program(program);
    c.diags
}

/// Which top-level block the statements being checked belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx<'a> {
    Initial,
    Breakpoint,
    NetReceive,
    Named(BlockKind),
    Function(&'a str),
    Procedure(&'a str),
    Other,
}

struct Checker<'a> {
    table: &'a SymbolTable,
    scopes: Vec<&'a [Symbol]>,
    ctx: Ctx<'a>,
    diags: Vec<Diagnostic>,
    /// The NET_RECEIVE block's argument count, if it has one.
    net_args: Option<usize>,
    /// STATEs with an `x'` equation.
    primed: Vec<String>,
    /// Names appearing in reactions, `~` equations, CONSERVE, COMPARTMENT.
    mentioned: Vec<String>,
}

/// The VERBATIM texts nerve accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrivialVerbatim {
    /// nothing but C comments and white space (nocmodl emits nothing)
    Empty,
    /// the idiom `return 0;`
    ReturnZero,
}

/// What a VERBATIM text is, C comments and white space aside, when nerve
/// can do without C.
pub(crate) fn trivial_verbatim(text: &str) -> Option<TrivialVerbatim> {
    let mut s = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        s.push_str(&rest[..i]);
        rest = rest[i..]
            .find("*/")
            .map(|j| &rest[i + j + 2..])
            .unwrap_or("");
    }
    s.push_str(rest);
    let compact: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match compact.as_str() {
        "" => Some(TrivialVerbatim::Empty),
        "return 0;" => Some(TrivialVerbatim::ReturnZero),
        _ => None,
    }
}

impl<'a> Checker<'a> {
    fn error(&mut self, span: Span, message: String) {
        self.diags.push(Diagnostic::error(span, message));
    }

    fn verbatim(&mut self, span: Span, text: &str) {
        if trivial_verbatim(text).is_none() {
            self.error(
                Span::new(span.start, span.start + "VERBATIM".len()),
                "VERBATIM C code is not supported: rewrite it in NMODL".into(),
            );
        }
    }

    fn program(&mut self, p: &'a Program) {
        let point = matches!(
            self.table.mechanism.as_ref().map(|m| m.kind),
            Some(SuffixKind::PointProcess | SuffixKind::ArtificialCell)
        );
        let mut net_receive = false;
        for item in &p.items {
            match &item.kind {
                ItemKind::Verbatim(text) => self.verbatim(item.span, text),
                ItemKind::Neuron(stmts) => {
                    for s in stmts {
                        if let NeuronStmtKind::UseIon(u) = &s.kind {
                            if u.read.is_empty() && u.write.is_empty() {
                                let msg = format!("USEION {} needs READ or WRITE", u.ion.name);
                                self.error(s.span, msg);
                            }
                        }
                    }
                }
                ItemKind::FunctionTable { name, params, .. } if params.is_empty() => {
                    let msg = format!("FUNCTION_TABLE {} needs one or more arguments", name.name);
                    self.error(name.span, msg);
                }
                ItemKind::NetReceive { params, body } => {
                    let kw = Span::new(item.span.start, item.span.start + "NET_RECEIVE".len());
                    if net_receive {
                        self.error(kw, "only one NET_RECEIVE block is allowed".into());
                    }
                    net_receive = true;
                    if params.is_empty() {
                        self.error(kw, "NET_RECEIVE needs at least one argument".into());
                    }
                    if !point {
                        self.error(
                            kw,
                            "NET_RECEIVE is allowed only in a POINT_PROCESS or ARTIFICIAL_CELL"
                                .into(),
                        );
                    }
                    self.top(Ctx::NetReceive, body);
                }
                ItemKind::Destructor(b) => {
                    // nocmodl 9.0.2 takes it in an ARTIFICIAL_CELL too
                    if !matches!(
                        self.table.mechanism.as_ref().map(|m| m.kind),
                        Some(SuffixKind::PointProcess | SuffixKind::ArtificialCell)
                    ) {
                        let kw = Span::new(item.span.start, item.span.start + "DESTRUCTOR".len());
                        let msg =
                            "DESTRUCTOR is allowed only in a POINT_PROCESS or ARTIFICIAL_CELL";
                        self.error(kw, msg.into());
                    }
                    self.top(Ctx::Other, b);
                }
                ItemKind::Initial(b) => self.top(Ctx::Initial, b),
                ItemKind::Breakpoint(b) => self.top(Ctx::Breakpoint, b),
                ItemKind::Constructor(b) | ItemKind::BeforeAfter { body: b, .. } => {
                    self.top(Ctx::Other, b)
                }
                ItemKind::Function(c) => self.top(Ctx::Function(&c.name.name), &c.body),
                ItemKind::Procedure(c) => self.top(Ctx::Procedure(&c.name.name), &c.body),
                ItemKind::Derivative(nb) => {
                    self.top(Ctx::Named(BlockKind::Derivative), &nb.body);
                    if !has_prime(&nb.body) {
                        let msg = format!(
                            "DERIVATIVE {} has no derivative equations such as m' = ...",
                            nb.name.name
                        );
                        self.error(nb.name.span, msg);
                    }
                }
                ItemKind::Kinetic(nb) => {
                    self.solvefor(nb);
                    self.top(Ctx::Named(BlockKind::Kinetic), &nb.body);
                }
                ItemKind::Linear(nb) => {
                    self.solvefor(nb);
                    self.top(Ctx::Named(BlockKind::Linear), &nb.body);
                }
                ItemKind::Nonlinear(nb) => {
                    self.solvefor(nb);
                    self.top(Ctx::Named(BlockKind::Nonlinear), &nb.body);
                }
                ItemKind::Discrete(nb) => self.top(Ctx::Named(BlockKind::Discrete), &nb.body),
                _ => {}
            }
        }
        self.unsolved_states(p);
    }

    fn solvefor(&mut self, nb: &NamedBlock) {
        for id in &nb.solvefor {
            if self.table.get(&id.name).map(|s| s.kind) != Some(SymbolKind::State) {
                self.error(
                    id.span,
                    format!("SOLVEFOR names {}, which is not a STATE", id.name),
                );
            }
        }
    }

    /// Warns of STATEs with no equation when a DERIVATIVE block is SOLVEd:
    /// nocmodl accepts them and NEURON keeps their values constant.
    fn unsolved_states(&mut self, p: &Program) {
        let mut solved = false;
        for item in &p.items {
            if let ItemKind::Breakpoint(b) = &item.kind {
                for s in &b.stmts {
                    if let StmtKind::Solve { block, .. } = &s.kind {
                        let kind = self.table.get(&block.name).map(|s| s.kind);
                        solved |= kind == Some(SymbolKind::Block(BlockKind::Derivative));
                    }
                }
            }
        }
        if !solved {
            return;
        }
        for s in self.table.states() {
            if !self.primed.contains(&s.name) && !self.mentioned.contains(&s.name) {
                let msg = format!(
                    "STATE {} has no equation {}' = ... in the DERIVATIVE block: it stays constant",
                    s.name, s.name
                );
                self.diags.push(Diagnostic::warning(s.span, msg));
            }
        }
    }

    fn top(&mut self, ctx: Ctx<'a>, body: &'a Block) {
        self.ctx = ctx;
        self.block(body);
        self.ctx = Ctx::Other;
    }

    fn block(&mut self, b: &'a Block) {
        let pushed = match self.table.scope(b.span) {
            Some(sc) => {
                self.scopes.push(&sc.symbols);
                true
            }
            None => false,
        };
        for (i, s) in b.stmts.iter().enumerate() {
            if i > 0 {
                if let StmtKind::Local(_) = s.kind {
                    let kw = Span::new(s.span.start, s.span.start + "LOCAL".len());
                    self.error(kw, "LOCAL must be the first statement of its block".into());
                }
            }
            self.stmt(s);
        }
        if pushed {
            self.scopes.pop();
        }
    }

    /// Resolves a variable name: block scopes, then the file, then NEURON's.
    fn lookup(&self, name: &str) -> Option<SymbolKind> {
        for sc in self.scopes.iter().rev() {
            if let Some(s) = sc.iter().find(|s| s.name == name) {
                return Some(s.kind);
            }
        }
        if let Some(s) = self.table.get(name) {
            return Some(s.kind);
        }
        let builtin = BUILTIN_VARIABLES.contains(&name)
            || (name == "flag" && self.ctx == Ctx::NetReceive)
            || (matches!(name, "f_flux" | "b_flux") && self.ctx == Ctx::Named(BlockKind::Kinetic));
        builtin.then_some(SymbolKind::Builtin)
    }

    /// Checks a name used as a value (`assign` when it is written).
    fn name(&mut self, id: &Ident, assign: bool) {
        match self.lookup(&id.name) {
            None => self.error(id.span, format!("{} is not declared", id.name)),
            Some(SymbolKind::Function) if self.ctx == Ctx::Function(&id.name) => {}
            Some(k) if !k.is_variable() => {
                let msg = format!("{} is a {}, not a variable", id.name, k.word());
                self.error(id.span, msg);
            }
            Some(k @ (SymbolKind::Define | SymbolKind::UnitConstant)) if assign => {
                let msg = format!(
                    "{} is a {} constant and cannot be assigned",
                    id.name,
                    k.word()
                );
                self.error(id.span, msg);
            }
            Some(_) => {}
        }
    }

    fn call(&mut self, name: &Ident, args: &'a [Expr], span: Span) {
        let arity = match self.table.get(&name.name) {
            Some(s)
                if matches!(
                    s.kind,
                    SymbolKind::Function | SymbolKind::Procedure | SymbolKind::FunctionTable
                ) =>
            {
                s.arity
            }
            Some(s) => {
                let msg = format!("{} is a {}, not a function", name.name, s.kind.word());
                self.error(name.span, msg);
                None
            }
            None => match builtin_arity(&name.name) {
                Some(a) => a,
                None => {
                    self.error(
                        name.span,
                        format!("{} is not a declared FUNCTION or PROCEDURE", name.name),
                    );
                    None
                }
            },
        };
        if let Some(n) = arity {
            if n != args.len() {
                let plural = if n == 1 { "" } else { "s" };
                let msg = format!(
                    "{} takes {n} argument{plural} but is given {}",
                    name.name,
                    args.len()
                );
                self.error(span, msg);
            }
        }
        match name.name.as_str() {
            "net_send" if self.net_args.is_none() => self.error(
                name.span,
                "net_send needs a NET_RECEIVE block to receive it".into(),
            ),
            "net_send" if !matches!(self.ctx, Ctx::Initial | Ctx::NetReceive) => self.error(
                name.span,
                "net_send is allowed only in INITIAL and NET_RECEIVE".into(),
            ),
            "net_event" | "net_move" if self.ctx != Ctx::NetReceive => {
                let msg = format!("{} is allowed only in NET_RECEIVE", name.name);
                self.error(name.span, msg)
            }
            _ => {}
        }
        for a in args {
            self.expr(a);
        }
    }

    fn expr(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Num { .. } | ExprKind::Str(_) => {}
            ExprKind::Name(id) => self.name(id, false),
            ExprKind::Prime { name, .. } => self.prime(name),
            ExprKind::Index { base, index } => {
                self.expr(base);
                self.expr(index);
            }
            ExprKind::Call { name, args } => self.call(name, args, e.span),
            ExprKind::Paren(x) | ExprKind::Unary(_, x) => self.expr(x),
            ExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
        }
    }

    fn prime(&mut self, name: &Ident) {
        if self.lookup(&name.name) == Some(SymbolKind::State) {
            if !self.primed.contains(&name.name) {
                self.primed.push(name.name.clone());
            }
        } else {
            let msg = format!(
                "{}' is a derivative, but {} is not a STATE",
                name.name, name.name
            );
            self.error(name.span, msg);
        }
    }

    fn target(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Name(id) => self.name(id, true),
            ExprKind::Index { base, index } => {
                self.target(base);
                self.expr(index);
            }
            _ => self.expr(e),
        }
    }

    /// Records the names of an expression as mentioned by an equation.
    fn mention(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(id) => self.mentioned.push(id.name.clone()),
            ExprKind::Index { base, .. } | ExprKind::Paren(base) | ExprKind::Unary(_, base) => {
                self.mention(base)
            }
            ExprKind::Binary(_, a, b) => {
                self.mention(a);
                self.mention(b);
            }
            _ => {}
        }
    }

    fn in_kinetic(&mut self, span: Span, what: &str) -> bool {
        if self.ctx == Ctx::Named(BlockKind::Kinetic) {
            return true;
        }
        self.error(span, format!("{what} is allowed only in a KINETIC block"));
        false
    }

    /// A reaction species: a STATE, or a value held constant.
    fn species(&mut self, e: &'a Expr, conserve: bool) {
        let (id, index) = match &e.kind {
            ExprKind::Name(id) => (id, None),
            ExprKind::Index { base, index } => match &base.kind {
                ExprKind::Name(id) => (id, Some(index)),
                _ => return self.expr(e),
            },
            _ => return self.expr(e),
        };
        self.mentioned.push(id.name.clone());
        let kind = self.lookup(&id.name);
        let ok = if conserve {
            kind == Some(SymbolKind::State)
        } else {
            matches!(
                kind,
                Some(
                    SymbolKind::State
                        | SymbolKind::Assigned
                        | SymbolKind::Parameter
                        | SymbolKind::Constant
                        | SymbolKind::Independent
                )
            )
        };
        if !ok {
            let msg = if conserve {
                format!(
                    "{} is not a STATE: only STATEs may appear in CONSERVE",
                    id.name
                )
            } else {
                format!("{} in a reaction must be a STATE, ASSIGNED, PARAMETER, CONSTANT or INDEPENDENT", id.name)
            };
            self.error(id.span, msg);
        }
        if let Some(i) = index {
            self.expr(i);
        }
    }

    fn stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::Local(_)
            | StmtKind::UnitsCheck(_)
            | StmtKind::MutexLock
            | StmtKind::MutexUnlock => {}
            StmtKind::Verbatim(text) => self.verbatim(s.span, text),
            StmtKind::Assign { target, value, .. } => {
                self.target(target);
                self.expr(value);
            }
            StmtKind::Call(e) => self.expr(e),
            StmtKind::Equation { lhs, rhs, add } => {
                if !matches!(
                    self.ctx,
                    Ctx::Named(BlockKind::Linear | BlockKind::Nonlinear)
                ) {
                    let what = if *add {
                        "equation addition ~+"
                    } else {
                        "a ~ equation"
                    };
                    let msg = format!("{what} is allowed only in LINEAR and NONLINEAR blocks");
                    self.error(Span::new(s.span.start, s.span.start + 1), msg);
                }
                self.mention(lhs);
                self.mention(rhs);
                self.expr(lhs);
                self.expr(rhs);
            }
            StmtKind::Reaction(r) => {
                self.in_kinetic(Span::new(s.span.start, s.span.start + 1), "a reaction");
                let (lhs, rhs, rates): (&[Reactant], &[Reactant], Vec<&Expr>) = match r {
                    Reaction::Reversible { lhs, rhs, kf, kb } => (lhs, rhs, vec![kf, kb]),
                    Reaction::Influx { lhs, flux } => (lhs, &[], vec![flux]),
                    Reaction::Outflux { lhs, rate } => (lhs, &[], vec![rate]),
                };
                for r in lhs.iter().chain(rhs) {
                    self.species(&r.species, false);
                }
                for e in rates {
                    self.expr(e);
                }
            }
            StmtKind::Conserve { species, total } => {
                self.in_kinetic(keyword(s.span, "CONSERVE"), "CONSERVE");
                for r in species {
                    self.species(&r.species, true);
                }
                self.expr(total);
            }
            StmtKind::Compartment(c) | StmtKind::LongDiffusion(c) => {
                let word = if matches!(s.kind, StmtKind::Compartment(_)) {
                    "COMPARTMENT"
                } else {
                    "LONGITUDINAL_DIFFUSION"
                };
                self.in_kinetic(keyword(s.span, word), word);
                self.expr(&c.expr);
                for id in &c.species {
                    self.mentioned.push(id.name.clone());
                    if self.lookup(&id.name) != Some(SymbolKind::State) {
                        self.error(id.span, format!("{} in {word} must be a STATE", id.name));
                    }
                }
            }
            StmtKind::If { cond, elifs, .. } => {
                self.expr(cond);
                for (c, _) in elifs {
                    self.expr(c);
                }
            }
            StmtKind::While { cond, .. } => self.expr(cond),
            StmtKind::From {
                var, from, to, by, ..
            } => {
                self.expr(from);
                self.expr(to);
                if let Some(b) = by {
                    self.expr(b);
                }
                // The loop variable lives in the body's enclosing scope.
                self.name(var, true);
            }
            StmtKind::Solve { block, method } => self.solve(block, method.as_ref()),
            StmtKind::Table(t) => self.table_stmt(s.span, t),
            StmtKind::Watch(ws) => {
                if self.ctx != Ctx::NetReceive {
                    self.error(
                        keyword(s.span, "WATCH"),
                        "WATCH is allowed only in NET_RECEIVE".into(),
                    );
                }
                for w in ws {
                    self.expr(&w.cond);
                    self.expr(&w.flag);
                }
            }
            StmtKind::ForNetcons { params, .. } => {
                if self.ctx != Ctx::NetReceive {
                    self.error(
                        keyword(s.span, "FOR_NETCONS"),
                        "FOR_NETCONS is allowed only in NET_RECEIVE".into(),
                    );
                }
                if self.net_args.is_some_and(|n| n != params.len()) {
                    let msg = "FOR_NETCONS must have as many arguments as NET_RECEIVE";
                    self.error(keyword(s.span, "FOR_NETCONS"), msg.into());
                }
            }
            StmtKind::Initial(_) => {
                if self.ctx != Ctx::NetReceive {
                    self.error(
                        keyword(s.span, "INITIAL"),
                        "a nested INITIAL block is allowed only in NET_RECEIVE".into(),
                    );
                }
            }
            StmtKind::Block(_) => {}
            StmtKind::Lag { name, by } => {
                if !matches!(
                    self.lookup(&name.name),
                    Some(SymbolKind::State | SymbolKind::Assigned)
                ) {
                    self.error(
                        name.span,
                        format!(
                            "LAG needs a STATE or ASSIGNED, and {} is not one",
                            name.name
                        ),
                    );
                }
                if !matches!(
                    self.lookup(&by.name),
                    Some(SymbolKind::Parameter | SymbolKind::Constant)
                ) {
                    self.error(
                        by.span,
                        format!("the lag {} must be a PARAMETER or CONSTANT", by.name),
                    );
                }
            }
            StmtKind::Conductance { name, ion } => {
                if self.ctx != Ctx::Breakpoint {
                    self.error(
                        keyword(s.span, "CONDUCTANCE"),
                        "CONDUCTANCE is allowed only in BREAKPOINT".into(),
                    );
                }
                self.name(name, false);
                if let Some(ion) = ion {
                    if !self
                        .table
                        .symbols()
                        .iter()
                        .any(|s| s.ion.as_ref().is_some_and(|i| i.ion == ion.name))
                    {
                        self.error(
                            ion.span,
                            format!("{} is not an ion of a USEION statement", ion.name),
                        );
                    }
                }
            }
        }
        for (b, _) in nested(s) {
            self.block(b);
        }
    }

    fn solve(&mut self, block: &Ident, method: Option<&SolveMethod>) {
        let kind = self.table.get(&block.name).map(|s| s.kind);
        let bk = match kind {
            Some(SymbolKind::Block(bk)) => bk,
            Some(SymbolKind::Procedure) => {
                // the CVODE-related methods are accepted on a PROCEDURE;
                // with a fixed step it runs each step like a plain SOLVE
                let cvode = ["after_cvode", "cvode_t", "cvode_t_v"];
                if let Some(m) = method.filter(|m| !cvode.contains(&m.name.name.as_str())) {
                    let msg = format!("SOLVE of the PROCEDURE {} takes no METHOD", block.name);
                    self.error(m.name.span, msg);
                }
                return;
            }
            _ => {
                let msg = format!(
                    "SOLVE names {}, which is not a DERIVATIVE, KINETIC, LINEAR, NONLINEAR or DISCRETE block",
                    block.name
                );
                return self.error(block.span, msg);
            }
        };
        let Some(m) = method else { return };
        let Some((_, blocks)) = METHODS.iter().find(|(n, _)| *n == m.name.name) else {
            let msg = format!(
                "unknown method {}: expected cnexp, derivimplicit, euler, runge, sparse, \
                 simeq, newton or after_cvode",
                m.name.name
            );
            return self.error(m.name.span, msg);
        };
        if !blocks.contains(&bk) && !blocks.is_empty() {
            let msg = format!(
                "METHOD {} cannot solve the {} block {}",
                m.name.name,
                bk.word(),
                block.name
            );
            return self.error(m.name.span, msg);
        }
        if m.steadystate {
            let want = match bk {
                BlockKind::Derivative => "derivimplicit",
                BlockKind::Kinetic => "sparse",
                _ => {
                    let msg = format!(
                        "STEADYSTATE needs a KINETIC or DERIVATIVE block, and {} is not one",
                        block.name
                    );
                    return self.error(block.span, msg);
                }
            };
            if m.name.name != want {
                let msg = format!("STEADYSTATE of a {} block needs {want}", bk.word());
                self.error(m.name.span, msg);
            }
        }
    }

    fn table_stmt(&mut self, span: Span, t: &'a Table) {
        let kw = keyword(span, "TABLE");
        match self.ctx {
            Ctx::Function(_) if !t.names.is_empty() => {
                self.error(kw, "TABLE in a FUNCTION cannot name variables".into());
            }
            Ctx::Procedure(_) if t.names.is_empty() => {
                self.error(
                    kw,
                    "TABLE in a PROCEDURE must name the variables it tabulates".into(),
                );
            }
            Ctx::Function(f) | Ctx::Procedure(f) => {
                if self.table.get(f).and_then(|s| s.arity) != Some(1) {
                    let msg = format!("{f} has a TABLE and so must take exactly one argument");
                    self.error(kw, msg);
                }
            }
            _ => self.error(
                kw,
                "TABLE is allowed only in a FUNCTION or PROCEDURE".into(),
            ),
        }
        for id in t.names.iter().chain(&t.depend) {
            self.name(id, false);
        }
        self.expr(&t.from);
        self.expr(&t.to);
    }
}

/// The argument count of the NET_RECEIVE block, if there is one.
fn net_receive_args(p: &Program) -> Option<usize> {
    p.items.iter().find_map(|i| match &i.kind {
        ItemKind::NetReceive { params, .. } => Some(params.len()),
        _ => None,
    })
}

/// The span of the keyword a statement starts with.
fn keyword(span: Span, word: &str) -> Span {
    Span::new(
        span.start,
        (span.start + word.len()).min(span.end.max(span.start)),
    )
}

/// Whether a block (or a block inside it) has an `x' = ...` equation.
fn has_prime(b: &Block) -> bool {
    b.stmts.iter().any(|s| match &s.kind {
        StmtKind::Assign { target, .. } => is_prime(target),
        _ => nested(s).iter().any(|(b, _)| has_prime(b)),
    })
}

fn is_prime(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Prime { .. } => true,
        ExprKind::Index { base, .. } => is_prime(base),
        _ => false,
    }
}
