//! Unit tests of the model binding: HOC text in, printed text out (each
//! expectation checked against NEURON 9.0.2).

use crate::list::testutil::{interp, run};

fn out(src: &str) -> String {
    run(src).1
}

fn err(src: &str) -> String {
    let (mut i, _) = interp();
    match i.run_source("test", src) {
        Ok(()) => panic!("no error"),
        Err(e) => e.message.clone(),
    }
}

#[test]
fn create_access_and_properties() {
    let o = out("create soma, dend[2]\naccess dend[1]\n{ L = 20 nseg = 3 }\nprint secname(), L, nseg\nsoma print secname(), L\n");
    assert_eq!(o, "dend[1]20 3 \nsoma100 \n");
}

#[test]
fn default_section_is_the_first_created() {
    assert_eq!(out("create a, b\nprint secname()\n"), "a\n");
    assert!(err("x = L\n").contains("Section access unspecified"));
}

#[test]
fn section_stack_nests_and_unwinds() {
    let o = out("create a, b\nproc p() { print secname() }\na { b { p() } p() }\np()\n");
    assert_eq!(o, "b\na\na\n");
}

#[test]
fn range_variables_and_pointers() {
    let o = out(
        "create s\ns { nseg = 2 diam = 3 }\ns.diam(0.75) = 5\nprint s.diam(0.25), s.diam(0.75), s.v(0.5)\n\
         objref p\nproc set() { $&1 = -10 }\nset(&s.v(0.25))\nprint s.v(0.25), s.v(0.75)\n",
    );
    assert_eq!(o, "3 5 -65 \n-10 -65 \n");
}

#[test]
fn time_and_dt_are_the_models() {
    let o = out("create s\nfinitialize(-70)\nprint t, s.v(0.5)\nfadvance()\nprint t\ndt = 0.1\nfadvance()\nprint t\n");
    assert_eq!(o, "\t1 \n0 -70 \n\t1 \n0.025 \n\t1 \n0.125 \n");
}

#[test]
fn recreating_a_section_array_replaces_it() {
    let o = out("create d[3]\ncreate d[1]\nforall print secname()\n");
    assert_eq!(o, "d[0]\n");
}

#[test]
fn template_sections_have_object_names() {
    let o = out(
        "begintemplate C\npublic s\ncreate s, d[2]\nproc init() { connect d[0](0), s(1) }\nendtemplate C\n\
         objref c\nc = new C()\nc.s print secname()\nforall print secname()\n\
         c = new C()\nforall print secname()\n",
    );
    assert_eq!(
        o,
        "C[0].s\nC[0].s\nC[0].d[0]\nC[0].d[1]\nC[1].s\nC[1].d[0]\nC[1].d[1]\n"
    );
}

#[test]
fn insert_of_an_unknown_mechanism_is_a_clear_error() {
    assert!(err("create s\ns insert foo\n").contains("foo is not a MECHANISM"));
}

#[test]
fn sectionref_and_sectionlist() {
    let o = out(
        "create a, b, c\nconnect b(0), a(1)\nconnect c(0), a(0.5)\nobjref r, l\n\
         a r = new SectionRef()\nprint r.nchild()\nr.sec print secname()\n\
         b { r = new SectionRef() }\nr.sec print secname()\nprint r.has_parent()\n\
         l = new SectionList()\nb l.wholetree()\nforsec l print secname()\n",
    );
    assert_eq!(o, "2 \na\nb\n1 \na\nc\nb\n");
}

#[test]
fn section_regexes_escape_brackets() {
    let o = out("create dend[3], axon\nforsec \"dend[1]\" print secname()\nforsec \"xon$\" print secname()\ndend[2] print issection(\"dend.*\"), issection(\"den\")\n");
    assert_eq!(o, "dend[1]\naxon\n1 0 \n");
}
