//! What NEURON provides to every NMODL file: the functions it may call
//! without declaring them, and the SOLVE methods with the blocks each
//! applies to (from nocmodl 9.0.2's tables).

use super::symbols::BlockKind;

/// NEURON's functions an NMODL file may call without declaring them
/// (nocmodl's `extdef*.h`), as `name/arguments` (`*`: any number).
/// C's `erfc`, `fmin`, `fmax` are not among them: NEURON 9.0.2 fails to
/// compile a call to those.
pub(crate) const BUILTIN_FUNCTIONS: &str = "\
    fabs/1 sqrt/1 sin/1 cos/1 tan/1 acos/1 asin/1 atan/1 atan2/2 sinh/1 cosh/1 tanh/1 \
    floor/1 ceil/1 fmod/2 log10/1 log/1 pow/2 exp/1 erf/1 printf/* prterr/* net_send/2 \
    net_move/1 net_event/1 at_time/1 nrn_ghk/4 exprand/1 normrand/2 poisrand/1 factorial/1 \
    gauss/* poisson/* setseed/* set_seed/* scop_random/* threshold/* force/* deflate/* \
    expfit/* derivs/* spline/* hyperbol/* revhyperbol/* sigmoid/* revsigmoid/* harmonic/* \
    squarewave/* sawtooth/* revsawtooth/* ramp/* pulse/* perpulse/* step/* perstep/* \
    boundary/* romberg/* legendre/* invert/* stepforce/* schedule/* nrn_pointing/1 \
    state_discontinuity/2 nrn_random_play/* random_setseq/2 random_setids/4 \
    random_uniform/* random_negexp/* random_normal/* random_ipick/* random_dpick/*";

/// The argument count of a NEURON function (`Some(None)`: any number).
pub(crate) fn builtin_arity(name: &str) -> Option<Option<usize>> {
    BUILTIN_FUNCTIONS.split_whitespace().find_map(|entry| {
        let (n, a) = entry.split_once('/')?;
        (n == name).then(|| a.parse().ok())
    })
}

/// The solve methods nocmodl knows and the blocks each applies to
/// (`init.cpp`); a PROCEDURE is SOLVEd with no METHOD.
pub(crate) const METHODS: &[(&str, &[BlockKind])] = &[
    ("runge", &[BlockKind::Derivative, BlockKind::Kinetic]),
    ("euler", &[BlockKind::Derivative, BlockKind::Kinetic]),
    ("newton", &[BlockKind::Nonlinear]),
    ("simeq", &[BlockKind::Linear]),
    ("_advance", &[BlockKind::Kinetic]),
    ("sparse", &[BlockKind::Kinetic]),
    ("derivimplicit", &[BlockKind::Derivative]),
    ("cnexp", &[BlockKind::Derivative]),
    ("after_cvode", &[]),
    ("cvode_t", &[]),
    ("cvode_t_v", &[]),
];
