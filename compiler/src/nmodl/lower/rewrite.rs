//! Rewriting IR in place: every variable and every called function of a
//! body mapped through caller-given functions. Used to make type-wide
//! copies of functions (TABLE building) where per-instance storage is
//! replaced by scratch globals.

use super::super::ir::*;

/// What a rewrite does to the places and calls it meets.
pub(crate) struct Rewrite<'a> {
    /// a place (after its index, if any, was rewritten)
    pub var: &'a dyn Fn(Var) -> Var,
    /// the index of a called function
    pub call: &'a dyn Fn(usize) -> usize,
}

impl Rewrite<'_> {
    pub fn stmts(&self, body: &mut [Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    pub fn stmt(&self, s: &mut Stmt) {
        match s {
            Stmt::Assign(v, e) => {
                self.place(v);
                self.expr(e);
            }
            Stmt::If(c, a, b) => {
                self.expr(c);
                self.stmts(a);
                self.stmts(b);
            }
            Stmt::While(c, b) => {
                self.expr(c);
                self.stmts(b);
            }
            Stmt::Call(f, args) => {
                *f = (self.call)(*f);
                self.exprs(args);
            }
            Stmt::Host(_, args) => self.exprs(args),
            Stmt::Return(e) => self.expr(e),
            Stmt::Solve { a, b, out } => {
                self.exprs(a);
                self.exprs(b);
                for v in out {
                    self.place(v);
                }
            }
        }
    }

    fn exprs(&self, es: &mut [Expr]) {
        for e in es {
            self.expr(e);
        }
    }

    pub fn place(&self, v: &mut Var) {
        if let Var::Slot(_, Some(i)) | Var::Global(_, Some(i)) = v {
            self.expr(i);
        }
        let old = std::mem::replace(v, Var::T);
        *v = (self.var)(old);
    }

    pub fn expr(&self, e: &mut Expr) {
        match e {
            Expr::Num(_) => {}
            Expr::Load(v) => self.place(v),
            Expr::Un(_, a) => self.expr(a),
            Expr::Bin(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Select(c, a, b) => {
                self.expr(c);
                self.expr(a);
                self.expr(b);
            }
            Expr::Call(f, args) => {
                *f = (self.call)(*f);
                self.exprs(args);
            }
            Expr::Math(_, args) | Expr::Host(_, args) => self.exprs(args),
        }
    }
}
