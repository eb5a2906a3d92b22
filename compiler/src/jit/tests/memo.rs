//! Remembered memory values (`translate/memo.rs`): every way a remembered
//! slot could go stale (calls, POINTER writes, runtime services, indexed
//! writes, branches, loops, returns), and deleted stores that something
//! still reads. Each test runs in every mode; a random differential test
//! compares bodies with calls, loops and returns against the IR interpreter
//! of the lowering (`nmodl::lower::eval`).

use super::*;
use crate::nmodl::lower::eval::Instance;

fn gt(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Gt, a, b)
}

fn call(f: usize, args: Vec<Expr>) -> Expr {
    Expr::Call(f, args)
}

/// Runs `state` of `ir` over instances whose slots start as `inputs[i]`
/// in every mode (as a density mechanism and as a point process) and
/// returns the slots of each instance, checking all modes agree.
fn run_all(ir: &MechIr, inputs: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut first: Option<Vec<Vec<f64>>> = None;
    for kind in [MechKind::Density, MechKind::Point] {
        let mut ir = ir.clone();
        ir.kind = kind;
        for opts in ALL_OPTIONS {
            let c = compile_with(&ir, opts).unwrap();
            let mut w = World::new(&ir, inputs.len());
            for (i, inp) in inputs.iter().enumerate() {
                for (k, x) in inp.iter().enumerate() {
                    w.set_slot(k, i, *x);
                }
            }
            w.run(c.kernels().state);
            let got: Vec<Vec<f64>> = (0..inputs.len())
                .map(|i| (0..ir.slot_count()).map(|k| w.slot(k, i)).collect())
                .collect();
            match &first {
                None => first = Some(got),
                Some(f) => assert_eq!(&got, f, "{kind:?} {opts:?}"),
            }
        }
    }
    first.unwrap()
}

/// A PROCEDURE and a FUNCTION that write a slot the kernel has remembered,
/// and read one the kernel has just stored.
#[test]
fn calls_see_stored_slots_and_their_writes_are_seen() {
    // slots x, y, z, w
    let mut ir = mech(
        MechKind::Point,
        &[("x", 1, 0.0), ("y", 1, 0.0), ("z", 1, 0.0), ("w", 1, 0.0)],
    );
    // PROCEDURE bump() { x = x * 10 + 3 }
    ir.functions.push(Function {
        name: "bump".into(),
        args: 0,
        locals: 0,
        returns_value: false,
        hoc: false,
        body: vec![set(s(0), add(mul(ld(s(0)), n(10.0)), n(3.0)))],
    });
    // FUNCTION setx(a) { x = a  setx = 1 }
    ir.functions.push(Function {
        name: "setx".into(),
        args: 1,
        locals: 0,
        returns_value: true,
        hoc: false,
        body: vec![set(s(0), ld(Var::Arg(0))), Stmt::Return(n(1.0))],
    });
    ir.kernels.state = kernel(
        0,
        vec![
            set(s(0), ld(s(3))),
            set(s(1), ld(s(0))),
            Stmt::Call(0, vec![]),
            set(s(2), ld(s(0))),
            // the call runs before x is loaded
            set(s(3), add(call(1, vec![n(5.0)]), ld(s(0)))),
            set(s(0), add(ld(s(0)), n(1.0))),
        ],
    );
    let got = run_all(&ir, &[vec![0.0, 0.0, 0.0, 1.0], vec![0.0, 0.0, 0.0, 2.0]]);
    assert_eq!(got[0], vec![6.0, 1.0, 13.0, 6.0]);
    assert_eq!(got[1], vec![6.0, 2.0, 23.0, 6.0]);
}

