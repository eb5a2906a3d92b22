//! `batch_save`/`batch_run` as NEURON documents them: the documented example,
//! verbatim, writes the documented file.

use std::process::{Command, Stdio};

#[test]
fn the_documented_example_writes_the_documented_file() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("nerve-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let o = Command::new(env!("CARGO_BIN_EXE_nerve"))
        .arg(format!("{root}/tests/batch/documented.hoc"))
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("run nerve");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = std::fs::read_to_string(dir.join("hhsim.dat")).expect("hhsim.dat written");
    let want = std::fs::read_to_string(format!("{root}/tests/batch/hhsim.dat")).expect("doc file");
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(&dir);
}
