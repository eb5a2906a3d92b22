//! What the integration tests share: running `nerve` on a program in a
//! scratch copy of its folder (programs may write files, and nerve loads
//! the `.mod` files of its working directory).

// each test binary uses its own part of this module
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};

/// What a run printed and how it ended.
pub struct Run {
    /// standard output
    pub stdout: String,
    /// standard error
    pub stderr: String,
    /// exit status (`None` if killed by a signal)
    pub code: Option<i32>,
}

/// Runs `nerve NAME.hoc` (stdin empty) in a scratch copy of the files of
/// `dir`; `tag` keeps the scratch folders of different suites apart.
pub fn run_in_copy(dir: &Path, tag: &str, name: &str) -> Run {
    let scratch = std::env::temp_dir().join(format!("nerve-{tag}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    for entry in std::fs::read_dir(dir).expect("case folder") {
        let p = entry.expect("entry").path();
        if p.is_file() {
            std::fs::copy(&p, scratch.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_nerve"))
        .arg(format!("{name}.hoc"))
        .current_dir(&scratch)
        .stdin(Stdio::null())
        .output()
        .expect("run nerve");
    let _ = std::fs::remove_dir_all(&scratch);
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}
