//! The HOC `Random` class: the binding of [`crate::random::HocRandom`]
//! (NEURON's `src/ivoc/ivocrand.cpp`).
//!
//! Every object's payload is a [`HocRandom`]; the process-wide state NEURON
//! keeps in globals (Random123 global index, MCellRan4 counters) lives in
//! the interpreter's [`RandomContext`] (`interp.ext::<RandomContext>()`).
//!
//! Methods: `MCellRan4`, `Random123`, `Random123_globalindex`, `seq`,
//! `repick`, the distributions `uniform`, `discunif`, `normal`, `lognormal`,
//! `poisson`, `binomial`, `geometric`, `hypergeo`, `negexp`, `erlang`,
//! `weibull`, and `play(&var)`. NEURON 9 has no `ACG`, `MLCG` or `Isaac64`
//! methods; calling them is the usual "no member" error.
//!
//! `play(&x)` registers `x` to receive a new pick at each time step; the
//! simulator does that by calling [`random_play`].

use crate::random::{HocRandom, RandomContext, RandomError};
use nerve_runtime::hoc::value::Object;
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Ptr, Value};
use std::rc::{Rc, Weak};

fn err(e: RandomError) -> HocError {
    HocError::msg(e.to_string())
}

/// Variables registered with `Random.play(&x)`, per interpreter: each gets
/// a new pick from its generator whenever [`random_play`] runs. An entry
/// disappears with its `Random` object.
#[derive(Default)]
pub struct RandomPlayList {
    entries: Vec<(Weak<Object>, Ptr)>,
}

/// Gives every variable registered with `Random.play` a new pick (NEURON's
/// `nrn_random_play`, called by the simulator at each time step).
pub fn random_play(interp: &mut Interpreter) -> Result<(), HocError> {
    let list = &mut interp.ext::<RandomPlayList>().entries;
    list.retain(|(w, _)| w.strong_count() > 0);
    let entries: Vec<(Obj, Ptr)> = list
        .iter()
        .filter_map(|(w, p)| Some((w.upgrade()?, p.clone())))
        .collect();
    for (obj, ptr) in entries {
        let x = {
            let ctx = interp.ext::<RandomContext>().clone();
            let mut r = obj.native_mut::<HocRandom>()?;
            r.repick(&ctx).map_err(err)?
        };
        interp.ptr_set(&ptr, x)?;
    }
    Ok(())
}

/// Argument `i` as a number, if present.
fn opt(args: &Args, i: usize) -> Result<Option<f64>, HocError> {
    if i < args.len() {
        Ok(Some(args.num(i)?))
    } else {
        Ok(None)
    }
}

/// Defines a method whose body gets the payload and the context.
fn with_rng(
    f: impl Fn(&mut HocRandom, &mut RandomContext, &mut Args) -> Result<f64, HocError> + 'static,
) -> impl Fn(&mut Interpreter, &Obj, &mut Args) -> Result<Value, HocError> + 'static {
    move |interp, this, args| {
        let mut r = this.native_mut::<HocRandom>()?;
        let ctx = interp.ext::<RandomContext>();
        Ok(Value::Num(f(&mut r, ctx, args)?))
    }
}

/// Registers the `Random` class.
pub fn register(interp: &mut Interpreter) {
    ClassBuilder::<HocRandom>::new("Random", |interp, args| {
        let seed = opt(args, 0)?;
        let size = opt(args, 1)?;
        HocRandom::construct(interp.ext::<RandomContext>(), seed, size).map_err(err)
    })
    .method(
        "MCellRan4",
        with_rng(|r, ctx, a| r.mcellran4(ctx, opt(a, 0)?, opt(a, 1)?).map_err(err)),
    )
    .method(
        "Random123",
        with_rng(|r, ctx, a| {
            r.random123(ctx, opt(a, 0)?, opt(a, 1)?, opt(a, 2)?)
                .map_err(err)
        }),
    )
    .method("Random123_globalindex", |interp, _, a| {
        let g = interp
            .ext::<RandomContext>()
            .random123_globalindex(opt(a, 0)?)
            .map_err(err)?;
        // mechanism instances' streams share the index (NEURON: one global)
        crate::nrn::random::set_global_index(interp, g as u32);
        Ok(Value::Num(g))
    })
    .method(
        "seq",
        with_rng(|r, ctx, a| match opt(a, 0)? {
            Some(s) => r.set_seq(ctx, s).map_err(err),
            None => Ok(r.seq()),
        }),
    )
    .method("repick", with_rng(|r, ctx, _| r.repick(ctx).map_err(err)))
    .method(
        "uniform",
        with_rng(|r, ctx, a| Ok(r.uniform(ctx, a.num(0)?, a.num(1)?))),
    )
    .method(
        "discunif",
        with_rng(|r, ctx, a| Ok(r.discunif(ctx, a.num(0)?, a.num(1)?))),
    )
    .method(
        "normal",
        with_rng(|r, ctx, a| Ok(r.normal(ctx, a.num(0)?, a.num(1)?))),
    )
    .method(
        "lognormal",
        with_rng(|r, ctx, a| Ok(r.lognormal(ctx, a.num(0)?, a.num(1)?))),
    )
    .method(
        "poisson",
        with_rng(|r, ctx, a| r.poisson(ctx, a.num(0)?).map_err(err)),
    )
    .method(
        "binomial",
        with_rng(|r, ctx, a| r.binomial(ctx, a.num(0)?, a.num(1)?).map_err(err)),
    )
    .method(
        "geometric",
        with_rng(|r, ctx, a| r.geometric(ctx, a.num(0)?).map_err(err)),
    )
    .method(
        "hypergeo",
        with_rng(|r, ctx, a| Ok(r.hypergeo(ctx, a.num(0)?, a.num(1)?))),
    )
    .method("negexp", with_rng(|r, ctx, a| Ok(r.negexp(ctx, a.num(0)?))))
    .method(
        "erlang",
        with_rng(|r, ctx, a| Ok(r.erlang(ctx, a.num(0)?, a.num(1)?))),
    )
    .method(
        "weibull",
        with_rng(|r, ctx, a| Ok(r.weibull(ctx, a.num(0)?, a.num(1)?))),
    )
    .method("play", |interp, this, args| {
        let p = args.ptr(0)?;
        interp
            .ext::<RandomPlayList>()
            .entries
            .push((Rc::downgrade(this), p));
        Ok(Value::Num(0.0))
    })
    .register(interp);
}

