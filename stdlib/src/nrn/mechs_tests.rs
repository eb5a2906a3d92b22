//! Tests of the mechanism binding with hand-written Rust kernels standing in
//! for the JIT: names, insert, range variables, globals, point-process
//! objects, ions and function calls from HOC.

use super::mechs::{install, KernelSet};
use crate::list::testutil::interp;
use nerve_compiler::nmodl::ir::*;
use nerve_runtime::mechanism::{MechanismKernels, MechanismView};

fn slot(name: &str, role: VarRole, default: f64, hoc: bool) -> SlotDecl {
    SlotDecl {
        name: name.into(),
        role,
        size: 1,
        default,
        hoc,
        unit: None,
    }
}

/// `nal`: i = g (v - ena) written to ina; slots g, ina(hidden copy), v.
unsafe extern "C" fn nal_cur(view: *const MechanismView) {
    let v = unsafe { &*view };
    let ion = unsafe { &*v.ions };
    for i in 0..v.count {
        unsafe {
            let node = *v.node_index.add(i) as usize;
            let j = *ion.index.add(i) as usize;
            let g = *v.data.add(i);
            let ina = g * (*v.v.add(node) - *ion.data.add(j));
            *ion.data.add(3 * ion.stride + j) += ina;
            *v.rhs.add(node) -= ina;
            *v.data.add(v.stride + i) = ina;
        }
    }
}

/// `twice_nal(x)` = 2 x g
unsafe extern "C" fn nal_twice(view: *const MechanismView, i: usize, args: *const f64) -> f64 {
    unsafe { 2.0 * *args * *(*view).data.add(i) }
}

fn nal() -> (MechIr, KernelSet) {
    let ir = MechIr {
        name: "nal".into(),
        kind: MechKind::Density,
        slots: vec![
            slot("g", VarRole::Parameter, 0.001, true),
            slot("ina", VarRole::Assigned, 0.0, false),
        ],
        globals: vec![GlobalDecl {
            name: "k".into(),
            role: VarRole::Parameter,
            size: 1,
            default: 3.0,
            hoc: true,
        }],
        ions: vec![IonDecl {
            name: "na".into(),
            valence: None,
            reads: vec![IonField::Erev],
            writes: vec![IonField::Current],
        }],
        pointers: vec![],
        randoms: vec![],
        functions: vec![Function {
            name: "twice".into(),
            args: 1,
            locals: 0,
            returns_value: true,
            hoc: true,
            body: vec![],
        }],
        function_tables: vec![],
        kernels: Kernels::default(),
        weights: 0,
        electrode_current: false,
        thread_safe: true,
    };
    let ks = KernelSet {
        kernels: MechanismKernels {
            cur: Some(nal_cur),
            ..MechanismKernels::default()
        },
        functions: vec![Some(nal_twice)],
        before_after: vec![],
        keep: Box::new(()),
    };
    (ir, ks)
}

fn pp() -> (MechIr, KernelSet) {
    let ir = MechIr {
        name: "Pp".into(),
        kind: MechKind::Point,
        slots: vec![
            slot("amp", VarRole::Parameter, 0.5, true),
            slot("i", VarRole::Assigned, 0.0, true),
        ],
        globals: vec![],
        ions: vec![],
        pointers: vec![],
        randoms: vec![],
        functions: vec![],
        function_tables: vec![],
        kernels: Kernels::default(),
        weights: 0,
        electrode_current: true,
        thread_safe: true,
    };
    let ks = KernelSet {
        kernels: MechanismKernels::default(),
        functions: vec![],
        before_after: vec![],
        keep: Box::new(()),
    };
    (ir, ks)
}

fn run(src: &str) -> String {
    let (mut i, buf) = interp();
    let (ir, ks) = nal();
    install(&mut i, &ir, ks).unwrap();
    let (ir, ks) = pp();
    install(&mut i, &ir, ks).unwrap();
    if let Err(e) = i.run_source("test", src) {
        panic!("{}", e.render());
    }
    i.flush();
    let out = String::from_utf8_lossy(&buf.borrow()).into_owned();
    out
}

#[test]
fn density_names_insert_and_ions() {
    let o = run("create soma\nsoma { nseg = 3 insert nal g_nal = 0.002 }\n\
                 soma.g_nal(0.1) = 0.004\n\
                 print soma.g_nal(0.1), soma.g_nal(0.5), k_nal, ena, ion_style(\"na_ion\")\n\
                 {finitialize(-65)}\nprint ina(0.5), soma.ina(0.1)\n\
                 print twice_nal(10)\n\
                 soma psection()\n\
                 print name_declared(\"nal\"), name_declared(\"na_ion\"), name_declared(\"g_nal\")\n");
    assert_eq!(
        o,
        "0.004 0.002 3 50 8 \n-0.23 -0.46 \n0.04 \nsoma { nseg=3  L=100  Ra=35.4\n\t/*location 0 attached to cell 0*/\n\t/* First segment only */\n\tinsert capacitance { cm=1}\n\tinsert morphology { diam=500}\n\tinsert nal { g_nal=0.004}\n\tinsert na_ion { ena=50}\n}\n1 1 1 \n"
    );
}

