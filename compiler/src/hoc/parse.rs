//! The statement driver between the lexer and the lalrpop grammar.
//!
//! HOC is parsed and executed one top-level statement at a time, because a
//! statement changes how later ones parse (`create soma` makes `soma { ... }`
//! a section statement). The driver:
//! 1. cuts the token stream into top-level items at newlines outside braces
//!    and parentheses (an `else` on the next line continues the item);
//! 2. classifies names the host's symbol table knows as sections;
//! 3. collapses newline runs and drops newlines after `{`, before `}` and
//!    before `else`;
//! 4. parses, and where the parser fails on a token that could start a new
//!    statement, inserts a separator and parses again. That gives juxtaposed
//!    statements (`{ a=1 b=2 }`) the meaning NEURON's yacc grammar gives them.

use super::ast::{Ident, Span, Stmt};
use super::grammar::LineParser;
use super::lexer::{tokenize, LexError, Spanned, Tok};
use lalrpop_util::ParseError as LalrError;

/// Tells the driver which names are sections, as the live symbol table knows them.
pub trait SectionOracle {
    /// Whether `name` names a section here. `after_dot` is true for `obj.name`.
    fn is_section(&self, name: &str, after_dot: bool) -> bool;
}

/// An oracle that knows no sections.
pub struct NoSections;

impl SectionOracle for NoSections {
    fn is_section(&self, _: &str, _: bool) -> bool {
        false
    }
}

/// A syntax error with its byte span.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
    /// True when the input ended inside an open construct: more input may complete it.
    pub incomplete: bool,
}

/// One top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum TopItem {
    /// Statements to run now, in order.
    Stmts(Vec<Stmt>),
    /// `begintemplate Name`
    BeginTemplate(Ident),
    /// `endtemplate Name`
    EndTemplate(Ident),
}

/// Cuts a source text into top-level items and parses them one at a time.
pub struct Driver {
    toks: Vec<Spanned>,
    pos: usize,
    len: usize,
}

impl Driver {
    /// Tokenizes `src`. A lexical error is reported at once.
    pub fn new(src: &str) -> Result<Driver, SyntaxError> {
        let toks = tokenize(src).map_err(lex_error)?;
        Ok(Driver {
            toks,
            pos: 0,
            len: src.len(),
        })
    }

    /// Whether every item has been taken.
    pub fn at_end(&mut self) -> bool {
        while self.pos < self.toks.len() && matches!(self.toks[self.pos].1, Tok::Newline) {
            self.pos += 1;
        }
        self.pos >= self.toks.len()
    }

    /// Parses the next top-level item, classifying names with `oracle`.
    /// Returns `None` at the end of the text. After an error, the driver has
    /// skipped the erroneous item and can go on.
    pub fn next_item(
        &mut self,
        oracle: &dyn SectionOracle,
    ) -> Option<Result<TopItem, SyntaxError>> {
        if self.at_end() {
            return None;
        }
        let start = self.pos;
        let end = match self.item_end() {
            Ok(end) => end,
            Err(e) => {
                self.pos = self.toks.len();
                return Some(Err(e));
            }
        };
        self.pos = end;
        let chunk = &self.toks[start..end];
        Some(parse_chunk(chunk, oracle, self.len))
    }

