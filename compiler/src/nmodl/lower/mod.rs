//! Lowering: from a parsed and checked `.mod` syntax tree to the mechanism
//! IR ([`super::ir`]). Every NEURON 9.0.2 semantic the generated C++ of
//! nocmodl has is spelled out here as plain IR statements: the per-instance
//! `v` copy, ion copies, state initialisation, the v+0.001 conductance
//! estimate, point-process area scaling, the solve methods, TABLEs and
//! NET_RECEIVE.
//!
//! The passes, in order (one module each):
//! * [`layout`]: slots and globals in nocmodl's order, ions;
//! * [`expr`]: names, expressions and statements of any block;
//! * [`breakpoint`]: the `init`, `cur`, `jacob` and `state` kernels;
//! * [`solve`]: cnexp, euler and derivimplicit for DERIVATIVE blocks;
//! * [`kinetic`]: KINETIC blocks with sparse and STEADYSTATE sparse;
//! * [`algebraic`]: LINEAR (simeq) and NONLINEAR (newton) blocks;
//! * [`functable`]: FUNCTION_TABLEs, looked up in tables HOC gives;
//! * [`table`]: TABLE in FUNCTIONs and PROCEDUREs;
//! * [`netreceive`]: NET_RECEIVE and its INITIAL;
//! * [`watch`]: WATCH statements of NET_RECEIVE;
//! * [`fornetcons`]: FOR_NETCONS loops of NET_RECEIVE;
//! * [`beforeafter`]: BEFORE and AFTER blocks;
//! * [`inline`]: small functions inlined into kernels.

mod algebraic;
mod beforeafter;
mod breakpoint;
mod callable;
#[cfg(test)]
mod construct_tests;
mod deriv;
#[cfg(test)]
pub(crate) mod eval;
mod expr;
mod fornetcons;
mod functable;
mod inline;
mod kinetic;
mod layout;
mod netreceive;
mod rewrite;
mod solve;
mod table;
#[cfg(test)]
mod tests;
mod units;
mod watch;

use super::ast::{self, ItemKind, Span};
use super::check::{self, Diagnostic};
use super::include::{FileSystem, IncludeReader, Sources};
use super::ir::*;
use super::symbols::SymbolTable;
use crate::diagnostics::SourceFile;
use std::collections::HashMap;

/// Lowers a checked program to the mechanism IR. Errors are constructs the
/// lowering does not support (VERBATIM, LAG, ...), each with a
/// span and a message naming it.
pub fn lower(program: &ast::Program, table: &SymbolTable) -> Result<MechIr, Vec<Diagnostic>> {
    let mut l = Lowerer::new(program, table)?;
    l.run();
    if l.diags.iter().any(|d| d.is_error()) {
        let mut d = l.diags;
        d.retain(|d| d.is_error());
        d.sort_by_key(|d| (d.span.start, d.span.end));
        return Err(d);
    }
    Ok(l.ir)
}

/// Parses, builds symbols, checks and lowers a `.mod` file (with the files
/// it INCLUDEs, found on the file system); an error is every error
/// diagnostic rendered with `file:line:col`, the source line and a caret,
/// one after the other.
pub fn compile_source(file: &SourceFile) -> Result<MechIr, String> {
    compile_source_with(file, &FileSystem)
}

/// [`compile_source`] with INCLUDEd files read by `reader`.
pub fn compile_source_with(
    file: &SourceFile,
    reader: &dyn IncludeReader,
) -> Result<MechIr, String> {
    let program = super::parse(file).map_err(|e| e.render(file))?;
    let mut sources = Sources::new(file);
    let program =
        super::include::expand(program, &mut sources, reader).map_err(|e| e.join("\n"))?;
    let render = |ds: Vec<Diagnostic>| {
        ds.iter()
            .filter(|d| d.is_error())
            .map(|d| sources.render_diagnostic(d))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let table = super::symbols::build(&program).map_err(render)?;
    let errors: Vec<Diagnostic> = check::check(&program, &table)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    if !errors.is_empty() {
        return Err(render(errors));
    }
    lower(&program, &table).map_err(render)
}

/// How a prime assignment `x' = e` met while lowering a block is handled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PrimeMode {
    /// Not in a DERIVATIVE block: an error.
    Forbidden,
    /// cnexp: each equation becomes its exact exponential update.
    Cnexp,
    /// The derivative is stored into the `D<state>` slot.
    Store,
}

