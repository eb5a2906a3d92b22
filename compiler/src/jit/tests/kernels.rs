//! Kernels on real buffers: nodes, ions, arrays, C semantics of operators,
//! invalid IR, invariant hoisting.

use super::*;

/// pas: `i = g (v - e)`, `rhs -= i`, `_g = g`; jacob `d += _g`.
fn pas() -> MechIr {
    let mut ir = mech(
        MechKind::Density,
        &[
            ("g", 1, 0.001),
            ("e", 1, -70.0),
            ("i", 1, 0.0),
            ("_g", 1, 0.0),
        ],
    );
    ir.kernels.cur = kernel(
        0,
        vec![
            set(
                s(2),
                mul(ld(s(0)), sub(ld(Var::Node(NodeVar::V)), ld(s(1)))),
            ),
            set(s(3), ld(s(0))),
            set(
                Var::Node(NodeVar::Rhs),
                sub(ld(Var::Node(NodeVar::Rhs)), ld(s(2))),
            ),
        ],
    );
    ir.kernels.jacob = kernel(
        0,
        vec![set(
            Var::Node(NodeVar::D),
            add(ld(Var::Node(NodeVar::D)), ld(s(3))),
        )],
    );
    ir
}

#[test]
fn pas_cur_and_jacob_update_rhs_and_d() {
    for opts in ALL_OPTIONS {
        for count in [0, 1, 2, 5, 8] {
            let ir = pas();
            let c = compile_with(&ir, opts).unwrap();
            let mut w = World::new(&ir, count);
            for i in 0..count {
                w.set_slot(0, i, 0.001 * (i + 1) as f64);
            }
            let (rhs0, d0) = (w.rhs.clone(), w.d.clone());
            w.run(c.kernels().cur);
            w.run(c.kernels().jacob);
            let mut want_rhs = rhs0.clone();
            let mut want_d = d0.clone();
            for i in 0..count {
                let nd = w.node(i);
                let g = 0.001 * (i + 1) as f64;
                let cur = g * (w.v[nd] - -70.0);
                assert_eq!(w.slot(2, i), cur);
                want_rhs[nd] -= cur;
                want_d[nd] += g;
            }
            assert_eq!(w.rhs, want_rhs, "{opts:?} count {count}");
            assert_eq!(w.d, want_d, "{opts:?} count {count}");
        }
    }
}

#[test]
fn pas_kernels_are_vectorised_when_asked() {
    let c = compile_with(&pas(), JitOptions::FAST).unwrap();
    assert_eq!(c.stats().vectorized, vec!["cur", "jacob"]);
    let c = compile(&pas()).unwrap();
    assert!(c.stats().vectorized.is_empty());
    let mut point = pas();
    point.kind = MechKind::Point;
    let c = compile_with(&point, JitOptions::FAST).unwrap();
    assert!(
        c.stats().vectorized.is_empty(),
        "point processes may share nodes"
    );
}

