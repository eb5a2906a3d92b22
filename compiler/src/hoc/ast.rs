//! The HOC syntax tree, as the grammar builds it. Names are unresolved text;
//! the VM's compiler resolves them against the live symbol table.

use super::lexer::{DollarIndex, DollarKind};

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

impl Span {
    /// The span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A name with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// Floor modulus.
    Mod,
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
    Neg,
    Not,
}

/// Assignment operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Set,
    Add,
    Sub,
    Mul,
    Div,
}

/// A reference to a section: `soma`, `dend[2]`, `cell.soma`, `$o1.dend[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecRef {
    /// The object the section belongs to, for `obj.sec`.
    pub object: Option<Box<Expr>>,
    /// The section's name.
    pub name: Ident,
    /// The array index, for section arrays.
    pub index: Option<Box<Expr>>,
    /// The whole reference.
    pub span: Span,
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
    /// A numeric literal.
    Num(f64),
    /// A string literal.
    Str(String),
    /// A name with optional array indices: `x`, `x[i][j]`.
    Name { name: Ident, indices: Vec<Expr> },
    /// A call of a name: `f(a, b)`; also a range variable at a location, `v(0.5)`.
    Call { name: Ident, args: Vec<Expr> },
    /// Member access on an object: `o.name`, `o.name[i]`, `o.name(args)`.
    Member {
        object: Box<Expr>,
        name: Ident,
        indices: Vec<Expr>,
        args: Option<Vec<Expr>>,
    },
    /// A variable of a section: `soma.L`, `dend[1].v(0.5)`, `soma.gnabar_hh`.
    SecVar {
        sec: SecRef,
        name: Ident,
        indices: Vec<Expr>,
        args: Option<Vec<Expr>>,
    },
    /// `$1`, `$s1`, `$o1`, `$&1`, `$i`; `$&1[i]` indexes from the pointer.
    Dollar {
        kind: DollarKind,
        index: DollarIndex,
        subscript: Option<Box<Expr>>,
    },
    /// `&x`, `&x[i]`, `&o.x[i]`, `&soma.v(0.5)`.
    AddrOf(Box<Expr>),
    /// `new Class(args)`.
    New { class: Ident, args: Vec<Expr> },
    /// A unary operation.
    Unary(UnOp, Box<Expr>),
    /// A binary operation.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// An assignment, itself an expression with the assigned value.
    Assign {
        op: AssignOp,
        target: Box<Expr>,
        value: Box<Expr>,
    },
    /// The left side of a tapered range assignment: `diam(0:1)`.
    RangeSlice {
        target: Box<Expr>,
        x0: Box<Expr>,
        x1: Box<Expr>,
    },
}

/// What kind of callable a definition makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcKind {
    Proc,
    Func,
    Obfunc,
    Iterator,
}

/// A declared name with array dimensions: `x`, `x[10]`, `m[3][4]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclItem {
    /// The name.
    pub name: Ident,
    /// The size of each dimension.
    pub dims: Vec<Expr>,
}

/// Declarations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    Double,
    Strdef,
    Objref,
    Create,
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
    /// An expression evaluated for its effect (echoed at top level).
    Expr(Expr),
    /// `{ ... }`
    Block(Vec<Stmt>),
    /// `if (c) a else b`
    If {
        cond: Expr,
        then: Box<Stmt>,
        els: Option<Box<Stmt>>,
    },
    /// `while (c) body`
    While {
        cond: Expr,
        body: Box<Stmt>,
    },
    /// `for (init; cond; step) body`
    CFor {
        init: Option<Expr>,
        cond: Option<Expr>,
        step: Option<Expr>,
        body: Box<Stmt>,
    },
    /// `for i = a, b body`
    ForRange {
        var: Expr,
        from: Expr,
        to: Expr,
        body: Box<Stmt>,
    },
    /// `for iter(args) body`, or `for obj.iter(args) body`
    ForIter {
        object: Option<Box<Expr>>,
        name: Ident,
        args: Vec<Expr>,
        body: Box<Stmt>,
    },
    /// `for (x) body` / `for (x, 0) body`: over the segments of the current section.
    ForSeg {
        var: Ident,
        ends: Option<Expr>,
        body: Box<Stmt>,
    },
    /// `forall body`
    Forall(Box<Stmt>),
    /// `forsec "regex" body` / `forsec list body`
    Forsec {
        target: Expr,
        body: Box<Stmt>,
    },
    /// `ifsec "regex" body`
    Ifsec {
        target: Expr,
        body: Box<Stmt>,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    Stop,
    IteratorStatement,
    /// `local a, b` (arrays allowed: `local a[3]`)
    Local(Vec<DeclItem>),
    /// `localobj a, b`
    LocalObj(Vec<Ident>),
    /// `print a, "b", c`
    Print(Vec<Expr>),
    /// `double`, `strdef`, `objref`, `create`.
    Decl(DeclKind, Vec<DeclItem>),
    /// `proc name() body` and kin.
    Define {
        kind: ProcKind,
        name: Ident,
        body: Box<Stmt>,
    },
    /// `begintemplate Name ... endtemplate Name`
    Template {
        name: Ident,
        body: Vec<Stmt>,
    },
    /// `public a, b`
    Public(Vec<Ident>),
    /// `external a, b`
    External(Vec<Ident>),
    /// `sec stmt`: run `stmt` with `sec` as the currently accessed section.
    WithSection {
        sec: SecRef,
        body: Box<Stmt>,
    },
    /// `connect child(x), parent(y)` or `connect child(x), y` (parent is the accessed section).
    Connect {
        child: SecRef,
        child_x: Option<Expr>,
        parent: Option<SecRef>,
        parent_x: Expr,
    },
    /// `access sec`
    Access(SecRef),
    /// `insert name`
    Insert(Ident),
    /// `uninsert name`
    Uninsert(Ident),
    /// `setpointer target, source`
    Setpointer {
        target: Expr,
        source: Expr,
    },
    /// `diam(0:1) = 2:3`: a range variable set linearly over an arc interval.
    Taper {
        target: Expr,
        y0: Expr,
        y1: Expr,
    },
    /// An empty statement.
    Empty,
}
