//! hh against its Rust reference: bit-exact with libm, close with the inline
//! exp, vector equal to scalar, empty views, compile time.

use super::*;

fn hh_world(ir: &MechIr, count: usize) -> World {
    let mut w = World::new(ir, count);
    w.celsius = 16.3;
    for i in 0..count {
        // spread v over the range where the rates matter, including the
        // removable singularities of vtrap at v = -40 and v = -55
        let nd = w.node(i);
        w.v[nd] = match i % 5 {
            0 => -40.0,
            1 => -55.0,
            _ => -90.0 + 137.0 * (i as f64 / count.max(1) as f64),
        };
        w.set_slot(slot::M, i, 0.05 + 0.01 * (i % 7) as f64);
        w.set_slot(slot::H, i, 0.6 - 0.01 * (i % 5) as f64);
        w.set_slot(slot::N, i, 0.3 + 0.02 * (i % 3) as f64);
    }
    w
}

fn hh_expected(w: &World, exp: fn(f64) -> f64) -> (World, Vec<f64>) {
    // apply the Rust reference to a copy of the world
    let mut e = World {
        data: w.data.clone(),
        rhs: w.rhs.clone(),
        ions: w.ions.clone(),
        pointers: w.pointers.clone(),
        node_index: w.node_index.clone(),
        v: w.v.clone(),
        d: w.d.clone(),
        area: vec![],
        diam: vec![],
        ion_views: vec![],
        globals: vec![],
        ..*w
    };
    for i in 0..w.count {
        let mut d = [0.0; slot::COUNT];
        for (k, x) in d.iter_mut().enumerate() {
            *x = e.slot(k, i);
        }
        let nd = e.node(i);
        let v = e.v[nd];
        let ena = e.ion(hh_example::NA, 0, i);
        let ek = e.ion(hh_example::K, 0, i);
        let [drhs, ina, dina, ik, dik] = hh_cur_ref(&mut d, v, ena, ek);
        e.rhs[nd] += drhs;
        for (j, cur, dcur) in [(hh_example::NA, ina, dina), (hh_example::K, ik, dik)] {
            let (data, st, idx) = &mut e.ions[j];
            data[4 * *st + idx[i] as usize] += dcur;
            data[3 * *st + idx[i] as usize] += cur;
        }
        hh_state_ref(&mut d, v, e.dt, e.celsius, exp);
        for (k, x) in d.iter().enumerate() {
            e.set_slot(k, i, *x);
        }
    }
    let rhs = e.rhs.clone();
    (e, rhs)
}

impl Clone for World {
    fn clone(&self) -> World {
        World {
            data: self.data.clone(),
            node_index: self.node_index.clone(),
            v: self.v.clone(),
            rhs: self.rhs.clone(),
            d: self.d.clone(),
            area: self.area.clone(),
            diam: self.diam.clone(),
            ions: self.ions.clone(),
            ion_views: vec![],
            globals: self.globals.clone(),
            pointers: self.pointers.clone(),
            ..*self
        }
    }
}

#[test]
fn hh_scalar_libm_is_bit_identical_to_rust() {
    let ir = hh_example::hh_ir();
    for opts in EXACT_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        for count in [0, 1, 2, 7, 64] {
            let mut w = hh_world(&ir, count);
            let (want, want_rhs) = hh_expected(&w, f64::exp);
            w.run(c.kernels().cur);
            w.run(c.kernels().state);
            assert_eq!(w.rhs, want_rhs, "{opts:?} count {count}");
            for i in 0..count {
                for k in 0..slot::COUNT {
                    assert_eq!(
                        w.slot(k, i).to_bits(),
                        want.slot(k, i).to_bits(),
                        "{opts:?} count {count} instance {i} slot {k}"
                    );
                }
            }
            assert_eq!(w.ions, want.ions);
        }
    }
}

fn ulps(a: f64, b: f64) -> u64 {
    if a == b {
        return 0;
    }
    let (a, b) = (a.to_bits() as i64, b.to_bits() as i64);
    a.abs_diff(b)
}

#[test]
fn hh_inline_exp_matches_its_rust_model_and_libm_closely() {
    let ir = hh_example::hh_ir();
    for opts in [
        JitOptions {
            vectorize: false,
            inline_exp: true,
            exact_exp: true,
        },
        JitOptions::FAST,
    ] {
        let c = compile_with(&ir, opts).unwrap();
        assert_eq!(
            c.stats().vectorized.len(),
            if opts.vectorize { 3 } else { 0 }
        );
        for count in [1, 2, 3, 7, 64, 65] {
            let mut w = hh_world(&ir, count);
            let (model, _) = hh_expected(&w, inline_exp_reference);
            let (exact, _) = hh_expected(&w, f64::exp);
            w.run(c.kernels().cur);
            w.run(c.kernels().state);
            for i in 0..count {
                for k in [slot::M, slot::H, slot::N] {
                    // the JIT does what its Rust model does, bit for bit
                    assert_eq!(
                        w.slot(k, i).to_bits(),
                        model.slot(k, i).to_bits(),
                        "{opts:?} count {count} instance {i} slot {k}"
                    );
                    // and the states stay within a few ulp of libm's
                    let e = ulps(w.slot(k, i), exact.slot(k, i));
                    assert!(e <= 8, "{opts:?} instance {i} slot {k}: {e} ulp");
                }
            }
        }
    }
}