#[test]
fn ions_are_read_and_written_through_their_index() {
    let mut ir = mech(MechKind::Density, &[("g", 1, 0.5), ("ci", 1, 0.0)]);
    ir.ions.push(IonDecl {
        name: "ca".into(),
        valence: Some(2.0),
        reads: vec![IonField::Erev, IonField::ConcIn],
        writes: vec![IonField::Current],
    });
    ir.ions.push(IonDecl {
        name: "k".into(),
        valence: None,
        reads: vec![IonField::ConcOut],
        writes: vec![IonField::DCurrentDv],
    });
    let ion = |j, f| ld(Var::Ion(j, f));
    ir.kernels.cur = kernel(
        0,
        vec![
            set(
                Var::Ion(0, IonField::Current),
                add(
                    ion(0, IonField::Current),
                    mul(
                        ld(s(0)),
                        sub(ld(Var::Node(NodeVar::V)), ion(0, IonField::Erev)),
                    ),
                ),
            ),
            set(
                s(1),
                add(ion(0, IonField::ConcIn), ion(1, IonField::ConcOut)),
            ),
            set(Var::Ion(1, IonField::DCurrentDv), ld(s(1))),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        for count in [1, 4, 5] {
            let mut w = World::new(&ir, count);
            let before = w.clone();
            w.run(c.kernels().cur);
            let mut want = before.ions.clone();
            for i in 0..count {
                let v = before.v[before.node(i)];
                let (d, st, idx) = &mut want[0];
                let r = idx[i] as usize;
                d[3 * *st + r] += 0.5 * (v - d[r]);
                let ci = before.ion(0, 1, i) + before.ion(1, 2, i);
                assert_eq!(w.slot(1, i), ci);
                let (d, st, idx) = &mut want[1];
                d[4 * *st + idx[i] as usize] = ci;
            }
            assert_eq!(w.ions, want, "{opts:?} count {count}");
        }
    }
}

#[test]
fn arrays_in_slots_and_globals_with_truncated_indices() {
    let mut ir = mech(
        MechKind::Density,
        &[("a", 1, 1.0), ("arr", 3, 0.0), ("z", 1, 0.0)],
    );
    ir.globals = vec![
        GlobalDecl {
            name: "k".into(),
            role: VarRole::Parameter,
            size: 1,
            default: 2.0,
            hoc: true,
        },
        GlobalDecl {
            name: "tab".into(),
            role: VarRole::Internal,
            size: 4,
            default: 0.0,
            hoc: false,
        },
    ];
    let arr = |e: Expr| Var::Slot(1, Some(Box::new(e)));
    let tab = |e: Expr| Var::Global(1, Some(Box::new(e)));
    // table: tab[j] = j * k * celsius (once, no instance)
    ir.kernels.table = kernel(
        1,
        vec![
            set(l(0), n(0.0)),
            Stmt::While(
                bin(BinOp::Lt, ld(l(0)), n(4.0)),
                vec![
                    set(
                        tab(ld(l(0))),
                        mul(mul(ld(l(0)), ld(Var::Global(0, None))), ld(Var::Celsius)),
                    ),
                    set(l(0), add(ld(l(0)), n(1.0))),
                ],
            ),
        ],
    );
    // state: arr[0.9] = a, arr[1.7] = tab[a + 0.5], arr[2] = arr[-0.5] + 1 (index -> 0)
    // z = tab[3.99]
    ir.kernels.state = kernel(
        0,
        vec![
            set(arr(n(0.9)), ld(s(0))),
            set(arr(n(1.7)), ld(tab(add(ld(s(0)), n(0.5))))),
            set(arr(n(2.0)), add(ld(arr(n(-0.5))), n(1.0))),
            set(s(4), ld(tab(n(3.99)))),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, 5);
        w.celsius = 10.0;
        w.run(c.kernels().table);
        assert_eq!(w.globals, vec![2.0, 0.0, 20.0, 40.0, 60.0]);
        for i in 0..5 {
            w.set_slot(0, i, (i % 4) as f64);
        }
        w.run(c.kernels().state);
        for i in 0..5 {
            let a = (i % 4) as f64;
            assert_eq!(w.slot(1, i), a);
            assert_eq!(w.slot(2, i), 20.0 * a);
            assert_eq!(w.slot(3, i), a + 1.0);
            assert_eq!(w.slot(4, i), 60.0);
        }
    }
}

#[test]
fn comparisons_logic_select_and_min_max_have_c_semantics() {
    let mut ir = mech(
        MechKind::Density,
        &[("a", 1, 0.0), ("b", 1, 0.0), ("out", 12, 0.0)],
    );
    let (a, b) = (|| ld(s(0)), || ld(s(1)));
    let out = |k: usize| Var::Slot(2, Some(Box::new(n(k as f64))));
    let exprs = vec![
        bin(BinOp::Lt, a(), b()),
        bin(BinOp::Ge, a(), b()),
        bin(BinOp::Eq, a(), b()),
        bin(BinOp::Ne, a(), b()),
        bin(BinOp::And, a(), b()),
        bin(BinOp::Or, a(), b()),
        Expr::Un(UnOp::Not, Box::new(a())),
        Expr::Select(Box::new(a()), Box::new(n(10.0)), Box::new(n(20.0))),
        Expr::Math(MathFn::Min, vec![a(), b()]),
        Expr::Math(MathFn::Max, vec![a(), b()]),
        bin(BinOp::Pow, a(), n(2.0)),
        Expr::Math(MathFn::Floor, vec![a()]),
    ];
    let mut body: Vec<Stmt> = exprs
        .into_iter()
        .enumerate()
        .map(|(k, e)| set(out(k), e))
        .collect();
    // an If with else, writing a slot
    body.push(Stmt::If(
        bin(BinOp::Gt, a(), n(0.0)),
        vec![set(s(1), n(1.0))],
        vec![],
    ));
    ir.kernels.state = kernel(0, body);
    let cases = [
        (1.0, 2.0),
        (2.0, 1.0),
        (0.0, 0.0),
        (-1.5, 0.0),
        (f64::NAN, 1.0),
        (1.0, f64::NAN),
        (0.0, -0.0),
    ];
    let c_bool = |x: bool| if x { 1.0 } else { 0.0 };
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, cases.len());
        for (i, (x, y)) in cases.iter().enumerate() {
            w.set_slot(0, i, *x);
            w.set_slot(1, i, *y);
        }
        w.run(c.kernels().state);
        for (i, (x, y)) in cases.iter().copied().enumerate() {
            let want = [
                c_bool(x < y),
                c_bool(x >= y),
                c_bool(x == y),
                c_bool(x != y),
                c_bool(x != 0.0 && y != 0.0),
                c_bool(x != 0.0 || y != 0.0),
                c_bool(x == 0.0),
                if x != 0.0 { 10.0 } else { 20.0 },
                x.min(y),
                x.max(y),
                x.powf(2.0),
                x.floor(),
            ];
            for (k, wv) in want.iter().enumerate() {
                let got = w.slot(2 + k, i);
                assert!(
                    got == *wv || (got.is_nan() && wv.is_nan()),
                    "{opts:?} case ({x}, {y}) out {k}: {got} want {wv}"
                );
            }
            let b_after = if x > 0.0 { 1.0 } else { y };
            let got = w.slot(1, i);
            assert!(got == b_after || (got.is_nan() && b_after.is_nan()));
        }
    }
}

