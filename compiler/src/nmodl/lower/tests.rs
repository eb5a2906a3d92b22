//! Tests of the lowering: snapshots of the printed IR for the files in
//! `compiler/tests/nmodl/lower/` (regenerate with `NERVE_BLESS=1 cargo
//! test -p nerve-compiler lower`), diagnostics, and numbers computed by
//! the IR evaluator compared with NEURON 9.0.2's.

use super::super::ir::*;
use super::super::ir_print;
use super::eval::Instance;
use super::{compile_source, compile_source_with};
use crate::diagnostics::SourceFile;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/nmodl/lower")
}

pub(super) fn compile(name: &str) -> MechIr {
    let p = data_dir().join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|_| panic!("missing {}", p.display()));
    let f = SourceFile::new(name, text);
    match compile_source(&f) {
        Ok(ir) => ir,
        Err(e) => panic!("{e}"),
    }
}

pub(super) fn compile_text(src: &str) -> Result<MechIr, String> {
    compile_source(&SourceFile::new("t.mod", src))
}

/// Compares the printed IR of every `.mod` file in `dir` with its snapshot
/// in `dir/snapshots` (written instead with `NERVE_BLESS=1`).
fn check_snapshots(dir: &std::path::Path) {
    let bless = std::env::var_os("NERVE_BLESS").is_some();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("test data")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".mod"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let p = dir.join(&name);
        let text = std::fs::read_to_string(&p).expect("test file");
        let ir =
            compile_source(&SourceFile::new(name.as_str(), text)).unwrap_or_else(|e| panic!("{e}"));
        let printed = ir_print::print(&ir);
        let snap = dir.join("snapshots").join(format!("{name}.txt"));
        if bless {
            std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
            std::fs::write(&snap, &printed).expect("write snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&snap)
            .unwrap_or_else(|_| panic!("missing {}; run with NERVE_BLESS=1", snap.display()));
        assert_eq!(printed, expected, "snapshot {} differs", snap.display());
    }
}

#[test]
fn snapshots() {
    check_snapshots(&data_dir());
}

/// Real ModelDB / hnn-core files (`compiler/tests/nmodl/corpus/`, sources
/// in their headers and in `compiler/tests/nmodl/CORPUS.md`).
#[test]
fn corpus_snapshots() {
    check_snapshots(&data_dir().join("../corpus"));
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 + 1e-7 * b.abs()
}

#[test]
fn pas_currents() {
    let ir = compile("pas.mod");
    let mut x = Instance::new(&ir);
    x.v = -50.0;
    x.run(&ir, &ir.kernels.init, &mut []);
    x.run(&ir, &ir.kernels.cur, &mut []);
    x.run(&ir, &ir.kernels.jacob, &mut []);
    // i = g*(v - e) = 0.001*(-50 + 70)
    assert!(close(x.rhs, -0.02), "{}", x.rhs);
    assert!(close(x.d, 0.001), "{}", x.d);
}

/// NEURON 9.0.2's numbers (`reference/make_reference.hoc`).
fn reference(key: &str) -> f64 {
    let mut text = String::new();
    for f in [
        "reference.txt",
        "reference_kin3.txt",
        "reference_corpus.txt",
    ] {
        let p = data_dir().join("reference").join(f);
        text += &std::fs::read_to_string(p).expect("reference data");
    }
    text.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(' ')?;
            (k == key).then(|| v.trim().parse().ok())?
        })
        .unwrap_or_else(|| panic!("no reference value {key}"))
}

fn check(key: &str, got: f64) {
    let want = reference(key);
    assert!(close(got, want), "{key}: nerve {got:e}, NEURON {want:e}");
}

/// Runs one fixed step as NEURON does at a clamped v: ion currents reset,
/// currents, then the state update.
fn step(ir: &MechIr, x: &mut Instance) {
    for ion in x.ions.iter_mut() {
        ion[IonField::Current as usize] = 0.0;
        ion[IonField::DCurrentDv as usize] = 0.0;
    }
    x.rhs = 0.0;
    x.d = 0.0;
    x.run(ir, &ir.kernels.cur, &mut []);
    x.run(ir, &ir.kernels.jacob, &mut []);
    x.run(ir, &ir.kernels.state, &mut []);
    x.t += x.dt;
}

fn ion(ir: &MechIr, name: &str) -> usize {
    ir.ions.iter().position(|i| i.name == name).expect("ion")
}

