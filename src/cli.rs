//! The command line: options as `nrniv` takes them, files, `-c` statements,
//! and the REPL.

use nerve_runtime::hoc::{ErrorKind, HocError, Interpreter};
use std::io::{BufRead, IsTerminal};

const HELP: &str = "\
usage: nerve [options] [file.hoc ...] [-]
       nerve modl file.mod ...

Runs each HOC file in order, then reads statements from standard input
(an interactive prompt on a terminal). Like NEURON's nrniv. The .mod files
of the working directory are compiled and loaded first (as the mechanisms
nrnivmodl would have built there); `nerve modl` only checks and compiles
the files given and reports.

options:
  -c STATEMENT   run STATEMENT (repeatable; statements and files run in the
                 order given, as nrniv runs them)
  -nobanner      print no banner (nerve prints none anyway)
  -nogui         no graphics (nerve has none)
  -nomod         do not load the .mod files of the working directory
  -isatty        treat standard input as a terminal (prompt)
  -notatty       treat standard input as a pipe (no prompt)
  --version      print the version
  --help         print this help
  -              read standard input at that point
";

/// The arguments that run something, in the order given (nrniv runs
/// `-c` statements and files interleaved as they come).
enum Input {
    Statement(String),
    File(String),
    Stdin,
}

/// What happened to the session.
pub(crate) enum Outcome {
    Continue,
    Exit(i32),
}

/// Runs the command line; returns the exit status.
pub fn main(args: Vec<String>) -> i32 {
    if args.first().is_some_and(|a| a == "modl") {
        return modl(&args[1..]);
    }
    let mut load_cwd_mods = true;
    let mut statements = 0;
    let mut inputs = Vec::new();
    let mut tty: Option<bool> = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-c" => match it.next() {
                Some(s) => inputs.push(Input::Statement(s)),
                None => {
                    eprintln!("nerve: -c needs a statement");
                    return 2;
                }
            },
            "-nobanner" | "-nogui" | "-NSTACK" | "-NFRAME" => {}
            "-nomod" => load_cwd_mods = false,
            "-isatty" => tty = Some(true),
            "-notatty" => tty = Some(false),
            "--version" | "-v" | "-version" => {
                println!(
                    "nerve {} (NEURON 9.0.2 compatible)",
                    env!("CARGO_PKG_VERSION")
                );
                return 0;
            }
            "--help" | "-h" | "-help" => {
                print!("{HELP}");
                return 0;
            }
            "-" => inputs.push(Input::Stdin),
            s if s.starts_with('-') && s.len() > 1 => {
                eprintln!("nerve: unknown option {s} (see nerve --help)");
                return 2;
            }
            _ => inputs.push(Input::File(a)),
        }
    }
    let mut interp = nerve_stdlib::interpreter();
    install_interrupt(&interp);
    if load_cwd_mods {
        if let Err(e) = load_cwd_mod_files(&mut interp) {
            nerve_stdlib::flush_all(&mut interp);
            eprintln!("{}", e.message);
            return 1;
        }
    }
    let mut read_stdin = true;
    for input in inputs {
        match input {
            Input::Statement(text) => {
                statements += 1;
                match run(&mut interp, &format!("-c[{statements}]"), &text) {
                    Outcome::Continue => {}
                    Outcome::Exit(c) => return c,
                }
            }
            Input::File(path) => {
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        nerve_stdlib::flush_all(&mut interp);
                        eprintln!("nerve: cannot read {path}: {e}");
                        return 1;
                    }
                };
                match run(&mut interp, &path, &text) {
                    Outcome::Continue => {}
                    Outcome::Exit(c) => return c,
                }
            }
            Input::Stdin => {
                read_stdin = false;
                if let Outcome::Exit(c) = stdin_loop(&mut interp, tty) {
                    return c;
                }
            }
        }
    }
    if read_stdin {
        if let Outcome::Exit(c) = stdin_loop(&mut interp, tty) {
            return c;
        }
    }
    nerve_stdlib::flush_all(&mut interp);
    0
}

/// Loads every `.mod` file of the working directory, in name order.
fn load_cwd_mod_files(interp: &mut Interpreter) -> Result<(), HocError> {
    let Ok(rd) = std::fs::read_dir(".") else {
        return Ok(());
    };
    let mut files: Vec<_> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "mod"))
        .collect();
    files.sort();
    for f in files {
        nerve_stdlib::nrn::loader::load_path(interp, &f)?;
    }
    Ok(())
}

