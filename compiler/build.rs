//! Generates the HOC and NMODL parsers from `src/hoc/grammar.lalrpop` and
//! `src/nmodl/grammar.lalrpop`.
fn main() {
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .process()
        .expect("lalrpop failed to process the grammars");
}
