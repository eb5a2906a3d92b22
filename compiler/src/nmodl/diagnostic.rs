//! Diagnostics of the NMODL checks: an error or a warning with a span and a
//! message, rendered through the one diagnostics module.

use super::ast::Span;
use crate::diagnostics::{render, SourceFile};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The file cannot be compiled.
    Error,
    /// Compiles, but probably not what was meant.
    Warning,
}

/// A problem found by the symbol table or the checks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What it is about.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            span,
            message: message.into(),
        }
    }

    /// Whether it stops compilation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders as `file:line:col`, the source line and a caret.
    pub fn render(&self, file: &SourceFile) -> String {
        let r = render(file, self.span.start, self.span.end, &self.message);
        match self.severity {
            Severity::Error => r,
            Severity::Warning => format!("warning{}", r.strip_prefix("error").unwrap_or(&r)),
        }
    }
}
