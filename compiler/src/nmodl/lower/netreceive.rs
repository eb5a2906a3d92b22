//! NET_RECEIVE: the `net_receive` kernel, run per event for the receiving
//! instance with the NetCon's weight vector as `Arg(k)` (writable, as
//! NEURON's `_args[k]`), `flag` as `Flag` and `t` as the event time; its
//! nested INITIAL block becomes `net_receive_init`, run per NetCon at
//! initialisation. `net_send(delay, flag)`, `net_event(t)` and
//! `net_move(t)` are host calls with the arguments as written.

use super::super::ast::{ItemKind, StmtKind};
use super::super::ir::*;
use super::callable::args_scope;
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
        let stmts = self.block(body);
        let locals = self.end(saved);
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
