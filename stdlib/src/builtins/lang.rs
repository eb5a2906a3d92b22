//! Built-ins about the language and the session: arguments (`numarg`,
//! `argtype`), running text and files (`execute`, `execute1`, `load_file`,
//! `xopen`), names (`name_declared`, `object_id`), the process (`chdir`,
//! `getcwd`, `system`, `quit`), timing (`startsw`, `stopsw`), strings
//! (`strcmp`) and the session variables.

use nerve_runtime::hoc::symbols::Sym;
use nerve_runtime::hoc::template::MemberKind;
use nerve_runtime::hoc::value::ClassKind;
use nerve_runtime::hoc::{HocError, Interpreter, RangeKind, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

/// Files `load_file` has loaded (canonical paths), and the stopwatch.
#[derive(Default)]
pub struct Session {
    loaded: HashSet<PathBuf>,
    stopwatch: Option<Instant>,
}

/// Finds a HOC file the way `load_file` does: as given (relative to the
/// working directory), then in each folder of `HOC_LIBRARY_PATH`.
fn find_file(name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    if p.is_file() {
        return Some(p.to_path_buf());
    }
    if p.is_absolute() {
        return None;
    }
    let lib = std::env::var("HOC_LIBRARY_PATH").unwrap_or_default();
    lib.split([':', ' '])
        .filter(|d| !d.is_empty())
        .map(|d| Path::new(d).join(name))
        .find(|c| c.is_file())
}

/// Runs a file with the working directory changed to the file's own for
/// the duration, as NEURON's `load_file` does.
fn run_in_dir(interp: &mut Interpreter, path: &Path) -> Result<(), HocError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| HocError::msg(format!("cannot read {}: {e}", path.display())))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let saved = std::env::current_dir().ok();
    if let Some(d) = dir {
        std::env::set_current_dir(d)
            .map_err(|e| HocError::msg(format!("cannot change to {}: {e}", d.display())))?;
    }
    let name = path.display().to_string();
    let r = interp.run_source(&name, &text);
    if let (Some(_), Some(s)) = (dir, saved) {
        let _ = std::env::set_current_dir(s);
    }
    r
}

/// `load_file`'s last resort: nerve's own HOC library (`crate::hoclib`),
/// loaded once under the pseudo path `<nerve>/NAME` like any file (a
/// `$(NEURONHOME)/lib/hoc/` prefix on NAME is dropped).
fn load_embedded(interp: &mut Interpreter, name: &str, force: bool) -> Result<Value, HocError> {
    // Old scripts name NEURON's own copy: "$(NEURONHOME)/lib/hoc/stdrun.hoc".
    let name = name.strip_prefix("$(NEURONHOME)/lib/hoc/").unwrap_or(name);
    let Some(text) = crate::hoclib::embedded(name) else {
        interp.flush();
        eprintln!("nerve: load_file: cannot find {name}");
        return Ok(Value::Num(0.0));
    };
    let key = PathBuf::from(format!("<nerve>/{name}"));
    if !force && interp.ext::<Session>().loaded.contains(&key) {
        return Ok(Value::Num(1.0));
    }
    interp.ext::<Session>().loaded.insert(key.clone());
    interp.run_source(&key.display().to_string(), text)?;
    Ok(Value::Num(1.0))
}

/// HOC's keywords: `name_declared` reports them as declared (code 1).
const KEYWORDS: &[&str] = &[
    "proc",
    "func",
    "obfunc",
    "iterator",
    "iterator_statement",
    "if",
    "else",
    "while",
    "for",
    "break",
    "continue",
    "return",
    "stop",
    "local",
    "localobj",
    "strdef",
    "double",
    "objref",
    "objectvar",
    "create",
    "connect",
    "access",
    "insert",
    "uninsert",
    "begintemplate",
    "endtemplate",
    "public",
    "external",
    "new",
    "forall",
    "forsec",
    "ifsec",
    "print",
    "setpointer",
    "help",
    "depvar",
    "eqn",
];

/// The `name_declared` code of a symbol. `fine` is mode 2: arrays give 6
/// and integer variables 7 instead of 5.
fn sym_code(sym: &Sym, name: &str, fine: bool) -> f64 {
    match sym {
        Sym::Undef => 0.0,
        Sym::Objs(_) => 2.0,
        Sym::Str(_) => 4.0,
        Sym::Num(_) if fine && name == "secondorder" => 7.0,
        Sym::Sections(_) => 3.0,
        Sym::Range(r) if r.kind == RangeKind::Section => {
            if fine {
                8.0
            } else {
                5.0
            }
        }
        Sym::Range(r) if r.kind == RangeKind::Global => {
            if fine && name == "secondorder" {
                7.0
            } else {
                5.0
            }
        }
        Sym::Num(_) => 5.0,
        Sym::Array(_) if fine => 6.0,
        Sym::Array(_) => 5.0,
        _ => 1.0,
    }
}

