//! A readable, stable text form of the mechanism IR, for snapshot tests of
//! the lowering and for debugging.
//!
//! Places print as: a slot by its name (`m`, `x[i]`), a global with `::`
//! (`::minf`), locals `l3`, arguments `a0`, node values `node.v`, ion
//! fields `na.erev`, POINTER targets `*pre`, and `t`, `dt`, `celsius`, `secondorder`, `flag`.
//! Binary operations are fully parenthesized; numbers print in Rust's
//! shortest round-trip form.

use super::ir::*;
use std::fmt::Write as _;

/// Prints a whole mechanism.
pub fn print(ir: &MechIr) -> String {
    let p = Printer { ir };
    let mut out = String::new();
    let kind = match ir.kind {
        MechKind::Density => "density",
        MechKind::Point => "point",
        MechKind::Artificial => "artificial",
    };
    let _ = writeln!(
        out,
        "mechanism {} {kind} weights={} electrode_current={} thread_safe={}",
        ir.name, ir.weights, ir.electrode_current, ir.thread_safe
    );
    out.push_str("slots:\n");
    for (k, s) in ir.slots.iter().enumerate() {
        let _ = write!(
            out,
            "  {:>3} {} {}",
            ir.slot_offset(k),
            s.name,
            role(s.role)
        );
        if s.size != 1 {
            let _ = write!(out, " [{}]", s.size);
        }
        if s.hoc {
            out.push_str(" hoc");
        }
        if s.default != 0.0 {
            let _ = write!(out, " = {:?}", s.default);
        }
        if let Some(u) = &s.unit {
            let _ = write!(out, " ({u})");
        }
        out.push('\n');
    }
    if !ir.pointers.is_empty() {
        out.push_str("pointers:\n");
        for (k, d) in ir.pointers.iter().enumerate() {
            let _ = write!(out, "  {k:>3} {}", d.name);
            if let Some(u) = &d.unit {
                let _ = write!(out, " ({u})");
            }
            out.push('\n');
        }
    }
    out.push_str("globals:\n");
    for (k, g) in ir.globals.iter().enumerate() {
        let _ = write!(
            out,
            "  {:>3} {} {}",
            ir.global_offset(k),
            g.name,
            role(g.role)
        );
        if g.size != 1 {
            let _ = write!(out, " [{}]", g.size);
        }
        if g.hoc {
            out.push_str(" hoc");
        }
        if g.default != 0.0 {
            let _ = write!(out, " = {:?}", g.default);
        }
        out.push('\n');
    }
    for i in &ir.ions {
        let fields = |fs: &[IonField]| fs.iter().map(|f| field(*f)).collect::<Vec<_>>().join(",");
        let _ = write!(
            out,
            "ion {} read [{}] write [{}]",
            i.name,
            fields(&i.reads),
            fields(&i.writes)
        );
        if let Some(v) = i.valence {
            let _ = write!(out, " valence {v:?}");
        }
        out.push('\n');
    }
    for f in &ir.functions {
        let _ = writeln!(
            out,
            "\n{} {}(args={}, locals={}){} {{",
            if f.returns_value {
                "function"
            } else {
                "procedure"
            },
            f.name,
            f.args,
            f.locals,
            if f.hoc { " hoc" } else { "" }
        );
        p.block(&mut out, &f.body, 1);
        out.push_str("}\n");
    }
    let k = &ir.kernels;
    for (name, kern) in [
        ("init", &k.init),
        ("cur", &k.cur),
        ("jacob", &k.jacob),
        ("state", &k.state),
        ("table", &k.table),
        ("net_receive", &k.net_receive),
        ("net_receive_init", &k.net_receive_init),
    ] {
        if let Some(kern) = kern {
            let _ = writeln!(out, "\nkernel {name}(locals={}) {{", kern.locals);
            p.block(&mut out, &kern.body, 1);
            out.push_str("}\n");
        }
    }
    for (when, kern) in &k.before_after {
        let _ = writeln!(out, "\nkernel {when:?}(locals={}) {{", kern.locals);
        p.block(&mut out, &kern.body, 1);
        out.push_str("}\n");
    }
    for t in &ir.function_tables {
        let _ = writeln!(
            out,
            "\nfunction_table {}: function {} args={} header={}{}",
            t.name,
            t.function,
            t.args,
            t.header,
            if t.used { " used" } else { "" }
        );
    }
    for (i, f) in k.watch.iter().enumerate() {
        let name = ir.functions.get(*f).map_or("?", |f| f.name.as_str());
        let _ = writeln!(out, "\nwatch {i}: {name}");
    }
    out
}

fn role(r: VarRole) -> &'static str {
    match r {
        VarRole::Parameter => "parameter",
        VarRole::Assigned => "assigned",
        VarRole::State => "state",
        VarRole::Internal => "internal",
    }
}

fn field(f: IonField) -> &'static str {
    match f {
        IonField::Erev => "erev",
        IonField::ConcIn => "conc_in",
        IonField::ConcOut => "conc_out",
        IonField::Current => "current",
        IonField::DCurrentDv => "dcurrent_dv",
    }
}

struct Printer<'a> {
    ir: &'a MechIr,
}

