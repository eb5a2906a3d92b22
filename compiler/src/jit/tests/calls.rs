//! FUNCTIONs, solves, NET_RECEIVE and runtime services.

use super::*;

#[test]
fn function_with_if_else_and_while() {
    let mut ir = mech(MechKind::Point, &[("scale", 1, 2.0), ("out", 1, 0.0)]);
    let body = vec![
        set(l(0), n(0.0)),
        set(l(1), n(0.0)),
        Stmt::While(
            bin(BinOp::Lt, ld(l(1)), ld(Var::Arg(0))),
            vec![
                Stmt::If(
                    bin(
                        BinOp::Eq,
                        Expr::Math(MathFn::Fmod, vec![ld(l(1)), n(2.0)]),
                        n(0.0),
                    ),
                    vec![set(l(0), add(ld(l(0)), ld(l(1))))],
                    vec![set(l(0), sub(ld(l(0)), n(1.0)))],
                ),
                set(l(1), add(ld(l(1)), n(1.0))),
            ],
        ),
        Stmt::Return(mul(ld(l(0)), ld(s(0)))),
        // unreachable after the return
        set(s(1), n(99.0)),
    ];
    ir.functions.push(Function {
        name: "f".into(),
        args: 1,
        locals: 2,
        returns_value: true,
        hoc: true,
        body,
    });
    // a PROCEDURE called from a kernel: out = f(arg) + 1
    ir.functions.push(Function {
        name: "p".into(),
        args: 1,
        locals: 0,
        returns_value: false,
        hoc: false,
        body: vec![set(s(1), add(Expr::Call(0, vec![ld(Var::Arg(0))]), n(1.0)))],
    });
    ir.kernels.init = kernel(0, vec![Stmt::Call(1, vec![n(5.0)])]);
    let c = compile(&ir).unwrap();
    assert!(c.function(1).is_none(), "p is not callable from HOC");
    let f = |x: f64| {
        let (mut s, mut k) = (0.0, 0.0);
        while k < x {
            if k % 2.0 == 0.0 {
                s += k
            } else {
                s -= 1.0
            }
            k += 1.0;
        }
        s
    };
    let mut w = World::new(&ir, 3);
    w.set_slot(0, 2, 3.0);
    for x in [0.0, 1.0, 4.0, 7.5] {
        assert_eq!(w.call(c.function(0), 0, &[x]), f(x) * 2.0);
        assert_eq!(w.call(c.function(0), 2, &[x]), f(x) * 3.0);
    }
    w.run(c.kernels().init);
    assert_eq!(w.slot(1, 0), f(5.0) * 2.0 + 1.0);
    assert_eq!(w.slot(1, 2), f(5.0) * 3.0 + 1.0);
}

fn solve_ir(a: &[f64], b: &[f64]) -> MechIr {
    let n_ = b.len();
    let mut ir = mech(MechKind::Density, &[("x", n_, 0.0)]);
    ir.kernels.state = kernel(
        0,
        vec![Stmt::Solve {
            a: a.iter().map(|x| n(*x)).collect(),
            b: b.iter().map(|x| n(*x)).collect(),
            out: (0..n_).map(s).collect(),
        }],
    );
    ir
}

#[test]
fn solve_3x3_with_pivoting() {
    // a[0][0] = 0 needs a row swap; x = (1, -2, 3)
    let a = [0.0, 2.0, 1.0, 1.0, 1.0, 1.0, 2.0, -1.0, 3.0];
    let x = [1.0, -2.0, 3.0];
    let b: Vec<f64> = (0..3)
        .map(|r| (0..3).map(|c| a[r * 3 + c] * x[c]).sum())
        .collect();
    let ir = solve_ir(&a, &b);
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 2);
    w.run(c.kernels().state);
    for i in 0..2 {
        for (k, xk) in x.iter().enumerate() {
            assert!((w.slot(k, i) - xk).abs() < 1e-14, "x{k} = {}", w.slot(k, i));
        }
    }
}

#[test]
fn solve_20x20_compiles_quickly_and_solves() {
    let m = 20;
    let mut a = vec![0.0; m * m];
    for r in 0..m {
        for c in 0..m {
            a[r * m + c] =
                1.0 / (1.0 + (r as f64 - c as f64).abs()) + if r == c { 0.0 } else { 0.1 };
        }
    }
    let x: Vec<f64> = (0..m).map(|k| k as f64 - 7.5).collect();
    let b: Vec<f64> = (0..m)
        .map(|r| (0..m).map(|c| a[r * m + c] * x[c]).sum())
        .collect();
    let ir = solve_ir(&a, &b);
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 1);
    w.run(c.kernels().state);
    for (k, xk) in x.iter().enumerate() {
        assert!((w.slot(k, 0) - xk).abs() < 1e-10, "x{k} = {}", w.slot(k, 0));
    }
}

