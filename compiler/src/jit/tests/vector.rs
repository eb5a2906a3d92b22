//! The vector paths: table reads at per-lane indices, `If`s merged by
//! selects, kernels specialised for a uniform condition with a scalar
//! fallback, and `hh.mod` as the lowering makes it, against the IR
//! interpreter of the lowering in every mode.

use super::*;
use crate::diagnostics::SourceFile;
use crate::nmodl::lower::eval::Instance;

fn ge(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Ge, a, b)
}

fn global_decl(name: &str, size: usize, default: f64) -> GlobalDecl {
    GlobalDecl {
        name: name.into(),
        role: VarRole::Assigned,
        size,
        default,
        hoc: true,
    }
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// `if (0 <= x && x <= 9) { y = interpolated tab at x } else { y = tab[0] }
/// z = tab[10]` with x NaN, infinite, huge, out of range or inside: the
/// lanes whose branch is not taken read clamped elements, the others what
/// the scalar path reads.
#[test]
fn table_reads_at_lane_indices_match_the_scalar_path() {
    let mut ir = mech(
        MechKind::Density,
        &[("x", 1, 0.0), ("y", 1, 0.0), ("z", 1, 0.0)],
    );
    ir.globals = vec![global_decl("g", 1, 0.0), global_decl("tab", 11, 0.0)];
    let tab = |i: Expr| Var::Global(1, Some(Box::new(i)));
    let x = || ld(s(0));
    let fl = Expr::Math(MathFn::Floor, vec![x()]);
    ir.kernels.state = kernel(
        0,
        vec![
            Stmt::If(
                bin(BinOp::And, ge(x(), n(0.0)), bin(BinOp::Le, x(), n(9.0))),
                vec![set(
                    s(1),
                    add(
                        ld(tab(x())),
                        mul(sub(x(), fl), sub(ld(tab(add(x(), n(1.0)))), ld(tab(x())))),
                    ),
                )],
                vec![set(s(1), ld(tab(n(0.0))))],
            ),
            set(s(2), ld(tab(n(10.0)))),
        ],
    );
    let xs = [
        f64::NAN,
        1e300,
        -1e300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.5,
        0.0,
        3.7,
        9.0,
        9.99,
        12.0,
        -3e9,
        4e9,
    ];
    let table: Vec<f64> = (0..11).map(|i| 0.25 + 1.5 * i as f64 * i as f64).collect();
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        assert_eq!(c.stats().vectorized.contains(&"state"), opts.vectorize);
        let mut w = World::new(&ir, xs.len());
        w.globals[1..].copy_from_slice(&table);
        for (i, xi) in xs.iter().enumerate() {
            w.set_slot(0, i, *xi);
        }
        w.run(c.kernels().state);
        for (i, xi) in xs.iter().enumerate() {
            let want = if *xi >= 0.0 && *xi <= 9.0 {
                let k = *xi as usize;
                table[k] + (xi - xi.floor()) * (table[k + 1] - table[k])
            } else {
                table[0]
            };
            assert!(same(w.slot(1, i), want), "{opts:?} x = {xi}");
            assert_eq!(w.slot(2, i), table[10]);
        }
    }
}

/// An arm that writes a slot array at a run-time index which may be a
/// place the other statements name (`a[k]` with k = 1 is `a[1]`): the arms
/// keep their order of stores.
#[test]
fn a_run_time_index_in_an_arm_keeps_the_order_of_stores() {
    let mut ir = mech(
        MechKind::Density,
        &[("a", 3, 0.0), ("k", 1, 0.0), ("y", 1, 0.0)],
    );
    let a = |i: Expr| Var::Slot(0, Some(Box::new(i)));
    // if (k >= 0) { a[1] = 5  a[k] = 7 } else { a[2] = 1 }  y = a[1]
    ir.kernels.state = kernel(
        0,
        vec![
            Stmt::If(
                ge(ld(s(3)), n(0.0)),
                vec![set(a(n(1.0)), n(5.0)), set(a(ld(s(3))), n(7.0))],
                vec![set(a(n(2.0)), n(1.0))],
            ),
            set(s(4), ld(a(n(1.0)))),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, 3);
        for (i, k) in [1.0, 0.0, -1.0].into_iter().enumerate() {
            w.set_slot(1, i, 3.0);
            w.set_slot(3, i, k);
        }
        w.run(c.kernels().state);
        let got: Vec<Vec<f64>> = (0..3)
            .map(|i| (0..5).map(|k| w.slot(k, i)).collect())
            .collect();
        assert_eq!(got[0], vec![0.0, 7.0, 0.0, 1.0, 7.0], "{opts:?}");
        assert_eq!(got[1], vec![7.0, 5.0, 0.0, 0.0, 5.0], "{opts:?}");
        assert_eq!(got[2], vec![0.0, 3.0, 1.0, -1.0, 3.0], "{opts:?}");
    }
}

