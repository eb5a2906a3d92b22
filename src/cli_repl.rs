//! The interactive prompt: rustyline with history, multi-line input while
//! braces are open, Ctrl-C to interrupt, Ctrl-D to leave.

use crate::cli::feed_line;
use nerve_runtime::hoc::Interpreter;
use rustyline::error::ReadlineError;

use super::cli::Outcome;

fn history_path() -> Option<std::path::PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".local/share"))
        })?;
    Some(base.join("nerve").join("history"))
}

/// Runs the REPL until EOF or quit().
pub(crate) fn repl(interp: &mut Interpreter) -> Outcome {
    let mut rl = match rustyline::DefaultEditor::new() {
        Ok(rl) => rl,
        Err(e) => {
            eprintln!("nerve: cannot start the line editor: {e}");
            return Outcome::Exit(1);
        }
    };
    let hist = history_path();
    if let Some(h) = &hist {
        let _ = rl.load_history(h);
    }
    let mut pending = String::new();
    let outcome = loop {
        let prompt = if pending.is_empty() { "oc>" } else { "> " };
        match rl.readline(prompt) {
            Ok(line) => {
                let _ = rl.add_history_entry(line.as_str());
                if let Some(out) = feed_line(interp, &mut pending, &line) {
                    break out;
                }
            }
            Err(ReadlineError::Interrupted) => {
                pending.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break Outcome::Continue,
            Err(e) => {
                eprintln!("nerve: {e}");
                break Outcome::Exit(1);
            }
        }
    };
    interp.flush();
    if let Some(h) = &hist {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = rl.save_history(h);
    }
    outcome
}