#[test]
fn invalid_ir_is_an_error_not_a_panic() {
    type Edit = Box<dyn Fn(&mut MechIr)>;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(s(9), n(1.0))])),
            "slot 9 out of range",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(l(0), n(1.0))])),
            "local 0 out of range",
        ),
        (
            Box::new(|ir| {
                ir.kernels.cur = kernel(0, vec![set(Var::Ion(0, IonField::Erev), n(1.0))])
            }),
            "ion 0 out of range",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![Stmt::Call(3, vec![])])),
            "does not exist",
        ),
        (
            Box::new(|ir| ir.kernels.table = kernel(0, vec![set(s(0), n(1.0))])),
            "type-wide",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(Var::Node(NodeVar::V), n(1.0))])),
            "read-only",
        ),
        (
            Box::new(|ir| {
                ir.kernels.cur = kernel(0, vec![set(s(0), Expr::Math(MathFn::Pow, vec![n(1.0)]))])
            }),
            "takes 2 argument",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(s(0), ld(Var::Flag))])),
            "outside NET_RECEIVE",
        ),
        (
            Box::new(|ir| {
                ir.kernels.cur = kernel(
                    0,
                    vec![Stmt::Solve {
                        a: vec![n(1.0)],
                        b: vec![n(1.0), n(2.0)],
                        out: vec![s(0)],
                    }],
                )
            }),
            "Solve needs",
        ),
        (
            Box::new(|ir| ir.kernels.cur = kernel(0, vec![set(s(0), ld(Var::Pointer(0)))])),
            "POINTER 0 out of range",
        ),
    ];
    for (make, msg) in cases {
        let mut ir = mech(MechKind::Density, &[("x", 1, 0.0)]);
        make(&mut ir);
        let e = compile_with(&ir, JitOptions::FAST).unwrap_err();
        assert!(matches!(e, JitError::InvalidIr { .. }), "{e}");
        assert!(e.to_string().contains(msg), "{e} should say {msg}");
    }
}

