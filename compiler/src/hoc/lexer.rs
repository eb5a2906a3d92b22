//! The HOC lexer: a `logos` tokenizer wrapped so that it yields the
//! `(start, Tok, end)` triples the lalrpop grammar consumes.
//!
//! HOC is line oriented: newlines are tokens (statement separators), `//`
//! comments end at the newline, `/* */` comments may span lines, and a
//! backslash before a newline continues the line. Names are classified later
//! (see [`super::parse`]): the lexer only knows keywords.

use logos::Logos;
use std::fmt;

/// A lexical error, located by the byte span of the offending text.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LexErrorKind {
    /// A character that starts no HOC token.
    #[default]
    InvalidToken,
    /// A string literal without its closing quote.
    UnterminatedString,
    /// A `/*` comment without its closing `*/`.
    UnterminatedComment,
    /// A numeric literal that does not parse as a double.
    BadNumber,
}

impl fmt::Display for LexErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LexErrorKind::InvalidToken => write!(f, "unexpected character"),
            LexErrorKind::UnterminatedString => write!(f, "string literal is not terminated"),
            LexErrorKind::UnterminatedComment => write!(f, "comment /* is not terminated"),
            LexErrorKind::BadNumber => write!(f, "malformed number"),
        }
    }
}

/// A lexical error with its byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    /// What went wrong.
    pub kind: LexErrorKind,
    /// Byte offset of the start of the offending text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
}

/// Which kind of `$` argument reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DollarKind {
    /// `$1`: a number.
    Num,
    /// `$s1`: a string.
    Str,
    /// `$o1`: an object.
    Obj,
    /// `$&1`: a pointer to a double.
    Ptr,
}

/// The index of a `$` argument: a literal number or a local variable's name (`$i`).
#[derive(Debug, Clone, PartialEq)]
pub enum DollarIndex {
    /// `$3`
    Lit(usize),
    /// `$i`: the index is the value of `i`.
    Var(String),
}

/// A HOC token.
#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(error = LexErrorKind)]
#[logos(skip r"[ \t\r\f]+")]
#[logos(skip r"\\\r?\n")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
pub enum Tok {
    /// A numeric literal.
    #[regex(r"[0-9]+\.?[0-9]*([eE][-+]?[0-9]+)?", parse_num)]
    #[regex(r"\.[0-9]+([eE][-+]?[0-9]+)?", parse_num)]
    Num(f64),
    /// A string literal, escapes processed.
    #[regex(r#""([^"\\\n]|\\.|\\\n)*""#, parse_str)]
    #[regex(r#""([^"\\\n]|\\.|\\\n)*"#, unterminated_str)]
    Str(String),
    /// A name that is not a keyword. The driver may reclassify it as [`Tok::SecName`].
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    Name(String),
    /// A name the symbol table knows as a section (set by the driver, never by logos).
    SecName(String),
    /// `$1`, `$s2`, `$o3`, `$&1`, `$i`, ...
    #[regex(r"\$&?[so]?([0-9]+|[A-Za-z_][A-Za-z0-9_]*)", parse_dollar)]
    Dollar((DollarKind, DollarIndex)),

