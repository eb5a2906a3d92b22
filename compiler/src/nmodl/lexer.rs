//! The NMODL lexer: a `logos` tokenizer wrapped so that it yields the
//! `(start, Tok, end)` triples the lalrpop grammar consumes.
//!
//! NMODL is free form: newlines are white space, `:` and `?` start comments
//! that end at the line's end (a lone carriage return ends one too). Keywords are upper case (as in NEURON's
//! `nocmodl`; `if`, `else` and `while` may also be written in lower case).
//! Three constructs read raw lines, as `nocmodl` does: `TITLE` takes the rest
//! of its line, `COMMENT` skips every line up to one starting with
//! `ENDCOMMENT`, and `VERBATIM` keeps the lines up to `ENDVERBATIM` as text.
//! `REPRESENTS` takes an ontology id (`CHEBI:29101`, whose `:` is not a
//! comment). Units such as `(mA/cm2)` are ordinary tokens here; the grammar
//! reads them as a unit and keeps their source text.

use logos::Logos;
use std::fmt;

/// What went wrong while cutting the text into tokens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LexErrorKind {
    /// A character that starts no NMODL token.
    #[default]
    InvalidToken,
    /// A string literal without its closing quote on the same line.
    UnterminatedString,
    /// `COMMENT` without a line starting with `ENDCOMMENT`.
    UnterminatedComment,
    /// `VERBATIM` without a line starting with `ENDVERBATIM`.
    UnterminatedVerbatim,
    /// `REPRESENTS` not followed by an ontology id such as `CHEBI:29101`.
    BadOntologyId,
}

impl fmt::Display for LexErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LexErrorKind::InvalidToken => write!(f, "unexpected character"),
            LexErrorKind::UnterminatedString => {
                write!(f, "string literal is not terminated on its line")
            }
            LexErrorKind::UnterminatedComment => write!(
                f,
                "COMMENT is not terminated: no line starts with ENDCOMMENT"
            ),
            LexErrorKind::UnterminatedVerbatim => write!(
                f,
                "VERBATIM is not terminated: no line starts with ENDVERBATIM"
            ),
            LexErrorKind::BadOntologyId => write!(
                f,
                "expected an ontology id such as CHEBI:29101 or [CHEBI:29101] after REPRESENTS"
            ),
        }
    }
}

/// A lexical error with the byte span of the offending text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// What went wrong.
    pub kind: LexErrorKind,
    /// Byte offset of the start of the offending text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
}

/// A numeric literal: its value and its text as written (`1e-3`, `.5`).
#[derive(Debug, Clone, PartialEq)]
pub struct NumLit {
    /// The value.
    pub value: f64,
    /// The text as written; integers have neither `.` nor an exponent.
    pub text: String,
}

/// An NMODL token.
#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(error = LexErrorKind)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r"[:?][^\n\r]*", allow_greedy = true))]
pub enum Tok {
    /// A numeric literal (never signed: `-` is an operator).
    #[regex(r"[0-9]+", num)]
    #[regex(r"[0-9]+\.[0-9]*([eE][-+]?[0-9]+)?", num)]
    #[regex(r"\.[0-9]+([eE][-+]?[0-9]+)?", num)]
    #[regex(r"[0-9]+[eE][-+]?[0-9]+", num)]
    Num(NumLit),
    /// A string literal (no escapes, as in NMODL).
    #[regex(r#""[^"\n]*""#, |lex| { let s = lex.slice(); s[1..s.len() - 1].to_string() })]
    #[regex(r#""[^"\n]*"#, unterminated_str)]
    Str(String),
    /// A name that is not a keyword.
    #[regex(r"[A-Za-z][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    Name(String),
    /// A derivative: `m'` is `("m", 1)`, `m''` is `("m", 2)`.
    #[regex(r"[A-Za-z][A-Za-z0-9_]*'+", prime)]
    Prime((String, u32)),
    /// `TITLE` and the rest of its line, trimmed.
    #[token("TITLE", title)]
    Title(String),
    /// `VERBATIM` and the raw lines up to the `ENDVERBATIM` line.
    #[token("VERBATIM", verbatim)]
    Verbatim(String),
    /// A `COMMENT ... ENDCOMMENT` block; dropped by [`tokenize`].
    #[token("COMMENT", comment)]
    Comment,
    /// `REPRESENTS` and its ontology id.
    #[token("REPRESENTS", represents)]
    Represents(String),

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
    #[token("<->")]
    React,
    /// `~`: an equation (`~ a = b`) or, inside KINETIC, a reaction.
    #[token("~")]
    Tilde,
    /// `~+`: equation addition.
    #[token("~+")]
    TildePlus,
    /// A `~` inside a KINETIC block (set by the parser's pre-pass, never lexed).
    ReactTilde,
    #[token("@")]
    At,