#[test]
fn point_processes_are_objects() {
    let o = run(
        "create soma\nobjref p, q\nsoma p = new Pp(0.3)\nprint p, p.amp\np.amp = 2\n\
                 print p.amp, p.has_loc(), p.get_loc(), secname()\n{pop_section()}\n\
                 q = new Pp()\nprint q.has_loc()\n",
    );
    assert_eq!(o, "Pp[0] 0.5 \n2 1 0.5 soma\n0 \n");
}

#[test]
fn reloading_a_mod_replaces_its_kernels_or_refuses_clearly() {
    use super::loader::load_source;
    let (mut i, buf) = interp();
    let v1 = "NEURON { SUFFIX lk NONSPECIFIC_CURRENT i RANGE g }\n\
              PARAMETER { g = 0.001 }\nASSIGNED { v i }\nBREAKPOINT { i = g*(v + 70) }\n";
    let v2 = v1.replace("g*(v + 70)", "2*g*(v + 70)");
    let v3 = v1
        .replace("RANGE g }", "RANGE g, e }")
        .replace("g = 0.001 }", "g = 0.001 e = -70 }");
    load_source(&mut i, "lk.mod", v1).unwrap();
    i.run_source(
        "t",
        "create s\ns insert lk\ns.g_lk = 0.002\n{finitialize(-60)}\nprint s.i_lk\n",
    )
    .unwrap();
    load_source(&mut i, "lk.mod", &v2).unwrap();
    // the instance keeps g = 0.002; the new kernel doubles the current
    i.run_source("t", "{finitialize(-60)}\nprint s.g_lk, s.i_lk\n")
        .unwrap();
    let e = load_source(&mut i, "lk.mod", &v3).unwrap_err();
    assert!(e.message.contains("cannot reload lk"), "{}", e.message);
    i.flush();
    let out = String::from_utf8_lossy(&buf.borrow()).into_owned();
    assert_eq!(out, "0.02 \n0.002 0.04 \n");
}

#[test]
fn function_tables_are_given_from_hoc_or_refused_clearly() {
    use super::loader::load_source;
    let (mut i, buf) = interp();
    let src = "NEURON { SUFFIX ft NONSPECIFIC_CURRENT i }\nASSIGNED { v i }\n\
               FUNCTION_TABLE g(v)\nFUNCTION_TABLE h2(x, y)\nBREAKPOINT { i = g(v) }\n";
    load_source(&mut i, "ft.mod", src).unwrap();
    let mut err = |src: &str| match i.run_source("t", src) {
        Ok(()) => panic!("no error for {src}"),
        Err(e) => e.message.clone(),
    };
    // NEURON stops at the first lookup of a table it was not given
    let e = err("x = g_ft(1)\n");
    assert!(e.contains("table not specified in hoc_func_table"), "{e}");
    assert!(e.contains("FUNCTION_TABLE g of ft"), "{e}");
    let e = err("create s\ns insert ft\n{finitialize(-65)}\n");
    assert!(e.contains("give them with table_g_ft"), "{e}");
    let e = err("objref y, xv\ny = new Vector(3)\nxv = new Vector(2)\ntable_g_ft(y, xv)\n");
    assert!(e.contains("Vector arguments not same size"), "{e}");
    let e = err("table_g_ft(&y.x[0], 0, 1, 2)\n");
    assert!(e.contains("size arg < 1"), "{e}");
    let e = err("table_g_ft(&y.x[0], 3, 2, 1)\n");
    assert!(e.contains("min > max"), "{e}");
    let e = err("table_g_ft(&y.x[1], 3, 0, 1)\n");
    assert!(
        e.contains("has 2 values from where it points, 3 needed"),
        "{e}"
    );
    let e = err("table_h2_ft(y, xv)\n");
    assert!(
        e.contains("allowed only for functions of one variable"),
        "{e}"
    );
    i.run_source(
        "t",
        "y.x[0] = 1\ny.x[1] = 3\ny.x[2] = 7\ntable_g_ft(&y.x[0], 3, 0, 10)\n\
         print g_ft(2.5), g_ft(-1), g_ft(20)\n{finitialize(-65)}\nprint s.i_ft\n\
         table_g_ft(4)\nprint g_ft(123)\n",
    )
    .unwrap();
    i.flush();
    let out = String::from_utf8_lossy(&buf.borrow()).into_owned();
    // table_g_ft returns 0, which HOC echoes as NEURON does
    assert_eq!(out, "\t0 \n2 1 7 \n1 \n\t0 \n4 \n");
}
