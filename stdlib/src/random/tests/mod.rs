//! Tests against NEURON 9.0.2 (`nrniv`) output, kept as literals.
//!
//! `reference.rs` holds the values printed by the HOC scripts
//! `reference.hoc`, `reference_stream.hoc` and `reference_edge.hoc` in this
//! directory; the tests below replay the same operations in the same order.
//! All those comparisons are exact. The first test reproduces the example of
//! the task brief (printed with `%.10g`, so compared to that precision).

use super::*;

mod reference;
use reference as nrn;

/// Compare with a relative tolerance `rel`.
fn close(got: f64, want: f64, rel: f64) -> bool {
    if got == want {
        return true;
    }
    (got - want).abs() <= rel * want.abs().max(f64::MIN_POSITIVE)
}

fn check(label: &str, got: &[f64], want: &[f64], rel: f64) {
    assert_eq!(got.len(), want.len(), "{label}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(
            close(g, w, rel),
            "{label}[{i}]: got {g:.17e}, want {w:.17e}"
        );
    }
}

fn repicks(r: &mut HocRandom, ctx: &RandomContext, n: usize) -> Vec<f64> {
    (0..n).map(|_| r.repick(ctx).unwrap()).collect()
}

/// The example of the brief: values printed with %.10g.
#[test]
fn brief_ground_truth() {
    let p = 5e-10;
    let mut ctx = RandomContext::new();
    let mut r = HocRandom::new(&ctx);
    r.random123(&ctx, Some(1.0), Some(2.0), Some(3.0)).unwrap();
    r.uniform(&ctx, 0.0, 1.0);
    check(
        "r123 uniform",
        &repicks(&mut r, &ctx, 5),
        &[
            0.2291029097,
            0.1248703289,
            0.1265552689,
            0.7785446088,
            0.6557348895,
        ],
        p,
    );
    r.random123(&ctx, Some(1.0), Some(2.0), Some(3.0)).unwrap();
    r.normal(&ctx, 0.0, 1.0);
    check(
        "r123 normal",
        &repicks(&mut r, &ctx, 5),
        &[
            0.6540212447,
            0.1997396435,
            0.1704650401,
            0.5725901325,
            -0.9203324787,
        ],
        p,
    );
    r.negexp(&ctx, 2.0);
    check(
        "r123 negexp",
        &repicks(&mut r, &ctx, 3),
        &[0.04902213955, 0.7539713605, 1.003158869],
        p,
    );
    r.discunif(&ctx, 1.0, 6.0);
    check(
        "r123 discunif",
        &repicks(&mut r, &ctx, 6),
        &[2.0, 3.0, 2.0, 6.0, 3.0, 2.0],
        0.0,
    );
    r.set_seq(&ctx, 0.0).unwrap();
    check(
        "r123 discunif seq0",
        &repicks(&mut r, &ctx, 3),
        &[6.0, 2.0, 1.0],
        0.0,
    );
    assert_eq!(r.seq(), 3.0);

    let mut r = HocRandom::new(&ctx);
    r.mcellran4(&mut ctx, Some(123.0), None).unwrap();
    r.uniform(&ctx, 0.0, 10.0);
    check(
        "mcellran4 uniform",
        &repicks(&mut r, &ctx, 4),
        &[3.046208804, 8.069234926, 4.814989232, 3.216180464],
        p,
    );
    r.poisson(&ctx, 3.0).unwrap();
    check(
        "mcellran4 poisson",
        &repicks(&mut r, &ctx, 5),
        &[4.0, 2.0, 4.0, 2.0, 2.0],
        0.0,
    );

    let mut r = HocRandom::with_seed(&ctx, 5.0);
    r.uniform(&ctx, 0.0, 1.0);
    let want = [0.502732203, 0.2186693157, 0.4371408221, 0.9515546109];
    check(
        "default Random(5) uniform",
        &repicks(&mut r, &ctx, 4),
        &want,
        p,
    );
    r.normal(&ctx, 10.0, 4.0);
    check(
        "default Random(5) normal",
        &repicks(&mut r, &ctx, 3),
        &[10.41417015, 8.596938567, 8.016796434],
        p,
    );

    let mut r = HocRandom::new(&ctx);
    r.random123(&ctx, Some(5.0), Some(55.0), None).unwrap();
    r.uniform(&ctx, 0.0, 1.0);
    check(
        "Random123(5,55) uniform",
        &repicks(&mut r, &ctx, 4),
        &want,
        p,
    );

    let mut r = HocRandom::new(&ctx);
    r.random123(&ctx, Some(7.0), Some(8.0), None).unwrap();
    r.uniform(&ctx, -1.0, 1.0);
    check(
        "setrand",
        &repicks(&mut r, &ctx, 4),
        &[-0.6854678323, 0.1497455074, 0.2974197401, -0.5314589046],
        p,
    );
    assert_eq!(ctx.random123_globalindex(Some(5.0)).unwrap(), 5.0);
    r.random123(&ctx, Some(7.0), Some(8.0), None).unwrap();
    r.uniform(&ctx, -1.0, 1.0);
    check(
        "r123 globalindex5",
        &repicks(&mut r, &ctx, 3),
        &[-0.6247968898, 0.3772220133, -0.7572812881],
        p,
    );
}

