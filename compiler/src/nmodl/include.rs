//! `INCLUDE "file"`: the items of another file, spliced where the INCLUDE
//! stands (nocmodl reads the file in place; it may INCLUDE others).
//!
//! The file is looked for as nocmodl 9.0.2 looks for it: an absolute path
//! as is; else in the folder of the file that INCLUDEs it, then in the
//! working directory, then in `..`, then in each folder of the
//! colon-separated `MODL_INCLUDE` environment variable.
//!
//! Every included file gets its own range of offsets after the including
//! ones, so spans in the spliced tree stay plain byte offsets and
//! [`Sources`] renders each diagnostic in the file it is about.

use super::ast::{ItemKind, Program, Span};
use super::diagnostic::{Diagnostic, Severity};
use super::parse::parse_at;
use crate::diagnostics::{render, SourceFile};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// How deep INCLUDEs may nest (nocmodl has no limit; a file that includes
/// itself would never end).
const MAX_DEPTH: usize = 16;

/// Reads the files INCLUDE names.
pub trait IncludeReader {
    /// The text of `path`; `Err(NotFound)` when there is no such file.
    fn read(&self, path: &Path) -> std::io::Result<String>;
    /// The value of the environment variable `name`.
    fn env(&self, name: &str) -> Option<String>;
}

/// The file system and the process environment.
pub struct FileSystem;

impl IncludeReader for FileSystem {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        let bytes = std::fs::read(path)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// The main file and the files it INCLUDEs, each at its offset in the span
/// space of the spliced tree.
pub struct Sources<'a> {
    main: &'a SourceFile,
    /// (first offset, file), by offset
    included: Vec<(usize, Rc<SourceFile>)>,
}

impl<'a> Sources<'a> {
    /// Just the main file.
    pub fn new(main: &'a SourceFile) -> Self {
        Sources {
            main,
            included: Vec::new(),
        }
    }

    /// The offset the next included file starts at.
    fn next_base(&self) -> usize {
        match self.included.last() {
            Some((base, f)) => base + f.text.len() + 1,
            None => self.main.text.len() + 1,
        }
    }

    /// The file holding offset `at`, and where it starts.
    fn locate(&self, at: usize) -> (&SourceFile, usize) {
        match self.included.iter().rev().find(|(base, _)| *base <= at) {
            Some((base, f)) => (f, *base),
            None => (self.main, 0),
        }
    }

    /// Renders `message` at `span`, in the file the span is in.
    pub fn render(&self, span: Span, message: &str) -> String {
        let (file, base) = self.locate(span.start);
        let end = span.end.max(span.start);
        render(file, span.start - base, end - base, message)
    }

    /// Renders a diagnostic (as [`Diagnostic::render`]) in its file.
    pub fn render_diagnostic(&self, d: &Diagnostic) -> String {
        let r = self.render(d.span, &d.message);
        match d.severity {
            Severity::Error => r,
            Severity::Warning => format!("warning{}", r.strip_prefix("error").unwrap_or(&r)),
        }
    }
}

/// Replaces every `INCLUDE` of `program` (the parse of `sources`' main
/// file) by the items of the file it names, recursively. Errors (a file
/// not found, unreadable, or that does not parse) are rendered.
pub fn expand(
    program: Program,
    sources: &mut Sources,
    reader: &dyn IncludeReader,
) -> Result<Program, Vec<String>> {
    let main = PathBuf::from(&sources.main.name);
    let mut errors = Vec::new();
    let items = splice(program, &main, 0, sources, reader, &mut errors);
    if errors.is_empty() {
        Ok(Program { items })
    } else {
        Err(errors)
    }
}

fn splice(
    program: Program,
    including: &Path,
    depth: usize,
    sources: &mut Sources,
    reader: &dyn IncludeReader,
    errors: &mut Vec<String>,
) -> Vec<super::ast::Item> {
    let mut out = Vec::with_capacity(program.items.len());
    for item in program.items {
        let ItemKind::Include(name) = &item.kind else {
            out.push(item);
            continue;
        };
        let keyword = Span::new(item.span.start, (item.span.start + 7).min(item.span.end));
        if depth >= MAX_DEPTH {
            errors.push(sources.render(
                keyword,
                &format!("INCLUDE \"{name}\": INCLUDEs nest more than {MAX_DEPTH} deep (does a file include itself?)"),
            ));
            continue;
        }
        let (path, text) = match find(name, including, reader) {
            Ok(found) => found,
            Err(msg) => {
                errors.push(sources.render(item.span, &msg));
                continue;
            }
        };
        let base = sources.next_base();
        let file = SourceFile::new(path.display().to_string(), text);
        sources.included.push((base, file.clone()));
        match parse_at(&file.text, base) {
            Ok(p) => out.extend(splice(p, &path, depth + 1, sources, reader, errors)),
            Err(e) => errors.push(sources.render(e.span(), &e.to_string())),
        }
    }
    out
}