    /// A newline: ends a statement.
    #[token("\n")]
    #[regex(r"//[^\n]*\n", allow_greedy = true)]
    Newline,
    /// A block comment (dropped by [`tokenize`]); true if it spans lines.
    #[token("/*", block_comment)]
    BlockComment(bool),
    /// A separator the driver inserts between juxtaposed statements; never lexed.
    Sep,

    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token(":")]
    Colon,
    #[token(";")]
    Semi,
    #[token("&")]
    Amp,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("^")]
    Caret,
    #[token("=")]
    Assign,
    #[token("+=")]
    PlusAssign,
    #[token("-=")]
    MinusAssign,
    #[token("*=")]
    StarAssign,
    #[token("/=")]
    SlashAssign,
    #[token("==")]
    Eq,
    #[token("!=")]
    Ne,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("&&")]
    And,
    #[token("||")]
    Or,
    #[token("!")]
    Not,

    #[token("proc")]
    Proc,
    #[token("func")]
    Func,
    #[token("obfunc")]
    Obfunc,
    #[token("iterator")]
    Iterator,
    #[token("iterator_statement")]
    IteratorStatement,
    #[token("if")]
    If,
    #[token("else")]
    Else,
    #[token("while")]
    While,
    #[token("for")]
    For,
    #[token("break")]
    Break,
    #[token("continue")]
    Continue,
    #[token("return")]
    Return,
    #[token("stop")]
    Stop,
    #[token("local")]
    Local,
    #[token("localobj")]
    LocalObj,
    #[token("strdef")]
    Strdef,
    #[token("double")]
    Double,
    #[token("objref")]
    #[token("objectvar")]
    Objref,
    #[token("create")]
    Create,
    #[token("connect")]
    Connect,
    #[token("access")]
    Access,
    #[token("insert")]
    Insert,
    #[token("uninsert")]
    Uninsert,
    #[token("begintemplate")]
    BeginTemplate,
    #[token("endtemplate")]
    EndTemplate,
    #[token("public")]
    Public,
    #[token("external")]
    External,
    #[token("new")]
    New,
    #[token("forall")]
    Forall,
    #[token("forsec")]
    Forsec,
    #[token("ifsec")]
    Ifsec,
    #[token("print")]
    Print,
    #[token("setpointer")]
    Setpointer,
}

fn parse_num(lex: &mut logos::Lexer<Tok>) -> Result<f64, LexErrorKind> {
    lex.slice().parse().map_err(|_| LexErrorKind::BadNumber)
}

fn unterminated_str(_: &mut logos::Lexer<Tok>) -> Result<String, LexErrorKind> {
    Err(LexErrorKind::UnterminatedString)
}

fn parse_str(lex: &mut logos::Lexer<Tok>) -> String {
    let s = lex.slice();
    unescape(&s[1..s.len() - 1])
}

