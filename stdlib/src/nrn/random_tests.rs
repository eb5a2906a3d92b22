//! The RANDOM streams of point processes in HOC against NEURON 9.0.2
//! (`nrniv`, its built-in NetStim): `ranvar` as an `NMODLRandom`,
//! `noiseFromRandom123`, `noiseFromRandom`, and the global index shared with
//! `Random`.

use super::point::PointProcess;
use super::random::random_methods;
use super::{host, merr, model};
use crate::list::testutil::interp;
use nerve_runtime::hoc::{ClassBuilder, Interpreter};
use nerve_runtime::mechanism::{MechanismKind, MechanismSpec};
use std::rc::Rc;

/// A point class `TestStim` with one RANDOM variable `ranvar` and no
/// kernels (the streams are all these tests look at).
fn install_teststim(i: &mut Interpreter) {
    let h = host(i).unwrap();
    let mut spec = MechanismSpec::new("TestStim", MechanismKind::Artificial);
    spec.randoms = vec!["ranvar".into()];
    // SAFETY: no kernels.
    let t = unsafe { model(&h).unwrap().register_mechanism(spec.clone()) }.unwrap();
    let weak = Rc::downgrade(&h.model);
    let b = ClassBuilder::new("TestStim", move |i, _| {
        let h = host(i)?;
        let inst = model(&h)?.new_unlocated(t).map_err(merr)?;
        Ok(PointProcess {
            mech: t,
            instance: Some(inst),
            model: weak.clone(),
        })
    });
    random_methods(b, &h.model, &spec).register(i);
}

fn run(src: &str) -> String {
    let (mut i, buf) = interp();
    install_teststim(&mut i);
    if let Err(e) = i.run_source("test", src) {
        panic!("{}", e.render());
    }
    i.flush();
    let out = String::from_utf8_lossy(&buf.borrow()).into_owned();
    out
}

/// NEURON 9.0.2 with `NetStim` in place of `TestStim` prints the same.
#[test]
fn ranvar_ids_and_sequence_as_neuron() {
    let o = run(r#"objref ns[3], rv, vv, r
ns[0] = new TestStim()
ns[1] = new TestStim()
ns[0] = new TestStim()
vv = ns[0].ranvar.get_ids()
{printf("A %g %g %g\n", vv.x[0], vv.x[1], vv.x[2])}
rv = ns[0].ranvar
for i=1,5 { x = rv.uniform() }
{printf("B %g\n", rv.get_seq())}
{rv.set_seq(10.7)}
{printf("C %g\n", rv.get_seq())}
{rv.set_ids(1, 0, 1).set_seq(4)}
{printf("D %.17g\n", rv.uniform())}
{ns[1].noiseFromRandom123(5, 6)}
vv = ns[1].ranvar.get_ids()
{printf("E %g %g %g %g\n", vv.x[0], vv.x[1], vv.x[2], ns[1].ranvar.get_seq())}
r = new Random()
{r.Random123(11, 12, 13)}
{r.seq(40)}
{ns[1].noiseFromRandom(r)}
vv = ns[1].ranvar.get_ids()
{printf("F %g %g %g %g\n", vv.x[0], vv.x[1], vv.x[2], ns[1].ranvar.get_seq())}
{r.Random123_globalindex(5)}
ns[2] = new TestStim()
vv = ns[2].ranvar.get_ids()
{printf("G %g %g %g %.17g\n", vv.x[0], vv.x[1], vv.x[2], ns[2].ranvar.uniform())}
{ns[1].noiseFromRandom123(1, 0, 2)}
{printf("H %.17g\n", ns[1].ranvar.uniform())}
"#);
    assert_eq!(
        o,
        "A 1 0 3\nB 5\nC 10\nD 0.5542494059646853\nE 5 6 0 0\nF 11 12 13 40\n\
         G 1 0 4 0.48211213329757746\nH 0.37783525945203489\n"
    );
}

#[test]
fn ranvar_of_a_deleted_point_process_is_an_error() {
    let (mut i, _) = interp();
    install_teststim(&mut i);
    let e = i
        .run_source(
            "test",
            "objref ns, rv\nns = new TestStim()\nrv = ns.ranvar\nobjref ns\nx = rv.get_seq()\n",
        )
        .unwrap_err();
    assert!(e.render().contains("no longer exists"), "{}", e.render());
}