/// The path and text of the file `name` INCLUDEd by `including`, searched
/// as nocmodl does; the error says where it looked.
fn find(
    name: &str,
    including: &Path,
    reader: &dyn IncludeReader,
) -> Result<(PathBuf, String), String> {
    let mut candidates = Vec::new();
    let file = Path::new(name);
    if file.is_absolute() {
        candidates.push(file.to_path_buf());
    } else {
        if let Some(dir) = including.parent().filter(|d| !d.as_os_str().is_empty()) {
            candidates.push(dir.join(file));
        }
        candidates.push(file.to_path_buf());
        candidates.push(Path::new("..").join(file));
        if let Some(dirs) = reader.env("MODL_INCLUDE") {
            for d in dirs.split(':').filter(|d| !d.is_empty()) {
                candidates.push(Path::new(d).join(file));
            }
        }
    }
    for c in &candidates {
        match reader.read(c) {
            Ok(text) => return Ok((c.clone(), text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot read INCLUDE file {}: {e}", c.display())),
        }
    }
    let tried: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
    Err(format!(
        "cannot find INCLUDE file \"{name}\" (looked for {})",
        tried.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nmodl::compile_source_with;

    /// Files by path, and `MODL_INCLUDE`.
    struct Files(Vec<(&'static str, &'static str)>, Option<&'static str>);

    impl IncludeReader for Files {
        fn read(&self, path: &Path) -> std::io::Result<String> {
            let p = path.display().to_string();
            match self.0.iter().find(|(name, _)| *name == p) {
                Some((_, text)) => Ok(text.to_string()),
                None => Err(std::io::ErrorKind::NotFound.into()),
            }
        }
        fn env(&self, name: &str) -> Option<String> {
            (name == "MODL_INCLUDE")
                .then(|| self.1.map(str::to_string))
                .flatten()
        }
    }

    const MAIN: &str = "NEURON { SUFFIX m RANGE x }\nASSIGNED { x }\n\
                        INCLUDE \"r.inc\"\nINITIAL { x = f() }\n";

    fn lower(files: Files) -> Result<crate::nmodl::ir::MechIr, String> {
        compile_source_with(&SourceFile::new("models/m.mod", MAIN), &files)
    }

    fn f_value(ir: &crate::nmodl::ir::MechIr) -> String {
        let f = ir.functions.iter().find(|f| f.name == "f").expect("f");
        format!("{:?}", f.body)
    }

    #[test]
    fn include_looks_beside_the_including_file_first() {
        let ir = lower(Files(
            vec![
                ("models/r.inc", "FUNCTION f() { f = 1 }"),
                ("r.inc", "FUNCTION f() { f = 2 }"),
            ],
            None,
        ))
        .unwrap();
        assert!(f_value(&ir).contains("Num(1.0)"), "{}", f_value(&ir));
    }

    #[test]
    fn include_then_looks_in_the_working_directory_its_parent_and_modl_include() {
        for (path, env) in [
            ("r.inc", None),
            ("../r.inc", None),
            ("/opt/b/r.inc", Some("/opt/a:/opt/b")),
        ] {
            let ir = lower(Files(vec![(path, "FUNCTION f() { f = 3 }")], env)).unwrap();
            assert!(f_value(&ir).contains("Num(3.0)"), "{path}");
        }
    }

    #[test]
    fn nested_includes_are_relative_to_the_file_that_includes_them() {
        let ir = lower(Files(
            vec![
                (
                    "models/r.inc",
                    "INCLUDE \"sub/g.inc\"\nFUNCTION f() { f = g() }",
                ),
                ("models/sub/g.inc", "FUNCTION g() { g = 4 }"),
            ],
            None,
        ))
        .unwrap();
        assert!(ir.functions.iter().any(|f| f.name == "g"));
    }

    #[test]
    fn a_missing_file_is_an_error_at_the_include() {
        let e = lower(Files(vec![], Some("/opt/a"))).unwrap_err();
        assert!(
            e.contains(
                "cannot find INCLUDE file \"r.inc\" (looked for models/r.inc, r.inc, ../r.inc, /opt/a/r.inc)"
            ),
            "{e}"
        );
        assert!(e.contains("models/m.mod:3:1"), "{e}");
    }

    #[test]
    fn errors_in_an_included_file_name_that_file_and_line() {
        // a syntax error
        let e = lower(Files(
            vec![("models/r.inc", ": rates\nFUNCTION f( { }")],
            None,
        ))
        .unwrap_err();
        assert!(e.contains("models/r.inc:2:"), "{e}");
        assert!(e.contains("2 | FUNCTION f( { }"), "{e}");
        // a check error: an undeclared name
        let e = lower(Files(
            vec![("models/r.inc", ": rates\n\nFUNCTION f() { f = nowhere }")],
            None,
        ))
        .unwrap_err();
        assert!(e.contains("nowhere"), "{e}");
        assert!(e.contains("models/r.inc:3:20"), "{e}");
        // the main file's own errors still point into it
        let e = compile_source_with(
            &SourceFile::new(
                "models/m.mod",
                "NEURON { SUFFIX m }\nINCLUDE \"r.inc\"\nINITIAL { y = 1 }\n",
            ),
            &Files(vec![("models/r.inc", "FUNCTION f() { f = 1 }")], None),
        )
        .unwrap_err();
        assert!(e.contains("models/m.mod:3:11"), "{e}");
    }

    #[test]
    fn a_file_that_includes_itself_stops() {
        let e = lower(Files(vec![("models/r.inc", "INCLUDE \"r.inc\"\n")], None)).unwrap_err();
        assert!(e.contains("INCLUDEs nest more than 16 deep"), "{e}");
        assert!(e.contains("models/r.inc:1:1"), "{e}");
    }
}
