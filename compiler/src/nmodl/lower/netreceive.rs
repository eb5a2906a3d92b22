//! NET_RECEIVE: the `net_receive` kernel, run per event for the receiving
//! instance with the NetCon's weight vector as `Arg(k)` (writable, as
//! NEURON's `_args[k]`), `flag` as `Flag` and `t` as the event time; its
//! nested INITIAL block becomes `net_receive_init`, run per NetCon at
//! initialisation. `net_send(delay, flag)`, `net_event(t)` and
//! `net_move(t)` are host calls with the arguments as written.
//!
//! A point process's NET_RECEIVE starts with the copy of the node's v into
//! its `v`, as nocmodl 9.0.2's `_net_receive` does. nocmodl also writes
//! `v` back to the node at the end; nerve's kernels cannot write the node's
//! v, so a NET_RECEIVE that assigns `v` is refused.

use super::super::ast::{ItemKind, StmtKind};
use super::super::ir::*;
use super::callable::args_scope;
use super::expr::kw;
use super::Lowerer;

impl Lowerer<'_> {
    pub(super) fn net_receive(&mut self) {
        let prog = self.prog;
        let Some((params, body)) = prog.items.iter().find_map(|i| match &i.kind {
            ItemKind::NetReceive { params, body } => Some((params, body)),
            _ => None,
        }) else {
            return;
        };
        self.ir.weights = params.len();
        let saved = self.begin();
        self.body.net_receive = true;
        self.body.scopes.push(args_scope(params));
        let mut stmts = self.v_copy(None);
        let copied = stmts.len();
        stmts.extend(self.block(body));
        let locals = self.end(saved);
        if let Some(v) = self.slot("v") {
            if stmts[copied..].iter().any(|s| assigns(s, &v)) {
                let span = prog
                    .items
                    .iter()
                    .find(|i| matches!(i.kind, ItemKind::NetReceive { .. }))
                    .map_or(super::Span::new(0, 0), |i| kw(i.span, 11));
                self.error(
                    span,
                    "assigning v in NET_RECEIVE (NEURON writes it to the node) \
                     is not supported yet by nerve",
                );
            }
        }
        self.ir.kernels.net_receive = Some(Kernel {
            locals,
            body: stmts,
        });
        let init = body.stmts.iter().find_map(|s| match &s.kind {
            StmtKind::Initial(b) => Some(b),
            _ => None,
        });
        if let Some(b) = init {
            let saved = self.begin();
            self.body.net_receive = true;
            self.body.scopes.push(args_scope(params));
            let stmts = self.block(b);
            let locals = self.end(saved);
            self.ir.kernels.net_receive_init = Some(Kernel {
                locals,
                body: stmts,
            });
        }
    }
}

/// Whether `s` (or a statement inside it) assigns `v`.
fn assigns(s: &Stmt, v: &Var) -> bool {
    let mut found = false;
    visit_stmt(
        s,
        &mut |s| match s {
            Stmt::Assign(w, _) => found |= w == v,
            Stmt::Solve { out, .. } => found |= out.contains(v),
            _ => {}
        },
        &mut |_| {},
    );
    found
}
