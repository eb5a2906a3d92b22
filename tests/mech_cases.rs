//! Runs every HOC case under `tests/mech/` (programs that use the standard
//! mechanisms of `mod-files/`, or the `.mod` files beside them) through the
//! `nerve` binary and compares its standard output with the `.out` file
//! beside it, which NEURON 9.0.2 made with its built-in mechanisms and
//! those `.mod` files (`tests/mech/regen.sh` remakes them).
//!
//! Outputs are compared token by token (separated by whitespace and by `=`,
//! so `v=-65.1` is the tokens `v`, `=`, `-65.1`): a token that
//! parses as a number in both outputs may differ by 1e-7 + 1e-5·|expected|
//! (mechanisms compiled by a different compiler round differently); any
//! other token must be equal. Cases named in `tests/mech/PENDING` (one per
//! line, `name  reason`) must still fail, so the list stays true.

mod common;

use std::path::{Path, PathBuf};

/// absolute part of the tolerance on a numeric token
const ABS_TOL: f64 = 1e-7;
/// relative part of the tolerance on a numeric token
const REL_TOL: f64 = 1e-5;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("mech")
}

/// Names listed in `tests/mech/PENDING`.
fn pending() -> Vec<String> {
    std::fs::read_to_string(cases_dir().join("PENDING"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Runs one case in a scratch copy of the case folder (cases may write
/// files); returns stdout and stderr.
fn run_case(name: &str) -> (String, String) {
    let r = common::run_in_copy(&cases_dir(), "mech", name);
    (r.stdout, r.stderr)
}

/// A number as HOC prints it (`%g`, `%.10g`, `inf`, `nan` are all accepted).
fn number(token: &str) -> Option<f64> {
    token.parse::<f64>().ok()
}

/// Whether two tokens agree: numerically within tolerance, or textually.
fn tokens_agree(got: &str, expected: &str) -> bool {
    match (number(got), number(expected)) {
        (Some(g), Some(e)) => {
            if g.is_nan() || e.is_nan() {
                g.is_nan() && e.is_nan()
            } else if g.is_infinite() || e.is_infinite() {
                g == e
            } else {
                (g - e).abs() <= ABS_TOL + REL_TOL * e.abs()
            }
        }
        _ => got == expected,
    }
}

/// `None` when the outputs agree, else a description of the first
/// disagreement (line numbers are 1-based, of the expected output).
fn first_difference(got: &str, expected: &str) -> Option<String> {
    let tokens = |s: &str| -> Vec<(usize, String)> {
        s.lines()
            .enumerate()
            .flat_map(|(i, l)| {
                l.replace('=', " = ")
                    .split_whitespace()
                    .map(|t| (i + 1, t.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let (g, e) = (tokens(got), tokens(expected));
    for (k, ((gl, gt), (el, et))) in g.iter().zip(e.iter()).enumerate() {
        if !tokens_agree(gt, et) {
            return Some(format!(
                "token {} (line {el} of the expected output, line {gl} of nerve's): got {gt:?}, expected {et:?}\n  got line:      {:?}\n  expected line: {:?}",
                k + 1,
                got.lines().nth(gl - 1).unwrap_or(""),
                expected.lines().nth(el - 1).unwrap_or("")
            ));
        }
    }
    (g.len() != e.len()).then(|| {
        format!(
            "nerve printed {} tokens, NEURON {} (first extra or missing near line {})",
            g.len(),
            e.len(),
            g.get(e.len()).or(e.get(g.len())).map_or(0, |t| t.0)
        )
    })
}

#[test]
fn token_comparison_tolerates_rounding_only() {
    assert!(first_difference("t=1 v=-65.00000001\n", "t=1 v=-65\n").is_none());
    assert!(first_difference("t=1 v=-65.1\n", "t=1 v=-65\n").is_some());
    assert!(first_difference("t=1 w=-65\n", "t=1 v=-65\n").is_some());
    assert!(first_difference("1 -65.0000001 x\n", "1 -65 x\n").is_none());
    assert!(first_difference("1 -65.01 x\n", "1 -65 x\n").is_some());
    assert!(first_difference("1e-8\n", "0\n").is_none());
    assert!(first_difference("1 2\n", "1 2 3\n").is_some());
    assert!(first_difference("spikes: 3\n", "spikes 3\n").is_some());
    assert!(first_difference("nan inf\n", "nan inf\n").is_none());
}

#[test]
fn mech_cases_match_neuron() {
    let pending = pending();
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/mech")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "hoc").then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no cases found");
    for p in &pending {
        assert!(names.contains(p), "PENDING names {p}, which is not a case");
    }
    let mut failures = Vec::new();
    let mut passed = 0;
    for name in &names {
        let expected = std::fs::read_to_string(cases_dir().join(format!("{name}.out")))
            .expect("expected output");
        let (got, err) = run_case(name);
        let difference = first_difference(&got, &expected);
        match (difference, pending.contains(name)) {
            (None, false) => passed += 1,
            (Some(_), true) => {}
            (None, true) => failures.push(format!(
                "{name}: passes but is listed in PENDING; remove it"
            )),
            (Some(d), false) => failures.push(format!(
                "{name}: {d}\n  stderr: {}",
                err.lines().take(6).collect::<Vec<_>>().join("\n          ")
            )),
        }
    }
    eprintln!("{passed} mechanism cases pass, {} pending", pending.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
