//! Tests of the constructs whose lowering leans on runtime services or
//! solves: NET_RECEIVE's v copy, WATCH, FUNCTION_TABLE, LINEAR and
//! NONLINEAR blocks (numbers compared with NEURON 9.0.2's, from the cases
//! in `tests/mech/`).

use super::super::ir::*;
use super::eval::Instance;
use super::tests::{compile, error_of};

#[test]
fn net_receive_copies_v_and_refuses_to_assign_it() {
    let ir = compile("expsyn.mod");
    let body = &ir.kernels.net_receive.as_ref().expect("net_receive").body;
    let k = ir.slots.iter().position(|s| s.name == "v").expect("v slot");
    let v = Var::Slot(ir.slot_offset(k), None);
    assert_eq!(body[0], Stmt::Assign(v, Expr::Load(Var::Node(NodeVar::V))));
    let e =
        error_of("NEURON { POINT_PROCESS W }\nASSIGNED { v }\nNET_RECEIVE(w) {\n  v = -70\n}\n");
    assert!(e.contains("assigning v in NET_RECEIVE"), "{e}");
    assert!(e.contains("t.mod:3:1"), "{e}");
}

#[test]
fn watch_arms_a_condition_function() {
    let ir = compile("watchdet.mod");
    assert_eq!(ir.kernels.watch.len(), 3);
    let conds: Vec<&str> = ir
        .kernels
        .watch
        .iter()
        .map(|&f| ir.functions[f].name.as_str())
        .collect();
    // numbered as lowered: `else if` branches last to first
    assert_eq!(conds, ["_watch1_cond", "_watch2_cond", "_watch3_cond"]);
    assert!(ir.kernels.watch.iter().all(|&f| !ir.functions[f].hoc));
    let mut x = Instance::new(&ir);
    x.run(&ir, &ir.kernels.init, &mut []);
    x.host_calls.clear();
    // flag 1 arms WATCH (v > thresh) 2 with its value at v = -65: -45
    x.v = -65.0;
    x.flag = 1.0;
    x.run(&ir, &ir.kernels.net_receive, &mut [0.0]);
    assert_eq!(x.host_calls, vec![(HostFn::Watch, vec![0.0, 2.0, -45.0])]);
    // the condition copies the node's v, as nocmodl's `_watch1_cond`
    x.v = -10.0;
    assert_eq!(x.call(&ir, ir.kernels.watch[0], vec![]), 10.0);
    assert_eq!(x.slot(&ir, "v"), -10.0);
    // flag 2 arms WATCH (v < thresh - hyst) 3, which is -(a - b)
    x.host_calls.clear();
    x.flag = 2.0;
    x.run(&ir, &ir.kernels.net_receive, &mut [0.0]);
    assert_eq!(x.host_calls[1], (HostFn::Watch, vec![2.0, 3.0, -20.0]));
    assert_eq!(x.call(&ir, ir.kernels.watch[2], vec![]), -20.0);
}

#[test]
fn watch_errors_name_the_construct() {
    let e = error_of("NEURON { ARTIFICIAL_CELL A }\nNET_RECEIVE(w) {\n  WATCH (t > 1) 2\n}\n");
    assert!(e.contains("WATCH in an ARTIFICIAL_CELL"), "{e}");
    assert!(e.contains("t.mod:3:3"), "{e}");
    let e = error_of(
        "NEURON { POINT_PROCESS W }\nASSIGNED { v }\nNET_RECEIVE(w) {\n  WATCH (v + 1) 2\n}\n",
    );
    assert!(e.contains("a WATCH condition is one comparison"), "{e}");
    assert!(e.contains("t.mod:4:10"), "{e}");
    let e =
        error_of("NEURON { POINT_PROCESS W }\nASSIGNED { v }\nINITIAL {\n  WATCH (v > 1) 2\n}\n");
    assert!(e.contains("WATCH is allowed only in NET_RECEIVE"), "{e}");
}