/// A POINTER to the instance's own slot x: a write through it changes x,
/// a read through it sees the last store of x.
#[test]
fn pointer_writes_and_reads_alias_the_instances_own_slots() {
    let mut ir = mech(
        MechKind::Density,
        &[("x", 1, 0.0), ("y", 1, 0.0), ("z", 1, 0.0), ("w", 1, 0.0)],
    );
    ir.pointers = vec![PointerDecl {
        name: "p".into(),
        unit: None,
    }];
    let p = Var::Pointer(0);
    ir.kernels.state = kernel(
        0,
        vec![
            set(s(0), n(1.0)),
            set(s(1), ld(s(0))),
            set(p.clone(), n(5.0)),
            set(s(2), ld(s(0))),
            set(s(0), n(7.0)),
            set(s(3), ld(p.clone())),
            set(s(0), n(8.0)),
        ],
    );
    for kind in [MechKind::Density, MechKind::Point] {
        ir.kind = kind;
        for opts in ALL_OPTIONS {
            let c = compile_with(&ir, opts).unwrap();
            let count = 3;
            let mut w = World::new(&ir, count);
            let data = w.data.as_mut_ptr();
            // pointer of instance i: its own x (slot 0)
            w.pointers = (0..w.stride)
                .map(|i| unsafe { data.add(i.min(count - 1)) })
                .collect();
            w.run(c.kernels().state);
            for i in 0..count {
                let got: Vec<f64> = (0..4).map(|k| w.slot(k, i)).collect();
                assert_eq!(got, vec![8.0, 1.0, 5.0, 7.0], "{kind:?} {opts:?} {i}");
            }
        }
    }
}

/// `If`s writing a slot in one arm or in both, `Select`s loading a slot in
/// one arm only, and an arm that returns.
#[test]
fn branches_merge_or_forget_what_their_arms_wrote() {
    // slots c, x, y, z, u
    let mut ir = mech(
        MechKind::Density,
        &[
            ("c", 1, 0.0),
            ("x", 1, 0.0),
            ("y", 1, 0.0),
            ("z", 1, 0.0),
            ("u", 1, 0.0),
        ],
    );
    let (c, x, y, z, u) = (s(0), s(1), s(2), s(3), s(4));
    ir.kernels.state = kernel(
        0,
        vec![
            // x is loaded in one arm only: it is not known after the select
            set(
                u.clone(),
                Expr::Select(
                    Box::new(gt(ld(c.clone()), n(0.0))),
                    Box::new(ld(x.clone())),
                    Box::new(n(-1.0)),
                ),
            ),
            set(u.clone(), add(mul(ld(u.clone()), n(100.0)), ld(x.clone()))),
            set(y.clone(), ld(x.clone())),
            // written in one arm
            Stmt::If(
                gt(ld(c.clone()), n(0.0)),
                vec![set(x.clone(), add(ld(x.clone()), n(1.0)))],
                vec![],
            ),
            set(z.clone(), ld(x.clone())),
            // written in both arms
            Stmt::If(
                gt(ld(c.clone()), n(1.0)),
                vec![set(x.clone(), n(10.0))],
                vec![set(x.clone(), n(20.0))],
            ),
            set(y.clone(), add(ld(y.clone()), ld(x.clone()))),
        ],
    );
    let inputs: Vec<Vec<f64>> = [-1.0, 0.5, 2.0, 0.0, 3.0]
        .iter()
        .enumerate()
        .map(|(i, c)| vec![*c, i as f64 + 0.25, 0.0, 0.0, 0.0])
        .collect();
    let got = run_all(&ir, &inputs);
    for (inp, g) in inputs.iter().zip(&got) {
        let (c, x0) = (inp[0], inp[1]);
        let u = if c > 0.0 { x0 } else { -1.0 } * 100.0 + x0;
        let x1 = if c > 0.0 { x0 + 1.0 } else { x0 };
        let x2 = if c > 1.0 { 10.0 } else { 20.0 };
        assert_eq!(g, &vec![c, x2, x0 + x2, x1, u], "c = {c}");
    }

    // kernels with returns stay scalar: `y = x; if (c > 0) { x = 5 return }
    // z = x; if (c > 1) { return } else { x = 3 } u = x`
    ir.kernels.state = kernel(
        0,
        vec![
            set(y.clone(), ld(x.clone())),
            Stmt::If(
                gt(ld(c.clone()), n(0.0)),
                vec![set(x.clone(), n(5.0)), Stmt::Return(n(0.0))],
                vec![],
            ),
            set(z.clone(), ld(x.clone())),
            Stmt::If(
                gt(ld(c.clone()), n(-2.0)),
                vec![Stmt::Return(n(0.0))],
                vec![set(x.clone(), n(3.0))],
            ),
            set(u.clone(), ld(x.clone())),
        ],
    );
    let inputs: Vec<Vec<f64>> = [-3.0, 0.5, -1.0]
        .iter()
        .map(|c| vec![*c, 7.0, 0.0, 0.0, 0.0])
        .collect();
    let got = run_all(&ir, &inputs);
    assert_eq!(got[0], vec![-3.0, 3.0, 7.0, 7.0, 3.0]);
    assert_eq!(got[1], vec![0.5, 5.0, 7.0, 0.0, 0.0]);
    assert_eq!(got[2], vec![-1.0, 7.0, 7.0, 7.0, 0.0]);
}

