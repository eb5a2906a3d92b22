//! NMODL `POINTER` variables with HOC's `setpointer`, end to end: the
//! programs in `tests/pointers/` run with the `.mod` files beside them
//! (nerve compiles every `.mod` of its working directory at start-up).
//! `semantics.out` is what NEURON 9.0.2 printed, made in that folder with
//! `nrnivmodl && nrniv -nobanner semantics.hoc < /dev/null > semantics.out`.
//! The error cases check nerve's message: NEURON crashes on an unset
//! POINTER, and says "not a point process pointer" for a `setpointer` to
//! another variable.

mod common;

use std::path::Path;

/// Runs `name.hoc` in a scratch copy of `tests/pointers/`: (stdout,
/// stderr, success).
fn run(name: &str) -> (String, String, bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pointers");
    let r = common::run_in_copy(&dir, "pointers", name);
    (r.stdout, r.stderr, r.code == Some(0))
}

#[test]
fn pointers_read_and_write_their_targets_as_in_neuron() {
    let (out, err, ok) = run("semantics");
    assert!(ok, "{err}");
    let want = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pointers/semantics.out"),
    )
    .expect("expected output");
    assert_eq!(out, want);
}

#[test]
fn an_unset_pointer_stops_finitialize_naming_it() {
    let (out, err, ok) = run("unset");
    assert!(!ok);
    assert_eq!(out, "before\n");
    assert!(err.contains("Gap at a(0.5): POINTER vpre not set"), "{err}");
}

#[test]
fn setpointer_to_a_variable_that_is_not_a_pointer_is_an_error() {
    let (out, err, ok) = run("not_pointer");
    assert!(!ok);
    assert_eq!(out, "before\n");
    assert!(err.contains("not a point process pointer"), "{err}");
}