/// The state of the body being lowered: its locals and scopes.
#[derive(Debug, Default)]
pub(crate) struct Body {
    /// locals allocated so far
    pub locals: usize,
    /// innermost last: names of LOCALs, arguments
    pub scopes: Vec<Vec<(String, Var)>>,
    /// a FUNCTION's own name: the local holding its value
    pub ret: Option<(String, Var)>,
    /// lowering NET_RECEIVE (`flag` is known)
    pub net_receive: bool,
    /// what `x' = e` means here
    pub prime: Option<PrimeMode>,
    /// a local standing for `dt` (STEADYSTATE runs with a huge dt)
    pub dt: Option<Var>,
    /// the KINETIC block being lowered, if any
    pub kinetic: Option<kinetic::Kin>,
    /// the LINEAR or NONLINEAR block being lowered: its `~` equations
    pub equations: Option<algebraic::Equations>,
}

impl Body {
    /// A fresh local.
    pub fn local(&mut self) -> Var {
        self.locals += 1;
        Var::Local(self.locals - 1)
    }
}

/// The lowering of one file.
pub(crate) struct Lowerer<'a> {
    pub prog: &'a ast::Program,
    pub table: &'a SymbolTable,
    pub ir: MechIr,
    /// slot declaration index of each per-instance name (`v`, `_g`, `Dm`, ...)
    pub slots: HashMap<String, usize>,
    /// global declaration index of each per-type name
    pub globals: HashMap<String, usize>,
    /// function index of each FUNCTION and PROCEDURE
    pub funcs: HashMap<String, usize>,
    /// POINTER variables: name → index into `ir.pointers`
    pub pointers: HashMap<String, usize>,
    /// RANDOM variables: name → index into `ir.randoms`
    pub randoms: HashMap<String, usize>,
    /// ion variables: name → (ion index, field)
    pub ion_vars: HashMap<String, (usize, IonField)>,
    /// currents in the order NEURON sums them
    pub currents: Vec<String>,
    /// UNITS constants (values and unit factors)
    pub consts: HashMap<String, f64>,
    pub diags: Vec<Diagnostic>,
    pub body: Body,
}

impl<'a> Lowerer<'a> {
    fn new(prog: &'a ast::Program, table: &'a SymbolTable) -> Result<Lowerer<'a>, Vec<Diagnostic>> {
        let Some(mech) = &table.mechanism else {
            return Err(vec![Diagnostic::error(
                Span::new(0, 0),
                "the NEURON block names no SUFFIX, POINT_PROCESS or ARTIFICIAL_CELL",
            )]);
        };
        let kind = match mech.kind {
            ast::SuffixKind::Suffix => MechKind::Density,
            ast::SuffixKind::PointProcess => MechKind::Point,
            ast::SuffixKind::ArtificialCell => MechKind::Artificial,
        };
        Ok(Lowerer {
            prog,
            table,
            ir: MechIr {
                name: mech.name.name.clone(),
                kind,
                slots: Vec::new(),
                globals: Vec::new(),
                ions: Vec::new(),
                pointers: Vec::new(),
                randoms: Vec::new(),
                functions: Vec::new(),
                function_tables: Vec::new(),
                kernels: Kernels::default(),
                weights: 0,
                electrode_current: false,
                thread_safe: true,
            },
            slots: HashMap::new(),
            globals: HashMap::new(),
            funcs: HashMap::new(),
            pointers: HashMap::new(),
            randoms: HashMap::new(),
            ion_vars: HashMap::new(),
            currents: Vec::new(),
            consts: HashMap::new(),
            diags: Vec::new(),
            body: Body::default(),
        })
    }

    fn run(&mut self) {
        self.unsupported_items();
        self.layout();
        self.declare_functions();
        self.declare_function_tables();
        self.functions();
        self.function_tables();
        self.tables();
        self.kernels();
        self.net_receive();
        self.before_after();
        self.mark_used_tables();
        self.inline();
        self.ir.thread_safe = self.thread_safe();
    }

    pub fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, msg));
    }

    /// Items nerve cannot lower, reported once each.
    fn unsupported_items(&mut self) {
        for item in &self.prog.items {
            let what = match &item.kind {
                ItemKind::Constructor(_) => "CONSTRUCTOR",
                ItemKind::Destructor(_) => "DESTRUCTOR",
                ItemKind::Discrete(_) => "DISCRETE blocks",
                ItemKind::Include(_) => {
                    // `compile_source` splices the files in before the checks
                    self.error(
                        Span::new(item.span.start, (item.span.start + 7).min(item.span.end)),
                        "INCLUDE was not expanded: lower what compile_source expands",
                    );
                    continue;
                }
                _ => continue,
            };
            let end = (item.span.start + 12).min(item.span.end);
            self.error(
                Span::new(item.span.start, end),
                format!("{what} is not supported yet by nerve"),
            );
        }
    }

    /// The element offset of slot declaration `name`.
    pub fn slot(&self, name: &str) -> Option<Var> {
        self.slots
            .get(name)
            .map(|&k| Var::Slot(self.ir.slot_offset(k), None))
    }

    /// The element offset of global declaration `name`.
    pub fn global(&self, name: &str) -> Option<Var> {
        self.globals
            .get(name)
            .map(|&k| Var::Global(self.ir.global_offset(k), None))
    }

    /// Adds a global, returning its variable.
    pub fn add_global(&mut self, name: &str, size: usize, default: f64, hoc: bool) -> Var {
        self.globals.insert(name.to_string(), self.ir.globals.len());
        self.ir.globals.push(GlobalDecl {
            name: name.to_string(),
            role: if hoc {
                VarRole::Assigned
            } else {
                VarRole::Internal
            },
            size,
            default,
            hoc,
        });
        Var::Global(self.ir.global_offset(self.ir.globals.len() - 1), None)
    }

    /// Starts a new body (kernel or function).
    pub fn begin(&mut self) -> Body {
        std::mem::take(&mut self.body)
    }

    /// Ends the current body, restoring `saved`, returning the locals used.
    pub fn end(&mut self, saved: Body) -> usize {
        let b = std::mem::replace(&mut self.body, saved);
        b.locals
    }

    /// Whether kernels that run per instance write a Global (directly or in a
    /// function they call).
    fn thread_safe(&self) -> bool {
        let mut seen = vec![false; self.ir.functions.len()];
        let mut writes = false;
        for kern in self.ir.kernels.per_instance() {
            writes |= writes_global(&kern.body, &self.ir.functions, &mut seen);
        }
        !writes
    }
}