    #[token("NEURON")]
    Neuron,
    #[token("SUFFIX")]
    Suffix,
    #[token("POINT_PROCESS")]
    PointProcess,
    #[token("ARTIFICIAL_CELL")]
    ArtificialCell,
    #[token("USEION")]
    UseIon,
    #[token("READ")]
    Read,
    #[token("WRITE")]
    Write,
    #[token("VALENCE")]
    #[token("CHARGE")]
    Valence,
    #[token("NONSPECIFIC_CURRENT")]
    Nonspecific,
    #[token("ELECTRODE_CURRENT")]
    ElectrodeCurrent,
    #[token("RANGE")]
    Range,
    #[token("GLOBAL")]
    Global,
    #[token("POINTER")]
    Pointer,
    #[token("BBCOREPOINTER")]
    BbcorePointer,
    #[token("EXTERNAL")]
    External,
    #[token("THREADSAFE")]
    Threadsafe,
    #[token("RANDOM")]
    Random,
    #[token("UNITS")]
    Units,
    #[token("UNITSON")]
    UnitsOn,
    #[token("UNITSOFF")]
    UnitsOff,
    #[token("PARAMETER")]
    Parameter,
    #[token("CONSTANT")]
    Constant,
    #[token("ASSIGNED")]
    Assigned,
    #[token("STATE")]
    State,
    #[token("INDEPENDENT")]
    Independent,
    #[token("SWEEP")]
    Sweep,
    #[token("START")]
    Start,
    #[token("INITIAL")]
    Initial,
    #[token("BREAKPOINT")]
    Breakpoint,
    #[token("DERIVATIVE")]
    Derivative,
    #[token("KINETIC")]
    Kinetic,
    #[token("LINEAR")]
    Linear,
    #[token("NONLINEAR")]
    Nonlinear,
    #[token("DISCRETE")]
    Discrete,
    #[token("PROCEDURE")]
    Procedure,
    #[token("FUNCTION")]
    Function,
    #[token("FUNCTION_TABLE")]
    FunctionTable,
    #[token("NET_RECEIVE")]
    NetReceive,
    #[token("CONSTRUCTOR")]
    Constructor,
    #[token("DESTRUCTOR")]
    Destructor,
    #[token("BEFORE")]
    Before,
    #[token("AFTER")]
    After,
    #[token("STEP")]
    Step,
    #[token("SOLVE")]
    Solve,
    #[token("METHOD")]
    Method,
    #[token("STEADYSTATE")]
    Steadystate,
    #[token("SOLVEFOR")]
    Solvefor,
    #[token("CONDUCTANCE")]
    Conductance,
    #[token("LOCAL")]
    Local,
    #[token("IF")]
    #[token("if")]
    If,
    #[token("ELSE")]
    #[token("else")]
    Else,
    #[token("WHILE")]
    #[token("while")]
    While,
    #[token("FROM")]
    From,
    #[token("TO")]
    To,
    #[token("BY")]
    By,
    #[token("WITH")]
    With,
    #[token("TABLE")]
    Table,
    #[token("DEPEND")]
    Depend,
    #[token("CONSERVE")]
    Conserve,
    #[token("COMPARTMENT")]
    Compartment,
    #[token("LONGITUDINAL_DIFFUSION")]
    LongDiffusion,
    #[token("WATCH")]
    Watch,
    #[token("FOR_NETCONS")]
    ForNetcons,
    #[token("PROTECT")]
    Protect,
    #[token("MUTEXLOCK")]
    MutexLock,
    #[token("MUTEXUNLOCK")]
    MutexUnlock,
    #[token("LAG")]
    Lag,
    #[token("DEFINE")]
    Define,
    #[token("INCLUDE")]
    Include,
}