#[test]
fn hhx_cnexp_matches_neuron() {
    let ir = compile("hhx.mod");
    let mut x = Instance::new(&ir);
    x.ions[ion(&ir, "na")][IonField::Erev as usize] = 50.0;
    x.ions[ion(&ir, "k")][IonField::Erev as usize] = -77.0;
    x.v = -65.0;
    x.run(&ir, &ir.kernels.init, &mut []);
    for s in ["m", "h", "n"] {
        check(&format!("hhx.init.{s}"), x.slot(&ir, s));
    }
    x.v = -30.0;
    step(&ir, &mut x);
    for s in ["m", "h", "n", "gna", "il"] {
        check(&format!("hhx.step1.{s}"), x.slot(&ir, s));
    }
    step(&ir, &mut x);
    for s in ["m", "h", "n", "gna"] {
        check(&format!("hhx.step2.{s}"), x.slot(&ir, s));
    }
    check(
        "hhx.step2.ina",
        x.ions[ion(&ir, "na")][IonField::Current as usize],
    );
}

#[test]
fn nlk_derivimplicit_matches_neuron() {
    let ir = compile("nlk.mod");
    let mut x = Instance::new(&ir);
    x.ions[ion(&ir, "k")][IonField::Erev as usize] = -77.0;
    x.v = -65.0;
    x.run(&ir, &ir.kernels.init, &mut []);
    check("nlk.init.w", x.slot(&ir, "w"));
    check("nlk.init.z", x.slot(&ir, "z"));
    x.v = -20.0;
    for _ in 0..3 {
        step(&ir, &mut x);
    }
    check("nlk.step3.w", x.slot(&ir, "w"));
    check("nlk.step3.z", x.slot(&ir, "z"));
}

#[test]
fn chan3_sparse_matches_neuron() {
    let ir = compile("chan3.mod");
    let mut x = Instance::new(&ir);
    x.ions[ion(&ir, "na")][IonField::Erev as usize] = 50.0;
    x.v = -65.0;
    x.run(&ir, &ir.kernels.init, &mut []);
    for s in ["C", "O", "I"] {
        check(&format!("chan3.init.{s}"), x.slot(&ir, s));
    }
    x.v = -20.0;
    for _ in 0..3 {
        step(&ir, &mut x);
    }
    for s in ["C", "O", "I"] {
        check(&format!("chan3.step3.{s}"), x.slot(&ir, s));
    }
}

#[test]
fn calcium_pair_matches_neuron() {
    let chan = compile("cachan.mod");
    let dec = compile("cadecay.mod");
    let mut a = Instance::new(&chan);
    let mut b = Instance::new(&dec);
    // the ca ion's defaults: cai 5e-5 mM, cao 2 mM
    let ca = [0.0, 5e-5, 2.0, 0.0, 0.0];
    a.ions[ion(&chan, "ca")] = ca;
    b.ions[ion(&dec, "ca")] = ca;
    a.v = -65.0;
    b.v = -65.0;
    a.run(&chan, &chan.kernels.init, &mut []);
    b.ions[0] = a.ions[0];
    b.run(&dec, &dec.kernels.init, &mut []);
    a.ions[0] = b.ions[0];
    check("ca.init.cai", b.ions[0][IonField::ConcIn as usize]);
    check("ca.init.m", a.slot(&chan, "m"));
    a.v = 0.0;
    b.v = 0.0;
    for _ in 0..3 {
        step(&chan, &mut a);
        // cadecay has no current: its step is the state update alone
        b.ions[0] = a.ions[0];
        b.run(&dec, &dec.kernels.state, &mut []);
        a.ions[0] = b.ions[0];
    }
    check("ca.step3.cai", b.ions[0][IonField::ConcIn as usize]);
    check("ca.step3.m", a.slot(&chan, "m"));
    check("ca.step3.ica", a.slot(&chan, "ica"));
}

/// The first rendered error of a text that does not lower.
pub(super) fn error_of(src: &str) -> String {
    match compile_text(src) {
        Ok(ir) => panic!("expected an error, got\n{}", ir_print::print(&ir)),
        Err(e) => e,
    }
}