/// Processes C escapes in a HOC string literal (`\n`, `\t`, `\\`, `\"`, octal...).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // A backslash-newline inside a string keeps the newline.
            Some('\n') => out.push('\n'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('e') => out.push('\u{1b}'),
            Some(d @ '0'..='7') => {
                let mut v = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(x) => {
                            v = v * 8 + x;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('?'));
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn parse_dollar(lex: &mut logos::Lexer<Tok>) -> (DollarKind, DollarIndex) {
    let mut s = &lex.slice()[1..];
    let mut kind = DollarKind::Num;
    if let Some(rest) = s.strip_prefix('&') {
        kind = DollarKind::Ptr;
        s = rest;
    }
    // `$s1` / `$o1`, but `$si` is "string arg indexed by i" only if what follows
    // the letter is a digit or a name; `$s` alone would be the local `s`.
    if kind == DollarKind::Num && s.len() > 1 {
        if let Some(rest) = s.strip_prefix('s') {
            kind = DollarKind::Str;
            s = rest;
        } else if let Some(rest) = s.strip_prefix('o') {
            kind = DollarKind::Obj;
            s = rest;
        }
    }
    let index = match s.parse::<usize>() {
        Ok(n) => DollarIndex::Lit(n),
        Err(_) => DollarIndex::Var(s.to_string()),
    };
    (kind, index)
}

fn block_comment(lex: &mut logos::Lexer<Tok>) -> Result<bool, LexErrorKind> {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => {
            let spans_lines = rest[..end].contains('\n');
            lex.bump(end + 2);
            Ok(spans_lines)
        }
        None => {
            lex.bump(rest.len());
            Err(LexErrorKind::UnterminatedComment)
        }
    }
}

/// A token with its byte span.
pub type Spanned = (usize, Tok, usize);

/// Tokenizes a whole source text. Block comments that span lines become a
/// newline; others vanish.
pub fn tokenize(src: &str) -> Result<Vec<Spanned>, LexError> {
    let mut out = Vec::new();
    let mut lex = Tok::lexer(src);
    while let Some(tok) = lex.next() {
        let span = lex.span();
        match tok {
            // A block comment vanishes, even one spanning lines (as in NEURON).
            Ok(Tok::BlockComment(_)) => {}
            Ok(t) => out.push((span.start, t, span.end)),
            Err(kind) => {
                return Err(LexError {
                    kind,
                    start: span.start,
                    end: span.end,
                })
            }
        }
    }
    Ok(out)
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Tok::Num(n) => return write!(f, "number {n}"),
            Tok::Str(s) => return write!(f, "string \"{s}\""),
            Tok::Name(n) | Tok::SecName(n) => return write!(f, "'{n}'"),
            Tok::Dollar(_) => return write!(f, "$ argument"),
            Tok::Newline => return write!(f, "end of line"),
            Tok::Sep => return write!(f, "end of statement"),
            Tok::BlockComment(_) => return write!(f, "comment"),
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::Comma => ",",
            Tok::Dot => ".",
            Tok::Colon => ":",
            Tok::Semi => ";",
            Tok::Amp => "&",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::Percent => "%",
            Tok::Caret => "^",
            Tok::Assign => "=",
            Tok::PlusAssign => "+=",
            Tok::MinusAssign => "-=",
            Tok::StarAssign => "*=",
            Tok::SlashAssign => "/=",
            Tok::Eq => "==",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::And => "&&",
            Tok::Or => "||",
            Tok::Not => "!",
            Tok::Proc => "proc",
            Tok::Func => "func",
            Tok::Obfunc => "obfunc",
            Tok::Iterator => "iterator",
            Tok::IteratorStatement => "iterator_statement",
            Tok::If => "if",
            Tok::Else => "else",
            Tok::While => "while",
            Tok::For => "for",
            Tok::Break => "break",
            Tok::Continue => "continue",
            Tok::Return => "return",
            Tok::Stop => "stop",
            Tok::Local => "local",
            Tok::LocalObj => "localobj",
            Tok::Strdef => "strdef",
            Tok::Double => "double",
            Tok::Objref => "objref",
            Tok::Create => "create",
            Tok::Connect => "connect",
            Tok::Access => "access",
            Tok::Insert => "insert",
            Tok::Uninsert => "uninsert",
            Tok::BeginTemplate => "begintemplate",
            Tok::EndTemplate => "endtemplate",
            Tok::Public => "public",
            Tok::External => "external",
            Tok::New => "new",
            Tok::Forall => "forall",
            Tok::Forsec => "forsec",
            Tok::Ifsec => "ifsec",
            Tok::Print => "print",
            Tok::Setpointer => "setpointer",
        };
        write!(f, "'{text}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn numbers_and_names() {
        assert_eq!(
            toks("x = .5 + 5. * 1e-3 // c\n"),
            vec![
                Tok::Name("x".into()),
                Tok::Assign,
                Tok::Num(0.5),
                Tok::Plus,
                Tok::Num(5.0),
                Tok::Star,
                Tok::Num(1e-3),
                Tok::Newline
            ]
        );
    }

    #[test]
    fn dollars() {
        assert_eq!(
            toks("$1 $s2 $o3 $&4 $i $si"),
            vec![
                Tok::Dollar((DollarKind::Num, DollarIndex::Lit(1))),
                Tok::Dollar((DollarKind::Str, DollarIndex::Lit(2))),
                Tok::Dollar((DollarKind::Obj, DollarIndex::Lit(3))),
                Tok::Dollar((DollarKind::Ptr, DollarIndex::Lit(4))),
                Tok::Dollar((DollarKind::Num, DollarIndex::Var("i".into()))),
                Tok::Dollar((DollarKind::Str, DollarIndex::Var("i".into()))),
            ]
        );
    }

    #[test]
    fn strings_comments_continuation() {
        assert_eq!(
            toks("\"a\\tb\" /* x\n y */ a \\\n b"),
            vec![
                Tok::Str("a\tb".into()),
                Tok::Name("a".into()),
                Tok::Name("b".into())
            ]
        );
        assert!(tokenize("\"abc").is_err());
        assert!(tokenize("/* abc").is_err());
    }

    #[test]
    fn keywords() {
        assert_eq!(
            toks("objectvar proc procx"),
            vec![Tok::Objref, Tok::Proc, Tok::Name("procx".into())]
        );
    }
}