/// `nerve modl file.mod ...`: parses, checks, lowers and compiles each file
/// and reports; the status is 1 if any failed.
fn modl(files: &[String]) -> i32 {
    if files.is_empty() {
        eprintln!("usage: nerve modl file.mod ...");
        return 2;
    }
    let mut status = 0;
    for path in files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("nerve: cannot read {path}: {e}");
                status = 1;
                continue;
            }
        };
        let file = nerve_compiler::diagnostics::SourceFile::new(path.as_str(), text);
        let t0 = std::time::Instant::now();
        match nerve_stdlib::nrn::loader::compile(&file) {
            Ok((ir, _)) => {
                let kind = match ir.kind {
                    nerve_compiler::nmodl::ir::MechKind::Density => "SUFFIX",
                    nerve_compiler::nmodl::ir::MechKind::Point => "POINT_PROCESS",
                    nerve_compiler::nmodl::ir::MechKind::Artificial => "ARTIFICIAL_CELL",
                };
                println!(
                    "{path}: {kind} {}: compiled in {:.1} ms",
                    ir.name,
                    t0.elapsed().as_secs_f64() * 1e3
                );
            }
            Err(e) => {
                eprintln!("{e}");
                status = 1;
            }
        }
    }
    status
}

/// Ctrl-C sets the interpreter's interrupt flag: the running statement stops
/// at its next loop iteration or call and control returns to the prompt. A
/// second Ctrl-C before the first is noticed ends the process.
fn install_interrupt(interp: &Interpreter) {
    let flag = interp.interrupt.clone();
    let r = ctrlc::set_handler(move || {
        if flag.swap(true, std::sync::atomic::Ordering::SeqCst) {
            eprintln!("\nnerve: interrupted twice, exiting");
            std::process::exit(130);
        }
    });
    if let Err(e) = r {
        eprintln!("nerve: Ctrl-C will not interrupt statements: {e}");
    }
}

/// Runs a script; an error prints its diagnostic and ends with status 1.
fn run(interp: &mut Interpreter, name: &str, text: &str) -> Outcome {
    match interp.run_source(name, text) {
        Ok(()) => Outcome::Continue,
        Err(e) => match e.kind {
            ErrorKind::Quit(c) => {
                nerve_stdlib::flush_all(interp);
                Outcome::Exit(c)
            }
            _ => {
                report_error(interp, &e);
                Outcome::Exit(1)
            }
        },
    }
}

pub(crate) fn report_error(interp: &mut Interpreter, e: &HocError) {
    nerve_stdlib::flush_all(interp);
    eprintln!("nerve: {}", e.render());
}

/// Adds a line of input; once no brace or comment is left open, runs what
/// has accumulated. An error is reported and the session goes on; `quit()`
/// ends it with its status.
pub(crate) fn feed_line(
    interp: &mut Interpreter,
    pending: &mut String,
    line: &str,
) -> Option<Outcome> {
    pending.push_str(line);
    pending.push('\n');
    if nerve_compiler::hoc::parse::needs_more_input(pending) {
        return None;
    }
    // A Ctrl-C at the prompt must not interrupt the next statement.
    interp
        .interrupt
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let r = interp.run_source("stdin", pending);
    pending.clear();
    if let Err(e) = r {
        match e.kind {
            ErrorKind::Quit(c) => {
                nerve_stdlib::flush_all(interp);
                return Some(Outcome::Exit(c));
            }
            _ => report_error(interp, &e),
        }
    }
    nerve_stdlib::flush_all(interp);
    None
}

/// Reads statements from stdin: a REPL on a terminal, plain lines otherwise.
fn stdin_loop(interp: &mut Interpreter, tty: Option<bool>) -> Outcome {
    let is_tty = tty.unwrap_or_else(|| std::io::stdin().is_terminal());
    if is_tty {
        return crate::cli_repl::repl(interp);
    }
    let stdin = std::io::stdin();
    let mut pending = String::new();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if let Some(out) = feed_line(interp, &mut pending, &line) {
            return out;
        }
    }
    nerve_stdlib::flush_all(interp);
    Outcome::Continue
}