#[test]
fn net_receive_reads_and_writes_weights_and_sees_flag() {
    let mut ir = mech(MechKind::Point, &[("g", 1, 0.0), ("f", 1, 0.0)]);
    ir.weights = 2;
    ir.kernels.net_receive = kernel(
        1,
        vec![
            set(l(0), mul(ld(Var::Arg(0)), n(2.0))),
            set(s(0), add(ld(s(0)), ld(l(0)))),
            set(s(1), ld(Var::Flag)),
            set(Var::Arg(1), add(ld(Var::Arg(1)), n(1.0))),
        ],
    );
    ir.kernels.net_receive_init = kernel(0, vec![set(Var::Arg(1), ld(Var::T))]);
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 3);
    let mut weights = [0.25, 10.0];
    w.net_receive(c.kernels().net_receive_init, 1, &mut weights, 0.0);
    assert_eq!(weights, [0.25, 1.5]);
    w.net_receive(c.kernels().net_receive, 1, &mut weights, 3.0);
    w.net_receive(c.kernels().net_receive, 1, &mut weights, 4.0);
    assert_eq!(weights, [0.25, 3.5]);
    assert_eq!(w.slot(0, 1), 1.0);
    assert_eq!(w.slot(1, 1), 4.0);
    assert_eq!((w.slot(0, 0), w.slot(0, 2)), (0.0, 0.0));
}

/// (host, op, count, instance, a, b) of each call
type HostRecord = (usize, u32, usize, usize, f64, f64);

thread_local! {
    static HOST_LOG: RefCell<Vec<HostRecord>> = const { RefCell::new(Vec::new()) };
}

unsafe extern "C" fn host_call(
    host: *mut c_void,
    op: u32,
    view: *const View,
    instance: usize,
    a: f64,
    b: f64,
) -> f64 {
    let count = unsafe { (*view).count };
    HOST_LOG.with(|l| {
        l.borrow_mut()
            .push((host as usize, op, count, instance, a, b))
    });
    100.0 + op as f64
}

#[test]
fn host_call_receives_op_instance_and_args() {
    let mut ir = mech(MechKind::Point, &[("r", 1, 0.0)]);
    ir.kernels.state = kernel(
        0,
        vec![
            Stmt::Host(HostFn::NetSend, vec![n(1.5), ld(Var::T)]),
            set(s(0), Expr::Host(HostFn::Uniform, vec![n(0.0)])),
        ],
    );
    ir.weights = 1;
    ir.kernels.net_receive = kernel(
        0,
        vec![set(
            s(0),
            // stream 2 of a mechanism with three RANDOM variables
            Expr::Host(
                HostFn::Normrand,
                vec![n(2.0), ld(Var::Arg(0)), ld(Var::Flag)],
            ),
        )],
    );
    let c = compile(&ir).unwrap();
    let mut w = World::new(&ir, 2);
    // no services: calls yield 0
    w.slot(0, 0);
    w.set_slot(0, 0, 7.0);
    w.run(c.kernels().state);
    assert_eq!(w.slot(0, 0), 0.0);
    w.host = 0x1234 as *mut c_void;
    w.host_call = Some(host_call);
    HOST_LOG.with(|l| l.borrow_mut().clear());
    w.run(c.kernels().state);
    let mut wts = [0.5];
    w.net_receive(c.kernels().net_receive, 1, &mut wts, 2.0);
    let log = HOST_LOG.with(|l| l.borrow().clone());
    assert_eq!(
        log,
        vec![
            (0x1234, 0, 2, 0, 1.5, 1.5),
            (0x1234, 3, 2, 0, 0.0, 0.0),
            (0x1234, 0, 2, 1, 1.5, 1.5),
            (0x1234, 3, 2, 1, 0.0, 0.0),
            (0x1234, 2 << 8 | 5, 2, 1, 0.5, 2.0),
        ]
    );
    assert_eq!(w.slot(0, 0), 103.0);
    assert_eq!(w.slot(0, 1), 100.0 + (2 << 8 | 5) as f64);
}

#[test]
fn unrolled_and_helper_solves_give_the_same_bits() {
    use crate::jit::solve::{nerve_jit_solve, UNROLL_MAX};
    for m in 1..=UNROLL_MAX + 2 {
        // a matrix needing row swaps: small diagonal, irregular entries
        let a: Vec<f64> = (0..m * m)
            .map(|k| {
                let (r, c) = (k / m, k % m);
                if r == c {
                    0.01 * (r + 1) as f64
                } else {
                    ((r * 7 + c * 3) % 11) as f64 / 3.0 - 1.2
                }
            })
            .collect();
        let b: Vec<f64> = (0..m).map(|k| 1.0 + k as f64 / 7.0).collect();
        let ir = solve_ir(&a, &b);
        let c = compile(&ir).unwrap();
        let mut w = World::new(&ir, 1);
        w.run(c.kernels().state);
        let (mut a2, mut x) = (a.clone(), b.clone());
        unsafe { nerve_jit_solve(m, a2.as_mut_ptr(), x.as_mut_ptr()) };
        for (k, xk) in x.iter().enumerate() {
            assert_eq!(w.slot(k, 0).to_bits(), xk.to_bits(), "n = {m}, x{k}");
        }
        // and x solves the system
        for r in 0..m {
            let lhs: f64 = (0..m).map(|j| a[r * m + j] * x[j]).sum();
            assert!(
                (lhs - b[r]).abs() < 1e-9,
                "n = {m}, row {r}: {lhs} vs {}",
                b[r]
            );
        }
    }
}
