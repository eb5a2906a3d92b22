//! The NMODL parser driver: lexes, settles the two context-dependent
//! decisions `nocmodl` makes in its lexer, runs the lalrpop grammar, and
//! turns its failures into located errors with a clear message.

use super::ast::{NeuronStmt, NeuronStmtKind, Program, Span};
use super::grammar::ProgramParser;
use super::lexer::{tokenize, LexError, LexErrorKind, Spanned, Tok};
use crate::diagnostics::{render, SourceFile};
use lalrpop_util::ParseError as LalrError;

/// A user error in an NMODL file, with the byte span it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NmodlError {
    /// The text does not cut into tokens (bad character, unterminated
    /// COMMENT, VERBATIM or string).
    #[error("{kind}")]
    Lex {
        /// What went wrong.
        kind: LexErrorKind,
        /// Where.
        span: Span,
    },
    /// The tokens do not form NMODL.
    #[error("{message}")]
    Syntax {
        /// What is wrong, naming what was expected and what was found.
        message: String,
        /// Where.
        span: Span,
    },
}

impl NmodlError {
    /// The byte span the error is about.
    pub fn span(&self) -> Span {
        match self {
            NmodlError::Lex { span, .. } | NmodlError::Syntax { span, .. } => *span,
        }
    }

    /// Renders the error as `file:line:col`, the source line and a caret.
    pub fn render(&self, file: &SourceFile) -> String {
        let span = self.span();
        render(file, span.start, span.end, &self.to_string())
    }
}

impl From<LexError> for NmodlError {
    fn from(e: LexError) -> NmodlError {
        NmodlError::Lex {
            kind: e.kind,
            span: Span::new(e.start, e.end),
        }
    }
}

/// Parses a whole `.mod` file.
pub fn parse(file: &SourceFile) -> Result<Program, NmodlError> {
    parse_str(&file.text)
}

/// Parses NMODL source text (byte offsets in the tree and errors refer to `src`).
pub fn parse_str(src: &str) -> Result<Program, NmodlError> {
    parse_padded(src, 0)
}

/// Parses NMODL text that stands at byte `base` of a larger span space (a
/// file another one INCLUDEs): offsets in the tree and in errors are `base`
/// plus the offset in `text`.
pub fn parse_at(text: &str, base: usize) -> Result<Program, NmodlError> {
    // blanks before the text shift every token; the lexer skips them
    let mut padded = String::with_capacity(base + text.len());
    padded.extend(std::iter::repeat_n(' ', base));
    padded.push_str(text);
    parse_padded(&padded, base)
}

/// Parses `src`, whose first `base` bytes are padding.
fn parse_padded(src: &str, base: usize) -> Result<Program, NmodlError> {
    let mut toks = tokenize(src)?;
    mark_reactions(&mut toks);
    ProgramParser::new()
        .parse(src, toks.iter().cloned())
        .map_err(|e| syntax_error(e, &toks, src, base))
}

/// Re-tags each `~` inside a KINETIC block as a reaction: nocmodl's lexer
/// does the same with its `lexcontext`.
fn mark_reactions(toks: &mut [Spanned]) {
    let mut depth = 0usize;
    let mut pending = false;
    let mut kinetic_at: Option<usize> = None;
    for (_, t, _) in toks.iter_mut() {
        match t {
            Tok::Kinetic if kinetic_at.is_none() => pending = true,
            Tok::LBrace => {
                if pending {
                    kinetic_at = Some(depth);
                    pending = false;
                }
                depth += 1;
            }
            Tok::RBrace => {
                depth = depth.saturating_sub(1);
                if kinetic_at == Some(depth) {
                    kinetic_at = None;
                }
            }
            Tok::Tilde if kinetic_at.is_some() => *t = Tok::ReactTilde,
            _ => {}
        }
    }
}

/// Gives a `REPRESENTS` that directly follows a `USEION` to that ion, the
/// way nocmodl's yacc grammar (which shifts) reads it.
pub(crate) fn attach_represents(stmts: Vec<NeuronStmt>) -> Vec<NeuronStmt> {
    let mut out: Vec<NeuronStmt> = Vec::with_capacity(stmts.len());
    for s in stmts {
        if let NeuronStmtKind::Represents(id) = &s.kind {
            if let Some(NeuronStmt {
                kind: NeuronStmtKind::UseIon(u),
                span,
            }) = out.last_mut()
            {
                if u.represents.is_none() {
                    u.represents = Some(id.clone());
                    span.end = s.span.end;
                    continue;
                }
            }
        }
        out.push(s);
    }
    out
}

type GrammarError = LalrError<usize, Tok, LexError>;

