//! The `nerve` command line behaves like `nrniv`: files, `-c`, stdin, exit statuses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// An empty directory of its own for each run (nerve loads the `.mod` files
/// of its working directory).
fn empty_dir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "nerve-cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn nerve(args: &[&str], stdin: &str) -> Output {
    let dir = empty_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nerve"))
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn nerve");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn statements_from_a_pipe() {
    let o = nerve(&[], "print 1+2\n");
    assert_eq!(stdout(&o), "3 \n");
    assert!(o.status.success());
}

#[test]
fn dash_c_runs_in_order() {
    let o = nerve(&["-c", "x=2", "-c", "print x*3"], "");
    assert_eq!(stdout(&o), "6 \n");
}

#[test]
fn multi_line_input_and_errors_keep_state() {
    let o = nerve(&[], "x = 3\nproc p() {\n  print x*2\n}\ny = 1/0\np()\n");
    assert_eq!(stdout(&o), "6 \n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("division by zero"), "{err}");
    assert!(
        o.status.success(),
        "errors at the prompt do not end the session"
    );
}

#[test]
fn script_error_exits_1_after_flushing_output() {
    let path = std::env::temp_dir().join(format!("nerve-cli-{}.hoc", std::process::id()));
    std::fs::write(
        &path,
        "print \"before\"\nx = undefined_thing\nprint \"after\"\n",
    )
    .expect("write");
    let o = nerve(&[path.to_str().expect("utf8 path")], "");
    let _ = std::fs::remove_file(&path);
    assert_eq!(stdout(&o), "before\n");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("undefined_thing is an undefined variable"),
        "{err}"
    );
    assert!(err.contains(":2:5"), "{err}");
}

#[test]
fn quit_sets_the_exit_status() {
    assert_eq!(nerve(&["-c", "quit()"], "print 1\n").status.code(), Some(0));
    let o = nerve(&[], "print 5\nquit(3)\nprint 6\n");
    assert_eq!(stdout(&o), "5 \n");
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn options() {
    let o = nerve(&["--version"], "");
    assert!(stdout(&o).starts_with("nerve "));
    let o = nerve(&["--help"], "");
    assert!(stdout(&o).contains("usage: nerve"));
    let o = nerve(&["-nobanner", "-nogui", "-notatty"], "print 7\n");
    assert_eq!(stdout(&o), "7 \n");
    let o = nerve(&["-bogus"], "");
    assert_eq!(o.status.code(), Some(2));
    let o = nerve(&["/nonexistent/file.hoc"], "");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn mod_files_of_the_working_directory_are_loaded() {
    let dir = empty_dir();
    std::fs::write(
        dir.join("leak1.mod"),
        "NEURON { SUFFIX leak1 NONSPECIFIC_CURRENT i RANGE g }\n\
         PARAMETER { g = 0.002 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) }\n\
         BREAKPOINT { i = g * (v + 70) }\n",
    )
    .expect("write mod");
    let o = Command::new(env!("CARGO_BIN_EXE_nerve"))
        .args([
            "-c",
            "create s",
            "-c",
            "s insert leak1",
            "-c",
            "print s.g_leak1",
        ])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("run nerve");
    assert_eq!(
        stdout(&o),
        "0.002 \n",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let m = Command::new(env!("CARGO_BIN_EXE_nerve"))
        .args(["modl", "leak1.mod"])
        .current_dir(&dir)
        .output()
        .expect("run nerve modl");
    assert!(m.status.success());
    assert!(stdout(&m).starts_with("leak1.mod: SUFFIX leak1: compiled in"));
}

#[test]
fn a_bad_mod_file_is_a_clear_error() {
    let dir = empty_dir();
    std::fs::write(
        dir.join("bad.mod"),
        "NEURON { SUFFIX bad }\nBREAKPOINT { x = }\n",
    )
    .expect("write mod");
    let o = Command::new(env!("CARGO_BIN_EXE_nerve"))
        .args(["-c", "print 1"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("run nerve");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("bad.mod:2:"), "{err}");
    assert!(err.contains('^'), "{err}");
}

#[test]
fn statements_and_files_run_in_the_order_given() {
    let dir = empty_dir();
    std::fs::write(dir.join("f.hoc"), "print \"file\"\n").expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_nerve"))
        .args(["-c", "print \"c1\"", "f.hoc", "-c", "print \"c2\""])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("run nerve");
    // nrniv 9.0.2 prints c1, file, c2
    assert_eq!(stdout(&o), "c1\nfile\nc2\n");
}
