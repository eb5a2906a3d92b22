//! Tests of the `Matrix` class against NEURON 9.0.2's output.

use crate::list::testutil::{run, run_err};

#[test]
fn printf_det_inverse_like_neuron() {
    let (i, out) = run(
        "objref m, m2\nm = new Matrix(3,3)\nm.nrow\nm.ncol\nm.setval(0,0,2)\n\
         {m.setval(1,1,3) m.setval(2,2,4) m.setval(0,2,1)}\nm.getval(1,2)\nm.printf()\n\
         m.printf(\"%g \", \"|\\n\")\nd = 0\nm.det(&d)\nm2 = m.inverse()\n{m2.printf()}\n",
    );
    assert_eq!(
        out,
        "\t3 \n\t3 \n\t2 \n\t0 \n 2        0        1       \n 0        3        0       \n \
         0        0        4       \n\t0 \n2 0 1 |\n0 3 0 |\n0 0 4 |\n\t0 \n\t2.4 \n \
         0.5      0        -0.125  \n 0        0.333    0       \n 0        0        0.25    \n"
    );
    assert_eq!(i.get_num("d"), Some(1.0));
}

#[test]
fn vectors_in_and_out() {
    let (_, out) = run("objref m, vv\nm = new Matrix(3,3)\n\
         {m.setval(0,0,2) m.setval(1,1,3) m.setval(2,2,4) m.setval(0,2,1)}\n\
         vv = new Vector(3)\n{vv.indgen()}\n{m.mulv(vv).printf()}\n{m.solv(vv).printf()}\n\
         {m.transpose().printf()}\n{m.c.muls(2).printf()}\n{m.getrow(0).printf}\n\
         {m.getcol(2).printf}\nm.setrow(0, 5)\n{m.printf}\nm.setcol(1, vv)\n{m.printf}\n\
         {m.to_vector().printf}\nm.resize(2,4)\n{m.printf}\n{m.bcopy(0,1,2,2).printf}\n\
         {m.ident().printf}\n");
    let expected = "2\t3\t8\t\n-0.25\t0.333333\t0.5\t\n 2        0        0       \n \
         0        3        0       \n 1        0        4       \n 4        0        2       \n \
         0        6        0       \n 0        0        8       \n2\t0\t1\t\n1\t0\t4\t\n\
         \tMatrix[0] \n 5        5        5       \n 0        3        0       \n \
         0        0        4       \n\tMatrix[0] \n 5        0        5       \n \
         0        1        0       \n 0        2        4       \n5\t0\t0\t0\t1\t\n2\t5\t0\t4\t\n\
         \tMatrix[0] \n 5        0        5        0       \n 0        1        0        0       \n \
         0        5       \n 1        0       \n 1        0        0        0       \n \
         0        1        0        0       \n";
    assert_eq!(out, expected);
}

#[test]
fn from_vector_diag_set_mulm_add() {
    let (i, _) = run(
        "objref m, a, b, vv, w\nm = new Matrix(2,3)\nvv = new Vector(6)\n{vv.indgen()}\n\
         {m.from_vector(vv)}\nx = m.getval(1,0)\ny = m.getval(0,2)\n\
         a = new Matrix(2,2)\n{a.set(1,2,3,4)}\nb = a.mulm(a)\np = b.getval(1,1)\n\
         {a.add(a)}\nq = a.getval(1,0)\n{a.setdiag(0, 9)}\nr = a.getval(1,1)\n\
         w = a.getdiag(1)\ns = w.x[0]\ns1 = w.x[1]\nc = a.pow(3).getval(0,0)\n\
         e = a.c.zero.exp.getval(0,0)\n",
    );
    assert_eq!(i.get_num("x"), Some(1.0));
    assert_eq!(i.get_num("y"), Some(4.0));
    assert_eq!(i.get_num("p"), Some(22.0));
    assert_eq!(i.get_num("q"), Some(6.0));
    assert_eq!(i.get_num("r"), Some(9.0));
    assert_eq!(i.get_num("s"), Some(4.0));
    assert_eq!(i.get_num("s1"), Some(0.0));
    // [[9,4],[6,9]]^3
    assert_eq!(i.get_num("c"), Some(9.0 * 9.0 * 9.0 + 3.0 * 9.0 * 24.0));
    assert_eq!(i.get_num("e"), Some(1.0));
}

