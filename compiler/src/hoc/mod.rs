//! HOC syntax: lexer, syntax tree, grammar and the statement driver.
pub mod ast;
pub mod lexer;
pub mod parse;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused_parens, dead_code)]
    grammar,
    "/hoc/grammar.rs"
);
