//! The HOC `StringFunctions` class: string utilities (NEURON's
//! `src/ivoc/strfun.cpp`).
//!
//! Lengths and positions count bytes, as C's `strlen` does. `head` and
//! `tail` take a POSIX extended regular expression (see [`regex`]) and, as
//! in NEURON, only look at the first line of the text; an invalid pattern
//! prints the regex library's message on stderr and gives -1.
//!
//! `alias` can only remove aliases (nerve's interpreter has no object
//! aliases yet); `references` reports references held by template
//! instances and Lists but cannot yet see top-level object variables.

mod regex;

use crate::list::{chkarg, new_list};
use nerve_runtime::hoc::symbols::Sym;
use nerve_runtime::hoc::value::{ClassKind, ObjectData};
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Value};
use std::collections::HashMap;
use std::rc::Rc;

pub use regex::{Regex, RegexError};

/// The payload of a `StringFunctions` object (it has no state).
#[derive(Debug, Default, Clone, Copy)]
pub struct StringFunctions;

/// Point-process classes, for `is_point_process` and `is_artificial`.
/// The simulator registers each point-process class here (per interpreter,
/// in `interp.ext::<PointProcessTypes>()`); other classes are not point
/// processes.
#[derive(Debug, Default, Clone)]
pub struct PointProcessTypes {
    types: HashMap<String, (i32, bool)>,
}

impl PointProcessTypes {
    /// Declares class `class` a point process with NEURON's point type
    /// number `type_id` (> 0), artificial (an `ARTIFICIAL_CELL`) or not.
    pub fn register(&mut self, class: &str, type_id: i32, artificial: bool) {
        self.types.insert(class.to_string(), (type_id, artificial));
    }

    /// The point type of a class and whether it is artificial, if it is a
    /// point process.
    pub fn get(&self, class: &str) -> Option<(i32, bool)> {
        self.types.get(class).copied()
    }
}

/// The words of HOC's grammar, which NEURON keeps in its symbol table (so
/// `is_name` finds them).
const KEYWORDS: &[&str] = &[
    "proc",
    "func",
    "obfunc",
    "return",
    "break",
    "continue",
    "stop",
    "if",
    "else",
    "while",
    "for",
    "print",
    "delete",
    "read",
    "debug",
    "double",
    "depvar",
    "eqn",
    "local",
    "localobj",
    "strdef",
    "help",
    "iterator",
    "iterator_statement",
    "create",
    "connect",
    "setpointer",
    "access",
    "insert",
    "uninsert",
    "forall",
    "ifsec",
    "forsec",
    "begintemplate",
    "endtemplate",
    "objectvar",
    "objref",
    "public",
    "external",
    "new",
];