impl Printer<'_> {
    fn block(&self, out: &mut String, body: &[Stmt], depth: usize) {
        for s in body {
            self.stmt(out, s, depth);
        }
    }

    fn stmt(&self, out: &mut String, s: &Stmt, depth: usize) {
        let ind = "  ".repeat(depth);
        match s {
            Stmt::Assign(v, e) => {
                let _ = writeln!(out, "{ind}{} = {}", self.var(v), self.expr(e));
            }
            Stmt::If(c, a, b) => {
                let _ = writeln!(out, "{ind}if {} {{", self.expr(c));
                self.block(out, a, depth + 1);
                if b.is_empty() {
                    let _ = writeln!(out, "{ind}}}");
                } else {
                    let _ = writeln!(out, "{ind}}} else {{");
                    self.block(out, b, depth + 1);
                    let _ = writeln!(out, "{ind}}}");
                }
            }
            Stmt::While(c, b) => {
                let _ = writeln!(out, "{ind}while {} {{", self.expr(c));
                self.block(out, b, depth + 1);
                let _ = writeln!(out, "{ind}}}");
            }
            Stmt::Call(f, args) => {
                let _ = writeln!(out, "{ind}call {}", self.call(*f, args));
            }
            Stmt::Host(h, args) => {
                let _ = writeln!(out, "{ind}host {}", self.host(*h, args));
            }
            Stmt::Return(e) => {
                let _ = writeln!(out, "{ind}return {}", self.expr(e));
            }
            Stmt::Solve { a, b, out: xs } => {
                let n = b.len();
                let _ = writeln!(out, "{ind}solve {n}x{n} {{");
                for i in 0..n {
                    let row: Vec<String> =
                        a[i * n..(i + 1) * n].iter().map(|e| self.expr(e)).collect();
                    let _ = writeln!(
                        out,
                        "{ind}  {} <- [{}] | {}",
                        self.var(&xs[i]),
                        row.join(", "),
                        self.expr(&b[i])
                    );
                }
                let _ = writeln!(out, "{ind}}}");
            }
        }
    }

    fn named(&self, decls: &[(usize, &str)], k: usize, idx: &Option<Box<Expr>>) -> String {
        let (start, name) = decls
            .iter()
            .rev()
            .find(|(s, _)| *s <= k)
            .copied()
            .unwrap_or((0, "?"));
        let mut s = name.to_string();
        if k != start {
            let _ = write!(s, "+{}", k - start);
        }
        if let Some(i) = idx {
            let _ = write!(s, "[{}]", self.expr(i));
        }
        s
    }

    fn var(&self, v: &Var) -> String {
        match v {
            Var::Slot(k, idx) => {
                let decls: Vec<(usize, &str)> = (0..self.ir.slots.len())
                    .map(|i| (self.ir.slot_offset(i), self.ir.slots[i].name.as_str()))
                    .collect();
                self.named(&decls, *k, idx)
            }
            Var::Global(k, idx) => {
                let decls: Vec<(usize, &str)> = (0..self.ir.globals.len())
                    .map(|i| (self.ir.global_offset(i), self.ir.globals[i].name.as_str()))
                    .collect();
                format!("::{}", self.named(&decls, *k, idx))
            }
            Var::Local(k) => format!("l{k}"),
            Var::Arg(k) => format!("a{k}"),
            Var::Node(n) => format!(
                "node.{}",
                match n {
                    NodeVar::V => "v",
                    NodeVar::Rhs => "rhs",
                    NodeVar::D => "d",
                    NodeVar::Area => "area",
                    NodeVar::Diam => "diam",
                }
            ),
            Var::Ion(i, f) => format!(
                "{}.{}",
                self.ir.ions.get(*i).map_or("?", |d| d.name.as_str()),
                field(*f)
            ),
            Var::T => "t".into(),
            Var::Dt => "dt".into(),
            Var::Celsius => "celsius".into(),
            Var::SecondOrder => "secondorder".into(),
            Var::Flag => "flag".into(),
            Var::Pointer(k) => format!(
                "*{}",
                self.ir.pointers.get(*k).map_or("?", |d| d.name.as_str())
            ),
        }
    }

    fn args(&self, args: &[Expr]) -> String {
        args.iter()
            .map(|a| self.expr(a))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn call(&self, f: usize, args: &[Expr]) -> String {
        let name = self.ir.functions.get(f).map_or("?", |f| f.name.as_str());
        format!("{name}({})", self.args(args))
    }

    fn host(&self, h: HostFn, args: &[Expr]) -> String {
        format!("{h:?}({})", self.args(args))
    }

    fn expr(&self, e: &Expr) -> String {
        match e {
            Expr::Num(x) => format!("{x:?}"),
            Expr::Load(v) => self.var(v),
            Expr::Un(UnOp::Neg, a) => format!("-{}", self.expr(a)),
            Expr::Un(UnOp::Not, a) => format!("!{}", self.expr(a)),
            Expr::Bin(op, a, b) => {
                let o = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    BinOp::Div => "/",
                    BinOp::Pow => "^",
                    BinOp::Lt => "<",
                    BinOp::Le => "<=",
                    BinOp::Gt => ">",
                    BinOp::Ge => ">=",
                    BinOp::Eq => "==",
                    BinOp::Ne => "!=",
                    BinOp::And => "&&",
                    BinOp::Or => "||",
                };
                format!("({} {o} {})", self.expr(a), self.expr(b))
            }
            Expr::Select(c, a, b) => {
                format!("({} ? {} : {})", self.expr(c), self.expr(a), self.expr(b))
            }
            Expr::Math(f, args) => {
                format!("{}({})", format!("{f:?}").to_lowercase(), self.args(args))
            }
            Expr::Call(f, args) => self.call(*f, args),
            Expr::Host(h, args) => self.host(*h, args),
        }
    }
}
