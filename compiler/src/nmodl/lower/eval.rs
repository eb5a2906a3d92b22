//! A tree-walking interpreter of the mechanism IR over one instance with
//! fake node and ion values, for tests only: it lets the tests compare the
//! numbers the lowered kernels compute with NEURON's.

use super::super::ir::*;

/// One instance and everything its kernels can see.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub(crate) struct Instance {
    pub slots: Vec<f64>,
    pub globals: Vec<f64>,
    /// per ion: erev, conc_in, conc_out, current, dcurrent_dv
    pub ions: Vec<[f64; 5]>,
    pub v: f64,
    pub rhs: f64,
    pub d: f64,
    pub area: f64,
    pub diam: f64,
    pub t: f64,
    pub dt: f64,
    pub celsius: f64,
    pub flag: f64,
    /// the doubles the POINTERs refer to (owned here, for tests)
    pub pointers: Vec<f64>,
    /// host calls made, with their arguments
    pub host_calls: Vec<(HostFn, Vec<f64>)>,
    /// the weights of the NetCons that target the instance (FOR_NETCONS)
    pub netcons: Vec<Vec<f64>>,
    /// which of them NET_RECEIVE's arguments are (shared with it)
    pub delivering: Option<usize>,
}

#[allow(dead_code)]
impl Instance {
    /// A fresh instance with the IR's defaults.
    pub fn new(ir: &MechIr) -> Instance {
        let mut slots = Vec::new();
        for s in &ir.slots {
            slots.extend(std::iter::repeat_n(s.default, s.size));
        }
        let mut globals = Vec::new();
        for g in &ir.globals {
            globals.extend(std::iter::repeat_n(g.default, g.size));
        }
        Instance {
            slots,
            globals,
            ions: vec![[0.0; 5]; ir.ions.len()],
            v: -65.0,
            rhs: 0.0,
            d: 0.0,
            area: 100.0,
            diam: 1.0,
            t: 0.0,
            dt: 0.025,
            celsius: 6.3,
            flag: 0.0,
            pointers: vec![0.0; ir.pointers.len()],
            host_calls: Vec::new(),
            netcons: Vec::new(),
            delivering: None,
        }
    }

    /// The value of a named slot (first element).
    pub fn slot(&self, ir: &MechIr, name: &str) -> f64 {
        let k = ir
            .slots
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_else(|| panic!("no slot {name}"));
        self.slots[ir.slot_offset(k)]
    }

    /// Sets a named slot.
    pub fn set_slot(&mut self, ir: &MechIr, name: &str, x: f64) {
        let k = ir
            .slots
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_else(|| panic!("no slot {name}"));
        self.slots[ir.slot_offset(k)] = x;
    }

    /// The value of a named global (first element).
    pub fn global(&self, ir: &MechIr, name: &str) -> f64 {
        let k = ir
            .globals
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_else(|| panic!("no global {name}"));
        self.globals[ir.global_offset(k)]
    }

    /// Sets a named global.
    pub fn set_global(&mut self, ir: &MechIr, name: &str, x: f64) {
        let k = ir
            .globals
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_else(|| panic!("no global {name}"));
        self.globals[ir.global_offset(k)] = x;
    }

    /// Runs a kernel (no-op when absent); `args` are NET_RECEIVE's weights.
    pub fn run(&mut self, ir: &MechIr, k: &Option<Kernel>, args: &mut [f64]) {
        if let Some(k) = k {
            let mut f = Frame {
                locals: vec![f64::NAN; k.locals],
                args: args.to_vec(),
            };
            self.exec(ir, &k.body, &mut f);
            args.copy_from_slice(&f.args[..args.len()]);
            if let Some(w) = self.delivering.and_then(|j| self.netcons.get_mut(j)) {
                w.copy_from_slice(args);
            }
        }
    }

    /// Weight `k` of the `i`-th NetCon of the instance (NET_RECEIVE's own
    /// argument when it is the one delivering).
    fn netcon_weight<'a>(&'a mut self, k: f64, i: f64, f: &'a mut Frame) -> &'a mut f64 {
        let (k, i) = (k as usize, i as usize);
        if self.delivering == Some(i) {
            &mut f.args[k]
        } else {
            &mut self.netcons[i][k]
        }
    }

