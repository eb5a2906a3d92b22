//! Every kind of bad HOC input gives a clear diagnostic naming file, line
//! and column with the source line and a caret (and the call stack for
//! run-time errors), never a panic; and the interpreter stays usable.

use nerve::Interpreter;

fn interp() -> Interpreter {
    let mut i = Interpreter::with_output(Box::new(std::io::sink()));
    nerve::stdlib::install(&mut i);
    i
}

/// Runs `src` as file `t.hoc`, expects an error, returns its rendering.
fn error_of(src: &str) -> String {
    let mut i = interp();
    let e = i.run_source("t.hoc", src).expect_err("an error");
    let text = e.render();
    // The interpreter survives the error.
    i.run_source("after.hoc", "zz_after = 1\n")
        .expect("usable after an error");
    text
}

fn check(src: &str, message: &str, location: &str, caret_line: &str) {
    let r = error_of(src);
    assert!(r.contains(message), "message {message:?} not in:\n{r}");
    assert!(r.contains(location), "location {location:?} not in:\n{r}");
    assert!(
        r.lines().any(|l| l == caret_line),
        "caret line {caret_line:?} not in:\n{r}"
    );
}

#[test]
fn syntax_errors_point_at_the_token() {
    check(
        "x = 1\ny = (1 + 2))\n",
        "unexpected ')'",
        "t.hoc:2:12",
        "  |            ^",
    );
    check("if (1\n", "expected \")\"", "t.hoc:1:5", "  |     ^");
    check(
        "x = 3 @ 4\n",
        "unexpected character",
        "t.hoc:1:7",
        "  |       ^",
    );
    check(
        "s = \"abc\n",
        "string literal is not terminated",
        "t.hoc:1:5",
        "  |     ^^^^",
    );
}

#[test]
fn unclosed_brace_names_the_brace() {
    check(
        "proc p() {\n  x = 1\n",
        "'{' is not closed",
        "t.hoc:1:10",
        "  |          ^",
    );
}

#[test]
fn runtime_errors_have_location_and_call_stack() {
    let r = error_of("proc inner() { x = 1/$1 }\nproc outer() { inner(0) }\nouter()\n");
    assert!(r.contains("division by zero"), "{r}");
    assert!(r.contains("t.hoc:1:20"), "{r}");
    assert!(r.contains("called from inner() at t.hoc:2:16"), "{r}");
    assert!(r.contains("called from outer() at t.hoc:3:1"), "{r}");
}

#[test]
fn undefined_names_and_types() {
    check(
        "undefined_fn(3)\n",
        "undefined_fn is an undefined function",
        "t.hoc:1:1",
        "  | ^^^^^^^^^^^^^^^",
    );
    check(
        "a = b\n",
        "b is an undefined variable",
        "t.hoc:1:5",
        "  |     ^",
    );
    check(
        "strdef s\ns = 3\n",
        "cannot assign a number to s",
        "t.hoc:2:1",
        "  | ^^^^^",
    );
    check(
        "x = sqrt(\"a\")\n",
        "sqrt: argument 1 must be a number, not a string",
        "t.hoc:1:5",
        "  |     ^^^^^^^^^",
    );
    check(
        "objref o\no.size()\n",
        "NULLobject",
        "t.hoc:2:1",
        "  | ^^^^^^^^",
    );
    check(
        "new Foo()\n",
        "Foo is not a template",
        "t.hoc:1:1",
        "  | ^^^^^^^^^",
    );
}

#[test]
fn indices_out_of_range() {
    check(
        "double a[3]\na[5] = 1\n",
        "5 is out of range (size 3)",
        "t.hoc:2:1",
        "  | ^^^^^^^^",
    );
    check(
        "objref o[2]\no[3] = o[0]\n",
        "3 is out of range (size 2)",
        "t.hoc:2:1",
        "  | ^^^^^^^^^^^",
    );
}

#[test]
fn deep_recursion_is_an_error_not_a_crash() {
    // The test thread's stack is small; run on a big one as the binary does.
    let r = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(|| error_of("func r() { return r() }\nx = r()\n"))
        .expect("thread")
        .join()
        .expect("no panic");
    assert!(r.contains("recursion too deep"), "{r}");
}

#[test]
fn declarations_in_the_wrong_place() {
    check(
        "local x\n",
        "local declaration outside a proc",
        "t.hoc:1:1",
        "  | ^^^^^^^",
    );
    check(
        "print $1\n",
        "$ arguments are only defined inside a proc",
        "t.hoc:1:7",
        "  |       ^^",
    );
    check(
        "if (1) { proc p() { } }\n",
        "can only be defined at top level",
        "t.hoc:1:15",
        "  |               ^",
    );
    check(
        "begintemplate A\nendtemplate B\n",
        "endtemplate B does not match begintemplate A",
        "t.hoc:2:13",
        "  |             ^",
    );
}

#[test]
fn a_non_finite_voltage_stops_the_run_naming_time_and_section() {
    let r = error_of("create soma\n{finitialize()}\nsoma.v(0.5) = -log(0)\nfadvance()\n");
    assert!(r.contains("v is NaN at t=0.025 ms in soma("), "{r}");
    assert!(r.contains("t.hoc:4:1"), "{r}");
}
