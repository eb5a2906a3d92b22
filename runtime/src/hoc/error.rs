//! Errors of the HOC VM. A run-time error carries its message, where it
//! happened (file and span) and the HOC call stack, and renders through the
//! one diagnostics module.

use nerve_compiler::diagnostics::{render, SourceFile};
use nerve_compiler::hoc::ast::Span;
use std::rc::Rc;

/// A location in a source file.
#[derive(Clone, Debug)]
pub struct Location {
    /// The file.
    pub file: Rc<SourceFile>,
    /// The byte span.
    pub span: Span,
}

/// What stopped execution.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    /// A syntax error.
    Syntax,
    /// An error while running.
    Runtime,
    /// `quit()` was called (not an error; unwinds to the top).
    Quit(i32),
    /// The user interrupted (Ctrl-C).
    Interrupted,
    /// `stop` was executed.
    Stop,
}

/// An error of the HOC VM.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct HocError {
    /// What kind.
    pub kind: ErrorKind,
    /// The message.
    pub message: String,
    /// Where, once known.
    pub location: Option<Location>,
    /// The HOC call stack, innermost first ("proc f() at file:line").
    pub stack: Vec<String>,
    /// True for a syntax error at the end of input: more input may complete it.
    pub incomplete: bool,
}

impl HocError {
    /// A run-time error with a message.
    pub fn msg(message: impl Into<String>) -> HocError {
        HocError {
            kind: ErrorKind::Runtime,
            message: message.into(),
            location: None,
            stack: Vec::new(),
            incomplete: false,
        }
    }

    /// A syntax error.
    pub fn syntax(message: impl Into<String>, location: Location, incomplete: bool) -> HocError {
        HocError {
            kind: ErrorKind::Syntax,
            message: message.into(),
            location: Some(location),
            stack: Vec::new(),
            incomplete,
        }
    }

    /// The unwinding that `quit()` starts.
    pub fn quit(code: i32) -> HocError {
        HocError {
            kind: ErrorKind::Quit(code),
            ..HocError::msg("quit")
        }
    }

    /// Adds a location if none is known yet.
    pub fn at(mut self, file: &Rc<SourceFile>, span: Span) -> HocError {
        if self.location.is_none() && matches!(self.kind, ErrorKind::Runtime | ErrorKind::Syntax) {
            self.location = Some(Location {
                file: file.clone(),
                span,
            });
        }
        self
    }

    /// Whether this is a real error (not quit, stop or interrupt).
    pub fn is_error(&self) -> bool {
        matches!(self.kind, ErrorKind::Runtime | ErrorKind::Syntax)
    }

    /// The full text: message, location with caret, call stack.
    pub fn render(&self) -> String {
        let mut out = match &self.location {
            Some(loc) => render(&loc.file, loc.span.start, loc.span.end, &self.message),
            None => format!("error: {}", self.message),
        };
        for frame in &self.stack {
            out.push_str("\n  called from ");
            out.push_str(frame);
        }
        out
    }
}