/// Loops whose body and condition write slots remembered before them.
#[test]
fn loops_see_the_slots_their_body_and_condition_write() {
    // slots c, x, y, z, u
    let mut ir = mech(
        MechKind::Point,
        &[
            ("c", 1, 0.0),
            ("x", 1, 0.0),
            ("y", 1, 0.0),
            ("z", 1, 0.0),
            ("u", 1, 0.0),
        ],
    );
    let (c, x, y, z, u) = (s(0), s(1), s(2), s(3), s(4));
    // FUNCTION next() { x = x + 1  next = x }
    ir.functions.push(Function {
        name: "next".into(),
        args: 0,
        locals: 0,
        returns_value: true,
        hoc: false,
        body: vec![
            set(x.clone(), add(ld(x.clone()), n(1.0))),
            Stmt::Return(ld(x.clone())),
        ],
    });
    // PROCEDURE bump() { x = x + 1 }
    ir.functions.push(Function {
        name: "bump".into(),
        args: 0,
        locals: 0,
        returns_value: false,
        hoc: false,
        body: vec![set(x.clone(), add(ld(x.clone()), n(1.0)))],
    });
    // x = 0  y = x  while (x < c) { x = x + 1  y = y + x }  z = x + y
    // x = 0  while (next() < 3) { y = y + x }  z = z * 100 + x
    // x = 0  u = 0  while (x < 3 && u < 10) { u = u + 1  bump() }
    let lt = |a: &Var, b: Expr| bin(BinOp::Lt, ld(a.clone()), b);
    ir.kernels.state = kernel(
        0,
        vec![
            set(x.clone(), n(0.0)),
            set(y.clone(), ld(x.clone())),
            Stmt::While(
                lt(&x, ld(c.clone())),
                vec![
                    set(x.clone(), add(ld(x.clone()), n(1.0))),
                    set(y.clone(), add(ld(y.clone()), ld(x.clone()))),
                ],
            ),
            set(z.clone(), add(ld(x.clone()), ld(y.clone()))),
            set(x.clone(), n(0.0)),
            Stmt::While(
                bin(BinOp::Lt, call(0, vec![]), n(3.0)),
                vec![set(y.clone(), add(ld(y.clone()), ld(x.clone())))],
            ),
            set(z.clone(), add(mul(ld(z.clone()), n(100.0)), ld(x.clone()))),
            set(x.clone(), n(0.0)),
            set(u.clone(), n(0.0)),
            Stmt::While(
                bin(BinOp::And, lt(&x, n(3.0)), lt(&u, n(10.0))),
                vec![
                    set(u.clone(), add(ld(u.clone()), n(1.0))),
                    Stmt::Call(1, vec![]),
                ],
            ),
        ],
    );
    let got = run_all(&ir, &[vec![0.0; 5], vec![4.0, 0.0, 0.0, 0.0, 0.0]]);
    assert_eq!(got[0], vec![0.0, 3.0, 3.0, 3.0, 3.0]);
    // 1+2+3+4 = 10, z = 14; then y = 10 + 1 + 2
    assert_eq!(got[1], vec![4.0, 3.0, 13.0, 1403.0, 3.0]);
}