    /// Calls function `f` with `args`.
    pub fn call(&mut self, ir: &MechIr, f: usize, args: Vec<f64>) -> f64 {
        let func = &ir.functions[f];
        assert_eq!(func.args, args.len(), "arguments of {}", func.name);
        let mut fr = Frame {
            locals: vec![f64::NAN; func.locals],
            args,
        };
        match self.exec(ir, &func.body, &mut fr) {
            Some(x) if func.returns_value => x,
            _ => 0.0,
        }
    }

    fn exec(&mut self, ir: &MechIr, body: &[Stmt], f: &mut Frame) -> Option<f64> {
        for s in body {
            match s {
                Stmt::Assign(v, e) => {
                    let x = self.eval(ir, e, f);
                    self.store(ir, v, x, f);
                }
                Stmt::If(c, a, b) => {
                    let r = if self.eval(ir, c, f) != 0.0 {
                        self.exec(ir, a, f)
                    } else {
                        self.exec(ir, b, f)
                    };
                    if r.is_some() {
                        return r;
                    }
                }
                Stmt::While(c, b) => {
                    let mut guard = 0;
                    while self.eval(ir, c, f) != 0.0 {
                        if let Some(r) = self.exec(ir, b, f) {
                            return Some(r);
                        }
                        guard += 1;
                        assert!(guard < 10_000_000, "endless loop");
                    }
                }
                Stmt::Call(g, args) => {
                    let a = args.iter().map(|a| self.eval(ir, a, f)).collect();
                    self.call(ir, *g, a);
                }
                Stmt::Host(h, args) => {
                    let a: Vec<f64> = args.iter().map(|a| self.eval(ir, a, f)).collect();
                    if *h == HostFn::NetconSetWeight {
                        *self.netcon_weight(a[0], a[1], f) = a[2];
                    }
                    self.host_calls.push((*h, a));
                }
                Stmt::Return(e) => return Some(self.eval(ir, e, f)),
                Stmt::Solve { a, b, out } => {
                    let n = b.len();
                    let mut m: Vec<f64> = a.iter().map(|e| self.eval(ir, e, f)).collect();
                    let mut r: Vec<f64> = b.iter().map(|e| self.eval(ir, e, f)).collect();
                    let x = gauss(n, &mut m, &mut r);
                    for (v, x) in out.iter().zip(x) {
                        self.store(ir, v, x, f);
                    }
                }
            }
        }
        None
    }

    fn index(&mut self, ir: &MechIr, i: &Option<Box<Expr>>, f: &mut Frame) -> usize {
        i.as_ref()
            .map_or(0, |e| self.eval(ir, e, f).trunc() as usize)
    }

    fn store(&mut self, ir: &MechIr, v: &Var, x: f64, f: &mut Frame) {
        match v {
            Var::Slot(k, i) => {
                let i = self.index(ir, i, f);
                self.slots[k + i] = x
            }
            Var::Global(k, i) => {
                let i = self.index(ir, i, f);
                self.globals[k + i] = x
            }
            Var::Local(k) => f.locals[*k] = x,
            Var::Arg(k) => f.args[*k] = x,
            Var::Node(NodeVar::Rhs) => self.rhs = x,
            Var::Node(NodeVar::D) => self.d = x,
            Var::Ion(i, fl) => self.ions[*i][*fl as usize] = x,
            Var::Pointer(k) => self.pointers[*k] = x,
            other => panic!("store into read-only {other:?}"),
        }
    }

    fn load(&mut self, ir: &MechIr, v: &Var, f: &mut Frame) -> f64 {
        match v {
            Var::Slot(k, i) => {
                let i = self.index(ir, i, f);
                self.slots[k + i]
            }
            Var::Global(k, i) => {
                let i = self.index(ir, i, f);
                self.globals[k + i]
            }
            Var::Local(k) => f.locals[*k],
            Var::Arg(k) => f.args[*k],
            Var::Node(n) => match n {
                NodeVar::V => self.v,
                NodeVar::Rhs => self.rhs,
                NodeVar::D => self.d,
                NodeVar::Area => self.area,
                NodeVar::Diam => self.diam,
            },
            Var::Ion(i, fl) => self.ions[*i][*fl as usize],
            Var::T => self.t,
            Var::Dt => self.dt,
            Var::Celsius => self.celsius,
            Var::SecondOrder => 0.0,
            Var::Flag => self.flag,
            Var::Pointer(k) => self.pointers[*k],
        }
    }

