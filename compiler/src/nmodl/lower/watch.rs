//! `WATCH (a > b) flag` in NET_RECEIVE, as nocmodl 9.0.2 translates it:
//! each condition becomes a FUNCTION of no arguments (`_watchN_cond`) that
//! copies the node's v into the instance's `v` and returns `a - b` (`b - a`
//! for `<`), listed in [`Kernels::watch`]; the statement becomes the
//! [`HostFn::Watch`] service with the condition's index, the flag and the
//! condition's value now (NEURON arms a condition that already holds as
//! "above", so it sends nothing until it has been false once).
//!
//! The runtime evaluates every armed condition once per step and calls
//! NET_RECEIVE with the flag when one turns positive.

use super::super::ast::{self, BinOp as AstBinOp, ExprKind, Span};
use super::super::ir::*;
use super::build::*;
use super::expr::kw;
use super::Lowerer;

impl Lowerer<'_> {
    /// Lowers one `WATCH` statement (one or more conditions).
    pub(super) fn watch_stmt(&mut self, ws: &[ast::Watch], span: Span, out: &mut Vec<Stmt>) {
        if !self.body.net_receive {
            self.error(kw(span, 5), "WATCH is allowed only in NET_RECEIVE");
            return;
        }
        if self.ir.kind == MechKind::Artificial {
            self.error(
                kw(span, 5),
                "WATCH in an ARTIFICIAL_CELL: NEURON 9.0.2 reads v at the cell's node, \
                 which an artificial cell has not (nrniv crashes); make it a POINT_PROCESS",
            );
            return;
        }
        for w in ws {
            let Some(f) = self.watch_condition(&w.cond) else {
                continue;
            };
            let k = self.ir.kernels.watch.len();
            self.ir.kernels.watch.push(f);
            let flag = self.expr(&w.flag);
            out.push(Stmt::Host(
                HostFn::Watch,
                vec![num(k as f64), flag, Expr::Call(f, Vec::new())],
            ));
        }
    }

    /// The function returning a condition's value; `None` (with an error)
    /// when the condition is not one comparison `>` or `<`.
    fn watch_condition(&mut self, cond: &ast::Expr) -> Option<usize> {
        let mut c = cond;
        while let ExprKind::Paren(inner) = &c.kind {
            c = inner;
        }
        let (op, a, b) = match &c.kind {
            ExprKind::Binary(op @ (AstBinOp::Gt | AstBinOp::Lt), a, b) => (*op, a, b),
            _ => {
                self.error(
                    cond.span,
                    "a WATCH condition is one comparison `a > b` or `a < b`",
                );
                return None;
            }
        };
        let saved = self.begin();
        let mut body = self.v_copy(None);
        let (a, b) = (self.expr(a), self.expr(b));
        let value = match op {
            AstBinOp::Gt => sub(a, b),
            _ => neg(sub(a, b)),
        };
        body.push(Stmt::Return(value));
        let locals = self.end(saved);
        let k = self.ir.functions.len();
        self.ir.functions.push(Function {
            name: format!("_watch{}_cond", self.ir.kernels.watch.len() + 1),
            args: 0,
            locals,
            returns_value: true,
            hoc: false,
            body,
        });
        Some(k)
    }
}