#[test]
fn linear_and_nonlinear_blocks_solve_their_equations() {
    let ir = compile("linnl.mod");
    let mut x = Instance::new(&ir);
    x.v = -65.0;
    x.run(&ir, &ir.kernels.init, &mut []);
    // NEURON 9.0.2 after finitialize(-65) (tests/mech/linear.hoc)
    for (s, want) in [
        ("u", -0.2775582595),
        ("w", 0.4138241561),
        ("p", 0.635421726),
        ("q", 0.6051387981),
    ] {
        let got = x.slot(&ir, s);
        assert!((got - want).abs() < 1e-9, "{s} = {got}, NEURON {want}");
    }
    // LINEAR: the solution satisfies its equations
    let (u, w, v) = (x.slot(&ir, "u"), x.slot(&ir, "w"), -65.0f64);
    assert!((2.0 * u + 2.0 * w - (v / 50.0).exp()).abs() < 1e-12);
    assert!((u - w - (v / 100.0 - 0.1 * w)).abs() < 1e-12);
}

#[test]
fn algebraic_equation_errors_are_named() {
    let head = "NEURON { SUFFIX p }\nSTATE { a b }\nBREAKPOINT { SOLVE e }\n";
    let e = error_of(&format!("{head}LINEAR e {{\n  ~ a*b = 1\n  ~ a = b\n}}\n"));
    assert!(e.contains("not linear in the block's unknowns"), "{e}");
    assert!(e.contains("t.mod:5:3"), "{e}");
    let e = error_of(&format!("{head}LINEAR e {{\n  ~ a + b = 1\n}}\n"));
    assert!(
        e.contains("Number of equations, 1, does not equal number, 2"),
        "{e}"
    );
    let e = error_of(&format!(
        "{head}NONLINEAR e {{\n  ~ a*a = 1\n  if (a > 0) {{\n  ~ b = 2\n  }}\n}}\n"
    ));
    assert!(e.contains("inside if, while"), "{e}");
    let e = error_of(&format!(
        "{head}NONLINEAR e SOLVEFOR a {{\n  ~ a*a = 1\n  ~ b = 2\n}}\n"
    ));
    assert!(e.contains("contains no unknown of its block"), "{e}");
    assert!(e.contains("t.mod:6:3"), "{e}");
}

/// Gives FUNCTION_TABLE `name` its values as the runtime does: appended
/// after the globals, described in the header (`axes`: size, min, max,
/// points or empty for the range).
fn give_table(
    ir: &MechIr,
    x: &mut Instance,
    name: &str,
    values: &[f64],
    axes: &[(usize, f64, f64, &[f64])],
) {
    let t = ir.function_tables.iter().find(|t| t.name == name).unwrap();
    x.globals[t.header] = x.globals.len() as f64;
    x.globals.extend_from_slice(values);
    for (i, (n, min, max, pts)) in axes.iter().enumerate() {
        let h = t.header + 1 + 4 * i;
        x.globals[h] = *n as f64;
        x.globals[h + 1] = *min;
        x.globals[h + 2] = *max;
        if !pts.is_empty() {
            x.globals[h + 3] = x.globals.len() as f64;
            x.globals.extend_from_slice(pts);
        }
    }
}

