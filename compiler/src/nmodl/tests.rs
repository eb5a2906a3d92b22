//! Tests of the NMODL front end over the files in `compiler/tests/nmodl/`:
//! `conformance/` (the shared conformance suite's mechanisms), `own/` (one
//! file per group of constructs) and `snapshots/` (canonical printed text;
//! regenerate with `NERVE_BLESS=1 cargo test -p nerve-compiler nmodl`).

use super::ast::*;
use super::*;
use crate::diagnostics::SourceFile;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/nmodl")
}

/// Every `.mod` test file, sorted.
fn mod_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in ["conformance", "own"] {
        let dir = data_dir().join(sub);
        for e in std::fs::read_dir(&dir).expect("test data directory") {
            let p = e.expect("directory entry").path();
            if p.extension().is_some_and(|x| x == "mod") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn load(p: &PathBuf) -> std::rc::Rc<SourceFile> {
    let name = p
        .strip_prefix(data_dir())
        .unwrap_or(p)
        .display()
        .to_string();
    SourceFile::new(name, std::fs::read_to_string(p).expect("readable"))
}

fn parse_ok(f: &SourceFile) -> Program {
    match parse(f) {
        Ok(p) => p,
        Err(e) => panic!("{}", e.render(f)),
    }
}

fn parse_text(src: &str) -> Program {
    parse_ok(&SourceFile::new("t.mod", src))
}

/// The tree's Debug text with every span blanked, to compare trees parsed
/// from different texts.
fn shape(p: &Program) -> String {
    let s = format!("{p:?}");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        out.push_str("Span");
        let tail = &rest[i..];
        let close = tail.find('}').map(|j| j + 1).unwrap_or(tail.len());
        rest = &tail[close..];
    }
    out.push_str(rest);
    out
}

/// The error a text gives, rendered.
fn error_of(src: &str) -> String {
    let f = SourceFile::new("bad.mod", src);
    match parse(&f) {
        Ok(p) => panic!("expected an error, parsed {p:?}"),
        Err(e) => e.render(&f),
    }
}

#[test]
fn every_file_parses() {
    let files = mod_files();
    assert!(files.len() >= 20, "test data missing: {files:?}");
    for p in &files {
        let prog = parse_ok(&load(p));
        assert!(!prog.items.is_empty(), "{}", p.display());
    }
}

#[test]
fn print_then_parse_gives_the_same_tree() {
    for p in mod_files() {
        let first = parse_ok(&load(&p));
        let text = first.to_string();
        let second = parse_ok(&SourceFile::new(
            format!("{} (printed)", p.display()),
            &*text,
        ));
        assert_eq!(shape(&first), shape(&second), "{}:\n{text}", p.display());
        assert_eq!(text, second.to_string(), "printing is not idempotent");
    }
}

#[test]
fn snapshots_of_printed_files() {
    let bless = std::env::var_os("NERVE_BLESS").is_some();
    for name in [
        "conformance/hhx.mod",
        "conformance/chan3.mod",
        "own/kinetic_full.mod",
        "own/netreceive_full.mod",
        "own/expressions.mod",
        "own/units_decls.mod",
    ] {
        let path = data_dir().join(name);
        let printed = parse_ok(&load(&path)).to_string();
        let file_name = name.replace('/', "_") + ".txt";
        let snap = data_dir().join("snapshots").join(file_name);
        if bless {
            std::fs::write(&snap, &printed).expect("write snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&snap)
            .unwrap_or_else(|_| panic!("missing {}; run with NERVE_BLESS=1", snap.display()));
        assert_eq!(printed, expected, "snapshot {} differs", snap.display());
    }
}

#[test]
fn precedence_follows_nocmodl() {
    let p = parse_text("FUNCTION f() { f = -x^2 + a*b^c^d - !e * g }");
    let ItemKind::Function(c) = &p.items[0].kind else {
        panic!()
    };
    let StmtKind::Assign { value, .. } = &c.body.stmts[0].kind else {
        panic!()
    };
    // ((-(x^2)) + (a*(b^(c^d)))) - ((!e)*g)
    let ExprKind::Binary(BinOp::Sub, l, r) = &value.kind else {
        panic!("{value:?}")
    };
    let ExprKind::Binary(BinOp::Add, neg, _) = &l.kind else {
        panic!()
    };
    let ExprKind::Unary(UnOp::Neg, pow) = &neg.kind else {
        panic!()
    };
    assert!(matches!(pow.kind, ExprKind::Binary(BinOp::Pow, _, _)));
    let ExprKind::Binary(BinOp::Mul, not, _) = &r.kind else {
        panic!()
    };
    assert!(matches!(not.kind, ExprKind::Unary(UnOp::Not, _)));
    assert_eq!(value.to_string(), "-x^2 + a*b^c^d - !e*g");
}

#[test]
fn units_numbers_and_primes() {
    let p = parse_text(
        "PARAMETER { el = -54.3 (mV) <-100, 1e9> k = 2e-4 (/mM-ms) }\n\
         DERIVATIVE s { m'' = (0.001)*x + 2 (mV) }",
    );
    let ItemKind::Parameter(ps) = &p.items[0].kind else {
        panic!()
    };
    let el = &ps[0];
    assert_eq!(el.value.as_ref().map(|n| n.value), Some(-54.3));
    assert_eq!(el.unit.as_ref().map(|u| u.text.as_str()), Some("mV"));
    let lim = el.limits.as_ref().expect("limits");
    assert_eq!((lim.low.value, lim.high.value), (-100.0, 1e9));
    assert_eq!(ps[1].unit.as_ref().map(|u| u.text.as_str()), Some("/mM-ms"));
    let ItemKind::Derivative(d) = &p.items[1].kind else {
        panic!()
    };
    let StmtKind::Assign { target, value, .. } = &d.body.stmts[0].kind else {
        panic!()
    };
    assert!(matches!(&target.kind, ExprKind::Prime { name, order: 2 } if name.name == "m"));
    let ExprKind::Binary(BinOp::Add, l, r) = &value.kind else {
        panic!()
    };
    let ExprKind::Binary(BinOp::Mul, paren, _) = &l.kind else {
        panic!()
    };
    assert!(matches!(paren.kind, ExprKind::Paren(_)));
    assert!(
        matches!(&r.kind, ExprKind::Num { num, unit: Some(u) } if num.value == 2.0 && u.text == "mV")
    );
}

#[test]
fn kinetic_reactions() {
    let p = parse_ok(&load(&data_dir().join("own/kinetic_full.mod")));
    let kin = p
        .items
        .iter()
        .find_map(|i| match &i.kind {
            ItemKind::Kinetic(k) => Some(k),
            _ => None,
        })
        .expect("KINETIC block");
    assert_eq!(kin.name.name, "state");
    assert_eq!(kin.solvefor.len(), 2);
    let kinds: Vec<&str> = kin
        .body
        .stmts
        .iter()
        .map(|s| match &s.kind {
            StmtKind::Compartment(_) => "compartment",
            StmtKind::LongDiffusion(_) => "diffusion",
            StmtKind::Reaction(Reaction::Reversible { .. }) => "<->",
            StmtKind::Reaction(Reaction::Influx { .. }) => "<<",
            StmtKind::Reaction(Reaction::Outflux { .. }) => "->",
            StmtKind::From { .. } => "from",
            StmtKind::Conserve { .. } => "conserve",
            StmtKind::Assign { .. } => "=",
            _ => "?",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "compartment",
            "compartment",
            "diffusion",
            "<->",
            "<->",
            "<<",
            "->",
            "from",
            "=",
            "from",
            "conserve",
            "=",
            "="
        ]
    );
    let StmtKind::Reaction(Reaction::Outflux { lhs, .. }) = &kin.body.stmts[6].kind else {
        panic!()
    };
    assert_eq!(lhs[0].coef.as_ref().map(|c| c.value), Some(2.0));
}

#[test]
fn neuron_block_and_represents() {
    let p = parse_ok(&load(&data_dir().join("own/neuron_block.mod")));
    let ItemKind::Neuron(v) = &p.items[0].kind else {
        panic!()
    };
    let ions: Vec<(String, Option<String>, Option<f64>)> = v
        .iter()
        .filter_map(|s| match &s.kind {
            NeuronStmtKind::UseIon(u) => Some((
                u.ion.name.clone(),
                u.represents.clone(),
                u.valence.as_ref().map(|n| n.value),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(ions[1], ("k".into(), Some("CHEBI:29103".into()), None));
    assert_eq!(ions[2], ("cl".into(), None, Some(-1.0)));
    assert_eq!(ions[3], ("ca".into(), None, Some(2.0)));
    assert_eq!(ions[4].1.as_deref(), Some("[NCIT:C17145]"));
    assert!(v
        .iter()
        .any(|s| matches!(&s.kind, NeuronStmtKind::Represents(r) if r == "NCIT:C17145")));
}

#[test]
fn verbatim_text_is_kept() {
    let p = parse_text("FUNCTION f() {\nVERBATIM\n  return 0;\nENDVERBATIM\n}\n");
    let ItemKind::Function(c) = &p.items[0].kind else {
        panic!()
    };
    assert_eq!(
        c.body.stmts[0].kind,
        StmtKind::Verbatim("  return 0;\n".into())
    );
}

#[test]
fn spans_point_at_source() {
    let src = "NEURON { SUFFIX abc }\nBREAKPOINT { x = foo(1) }\n";
    let p = parse_text(src);
    let ItemKind::Breakpoint(b) = &p.items[1].kind else {
        panic!()
    };
    let StmtKind::Assign { value, .. } = &b.stmts[0].kind else {
        panic!()
    };
    assert_eq!(&src[value.span.start..value.span.end], "foo(1)");
    assert_eq!(
        &src[p.items[1].span.start..p.items[1].span.end],
        &src[22..47]
    );
}

// ------------------------------------------------------------------ errors

#[test]
fn error_unterminated_comment() {
    assert_eq!(
        error_of("NEURON { SUFFIX a }\n  COMMENT\n never closed\n"),
        "error: COMMENT is not terminated: no line starts with ENDCOMMENT\n \
         --> bad.mod:2:3\n  |\n2 |   COMMENT\n  |   ^^^^^^^"
    );
}

#[test]
fn error_missing_brace_at_end() {
    assert_eq!(
        error_of("NEURON { SUFFIX a }\nINITIAL {\n  x = 1\n"),
        "error: missing '}': this '{' is not closed before the end of the file\n \
         --> bad.mod:2:9\n  |\n2 | INITIAL {\n  |         ^"
    );
}

#[test]
fn error_missing_brace_before_next_block() {
    assert_eq!(
        error_of("INITIAL {\n  x = 1\nBREAKPOINT { }\n"),
        "error: unexpected keyword 'BREAKPOINT' inside a block: missing '}' to close the '{' at 1:9\n \
         --> bad.mod:3:1\n  |\n3 | BREAKPOINT { }\n  | ^^^^^^^^^^"
    );
}

#[test]
fn error_bad_token() {
    assert_eq!(
        error_of("BREAKPOINT {\n  x = 1 $ 2\n}\n"),
        "error: unexpected character\n --> bad.mod:2:9\n  |\n2 |   x = 1 $ 2\n  |         ^"
    );
}

#[test]
fn error_unexpected_keyword() {
    assert_eq!(
        error_of("NEURON {\n    SUFFIX PARAMETER\n}\n"),
        "error: expected a name after keyword 'SUFFIX', found keyword 'PARAMETER'\n \
         --> bad.mod:2:12\n  |\n2 |     SUFFIX PARAMETER\n  |            ^^^^^^^^^"
    );
}

#[test]
fn error_expected_after() {
    assert_eq!(
        error_of("PROCEDURE p() {\n  x = (1 + 2\n}\n"),
        "error: expected ')' after number 2, found '}'\n \
         --> bad.mod:3:1\n  |\n3 | }\n  | ^"
    );
    assert_eq!(
        error_of("DERIVATIVE d {\n  SOLVE\n}\n"),
        "error: expected a name after keyword 'SOLVE', found '}'\n \
         --> bad.mod:3:1\n  |\n3 | }\n  | ^"
    );
    let e = error_of("BREAKPOINT { x = }");
    assert!(
        e.starts_with("error: expected an expression after '=', found '}'"),
        "{e}"
    );
    let e = error_of("KINETIC k { ~ A = B }");
    assert!(e.starts_with("error: expected "), "{e}");
    let e = error_of("PARAMETER { a = 1 (mV }");
    assert!(
        e.starts_with("error: expected ')' to end the units after name 'mV'"),
        "{e}"
    );
    let e = error_of("NEURON { SUFFIX a }\nfoo");
    assert!(
        e.starts_with("error: expected a block such as NEURON"),
        "{e}"
    );
}

// -------------------------------------------------------------------- fuzz

/// Every prefix (and a few mutilations) of every test file parses or fails
/// cleanly: the parser never panics.
#[test]
fn truncated_and_mutilated_inputs_never_panic() {
    for p in mod_files() {
        let text = std::fs::read_to_string(&p).expect("readable");
        let cuts: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &i in &cuts {
            let _ = parse_str(&text[..i]);
        }
        // Drop one byte-range in the middle, or one closing brace.
        for &i in cuts.iter().step_by(7) {
            let j = (i + 5).min(text.len());
            if text.is_char_boundary(j) {
                let mut s = text[..i].to_string();
                s.push_str(&text[j..]);
                let _ = parse_str(&s);
            }
        }
        for (i, _) in text.match_indices('}') {
            let mut s = text.clone();
            s.remove(i);
            let _ = parse_str(&s);
        }
    }
}

#[test]
fn printer_adds_parentheses_to_built_trees() {
    let sp = Span::default();
    let name = |n: &str| Expr {
        kind: ExprKind::Name(Ident {
            name: n.into(),
            span: sp,
        }),
        span: sp,
    };
    let bin = |op, a: Expr, b: Expr| Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span: sp,
    };
    let neg = |a: Expr| Expr {
        kind: ExprKind::Unary(UnOp::Neg, Box::new(a)),
        span: sp,
    };
    let sum = bin(BinOp::Add, name("a"), name("b"));
    assert_eq!(
        bin(BinOp::Mul, sum.clone(), name("c")).to_string(),
        "(a + b)*c"
    );
    assert_eq!(
        bin(BinOp::Sub, name("c"), sum.clone()).to_string(),
        "c - (a + b)"
    );
    assert_eq!(neg(sum.clone()).to_string(), "-(a + b)");
    assert_eq!(
        bin(BinOp::Pow, neg(name("a")), name("b")).to_string(),
        "(-a)^b"
    );
    let pow = bin(BinOp::Pow, name("a"), name("b"));
    assert_eq!(bin(BinOp::Pow, pow, name("c")).to_string(), "(a^b)^c");
}

#[test]
fn empty_and_odd_inputs() {
    assert_eq!(parse_str("").map(|p| p.items.len()), Ok(0));
    assert_eq!(
        parse_str(": only a comment\n").map(|p| p.items.len()),
        Ok(0)
    );
    assert!(parse_str("NEURON { SUFFIX é }").is_err());
    assert!(parse_str("DERIVATIVE d { ~ A <-> B (1, 2) }").is_err());
    assert!(parse_str("KINETIC k { ~ A <-> B (1, 2) }").is_ok());
}

/// Parses and round-trips every `.mod` file under `$NMODL_CORPUS` (e.g.
/// NEURON's own mechanisms) and lists the failures.
#[test]
#[ignore = "needs NMODL_CORPUS=/path/to/mod/files"]
fn external_corpus() {
    let Some(dir) = std::env::var_os("NMODL_CORPUS") else {
        return;
    };
    let mut failed = 0;
    let mut total = 0;
    for e in std::fs::read_dir(dir).expect("corpus directory") {
        let p = e.expect("entry").path();
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        total += 1;
        let f = SourceFile::new(p.display().to_string(), text);
        match parse(&f) {
            Err(e) => {
                failed += 1;
                println!("{}\n", e.render(&f));
            }
            Ok(prog) => {
                let printed = prog.to_string();
                match parse_str(&printed) {
                    Ok(again) if shape(&again) == shape(&prog) => {}
                    _ => {
                        failed += 1;
                        println!("{}: printing does not round-trip\n", f.name);
                    }
                }
            }
        }
    }
    println!("{failed} of {total} failed");
    assert_eq!(failed, 0);
}