    /// Index one past the end of the item starting at `self.pos`.
    fn item_end(&self) -> Result<usize, SyntaxError> {
        let mut depth: i64 = 0;
        let mut parens: i64 = 0;
        let mut i = self.pos;
        let mut open_at: Vec<usize> = Vec::new();
        while i < self.toks.len() {
            match &self.toks[i].1 {
                Tok::LBrace => {
                    depth += 1;
                    open_at.push(i);
                }
                Tok::RBrace => {
                    depth -= 1;
                    open_at.pop();
                    if depth < 0 {
                        // A stray '}' ends the item; the parser reports it.
                        return Ok(i + 1);
                    }
                }
                Tok::LParen | Tok::LBracket => parens += 1,
                Tok::RParen | Tok::RBracket => parens -= 1,
                Tok::Newline if depth == 0 => {
                    if parens > 0 {
                        // NEURON does not continue a line inside parentheses.
                        return Ok(i + 1);
                    }
                    // `}` newline `else`: the item goes on.
                    let mut j = i + 1;
                    while j < self.toks.len() && matches!(self.toks[j].1, Tok::Newline) {
                        j += 1;
                    }
                    if j < self.toks.len() && matches!(self.toks[j].1, Tok::Else) {
                        i = j;
                        continue;
                    }
                    return Ok(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        if depth > 0 {
            let at = open_at.first().copied().unwrap_or(self.pos);
            let (s, _, e) = self.toks[at];
            return Err(SyntaxError {
                message: "'{' is not closed before the end of the input".into(),
                span: Span::new(s, e),
                incomplete: true,
            });
        }
        Ok(i)
    }
}

/// Whether `src` ends inside an open brace or comment, so that a REPL should
/// read another line before running it.
pub fn needs_more_input(src: &str) -> bool {
    match tokenize(src) {
        Err(e) => matches!(e.kind, super::lexer::LexErrorKind::UnterminatedComment),
        Ok(toks) => {
            let mut depth = 0i64;
            for (_, t, _) in &toks {
                match t {
                    Tok::LBrace => depth += 1,
                    Tok::RBrace => depth -= 1,
                    _ => {}
                }
            }
            depth > 0
        }
    }
}

fn lex_error(e: LexError) -> SyntaxError {
    let incomplete = matches!(e.kind, super::lexer::LexErrorKind::UnterminatedComment);
    SyntaxError {
        message: e.kind.to_string(),
        span: Span::new(e.start, e.end),
        incomplete,
    }
}

/// Normalizes and classifies one item's tokens, handles template lines, and parses.
fn parse_chunk(
    chunk: &[Spanned],
    oracle: &dyn SectionOracle,
    len: usize,
) -> Result<TopItem, SyntaxError> {
    let mut toks: Vec<Spanned> = Vec::with_capacity(chunk.len());
    for (idx, (s, t, e)) in chunk.iter().enumerate() {
        match t {
            Tok::Newline => {
                let prev = toks.last().map(|t| &t.1);
                let next = chunk[idx + 1..]
                    .iter()
                    .map(|t| &t.1)
                    .find(|t| !matches!(t, Tok::Newline));
                let drop = matches!(prev, None | Some(Tok::Newline) | Some(Tok::LBrace))
                    || matches!(next, None | Some(Tok::RBrace) | Some(Tok::Else));
                if !drop {
                    toks.push((*s, Tok::Newline, *e));
                }
            }
            Tok::Name(n) => {
                let after_dot = matches!(toks.last().map(|t| &t.1), Some(Tok::Dot));
                if oracle.is_section(n, after_dot) {
                    toks.push((*s, Tok::SecName(n.clone()), *e));
                } else {
                    toks.push((*s, t.clone(), *e));
                }
            }
            _ => toks.push((*s, t.clone(), *e)),
        }
    }
    // begintemplate / endtemplate lines.
    if let Some((_, first, _)) = toks.first() {
        if matches!(first, Tok::BeginTemplate | Tok::EndTemplate) {
            let begin = matches!(first, Tok::BeginTemplate);
            return match toks.get(1) {
                Some((s, Tok::Name(n) | Tok::SecName(n), e)) if toks.len() == 2 => {
                    let id = Ident {
                        name: n.clone(),
                        span: Span::new(*s, *e),
                    };
                    Ok(if begin {
                        TopItem::BeginTemplate(id)
                    } else {
                        TopItem::EndTemplate(id)
                    })
                }
                _ => {
                    let (s, _, e) = toks[0];
                    Err(SyntaxError {
                        message: format!(
                            "{} needs exactly one template name",
                            if begin {
                                "begintemplate"
                            } else {
                                "endtemplate"
                            }
                        ),
                        span: Span::new(s, e),
                        incomplete: false,
                    })
                }
            };
        }
    }
    // A name after a dot may be a section of some object (`cell.soma`,
    // `sr.parent`) or an ordinary member of another (`node.parent = x`): if
    // the line does not parse with it as a section, try it as a name.
    let after_dot_sections: Vec<usize> = (1..toks.len())
        .filter(|&i| matches!(toks[i - 1].1, Tok::Dot) && matches!(toks[i].1, Tok::SecName(_)))
        .collect();
    match parse_with_separators(toks.clone(), len) {
        Ok(v) => Ok(TopItem::Stmts(v)),
        Err(e) if after_dot_sections.is_empty() => Err(e),
        Err(e) => {
            for &i in &after_dot_sections {
                if let Tok::SecName(n) = &toks[i].1 {
                    toks[i].1 = Tok::Name(n.clone());
                }
            }
            parse_with_separators(toks, len)
                .map(TopItem::Stmts)
                .map_err(|_| e)
        }
    }
}

/// Parses a token list as one line, inserting statement separators where the
/// parser stops at a token that can only begin a new statement.
pub fn parse_with_separators(mut toks: Vec<Spanned>, len: usize) -> Result<Vec<Stmt>, SyntaxError> {
    let parser = LineParser::new();
    loop {
        let err = match parser.parse(toks.iter().cloned()) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        match err {
            LalrError::UnrecognizedToken {
                token: (s, tok, e),
                expected,
            } => {
                let wants_sep = expected.iter().any(|x| x == "\"SEP\"");
                let idx = toks.iter().position(|t| t.0 == s && t.1 != Tok::Sep);
                if let (true, Some(i)) = (wants_sep, idx) {
                    if i > 0 && toks[i - 1].1 != Tok::Sep {
                        toks.insert(i, (s, Tok::Sep, s));
                        continue;
                    }
                }
                return Err(SyntaxError {
                    message: format!("syntax error: unexpected {tok}{}", expected_hint(&expected)),
                    span: Span::new(s, e),
                    incomplete: false,
                });
            }
            LalrError::UnrecognizedEof { location, expected } => {
                let at = toks.last().map(|t| t.2).unwrap_or(location).min(len);
                return Err(SyntaxError {
                    message: format!(
                        "syntax error: unexpected end of statement{}",
                        expected_hint(&expected)
                    ),
                    span: Span::new(at.saturating_sub(1), at),
                    incomplete: false,
                });
            }
            LalrError::InvalidToken { location } => {
                return Err(SyntaxError {
                    message: "syntax error: invalid token".into(),
                    span: Span::new(location, location + 1),
                    incomplete: false,
                })
            }
            LalrError::ExtraToken { token: (s, tok, e) } => {
                return Err(SyntaxError {
                    message: format!("syntax error: unexpected {tok}"),
                    span: Span::new(s, e),
                    incomplete: false,
                })
            }
            LalrError::User { error } => return Err(lex_error(error)),
        }
    }
}

/// A short "expected" note, only when the list is short enough to help.
fn expected_hint(expected: &[String]) -> String {
    let shown: Vec<&str> = expected
        .iter()
        .map(|s| s.as_str())
        .filter(|s| *s != "\"SEP\"" && *s != "\"NL\"")
        .collect();
    if shown.is_empty() || shown.len() > 6 {
        String::new()
    } else {
        format!("; expected {}", shown.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::*;
    use super::*;

    struct Secs(&'static [&'static str]);
    impl SectionOracle for Secs {
        fn is_section(&self, name: &str, _: bool) -> bool {
            self.0.contains(&name)
        }
    }

    fn items(src: &str) -> Vec<Vec<Stmt>> {
        let mut d = Driver::new(src).unwrap();
        let mut out = vec![];
        while let Some(it) = d.next_item(&Secs(&["soma", "dend"])) {
            match it.unwrap() {
                TopItem::Stmts(s) => out.push(s),
                other => panic!("unexpected {other:?}"),
            }
        }
        out
    }

    fn block_len(s: &Stmt) -> usize {
        match &s.kind {
            StmtKind::Block(v) => v.len(),
            other => panic!("not a block: {other:?}"),
        }
    }

    #[test]
    fn juxtaposed_statements_split() {
        let it = items("{ a=1 b=2 c = a -1 }\n");
        assert_eq!(it.len(), 1);
        assert_eq!(block_len(&it[0][0]), 3);
    }

    #[test]
    fn return_takes_expression() {
        let it = items("func f() { if ($1 >= 0) return int($1 + 0.5)  return -int(-$1 + 0.5) }\n");
        let StmtKind::Define { body, .. } = &it[0][0].kind else {
            panic!()
        };
        assert_eq!(block_len(body), 2);
    }

    #[test]
    fn short_for_and_sections() {
        let it =
            items("for i = 0, 2 for j = 0, 3 m[i][j] = 10*i + j\ndend[1] { L = 10 }\nsoma L = 3\n");
        assert_eq!(it.len(), 3);
        assert!(matches!(it[1][0].kind, StmtKind::WithSection { .. }));
        assert!(matches!(it[2][0].kind, StmtKind::WithSection { .. }));
    }

    #[test]
    fn multiline_items_and_else() {
        let it = items(
            "proc p() {\n  if (x) {\n  }\n  else {\n y = 1 }\n}\nx = 1\nif (x) { }\nelse { }\n",
        );
        assert_eq!(it.len(), 3);
    }

    #[test]
    fn errors_are_located() {
        let mut d = Driver::new("x = (1 + 2))\n").unwrap();
        let e = d.next_item(&NoSections).unwrap().unwrap_err();
        assert_eq!(e.span, Span::new(11, 12));
        let mut d = Driver::new("proc p() {\n x = 1\n").unwrap();
        let e = d.next_item(&NoSections).unwrap().unwrap_err();
        assert!(e.incomplete);
    }

    #[test]
    fn precedence() {
        let it = items("-2^2\n");
        let StmtKind::Expr(e) = &it[0][0].kind else {
            panic!()
        };
        assert!(matches!(e.kind, ExprKind::Unary(UnOp::Neg, _)));
    }
}
