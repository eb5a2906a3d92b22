//! The examples give NEURON's numbers: `tests/examples/NAME.out` is what
//! NEURON 9.0.2 printed for `examples/NAME.hoc` (with the example's `.mod`
//! files compiled by nrnivmodl and the `nrn_load_dll` line removed).

use std::process::{Command, Stdio};

/// Runs `examples/NAME.hoc` from the repository root and compares its
/// output with `tests/examples/NAME.out`.
fn check(name: &str) {
    let root = env!("CARGO_MANIFEST_DIR");
    let o = Command::new(env!("CARGO_BIN_EXE_nerve"))
        .arg(format!("examples/{name}.hoc"))
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .expect("run nerve");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let want = std::fs::read_to_string(format!("{root}/tests/examples/{name}.out"))
        .expect("expected output");
    assert_eq!(String::from_utf8_lossy(&o.stdout), want);
}

#[test]
fn ring_network_matches_neuron() {
    check("ring_network");
}

#[test]
fn gap_junction_matches_neuron() {
    check("gap_junction");
}