fn syntax_error(e: GrammarError, toks: &[Spanned], src: &str, base: usize) -> NmodlError {
    match e {
        LalrError::User { error } => error.into(),
        LalrError::InvalidToken { location } => NmodlError::Syntax {
            message: "invalid token".into(),
            span: Span::new(location, location + 1),
        },
        LalrError::ExtraToken { token: (s, tok, e) } => NmodlError::Syntax {
            message: format!("unexpected {tok}"),
            span: Span::new(s, e),
        },
        LalrError::UnrecognizedEof { location, expected } => {
            if let Some((s, e)) = unclosed_brace(toks, toks.len()) {
                return NmodlError::Syntax {
                    message: "missing '}': this '{' is not closed before the end of the file"
                        .into(),
                    span: Span::new(s, e),
                };
            }
            let (span, after) = match toks.last() {
                Some((s, t, e)) => (Span::new(*s, *e), format!(" after {t}")),
                None => (Span::new(location.min(src.len()), src.len()), String::new()),
            };
            NmodlError::Syntax {
                message: format!(
                    "expected {}{after}, found the end of the file",
                    describe_expected(&expected)
                ),
                span,
            }
        }
        LalrError::UnrecognizedToken {
            token: (s, tok, e),
            expected,
        } => {
            let idx = toks.partition_point(|t| t.0 < s);
            let after = match idx.checked_sub(1).and_then(|i| toks.get(i)) {
                Some((_, prev, _)) => format!(" after {prev}"),
                None => String::new(),
            };
            let wants_close = expected.iter().any(|x| x == "\"}\"");
            if wants_close && starts_item(&tok) {
                if let Some((bs, _)) = unclosed_brace(toks, idx) {
                    let (line, col) = line_col(&src[base..], bs.saturating_sub(base));
                    return NmodlError::Syntax {
                        message: format!(
                            "unexpected {tok} inside a block: missing '}}' to close the '{{' at {line}:{col}"
                        ),
                        span: Span::new(s, e),
                    };
                }
            }
            NmodlError::Syntax {
                message: format!(
                    "expected {}{after}, found {tok}",
                    describe_expected(&expected)
                ),
                span: Span::new(s, e),
            }
        }
    }
}

/// 1-based line and column of a byte offset.
fn line_col(src: &str, at: usize) -> (usize, usize) {
    let before = src.get(..at).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0);
    (line, col + 1)
}

/// The outermost `{` among `toks[..upto]` that is still open there.
fn unclosed_brace(toks: &[Spanned], upto: usize) -> Option<(usize, usize)> {
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (s, t, e) in toks.iter().take(upto) {
        match t {
            Tok::LBrace => open.push((*s, *e)),
            Tok::RBrace => {
                open.pop();
            }
            _ => {}
        }
    }
    open.first().copied()
}

/// Whether a token can only begin a top-level item.
fn starts_item(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Title(_)
            | Tok::Neuron
            | Tok::Units
            | Tok::Parameter
            | Tok::Constant
            | Tok::Assigned
            | Tok::State
            | Tok::Independent
            | Tok::Breakpoint
            | Tok::Derivative
            | Tok::Kinetic
            | Tok::Linear
            | Tok::Nonlinear
            | Tok::Discrete
            | Tok::Procedure
            | Tok::Function
            | Tok::FunctionTable
            | Tok::NetReceive
            | Tok::Constructor
            | Tok::Destructor
            | Tok::Before
            | Tok::After
            | Tok::Define
            | Tok::Include
    )
}

const OPERATORS: &[&str] = &[
    "+", "-", "*", "/", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
];

/// Describes lalrpop's list of expected terminals in words, summarizing the
/// long lists (a statement, an expression, a block).
fn describe_expected(expected: &[String]) -> String {
    let names: Vec<&str> = expected.iter().map(|s| s.trim_matches('"')).collect();
    let has = |x: &str| names.contains(&x);
    let mut parts: Vec<String> = Vec::new();
    if has("NEURON") && has("PARAMETER") {
        parts.push("a block such as NEURON, PARAMETER, BREAKPOINT or PROCEDURE".into());
    } else if has("SOLVE") && has("while") {
        parts.push("a statement".into());
        if has("}") {
            parts.push("'}'".into());
        }
    } else if has("num") && has("name") && has("!") && has("(") {
        parts.push("an expression".into());
    } else if has("%") {
        // Only units take '%'.
        parts.push("')' to end the units".into());
    } else {
        let n_ops = names.iter().filter(|n| OPERATORS.contains(n)).count();
        let mut ops = false;
        for n in &names {
            if OPERATORS.contains(n) && n_ops >= 3 {
                ops = true;
                continue;
            }
            parts.push(match *n {
                "name" => "a name".into(),
                "num" => "a number".into(),
                "str" => "a string".into(),
                "prime" => "a derivative such as m'".into(),
                "~r" => "'~'".into(),
                "REPRESENTS" => "REPRESENTS".into(),
                other => format!("'{other}'"),
            });
        }
        if ops {
            parts.push("an operator".into());
        }
    }
    match parts.len() {
        0 => "something else".into(),
        1 => parts.remove(0),
        n if n > 7 => format!("{} or ...", parts[..6].join(", ")),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{} or {last}", parts.join(", "))
        }
    }
}
