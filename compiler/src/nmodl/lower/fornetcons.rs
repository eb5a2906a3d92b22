//! `FOR_NETCONS (a0, a1, ...) { body }` in NET_RECEIVE (STDP synapses):
//! the body runs once for every NetCon that targets this instance, with
//! `ak` standing for weight k of that NetCon, writable. nocmodl 9.0.2 makes
//! `ak` an alias of the weight (`_fnargs[k]`) in NEURON's list of the
//! instance's NetCons (sources in creation order, each source's NetCons in
//! order).
//!
//! nerve's kernels reach other NetCons' weights through runtime services:
//! [`HostFn::NetconCount`] gives the list's length, and each `ak` is a
//! local loaded with [`HostFn::NetconWeight`] when the iteration starts.
//! The alias is kept exact: every assignment to `ak` is written through
//! at once ([`HostFn::NetconSetWeight`]), and every assignment to one of
//! NET_RECEIVE's own arguments (the same memory when the loop is at the
//! NetCon being delivered) loads the `ak` again.

use super::super::ast::{Block, Param, Span};
use super::super::ir::*;
use super::build::*;
use super::expr::kw;
use super::Lowerer;

impl Lowerer<'_> {
    /// Lowers one `FOR_NETCONS` statement.
    pub(super) fn for_netcons(
        &mut self,
        params: &[Param],
        body: &Block,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        if !self.body.net_receive {
            self.error(kw(span, 11), "FOR_NETCONS is allowed only in NET_RECEIVE");
            return;
        }
        let (n, i) = (self.body.local(), self.body.local());
        let args: Vec<Var> = params.iter().map(|_| self.body.local()).collect();
        self.body.scopes.push(
            params
                .iter()
                .zip(&args)
                .map(|(p, v)| (p.name.name.clone(), v.clone()))
                .collect(),
        );
        let stmts = self.block(body);
        self.body.scopes.pop();
        let fetch = |k: usize, a: &Var| {
            assign(
                a,
                Expr::Host(HostFn::NetconWeight, vec![num(k as f64), load(&i)]),
            )
        };
        let reload: Vec<Stmt> = args.iter().enumerate().map(|(k, a)| fetch(k, a)).collect();
        let mut each = reload.clone();
        each.extend(write_through(stmts, &args, &i, &reload));
        each.push(add_to(&i, num(1.0)));
        out.push(assign(&n, Expr::Host(HostFn::NetconCount, Vec::new())));
        out.push(assign(&i, num(0.0)));
        out.push(Stmt::While(bin(BinOp::Lt, load(&i), load(&n)), each));
    }
}

/// `stmts` with each assignment to a loop argument followed by its store
/// into the NetCon's weight, and each assignment to a NET_RECEIVE argument
/// by `reload`.
fn write_through(stmts: Vec<Stmt>, args: &[Var], i: &Var, reload: &[Stmt]) -> Vec<Stmt> {
    let mut out = Vec::with_capacity(stmts.len());
    for s in stmts {
        match s {
            Stmt::Assign(v, e) => {
                let after: Vec<Stmt> = if let Some(k) = args.iter().position(|a| *a == v) {
                    let set = vec![num(k as f64), load(i), load(&v)];
                    vec![Stmt::Host(HostFn::NetconSetWeight, set)]
                } else if matches!(v, Var::Arg(_)) {
                    reload.to_vec()
                } else {
                    Vec::new()
                };
                out.push(Stmt::Assign(v, e));
                out.extend(after);
            }
            Stmt::If(c, a, b) => out.push(Stmt::If(
                c,
                write_through(a, args, i, reload),
                write_through(b, args, i, reload),
            )),
            Stmt::While(c, b) => out.push(Stmt::While(c, write_through(b, args, i, reload))),
            s => out.push(s),
        }
    }
    out
}
