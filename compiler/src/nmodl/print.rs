//! Prints NMODL syntax trees as canonical NMODL text: one declaration or
//! statement per line, four-space indents, a blank line between top-level
//! items, `*` and `/` tight and the other binary operators spaced, numbers and units as written. Parsing the
//! output gives the same tree again (spans aside), so passes can be tested
//! text in, text out. Parentheses are printed where the tree has
//! [`ExprKind::Paren`], and added only where a hand-built tree needs them.

use super::ast::*;
use std::fmt::{self, Write as _};

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut p = Printer::default();
        let mut prev_braced = None;
        for item in &self.items {
            let braced = is_braced(item);
            // A blank line around every braced item; one-liners stay together.
            if prev_braced.is_some_and(|b| b || braced) {
                p.out.push('\n');
            }
            p.item(item);
            prev_braced = Some(braced);
        }
        f.write_str(&p.out)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut p = Printer::default();
        p.expr(self);
        f.write_str(&p.out)
    }
}

impl fmt::Display for Stmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut p = Printer::default();
        p.stmt(self);
        f.write_str(p.out.trim_end_matches('\n'))
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({})", self.text)
    }
}

/// Accumulates text at an indentation depth.
#[derive(Default)]
struct Printer {
    out: String,
    depth: usize,
}