#[test]
fn function_table_lookup_is_neurons() {
    // tests/mech/functable.hoc's tables; the numbers NEURON 9.0.2 printed
    let ir = compile("ftab.mod");
    assert_eq!(ir.function_tables.len(), 3);
    assert!(ir.function_tables.iter().all(|t| t.used));
    let mut x = Instance::new(&ir);
    let f = |ir: &MechIr, n: &str| {
        ir.function_tables
            .iter()
            .find(|t| t.name == n)
            .unwrap()
            .function
    };
    // not given yet: NaN
    assert!(x.call(&ir, f(&ir, "tabninf"), vec![-50.0]).is_nan());
    let vv: Vec<f64> = (0..41).map(|k| -100.0 + 5.0 * k as f64).collect();
    let ninf: Vec<f64> = vv
        .iter()
        .map(|v| 1.0 / (1.0 + ((-(v + 40.0)) / 8.0).exp()))
        .collect();
    let ntau: Vec<f64> = vv
        .iter()
        .map(|v| 1.0 + 4.0 * (-((v + 50.0) / 20.0).powi(2)).exp())
        .collect();
    let mut sc = Vec::new();
    for a in 0..5 {
        for b in 0..3 {
            sc.push(1.0 + 0.1 * a as f64 + 0.05 * (b * b) as f64);
        }
    }
    give_table(&ir, &mut x, "tabninf", &ninf, &[(41, 0.0, 0.0, &vv)]);
    give_table(&ir, &mut x, "tabntau", &ntau, &[(41, -100.0, 100.0, &[])]);
    give_table(
        &ir,
        &mut x,
        "tabscale",
        &sc,
        &[(5, -100.0, 100.0, &[]), (3, 0.0, 0.0, &[0.0, 20.0, 40.0])],
    );
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1e-9);
    let ninf_f = f(&ir, "tabninf");
    for (v, want) in [
        (-47.3, 0.2907104369),
        (-40.0, 0.5),
        (-200.0, 0.0005527786369),
        (500.0, 0.9999999749),
        (99.9, 0.9999999745),
    ] {
        let got = x.call(&ir, ninf_f, vec![v]);
        assert!(near(got, want), "tabninf({v}) = {got}, NEURON {want}");
    }
    let ntau_f = f(&ir, "tabntau");
    for (v, want) in [
        (-52.5, 4.878826126),
        (-100.0, 1.007721817),
        (3.21, 1.004098678),
    ] {
        let got = x.call(&ir, ntau_f, vec![v]);
        assert!(near(got, want), "tabntau({v}) = {got}, NEURON {want}");
    }
    let sc_f = f(&ir, "tabscale");
    for (v, c, want) in [
        (-30.0, 6.3, 1.15575),
        (-100.0, 0.0, 1.0),
        (100.0, 40.0, 1.6),
        (10.0, 55.0, 1.42),
        (-120.0, 31.0, 1.1325),
    ] {
        let got = x.call(&ir, sc_f, vec![v, c]);
        assert!(near(got, want), "tabscale({v}, {c}) = {got}, NEURON {want}");
    }
}

/// FOR_NETCONS walks the instance's NetCons with its arguments aliased to
/// their weights, as nocmodl's `_fnargs[k]`: when the loop is at the NetCon
/// being delivered, its arguments and NET_RECEIVE's are the same numbers.
#[test]
fn for_netcons_aliases_each_netcons_weights() {
    let ir = super::tests::compile_text(
        "NEURON { POINT_PROCESS F RANGE seen }\nASSIGNED { seen }\n\
         NET_RECEIVE(w, a, n) {\n\
           FOR_NETCONS(w1, a1, n1) {\n\
             n1 = n1 + 100\n seen = seen + n\n n = n + 1\n\
             seen = seen + n1 / 1000\n a1 = w1 * 2\n\
           }\n\
           a = a + 0.5\n\
         }\n",
    )
    .expect("lowers");
    let mut x = Instance::new(&ir);
    x.set_slot(&ir, "seen", 0.0);
    x.netcons = vec![
        vec![1.0, 0.0, 0.0],
        vec![2.0, 0.0, 0.0],
        vec![3.0, 0.0, 0.0],
    ];
    x.delivering = Some(1);
    let mut args = x.netcons[1].clone();
    x.run(&ir, &ir.kernels.net_receive, &mut args);
    // what NEURON's aliases give, step by step
    let mut seen = 0.0 + 0.0;
    seen += 100.0 / 1000.0;
    seen += 101.0;
    seen += 102.0 / 1000.0;
    seen += 102.0;
    seen += 100.0 / 1000.0;
    assert_eq!(x.slot(&ir, "seen"), seen);
    assert_eq!(
        x.netcons,
        [[1.0, 2.0, 100.0], [2.0, 4.5, 103.0], [3.0, 6.0, 100.0]]
    );
    let e = error_of("NEURON { POINT_PROCESS F }\nNET_RECEIVE(w) {\n  FOR_NETCONS(w1, x) { }\n}\n");
    assert!(e.contains("as many arguments as NET_RECEIVE"), "{e}");
}
