//! nerve's own HOC library, compiled into the binary: `stdrun.hoc` (the
//! standard run system: `run`, `init`, `continuerun`, `tstop`, ...),
//! `nrngui.hoc`, `noload.hoc` and `stdlib.hoc`, so that legacy scripts'
//! `load_file("nrngui.hoc")` works without a NEURON installation.
//!
//! `load_file` falls back to these when no file of the name exists beside
//! the script or in `HOC_LIBRARY_PATH` (see `builtins::lang`).

/// The embedded library files, by the name scripts load them under.
const FILES: &[(&str, &str)] = &[
    ("stdrun.hoc", include_str!("../hoclib/stdrun.hoc")),
    ("nrngui.hoc", include_str!("../hoclib/nrngui.hoc")),
    ("noload.hoc", include_str!("../hoclib/noload.hoc")),
    ("stdlib.hoc", include_str!("../hoclib/stdlib.hoc")),
];

/// The source text of the embedded library file `name` (a bare file name
/// such as `"stdrun.hoc"`), if nerve has one.
pub fn embedded(name: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The names of every embedded library file.
pub fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_library_files() {
        for n in ["stdrun.hoc", "nrngui.hoc", "noload.hoc", "stdlib.hoc"] {
            assert!(embedded(n).is_some_and(|t| !t.is_empty()), "{n}");
        }
        assert!(embedded("nosuch.hoc").is_none());
        assert!(embedded("").is_none());
        assert_eq!(names().count(), FILES.len());
    }
}