    fn eval(&mut self, ir: &MechIr, e: &Expr, f: &mut Frame) -> f64 {
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        match e {
            Expr::Num(x) => *x,
            Expr::Load(v) => self.load(ir, v, f),
            Expr::Un(UnOp::Neg, a) => -self.eval(ir, a, f),
            Expr::Un(UnOp::Not, a) => b(self.eval(ir, a, f) == 0.0),
            Expr::Bin(op, a, c) => {
                let (x, y) = (self.eval(ir, a, f), self.eval(ir, c, f));
                match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                    BinOp::Div => x / y,
                    BinOp::Pow => x.powf(y),
                    BinOp::Lt => b(x < y),
                    BinOp::Le => b(x <= y),
                    BinOp::Gt => b(x > y),
                    BinOp::Ge => b(x >= y),
                    BinOp::Eq => b(x == y),
                    BinOp::Ne => b(x != y),
                    BinOp::And => b(x != 0.0 && y != 0.0),
                    BinOp::Or => b(x != 0.0 || y != 0.0),
                }
            }
            Expr::Select(c, a, d) => {
                if self.eval(ir, c, f) != 0.0 {
                    self.eval(ir, a, f)
                } else {
                    self.eval(ir, d, f)
                }
            }
            Expr::Math(m, args) => {
                let a: Vec<f64> = args.iter().map(|a| self.eval(ir, a, f)).collect();
                match m {
                    MathFn::Exp => a[0].exp(),
                    MathFn::Log => a[0].ln(),
                    MathFn::Log10 => a[0].log10(),
                    MathFn::Sqrt => a[0].sqrt(),
                    MathFn::Fabs => a[0].abs(),
                    MathFn::Floor => a[0].floor(),
                    MathFn::Ceil => a[0].ceil(),
                    MathFn::Sin => a[0].sin(),
                    MathFn::Cos => a[0].cos(),
                    MathFn::Tan => a[0].tan(),
                    MathFn::Asin => a[0].asin(),
                    MathFn::Acos => a[0].acos(),
                    MathFn::Atan => a[0].atan(),
                    MathFn::Sinh => a[0].sinh(),
                    MathFn::Cosh => a[0].cosh(),
                    MathFn::Tanh => a[0].tanh(),
                    MathFn::Erf => erf(a[0]),
                    MathFn::Atan2 => a[0].atan2(a[1]),
                    MathFn::Pow => a[0].powf(a[1]),
                    MathFn::Fmod => a[0] % a[1],
                    MathFn::Min => a[0].min(a[1]),
                    MathFn::Max => a[0].max(a[1]),
                }
            }
            Expr::Call(g, args) => {
                let a = args.iter().map(|a| self.eval(ir, a, f)).collect();
                self.call(ir, *g, a)
            }
            Expr::Host(h, args) => {
                let a: Vec<f64> = args.iter().map(|a| self.eval(ir, a, f)).collect();
                let x = match h {
                    HostFn::NetconCount => self.netcons.len() as f64,
                    HostFn::NetconWeight => *self.netcon_weight(a[0], a[1], f),
                    _ => 0.5,
                };
                self.host_calls.push((*h, a));
                x
            }
        }
    }
}

struct Frame {
    locals: Vec<f64>,
    args: Vec<f64>,
}

/// Gaussian elimination with partial pivoting.
fn gauss(n: usize, a: &mut [f64], b: &mut [f64]) -> Vec<f64> {
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i * n + c].abs().total_cmp(&a[j * n + c].abs()))
            .unwrap_or(c);
        if p != c {
            for k in 0..n {
                a.swap(c * n + k, p * n + k);
            }
            b.swap(c, p);
        }
        for r in c + 1..n {
            let m = a[r * n + c] / a[c * n + c];
            for k in c..n {
                a[r * n + k] -= m * a[c * n + k];
            }
            b[r] -= m * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r * n + k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r * n + r];
    }
    x
}

/// erf by a series/continued fraction good to ~1e-15 (tests only).
fn erf(x: f64) -> f64 {
    if x.abs() < 2.5 {
        let mut sum = x;
        let mut term = x;
        let x2 = x * x;
        for n in 1..200 {
            term *= -x2 / n as f64;
            sum += term / (2 * n + 1) as f64;
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    } else {
        let s = x.signum();
        let z = x.abs();
        let mut f = 0.0;
        for k in (1..60).rev() {
            f = (k as f64 / 2.0) / (z + f);
        }
        s * (1.0 - (-z * z).exp() / std::f64::consts::PI.sqrt() / (z + f))
    }
}
