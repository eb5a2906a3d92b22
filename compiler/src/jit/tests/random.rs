//! Differential testing: random expression trees, evaluated by a small
//! interpreter of the IR's C semantics and by the JIT (scalar libm path and
//! f64x2 libm path), must agree bit for bit (NaN payloads aside).

use super::*;

/// A small deterministic generator (64-bit LCG, high bits).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n
    }
}

const LEAVES: [f64; 12] = [
    0.0,
    -0.0,
    1.0,
    -1.5,
    2.0,
    0.5,
    1e-7,
    3.0,
    -40.0,
    f64::NAN,
    f64::INFINITY,
    700.0,
];
const SLOTS: usize = 4;

fn random_expr(r: &mut Rng, depth: usize) -> Expr {
    if depth == 0 || r.below(4) == 0 {
        return if r.below(2) == 0 {
            n(LEAVES[r.below(LEAVES.len())])
        } else {
            ld(s(r.below(SLOTS)))
        };
    }
    let sub = |r: &mut Rng| Box::new(random_expr(r, depth - 1));
    match r.below(6) {
        0 => {
            let op = [UnOp::Neg, UnOp::Not][r.below(2)];
            Expr::Un(op, sub(r))
        }
        1 | 2 => {
            use BinOp::*;
            let ops = [Add, Sub, Mul, Div, Pow, Lt, Le, Gt, Ge, Eq, Ne, And, Or];
            let op = ops[r.below(ops.len())];
            Expr::Bin(op, sub(r), sub(r))
        }
        3 => Expr::Select(sub(r), sub(r), sub(r)),
        _ => {
            use MathFn::*;
            let fs = [
                Exp, Log, Log10, Sqrt, Fabs, Floor, Ceil, Sin, Cos, Tan, Asin, Acos, Atan, Sinh,
                Cosh, Tanh, Atan2, Pow, Fmod, Min, Max,
            ];
            let f = fs[r.below(fs.len())];
            let two = matches!(f, Atan2 | Pow | Fmod | Min | Max);
            let mut args = vec![*sub(r)];
            if two {
                args.push(*sub(r));
            }
            Expr::Math(f, args)
        }
    }
}

fn b(x: bool) -> f64 {
    if x {
        1.0
    } else {
        0.0
    }
}

/// C's `fmin` as glibc computes it on x86_64 (`minsd` plus NaN handling):
/// x < y ? x : y, except that a NaN y yields x.
fn c_fmin(x: f64, y: f64) -> f64 {
    if x < y || y.is_nan() {
        x
    } else {
        y
    }
}

/// C's `fmax`, likewise (`maxsd`).
fn c_fmax(x: f64, y: f64) -> f64 {
    if x > y || y.is_nan() {
        x
    } else {
        y
    }
}