#[test]
fn solv_reuses_lu_and_singular() {
    let (i, _) = run(
        "objref m, b, x\nm = new Matrix(2,2)\n{m.set(2,0,0,4)}\nb = new Vector(2, 8)\n\
         x = m.solv(b)\nx0 = x.x[0]\n{m.setval(0,0,4)}\nx = m.solv(b, 1)\nx1 = x.x[0]\n\
         x = m.solv(b)\nx2 = x.x[0]\n{m.set(1,2,2,4)}\nx = m.solv(b)\nx3 = x.x[0] + x.x[1]\n",
    );
    assert_eq!(i.get_num("x0"), Some(4.0));
    assert_eq!(i.get_num("x1"), Some(4.0));
    assert_eq!(i.get_num("x2"), Some(2.0));
    assert!(i.get_num("x3").unwrap().is_finite());
}

#[test]
fn errors() {
    let (e, _) = run_err("objref m\nm = new Matrix(2,2)\nm.getval(5,0)\n");
    assert!(e.contains("Arg out of range"), "{e}");
    let (e, _) = run_err("objref m\nm = new Matrix(0,2)\n");
    assert!(e.contains("Arg out of range"), "{e}");
    let (e, _) = run_err("objref m, a\nm = new Matrix(2,3)\na = new Matrix(2,3)\nm.mulm(a)\n");
    assert!(e.contains("Matrix index out of range"), "{e}");
    let (e, _) = run_err("objref m\nm = new Matrix(2,3)\nm.inverse()\n");
    assert!(e.contains("wrong size"), "{e}");
    let (e, _) = run_err("objref m\nm = new Matrix(2,2)\nm.pow(2, m)\n");
    assert!(e.contains("cannot be done in place"), "{e}");
    let (e, _) = run_err("objref m\nm = new Matrix(2,2)\nm.x[0]\n");
    assert!(e.contains("Array dimension of Matrix.x is 2"), "{e}");
    let (e, _) = run_err("objref m\nm = new Matrix(2,2)\nm.sprowlen(0)\n");
    assert!(e.contains("not implemented for this type"), "{e}");
    let (e, _) = run_err("objref m\nm = new Matrix(2,2)\nm.set(1,2,3)\n");
    assert!(e.contains("4 values"), "{e}");
    let (e, _) = run_err("objref m\nm = new Matrix(100000,100000)\n");
    assert!(e.contains("too large"), "{e}");
}

#[test]
fn x_element_logic() {
    let (i, _) = run("objref m\nm = new Matrix(2,3)\n");
    let m = i.get_obj("m").unwrap().unwrap();
    super::x_set(&i, &m, &[1.0, 2.0], 7.5).unwrap();
    assert_eq!(
        super::x_get(&i, &m, &[0.9999999999999, 1.9999999999999]).unwrap(),
        7.5
    );
    assert!(super::x_get(&i, &m, &[2.0, 0.0]).is_err());
    assert!(super::x_get(&i, &m, &[1.0]).is_err());
    let p = super::x_ptr(&i, &m, &[1.0, 2.0]).unwrap();
    assert_eq!(i.ptr_get(&p).unwrap(), 7.5);
}

#[test]
fn file_round_trip() {
    let d = std::env::temp_dir().join(format!("nerve-matrix-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let path = d.join("m.txt").to_string_lossy().into_owned();
    let (i, _) = run(&format!(
        "objref m, f, m2\nm = new Matrix(2,2)\n{{m.set(1,2.5,-3,4e5)}}\nf = new File()\n\
         {{f.wopen(\"{path}\") m.fprint(f) f.close()}}\nm2 = new Matrix()\n\
         {{f.ropen(\"{path}\") m2.scanf(f) f.close()}}\nr = m2.nrow\nc = m2.ncol\nz = m2.getval(1,1)\n"
    ));
    assert_eq!(i.get_num("r"), Some(2.0));
    assert_eq!(i.get_num("c"), Some(2.0));
    assert_eq!(i.get_num("z"), Some(4e5));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "2 2\n 1        2.5     \n -3       4e+05   \n"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn bits_match_neuron() {
    // Values printed by NEURON 9.0.2 with "%.17g".
    let (_, out) = run("objref m\nm = new Matrix(4,4)\n\
         {m.set(4,1,0.5,2, 1,3,0.25,0, 0.5,0.25,5,1, 2,0,1,6)}\nd = 0\n\
         {printf(\"%.17g %g\\n\", m.det(&d), d)}\n{m.inverse().printf(\"%.17g \")}\n\
         {m.exp().printf(\"%.17g \")}\n");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "2.5975000000000001 2");
    assert_eq!(
        lines[2],
        "-0.11068334937439847 0.37151106833493747 -0.015399422521655437 0.039461020211742061 "
    );
    assert_eq!(
        lines[6],
        "156.04961569312962 61.015953170701977 109.51557315152027 214.11694707454893 "
    );
}