#[test]
fn unsupported_constructs_are_named() {
    let e = error_of("NEURON { SUFFIX p BBCOREPOINTER q }\nASSIGNED { q }\nBREAKPOINT { }\n");
    assert!(e.contains("BBCOREPOINTER is not supported yet"), "{e}");
    let e = error_of("NEURON { SUFFIX p }\nINITIAL {\nVERBATIM\nx = 1;\nENDVERBATIM\n}\n");
    assert!(e.contains("VERBATIM C code is not supported"), "{e}");
    assert!(e.contains("t.mod:3:1"), "{e}");
    let e = error_of("NEURON { SUFFIX p }\nSTATE { x }\nBREAKPOINT { SOLVE d METHOD runge }\nDERIVATIVE d { x' = -x }\n");
    assert!(
        e.contains("METHOD runge for a DERIVATIVE block is not supported"),
        "{e}"
    );
    let e = error_of(
        "NEURON { SUFFIX p }\nSTATE { x[2] }\nBREAKPOINT { SOLVE d METHOD cnexp }\n\
         DERIVATIVE d { x'[0] = -x[0] }\n",
    );
    assert!(
        e.contains("derivatives of STATE arrays are not supported"),
        "{e}"
    );
    let e = error_of("NEURON { SUFFIX p }\nUNITS { Q = (furlong) (meter) }\n");
    assert!(
        e.contains("nerve does not know how many (meter) make one (furlong)"),
        "{e}"
    );
}

#[test]
fn pointers_read_and_write_their_targets() {
    let ir = compile("ptrsyn.mod");
    assert_eq!(ir.pointers.len(), 2);
    assert_eq!(ir.pointers[0].name, "vpre");
    // two instances may share a target: writing through a POINTER is not
    // thread safe
    assert!(!ir.thread_safe);
    let mut x = Instance::new(&ir);
    x.v = -65.0;
    x.pointers = vec![-20.0, 3.0];
    x.run(&ir, &ir.kernels.cur, &mut []);
    // i = g*(v - e)/(1 + exp(0)) = 0.01*(-65)/2
    assert!(close(x.slot(&ir, "i"), -0.325), "{}", x.slot(&ir, "i"));
    // the BREAKPOINT runs twice (at v + 0.001 and at v), as in NEURON
    assert_eq!(x.pointers[1], 5.0);
}

#[test]
fn state_discontinuity_in_net_receive_assigns() {
    let ir = compile_text(
        "NEURON { POINT_PROCESS s }\nSTATE { g }\nBREAKPOINT { SOLVE d METHOD cnexp }\n\
         DERIVATIVE d { g' = -g }\nNET_RECEIVE(w) {\n state_discontinuity(g, g + 2*w)\n}\n",
    )
    .unwrap();
    let mut x = Instance::new(&ir);
    x.set_slot(&ir, "g", 1.0);
    x.run(&ir, &ir.kernels.net_receive, &mut [0.25]);
    assert_eq!(x.slot(&ir, "g"), 1.5);
    let e = error_of("NEURON { SUFFIX p }\nSTATE { g }\nINITIAL { state_discontinuity(g, 1) }\n");
    assert!(e.contains("state_discontinuity is not supported"), "{e}");
}

#[test]
fn corpus_idioms_accepted_as_nocmodl_does() {
    // GLOBAL of a STATE's initial value, one value for all elements
    let ir = compile_text("NEURON { SUFFIX b GLOBAL B0 }\nSTATE { B[3] }\nINITIAL { }\n").unwrap();
    let g = ir.globals.iter().find(|g| g.name == "B0").expect("B0");
    assert!(g.hoc && g.size == 1);
    let mut x = Instance::new(&ir);
    x.set_global(&ir, "B0", 2.5);
    x.run(&ir, &ir.kernels.init, &mut []);
    let k = ir.slot_offset(ir.slots.iter().position(|s| s.name == "B").unwrap());
    assert_eq!(&x.slots[k..k + 3], &[2.5, 2.5, 2.5]);
    // lines ended by a lone CR; DESTRUCTOR passes the checks in an
    // ARTIFICIAL_CELL (nerve does not run it: in the corpus it only holds
    // VERBATIM)
    let e = error_of("NEURON { ARTIFICIAL_CELL a }\rCOMMENT\rx\rENDCOMMENT\rDESTRUCTOR { }\r");
    assert!(e.contains("DESTRUCTOR is not supported yet"), "{e}");
}