/// NEURON's `name_declared(name, mode)`: 0 undeclared, 1 not a variable
/// (function, template, class, keyword), 2 objref, 4 strdef, 5 variable;
/// mode 1 looks in the current object's template; mode 2 refines 5.
fn declared_code(interp: &Interpreter, name: &str, mode: f64) -> f64 {
    if name.is_empty() || KEYWORDS.contains(&name) {
        return 1.0;
    }
    if mode == 1.0 {
        if let Some(o) = interp.current_object() {
            if let ClassKind::Template(t) = &o.class.kind {
                return match t.find(name).map(|i| t.members.borrow()[i].kind.clone()) {
                    Some(MemberKind::Data(sym)) => match sym {
                        Sym::Undef => 1.0,
                        sym => sym_code(&sym, name, false),
                    },
                    Some(MemberKind::Code(_)) => 1.0,
                    None if t.is_public(name) => 1.0,
                    // Built-ins and templates are visible inside objects too.
                    None => match interp.symbol_kind(name) {
                        Some(sym @ Sym::Class(_)) => sym_code(sym, name, false),
                        Some(sym) if interp.is_builtin(name) => sym_code(sym, name, false),
                        _ => 0.0,
                    },
                };
            }
        }
    }
    // inside a method, the object's own names come first (NEURON's
    // hoc_lookup searches the template's symbols before the top level)
    if let Some(o) = interp.current_object() {
        if let ClassKind::Template(t) = &o.class.kind {
            match t.find(name).map(|i| t.members.borrow()[i].kind.clone()) {
                Some(MemberKind::Data(sym)) => return sym_code(&sym, name, mode == 2.0),
                Some(MemberKind::Code(_)) => return 1.0,
                None if t.is_public(name) => return 0.0,
                None => {}
            }
        }
    }
    match interp.symbol_kind(name) {
        None => 0.0,
        Some(sym) => sym_code(sym, name, mode == 2.0),
    }
}

