//! NMODL syntax: the front end that reads NEURON `.mod` files (lexer,
//! syntax tree, grammar, parser driver) and prints trees back as canonical
//! NMODL text, so that later passes can be tested text in, text out; then
//! symbols, checks and the lowering to the mechanism IR.
pub mod ast;
mod builtins;
pub mod check;
pub mod diagnostic;
pub mod include;
pub mod ir;
pub mod ir_print;
pub mod lexer;
pub mod lower;
pub mod parse;
pub mod print;
pub mod symbols;

pub use lower::{compile_source, compile_source_with, lower};
pub use parse::{parse, parse_at, parse_str, NmodlError};

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused_parens, dead_code)]
    grammar,
    "/nmodl/grammar.rs"
);

#[cfg(test)]
mod check_tests;
#[cfg(test)]
mod tests;