/// NEURON's `imitate_multiline`: the first line of `text`, or "" when that
/// line holds a carriage return (NEURON's ECMAScript `^(.*)(\n|$)` then
/// fails to match).
fn first_line(text: &str) -> &str {
    let line = text.split('\n').next().unwrap_or("");
    if line.contains('\r') {
        ""
    } else {
        line
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Shared body of `head` (`want_head`) and `tail`.
fn head_tail(
    interp: &mut Interpreter,
    args: &mut Args,
    want_head: bool,
) -> Result<Value, HocError> {
    let text = args.str(0)?;
    let pattern = args.str(1)?;
    let out = args.str_ref(2)?;
    let line = first_line(&text).as_bytes();
    let mut pos = -1.0;
    let mut result = String::new();
    match Regex::new(&pattern) {
        Ok(re) => {
            if let Some((s, e)) = re.search(line) {
                if want_head {
                    pos = s as f64;
                    result = lossy(&line[..s]);
                } else {
                    pos = e as f64;
                    result = lossy(&line[e..]);
                }
            }
        }
        Err(RegexError(msg)) => {
            interp.flush();
            eprintln!("{msg}");
        }
    }
    *out.borrow_mut() = result;
    Ok(Value::Num(pos))
}

/// Shared body of `ltrim` (`left`) and `rtrim`.
fn trim(args: &mut Args, left: bool) -> Result<Value, HocError> {
    let s = args.str(0)?;
    let out = args.str_ref(1)?;
    let chars = if args.len() > 2 {
        args.str(2)?
    } else {
        " \r\n\t\x0c\x0b".to_string()
    };
    let set = chars.as_bytes();
    let b = s.as_bytes();
    let kept = if left {
        let start = b.iter().position(|c| !set.contains(c)).unwrap_or(b.len());
        &b[start..]
    } else {
        let end = b
            .iter()
            .rposition(|c| !set.contains(c))
            .map_or(0, |i| i + 1);
        &b[..end]
    };
    *out.borrow_mut() = lossy(kept);
    Ok(Value::Num(0.0))
}

/// Shared body of `left` (`keep_left`) and `right`: cuts the string
/// variable in argument 1 at byte `n`.
fn cut(args: &mut Args, keep_left: bool) -> Result<Value, HocError> {
    let s = args.str_ref(0)?;
    let text = s.borrow().clone();
    let n = chkarg(args, 1, 0.0, text.len() as f64)? as usize;
    let b = text.as_bytes();
    let n = n.min(b.len());
    let new = if keep_left { &b[..n] } else { &b[n..] };
    *s.borrow_mut() = lossy(new);
    Ok(Value::Num(1.0))
}

/// `is_name(name)`: whether `name` is in the symbol table.
fn is_name(interp: &Interpreter, name: &str) -> bool {
    // NEURON's symbol table also answers to the empty name.
    name.is_empty() || KEYWORDS.contains(&name) || interp.symbol_kind(name).is_some()
}

/// Appends to `out` the object-reference fields of `holder` (a template
/// instance) that point at `target`; returns how many.
fn template_refs(holder: &Obj, target: &Obj, out: &mut String) -> usize {
    let (ClassKind::Template(t), ObjectData::Template(fields)) = (&holder.class.kind, &holder.data)
    else {
        return 0;
    };
    let members = t.members.borrow();
    let Ok(fields) = fields.try_borrow() else {
        return 0;
    };
    let mut n = 0;
    for (m, f) in members.iter().zip(fields.iter()) {
        let Sym::Objs(arr) = f else { continue };
        let Ok(data) = arr.data.try_borrow() else {
            continue;
        };
        for (k, o) in data.iter().enumerate() {
            if o.as_ref().is_some_and(|o| Rc::ptr_eq(o, target)) {
                if arr.dims.is_empty() {
                    out.push_str(&format!("   {}.{}\n", holder.name(), m.name));
                } else {
                    out.push_str(&format!("   {}.{}[{k}]\n", holder.name(), m.name));
                }
                n += 1;
            }
        }
    }
    n
}

/// `references(obj)`: prints who refers to `obj` and returns how many.
fn references(interp: &mut Interpreter, args: &mut Args) -> Result<Value, HocError> {
    let Some(ob) = args.obj(0)? else {
        interp.write_out("NULLobject has 0 references\n")?;
        return Ok(Value::Num(0.0));
    };
    // The call holds two references (the evaluated argument and the
    // argument list) and a running proc's arguments hold more; NEURON counts
    // none of these. A temporary counts as one, as NEURON's temporary object
    // variables do.
    let in_args = interp
        .current_args()
        .iter()
        .filter(|v| matches!(v, Value::Obj(Some(o)) if Rc::ptr_eq(o, &ob)))
        .count();
    let count = Rc::strong_count(&ob).saturating_sub(2 + in_args).max(1);
    let mut out = format!("{} has {count} references\n", ob.name());
    let mut found = 0;
    for (name, dims, held) in interp.global_objrefs() {
        for (k, o) in held.iter().enumerate() {
            if o.as_ref().is_some_and(|o| Rc::ptr_eq(o, &ob)) {
                // Row-major subscripts of flat index k, e.g. `m[1][2]`.
                let mut rest = k;
                let mut subs = Vec::with_capacity(dims.len());
                for &d in dims.iter().rev() {
                    subs.push(rest % d.max(1));
                    rest /= d.max(1);
                }
                let subs: String = subs.iter().rev().map(|i| format!("[{i}]")).collect();
                out.push_str(&format!("   {name}{subs}\n"));
                found += 1;
            }
        }
    }
    for class in interp.classes() {
        if matches!(class.kind, ClassKind::Template(_)) {
            for holder in class.live() {
                found += template_refs(&holder, &ob, &mut out);
            }
        }
    }
    if let Some(lists) = interp.class("List") {
        for l in lists.live() {
            if Rc::ptr_eq(&l, &ob) {
                continue;
            }
            if let Some(k) = crate::list::owned_index(&l, &ob) {
                for i in k {
                    out.push_str(&format!("   {}.object({i})\n", l.name()));
                    found += 1;
                }
            }
        }
    }
    out.push_str(&format!("  found {found} of them\n"));
    interp.write_out(&out)?;
    Ok(Value::Num(found as f64))
}

/// The point type of `args[0]`'s class (0 if not a point process) and
/// whether it is artificial.
fn point_type(interp: &mut Interpreter, args: &Args) -> Result<(i32, bool), HocError> {
    let Some(ob) = args.obj(0)? else {
        return Ok((0, false));
    };
    Ok(interp
        .ext::<PointProcessTypes>()
        .get(&ob.class.name)
        .unwrap_or((0, false)))
}

/// Registers the `StringFunctions` class.
pub fn register(interp: &mut Interpreter) {
    ClassBuilder::<StringFunctions>::new("StringFunctions", |_, _| Ok(StringFunctions))
        .method("substr", |_, _, args| {
            let (s, t) = (args.str(0)?, args.str(1)?);
            let pos = find_bytes(s.as_bytes(), t.as_bytes());
            Ok(Value::Num(pos.map_or(-1.0, |p| p as f64)))
        })
        .method("len", |_, _, args| {
            Ok(Value::Num(args.str(0)?.len() as f64))
        })
        .method("head", |i, _, args| head_tail(i, args, true))
        .method("tail", |i, _, args| head_tail(i, args, false))
        .method("ltrim", |_, _, args| trim(args, true))
        .method("rtrim", |_, _, args| trim(args, false))
        .method("left", |_, _, args| cut(args, true))
        .method("right", |_, _, args| cut(args, false))
        .method("is_name", |i, _, args| {
            let name = args.str(0)?;
            Ok(Value::Num(if is_name(i, &name) { 1.0 } else { 0.0 }))
        })
        .method("alias", |_, _, args| {
            args.obj(0)?;
            if args.len() > 2 {
                return Err(HocError::msg(
                    "StringFunctions.alias: object aliases are not supported by nerve",
                ));
            }
            if args.len() == 2 {
                args.str(1)?;
            }
            Ok(Value::Num(0.0))
        })
        .method("alias_list", |i, _, args| {
            args.obj(0)?;
            let is_template = i
                .class("String")
                .is_some_and(|c| matches!(c.kind, ClassKind::Template(_)));
            if !is_template {
                return Err(HocError::msg("String is not a HOC template"));
            }
            Ok(Value::Obj(Some(new_list(i, Vec::new())?)))
        })
        .method("references", |i, _, args| references(i, args))
        .method("is_point_process", |i, _, args| {
            Ok(Value::Num(f64::from(point_type(i, args)?.0)))
        })
        .method("is_artificial", |i, _, args| {
            let (t, art) = point_type(i, args)?;
            Ok(Value::Num(if art { f64::from(t) } else { 0.0 }))
        })
        .register(interp);
}

/// C's `strstr`: the byte offset of the first occurrence of `needle`.
fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use crate::list::testutil::{run, run_err};

    #[test]
    fn conformance_snippets() {
        let (i, _) = run("objref sf\nstrdef s, t2\nsf = new StringFunctions()\n\
             s = \"the quick brown fox\"\nn1 = sf.len(s)\na = sf.substr(s, \"quick\")\n\
             b = sf.substr(s, \"zzz\")\nh = sf.head(s, \"brown\", t2)\nstrdef hs, ts\nhs = t2\n\
             tl = sf.tail(s, \"brown\", t2)\nts = t2\nt2 = s\n{sf.left(t2, 3)}\nstrdef l3\n\
             l3 = t2\nt2 = s\n{sf.right(t2, 4)}\nn5 = sf.is_name(\"s\")\nn6 = sf.is_name(\"sf\")\n\
             n7 = sf.is_name(\"nothing_here\")\nn8 = sf.is_name(\"if\")\n");
        assert_eq!(i.get_num("n1"), Some(19.0));
        assert_eq!(i.get_num("a"), Some(4.0));
        assert_eq!(i.get_num("b"), Some(-1.0));
        assert_eq!(i.get_num("h"), Some(10.0));
        assert_eq!(i.get_str("hs").as_deref(), Some("the quick "));
        assert_eq!(i.get_num("tl"), Some(15.0));
        assert_eq!(i.get_str("ts").as_deref(), Some(" fox"));
        assert_eq!(i.get_str("l3").as_deref(), Some("the"));
        assert_eq!(i.get_str("t2").as_deref(), Some("quick brown fox"));
        assert_eq!(i.get_num("n5"), Some(1.0));
        assert_eq!(i.get_num("n6"), Some(1.0));
        assert_eq!(i.get_num("n7"), Some(0.0));
        assert_eq!(i.get_num("n8"), Some(1.0));
    }

    #[test]
    fn head_tail_first_line_and_errors() {
        let (i, _) = run("objref sf\nstrdef r, r2\nsf = new StringFunctions()\n\
             a = sf.head(\"abc\\ndef\", \"d\", r)\nb = sf.tail(\"ab\\ncd\", \"\", r)\nr2 = r\n\
             c = sf.head(\"ab\\rcd\", \"c\", r)\nd = sf.head(\"abc\", \"(\", r)\n\
             e = sf.tail(\"abx\", \"a|ab\", r)\n");
        assert_eq!(i.get_num("a"), Some(-1.0));
        assert_eq!(i.get_num("b"), Some(0.0));
        assert_eq!(i.get_str("r2").as_deref(), Some("ab"));
        assert_eq!(i.get_num("c"), Some(-1.0));
        assert_eq!(i.get_num("d"), Some(-1.0));
        assert_eq!(i.get_num("e"), Some(2.0));
        assert_eq!(i.get_str("r").as_deref(), Some("x"));
    }

    #[test]
    fn trims() {
        let (i, _) = run("objref sf\nstrdef r, a, b\nsf = new StringFunctions()\n\
             {sf.ltrim(\"  \\t x y  \", r)}\na = r\n{sf.rtrim(\"  x y \\n \", r)}\nb = r\n\
             {sf.ltrim(\"xxabcxx\", r, \"x\")}\n");
        assert_eq!(i.get_str("a").as_deref(), Some("x y  "));
        assert_eq!(i.get_str("b").as_deref(), Some("  x y"));
        assert_eq!(i.get_str("r").as_deref(), Some("abcxx"));
    }

    #[test]
    fn references_and_misc() {
        let (_, out) = run(
            "objref sf, a, l, nil\nsf = new StringFunctions()\na = new List()\n\
             l = new List()\n{l.append(a)}\n{sf.references(nil)}\n\
             {sf.references(new List())}\nsf.is_point_process(a)\nsf.alias(a)\n",
        );
        assert_eq!(
            out,
            "NULLobject has 0 references\nList[2] has 1 references\n  found 0 of them\n\t0 \n\t0 \n"
        );
        let (_, out) = run("begintemplate T\npublic o\nobjref o, p[2]\nendtemplate T\n\
             objref sf, a, x\nsf = new StringFunctions()\na = new List()\nx = new T()\n\
             x.o = a\n{sf.references(a)}\n");
        assert_eq!(
            out,
            "List[0] has 2 references\n   a\n   T[0].o\n  found 2 of them\n"
        );
    }

    #[test]
    fn errors() {
        let (e, _) = run_err(
            "objref sf\nstrdef s\nsf = new StringFunctions()\ns = \"abc\"\nsf.left(s, 10)\n",
        );
        assert!(e.contains("Arg out of range"), "{e}");
        let (e, _) = run_err("objref sf\nsf = new StringFunctions()\nsf.alias_list(sf)\n");
        assert_eq!(e, "String is not a HOC template");
        let (e, _) = run_err("objref sf\nsf = new StringFunctions()\nsf.len(3)\n");
        assert!(e.contains("must be a string"), "{e}");
    }
}