#[test]
fn invariant_hoisting_keeps_globals_written_in_the_loop_live() {
    // state: g = g + 1; x = g * 2 + celsius^2 (g changes per instance; the
    // celsius part is invariant and computed once)
    let mut ir = mech(MechKind::Density, &[("x", 1, 0.0)]);
    ir.globals = vec![GlobalDecl {
        name: "g".into(),
        role: VarRole::Assigned,
        size: 1,
        default: 0.0,
        hoc: true,
    }];
    ir.thread_safe = false;
    let g = || Var::Global(0, None);
    ir.kernels.state = kernel(
        0,
        vec![
            set(g(), add(ld(g()), n(1.0))),
            set(
                s(0),
                add(
                    mul(ld(g()), n(2.0)),
                    bin(BinOp::Pow, ld(Var::Celsius), n(2.0)),
                ),
            ),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        assert!(c.stats().vectorized.is_empty(), "writes a GLOBAL");
        let mut w = World::new(&ir, 4);
        w.celsius = 3.0;
        w.run(c.kernels().state);
        let got: Vec<f64> = (0..4).map(|i| w.slot(0, i)).collect();
        assert_eq!(got, vec![11.0, 13.0, 15.0, 17.0], "{opts:?}");
        assert_eq!(w.globals, vec![4.0]);
    }
}

#[test]
fn return_in_a_kernel_skips_to_the_next_instance() {
    // if (a > 0) { return }  b = 5
    let mut ir = mech(MechKind::Point, &[("a", 1, 0.0), ("b", 1, 0.0)]);
    ir.kernels.state = kernel(
        0,
        vec![
            Stmt::If(
                bin(BinOp::Gt, ld(s(0)), n(0.0)),
                vec![Stmt::Return(n(0.0))],
                vec![],
            ),
            set(s(1), n(5.0)),
        ],
    );
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 4);
    w.set_slot(0, 1, 1.0);
    w.set_slot(0, 3, 2.0);
    w.run(c.kernels().state);
    let got: Vec<f64> = (0..4).map(|i| w.slot(1, i)).collect();
    assert_eq!(got, vec![5.0, 0.0, 5.0, 0.0]);
}

#[test]
fn view_scalars_and_node_geometry_are_read() {
    // x = t + 10 dt + 100 secondorder + area + diam/1000
    let mut ir = mech(MechKind::Density, &[("x", 1, 0.0)]);
    ir.kernels.init = kernel(
        0,
        vec![set(
            s(0),
            add(
                add(
                    add(ld(Var::T), mul(n(10.0), ld(Var::Dt))),
                    mul(n(100.0), ld(Var::SecondOrder)),
                ),
                add(
                    ld(Var::Node(NodeVar::Area)),
                    bin(BinOp::Div, ld(Var::Node(NodeVar::Diam)), n(1000.0)),
                ),
            ),
        )],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, 3);
        w.secondorder = 2;
        w.run(c.kernels().init);
        for i in 0..3 {
            let nd = w.node(i);
            let want = 1.5 + 10.0 * 0.025 + 200.0 + (w.area[nd] + w.diam[nd] / 1000.0);
            assert_eq!(w.slot(0, i), want, "{opts:?}");
        }
    }
}

#[test]
fn nested_ifs_are_if_converted_exactly() {
    // if (a > 0) { if (a > 2) { x = 1 } else { x = 2  rhs += a } }
    // else { l = a * 2  x = l  d = d - l }
    let mut ir = mech(MechKind::Density, &[("a", 1, 0.0), ("x", 1, -1.0)]);
    let a = || ld(s(0));
    ir.kernels.state = kernel(
        1,
        vec![Stmt::If(
            bin(BinOp::Gt, a(), n(0.0)),
            vec![Stmt::If(
                bin(BinOp::Gt, a(), n(2.0)),
                vec![set(s(1), n(1.0))],
                vec![
                    set(s(1), n(2.0)),
                    set(
                        Var::Node(NodeVar::Rhs),
                        add(ld(Var::Node(NodeVar::Rhs)), a()),
                    ),
                ],
            )],
            vec![
                set(l(0), mul(a(), n(2.0))),
                set(s(1), ld(l(0))),
                set(
                    Var::Node(NodeVar::D),
                    sub(ld(Var::Node(NodeVar::D)), ld(l(0))),
                ),
            ],
        )],
    );
    let values = [3.0, 1.0, -1.0, 0.0, 2.5, f64::NAN, 1.5];
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        assert_eq!(c.stats().vectorized.len(), usize::from(opts.vectorize));
        let mut w = World::new(&ir, values.len());
        for (i, v) in values.iter().enumerate() {
            w.set_slot(0, i, *v);
        }
        let before = w.clone();
        w.run(c.kernels().state);
        for (i, a) in values.iter().copied().enumerate() {
            let nd = w.node(i);
            let (x, rhs, d) = if a > 0.0 {
                if a > 2.0 {
                    (1.0, before.rhs[nd], before.d[nd])
                } else {
                    (2.0, before.rhs[nd] + a, before.d[nd])
                }
            } else {
                (a * 2.0, before.rhs[nd], before.d[nd] - a * 2.0)
            };
            let same = |p: f64, q: f64| p == q || (p.is_nan() && q.is_nan());
            assert!(
                same(w.slot(1, i), x),
                "{opts:?} a = {a}: x = {}",
                w.slot(1, i)
            );
            assert!(same(w.rhs[nd], rhs), "{opts:?} a = {a}");
            assert!(same(w.d[nd], d), "{opts:?} a = {a}");
        }
    }
}