#[test]
fn before_after_blocks_are_kernels() {
    let ir = compile("baflow.mod");
    let timings: Vec<BaTiming> = ir.kernels.before_after.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        timings,
        [
            BaTiming::AfterSolve,
            BaTiming::AfterInitial,
            BaTiming::BeforeStep
        ]
    );
    let mut x = Instance::new(&ir);
    x.v = -65.0;
    x.pointers = vec![-60.0, 1.0];
    let run = |x: &mut Instance, k: usize| {
        x.run(&ir, &Some(ir.kernels.before_after[k].1.clone()), &mut []);
    };
    run(&mut x, 0);
    assert_eq!(x.slot(&ir, "ia"), 2.5);
    assert_eq!(x.pointers[1], 3.5);
    x.ions[0][IonField::ConcIn as usize] = 1e-4;
    run(&mut x, 2);
    assert_eq!(x.slot(&ir, "peak"), 1e-4);
    let e = error_of("NEURON { SUFFIX p }\nASSIGNED { x }\nAFTER STEP { x = 1 }\n");
    assert!(e.contains("NEURON runs only BEFORE INITIAL"), "{e}");
    let e = error_of("NEURON { ARTIFICIAL_CELL A }\nASSIGNED { x }\nBEFORE STEP { x = 1 }\n");
    assert!(
        e.contains("BEFORE/AFTER blocks in an ARTIFICIAL_CELL are not supported yet"),
        "{e}"
    );
    assert!(e.contains("t.mod:3:1"), "{e}");
}

#[test]
fn at_time_is_neurons_fixed_step_test() {
    let ir = compile_text(
        "NEURON { SUFFIX p RANGE on, te }\nASSIGNED { on te }\n\
         BREAKPOINT { on = at_time(te) }\n",
    )
    .unwrap();
    let mut x = Instance::new(&ir);
    x.t = 1.0;
    for (te, want) in [(1.0, 1.0), (0.99, 1.0), (0.975, 0.0), (1.01, 0.0)] {
        x.set_slot(&ir, "te", te);
        // no current: the BREAKPOINT runs in the state kernel
        x.run(&ir, &ir.kernels.state, &mut []);
        assert_eq!(x.slot(&ir, "on"), want, "te = {te}");
    }
}

#[test]
fn verbatim_return_zero_is_a_return() {
    let ir = compile_text(
        "NEURON { SUFFIX p }\nFUNCTION f(x) {\n f = x\nVERBATIM\nreturn 0;\nENDVERBATIM\n}\n",
    )
    .unwrap();
    let mut inst = Instance::new(&ir);
    assert_eq!(inst.call(&ir, 0, vec![3.0]), 0.0);
    // a VERBATIM holding only a C comment is nothing (five corpus files)
    let ir = compile_text(
        "NEURON { SUFFIX p }\nFUNCTION f(x) {\n f = x\nVERBATIM\n/* printf(\"%g\", x); */\nENDVERBATIM\n}\n",
    )
    .unwrap();
    let mut inst = Instance::new(&ir);
    assert_eq!(inst.call(&ir, 0, vec![3.0]), 3.0);
}

#[test]
fn nonlinear_cnexp_is_nocmodls() {
    // nocmodl 9.0.2 drops the constant term of a nonlinear equation:
    // x = x + (1 - exp(dt*df/dx))*(-x)
    let ir = compile_text(
        "NEURON { SUFFIX p }\nSTATE { x }\nINITIAL { x = 0.5 }\n\
         BREAKPOINT { SOLVE d METHOD cnexp }\nDERIVATIVE d { x' = 1 - x*x }\n",
    )
    .unwrap();
    let mut inst = Instance::new(&ir);
    inst.run(&ir, &ir.kernels.init, &mut []);
    inst.run(&ir, &ir.kernels.state, &mut []);
    let x0: f64 = 0.5;
    let want = x0 + (1.0 - (0.025 * -(x0 + x0)).exp()) * -x0;
    assert!(close(inst.slot(&ir, "x"), want));
}

