//! The JIT's inline exact `exp`, scalar and f64x2, against libm bit for bit
//! on the inputs [`exact_exp`] is checked on.

use super::*;
use crate::jit::exp::tests::{inputs, same, Rng};

/// `y = exp(x)` per instance.
fn exp_mech() -> MechIr {
    let mut ir = mech(MechKind::Density, &[("x", 1, 0.0), ("y", 1, 0.0)]);
    ir.kernels.state = kernel(0, vec![set(s(1), Expr::Math(MathFn::Exp, vec![ld(s(0))]))]);
    ir
}

/// Runs `y = exp(x)` compiled with `opts` over `xs` in chunks of odd sizes
/// (so the f64x2 kernel's scalar-width tail runs too); the inputs that
/// differ from libm's `exp`.
fn jit_exp_mismatches(opts: JitOptions, xs: &[f64]) -> Vec<f64> {
    let ir = exp_mech();
    let c = compile_with(&ir, opts).unwrap();
    assert_eq!(c.stats().vectorized.len(), usize::from(opts.vectorize));
    let mut bad = Vec::new();
    for chunk in xs.chunks((1 << 20) + 1) {
        let mut w = World::new(&ir, chunk.len());
        for (i, x) in chunk.iter().enumerate() {
            w.set_slot(0, i, *x);
        }
        w.run(c.kernels().state);
        bad.extend(
            chunk
                .iter()
                .enumerate()
                .filter(|(i, x)| !same(w.slot(1, *i), x.exp()))
                .map(|(_, x)| *x),
        );
    }
    bad
}

#[test]
fn jit_exact_exp_is_bit_identical_to_libm() {
    if !exact_exp_available() {
        eprintln!("skipped: the inline exact exp is not available on this machine");
        return;
    }
    let xs = inputs(4_000_000);
    for opts in [
        JitOptions::EXACT,
        JitOptions {
            vectorize: true,
            ..JitOptions::EXACT
        },
    ] {
        let bad = jit_exp_mismatches(opts, &xs);
        assert!(
            bad.is_empty(),
            "{opts:?}: {} of {} inputs differ, e.g. {:?}",
            bad.len(),
            xs.len(),
            &bad[..bad.len().min(10)]
        );
    }
}

#[test]
fn jit_exact_exp_takes_the_cold_path_per_pair() {
    // pairs with one lane in the fast range and one outside, either way round,
    // and runs of each; every result must still be libm's
    let mut rng = Rng(7);
    let outside = [
        512.0,
        -512.0,
        600.0,
        -600.5,
        709.8,
        -745.2,
        -800.0,
        1e300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    let xs: Vec<f64> = (0..20_001)
        .map(|_| {
            if rng.next().is_multiple_of(3) {
                outside[(rng.next() % outside.len() as u64) as usize]
            } else {
                -30.0 + 60.0 * rng.unit()
            }
        })
        .collect();
    for opts in EXACT_OPTIONS {
        let bad = jit_exp_mismatches(opts, &xs);
        assert!(bad.is_empty(), "{opts:?}: {:?}", &bad[..bad.len().min(10)]);
    }
}

#[test]
fn hh_with_the_inline_exact_exp_is_bit_identical_to_rust_with_libm() {
    // the same as the libm kernels (hh.rs), over many membrane potentials
    if !exact_exp_available() {
        eprintln!("skipped: the inline exact exp is not available on this machine");
        return;
    }
    let ir = hh_example::hh_ir();
    let c = compile_with(&ir, EXACT_OPTIONS[1]).unwrap();
    let l = compile_with(&ir, LIBM_EXP).unwrap();
    let mut w = World::new(&ir, 4001);
    let mut rng = Rng(11);
    for v in w.v.iter_mut() {
        *v = -120.0 + 180.0 * rng.unit();
    }
    let mut u = World::new(&ir, 4001);
    u.v = w.v.clone();
    for _ in 0..3 {
        for k in [c.kernels().cur, c.kernels().state] {
            w.run(k);
        }
        for k in [l.kernels().cur, l.kernels().state] {
            u.run(k);
        }
    }
    assert_eq!(w.data, u.data);
    assert_eq!(w.rhs, u.rhs);
}

#[test]
fn only_what_runs_every_step_inlines_it_and_all_give_libms_exp() {
    // e(x) = exp(x), called by PROCEDURE p from `state`; g(x) = exp(x) from
    // NET_RECEIVE; h(x) = exp(x) from nowhere
    let mut ir = mech(
        MechKind::Point,
        &[("x", 1, 0.0), ("y", 1, 0.0), ("z", 1, 0.0)],
    );
    let exp_of_arg = || vec![Stmt::Return(Expr::Math(MathFn::Exp, vec![ld(Var::Arg(0))]))];
    for (name, returns_value, body) in [
        ("e", true, exp_of_arg()),
        (
            "p",
            false,
            vec![set(s(1), Expr::Call(0, vec![ld(Var::Arg(0))]))],
        ),
        ("g", true, exp_of_arg()),
        ("h", true, exp_of_arg()),
    ] {
        ir.functions.push(Function {
            name: name.into(),
            args: 1,
            locals: 0,
            returns_value,
            hoc: returns_value,
            body,
        });
    }
    ir.kernels.state = kernel(0, vec![Stmt::Call(1, vec![ld(s(0))])]);
    ir.kernels.net_receive = kernel(0, vec![set(s(2), Expr::Call(2, vec![ld(s(0))]))]);
    assert_eq!(
        crate::jit::exp::per_step_functions(&ir),
        [true, true, false, false]
    );
    let mut rng = Rng(3);
    let mut xs: Vec<f64> = (0..20_000).map(|_| -745.0 + 1455.0 * rng.unit()).collect();
    xs.extend([0.0, -0.0, 512.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]);
    for opts in EXACT_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, xs.len());
        for (i, x) in xs.iter().enumerate() {
            w.set_slot(0, i, *x);
        }
        w.run(c.kernels().state);
        for (i, x) in xs.iter().enumerate() {
            w.net_receive(c.kernels().net_receive, i, &mut [], 0.0);
            assert!(same(w.slot(1, i), x.exp()), "{opts:?} state, exp({x})");
            assert!(
                same(w.slot(2, i), x.exp()),
                "{opts:?} net_receive, exp({x})"
            );
            for f in [0, 2, 3] {
                let y = w.call(c.function(f), i, &[*x]);
                assert!(same(y, x.exp()), "{opts:?} function {f}, exp({x})");
            }
        }
    }
}