/// Exact comparison (the reference values were printed with `%.17g`, which
/// round-trips doubles).
fn exact(label: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{label}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(
            g == w || (g.is_nan() && w.is_nan()),
            "{label}[{i}]: got {g:.17e}, want {w:.17e}"
        );
    }
}

/// `first` followed by `n` repicks.
fn run(r: &mut HocRandom, ctx: &RandomContext, first: f64, n: usize) -> Vec<f64> {
    let mut v = vec![first];
    v.extend(repicks(r, ctx, n));
    v
}

/// The reference script in order (`tests/reference.hoc`), in one context
/// since NEURON's process-wide state carries through it.
#[test]
fn reference_script() {
    let mut ctx = RandomContext::new();

    // MCellRan4 seeds chosen from the instance count.
    let mut r = HocRandom::new(&ctx);
    assert_eq!(
        r.mcellran4(&mut ctx, None, None).unwrap(),
        nrn::MC_AUTO1_RET
    );
    assert_eq!(r.seq(), nrn::MC_AUTO1_SEQ);
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact(
        "mc_auto1_uniform",
        &run(&mut r, &ctx, x, 4),
        nrn::MC_AUTO1_UNIFORM,
    );
    let mut r2 = HocRandom::new(&ctx);
    let got = r2.mcellran4(&mut ctx, Some(0.0), Some(0.0)).unwrap();
    assert_eq!(got, nrn::MC_AUTO2_RET);
    let got = r2.mcellran4(&mut ctx, Some(77.0), None).unwrap();
    assert_eq!(got, nrn::MC_AUTO3_RET);
    let got = r2.mcellran4(&mut ctx, Some(0.0), Some(9.0)).unwrap();
    assert_eq!(got, nrn::MC_AUTO4_RET);

    // Random123 raw uniform, long.
    let mut r = HocRandom::new(&ctx);
    let got = r.random123(&ctx, Some(1.0), Some(2.0), Some(3.0)).unwrap();
    assert_eq!(got, nrn::R123_RET);
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("r123_u_long", &run(&mut r, &ctx, x, 40), nrn::R123_U_LONG);
    assert_eq!(r.seq(), nrn::R123_U_LONG_SEQ);

    let m = Some(4_294_967_295.0);
    r.random123(&ctx, m, m, m).unwrap();
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("r123_maxids", &run(&mut r, &ctx, x, 11), nrn::R123_MAXIDS);

    r.random123(&ctx, Some(1.9), Some(2.9), Some(3.9)).unwrap();
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("r123_fracids", &run(&mut r, &ctx, x, 3), nrn::R123_FRACIDS);

    // Sequence wrap-around carries into id3.
    r.random123(&ctx, Some(1.0), Some(2.0), Some(3.0)).unwrap();
    let got = r.set_seq(&ctx, 17_179_869_180.0).unwrap();
    assert_eq!(got, nrn::R123_SETSEQ_WRAP_RET);
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("r123_wrap", &run(&mut r, &ctx, x, 7), nrn::R123_WRAP);
    assert_eq!(r.seq(), nrn::R123_WRAP_SEQ);
    assert_eq!(r.random123_ids(), Some((1, 2, 4)));

    assert_eq!(r.set_seq(&ctx, 42.0).unwrap(), nrn::R123_SETSEQ_42_RET);
    let x = r.repick(&ctx).unwrap();
    exact("r123_seq42", &run(&mut r, &ctx, x, 5), nrn::R123_SEQ42);
    assert_eq!(r.set_seq(&ctx, 41.75).unwrap(), nrn::R123_SETSEQ_FRAC_RET);
    let got = r.set_seq(&ctx, 17_179_869_183.0).unwrap();
    assert_eq!(got, nrn::R123_SETSEQ_MAX_RET);
    let x = r.repick(&ctx).unwrap();
    exact("r123_seqmax", &run(&mut r, &ctx, x, 2), nrn::R123_SEQMAX);
    assert_eq!(r.seq(), nrn::R123_SEQMAX_AFTER);

    // Changing the global index mid-block: the cached block is kept.
    r.random123(&ctx, Some(1.0), Some(2.0), Some(3.0)).unwrap();
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("gix_before", &run(&mut r, &ctx, x, 1), nrn::GIX_BEFORE);
    assert_eq!(
        ctx.random123_globalindex(Some(9.0)).unwrap(),
        nrn::GIX_SET_RET
    );
    assert_eq!(ctx.random123_globalindex(None).unwrap(), nrn::GIX_GET_RET);
    let x = r.repick(&ctx).unwrap();
    exact("gix_after", &run(&mut r, &ctx, x, 7), nrn::GIX_AFTER);
    ctx.random123_globalindex(Some(0.0)).unwrap();

    // Constructors.
    let mut r = HocRandom::new(&ctx);
    let x = r.repick(&ctx).unwrap();
    exact(
        "default_new_normal",
        &run(&mut r, &ctx, x, 7),
        nrn::DEFAULT_NEW_NORMAL,
    );
    let mut r = HocRandom::construct(&ctx, Some(3.0), Some(7.0)).unwrap();
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("random_3_7", &run(&mut r, &ctx, x, 3), nrn::RANDOM_3_7);
    let mut r = HocRandom::with_seed(&ctx, -1.0);
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("random_m1", &run(&mut r, &ctx, x, 3), nrn::RANDOM_M1);
    r.random123(&ctx, Some(4_294_967_295.0), Some(55.0), None)
        .unwrap();
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact(
        "random_4294967295_55",
        &run(&mut r, &ctx, x, 3),
        nrn::RANDOM_4294967295_55,
    );
    let mut r = HocRandom::with_seed(&ctx, 2.9);
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("random_2p9", &run(&mut r, &ctx, x, 3), nrn::RANDOM_2P9);
    let mut r = HocRandom::with_seed(&ctx, 4_294_967_301.0);
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact(
        "random_2p32p5",
        &run(&mut r, &ctx, x, 3),
        nrn::RANDOM_2P32P5,
    );

    // The cached normal deviate survives a generator change.
    let mut r = HocRandom::new(&ctx);
    r.random123(&ctx, Some(3.0), Some(3.0), Some(3.0)).unwrap();
    let x = r.normal(&ctx, 0.0, 1.0);
    r.random123(&ctx, Some(4.0), Some(4.0), Some(4.0)).unwrap();
    exact(
        "normal_cache_switch",
        &run(&mut r, &ctx, x, 3),
        nrn::NORMAL_CACHE_SWITCH,
    );

    // Distributions on Random123(11, 12, 13).
    r.random123(&ctx, Some(11.0), Some(12.0), Some(13.0))
        .unwrap();
    distributions_common(&mut r, &ctx, R123_EXPECTED);
    let x = r.lognormal(&ctx, 0.3, 4.0);
    exact(
        "r123_lognormal2",
        &run(&mut r, &ctx, x, 5),
        nrn::R123_LOGNORMAL2,
    );
    let x = r.poisson(&ctx, 0.1).unwrap();
    exact(
        "r123_poisson_small",
        &run(&mut r, &ctx, x, 10),
        nrn::R123_POISSON_SMALL,
    );
    let x = r.poisson(&ctx, 300.0).unwrap();
    exact(
        "r123_poisson_big",
        &run(&mut r, &ctx, x, 3),
        nrn::R123_POISSON_BIG,
    );
    let x = r.poisson(&ctx, -1.0).unwrap();
    exact(
        "r123_poisson_neg",
        &run(&mut r, &ctx, x, 2),
        nrn::R123_POISSON_NEG,
    );
    let x = r.binomial(&ctx, 2.7, 0.5).unwrap();
    exact(
        "r123_binomial_frac",
        &run(&mut r, &ctx, x, 10),
        nrn::R123_BINOMIAL_FRAC,
    );
    let x = r.binomial(&ctx, 5.0, 1.0).unwrap();
    exact(
        "r123_binomial_p1",
        &run(&mut r, &ctx, x, 2),
        nrn::R123_BINOMIAL_P1,
    );
    let x = r.binomial(&ctx, 3e9, 0.5).unwrap();
    exact(
        "r123_binomial_huge",
        &run(&mut r, &ctx, x, 2),
        nrn::R123_BINOMIAL_HUGE,
    );
    let x = r.discunif(&ctx, 6.7, 1.2);
    exact(
        "r123_discunif_swapped",
        &run(&mut r, &ctx, x, 10),
        nrn::R123_DISCUNIF_SWAPPED,
    );
    let x = r.geometric(&ctx, 0.0).unwrap();
    exact(
        "r123_geometric0",
        &run(&mut r, &ctx, x, 2),
        nrn::R123_GEOMETRIC0,
    );
    let x = r.erlang(&ctx, 1.0, 0.0);
    exact(
        "r123_erlang_v0",
        &run(&mut r, &ctx, x, 3),
        nrn::R123_ERLANG_V0,
    );
    let x = r.erlang(&ctx, 1.0, -1.0);
    exact(
        "r123_erlang_vneg",
        &run(&mut r, &ctx, x, 3),
        nrn::R123_ERLANG_VNEG,
    );
    let x = r.erlang(&ctx, 10.0, 0.5);
    exact(
        "r123_erlang_k200",
        &run(&mut r, &ctx, x, 3),
        nrn::R123_ERLANG_K200,
    );
    let x = r.weibull(&ctx, 0.5, 3.0);
    exact(
        "r123_weibull2",
        &run(&mut r, &ctx, x, 5),
        nrn::R123_WEIBULL2,
    );
    assert_eq!(r.seq(), nrn::R123_DISTS_SEQ);

    // The same distributions on MCellRan4(987654321).
    let got = r.mcellran4(&mut ctx, Some(987_654_321.0), None).unwrap();
    assert_eq!(got, nrn::MC_RET);
    distributions_common(&mut r, &ctx, MC_EXPECTED);
    assert_eq!(r.seq(), nrn::MC_DISTS_SEQ);

    // MCellRan4 with a private low index; seq manipulation.
    assert_eq!(
        r.mcellran4(&mut ctx, Some(5.0), Some(7.0)).unwrap(),
        nrn::MC_LOW_RET
    );
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact("mc_low7", &run(&mut r, &ctx, x, 5), nrn::MC_LOW7);
    assert_eq!(r.seq(), nrn::MC_LOW7_SEQ);
    assert_eq!(r.set_seq(&ctx, 5.0).unwrap(), nrn::MC_SETSEQ_RET);
    let x = r.repick(&ctx).unwrap();
    exact(
        "mc_low7_replay",
        &run(&mut r, &ctx, x, 2),
        nrn::MC_LOW7_REPLAY,
    );
    assert_eq!(r.set_seq(&ctx, 1e10).unwrap(), nrn::MC_SETSEQ_BIG_RET);
    let x = r.repick(&ctx).unwrap();
    exact("mc_low7_big", &run(&mut r, &ctx, x, 2), nrn::MC_LOW7_BIG);
    assert_eq!(r.set_seq(&ctx, -3.0).unwrap(), nrn::MC_SETSEQ_NEG_RET);
    let x = r.repick(&ctx).unwrap();
    exact("mc_low7_neg", &run(&mut r, &ctx, x, 2), nrn::MC_LOW7_NEG);

    // The global low index.
    assert_eq!(ctx.mcell_ran4_init(Some(42.0)).unwrap(), nrn::MCINIT_RET0);
    assert_eq!(ctx.mcell_ran4_init(None).unwrap(), nrn::MCINIT_RET1);
    r.mcellran4(&mut ctx, Some(100.0), None).unwrap();
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact(
        "mc_globallow42",
        &run(&mut r, &ctx, x, 4),
        nrn::MC_GLOBALLOW42,
    );
    r.mcellran4(&mut ctx, Some(100.0), Some(7.0)).unwrap();
    let x = r.uniform(&ctx, 0.0, 1.0);
    exact(
        "mc_privatelow7_100",
        &run(&mut r, &ctx, x, 2),
        nrn::MC_PRIVATELOW7_100,
    );
    let mut hi = 100.0;
    assert_eq!(ctx.mcell_ran4(&mut hi), nrn::MCELL_RAN4_FN);
    assert_eq!(hi, nrn::MCELL_RAN4_FN_HI);
    assert_eq!(ctx.mcell_ran4(&mut hi), nrn::MCELL_RAN4_FN2);
    ctx.mcell_ran4_init(Some(0.0)).unwrap();
    let mut hi = 100.0;
    assert_eq!(ctx.mcell_ran4(&mut hi), nrn::MCELL_RAN4_FN_LOW0);
    r.mcellran4(&mut ctx, Some(100.0), None).unwrap();
    let x = r.uniform(&ctx, 0.0, 1.0);
    ctx.mcell_ran4_init(Some(42.0)).unwrap();
    exact(
        "mc_low_switch",
        &run(&mut r, &ctx, x, 1),
        nrn::MC_LOW_SWITCH,
    );
}