fn join_idents(v: &[Ident]) -> String {
    v.iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn dim(d: &Option<Dim>) -> String {
    match d {
        None => String::new(),
        Some(Dim::Num(n)) => format!("[{}]", n.text),
        Some(Dim::Name(n)) => format!("[{}]", n.name),
    }
}

fn unit(u: &Option<Unit>) -> String {
    u.as_ref().map(|u| format!(" {u}")).unwrap_or_default()
}

fn params(v: &[Param]) -> String {
    v.iter()
        .map(|p| format!("{}{}", p.name.name, unit(&p.unit)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn locals(v: &[LocalVar]) -> String {
    v.iter()
        .map(|l| format!("{}{}", l.name.name, dim(&l.dim)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Printer {
    /// Starts a line at the current depth.
    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Raw VERBATIM text, never indented (it is kept byte for byte).
    fn verbatim(&mut self, text: &str) {
        self.line("VERBATIM");
        self.out.push_str(text);
        if !text.is_empty() && !text.ends_with('\n') {
            self.out.push('\n');
        }
        self.line("ENDVERBATIM");
    }

    /// `head {`, the lines `body` prints one level deeper, `}`.
    fn braced(&mut self, head: &str, body: impl FnOnce(&mut Printer)) {
        self.line(&format!(
            "{head}{}{{",
            if head.is_empty() { "" } else { " " }
        ));
        self.depth += 1;
        body(self);
        self.depth -= 1;
        self.line("}");
    }

    fn block(&mut self, head: &str, b: &Block) {
        self.braced(head, |p| {
            for s in &b.stmts {
                p.stmt(s);
            }
        });
    }

    fn item(&mut self, item: &Item) {
        match &item.kind {
            ItemKind::Title(t) if t.is_empty() => self.line("TITLE"),
            ItemKind::Title(t) => self.line(&format!("TITLE {t}")),
            ItemKind::Verbatim(t) => self.verbatim(t),
            ItemKind::Include(s) => self.line(&format!("INCLUDE \"{s}\"")),
            ItemKind::Define { name, value } => {
                self.line(&format!("DEFINE {} {}", name.name, value.text))
            }
            ItemKind::UnitsCheck(on) => self.line(if *on { "UNITSON" } else { "UNITSOFF" }),
            ItemKind::Local(v) => self.line(&format!("LOCAL {}", locals(v))),
            ItemKind::Neuron(v) => self.braced("NEURON", |p| {
                for s in v {
                    p.line(&neuron_stmt(s));
                }
            }),
            ItemKind::Units(v) => self.braced("UNITS", |p| {
                for d in v {
                    p.line(&unit_def(d));
                }
            }),
            ItemKind::Parameter(v) => self.braced("PARAMETER", |p| {
                for d in v {
                    let mut s = format!("{}{}", d.name.name, dim(&d.dim));
                    if let Some(v) = &d.value {
                        let _ = write!(s, " = {}", v.text);
                    }
                    s.push_str(&unit(&d.unit));
                    if let Some(l) = &d.limits {
                        let _ = write!(s, " <{}, {}>", l.low.text, l.high.text);
                    }
                    p.line(&s);
                }
            }),
            ItemKind::Constant(v) => self.braced("CONSTANT", |p| {
                for d in v {
                    p.line(&format!(
                        "{} = {}{}",
                        d.name.name,
                        d.value.text,
                        unit(&d.unit)
                    ));
                }
            }),
            ItemKind::Assigned(v) => self.braced("ASSIGNED", |p| {
                for d in v {
                    p.line(&var_decl(d));
                }
            }),
            ItemKind::State(v) => self.braced("STATE", |p| {
                for d in v {
                    p.line(&var_decl(d));
                }
            }),
            ItemKind::Independent(v) => self.braced("INDEPENDENT", |p| {
                for d in v {
                    let mut s = String::new();
                    if d.sweep {
                        s.push_str("SWEEP ");
                    }
                    let _ = write!(
                        s,
                        "{} FROM {} TO {} WITH {}",
                        d.name.name, d.range.low.text, d.range.high.text, d.with.text
                    );
                    if let Some(st) = &d.start {
                        let _ = write!(s, " START {}", st.text);
                    }
                    s.push_str(&unit(&d.unit));
                    p.line(&s);
                }
            }),
            ItemKind::Initial(b) => self.block("INITIAL", b),
            ItemKind::Breakpoint(b) => self.block("BREAKPOINT", b),
            ItemKind::Constructor(b) => self.block("CONSTRUCTOR", b),
            ItemKind::Destructor(b) => self.block("DESTRUCTOR", b),
            ItemKind::Derivative(n) => self.named("DERIVATIVE", n),
            ItemKind::Kinetic(n) => self.named("KINETIC", n),
            ItemKind::Linear(n) => self.named("LINEAR", n),
            ItemKind::Nonlinear(n) => self.named("NONLINEAR", n),
            ItemKind::Discrete(n) => self.named("DISCRETE", n),
            ItemKind::Function(c) => self.callable("FUNCTION", c),
            ItemKind::Procedure(c) => self.callable("PROCEDURE", c),
            ItemKind::FunctionTable {
                name,
                params: ps,
                unit: u,
            } => self.line(&format!(
                "FUNCTION_TABLE {}({}){}",
                name.name,
                params(ps),
                unit(u)
            )),
            ItemKind::NetReceive { params: ps, body } => {
                self.block(&format!("NET_RECEIVE({})", params(ps)), body)
            }
            ItemKind::BeforeAfter { when, point, body } => {
                let w = match when {
                    When::Before => "BEFORE",
                    When::After => "AFTER",
                };
                let pt = match point {
                    BaPoint::Breakpoint => "BREAKPOINT",
                    BaPoint::Solve => "SOLVE",
                    BaPoint::Initial => "INITIAL",
                    BaPoint::Step => "STEP",
                };
                self.block(&format!("{w} {pt}"), body)
            }
        }
    }

    fn named(&mut self, kw: &str, n: &NamedBlock) {
        let mut head = format!("{kw} {}", n.name.name);
        if !n.solvefor.is_empty() {
            let _ = write!(head, " SOLVEFOR {}", join_idents(&n.solvefor));
        }
        self.block(&head, &n.body);
    }

    fn callable(&mut self, kw: &str, c: &Callable) {
        let head = format!(
            "{kw} {}({}){}",
            c.name.name,
            params(&c.params),
            unit(&c.unit)
        );
        self.block(&head, &c.body);
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Local(v) => self.line(&format!("LOCAL {}", locals(v))),
            StmtKind::Assign {
                target,
                value,
                protect,
            } => {
                let kw = if *protect { "PROTECT " } else { "" };
                self.line(&format!("{kw}{target} = {value}"))
            }
            StmtKind::Call(e) => self.line(&e.to_string()),
            StmtKind::Equation { lhs, rhs, add } => {
                let t = if *add { "~+" } else { "~" };
                self.line(&format!("{t} {lhs} = {rhs}"))
            }
            StmtKind::Reaction(r) => self.line(&reaction(r)),
            StmtKind::Conserve { species, total } => {
                self.line(&format!("CONSERVE {} = {total}", reactants(species)))
            }
            StmtKind::Compartment(c) => self.line(&compartment("COMPARTMENT", c)),
            StmtKind::LongDiffusion(c) => self.line(&compartment("LONGITUDINAL_DIFFUSION", c)),
            StmtKind::If {
                cond,
                then,
                elifs,
                els,
            } => {
                self.line(&format!("if ({cond}) {{"));
                self.body(then);
                for (c, b) in elifs {
                    self.line(&format!("}} else if ({c}) {{"));
                    self.body(b);
                }
                if let Some(b) = els {
                    self.line("} else {");
                    self.body(b);
                }
                self.line("}");
            }
            StmtKind::While { cond, body } => self.block(&format!("while ({cond})"), body),
            StmtKind::From {
                var,
                from,
                to,
                by,
                body,
            } => {
                let mut head = format!("FROM {} = {from} TO {to}", var.name);
                if let Some(b) = by {
                    let _ = write!(head, " BY {b}");
                }
                self.block(&head, body)
            }
            StmtKind::Solve { block, method } => {
                let mut s = format!("SOLVE {}", block.name);
                if let Some(m) = method {
                    let kw = if m.steadystate {
                        "STEADYSTATE"
                    } else {
                        "METHOD"
                    };
                    let _ = write!(s, " {kw} {}", m.name.name);
                }
                self.line(&s)
            }
            StmtKind::Table(t) => {
                let mut s = String::from("TABLE");
                if !t.names.is_empty() {
                    let _ = write!(s, " {}", join_idents(&t.names));
                }
                if !t.depend.is_empty() {
                    let _ = write!(s, " DEPEND {}", join_idents(&t.depend));
                }
                let _ = write!(s, " FROM {} TO {} WITH {}", t.from, t.to, t.with.text);
                self.line(&s)
            }
            StmtKind::Watch(v) => {
                let items: Vec<String> = v
                    .iter()
                    .map(|w| format!("({}) {}", w.cond, w.flag))
                    .collect();
                self.line(&format!("WATCH {}", items.join(", ")))
            }
            StmtKind::ForNetcons { params: ps, body } => {
                self.block(&format!("FOR_NETCONS({})", params(ps)), body)
            }
            StmtKind::Initial(b) => self.block("INITIAL", b),
            StmtKind::Block(b) => self.block("", b),
            StmtKind::Verbatim(t) => self.verbatim(t),
            StmtKind::UnitsCheck(on) => self.line(if *on { "UNITSON" } else { "UNITSOFF" }),
            StmtKind::MutexLock => self.line("MUTEXLOCK"),
            StmtKind::MutexUnlock => self.line("MUTEXUNLOCK"),
            StmtKind::Lag { name, by } => self.line(&format!("LAG {} BY {}", name.name, by.name)),
            StmtKind::Conductance { name, ion } => {
                let mut s = format!("CONDUCTANCE {}", name.name);
                if let Some(i) = ion {
                    let _ = write!(s, " USEION {}", i.name);
                }
                self.line(&s)
            }
        }
    }

    /// The statements of a block one level deeper, without braces.
    fn body(&mut self, b: &Block) {
        self.depth += 1;
        for s in &b.stmts {
            self.stmt(s);
        }
        self.depth -= 1;
    }

    fn expr(&mut self, e: &Expr) {
        self.expr_in(e, 0);
    }

    /// Prints `e`, in parentheses if its precedence is below `min`.
    fn expr_in(&mut self, e: &Expr, min: u8) {
        let p = prec(e);
        if p < min {
            self.out.push('(');
        }
        match &e.kind {
            ExprKind::Num { num, unit: u } => {
                self.out.push_str(&num.text);
                self.out.push_str(&unit(u));
            }
            ExprKind::Str(s) => {
                let _ = write!(self.out, "\"{s}\"");
            }
            ExprKind::Name(n) => self.out.push_str(&n.name),
            ExprKind::Prime { name, order } => {
                self.out.push_str(&name.name);
                self.out.push_str(&"'".repeat(*order as usize));
            }
            ExprKind::Index { base, index } => {
                self.expr_in(base, PRIMARY);
                self.out.push('[');
                self.expr(index);
                self.out.push(']');
            }
            ExprKind::Call { name, args } => {
                self.out.push_str(&name.name);
                self.out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(a);
                }
                self.out.push(')');
            }
            ExprKind::Paren(inner) => {
                self.out.push('(');
                self.expr(inner);
                self.out.push(')');
            }
            ExprKind::Unary(op, inner) => {
                self.out.push(match op {
                    UnOp::Neg => '-',
                    UnOp::Not => '!',
                });
                self.expr_in(inner, UNARY);
            }
            ExprKind::Binary(BinOp::Pow, a, b) => {
                self.expr_in(a, PRIMARY);
                self.out.push('^');
                self.expr_in(b, UNARY);
            }
            ExprKind::Binary(op, a, b) => {
                let level = bin_prec(*op);
                self.expr_in(a, level);
                if matches!(op, BinOp::Mul | BinOp::Div) {
                    self.out.push_str(bin_text(*op));
                } else {
                    let _ = write!(self.out, " {} ", bin_text(*op));
                }
                self.expr_in(b, level + 1);
            }
        }
        if p < min {
            self.out.push(')');
        }
    }
}

/// Whether an item prints as a braced block (rather than on one line).
fn is_braced(item: &Item) -> bool {
    !matches!(
        item.kind,
        ItemKind::Title(_)
            | ItemKind::Include(_)
            | ItemKind::Define { .. }
            | ItemKind::UnitsCheck(_)
            | ItemKind::Local(_)
            | ItemKind::FunctionTable { .. }
    )
}

const UNARY: u8 = 6;
const POW: u8 = 7;
const PRIMARY: u8 = 8;

fn bin_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Or => 1,
        BinOp::And => 2,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 3,
        BinOp::Add | BinOp::Sub => 4,
        BinOp::Mul | BinOp::Div => 5,
        BinOp::Pow => POW,
    }
}

fn bin_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Pow => "^",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::And => "&&",
        BinOp::Or => "||",
    }
}

/// The grammar tier an expression belongs to (higher binds tighter).
fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, _, _) => bin_prec(*op),
        ExprKind::Unary(..) => UNARY,
        _ => PRIMARY,
    }
}

