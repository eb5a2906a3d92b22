//! Names, expressions and statements of any block, lowered to IR: names
//! resolve to slots, globals, locals, arguments, NEURON's variables or
//! folded constants; calls to FUNCTIONs, C math, or runtime services.
//!
//! `printf` is accepted and ignored (nerve prints nothing from kernels).

use super::super::ast::{self, Block, ExprKind, Ident, Span, StmtKind};
use super::super::ir::*;
use super::super::symbols::{Storage, SymbolKind};
use super::build::*;
use super::{Lowerer, PrimeMode};

/// What a name stands for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Res {
    /// a place
    Var(Var),
    /// a folded constant
    Num(f64),
}

fn math_fn(name: &str) -> Option<MathFn> {
    Some(match name {
        "exp" => MathFn::Exp,
        "log" => MathFn::Log,
        "log10" => MathFn::Log10,
        "sqrt" => MathFn::Sqrt,
        "fabs" => MathFn::Fabs,
        "floor" => MathFn::Floor,
        "ceil" => MathFn::Ceil,
        "sin" => MathFn::Sin,
        "cos" => MathFn::Cos,
        "tan" => MathFn::Tan,
        "asin" => MathFn::Asin,
        "acos" => MathFn::Acos,
        "atan" => MathFn::Atan,
        "sinh" => MathFn::Sinh,
        "cosh" => MathFn::Cosh,
        "tanh" => MathFn::Tanh,
        "erf" => MathFn::Erf,
        "atan2" => MathFn::Atan2,
        "pow" => MathFn::Pow,
        "fmod" => MathFn::Fmod,
        _ => return None,
    })
}