/// Expected sequences for [`distributions_common`].
struct Expected {
    uniform_swapped: &'static [f64],
    normal: &'static [f64],
    lognormal: &'static [f64],
    negexp: &'static [f64],
    poisson: &'static [f64],
    binomial: &'static [f64],
    discunif: &'static [f64],
    geometric: &'static [f64],
    hypergeo: &'static [f64],
    erlang: &'static [f64],
    weibull: &'static [f64],
}

const R123_EXPECTED: Expected = Expected {
    uniform_swapped: nrn::R123_UNIFORM_SWAPPED,
    normal: nrn::R123_NORMAL,
    lognormal: nrn::R123_LOGNORMAL,
    negexp: nrn::R123_NEGEXP,
    poisson: nrn::R123_POISSON,
    binomial: nrn::R123_BINOMIAL,
    discunif: nrn::R123_DISCUNIF,
    geometric: nrn::R123_GEOMETRIC,
    hypergeo: nrn::R123_HYPERGEO,
    erlang: nrn::R123_ERLANG,
    weibull: nrn::R123_WEIBULL,
};

const MC_EXPECTED: Expected = Expected {
    uniform_swapped: nrn::MC_UNIFORM_SWAPPED,
    normal: nrn::MC_NORMAL,
    lognormal: nrn::MC_LOGNORMAL,
    negexp: nrn::MC_NEGEXP,
    poisson: nrn::MC_POISSON,
    binomial: nrn::MC_BINOMIAL,
    discunif: nrn::MC_DISCUNIF,
    geometric: nrn::MC_GEOMETRIC,
    hypergeo: nrn::MC_HYPERGEO,
    erlang: nrn::MC_ERLANG,
    weibull: nrn::MC_WEIBULL,
};

