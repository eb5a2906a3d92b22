//! Runs every annotated HOC case under `tests/hoc/` through the `nerve`
//! binary and compares its standard output with the `.out` file beside it,
//! which NEURON 9.0.2 produced (`tests/hoc/regen.sh` remakes them).
//!
//! Cases named in `tests/hoc/PENDING` (one per line, `name  reason`) need a
//! feature that has not landed, and those in `tests/hoc/DIFFERENT` are
//! deliberate differences from NEURON; both must still fail, so the lists
//! stay true.

mod common;

use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("hoc")
}

/// Cases listed in `tests/hoc/PENDING` (a feature not landed yet) and
/// `tests/hoc/DIFFERENT` (nerve deliberately differs from NEURON): both must
/// currently fail.
fn pending() -> Vec<String> {
    ["PENDING", "DIFFERENT"]
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(cases_dir().join(f))
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .filter_map(|l| l.split_whitespace().next().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Copies the case folder to a scratch dir (cases may write files) and runs one case.
fn run_case(name: &str) -> (String, String) {
    let (out, err, _) = run_case_in(&cases_dir(), name);
    (out, err)
}

fn run_case_in(dir: &Path, name: &str) -> (String, String, Option<i32>) {
    let r = common::run_in_copy(dir, "hoc", name);
    (r.stdout, r.stderr, r.code)
}

/// `tests/hoc/errors/`: programs that stop with an error. nerve must print
/// what NEURON printed before the error, exit with NEURON's status, and
/// report the error (in nerve's own format) on stderr.
#[test]
fn error_cases_stop_like_neuron() {
    let dir = cases_dir().join("errors");
    let pending = pending();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/hoc/errors")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "hoc").then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    let mut failures = Vec::new();
    for name in &names {
        let expected =
            std::fs::read_to_string(dir.join(format!("{name}.out"))).expect("expected output");
        let status: i32 = std::fs::read_to_string(dir.join(format!("{name}.status")))
            .expect("expected status")
            .trim()
            .parse()
            .expect("a number");
        let (got, err, code) = run_case_in(&dir, name);
        let ok = got == expected && code == Some(status) && err.contains("error:");
        let key = format!("errors/{name}");
        match (ok, pending.contains(&key)) {
            (true, true) => failures.push(format!("{key}: passes but is listed in PENDING; remove it")),
            (false, false) => failures.push(format!(
                "{key}: status {code:?} (want {status}), stdout {got:?} (want {expected:?}), stderr {err:?}"
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hoc_cases_match_neuron() {
    let pending = pending();
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/hoc")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "hoc").then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no cases found");
    let mut failures = Vec::new();
    let mut passed = 0;
    for name in &names {
        let expected = std::fs::read_to_string(cases_dir().join(format!("{name}.out")))
            .expect("expected output");
        let (got, err) = run_case(name);
        let ok = got == expected;
        match (ok, pending.contains(name)) {
            (true, false) => passed += 1,
            (false, true) => {}
            (true, true) => failures.push(format!(
                "{name}: passes but is listed in PENDING; remove it"
            )),
            (false, false) => {
                let line = got
                    .lines()
                    .zip(expected.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.lines().count().min(expected.lines().count()));
                failures.push(format!(
                    "{name}: output differs from line {}\n  got:      {:?}\n  expected: {:?}\n  stderr: {}",
                    line + 1,
                    got.lines().nth(line).unwrap_or("<end>"),
                    expected.lines().nth(line).unwrap_or("<end>"),
                    err.lines().take(6).collect::<Vec<_>>().join("\n          ")
                ));
            }
        }
    }
    eprintln!("{passed} HOC cases pass, {} pending", pending.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