#[test]
fn ktab_table_matches_neuron() {
    let ir = compile("ktab.mod");
    let mut x = Instance::new(&ir);
    x.ions[ion(&ir, "k")][IonField::Erev as usize] = -77.0;
    x.celsius = 16.0;
    x.v = -65.0;
    x.run(&ir, &ir.kernels.table, &mut []);
    x.run(&ir, &ir.kernels.init, &mut []);
    check("ktab.init.n", x.slot(&ir, "n"));
    check("ktab.init.ninf", x.global(&ir, "ninf"));
    x.v = -33.3;
    x.run(&ir, &ir.kernels.table, &mut []);
    step(&ir, &mut x);
    check("ktab.step1.n", x.slot(&ir, "n"));
    check("ktab.step1.ninf", x.global(&ir, "ninf"));
    check("ktab.step1.ntau", x.global(&ir, "ntau"));
    x.set_global(&ir, "usetable", 0.0);
    step(&ir, &mut x);
    check("ktab.notable.ninf", x.global(&ir, "ninf"));
    check("ktab.notable.ntau", x.global(&ir, "ntau"));
    x.set_global(&ir, "usetable", 1.0);
    let rates = ir.functions.iter().position(|f| f.name == "rates").unwrap();
    for (key, v) in [
        ("lo", -100.0),
        ("below", -200.0),
        ("above", 77.0),
        ("mid", -95.0),
    ] {
        x.call(&ir, rates, vec![v]);
        check(&format!("ktab.{key}.ninf"), x.global(&ir, "ninf"));
    }
    // a DEPEND value changing rebuilds the table
    x.celsius = 6.3;
    x.run(&ir, &ir.kernels.table, &mut []);
    x.call(&ir, rates, vec![-95.0]);
    assert!(!close(x.global(&ir, "ntau"), reference("ktab.step1.ntau")));
}

#[test]
fn range_table_matches_neuron() {
    let ir = compile("krange.mod");
    let mut x = Instance::new(&ir);
    x.ions[ion(&ir, "k")][IonField::Erev as usize] = -77.0;
    x.celsius = 16.0;
    x.v = -65.0;
    x.run(&ir, &ir.kernels.table, &mut []);
    x.run(&ir, &ir.kernels.init, &mut []);
    check("krange.init.n", x.slot(&ir, "n"));
    check("krange.init.ninf", x.slot(&ir, "ninf"));
    x.v = -33.3;
    x.run(&ir, &ir.kernels.table, &mut []);
    step(&ir, &mut x);
    for s in ["n", "ninf", "ntau"] {
        check(&format!("krange.step1.{s}"), x.slot(&ir, s));
    }
    x.set_global(&ir, "usetable", 0.0);
    step(&ir, &mut x);
    check("krange.notable.ninf", x.slot(&ir, "ninf"));
    check("krange.notable.ntau", x.slot(&ir, "ntau"));
    // the table is built type-wide: no kernel but `table` writes a global
    assert!(ir.thread_safe);
}

/// A real file: Mainen & Sejnowski 1996's na.mod (ModelDB 2488) tabulates
/// RANGE minf, hinf, mtau, htau with a DEPEND on celsius and GLOBALs.
#[test]
fn mainen_na_matches_neuron() {
    let ir = compile("../corpus/2488_na.mod");
    let mut x = Instance::new(&ir);
    x.ions[ion(&ir, "na")][IonField::Erev as usize] = 50.0;
    x.celsius = 37.0;
    x.v = -65.0;
    x.run(&ir, &ir.kernels.table, &mut []);
    x.run(&ir, &ir.kernels.init, &mut []);
    check("na2488.init.m", x.slot(&ir, "m"));
    check("na2488.init.h", x.slot(&ir, "h"));
    x.v = -30.0;
    for _ in 0..2 {
        x.run(&ir, &ir.kernels.table, &mut []);
        step(&ir, &mut x);
    }
    for s in ["m", "h", "mtau"] {
        check(&format!("na2488.step2.{s}"), x.slot(&ir, s));
    }
    check(
        "na2488.step2.ina",
        x.ions[ion(&ir, "na")][IonField::Current as usize],
    );
}

/// The TABLE lookup is single-exit (one final return), so the inliner takes
/// `rates(v)` into the kernels: what stays a call is `_f_rates`, the body
/// as written, under `usetable == 0`.
#[test]
fn table_lookups_inline_into_the_kernels() {
    let ir = compile("krange.mod");
    let rates = ir.functions.iter().position(|f| f.name == "rates").unwrap();
    let body = &ir.functions[rates].body;
    let returns = body
        .iter()
        .map(|s| {
            let mut n = 0;
            visit_stmt(
                s,
                &mut |s| n += usize::from(matches!(s, Stmt::Return(_))),
                &mut |_| {},
            );
            n
        })
        .sum::<usize>();
    assert_eq!(returns, 1);
    assert!(matches!(body.last(), Some(Stmt::Return(_))));
    for k in [&ir.kernels.init, &ir.kernels.state] {
        let mut calls = Vec::new();
        for s in &k.as_ref().unwrap().body {
            visit_stmt(
                s,
                &mut |s| {
                    if let Stmt::Call(f, _) = s {
                        calls.push(ir.functions[*f].name.clone());
                    }
                },
                &mut |_| {},
            );
        }
        assert_eq!(calls, vec!["_f_rates"]);
    }
}