/// The distribution run shared by the Random123 and MCellRan4 blocks of the
/// reference script. For Random123 the script interleaves extra cases; this
/// helper covers the shared ones in script order only where they are
/// consecutive, so the Random123 caller runs the extra cases itself.
fn distributions_common(r: &mut HocRandom, ctx: &RandomContext, e: Expected) {
    let x = r.uniform(ctx, 5.0, -2.0);
    exact("uniform_swapped", &run(r, ctx, x, 5), e.uniform_swapped);
    let x = r.normal(ctx, 1.5, 2.5);
    exact("normal", &run(r, ctx, x, 10), e.normal);
    let x = r.lognormal(ctx, 2.0, 0.5);
    exact("lognormal", &run(r, ctx, x, 10), e.lognormal);
    let x = r.negexp(ctx, 0.7);
    exact("negexp", &run(r, ctx, x, 10), e.negexp);
    let x = r.poisson(ctx, 4.5).unwrap();
    exact("poisson", &run(r, ctx, x, 20), e.poisson);
    let x = r.binomial(ctx, 10.0, 0.3).unwrap();
    exact("binomial", &run(r, ctx, x, 15), e.binomial);
    let x = r.discunif(ctx, -3.0, 3.0);
    exact("discunif", &run(r, ctx, x, 20), e.discunif);
    let x = r.geometric(ctx, 0.6).unwrap();
    exact("geometric", &run(r, ctx, x, 20), e.geometric);
    let x = r.hypergeo(ctx, 2.0, 10.0);
    exact("hypergeo", &run(r, ctx, x, 10), e.hypergeo);
    let x = r.erlang(ctx, 3.0, 2.0);
    exact("erlang", &run(r, ctx, x, 10), e.erlang);
    let x = r.weibull(ctx, 1.5, 2.0);
    exact("weibull", &run(r, ctx, x, 10), e.weibull);
}