fn var_decl(d: &VarDecl) -> String {
    let mut s = format!("{}{}", d.name.name, dim(&d.dim));
    if let Some(r) = &d.range {
        let _ = write!(s, " FROM {} TO {}", r.low.text, r.high.text);
    }
    if let Some(st) = &d.start {
        let _ = write!(s, " START {}", st.text);
    }
    s.push_str(&unit(&d.unit));
    if let Some(a) = &d.abstol {
        let _ = write!(s, " <{}>", a.text);
    }
    s
}

fn neuron_stmt(s: &NeuronStmt) -> String {
    match &s.kind {
        NeuronStmtKind::Suffix(k, n) => {
            let kw = match k {
                SuffixKind::Suffix => "SUFFIX",
                SuffixKind::PointProcess => "POINT_PROCESS",
                SuffixKind::ArtificialCell => "ARTIFICIAL_CELL",
            };
            format!("{kw} {}", n.name)
        }
        NeuronStmtKind::UseIon(u) => {
            let mut s = format!("USEION {}", u.ion.name);
            if !u.read.is_empty() {
                let _ = write!(s, " READ {}", join_idents(&u.read));
            }
            if !u.write.is_empty() {
                let _ = write!(s, " WRITE {}", join_idents(&u.write));
            }
            if let Some(v) = &u.valence {
                let _ = write!(s, " VALENCE {}", v.text);
            }
            if let Some(r) = &u.represents {
                let _ = write!(s, " REPRESENTS {r}");
            }
            s
        }
        NeuronStmtKind::List(k, v) => {
            let kw = match k {
                NameListKind::Nonspecific => "NONSPECIFIC_CURRENT",
                NameListKind::ElectrodeCurrent => "ELECTRODE_CURRENT",
                NameListKind::Range => "RANGE",
                NameListKind::Global => "GLOBAL",
                NameListKind::Pointer => "POINTER",
                NameListKind::BbcorePointer => "BBCOREPOINTER",
                NameListKind::External => "EXTERNAL",
                NameListKind::Random => "RANDOM",
            };
            format!("{kw} {}", join_idents(v))
        }
        NeuronStmtKind::Threadsafe => "THREADSAFE".into(),
        NeuronStmtKind::Represents(r) => format!("REPRESENTS {r}"),
    }
}