/// The IR's semantics, in Rust (libm through std).
fn eval(e: &Expr, slots: &[f64]) -> f64 {
    match e {
        Expr::Num(x) => *x,
        Expr::Load(Var::Slot(k, None)) => slots[*k],
        Expr::Un(UnOp::Neg, a) => -eval(a, slots),
        Expr::Un(UnOp::Not, a) => b(eval(a, slots) == 0.0),
        Expr::Bin(op, x, y) => {
            let (x, y) = (eval(x, slots), eval(y, slots));
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
        Expr::Select(c, x, y) => {
            if eval(c, slots) != 0.0 {
                eval(x, slots)
            } else {
                eval(y, slots)
            }
        }
        Expr::Math(f, args) => {
            let x = eval(&args[0], slots);
            let y = || eval(&args[1], slots);
            match f {
                MathFn::Exp => x.exp(),
                MathFn::Log => x.ln(),
                MathFn::Log10 => x.log10(),
                MathFn::Sqrt => x.sqrt(),
                MathFn::Fabs => x.abs(),
                MathFn::Floor => x.floor(),
                MathFn::Ceil => x.ceil(),
                MathFn::Sin => x.sin(),
                MathFn::Cos => x.cos(),
                MathFn::Tan => x.tan(),
                MathFn::Asin => x.asin(),
                MathFn::Acos => x.acos(),
                MathFn::Atan => x.atan(),
                MathFn::Sinh => x.sinh(),
                MathFn::Cosh => x.cosh(),
                MathFn::Tanh => x.tanh(),
                MathFn::Atan2 => x.atan2(y()),
                MathFn::Pow => x.powf(y()),
                MathFn::Fmod => x % y(),
                MathFn::Min => c_fmin(x, y()),
                MathFn::Max => c_fmax(x, y()),
                MathFn::Erf => unreachable!("not generated"),
            }
        }
        _ => unreachable!("not generated"),
    }
}

#[test]
fn random_expressions_agree_with_an_interpreter() {
    let mut r = Rng(0x5eed);
    let count = 7;
    let outs = 8;
    for round in 0..150 {
        let exprs: Vec<Expr> = (0..outs).map(|_| random_expr(&mut r, 5)).collect();
        let mut ir = mech(MechKind::Density, &[("in", SLOTS, 0.0), ("out", outs, 0.0)]);
        ir.kernels.state = kernel(
            0,
            exprs
                .iter()
                .enumerate()
                .map(|(k, e)| set(s(SLOTS + k), e.clone()))
                .collect(),
        );
        let inputs: Vec<[f64; SLOTS]> = (0..count)
            .map(|_| std::array::from_fn(|_| LEAVES[r.below(LEAVES.len())] * 0.75))
            .collect();
        for opts in EXACT_OPTIONS {
            let c = compile_with(&ir, opts).unwrap();
            let mut w = World::new(&ir, count);
            for (i, inp) in inputs.iter().enumerate() {
                for (k, x) in inp.iter().enumerate() {
                    w.set_slot(k, i, *x);
                }
            }
            w.run(c.kernels().state);
            for (i, inp) in inputs.iter().enumerate() {
                for (k, e) in exprs.iter().enumerate() {
                    let (got, want) = (w.slot(SLOTS + k, i), eval(e, inp));
                    assert!(
                        got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                        "round {round} {opts:?} instance {i}: {e:?} on {inp:?} gave {got}, want {want}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_interpreters_fmin_is_glibcs() {
    // glibc 2.36, x86_64, printed by a C program calling fmin/fmax (the
    // `fmin`/`fmax` symbols a Rust binary links are not necessarily glibc's)
    let nan = f64::NAN;
    let table = [
        (0.0, 0.0, 0.0, 0.0),
        (0.0, -0.0, -0.0, -0.0),
        (0.0, nan, 0.0, 0.0),
        (-0.0, 0.0, 0.0, 0.0),
        (-0.0, -0.0, -0.0, -0.0),
        (-0.0, nan, -0.0, -0.0),
        (nan, 0.0, 0.0, 0.0),
        (nan, -0.0, -0.0, -0.0),
        (1.0, 2.0, 1.0, 2.0),
        (2.0, 1.0, 1.0, 2.0),
    ];
    for (x, y, min, max) in table {
        assert_eq!(c_fmin(x, y).to_bits(), f64::to_bits(min), "fmin({x}, {y})");
        assert_eq!(c_fmax(x, y).to_bits(), f64::to_bits(max), "fmax({x}, {y})");
    }
    assert!(c_fmin(nan, nan).is_nan() && c_fmax(nan, nan).is_nan());
}

const LOCALS: usize = 3;

/// A random variable: an input slot, an output slot or a local.
fn random_var(r: &mut Rng, outs: usize) -> Var {
    match r.below(3) {
        0 => s(SLOTS + r.below(outs)),
        1 => l(r.below(LOCALS)),
        _ => s(r.below(SLOTS)),
    }
}

/// Expressions over slots and locals (locals start at 0 here: every local
/// is assigned before the body runs).
fn random_expr_vars(r: &mut Rng, depth: usize, outs: usize) -> Expr {
    if depth == 0 || r.below(3) == 0 {
        return match r.below(3) {
            0 => n(LEAVES[r.below(LEAVES.len())]),
            1 => ld(l(r.below(LOCALS))),
            _ => ld(s(r.below(SLOTS + outs))),
        };
    }
    let sub = |r: &mut Rng| Box::new(random_expr_vars(r, depth - 1, outs));
    match r.below(4) {
        0 => Expr::Bin(
            [BinOp::Add, BinOp::Mul, BinOp::Lt][r.below(3)],
            sub(r),
            sub(r),
        ),
        1 => Expr::Select(sub(r), sub(r), sub(r)),
        2 => Expr::Math(MathFn::Exp, vec![*sub(r)]),
        _ => Expr::Bin(BinOp::Sub, sub(r), sub(r)),
    }
}

fn random_stmts(r: &mut Rng, depth: usize, outs: usize) -> Vec<Stmt> {
    (0..1 + r.below(3))
        .map(|_| {
            if depth > 0 && r.below(3) == 0 {
                Stmt::If(
                    random_expr_vars(r, 2, outs),
                    random_stmts(r, depth - 1, outs),
                    random_stmts(r, depth - 1, outs),
                )
            } else {
                let v = random_var(r, outs);
                Stmt::Assign(v, random_expr_vars(r, 2, outs))
            }
        })
        .collect()
}

/// Runs `body` on one instance with `exp` as the exponential.
fn exec(body: &[Stmt], slots: &mut [f64], locals: &mut [f64], exp: fn(f64) -> f64) {
    for st in body {
        match st {
            Stmt::Assign(v, e) => {
                let x = eval_vars(e, slots, locals, exp);
                match v {
                    Var::Slot(k, None) => slots[*k] = x,
                    Var::Local(k) => locals[*k] = x,
                    _ => unreachable!(),
                }
            }
            Stmt::If(c, t, e) => {
                if eval_vars(c, slots, locals, exp) != 0.0 {
                    exec(t, slots, locals, exp)
                } else {
                    exec(e, slots, locals, exp)
                }
            }
            _ => unreachable!(),
        }
    }
}

fn eval_vars(e: &Expr, slots: &[f64], locals: &[f64], exp: fn(f64) -> f64) -> f64 {
    match e {
        Expr::Load(Var::Local(k)) => locals[*k],
        Expr::Load(Var::Slot(k, None)) => slots[*k],
        Expr::Num(x) => *x,
        Expr::Bin(op, a, b) => {
            let (x, y) = (
                eval_vars(a, slots, locals, exp),
                eval_vars(b, slots, locals, exp),
            );
            match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Lt => self::b(x < y),
                _ => unreachable!(),
            }
        }
        Expr::Select(c, a, b) => {
            if eval_vars(c, slots, locals, exp) != 0.0 {
                eval_vars(a, slots, locals, exp)
            } else {
                eval_vars(b, slots, locals, exp)
            }
        }
        Expr::Math(MathFn::Exp, a) => exp(eval_vars(&a[0], slots, locals, exp)),
        _ => unreachable!(),
    }
}

#[test]
fn random_branchy_bodies_agree_with_an_interpreter_in_every_mode() {
    let mut r = Rng(0xb0d1e5);
    let (count, outs) = (7, 3);
    for round in 0..150 {
        // locals start at 0 explicitly (the IR leaves them undefined)
        let mut body: Vec<Stmt> = (0..LOCALS).map(|k| set(l(k), n(0.0))).collect();
        body.extend(random_stmts(&mut r, 3, outs));
        let mut ir = mech(MechKind::Density, &[("in", SLOTS, 0.0), ("out", outs, 0.0)]);
        ir.kernels.state = kernel(LOCALS, body.clone());
        let inputs: Vec<Vec<f64>> = (0..count)
            .map(|_| {
                (0..SLOTS + outs)
                    .map(|_| LEAVES[r.below(LEAVES.len())] * 0.5)
                    .collect()
            })
            .collect();
        for opts in ALL_OPTIONS {
            let c = compile_with(&ir, opts).unwrap();
            assert_eq!(c.stats().vectorized.len(), usize::from(opts.vectorize));
            let mut w = World::new(&ir, count);
            for (i, inp) in inputs.iter().enumerate() {
                for (k, x) in inp.iter().enumerate() {
                    w.set_slot(k, i, *x);
                }
            }
            w.run(c.kernels().state);
            for (i, inp) in inputs.iter().enumerate() {
                let mut want = inp.clone();
                let exp: fn(f64) -> f64 = if opts.inline_exp {
                    inline_exp_reference
                } else {
                    f64::exp
                };
                exec(&body, &mut want, &mut [0.0; LOCALS], exp);
                for (k, wk) in want.iter().enumerate() {
                    let got = w.slot(k, i);
                    assert!(
                        got.to_bits() == wk.to_bits() || (got.is_nan() && wk.is_nan()),
                        "round {round} {opts:?} instance {i} slot {k}: {got} want {wk}\n{body:?}"
                    );
                }
            }
        }
    }
}