/// The `nrnran123` stream API as NMODL `RANDOM` variables use it
/// (`tests/reference_stream.hoc`, through NetStim's `ranvar`).
#[test]
fn reference_stream() {
    let mut ctx = RandomContext::new();
    let gix = ctx.random123_global_index;
    let mut s = ctx.new_auto_stream(0);
    let (a, b, c) = s.ids();
    exact(
        "netstim_default_ids",
        &[f64::from(a), f64::from(b), f64::from(c)],
        nrn::NETSTIM_DEFAULT_IDS,
    );
    assert_eq!(s.seq4which(), nrn::NETSTIM_DEFAULT_SEQ);

    s.set_ids(1, 2, 3);
    s.set_seq4which(gix, 0.0);
    let got: Vec<f64> = (0..6).map(|_| s.next_uniform(gix)).collect();
    exact("ranvar_uniform", &got, nrn::RANVAR_UNIFORM);
    assert_eq!(s.seq4which(), nrn::RANVAR_SEQ);

    // set_ids keeps the cached block: two values from the old ids' block.
    s.set_ids(7, 8, 9);
    let got: Vec<f64> = (0..4).map(|_| s.next_uniform(gix)).collect();
    exact("ranvar_after_setids", &got, nrn::RANVAR_AFTER_SETIDS);

    s.set_seq4which(gix, 13.9);
    let mut got = vec![s.seq4which()];
    got.extend((0..3).map(|_| s.next_uniform(gix)));
    exact("ranvar_seq13p9", &got, nrn::RANVAR_SEQ13P9);
    s.set_seq4which(gix, -5.0);
    assert_eq!(s.seq4which(), nrn::RANVAR_SEQNEG);
    s.set_seq4which(gix, 2e12);
    assert_eq!(s.seq4which(), nrn::RANVAR_SEQHUGE);
    s.set_seq4which(gix, 1e11);
    assert_eq!(s.seq4which(), nrn::RANVAR_SEQ1E11);

    // nrnran123_normal is the first deviate of a fresh polar-method pair.
    let mut got = Vec::new();
    for i in 0..10 {
        let mut s = Random123Stream::new(gix, 1, 2, 3);
        s.set_seq4which(gix, f64::from(i));
        got.push(s.standard_normal(gix));
        got.push(s.seq4which());
    }
    exact("stream_normal", &got, nrn::STREAM_NORMAL);

    // A second auto stream counts on.
    assert_eq!(ctx.new_auto_stream(0).ids(), (1, 0, 2));
}

