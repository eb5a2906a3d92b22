//! `FUNCTION_TABLE f(x [, y])`: a FUNCTION whose values HOC gives with
//! `table_f_suffix(...)` (NEURON's `hoc_spec_table`), looked up with
//! NEURON's `hoc_func_table`: on each axis the argument is clamped to the
//! grid's ends and interpolated linearly between its points (a grid is
//! given points, or `n` points evenly from `min` to `max`); two axes are
//! interpolated bilinearly, values in row order (`[i][j]` at `i * ny + j`).
//!
//! The table is type-wide. The lowering declares a hidden GLOBAL header
//! per table ([`FunctionTableDecl`]: the offset of the data, then per axis
//! its size, min, max and the offset of its points, 0 for a range); the
//! runtime appends the data after the declared globals when HOC gives the
//! table and fills the header. The function reads them with plain IR; it
//! returns NaN while the data offset is 0 (the runtime refuses to run a
//! kernel that would use a table not given, as NEURON stops with "table
//! not specified").

use super::super::ast::{ItemKind, Param};
use super::super::ir::*;
use super::build::*;
use super::Lowerer;

/// Axes nerve looks up (nocmodl takes any number; past two it does no
/// interpolation).
const MAX_AXES: usize = 2;

impl Lowerer<'_> {
    /// Gives every FUNCTION_TABLE its function index (with the FUNCTIONs,
    /// so calls resolve whatever the order).
    pub(super) fn declare_function_tables(&mut self) {
        for item in &self.prog.items {
            if let ItemKind::FunctionTable { name, params, .. } = &item.kind {
                if params.len() > MAX_AXES {
                    let end = (item.span.start + 14).min(item.span.end);
                    self.error(
                        super::Span::new(item.span.start, end),
                        "FUNCTION_TABLE with more than two arguments is not supported yet by nerve",
                    );
                    continue;
                }
                self.funcs
                    .insert(name.name.clone(), self.ir.functions.len());
                self.ir.functions.push(Function {
                    name: name.name.clone(),
                    args: params.len(),
                    locals: 0,
                    returns_value: true,
                    hoc: true,
                    body: Vec::new(),
                });
            }
        }
    }

    /// The headers and the lookup bodies.
    pub(super) fn function_tables(&mut self) {
        for item in &self.prog.items {
            let ItemKind::FunctionTable { name, params, .. } = &item.kind else {
                continue;
            };
            let Some(&f) = self.funcs.get(&name.name) else {
                continue;
            };
            let header = self.add_global(
                &format!("_ftab_{}", name.name),
                1 + 4 * params.len(),
                0.0,
                false,
            );
            let Var::Global(h, _) = header else {
                continue;
            };
            let (locals, body) = lookup(h, params);
            let func = &mut self.ir.functions[f];
            func.locals = locals;
            func.body = body;
            self.ir.function_tables.push(FunctionTableDecl {
                name: name.name.clone(),
                function: f,
                args: params.len(),
                header: h,
                used: false,
            });
        }
    }

    /// Marks the tables the per-instance kernels call (directly or
    /// through functions): those must be given before a run.
    pub(super) fn mark_used_tables(&mut self) {
        let mut reached = vec![false; self.ir.functions.len()];
        let mut todo: Vec<usize> = self
            .ir
            .kernels
            .per_instance()
            .flat_map(|k| k.body.iter().flat_map(super::calls_in))
            .collect();
        while let Some(f) = todo.pop() {
            if f >= reached.len() || reached[f] {
                continue;
            }
            reached[f] = true;
            todo.extend(self.ir.functions[f].body.iter().flat_map(super::calls_in));
        }
        for t in &mut self.ir.function_tables {
            t.used = reached[t.function];
        }
    }
}

/// `G[k]`, the global at element offset `k` (an expression).
fn g_at(k: Expr) -> Expr {
    load(&Var::Global(0, Some(Box::new(k))))
}

/// `G[h + k]`, a header field.
fn field(h: usize, k: usize) -> Expr {
    load(&Var::Global(h + k, None))
}