#[cfg(test)]
mod tests {
    use crate::list::testutil::{run, run_err};

    fn picks(setup: &str, n: usize) -> Vec<f64> {
        let mut src = format!("objref r\n{setup}\n");
        for k in 0..n {
            src.push_str(&format!("x{k} = r.repick()\n"));
        }
        let (i, _) = run(&src);
        (0..n)
            .map(|k| i.get_num(&format!("x{k}")).unwrap())
            .collect()
    }

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn conformance_sequences() {
        let v = picks(
            "r = new Random()\n{r.Random123(1, 2, 3)}\n{r.uniform(0, 1)}",
            5,
        );
        close(
            &v,
            &[
                0.2291029097,
                0.1248703289,
                0.1265552689,
                0.7785446088,
                0.6557348895,
            ],
        );
        let v = picks(
            "r = new Random()\n{r.Random123(1, 2, 3)}\n{r.normal(0, 1)}",
            5,
        );
        close(
            &v,
            &[
                0.6540212447,
                0.1997396435,
                0.1704650401,
                0.5725901325,
                -0.9203324787,
            ],
        );
        let v = picks(
            "r = new Random()\n{r.MCellRan4(123)}\n{r.uniform(0, 10)}",
            4,
        );
        close(&v, &[3.046208804, 8.069234926, 4.814989232, 3.216180464]);
        let v = picks("r = new Random(5)\n{r.uniform(0, 1)}", 4);
        close(&v, &[0.502732203, 0.2186693157, 0.4371408221, 0.9515546109]);
        let v = picks(
            "r = new Random()\n{r.Random123_globalindex(5)}\n{r.Random123(7, 8)}\n{r.uniform(-1, 1)}",
            3,
        );
        close(&v, &[-0.6247968898, 0.3772220133, -0.7572812881]);
    }

    #[test]
    fn seq_and_discunif() {
        let (i, _) = run(
            "objref r\nr = new Random()\n{r.Random123(1, 2, 3)}\n{r.discunif(1, 6)}\n\
             {r.seq(0)}\na = r.repick()\nb = r.repick()\ns = r.seq()\n",
        );
        assert_eq!(i.get_num("a"), Some(6.0));
        assert_eq!(i.get_num("b"), Some(2.0));
        assert_eq!(i.get_num("s"), Some(2.0));
    }

    #[test]
    fn play_sets_variable() {
        let (mut i, _) =
            run("objref r\nr = new Random()\n{r.uniform(5, 6)}\nx = 0\n{r.play(&x)}\n");
        super::random_play(&mut i).unwrap();
        let x = i.get_num("x").unwrap();
        assert!((5.0..6.0).contains(&x), "{x}");
    }

    #[test]
    fn errors() {
        let (e, _) = run_err("objref r\nr = new Random(1, 3)\n");
        assert!(e.contains("Arg out of range"), "{e}");
        let (e, _) = run_err("objref r\nr = new Random()\nr.binomial(-1, 0.5)\n");
        assert!(e.contains("Arg out of range"), "{e}");
        let (e, _) = run_err("objref r\nr = new Random()\nr.poisson(1000)\n");
        assert!(e.contains("loop forever"), "{e}");
        let (e, _) = run_err("objref r\nr = new Random()\nr.ACG()\n");
        assert!(e.contains("ACG"), "{e}");
    }
}