/// Parameters NEURON accepts but that give NaN, infinities or degenerate
/// distributions (`tests/reference_edge.hoc`).
#[test]
fn reference_edge() {
    let ctx = RandomContext::new();
    let mut r = HocRandom::new(&ctx);
    r.random123(&ctx, Some(21.0), Some(22.0), Some(23.0))
        .unwrap();
    let x = r.normal(&ctx, 0.0, -1.0);
    exact(
        "normal_negvar",
        &run(&mut r, &ctx, x, 2),
        nrn::EDGE_NORMAL_NEGVAR,
    );
    let x = r.lognormal(&ctx, 1.0, -1.0);
    exact(
        "lognormal_negvar",
        &run(&mut r, &ctx, x, 2),
        nrn::EDGE_LOGNORMAL_NEGVAR,
    );
    let x = r.lognormal(&ctx, 0.0, 1.0);
    exact(
        "lognormal_mean0",
        &run(&mut r, &ctx, x, 2),
        nrn::EDGE_LOGNORMAL_MEAN0,
    );
    let x = r.negexp(&ctx, -1.0);
    exact("negexp_neg", &run(&mut r, &ctx, x, 2), nrn::EDGE_NEGEXP_NEG);
    let x = r.weibull(&ctx, 0.0, 1.0);
    exact(
        "weibull_alpha0",
        &run(&mut r, &ctx, x, 2),
        nrn::EDGE_WEIBULL_ALPHA0,
    );
    let x = r.hypergeo(&ctx, 1.0, 0.5);
    exact(
        "hypergeo_lowvar",
        &run(&mut r, &ctx, x, 2),
        nrn::EDGE_HYPERGEO_LOWVAR,
    );
    let x = r.hypergeo(&ctx, 0.0, 0.5);
    exact(
        "hypergeo_mean0",
        &run(&mut r, &ctx, x, 2),
        nrn::EDGE_HYPERGEO_MEAN0,
    );
    let x = r.uniform(&ctx, 1.0, 1.0);
    exact(
        "uniform_empty",
        &run(&mut r, &ctx, x, 2),
        nrn::EDGE_UNIFORM_EMPTY,
    );
    let x = r.discunif(&ctx, 4.0, 4.0);
    exact(
        "discunif_single",
        &run(&mut r, &ctx, x, 2),
        nrn::EDGE_DISCUNIF_SINGLE,
    );
    let x = r.geometric(&ctx, 0.9999999).unwrap();
    exact(
        "geometric_near1",
        &run(&mut r, &ctx, x, 1),
        nrn::EDGE_GEOMETRIC_NEAR1,
    );
    let x = r.binomial(&ctx, 0.0, 0.5).unwrap();
    exact(
        "binomial_n0",
        &run(&mut r, &ctx, x, 1),
        nrn::EDGE_BINOMIAL_N0,
    );
    let x = r.erlang(&ctx, 0.0, 1.0);
    exact(
        "erlang_mean0",
        &run(&mut r, &ctx, x, 1),
        nrn::EDGE_ERLANG_MEAN0,
    );
    let x = r.poisson(&ctx, 700.0).unwrap();
    exact(
        "poisson_700",
        &run(&mut r, &ctx, x, 1),
        nrn::EDGE_POISSON_700,
    );
    assert_eq!(r.seq(), nrn::EDGE_SEQ);
}