fn num(lex: &mut logos::Lexer<Tok>) -> Result<NumLit, LexErrorKind> {
    let text = lex.slice();
    let value = text.parse().map_err(|_| LexErrorKind::InvalidToken)?;
    Ok(NumLit {
        value,
        text: text.to_string(),
    })
}

fn unterminated_str(_: &mut logos::Lexer<Tok>) -> Result<String, LexErrorKind> {
    Err(LexErrorKind::UnterminatedString)
}

fn prime(lex: &mut logos::Lexer<Tok>) -> (String, u32) {
    let s = lex.slice();
    let base = s.trim_end_matches('\'');
    (base.to_string(), (s.len() - base.len()) as u32)
}

/// Length of the rest of the current line of `rest`, without its newline.
/// A lone `\r` ends a line too: old Macintosh files (several on ModelDB)
/// use it alone, and nocmodl reads them.
fn line_len(rest: &str) -> usize {
    rest.find(['\n', '\r']).unwrap_or(rest.len())
}

fn title(lex: &mut logos::Lexer<Tok>) -> String {
    let rest = lex.remainder();
    let n = line_len(rest);
    lex.bump(n);
    rest[..n].trim().to_string()
}

/// Finds the first line of `rest` (the rest of the current line counts as
/// one) whose first word is `end`. Returns (offset of that line, offset past
/// the end of that line).
fn find_end_line(rest: &str, end: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    loop {
        let n = line_len(&rest[at..]);
        let line = &rest[at..at + n];
        let word: String = line
            .trim_start_matches([' ', '\t'])
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if word == end {
            return Some((at, at + n));
        }
        if at + n >= rest.len() {
            return None;
        }
        at += n + 1;
    }
}

fn verbatim(lex: &mut logos::Lexer<Tok>) -> Result<String, LexErrorKind> {
    let rest = lex.remainder();
    match find_end_line(rest, "ENDVERBATIM") {
        Some((body_end, past)) => {
            let mut text = &rest[..body_end];
            // The rest of the VERBATIM line, when blank, is not part of the text.
            let first = line_len(text);
            if text[..first].trim().is_empty() {
                text = &text[(first + 1).min(text.len())..];
            }
            let text = text.to_string();
            lex.bump(past);
            Ok(text)
        }
        None => Err(LexErrorKind::UnterminatedVerbatim),
    }
}

fn comment(lex: &mut logos::Lexer<Tok>) -> Result<(), LexErrorKind> {
    match find_end_line(lex.remainder(), "ENDCOMMENT") {
        Some((_, past)) => {
            lex.bump(past);
            Ok(())
        }
        None => Err(LexErrorKind::UnterminatedComment),
    }
}

fn represents(lex: &mut logos::Lexer<Tok>) -> Result<String, LexErrorKind> {
    let rest = lex.remainder();
    let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let body = &rest[lead..];
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let (bracketed, inner) = match body.strip_prefix('[') {
        Some(b) => (true, b),
        None => (false, body),
    };
    if !inner.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(LexErrorKind::BadOntologyId);
    }
    let name = inner.find(|c: char| !is_word(c)).unwrap_or(inner.len());
    let Some(after_colon) = inner[name..].strip_prefix(':') else {
        return Err(LexErrorKind::BadOntologyId);
    };
    let id = after_colon
        .find(|c: char| !is_word(c))
        .unwrap_or(after_colon.len());
    let mut len = name + 1 + id;
    if bracketed {
        if !inner[len..].starts_with(']') {
            return Err(LexErrorKind::BadOntologyId);
        }
        len += 2;
    }
    lex.bump(lead + len);
    Ok(body[..len].to_string())
}

/// A token with its byte span.
pub type Spanned = (usize, Tok, usize);