impl Lowerer<'_> {
    /// Resolves a name used as a value or place.
    pub fn resolve(&mut self, id: &Ident) -> Option<Res> {
        let name = id.name.as_str();
        for sc in self.body.scopes.iter().rev() {
            if let Some((_, v)) = sc.iter().rev().find(|(n, _)| n == name) {
                return Some(Res::Var(v.clone()));
            }
        }
        if let Some((n, v)) = &self.body.ret {
            if n == name {
                return Some(Res::Var(v.clone()));
            }
        }
        if let Some(k) = &self.body.kinetic {
            if name == "f_flux" {
                return Some(Res::Var(k.f_flux.clone()));
            }
            if name == "b_flux" {
                return Some(Res::Var(k.b_flux.clone()));
            }
        }
        if name == "flag" && self.body.net_receive {
            return Some(Res::Var(Var::Flag));
        }
        let sym = self.table.get(name);
        if let Some(s) = sym {
            match s.kind {
                SymbolKind::Define | SymbolKind::Constant => {
                    return Some(Res::Num(s.value.unwrap_or(0.0)));
                }
                SymbolKind::UnitConstant => {
                    return Some(Res::Num(self.consts.get(name).copied().unwrap_or(0.0)));
                }
                _ => {}
            }
            if !matches!(s.storage, Storage::Neuron) {
                if let Some(v) = self.slot(name) {
                    return Some(Res::Var(v));
                }
                if let Some(v) = self.global(name) {
                    return Some(Res::Var(v));
                }
                if let Some(&k) = self.pointers.get(name) {
                    return Some(Res::Var(Var::Pointer(k)));
                }
                let what = match s.storage {
                    Storage::Pointer => "POINTER variables are",
                    Storage::BbcorePointer => "BBCOREPOINTER variables are",
                    Storage::External => "EXTERNAL variables are",
                    Storage::Random => "RANDOM variables are",
                    _ => "this variable is",
                };
                self.error(
                    id.span,
                    format!("{name}: {what} not supported yet by nerve"),
                );
                return None;
            }
        }
        match name {
            "v" => match self.slot("v") {
                Some(v) => Some(Res::Var(v)),
                None => {
                    self.error(id.span, "an ARTIFICIAL_CELL has no membrane potential v");
                    None
                }
            },
            "t" => Some(Res::Var(Var::T)),
            "dt" => Some(Res::Var(self.body.dt.clone().unwrap_or(Var::Dt))),
            "celsius" => Some(Res::Var(Var::Celsius)),
            "secondorder" => Some(Res::Var(Var::SecondOrder)),
            "diam" | "area" if self.ir.kind == MechKind::Artificial => {
                self.error(id.span, format!("an ARTIFICIAL_CELL has no {name}"));
                None
            }
            "diam" => Some(Res::Var(Var::Node(NodeVar::Diam))),
            "area" => Some(Res::Var(Var::Node(NodeVar::Area))),
            "PI" => Some(Res::Num(std::f64::consts::PI)),
            _ => {
                self.error(id.span, format!("{name} cannot be lowered here"));
                None
            }
        }
    }

    /// A name or indexed name as a place to store into.
    pub fn target(&mut self, e: &ast::Expr) -> Option<Var> {
        match &e.kind {
            ExprKind::Name(id) => match self.resolve(id)? {
                Res::Var(v) => Some(v),
                Res::Num(_) => {
                    self.error(
                        id.span,
                        format!("{} is a constant and cannot be assigned", id.name),
                    );
                    None
                }
            },
            ExprKind::Index { base, index } => {
                let ExprKind::Name(id) = &base.kind else {
                    self.error(e.span, "only a name can be indexed");
                    return None;
                };
                let i = self.expr(index);
                match self.resolve(id)? {
                    Res::Var(v @ (Var::Slot(..) | Var::Global(..))) => Some(indexed(&v, i)),
                    _ => {
                        self.error(
                            id.span,
                            format!("{} is not an array nerve can index", id.name),
                        );
                        None
                    }
                }
            }
            _ => {
                self.error(e.span, "this cannot be assigned");
                None
            }
        }
    }

    /// Lowers an expression (errors are recorded; a placeholder 0 is returned).
    pub fn expr(&mut self, e: &ast::Expr) -> Expr {
        match &e.kind {
            ExprKind::Num { num, .. } => num_lit(num.value),
            ExprKind::Str(_) => {
                self.error(e.span, "a string is allowed only as an argument of printf");
                num(0.0)
            }
            ExprKind::Name(id) => match self.resolve(id) {
                Some(Res::Var(v)) => Expr::Load(v),
                Some(Res::Num(x)) => num(x),
                None => num(0.0),
            },
            ExprKind::Index { .. } => match self.target(e) {
                Some(v) => Expr::Load(v),
                None => num(0.0),
            },
            ExprKind::Prime { name, .. } => match self.slot(&format!("D{}", name.name)) {
                Some(v) => Expr::Load(v),
                None => {
                    self.error(e.span, "this derivative cannot be read here");
                    num(0.0)
                }
            },
            ExprKind::Paren(x) => self.expr(x),
            ExprKind::Unary(op, x) => {
                let x = self.expr(x);
                let op = match op {
                    ast::UnOp::Neg => UnOp::Neg,
                    ast::UnOp::Not => UnOp::Not,
                };
                Expr::Un(op, Box::new(x))
            }
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                use ast::BinOp as A;
                let op = match op {
                    A::Add => BinOp::Add,
                    A::Sub => BinOp::Sub,
                    A::Mul => BinOp::Mul,
                    A::Div => BinOp::Div,
                    A::Pow => BinOp::Pow,
                    A::Eq => BinOp::Eq,
                    A::Ne => BinOp::Ne,
                    A::Lt => BinOp::Lt,
                    A::Le => BinOp::Le,
                    A::Gt => BinOp::Gt,
                    A::Ge => BinOp::Ge,
                    A::And => BinOp::And,
                    A::Or => BinOp::Or,
                };
                bin(op, a, b)
            }
            ExprKind::Call { name, args } => self.call_expr(name, args, e.span),
        }
    }

    fn call_expr(&mut self, name: &Ident, args: &[ast::Expr], span: Span) -> Expr {
        let n = name.name.as_str();
        if let Some(&f) = self.funcs.get(n) {
            let args = args.iter().map(|a| self.expr(a)).collect();
            return Expr::Call(f, args);
        }
        if let Some(m) = math_fn(n) {
            let args = args.iter().map(|a| self.expr(a)).collect();
            return math(m, args);
        }
        let host = match n {
            "scop_random" => Some(HostFn::Uniform),
            "exprand" => Some(HostFn::Exprand),
            "normrand" => Some(HostFn::Normrand),
            _ => None,
        };
        if let Some(h) = host {
            let mut a = vec![num(0.0)];
            a.extend(args.iter().map(|a| self.expr(a)));
            return Expr::Host(h, a);
        }
        if n.starts_with("random_") {
            return self.random_call(name, args, span, &mut Vec::new());
        }
        if n == "at_time" && args.len() == 1 {
            // NEURON 9.0.2's fixed step (cvodestb.cpp): whether te falls in
            // the step just taken, (t - dt, t], shifted by 1e-11
            let x = sub(self.expr(&args[0]), num(1e-11));
            let t = load(&Var::T);
            return bin(
                BinOp::And,
                bin(BinOp::Le, x.clone(), t.clone()),
                bin(BinOp::Gt, x, sub(t, load(&Var::Dt))),
            );
        }
        if matches!(n, "net_send" | "net_event" | "net_move" | "printf") {
            self.error(span, format!("{n} has no value: call it as a statement"));
            return num(0.0);
        }
        self.error(name.span, format!("{n} is not supported yet by nerve"));
        num(0.0)
    }

    /// Lowers a call written as a statement.
    fn call_stmt(&mut self, e: &ast::Expr, out: &mut Vec<Stmt>) {
        let ExprKind::Call { name, args } = &e.kind else {
            let _ = self.expr(e);
            return;
        };
        let n = name.name.as_str();
        if n == "net_send" && args.len() == 2 {
            // nocmodl writes the event time as the text `t + <delay>`
            let at = self.t_plus(&args[0]);
            let flag = self.expr(&args[1]);
            out.push(Stmt::Host(HostFn::NetSendAt, vec![at, flag]));
            return;
        }
        let host = match n {
            "net_send" => Some(HostFn::NetSend),
            "net_event" => Some(HostFn::NetEvent),
            "net_move" => Some(HostFn::NetMove),
            _ => None,
        };
        if let Some(h) = host {
            let args = args.iter().map(|a| self.expr(a)).collect();
            out.push(Stmt::Host(h, args));
            return;
        }
        if n == "printf" {
            return;
        }
        if n == "state_discontinuity" && self.body.net_receive && args.len() == 2 {
            // nocmodl 9.0.2: `x = e`, unless the HOC variable
            // nrn_netrec_state_adjust (default 0) asks for a half-step cnexp
            // correction, which nerve does not do.
            if let Some(v) = self.target(&args[0]) {
                let value = self.expr(&args[1]);
                out.push(Stmt::Assign(v, value));
            }
            return;
        }
        if let Some(&f) = self.funcs.get(n) {
            let args = args.iter().map(|a| self.expr(a)).collect();
            out.push(Stmt::Call(f, args));
            return;
        }
        if n.starts_with("random_") {
            if let Expr::Host(h, a) = self.random_call(name, args, e.span, out) {
                out.push(Stmt::Host(h, a));
            }
            return;
        }
        if let Expr::Host(h, a) = self.call_expr(name, args, e.span) {
            out.push(Stmt::Host(h, a));
        }
    }

    /// `t + d` as C parses nocmodl's text `t + <d>`: t joins the leftmost
    /// term of d's top-level chain of `+` and `-` (whose operators C
    /// associates to the left); a parenthesized d stays whole.
    fn t_plus(&mut self, d: &ast::Expr) -> Expr {
        match &d.kind {
            ExprKind::Binary(op @ (ast::BinOp::Add | ast::BinOp::Sub), a, b) => {
                let left = self.t_plus(a);
                let right = self.expr(b);
                let op = if matches!(op, ast::BinOp::Add) {
                    BinOp::Add
                } else {
                    BinOp::Sub
                };
                bin(op, left, right)
            }
            _ => {
                let x = self.expr(d);
                bin(BinOp::Add, Expr::Load(Var::T), x)
            }
        }
    }

    /// NEURON 9's functions of a RANDOM variable (`random_negexp(r)`, ...):
    /// host services on the instance's stream `k` (see [`HostFn`]). A
    /// statement-only part (the first half of `random_setids`) goes to `out`.
    fn random_call(
        &mut self,
        name: &Ident,
        args: &[ast::Expr],
        span: Span,
        out: &mut Vec<Stmt>,
    ) -> Expr {
        let n = name.name.as_str();
        let k = match args.first().map(|a| &a.kind) {
            Some(ExprKind::Name(r)) if self.randoms.contains_key(&r.name) => self.randoms[&r.name],
            _ => {
                self.error(
                    span,
                    format!("{n} takes a RANDOM variable as its first argument"),
                );
                return num(0.0);
            }
        };
        let rest: Vec<Expr> = args[1..].iter().map(|a| self.expr(a)).collect();
        let kk = num(k as f64);
        let want = |me: &mut Self, counts: &[usize]| {
            if !counts.contains(&rest.len()) {
                me.error(span, format!("{n}: wrong number of arguments"));
                false
            } else {
                true
            }
        };
        match n {
            "random_negexp" if want(self, &[0, 1]) => {
                let mean = rest.first().cloned().unwrap_or(num(1.0));
                Expr::Host(HostFn::Exprand, vec![kk, mean])
            }
            "random_uniform" | "random_dpick" if want(self, &[0, 2]) => {
                let u = Expr::Host(HostFn::Uniform, vec![kk]);
                match rest.as_slice() {
                    [a, b] => bin(
                        BinOp::Add,
                        a.clone(),
                        bin(BinOp::Mul, bin(BinOp::Sub, b.clone(), a.clone()), u),
                    ),
                    _ => u,
                }
            }
            "random_normal" if want(self, &[0, 2]) => {
                let (m, sd) = match rest.as_slice() {
                    [m, sd] => (m.clone(), sd.clone()),
                    _ => (num(0.0), num(1.0)),
                };
                Expr::Host(HostFn::Normrand, vec![kk, m, sd])
            }
            "random_ipick" if want(self, &[0]) => Expr::Host(HostFn::RandomIpick, vec![kk]),
            "random_setseq" if want(self, &[1]) => {
                Expr::Host(HostFn::RandomSetseq, vec![kk, rest[0].clone()])
            }
            "random_setids" if want(self, &[3]) => {
                out.push(Stmt::Host(
                    HostFn::RandomSetids12,
                    vec![kk.clone(), rest[0].clone(), rest[1].clone()],
                ));
                Expr::Host(HostFn::RandomSetid3, vec![kk, rest[2].clone()])
            }
            "random_negexp" | "random_uniform" | "random_dpick" | "random_normal"
            | "random_ipick" | "random_setseq" | "random_setids" => num(0.0),
            _ => {
                self.error(name.span, format!("{n} is not supported yet by nerve"));
                num(0.0)
            }
        }
    }

    /// Declares a block's LOCALs (and implicit loop variables) as fresh locals.
    pub fn push_scope(&mut self, block: &Block) {
        let mut names = Vec::new();
        if let Some(sc) = self.table.scope(block.span) {
            for s in &sc.symbols {
                if matches!(s.kind, SymbolKind::Local | SymbolKind::LoopVar) {
                    if s.dim.is_some() {
                        self.error(
                            s.span,
                            format!(
                                "LOCAL arrays such as {} are not supported yet by nerve",
                                s.name
                            ),
                        );
                    }
                    let v = self.body.local();
                    names.push((s.name.clone(), v));
                }
            }
        }
        self.body.scopes.push(names);
    }

    /// Lowers a block in its own scope.
    pub fn block(&mut self, block: &Block) -> Vec<Stmt> {
        self.push_scope(block);
        let mut out = Vec::new();
        for s in &block.stmts {
            self.stmt(s, &mut out);
        }
        self.body.scopes.pop();
        out
    }

    /// Lowers one statement.
    pub fn stmt(&mut self, s: &ast::Stmt, out: &mut Vec<Stmt>) {
        match &s.kind {
            StmtKind::Local(_)
            | StmtKind::UnitsCheck(_)
            | StmtKind::MutexLock
            | StmtKind::MutexUnlock => {}
            StmtKind::Conductance { .. } => {}
            StmtKind::Verbatim(text) => {
                // The checks let only comments and `return 0;` through.
                use super::super::check::{trivial_verbatim, TrivialVerbatim};
                if trivial_verbatim(text) == Some(TrivialVerbatim::ReturnZero) {
                    out.push(Stmt::Return(num(0.0)));
                }
            }
            StmtKind::Assign { target, value, .. } => {
                if let Some((state, Some(_))) = prime_target(target) {
                    self.error(
                        state.span,
                        "derivatives of STATE arrays are not supported yet by nerve",
                    );
                    return;
                }
                if let Some((state, None)) = prime_target(target) {
                    self.prime_assign(state, value, s.span, out);
                    return;
                }
                let v = self.target(target);
                let e = self.expr(value);
                if let Some(v) = v {
                    out.push(Stmt::Assign(v, e));
                }
            }
            StmtKind::Call(e) => self.call_stmt(e, out),
            StmtKind::If {
                cond,
                then,
                elifs,
                els,
            } => {
                let c = self.expr(cond);
                let t = self.block(then);
                let mut e = match els {
                    Some(b) => self.block(b),
                    None => Vec::new(),
                };
                for (c2, b2) in elifs.iter().rev() {
                    let c2 = self.expr(c2);
                    let b2 = self.block(b2);
                    e = vec![Stmt::If(c2, b2, e)];
                }
                out.push(Stmt::If(c, t, e));
            }
            StmtKind::While { cond, body } => {
                let c = self.expr(cond);
                let b = self.block(body);
                out.push(Stmt::While(c, b));
            }
            StmtKind::From {
                var,
                from,
                to,
                by,
                body,
            } => {
                let Some(i) = self.target(&ast::Expr {
                    kind: ExprKind::Name(var.clone()),
                    span: var.span,
                }) else {
                    return;
                };
                let from = self.expr(from);
                let to = self.expr(to);
                let step = match by {
                    Some(b) => self.expr(b),
                    None => num(1.0),
                };
                let end = self.body.local();
                out.push(assign(&i, from));
                out.push(assign(&end, to));
                let mut b = self.block(body);
                b.push(add_to(&i, step));
                out.push(Stmt::While(bin(BinOp::Le, load(&i), load(&end)), b));
            }
            StmtKind::Block(b) => {
                let b = self.block(b);
                out.extend(b);
            }
            StmtKind::Solve { block, method } => {
                self.solve_stmt(block, method.as_ref(), s.span, out)
            }
            StmtKind::Table(_) => {} // handled with its function
            StmtKind::Reaction(r) => self.reaction(r, s.span, out),
            StmtKind::Conserve { species, total } => self.conserve(species, total, s.span, out),
            StmtKind::Compartment(c) => self.compartment(c, out),
            StmtKind::Initial(_) => {} // NET_RECEIVE's INITIAL, lowered separately
            StmtKind::Watch(ws) => self.watch_stmt(ws, s.span, out),
            StmtKind::ForNetcons { params, body } => self.for_netcons(params, body, s.span, out),
            StmtKind::Equation { lhs, rhs, add } => self.equation(lhs, rhs, *add, s.span, out),
            StmtKind::LongDiffusion(_) => self.error(
                kw(s.span, 22),
                "LONGITUDINAL_DIFFUSION is not supported yet by nerve",
            ),
            StmtKind::Lag { .. } => self.error(kw(s.span, 3), "LAG is not supported yet by nerve"),
        }
    }

    /// `x' = e` in the current prime mode.
    fn prime_assign(&mut self, state: &Ident, value: &ast::Expr, span: Span, out: &mut Vec<Stmt>) {
        let mode = self.body.prime.clone().unwrap_or(PrimeMode::Forbidden);
        let (Some(x), Some(d)) = (
            self.slot(&state.name),
            self.slot(&format!("D{}", state.name)),
        ) else {
            self.error(state.span, format!("{} is not a STATE", state.name));
            return;
        };
        match mode {
            PrimeMode::Forbidden => {
                self.error(
                    span,
                    "a derivative equation is allowed only in a DERIVATIVE block",
                );
            }
            PrimeMode::Store => {
                let e = self.expr(value);
                out.push(assign(&d, e));
            }
            PrimeMode::Cnexp => {
                let e = self.expr(value);
                match super::solve::cnexp_update(&x, &e, &self.dt_expr()) {
                    Some(s) => out.push(s),
                    None => self.error(
                        value.span,
                        "cnexp cannot differentiate this equation: use METHOD derivimplicit",
                    ),
                }
            }
        }
    }

    /// The time step as seen by the block being lowered.
    pub fn dt_expr(&self) -> Expr {
        load(self.body.dt.as_ref().unwrap_or(&Var::Dt))
    }
}

/// A number literal.
fn num_lit(x: f64) -> Expr {
    num(x)
}

/// The span of a statement's first `n` bytes (its keyword).
pub(crate) fn kw(span: Span, n: usize) -> Span {
    Span::new(span.start, (span.start + n).min(span.end.max(span.start)))
}

/// `x'` (or `x'[i]`) as the target of an assignment.
fn prime_target(e: &ast::Expr) -> Option<(&Ident, Option<&ast::Expr>)> {
    match &e.kind {
        ExprKind::Prime { name, .. } => Some((name, None)),
        ExprKind::Index { base, index } => match &base.kind {
            ExprKind::Prime { name, .. } => Some((name, Some(index))),
            _ => None,
        },
        _ => None,
    }
}