#[test]
fn inline_exp_is_within_two_ulp_of_libm() {
    // the Rust model; the JIT's equality to it is tested above and below
    let mut worst = (0, 0.0);
    let steps = 1_400_000;
    for k in 0..=steps {
        let x = -700.0 + 1400.0 * k as f64 / steps as f64;
        let e = ulps(inline_exp_reference(x), x.exp());
        if e > worst.0 {
            worst = (e, x);
        }
    }
    assert!(worst.0 <= 2, "{} ulp at {}", worst.0, worst.1);
    assert_eq!(inline_exp_reference(f64::NEG_INFINITY), 0.0);
    assert_eq!(inline_exp_reference(-800.0), 0.0);
    assert_eq!(inline_exp_reference(710.0), f64::INFINITY);
    assert_eq!(inline_exp_reference(f64::INFINITY), f64::INFINITY);
    assert!(inline_exp_reference(f64::NAN).is_nan());
    assert_eq!(inline_exp_reference(0.0), 1.0);
}

#[test]
fn jit_inline_exp_equals_model_on_special_values() {
    let xs = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        700.0,
        -700.0,
        709.78,
        709.8,
        -708.0,
        -708.1,
        -745.0,
        1e300,
        -1e300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    let mut ir = mech(MechKind::Density, &[("x", 1, 0.0), ("y", 1, 0.0)]);
    ir.kernels.state = kernel(0, vec![set(s(1), Expr::Math(MathFn::Exp, vec![ld(s(0))]))]);
    for opts in [
        JitOptions {
            vectorize: false,
            inline_exp: true,
            exact_exp: true,
        },
        JitOptions::FAST,
    ] {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, xs.len());
        for (i, x) in xs.iter().enumerate() {
            w.set_slot(0, i, *x);
        }
        w.run(c.kernels().state);
        for (i, x) in xs.iter().enumerate() {
            let (got, want) = (w.slot(1, i), inline_exp_reference(*x));
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "{opts:?} exp({x}) = {got}, model {want}"
            );
        }
    }
}

#[test]
fn vector_and_scalar_paths_agree_on_odd_counts() {
    let ir = hh_example::hh_ir();
    let scalar = compile_with(
        &ir,
        JitOptions {
            vectorize: false,
            inline_exp: true,
            exact_exp: true,
        },
    )
    .unwrap();
    let vector = compile_with(&ir, JitOptions::FAST).unwrap();
    for count in [1, 3, 5, 33, 101] {
        let mut a = hh_world(&ir, count);
        let mut b = a.clone();
        a.run(scalar.kernels().cur);
        a.run(scalar.kernels().jacob);
        a.run(scalar.kernels().state);
        b.run(vector.kernels().cur);
        b.run(vector.kernels().jacob);
        b.run(vector.kernels().state);
        assert_eq!(a.data, b.data, "count {count}");
        assert_eq!(a.rhs, b.rhs);
        assert_eq!(a.d, b.d);
        assert_eq!(a.ions, b.ions);
    }
}

#[test]
fn count_zero_touches_nothing_even_with_null_pointers() {
    let ir = hh_example::hh_ir();
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut view = World::new(&ir, 0).view();
        view.data = std::ptr::null_mut();
        view.node_index = std::ptr::null();
        view.v = std::ptr::null();
        view.rhs = std::ptr::null_mut();
        view.d = std::ptr::null_mut();
        view.ions = std::ptr::null();
        for k in [c.kernels().cur, c.kernels().jacob, c.kernels().state] {
            unsafe { k.unwrap()(&view as *const View as *const c_void) };
        }
    }
}

/// FUNCTION f(x) { LOCAL s, k  s = 0  k = 0
///   while (k < x) { if (fmod(k, 2) == 0) { s = s + k } else { s = s - 1 }  k = k + 1 }
///   f = s * slot0 }
#[test]
fn a_typical_mechanism_compiles_in_well_under_5_ms() {
    // debug builds of Cranelift are slow; the release figure is in the
    // benchmark. This only guards against something pathological.
    let ir = hh_example::hh_ir();
    let c = compile_with(&ir, JitOptions::FAST).unwrap();
    eprintln!("hh FAST: {:?}", c.stats());
    let limit = if cfg!(debug_assertions) { 500 } else { 5 };
    assert!(c.stats().time.as_millis() < limit, "{:?}", c.stats());
    assert!(c.stats().code_bytes > 0);
}