/// Array elements at constant indices are remembered; a write at a run-time
/// index forgets them, a read at one keeps the stores before it.
#[test]
fn run_time_indices_forget_and_keep_array_elements() {
    // slots a[3], c, y, z
    let mut ir = mech(
        MechKind::Density,
        &[("a", 3, 0.0), ("c", 1, 0.0), ("y", 1, 0.0), ("z", 1, 0.0)],
    );
    let a = |i: Expr| Var::Slot(0, Some(Box::new(i)));
    let (c, y, z) = (s(3), s(4), s(5));
    // a[1] = 2  y = a[c]  a[1] = 3  a[c] = 9  z = a[1]  a[2] = a[1.5] + 1
    ir.kernels.state = kernel(
        0,
        vec![
            set(a(n(1.0)), n(2.0)),
            set(y.clone(), ld(a(ld(c.clone())))),
            set(a(n(1.0)), n(3.0)),
            set(a(ld(c.clone())), n(9.0)),
            set(z.clone(), ld(a(n(1.0)))),
            set(a(n(2.0)), add(ld(a(n(1.5))), n(1.0))),
        ],
    );
    let got = run_all(&ir, &[vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0], vec![0.0; 6]]);
    assert_eq!(got[0], vec![0.0, 9.0, 10.0, 1.0, 2.0, 9.0]);
    // c = 0: a[0] = 9, a[1] stays 3
    assert_eq!(got[1], vec![9.0, 3.0, 4.0, 0.0, 0.0, 3.0]);
}

thread_local! {
    static SEEN: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// A runtime service that records slot 0 of the instance and sets it to 42.
unsafe extern "C" fn writing_host(
    _host: *mut c_void,
    _op: u32,
    view: *const View,
    instance: usize,
    _a: f64,
    _b: f64,
) -> f64 {
    let x = unsafe { (*view).data.add(instance) };
    SEEN.with(|s| s.borrow_mut().push(unsafe { *x }));
    unsafe { *x = 42.0 };
    0.0
}

#[test]
fn runtime_services_see_stored_slots_and_their_writes_are_seen() {
    // x = 1  y = x  net_send(1.5, 0)  z = x  x = x + 1
    let mut ir = mech(
        MechKind::Point,
        &[("x", 1, 0.0), ("y", 1, 0.0), ("z", 1, 0.0)],
    );
    ir.kernels.state = kernel(
        0,
        vec![
            set(s(0), n(1.0)),
            set(s(1), ld(s(0))),
            Stmt::Host(HostFn::NetSend, vec![n(1.5), n(0.0)]),
            set(s(2), ld(s(0))),
            set(s(0), add(ld(s(0)), n(1.0))),
        ],
    );
    for opts in ALL_OPTIONS {
        let c = compile_with(&ir, opts).unwrap();
        let mut w = World::new(&ir, 2);
        w.host = std::ptr::dangling_mut::<c_void>();
        w.host_call = Some(writing_host);
        SEEN.with(|s| s.borrow_mut().clear());
        w.run(c.kernels().state);
        assert_eq!(
            SEEN.with(|s| s.borrow().clone()),
            vec![1.0, 1.0],
            "{opts:?}"
        );
        for i in 0..2 {
            let got: Vec<f64> = (0..3).map(|k| w.slot(k, i)).collect();
            assert_eq!(got, vec![43.0, 1.0, 42.0], "{opts:?}");
        }
    }
}

// ----- random bodies against the IR interpreter -----------------------------

/// A small deterministic generator (64-bit LCG, high bits).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }
}

const SLOTS: usize = 5;
const LOCALS: usize = 2;
/// locals `LOCALS + depth` count the iterations of loops at each depth
const DEPTH: usize = 3;

fn random_expr(r: &mut Rng, depth: usize) -> Expr {
    if depth == 0 || r.below(3) == 0 {
        return match r.below(4) {
            0 => n([0.0, 1.0, -1.5, 0.5, 3.0][r.below(5)]),
            1 => ld(l(r.below(LOCALS))),
            _ => ld(s(r.below(SLOTS))),
        };
    }
    let sub = |r: &mut Rng| Box::new(random_expr(r, depth - 1));
    match r.below(6) {
        0 => Expr::Bin(BinOp::Add, sub(r), sub(r)),
        1 => Expr::Bin(BinOp::Mul, sub(r), sub(r)),
        2 => Expr::Bin(BinOp::Lt, sub(r), sub(r)),
        3 => Expr::Select(sub(r), sub(r), sub(r)),
        // FUNCTION g(a): writes slot 1
        4 => call(1, vec![*sub(r)]),
        _ => Expr::Bin(BinOp::Sub, sub(r), sub(r)),
    }
}

