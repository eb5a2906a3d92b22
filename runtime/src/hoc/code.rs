//! Compiled HOC: the syntax tree with names resolved to storage (a global
//! symbol, a field of the current object, a local slot), ready to run.

use super::template::Template;
use nerve_compiler::diagnostics::SourceFile;
use nerve_compiler::hoc::ast::{AssignOp, BinOp, DeclKind, ProcKind, Span};
use nerve_compiler::hoc::lexer::DollarKind;
use std::rc::Rc;

/// Index of a global symbol.
pub type SymId = usize;

/// Where a variable lives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VarRef {
    /// A global symbol.
    Global(SymId),
    /// A field of the current template instance.
    Field(usize),
    /// A local slot of the current frame.
    Local(usize),
}

/// The index of a `$` argument.
#[derive(Debug, Clone)]
pub enum DIdx {
    /// `$3`
    Lit(usize),
    /// `$i`
    Var(VarRef),
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub enum Ex {
    Num(f64),
    Str(Rc<str>),
    /// A variable's whole value.
    Var(VarRef, Span),
    /// An element of an array variable.
    Elem(VarRef, Vec<Ex>, Span),
    /// A call of a name (global function, proc, or method of the current object).
    Call(VarRef, Vec<Ex>, Span),
    /// `obj.name[...]` or `obj.name(...)`.
    Member {
        obj: Box<Ex>,
        name: Rc<str>,
        indices: Vec<Ex>,
        args: Option<Vec<Ex>>,
        span: Span,
    },
    Dollar(DollarKind, DIdx, Span),
    /// `$&1[i]`: the double `i` places after the one the pointer argument points at.
    PtrElem(DIdx, Box<Ex>, Span),
    AddrOf(Box<Lv>, Span),
    /// `new Class(args)`: the class's global symbol.
    New(SymId, Vec<Ex>, Span),
    /// `this` inside a template.
    This(Span),
    Neg(Box<Ex>),
    Not(Box<Ex>),
    Bin(BinOp, Box<Ex>, Box<Ex>, Span),
    Assign(AssignOp, Box<Lv>, Box<Ex>, Span),
    /// A construct that needs a part of nerve that does not exist yet.
    Unsupported(Rc<str>, Span),
}

/// A compiled assignable place.
#[derive(Debug, Clone)]
pub enum Lv {
    Var(VarRef, Span),
    Elem(VarRef, Vec<Ex>, Span),
    Member {
        obj: Box<Ex>,
        name: Rc<str>,
        indices: Vec<Ex>,
        span: Span,
    },
    Dollar(DollarKind, DIdx, Span),
    PtrElem(DIdx, Box<Ex>, Span),
}

/// One declared name of a `double`/`strdef`/`objref` statement.
#[derive(Debug, Clone)]
pub struct DeclTarget {
    /// The storage it names.
    pub var: VarRef,
    /// Dimension sizes (evaluated when the statement runs).
    pub dims: Vec<Ex>,
    /// Where it was written.
    pub span: Span,
}

/// A compiled statement.
#[derive(Debug, Clone)]
pub enum St {
    /// An expression; `true` echoes its value (top level).
    Expr(Ex, bool),
    Block(Vec<St>),
    If(Ex, Box<St>, Option<Box<St>>),
    While(Ex, Box<St>),
    CFor(Option<Ex>, Option<Ex>, Option<Ex>, Box<St>),
    ForRange(Lv, Ex, Ex, Box<St>),
    ForIter(VarRef, Vec<Ex>, Rc<St>, Span),
    Break,
    Continue,
    Return(Option<Ex>, Span),
    Stop,
    IterStmt(Span),
    Print(Vec<Ex>),
    Decl(DeclKind, Vec<DeclTarget>),
    /// Binds a compiled proc to its name when run.
    Define(VarRef, Rc<ProcDef>),
    Empty,
}

/// A compiled proc, func, obfunc or iterator.
#[derive(Debug)]
pub struct ProcDef {
    /// Its name.
    pub name: Rc<str>,
    /// Which kind.
    pub kind: ProcKind,
    /// The body.
    pub body: St,
    /// Local slots: `true` for `localobj`.
    pub locals: Vec<bool>,
    /// The file it was defined in.
    pub file: Rc<SourceFile>,
    /// Where its name was written.
    pub span: Span,
    /// The template it belongs to, if any.
    pub template: Option<Rc<Template>>,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Template({})", self.name)
    }
}