/// `x = p; p = p + 1` in a density mechanism whose two pointers share one
/// target: the scalar order (instance 0, then 1, ...) is kept in every
/// mode, since kernels with POINTERs are never vectorised.
#[test]
fn pointers_are_read_and_written_through_the_table_in_instance_order() {
    for opts in ALL_OPTIONS {
        let mut ir = mech(MechKind::Density, &[("x", 1, 0.0)]);
        ir.pointers = vec![
            PointerDecl {
                name: "p".into(),
                unit: None,
            },
            PointerDecl {
                name: "q".into(),
                unit: None,
            },
        ];
        // x = p + 10 q; p = p + 1
        ir.kernels.state = kernel(
            0,
            vec![
                set(
                    s(0),
                    add(ld(Var::Pointer(0)), mul(n(10.0), ld(Var::Pointer(1)))),
                ),
                set(Var::Pointer(0), add(ld(Var::Pointer(0)), n(1.0))),
            ],
        );
        let c = compile_with(&ir, opts).unwrap();
        assert!(c.stats().vectorized.is_empty(), "{opts:?}");
        let count = 5;
        let mut w = World::new(&ir, count);
        // p of every instance is one shared counter; q of instance i is
        // targets[i]
        let mut shared = [100.0];
        let mut targets: Vec<f64> = (0..count).map(|i| i as f64).collect();
        let mut table = vec![std::ptr::null_mut(); 2 * w.stride];
        for i in 0..count {
            table[i] = shared.as_mut_ptr();
            table[w.stride + i] = unsafe { targets.as_mut_ptr().add(i) };
        }
        w.pointers = table;
        w.run(c.kernels().state);
        for i in 0..count {
            assert_eq!(w.slot(0, i), 100.0 + i as f64 + 10.0 * i as f64, "{opts:?}");
        }
        assert_eq!(shared[0], 105.0);
        targets[0] = 0.0;
    }
}

/// A POINTER may refer to one of the mechanism's own GLOBALs: a kernel that
/// writes through it changes the GLOBAL, so loads of the GLOBAL must stay in
/// the loop. `p = p + 1; x = g * 2` with every p pointing at g.
#[test]
fn writing_through_a_pointer_keeps_globals_live() {
    for opts in ALL_OPTIONS {
        let mut ir = mech(MechKind::Density, &[("x", 1, 0.0)]);
        ir.globals = vec![GlobalDecl {
            name: "g".into(),
            role: VarRole::Assigned,
            size: 1,
            default: 0.0,
            hoc: true,
        }];
        ir.pointers = vec![PointerDecl {
            name: "p".into(),
            unit: None,
        }];
        ir.thread_safe = false;
        ir.kernels.state = kernel(
            0,
            vec![
                set(Var::Pointer(0), add(ld(Var::Pointer(0)), n(1.0))),
                set(s(0), mul(ld(Var::Global(0, None)), n(2.0))),
            ],
        );
        let c = compile_with(&ir, opts).unwrap();
        let count = 3;
        let mut w = World::new(&ir, count);
        w.globals = vec![10.0];
        let g = w.globals.as_mut_ptr();
        w.pointers = (0..w.stride).map(|_| g).collect();
        w.run(c.kernels().state);
        let got: Vec<f64> = (0..count).map(|i| w.slot(0, i)).collect();
        assert_eq!(got, vec![22.0, 24.0, 26.0], "{opts:?}");
        assert_eq!(w.globals, vec![13.0]);
    }
}