#[test]
fn function_table_interpolates() {
    let ir = compile_text(
        "NEURON { SUFFIX p GLOBAL k }\nPARAMETER { k = 2 }\n\
         FUNCTION sq(x) {\n TABLE DEPEND k FROM 0 TO 10 WITH 10\n sq = k*x*x\n}\n",
    )
    .unwrap();
    let mut inst = Instance::new(&ir);
    inst.run(&ir, &ir.kernels.table, &mut []);
    // between entries 2 (8) and 3 (18)
    assert!(close(inst.call(&ir, 0, vec![2.5]), 13.0));
    assert!(close(inst.call(&ir, 0, vec![-1.0]), 0.0));
    assert!(close(inst.call(&ir, 0, vec![11.0]), 200.0));
    assert!(inst.call(&ir, 0, vec![f64::NAN]).is_nan());
    inst.set_global(&ir, "usetable", 0.0);
    assert!(close(inst.call(&ir, 0, vec![2.5]), 12.5));
}

#[test]
fn facsyn_net_receive() {
    let ir = compile("facsyn.mod");
    assert_eq!(ir.weights, 3);
    let mut x = Instance::new(&ir);
    x.run(&ir, &ir.kernels.init, &mut []);
    let mut w = [0.01, 0.0, 0.0];
    x.run(&ir, &ir.kernels.net_receive_init, &mut w);
    assert_eq!(w, [0.01, 1.0, -1e9]);
    x.t = 5.0;
    x.flag = 0.0;
    x.run(&ir, &ir.kernels.net_receive, &mut w);
    assert!(close(x.slot(&ir, "g"), 0.01));
    assert_eq!(x.slot(&ir, "nev"), 1.0);
    assert!(close(w[1], 1.5));
    assert_eq!(w[2], 5.0);
    assert_eq!(x.host_calls, vec![(HostFn::NetSendAt, vec![7.0, 1.0])]);
    x.flag = 1.0;
    x.run(&ir, &ir.kernels.net_receive, &mut w);
    assert!(close(x.slot(&ir, "g"), 0.0125));
    assert_eq!(x.slot(&ir, "nself"), 1.0);
}

#[test]
fn pacer_artificial_cell() {
    let ir = compile("pacer.mod");
    assert_eq!(ir.kind, MechKind::Artificial);
    assert!(ir.slots.iter().all(|s| s.name != "v" && s.name != "_g"));
    assert!(ir.kernels.cur.is_none() && ir.kernels.jacob.is_none());
    let mut x = Instance::new(&ir);
    x.run(&ir, &ir.kernels.init, &mut []);
    // net_send(7, 1) at t = 0: an event at t + 7
    assert_eq!(x.host_calls, vec![(HostFn::NetSendAt, vec![7.0, 1.0])]);
    x.host_calls.clear();
    x.t = 7.0;
    x.flag = 1.0;
    x.run(&ir, &ir.kernels.net_receive, &mut [0.0]);
    assert_eq!(x.slot(&ir, "nfired"), 1.0);
    assert_eq!(
        x.host_calls,
        vec![
            (HostFn::NetEvent, vec![7.0]),
            (HostFn::NetSendAt, vec![14.0, 1.0])
        ]
    );
    x.host_calls.clear();
    x.flag = 0.0;
    x.run(&ir, &ir.kernels.net_receive, &mut [-1.0]);
    assert_eq!(x.host_calls, vec![(HostFn::NetMove, vec![17.0])]);
}

#[test]
fn thread_safety_follows_global_writes() {
    assert!(
        !compile("gr.mod").thread_safe,
        "INITIAL writes GLOBAL count"
    );
    assert!(!compile("hhx.mod").thread_safe, "rates writes GLOBAL minf");
    assert!(!compile("ktab.mod").thread_safe, "rates writes GLOBAL ninf");
    assert!(compile("nlk.mod").thread_safe);
    assert!(compile("chan3.mod").thread_safe);
    assert!(compile("facsyn.mod").thread_safe);
}