fn unit_def(d: &UnitDef) -> String {
    match &d.kind {
        UnitDefKind::Alias { name, meaning } => format!("{name} = {meaning}"),
        UnitDefKind::Value { name, value, unit } => {
            format!("{} = {} {unit}", name.name, value.text)
        }
        UnitDefKind::Factor {
            name,
            from,
            to,
            arrow,
        } => format!(
            "{} = {from} {}{to}",
            name.name,
            if *arrow { "-> " } else { "" }
        ),
    }
}

fn reactants(v: &[Reactant]) -> String {
    v.iter()
        .map(|r| match &r.coef {
            Some(c) => format!("{} {}", c.text, r.species),
            None => r.species.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn reaction(r: &Reaction) -> String {
    match r {
        Reaction::Reversible { lhs, rhs, kf, kb } => {
            format!("~ {} <-> {} ({kf}, {kb})", reactants(lhs), reactants(rhs))
        }
        Reaction::Influx { lhs, flux } => format!("~ {} << ({flux})", reactants(lhs)),
        Reaction::Outflux { lhs, rate } => format!("~ {} -> ({rate})", reactants(lhs)),
    }
}

fn compartment(kw: &str, c: &Compartment) -> String {
    let index = c
        .index
        .as_ref()
        .map(|i| format!("{}, ", i.name))
        .unwrap_or_default();
    let species: Vec<&str> = c.species.iter().map(|s| s.name.as_str()).collect();
    format!("{kw} {index}{} {{ {} }}", c.expr, species.join(" "))
}
