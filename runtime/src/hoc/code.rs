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
    /// An expression evaluated with a section pushed on the section stack:
    /// `soma.L`, `dend[1].v(0.5)`.
    WithSec(Box<SecEx>, Box<Ex>),
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
    /// A range variable at a position: `diam(x)`, `v(0.5)`.
    RangeAt(VarRef, Box<Ex>, Span),
    /// A place reached with a section pushed: `soma.L`, `dend.v(0.5)`.
    WithSec(Box<SecEx>, Box<Lv>),
}

/// A compiled section reference.
#[derive(Debug, Clone)]
pub enum SecEx {
    /// `soma`, `dend[i]`: a section variable (global, or a field of the object).
    Var(VarRef, Option<Box<Ex>>, Span),
    /// `obj.soma`, `cells[1].dend[i]`, `sr.sec`, `sr.child[0]`.
    Member(Box<Ex>, Rc<str>, Option<Box<Ex>>, Span),
}

impl SecEx {
    /// Where it was written.
    pub fn span(&self) -> Span {
        match self {
            SecEx::Var(_, _, s) | SecEx::Member(_, _, _, s) => *s,
        }
    }
}

/// The section statements.
#[derive(Debug, Clone)]
pub enum SecSt {
    /// `sec stmt` / `sec { ... }`.
    With(SecEx, Box<St>),
    /// `create a, b[n]`.
    Create(Vec<DeclTarget>),
    /// `connect child(end), parent(x)`; no parent: the accessed section.
    Connect {
        child: SecEx,
        child_end: Option<Ex>,
        parent: Option<SecEx>,
        parent_x: Ex,
        span: Span,
    },
    /// `access sec`.
    Access(SecEx),
    /// `insert name` (`true`) or `uninsert name` (`false`).
    Insert(Rc<str>, bool, Span),
    /// `[sec.]name(x0:x1) = y0:y1`.
    Taper {
        sec: Option<SecEx>,
        var: VarRef,
        x: (Ex, Ex),
        y: (Ex, Ex),
        span: Span,
    },
    /// `for (x) stmt` (`None`) / `for (x, e) stmt`.
    ForSeg(Lv, Option<Ex>, Box<St>, Span),
    /// `forall stmt`.
    Forall(Box<St>),
    /// `forsec "regex" stmt` / `forsec sectionlist stmt`.
    Forsec(Ex, Box<St>, Span),
    /// `ifsec "regex" stmt` / `ifsec sectionlist stmt`.
    Ifsec(Ex, Box<St>, Span),
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
    /// `for obj.iter(args) body`: an iterator method of a template object.
    ForObjIter(Ex, Rc<str>, Vec<Ex>, Rc<St>, Span),
    Break,
    Continue,
    Return(Option<Ex>, Span),
    Stop,
    IterStmt(Span),
    Print(Vec<Ex>),
    Decl(DeclKind, Vec<DeclTarget>),
    /// Binds a compiled proc to its name when run.
    Define(VarRef, Rc<ProcDef>),
    /// A section statement.
    Sec(Box<SecSt>),
    /// `setpointer target, source`: the POINTER variable `target` refers
    /// to `source` from now on; `not_pointer` is the error when `target`
    /// is not a POINTER.
    Setpointer {
        target: Lv,
        source: Lv,
        not_pointer: Rc<str>,
        span: Span,
    },
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