/// Registers the language and session built-ins.
pub fn register(interp: &mut Interpreter) {
    interp.register_var("hoc_ac_", 0.0);
    interp.register_var("clamp_resist", 1e-3);

    interp.register_fn("numarg", |i, a| {
        a.expect_count(0, 0)?;
        if !i.in_proc() {
            return Err(HocError::msg("numarg: not inside a proc or func"));
        }
        Ok(Value::Num(i.current_args().len() as f64))
    });
    interp.register_fn("argtype", |i, a| {
        a.expect_count(1, 1)?;
        let k = a.num(0)?;
        let args = i.current_args();
        if k < 1.0 || k as usize > args.len() {
            return Ok(Value::Num(-1.0));
        }
        Ok(Value::Num(match &args[k as usize - 1] {
            Value::Num(_) => 0.0,
            Value::Obj(_) => 1.0,
            Value::Str(_) => 2.0,
            Value::Ptr(_) => 3.0,
            Value::Void => -1.0,
        }))
    });
    interp.register_fn("quit", |i, a| {
        a.expect_count(0, 1)?;
        crate::flush_all(i);
        let code = a.num_or(0, 0.0)? as i32;
        Err(HocError::quit(code))
    });
    interp.register_fn("execute", |i, a| {
        a.expect_count(1, 2)?;
        let text = a.str(0)?;
        // execute runs the text inside braces: no echo, no definitions.
        let this = if a.is_obj(1) { a.obj(1)? } else { None };
        i.execute_in("execute", &format!("{{{text}\n}}\n"), this)?;
        Ok(Value::Num(0.0))
    });
    interp.register_fn("execute1", |i, a| {
        a.expect_count(1, 3)?;
        let text = a.str(0)?;
        // execute1(cmd, 0) or execute1(cmd, obj, 0) runs without an error message.
        let quiet = a
            .values()
            .iter()
            .skip(1)
            .any(|v| matches!(v, Value::Num(x) if *x == 0.0));
        let this = if a.is_obj(1) { a.obj(1)? } else { None };
        match i.execute_in("execute1", &format!("{text}\n"), this) {
            Ok(()) => Ok(Value::Num(1.0)),
            Err(e) if e.is_error() => {
                if !quiet {
                    i.flush();
                    eprintln!("nerve: {}", e.render());
                }
                Ok(Value::Num(0.0))
            }
            Err(e) => Err(e),
        }
    });
    interp.register_fn("load_file", |i, a| {
        a.expect_count(1, 2)?;
        let (force, name) = if a.is_num(0) {
            (a.num(0)? != 0.0, a.str(1)?)
        } else {
            (false, a.str(0)?)
        };
        if !a.is_num(0) && a.len() == 2 {
            // load_file("file", "symbol"): skip when symbol is already declared.
            let sym = a.str(1)?;
            if declared_code(i, &sym, 0.0) != 0.0 {
                return Ok(Value::Num(1.0));
            }
        }
        let Some(path) = find_file(&name) else {
            return load_embedded(i, &name, force);
        };
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !force && i.ext::<Session>().loaded.contains(&key) {
            return Ok(Value::Num(1.0));
        }
        i.ext::<Session>().loaded.insert(key);
        run_in_dir(i, &path)?;
        Ok(Value::Num(1.0))
    });
    interp.register_fn("xopen", |i, a| {
        a.expect_count(1, 2)?;
        let name = a.str(0)?;
        let text = std::fs::read_to_string(&name)
            .map_err(|e| HocError::msg(format!("xopen: cannot read {name}: {e}")))?;
        i.run_source(&name, &text)?;
        Ok(Value::Num(1.0))
    });
    interp.register_fn("name_declared", |i, a| {
        a.expect_count(1, 2)?;
        let name = a.str(0)?;
        let mode = a.num_or(1, 0.0)?;
        Ok(Value::Num(declared_code(i, &name, mode)))
    });
    interp.register_fn("chdir", |_, a| {
        a.expect_count(1, 1)?;
        let d = a.str(0)?;
        Ok(Value::Num(match std::env::set_current_dir(&d) {
            Ok(()) => 0.0,
            Err(_) => -1.0,
        }))
    });
    interp.register_fn("getcwd", |_, a| {
        a.expect_count(0, 0)?;
        let d = std::env::current_dir().map_err(|e| HocError::msg(format!("getcwd: {e}")))?;
        let mut s = d.display().to_string();
        if !s.ends_with('/') {
            s.push('/');
        }
        Ok(Value::str(s))
    });
    interp.register_fn("system", |i, a| {
        a.expect_count(1, 2)?;
        let cmd = a.str(0)?;
        i.flush();
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(&cmd);
        if a.len() > 1 {
            let dst = a.str_ref(1)?;
            let out = c
                .output()
                .map_err(|e| HocError::msg(format!("system: {e}")))?;
            *dst.borrow_mut() = String::from_utf8_lossy(&out.stdout).into_owned();
            return Ok(Value::Num(out.status.code().unwrap_or(-1) as f64));
        }
        let st = c
            .status()
            .map_err(|e| HocError::msg(format!("system: {e}")))?;
        Ok(Value::Num(st.code().unwrap_or(-1) as f64))
    });
    interp.register_fn("startsw", |i, _| {
        let now = Instant::now();
        i.ext::<Session>().stopwatch = Some(now);
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        Ok(Value::Num(since_epoch))
    });
    interp.register_fn("stopsw", |i, _| {
        let s = i.ext::<Session>();
        let el = s
            .stopwatch
            .map(|t| t.elapsed().as_secs_f64())
            .unwrap_or(0.0);
        s.stopwatch = Some(Instant::now());
        Ok(Value::Num(el))
    });
    interp.register_fn("strcmp", |_, a| {
        a.expect_count(2, 2)?;
        let (x, y) = (a.str(0)?, a.str(1)?);
        // As C's strcmp: the difference of the first differing bytes.
        let (x, y) = (x.as_bytes(), y.as_bytes());
        let n = x.len().max(y.len());
        let d = (0..n)
            .map(|k| i32::from(*x.get(k).unwrap_or(&0)) - i32::from(*y.get(k).unwrap_or(&0)))
            .find(|d| *d != 0)
            .unwrap_or(0);
        Ok(Value::Num(f64::from(d)))
    });
    interp.register_fn("object_id", |_, a| {
        a.expect_count(1, 2)?;
        let o = a.obj(0)?;
        let by_index = a.len() > 1 && a.num(1)? != 0.0;
        Ok(Value::Num(match o {
            None => {
                if by_index {
                    -1.0
                } else {
                    0.0
                }
            }
            Some(o) if by_index => o.index as f64,
            Some(o) => Rc::as_ptr(&o) as usize as f64,
        }))
    });
    interp.register_fn("object_push", |i, a| {
        a.expect_count(1, 1)?;
        let o = a.object(0)?;
        i.push_object(o);
        Ok(Value::Num(0.0))
    });
    interp.register_fn("object_pop", |i, a| {
        a.expect_count(0, 0)?;
        i.pop_object()?;
        Ok(Value::Num(0.0))
    });
    interp.register_fn("allobjects", |i, a| {
        a.expect_count(0, 2)?;
        let only = if a.is_str(0) { Some(a.str(0)?) } else { None };
        let mut text = String::new();
        for c in i.classes() {
            if only.as_deref().is_some_and(|n| n != &*c.name) {
                continue;
            }
            for o in c.live() {
                // One reference is the `live()` list's own.
                let refs = Rc::strong_count(&o) - 1;
                text.push_str(&format!("{} with {} refs\n", o.name(), refs));
            }
        }
        i.write_out(&text)?;
        Ok(Value::Num(0.0))
    });
    interp.register_fn("nrnversion", |_, a| {
        a.expect_count(0, 1)?;
        Ok(Value::str(format!(
            "NEURON -- VERSION 9.0.2 (nerve {})",
            env!("CARGO_PKG_VERSION")
        )))
    });
    for name in [
        "show_errmess_always",
        "coredump_on_error",
        "nrn_feenableexcept",
        "print_session",
    ] {
        interp.register_fn(name, |_, _| Ok(Value::Num(0.0)));
    }
}