#[test]
fn point_process_currents_scale_by_area() {
    let ir = compile("iclamp.mod");
    assert!(ir.electrode_current);
    let mut x = Instance::new(&ir);
    x.set_slot(&ir, "del", 0.0);
    x.set_slot(&ir, "dur", 1.0);
    x.set_slot(&ir, "amp", 0.5);
    x.area = 200.0;
    x.t = 0.5;
    x.run(&ir, &ir.kernels.init, &mut []);
    x.run(&ir, &ir.kernels.cur, &mut []);
    x.run(&ir, &ir.kernels.jacob, &mut []);
    // an electrode current injects: rhs += i*1e2/area
    assert!(close(x.rhs, 0.5 * 100.0 / 200.0), "{}", x.rhs);
    assert_eq!(x.d, 0.0);
    let ir = compile("expsyn.mod");
    let mut x = Instance::new(&ir);
    x.run(&ir, &ir.kernels.init, &mut []);
    x.run(&ir, &ir.kernels.net_receive, &mut [0.002]);
    x.v = -65.0;
    x.area = 200.0;
    x.run(&ir, &ir.kernels.cur, &mut []);
    x.run(&ir, &ir.kernels.jacob, &mut []);
    // i = g*(v - e) nA → rhs -= i*1e2/area; d += g*1e2/area
    let i = 0.002 * (-65.0 - 0.0);
    assert!(close(x.rhs, -i * 100.0 / 200.0), "{}", x.rhs);
    assert!((x.d - 0.002 * 100.0 / 200.0).abs() < 1e-9, "{}", x.d);
}

#[test]
fn kin3_nonlinear_sparse_matches_neuron() {
    let ir = compile("kin3.mod");
    let mut x = Instance::new(&ir);
    x.v = -65.0;
    x.run(&ir, &ir.kernels.init, &mut []);
    for s in ["A", "B", "C"] {
        check(&format!("kin3.init.{s}"), x.slot(&ir, s));
    }
    x.v = 20.0;
    for _ in 0..4 {
        step(&ir, &mut x);
    }
    for s in ["A", "B", "C"] {
        check(&format!("kin3.step4.{s}"), x.slot(&ir, s));
    }
}

/// The corpus's INCLUDEd files: `<model>__<file name>` in its folder.
struct CorpusIncludes {
    dir: PathBuf,
    model: String,
}

impl super::super::include::IncludeReader for CorpusIncludes {
    fn read(&self, path: &std::path::Path) -> std::io::Result<String> {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let bytes = std::fs::read(self.dir.join(format!("{}__{name}", self.model)))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
    fn env(&self, _: &str) -> Option<String> {
        None
    }
}

/// Compiles every `.mod` file under `$NMODL_CORPUS` through
/// [`compile_source`] and prints one line per file that does not lower
/// (`FAIL name: first line of the first error`) or panics (`PANIC`), then a
/// summary. A panic fails the test; other failures are the corpus's
/// statistics (see `compiler/tests/nmodl/CORPUS.md`).
#[test]
#[ignore = "needs NMODL_CORPUS=/path/to/mod/files"]
fn external_corpus_lower() {
    let Some(dir) = std::env::var_os("NMODL_CORPUS") else {
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus directory")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "mod"))
        .collect();
    paths.sort();
    let (mut ok, mut failed, mut panicked) = (0, 0, 0);
    std::panic::set_hook(Box::new(|_| {}));
    for p in &paths {
        let bytes = std::fs::read(p).expect("corpus file");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let f = SourceFile::new(name.clone(), text);
        // INCLUDEd files are in the corpus as `<model>__<name>`
        let reader = CorpusIncludes {
            dir: p.parent().unwrap().to_path_buf(),
            model: name.split("__").next().unwrap_or("").to_string(),
        };
        match std::panic::catch_unwind(|| compile_source_with(&f, &reader)) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                failed += 1;
                let errors: Vec<&str> = e
                    .lines()
                    .filter_map(|l| l.strip_prefix("error: "))
                    .collect();
                println!("FAIL {name}: {}", errors.join(" ;; "));
            }
            Err(_) => {
                panicked += 1;
                println!("PANIC {name}");
            }
        }
    }
    let _ = std::panic::take_hook();
    println!(
        "{ok} of {} lower; {failed} fail; {panicked} panic",
        paths.len()
    );
    assert_eq!(panicked, 0);
}
