//! The `nerve` command line behaves like `nrniv`: files, `-c`, stdin, exit statuses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn nerve(args: &[&str], stdin: &str) -> Output {
    let dir = std::env::temp_dir();
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