fn random_stmts(r: &mut Rng, depth: usize) -> Vec<Stmt> {
    (0..1 + r.below(3))
        .map(|_| match r.below(if depth > 0 { 8 } else { 5 }) {
            0 => Stmt::Call(0, vec![random_expr(r, 2)]),
            1 => Stmt::If(
                gt(random_expr(r, 2), n(0.5)),
                vec![Stmt::Return(n(0.0))],
                vec![],
            ),
            5 | 6 => Stmt::If(
                random_expr(r, 2),
                random_stmts(r, depth - 1),
                random_stmts(r, depth - 1),
            ),
            7 => {
                // k = 0  while (k < 2) { ...  k = k + 1 }
                let k = l(LOCALS + depth);
                let mut body = random_stmts(r, depth - 1);
                body.push(set(k.clone(), add(ld(k.clone()), n(1.0))));
                Stmt::If(
                    n(1.0),
                    vec![
                        set(k.clone(), n(0.0)),
                        Stmt::While(bin(BinOp::Lt, ld(k), n(2.0)), body),
                    ],
                    vec![],
                )
            }
            _ => {
                let v = if r.below(3) == 0 {
                    l(r.below(LOCALS))
                } else {
                    s(r.below(SLOTS))
                };
                set(v, random_expr(r, 2))
            }
        })
        .collect()
}

/// Random kernels with calls of a PROCEDURE and a FUNCTION that write
/// slots, returns, branches and loops: the JIT in every mode, as a density
/// mechanism and as a point process, computes what the IR interpreter does,
/// bit for bit.
#[test]
fn random_bodies_with_calls_and_loops_agree_with_the_ir_interpreter() {
    let mut r = Rng(0x5ca1ab1e);
    let count = 5;
    for round in 0..120 {
        let mut ir = mech(MechKind::Density, &[("s", SLOTS, 0.0)]);
        // PROCEDURE p(a) { s0 = s0 * 0.5 + a  if (s2 > 1) { s2 = s2 - 1 return } s3 = a * s4 }
        ir.functions.push(Function {
            name: "p".into(),
            args: 1,
            locals: 0,
            returns_value: false,
            hoc: false,
            body: vec![
                set(s(0), add(mul(ld(s(0)), n(0.5)), ld(Var::Arg(0)))),
                Stmt::If(
                    gt(ld(s(2)), n(1.0)),
                    vec![set(s(2), sub(ld(s(2)), n(1.0))), Stmt::Return(n(0.0))],
                    vec![],
                ),
                set(s(3), mul(ld(Var::Arg(0)), ld(s(4)))),
            ],
        });
        // FUNCTION g(a) { s1 = s1 + a  g = s1 * 2 }
        ir.functions.push(Function {
            name: "g".into(),
            args: 1,
            locals: 0,
            returns_value: true,
            hoc: false,
            body: vec![
                set(s(1), add(ld(s(1)), ld(Var::Arg(0)))),
                Stmt::Return(mul(ld(s(1)), n(2.0))),
            ],
        });
        let locals = LOCALS + DEPTH + 1;
        let mut body: Vec<Stmt> = (0..locals).map(|k| set(l(k), n(0.0))).collect();
        body.extend(random_stmts(&mut r, DEPTH));
        ir.kernels.state = kernel(locals, body.clone());
        let inputs: Vec<Vec<f64>> = (0..count)
            .map(|_| {
                (0..SLOTS)
                    .map(|_| [0.0, 1.0, -2.0, 0.25, 3.0][r.below(5)])
                    .collect()
            })
            .collect();
        for kind in [MechKind::Density, MechKind::Point] {
            ir.kind = kind;
            for opts in ALL_OPTIONS {
                let c = compile_with(&ir, opts).unwrap();
                let mut w = World::new(&ir, count);
                for (i, inp) in inputs.iter().enumerate() {
                    for (k, x) in inp.iter().enumerate() {
                        w.set_slot(k, i, *x);
                    }
                }
                w.run(c.kernels().state);
                for (i, inp) in inputs.iter().enumerate() {
                    let mut want = Instance::new(&ir);
                    want.slots = inp.clone();
                    want.run(&ir, &ir.kernels.state, &mut []);
                    for (k, wk) in want.slots.iter().enumerate() {
                        let got = w.slot(k, i);
                        assert!(
                            got.to_bits() == wk.to_bits() || (got.is_nan() && wk.is_nan()),
                            "round {round} {kind:?} {opts:?} instance {i} slot {k}: \
                             {got} want {wk}\n{body:?}"
                        );
                    }
                }
            }
        }
    }
}