/// The lookup of a table whose header is at `h`, as `hoc_func_table`:
/// (locals, body).
fn lookup(h: usize, params: &[Param]) -> (usize, Vec<Stmt>) {
    let mut n_locals = 0;
    let mut local = || {
        n_locals += 1;
        Var::Local(n_locals - 1)
    };
    let data = local();
    let res = local();
    let mut axes = Vec::new();
    let mut found = Vec::new();
    for (i, _) in params.iter().enumerate() {
        let (j, frac) = (local(), local());
        let tmp = [local(), local(), local(), local()];
        found.extend(axis(h + 1 + 4 * i, &Var::Arg(i), &j, &frac, &tmp));
        axes.push((j, frac, h + 1 + 4 * i));
    }
    let mut value = Vec::new();
    match axes.as_slice() {
        [(j, f, _)] => value.push(assign(&res, inter(&data, f, load(j)))),
        [(j0, f0, _), (j1, f1, h1)] => {
            // row j0, column j1; the next row when the first axis is between
            let k = mul(load(j0), field(*h1, 0));
            let k = add(k, load(j1));
            value.push(assign(&res, inter(&data, f1, k.clone())));
            let y2 = inter(&data, f1, add(k, field(*h1, 0)));
            let y1 = load(&res);
            value.push(Stmt::If(
                bin(BinOp::Gt, load(f0), num(0.0)),
                vec![assign(
                    &res,
                    add(mul(sub(num(1.0), load(f0)), y1.clone()), mul(load(f0), y2)),
                )],
                Vec::new(),
            ));
        }
        _ => {}
    }
    let mut given = found;
    given.extend(value);
    let body = vec![
        assign(&data, field(h, 0)),
        assign(&res, num(f64::NAN)),
        Stmt::If(bin(BinOp::Ne, load(&data), num(0.0)), given, Vec::new()),
        Stmt::Return(load(&res)),
    ];
    (n_locals, body)
}

/// `frac > 0 ? (1 - frac) tab[k] + frac tab[k + 1] : tab[k]` with the
/// table at `data` (NEURON's `inter`).
fn inter(data: &Var, frac: &Var, k: Expr) -> Expr {
    let at = add(load(data), k);
    Expr::Select(
        Box::new(bin(BinOp::Gt, load(frac), num(0.0))),
        Box::new(add(
            mul(sub(num(1.0), load(frac)), g_at(at.clone())),
            mul(load(frac), g_at(add(at.clone(), num(1.0)))),
        )),
        Box::new(g_at(at)),
    )
}

/// NEURON's `arg_index` for one axis whose header fields start at `a`
/// (size, min, max, offset of the points): the grid index `j` of `x` and
/// the fraction `frac` towards the next point.
fn axis(a: usize, x: &Var, j: &Var, frac: &Var, tmp: &[Var; 4]) -> Vec<Stmt> {
    let [n, pts, t0, t1] = tmp;
    let x = load(x);
    let pt = |k: Expr| g_at(add(load(pts), k));
    // given points: binary search
    let search = vec![
        assign(t1, sub(load(n), num(1.0))),
        Stmt::If(
            bin(BinOp::Le, x.clone(), pt(num(0.0))),
            vec![assign(j, num(0.0))],
            vec![Stmt::If(
                bin(BinOp::Ge, x.clone(), pt(load(t1))),
                vec![assign(j, load(t1))],
                vec![
                    assign(t0, num(0.0)),
                    Stmt::While(
                        bin(BinOp::Lt, load(t0), sub(load(t1), num(1.0))),
                        vec![
                            assign(
                                j,
                                math(MathFn::Floor, vec![div(add(load(t0), load(t1)), num(2.0))]),
                            ),
                            Stmt::If(
                                bin(BinOp::Le, pt(load(j)), x.clone()),
                                vec![assign(t0, load(j))],
                                vec![assign(t1, load(j))],
                            ),
                        ],
                    ),
                    assign(j, load(t0)),
                    assign(
                        frac,
                        div(
                            sub(x.clone(), pt(load(j))),
                            sub(pt(add(load(j), num(1.0))), pt(load(j))),
                        ),
                    ),
                ],
            )],
        ),
    ];
    // n points evenly from min to max (t0: min, t1: max); the index stays
    // below the last point when rounding puts x1 on it (NEURON would read
    // past the table)
    let (min, max) = (t0, t1);
    let x1 = div(
        sub(x.clone(), load(min)),
        div(sub(load(max), load(min)), sub(load(n), num(1.0))),
    );
    let range = vec![
        assign(min, field(a, 1)),
        assign(max, field(a, 2)),
        Stmt::If(
            bin(BinOp::Le, x.clone(), load(min)),
            vec![assign(j, num(0.0))],
            vec![Stmt::If(
                bin(BinOp::Ge, x.clone(), load(max)),
                vec![assign(j, sub(load(n), num(1.0)))],
                vec![Stmt::If(
                    bin(BinOp::Gt, load(n), num(1.0)),
                    vec![
                        assign(frac, x1),
                        assign(j, math(MathFn::Floor, vec![load(frac)])),
                        assign(frac, sub(load(frac), load(j))),
                        Stmt::If(
                            bin(BinOp::Gt, load(j), sub(load(n), num(2.0))),
                            vec![
                                assign(frac, add(load(frac), sub(load(j), sub(load(n), num(2.0))))),
                                assign(j, sub(load(n), num(2.0))),
                            ],
                            Vec::new(),
                        ),
                    ],
                    vec![assign(j, num(0.0))],
                )],
            )],
        ),
    ];
    vec![
        assign(n, field(a, 0)),
        assign(pts, field(a, 3)),
        assign(frac, num(0.0)),
        Stmt::If(bin(BinOp::Ne, load(pts), num(0.0)), search, range),
    ]
}