/// Tokenizes a whole source text; `COMMENT` blocks vanish.
pub fn tokenize(src: &str) -> Result<Vec<Spanned>, LexError> {
    let mut out = Vec::new();
    let mut lex = Tok::lexer(src);
    while let Some(tok) = lex.next() {
        let span = lex.span();
        match tok {
            Ok(Tok::Comment) => {}
            Ok(t) => out.push((span.start, t, span.end)),
            Err(kind) => {
                // Point at the keyword or the first character, not at
                // everything a callback may have looked at.
                let end = match kind {
                    LexErrorKind::UnterminatedComment
                    | LexErrorKind::UnterminatedVerbatim
                    | LexErrorKind::BadOntologyId
                    | LexErrorKind::UnterminatedString => {
                        let n = src[span.start..]
                            .find(|c: char| c.is_whitespace())
                            .unwrap_or(src.len() - span.start);
                        span.start + n.max(1)
                    }
                    LexErrorKind::InvalidToken => src[span.start..]
                        .chars()
                        .next()
                        .map(|c| span.start + c.len_utf8())
                        .unwrap_or(span.start),
                };
                return Err(LexError {
                    kind,
                    start: span.start,
                    end,
                });
            }
        }
    }
    Ok(out)
}

impl Tok {
    /// The source spelling of a keyword or punctuation token; `None` for
    /// tokens that carry text.
    pub fn spelling(&self) -> Option<&'static str> {
        use Tok::*;
        Some(match self {
            Num(_) | Str(_) | Name(_) | Prime(_) | Title(_) | Verbatim(_) | Comment
            | Represents(_) => return None,
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            Comma => ",",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            Caret => "^",
            Assign => "=",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            And => "&&",
            Or => "||",
            Not => "!",
            React => "<->",
            Tilde | ReactTilde => "~",
            TildePlus => "~+",
            At => "@",
            Neuron => "NEURON",
            Suffix => "SUFFIX",
            PointProcess => "POINT_PROCESS",
            ArtificialCell => "ARTIFICIAL_CELL",
            UseIon => "USEION",
            Read => "READ",
            Write => "WRITE",
            Valence => "VALENCE",
            Nonspecific => "NONSPECIFIC_CURRENT",
            ElectrodeCurrent => "ELECTRODE_CURRENT",
            Range => "RANGE",
            Global => "GLOBAL",
            Pointer => "POINTER",
            BbcorePointer => "BBCOREPOINTER",
            External => "EXTERNAL",
            Threadsafe => "THREADSAFE",
            Random => "RANDOM",
            Units => "UNITS",
            UnitsOn => "UNITSON",
            UnitsOff => "UNITSOFF",
            Parameter => "PARAMETER",
            Constant => "CONSTANT",
            Assigned => "ASSIGNED",
            State => "STATE",
            Independent => "INDEPENDENT",
            Sweep => "SWEEP",
            Start => "START",
            Initial => "INITIAL",
            Breakpoint => "BREAKPOINT",
            Derivative => "DERIVATIVE",
            Kinetic => "KINETIC",
            Linear => "LINEAR",
            Nonlinear => "NONLINEAR",
            Discrete => "DISCRETE",
            Procedure => "PROCEDURE",
            Function => "FUNCTION",
            FunctionTable => "FUNCTION_TABLE",
            NetReceive => "NET_RECEIVE",
            Constructor => "CONSTRUCTOR",
            Destructor => "DESTRUCTOR",
            Before => "BEFORE",
            After => "AFTER",
            Step => "STEP",
            Solve => "SOLVE",
            Method => "METHOD",
            Steadystate => "STEADYSTATE",
            Solvefor => "SOLVEFOR",
            Conductance => "CONDUCTANCE",
            Local => "LOCAL",
            If => "if",
            Else => "else",
            While => "while",
            From => "FROM",
            To => "TO",
            By => "BY",
            With => "WITH",
            Table => "TABLE",
            Depend => "DEPEND",
            Conserve => "CONSERVE",
            Compartment => "COMPARTMENT",
            LongDiffusion => "LONGITUDINAL_DIFFUSION",
            Watch => "WATCH",
            ForNetcons => "FOR_NETCONS",
            Protect => "PROTECT",
            MutexLock => "MUTEXLOCK",
            MutexUnlock => "MUTEXUNLOCK",
            Lag => "LAG",
            Define => "DEFINE",
            Include => "INCLUDE",
        })
    }

    /// Whether the token is a keyword (a word, not punctuation).
    pub fn is_keyword(&self) -> bool {
        self.spelling()
            .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_alphabetic()))
    }
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Num(n) => write!(f, "number {}", n.text),
            Tok::Str(s) => write!(f, "string \"{s}\""),
            Tok::Name(n) => write!(f, "name '{n}'"),
            Tok::Prime((n, k)) => write!(f, "derivative {n}{}", "'".repeat(*k as usize)),
            Tok::Title(_) => write!(f, "keyword 'TITLE'"),
            Tok::Verbatim(_) => write!(f, "VERBATIM block"),
            Tok::Comment => write!(f, "COMMENT block"),
            Tok::Represents(_) => write!(f, "keyword 'REPRESENTS'"),
            t if t.is_keyword() => write!(f, "keyword '{}'", t.spelling().unwrap_or("?")),
            t => write!(f, "'{}'", t.spelling().unwrap_or("?")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.1).collect()
    }

    fn n(text: &str, value: f64) -> Tok {
        Tok::Num(NumLit {
            value,
            text: text.into(),
        })
    }

    #[test]
    fn numbers_names_primes() {
        assert_eq!(
            toks("x_1 = .5 + 5. * 1e-3 : comment\n m'' 12"),
            vec![
                Tok::Name("x_1".into()),
                Tok::Assign,
                n(".5", 0.5),
                Tok::Plus,
                n("5.", 5.0),
                Tok::Star,
                n("1e-3", 1e-3),
                Tok::Prime(("m".into(), 2)),
                n("12", 12.0),
            ]
        );
    }

    #[test]
    fn comments_title_verbatim() {
        let src = "TITLE  my channel \nCOMMENT x\n junk { \n  ENDCOMMENT tail\n? q\nVERBATIM\n  return 0;\nENDVERBATIM\nSUFFIX";
        assert_eq!(
            toks(src),
            vec![
                Tok::Title("my channel".into()),
                Tok::Verbatim("  return 0;\n".into()),
                Tok::Suffix
            ]
        );
    }

    #[test]
    fn unterminated_blocks() {
        // lines ended by a lone carriage return
        let t = tokenize("COMMENT\rjunk\rENDCOMMENT\rSUFFIX").unwrap();
        assert_eq!(t.len(), 1, "{t:?}");
        let e = tokenize("NEURON {}\nCOMMENT\n stuff\n").unwrap_err();
        assert_eq!(e.kind, LexErrorKind::UnterminatedComment);
        assert_eq!((e.start, e.end), (10, 17));
        let e = tokenize("VERBATIM\nx").unwrap_err();
        assert_eq!(e.kind, LexErrorKind::UnterminatedVerbatim);
    }

    #[test]
    fn reaction_tokens_and_represents() {
        assert_eq!(
            toks("~ A <-> B a<-1 REPRESENTS CHEBI:29101 REPRESENTS [NCIT:C17145]"),
            vec![
                Tok::Tilde,
                Tok::Name("A".into()),
                Tok::React,
                Tok::Name("B".into()),
                Tok::Name("a".into()),
                Tok::Lt,
                Tok::Minus,
                n("1", 1.0),
                Tok::Represents("CHEBI:29101".into()),
                Tok::Represents("[NCIT:C17145]".into()),
            ]
        );
        assert!(tokenize("REPRESENTS 12").is_err());
    }

    #[test]
    fn keywords_and_case() {
        assert_eq!(
            toks("IF if else ELSE NEURONS FROM"),
            vec![
                Tok::If,
                Tok::If,
                Tok::Else,
                Tok::Else,
                Tok::Name("NEURONS".into()),
                Tok::From
            ]
        );
    }
}