/// Whether statements write a Global or through a Pointer (two instances
/// may refer to the same double), following calls (`seen` marks
/// functions already visited).
fn writes_global(body: &[Stmt], funcs: &[Function], seen: &mut Vec<bool>) -> bool {
    let mut any = false;
    for s in body {
        visit_stmt(
            s,
            &mut |s| {
                if let Stmt::Assign(Var::Global(..) | Var::Pointer(_), _) = s {
                    any = true;
                }
                if let Stmt::Solve { out, .. } = s {
                    any |= out
                        .iter()
                        .any(|v| matches!(v, Var::Global(..) | Var::Pointer(_)));
                }
            },
            &mut |e| {
                let _ = e;
            },
        );
        for f in calls_in(s) {
            if f < funcs.len() && !seen[f] {
                seen[f] = true;
                any |= writes_global(&funcs[f].body, funcs, seen);
            }
        }
    }
    any
}

/// Indices of the functions a statement calls.
pub(crate) fn calls_in(s: &Stmt) -> Vec<usize> {
    let mut stmt_calls = Vec::new();
    let mut expr_calls = Vec::new();
    visit_stmt(
        s,
        &mut |s| {
            if let Stmt::Call(f, _) = s {
                stmt_calls.push(*f);
            }
        },
        &mut |e| {
            if let Expr::Call(f, _) = e {
                expr_calls.push(*f);
            }
        },
    );
    stmt_calls.extend(expr_calls);
    stmt_calls
}

/// Shorthands for building IR.
pub(crate) mod build {
    use super::super::ir::*;

    pub fn num(x: f64) -> Expr {
        Expr::Num(x)
    }
    pub fn load(v: &Var) -> Expr {
        Expr::Load(v.clone())
    }
    pub fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
        Expr::Bin(op, Box::new(a), Box::new(b))
    }
    pub fn add(a: Expr, b: Expr) -> Expr {
        bin(BinOp::Add, a, b)
    }
    pub fn sub(a: Expr, b: Expr) -> Expr {
        bin(BinOp::Sub, a, b)
    }
    pub fn mul(a: Expr, b: Expr) -> Expr {
        bin(BinOp::Mul, a, b)
    }
    pub fn div(a: Expr, b: Expr) -> Expr {
        bin(BinOp::Div, a, b)
    }
    pub fn neg(a: Expr) -> Expr {
        Expr::Un(UnOp::Neg, Box::new(a))
    }
    pub fn math(f: MathFn, args: Vec<Expr>) -> Expr {
        Expr::Math(f, args)
    }
    pub fn assign(v: &Var, e: Expr) -> Stmt {
        Stmt::Assign(v.clone(), e)
    }
    /// `v = v + e`
    pub fn add_to(v: &Var, e: Expr) -> Stmt {
        Stmt::Assign(v.clone(), add(load(v), e))
    }
    /// `v = v - e`
    pub fn sub_from(v: &Var, e: Expr) -> Stmt {
        Stmt::Assign(v.clone(), sub(load(v), e))
    }
    /// A slot or global variable with an element index.
    pub fn indexed(v: &Var, i: Expr) -> Var {
        match v {
            Var::Slot(k, _) => Var::Slot(*k, Some(Box::new(i))),
            Var::Global(k, _) => Var::Global(*k, Some(Box::new(i))),
            other => other.clone(),
        }
    }
}