/// `if (g == 0) { p() } else { x = x + 1 }  y = 3 x` with PROCEDURE
/// p() { x = 2 x }: vectorised for g != 0, the scalar loop (with the call)
/// for g == 0, each over an odd count (a vector tail).
#[test]
fn a_uniform_condition_chooses_the_vector_or_the_scalar_loop() {
    let mut ir = mech(MechKind::Density, &[("x", 1, 0.0), ("y", 1, 0.0)]);
    ir.globals = vec![global_decl("g", 1, 0.0)];
    ir.functions.push(Function {
        name: "p".into(),
        args: 0,
        locals: 0,
        returns_value: false,
        hoc: false,
        body: vec![set(s(0), mul(ld(s(0)), n(2.0)))],
    });
    ir.kernels.state = kernel(
        0,
        vec![
            Stmt::If(
                bin(BinOp::Eq, ld(Var::Global(0, None)), n(0.0)),
                vec![Stmt::Call(0, vec![])],
                vec![set(s(0), add(ld(s(0)), n(1.0)))],
            ),
            set(s(1), mul(ld(s(0)), n(3.0))),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        assert_eq!(c.stats().vectorized.contains(&"state"), opts.vectorize);
        for g in [0.0, 1.0, f64::NAN] {
            let mut w = World::new(&ir, 5);
            w.globals[0] = g;
            for i in 0..5 {
                w.set_slot(0, i, i as f64 + 0.5);
            }
            w.run(c.kernels().state);
            for i in 0..5 {
                let x = if g == 0.0 {
                    (i as f64 + 0.5) * 2.0
                } else {
                    i as f64 + 1.5
                };
                assert_eq!(
                    (w.slot(0, i), w.slot(1, i)),
                    (x, 3.0 * x),
                    "{opts:?} g = {g}"
                );
            }
        }
    }
}

fn hh_mod() -> MechIr {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../mod-files/hh.mod");
    let text = std::fs::read_to_string(path).expect("mod-files/hh.mod");
    crate::nmodl::compile_source(&SourceFile::new("hh.mod", text)).unwrap()
}

/// `mod-files/hh.mod` as lowered (the TABLE lookup of `rates` inlined into
/// `init` and `state`): its kernels, scalar and vector with libm's `exp`,
/// compute what the IR interpreter does, bit for bit, with the table
/// (vector `state`) and without (the scalar loop calling `_f_rates`), for
/// v inside the table, on its ends, outside it and NaN.
#[test]
fn hh_mod_kernels_match_the_ir_interpreter_in_every_mode() {
    let ir = hh_mod();
    let usetable = ir.global_offset(
        ir.globals
            .iter()
            .position(|g| g.name == "usetable")
            .unwrap(),
    );
    let vs = [
        -65.0,
        -100.0,
        -100.25,
        100.0,
        150.0,
        0.3,
        f64::NAN,
        -99.5,
        99.99,
        -40.0,
        -55.0,
    ];
    for opts in ALL_OPTIONS.into_iter().filter(|o| !o.inline_exp) {
        let c = compile_with(&ir, opts).unwrap();
        if opts.vectorize {
            assert!(c.stats().vectorized.contains(&"state"), "{opts:?}");
        }
        for table in [1.0, 0.0] {
            let mut w = World::new(&ir, vs.len());
            w.celsius = 16.3;
            w.globals[usetable] = table;
            for (i, v) in vs.iter().enumerate() {
                let nd = w.node(i);
                w.v[nd] = *v;
            }
            w.run(c.kernels().table);
            // the interpreter's table is the JIT's, bit for bit
            let mut built = Instance::new(&ir);
            built.celsius = w.celsius;
            built.globals[usetable] = table;
            built.run(&ir, &ir.kernels.table, &mut []);
            for (k, (a, b)) in w.globals.iter().zip(&built.globals).enumerate() {
                assert!(same(*a, *b), "{opts:?} global {k}: {a} vs {b}");
            }
            let mut want: Vec<Instance> = (0..vs.len())
                .map(|i| {
                    let mut x = Instance::new(&ir);
                    x.globals = w.globals.clone();
                    x.celsius = w.celsius;
                    x.dt = w.dt;
                    x.v = w.v[w.node(i)];
                    for j in 0..ir.ions.len() {
                        for f in 0..5 {
                            x.ions[j][f] = w.ion(j, f, i);
                        }
                    }
                    x
                })
                .collect();
            let ks = c.kernels();
            let steps = [
                (ks.init, &ir.kernels.init),
                (ks.cur, &ir.kernels.cur),
                (ks.state, &ir.kernels.state),
                (ks.cur, &ir.kernels.cur),
                (ks.state, &ir.kernels.state),
            ];
            for (step, (jit, k)) in steps.into_iter().enumerate() {
                w.run(jit);
                for (i, x) in want.iter_mut().enumerate() {
                    x.run(&ir, k, &mut []);
                    for (s, wk) in x.slots.iter().enumerate() {
                        let got = w.slot(s, i);
                        assert!(
                            same(got, *wk),
                            "{opts:?} usetable {table} step {step} v {} slot {}: {got} want {wk}",
                            vs[i],
                            ir.slots[s].name
                        );
                    }
                }
            }
        }
    }
}