/// Arguments NEURON range-checks, and draws NEURON would never finish.
#[test]
fn errors() {
    let mut ctx = RandomContext::new();
    let mut r = HocRandom::new(&ctx);
    let before = r.clone();
    let out_of_range = |e: RandomError| matches!(e, RandomError::ArgOutOfRange { .. });
    assert!(out_of_range(r.binomial(&ctx, -1.0, 0.5).unwrap_err()));
    assert!(out_of_range(r.binomial(&ctx, 3.0, 1.5).unwrap_err()));
    assert!(out_of_range(r.geometric(&ctx, 1.5).unwrap_err()));
    assert!(out_of_range(r.geometric(&ctx, -0.1).unwrap_err()));
    assert!(out_of_range(
        r.random123(&ctx, Some(-1.0), None, None).unwrap_err()
    ));
    assert!(out_of_range(
        r.random123(&ctx, None, None, Some(4_294_967_296.0))
            .unwrap_err()
    ));
    assert!(out_of_range(r.set_seq(&ctx, -1.0).unwrap_err()));
    assert!(out_of_range(r.set_seq(&ctx, 17_179_869_184.0).unwrap_err()));
    assert!(out_of_range(
        r.mcellran4(&mut ctx, Some(-1.0), None).unwrap_err()
    ));
    assert!(out_of_range(
        r.mcellran4(&mut ctx, Some(1.0), Some(5e9)).unwrap_err()
    ));
    assert!(out_of_range(
        ctx.random123_globalindex(Some(-1.0)).unwrap_err()
    ));
    assert!(out_of_range(
        ctx.mcell_ran4_init(Some(4_294_967_296.0)).unwrap_err()
    ));
    assert!(out_of_range(
        HocRandom::construct(&ctx, Some(1.0), Some(6.0)).unwrap_err()
    ));
    assert!(out_of_range(
        HocRandom::construct(&ctx, Some(1.0), Some(99.0)).unwrap_err()
    ));
    let hangs = |e: RandomError| matches!(e, RandomError::NeverTerminates { .. });
    assert!(hangs(r.geometric(&ctx, 1.0).unwrap_err()));
    assert!(hangs(r.poisson(&ctx, 1000.0).unwrap_err()));
    assert!(hangs(r.poisson(&ctx, f64::INFINITY).unwrap_err()));
    // Failed calls leave the object as it was.
    assert_eq!(r, before);
    assert_eq!(ctx, RandomContext::new());
    // NaN passes NEURON's range checks.
    assert!(r.geometric(&ctx, f64::NAN).is_ok());
    // Above the largest uniform either generator returns (both are
    // 1 - 2^-32 after rounding), the geometric loop never ends.
    let max = r.generator().max_double();
    assert!(hangs(r.geometric(&ctx, max.next_up()).unwrap_err()));
    r.mcellran4(&mut ctx, Some(1.0), None).unwrap();
    assert_eq!(r.generator().max_double(), max);
    assert!(hangs(r.geometric(&ctx, max.next_up()).unwrap_err()));
    let msg = r.poisson(&ctx, 800.0).unwrap_err().to_string();
    assert!(msg.contains("loop forever"), "{msg}");
    let msg = r.binomial(&ctx, -2.0, 0.5).unwrap_err().to_string();
    assert!(
        msg.starts_with("Arg out of range in user function"),
        "{msg}"
    );
}

/// Philox4x32-10 known-answer vectors of the Random123 distribution.
#[test]
fn philox_known_answers() {
    assert_eq!(
        philox::philox4x32_10([0; 4], [0; 2]),
        [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]
    );
    assert_eq!(
        philox::philox4x32_10([u32::MAX; 4], [u32::MAX; 2]),
        [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]
    );
    assert_eq!(
        philox::philox4x32_10(
            [0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344],
            [0xa409_3822, 0x299f_31d0]
        ),
        [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]
    );
}
