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

/// What an error holds; [`HocError`] boxes it so that results stay small on
/// the interpreter's hot paths.
#[derive(Debug, Clone)]
pub struct ErrorData {
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

/// An error of the HOC VM.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.message)]
pub struct HocError(Box<ErrorData>);

impl std::ops::Deref for HocError {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for HocError {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

impl HocError {
    /// An error of a given kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> HocError {
        HocError(Box::new(ErrorData {
            kind,
            message: message.into(),
            location: None,
            stack: Vec::new(),
            incomplete: false,
        }))
    }

    /// A run-time error with a message.
    pub fn msg(message: impl Into<String>) -> HocError {
        HocError::new(ErrorKind::Runtime, message)
    }

    /// A syntax error.
    pub fn syntax(message: impl Into<String>, location: Location, incomplete: bool) -> HocError {
        let mut e = HocError::new(ErrorKind::Syntax, message);
        e.location = Some(location);
        e.incomplete = incomplete;
        e
    }

    /// The unwinding that `quit()` starts.
    pub fn quit(code: i32) -> HocError {
        HocError::new(ErrorKind::Quit(code), "quit")
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
