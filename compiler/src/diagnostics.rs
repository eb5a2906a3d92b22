//! Source files and rendered diagnostics. Every user-facing error in nerve
//! (HOC, NMODL, run time) is rendered here: `file:line:col`, the source line
//! and a caret under the offending text.

use std::fmt::Write as _;
use std::rc::Rc;

/// A source text with its name, shared by the syntax trees made from it.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown in diagnostics (a path, or `-c` / `stdin`).
    pub name: String,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps a text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Rc<SourceFile> {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Rc::new(SourceFile {
            name: name.into(),
            text,
            line_starts,
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map(|e| e.saturating_sub(1))
            .unwrap_or(self.text.len());
        self.text.get(start..end.max(start)).unwrap_or("")
    }
}

/// Renders `message` at byte range `start..end` of `file`:
///
/// ```text
/// error: unexpected ')'
///  --> model.hoc:3:11
///   |
/// 3 | x = (1 + 2))
///   |           ^
/// ```
pub fn render(file: &SourceFile, start: usize, end: usize, message: &str) -> String {
    let (line, col) = file.line_col(start);
    let text = file.line_text(line);
    let (end_line, end_col) = file.line_col(end.max(start));
    let width = if end_line == line && end_col > col {
        end_col - col
    } else {
        1
    };
    let gutter = line.to_string().len();
    let mut out = String::new();
    let _ = writeln!(out, "error: {message}");
    let _ = writeln!(out, "{:gutter$}--> {}:{}:{}", "", file.name, line, col);
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{line} | {}", text.replace('\t', " "));
    let _ = write!(
        out,
        "{:gutter$} | {}{}",
        "",
        " ".repeat(col - 1),
        "^".repeat(width.min(text.chars().count().saturating_sub(col - 1).max(1)))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret() {
        let f = SourceFile::new("m.hoc", "a = 1\nx = (1 + 2))\n");
        let r = render(&f, 17, 18, "unexpected ')'");
        assert_eq!(
            r,
            "error: unexpected ')'\n --> m.hoc:2:12\n  |\n2 | x = (1 + 2))\n  |            ^"
        );
    }

    #[test]
    fn line_col_edges() {
        let f = SourceFile::new("m", "ab\ncd");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(99), (2, 3));
        assert_eq!(f.line_text(2), "cd");
        assert_eq!(f.line_text(7), "");
    }
}
