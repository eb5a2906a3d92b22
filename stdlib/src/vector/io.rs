//! Vector input and output: `printf` (to the interpreter's output or a
//! `File`), `scanf scantil` (numbers from a text `File`), `fwrite fread`
//! (raw binary) and `vwrite vread` (binary with a size and type header).
//!
//! NEURON prints `v.printf(...)` to the terminal with the {fmt} library's
//! `printf` (which accepts only floating conversions for a double, and
//! reports "invalid format specifier" otherwise) but to a `File` with C's
//! `fprintf`; both are reproduced here.
//!
//! The `File` class lives elsewhere: it plugs in with [`set_file_access`],
//! giving a way to reach its payload as a [`VectorFile`].

use super::{
    c_int, chkarg, int_range, opt_range, push, range_check, resize_vec, vector_data, Builder,
};
use nerve_runtime::cfmt;
use nerve_runtime::hoc::{Args, HocError, Interpreter, Obj, Value};
use std::cell::RefMut;

/// What Vector's file methods need from a HOC `File` object's payload.
pub trait VectorFile {
    /// Whether a file is open (NEURON's methods return 0 when it is not).
    fn is_open(&self) -> bool;
    /// Writes `bytes` at the current position; returns how many were
    /// written (C's `fwrite`).
    fn write_bytes(&mut self, bytes: &[u8]) -> Result<usize, HocError>;
    /// Reads up to `buf.len()` bytes; returns how many were read, fewer at
    /// the end of the file (C's `fread`).
    fn read_bytes(&mut self, buf: &mut [u8]) -> Result<usize, HocError>;
    /// NEURON's `hoc_scan`: the next number in the text, skipping words
    /// that are not numbers, then any whitespace after it; an error "EOF in
    /// fscan" at the end of the file.
    fn scan_number(&mut self) -> Result<f64, HocError>;
    /// NEURON's `OcFile::eof`: whether the next read would hit the end of
    /// the file (peeks one character).
    fn eof(&mut self) -> bool;
}

/// How to reach the [`VectorFile`] inside a `File` object, e.g.
/// `|o| Ok(RefMut::map(o.native_mut::<MyFile>()?, |f| f as &mut dyn VectorFile))`.
pub type FileAccess = for<'a> fn(&'a Obj) -> Result<RefMut<'a, dyn VectorFile>, HocError>;

/// The registered [`FileAccess`], per interpreter.
#[derive(Default)]
struct FileHook(Option<FileAccess>);

/// Lets Vector's file methods use `File` objects (called by the `File`
/// class when it registers).
pub fn set_file_access(interp: &mut Interpreter, access: FileAccess) {
    interp.ext::<FileHook>().0 = Some(access);
}

/// Argument `i` as a `File` object (NEURON's `check_obj_type(ob, "File")`).
fn file_obj(args: &Args, i: usize) -> Result<Obj, HocError> {
    match args.obj(i)? {
        Some(o) if o.is("File") => Ok(o),
        Some(o) => Err(HocError::msg(format!(
            "object type is {} instead of File",
            o.class.name
        ))),
        None => Err(HocError::msg("object type is nullptr instead of File")),
    }
}

/// The registered way into File payloads.
fn access(interp: &mut Interpreter, method: &str) -> Result<FileAccess, HocError> {
    interp.ext::<FileHook>().0.ok_or_else(|| {
        HocError::msg(format!(
            "Vector.{method}: File objects are not supported yet"
        ))
    })
}

/// Adds this module's methods.
pub(crate) fn methods(b: Builder) -> Builder {
    b.method("printf", printf)
        .method("scanf", scanf)
        .method("scantil", scantil)
        .method("fwrite", fwrite)
        .method("fread", fread)
        .method("vwrite", vwrite)
        .method("vread", vread)
}

// ------------------------------------------------------------------ printf

/// `printf([File,] [format,] [start, end])`: prints the elements, by
/// default `"%g\t"` with a newline after every 5 and at the end; returns
/// the number printed.
fn printf(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let d = vector_data(this)?;
    let x = d.borrow().clone();
    let mut next = 0;
    let mut file = None;
    let mut format = "%g\t".to_string();
    let mut extra_newline = true;
    if args.is_obj(next) {
        file = Some(file_obj(args, 0)?);
        format = "%g\n".into();
        next += 1;
    }
    if args.is_str(next) {
        format = args.str(next)?;
        next += 1;
        extra_newline = false;
    }
    let (start, count) = match opt_range(args, next, x.len())? {
        Some((s, e)) => (s, e - s + 1),
        None => (0, 0),
    };
    if let Some(f) = file {
        let get = access(interp, "printf")?;
        let mut text = String::new();
        for &v in x.iter().skip(start).take(count) {
            text.push_str(
                &cfmt::format_num(&format, v)
                    .map_err(|e| HocError::msg(format!("{}::printf: {e}", this.name())))?,
            );
        }
        text.push('\n');
        let mut fh = get(&f)?;
        if fh.is_open() {
            fh.write_bytes(text.as_bytes())?;
        }
    } else {
        let mut text = String::new();
        for (k, &v) in x.iter().skip(start).take(count).enumerate() {
            let s = fmt_printf(&format, v)
                .map_err(|e| HocError::msg(format!("{}::printf: {e}", this.name())))?;
            text.push_str(&s);
            if extra_newline && (k + 1) % 5 == 0 {
                text.push('\n');
            }
        }
        if extra_newline {
            text.push('\n');
        }
        interp.write_out(&text)?;
    }
    Ok(Value::Num(count as f64))
}

/// The conversion of a `{fmt}`-style printf format.
#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Formats one double as NEURON's `Printf(format, x)` does: the {fmt}
/// library's `printf`, with exactly one argument. Errors carry {fmt}'s
/// messages ("invalid format specifier", "argument not found", ...).
pub fn fmt_printf(format: &str, x: f64) -> Result<String, &'static str> {
    let format = format.split('\0').next().unwrap_or("");
    let b = format.as_bytes();
    let end = b.len();
    let mut out = String::new();
    let mut start = 0;
    let mut it = 0;
    // 0: automatic indexing not yet used; >0 next automatic id; -1 manual.
    let mut next_arg: i64 = 0;
    let mut get_arg = |index: i64| -> Result<(), &'static str> {
        let id = if index < 0 {
            if next_arg < 0 {
                return Err("cannot switch from manual to automatic argument indexing");
            }
            next_arg += 1;
            next_arg - 1
        } else {
            if next_arg > 0 {
                return Err("cannot switch from automatic to manual argument indexing");
            }
            next_arg = -1;
            index - 1
        };
        if id != 0 {
            return Err("argument not found");
        }
        Ok(())
    };
    while it < end {
        let Some(p) = b[it..].iter().position(|&c| c == b'%') else {
            break;
        };
        let pct = it + p;
        it = pct + 1;
        if it < end && b[it] == b'%' {
            out.push_str(&format[start..it]);
            it += 1;
            start = it;
            continue;
        }
        out.push_str(&format[start..pct]);
        let mut spec = Spec::default();
        let mut arg_index: i64 = -1;
        let mut header_done = false;
        let c = b.get(it).copied().unwrap_or(0);
        if c.is_ascii_digit() {
            let value = parse_int(b, &mut it, -1);
            if it < end && b[it] == b'$' {
                it += 1;
                arg_index = if value != -1 { value } else { i32::MAX as i64 };
            } else {
                if c == b'0' {
                    spec.zero = true;
                }
                if value != 0 {
                    if value == -1 {
                        return Err("number is too big");
                    }
                    spec.width = Some(value as usize);
                    header_done = true;
                }
            }
        }
        if !header_done {
            while it < end {
                match b[it] {
                    b'-' => spec.left = true,
                    b'+' => spec.plus = true,
                    b'0' => spec.zero = true,
                    b' ' => spec.space = true,
                    b'#' => spec.alt = true,
                    _ => break,
                }
                it += 1;
            }
            if it < end {
                if b[it].is_ascii_digit() {
                    let w = parse_int(b, &mut it, -1);
                    if w == -1 {
                        return Err("number is too big");
                    }
                    spec.width = Some(w as usize);
                } else if b[it] == b'*' {
                    get_arg(-1)?;
                    return Err("width is not integer");
                }
            }
        }
        if arg_index == 0 {
            return Err("argument not found");
        }
        if it < end && b[it] == b'.' {
            it += 1;
            let c = b.get(it).copied().unwrap_or(0);
            if c.is_ascii_digit() {
                spec.precision = Some(parse_int(b, &mut it, 0) as usize);
            } else if c == b'*' {
                get_arg(-1)?;
                return Err("precision is not integer");
            } else {
                spec.precision = Some(0);
            }
        }
        get_arg(arg_index)?;
        // Length modifiers (ignored for a double).
        let c = if it < end {
            it += 1;
            b[it - 1]
        } else {
            0
        };
        let t = b.get(it).copied().unwrap_or(0);
        match c {
            b'h' | b'l' => {
                if t == c {
                    it += 1;
                }
            }
            b'j' | b'z' | b't' | b'L' => {}
            _ => it -= 1,
        }
        if it == end {
            return Err("invalid format string");
        }
        let ty = b[it];
        it += 1;
        out.push_str(&format_double(&spec, ty, x)?);
        start = it;
    }
    out.push_str(&format[start..]);
    Ok(out)
}

/// {fmt}'s `parse_nonnegative_int`: `error` when the value exceeds `INT_MAX`.
fn parse_int(b: &[u8], it: &mut usize, error: i64) -> i64 {
    let mut value: u64 = 0;
    let begin = *it;
    while *it < b.len() && b[*it].is_ascii_digit() {
        value = value
            .saturating_mul(10)
            .saturating_add((b[*it] - b'0') as u64);
        *it += 1;
    }
    if *it - begin <= 10 && value <= i32::MAX as u64 {
        value as i64
    } else {
        error
    }
}

/// One floating conversion `e E f F g G a A` of {fmt}'s printf.
fn format_double(spec: &Spec, ty: u8, x: f64) -> Result<String, &'static str> {
    match ty {
        b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
            let mut c = String::from("%");
            if spec.left {
                c.push('-');
            }
            if spec.plus {
                c.push('+');
            } else if spec.space {
                c.push(' ');
            }
            if spec.alt {
                c.push('#');
            }
            if spec.zero && !spec.left {
                c.push('0');
            }
            if let Some(w) = spec.width {
                c.push_str(&w.to_string());
            }
            if let Some(p) = spec.precision {
                c.push('.');
                c.push_str(&p.to_string());
            }
            c.push(ty.to_ascii_lowercase() as char);
            let s = cfmt::format_num(&c, x).map_err(|_| "number is too big")?;
            Ok(if ty.is_ascii_uppercase() {
                s.to_ascii_uppercase()
            } else {
                s
            })
        }
        b'a' | b'A' => Ok(hexfloat(spec, ty == b'A', x)),
        _ => Err("invalid format specifier"),
    }
}

/// {fmt}'s `%a`: `0x1.8p+1`, subnormals and zero as `0x0.…p-1022`.
fn hexfloat(spec: &Spec, upper: bool, x: f64) -> String {
    let sign = if x.is_sign_negative() {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let body = if !x.is_finite() {
        let s = if x.is_nan() { "nan" } else { "inf" };
        if upper {
            s.to_uppercase()
        } else {
            s.to_string()
        }
    } else {
        let bits = x.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        let (mut f, e) = if biased == 0 {
            (frac, -1022i64)
        } else {
            (frac | (1u64 << 52), biased - 1023)
        };
        let mut print_xdigits: usize = 13;
        if let Some(p) = spec.precision {
            if p < print_xdigits {
                let shift = (print_xdigits - p - 1) * 4;
                let v = (f >> shift) & 0xF;
                if v >= 8 {
                    let inc = 1u64 << (shift + 4);
                    f += inc;
                    f &= !(inc - 1);
                }
                print_xdigits = p;
            }
        }
        let hex = format!("{f:014x}");
        let digits: Vec<u8> = hex.bytes().collect();
        let lead = digits.len() - 14;
        let mut n = print_xdigits;
        while n > 0 && digits[lead + n] == b'0' {
            n -= 1;
        }
        let mut s = String::from("0x");
        s.push_str(&hex[..lead + 1]);
        let prec = spec.precision.unwrap_or(0);
        if spec.alt || n > 0 || n < prec {
            s.push('.');
        }
        s.push_str(&hex[lead + 1..lead + 1 + n]);
        for _ in n..prec {
            s.push('0');
        }
        s.push('p');
        s.push_str(&format!("{}{}", if e < 0 { '-' } else { '+' }, e.abs()));
        if upper {
            s.to_uppercase()
        } else {
            s
        }
    };
    let len = sign.len() + body.len();
    let width = spec.width.unwrap_or(0);
    if len >= width {
        return format!("{sign}{body}");
    }
    let pad = width - len;
    if spec.left {
        format!("{sign}{body}{}", " ".repeat(pad))
    } else if spec.zero && x.is_finite() {
        format!("{sign}{}{body}", "0".repeat(pad))
    } else {
        format!("{}{sign}{body}", " ".repeat(pad))
    }
}

// ------------------------------------------------------------- text input

/// `scanf(File [, n])`, `scanf(File, column, ncolumns)`,
/// `scanf(File, n, column, ncolumns)`: reads numbers (from one column of
/// `ncolumns`) until `n` are read or the file ends; returns how many.
fn scanf(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let fo = file_obj(args, 0)?;
    let (mut n, mut c, mut nc) = (-1i64, 1i64, 1i64);
    if args.len() > 3 {
        n = c_int(args.num(1)?) as i64;
        c = c_int(args.num(2)?) as i64;
        nc = c_int(args.num(3)?) as i64;
    } else if args.len() > 2 {
        c = c_int(args.num(1)?) as i64;
        nc = c_int(args.num(2)?) as i64;
    } else if args.len() > 1 {
        n = c_int(args.num(1)?) as i64;
    }
    let get = access(interp, "scanf")?;
    let mut f = get(&fo)?;
    let d = vector_data(this)?;
    let mut x = d.borrow_mut();
    if n >= 0 {
        resize_vec(&mut x, n as usize)?;
    } else if !x.is_empty() {
        x.clear();
    }
    let mut i = 0i64;
    while (n < 0 || i < n) && !f.eof() {
        for _ in 1..c {
            if !f.eof() {
                f.scan_number()?;
            }
        }
        if !f.eof() {
            let v = f.scan_number()?;
            if n >= 0 {
                let k = range_check(this, "scanf", i, x.len())?;
                x[k] = v;
            } else {
                push(&mut x, v)?;
            }
        }
        for _ in c..nc {
            if !f.eof() {
                f.scan_number()?;
            }
        }
        i += 1;
    }
    if x.len() as i64 != i {
        resize_vec(&mut x, i as usize)?;
    }
    Ok(Value::Num(i as f64))
}

/// `scantil(File, til [, column, ncolumns])`: reads numbers until one
/// equals `til`; returns how many were stored.
fn scantil(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let fo = file_obj(args, 0)?;
    let d = vector_data(this)?;
    d.borrow_mut().clear();
    let til = args.num(1)?;
    let (mut c, mut nc) = (1i64, 1i64);
    if args.len() > 3 {
        c = c_int(args.num(2)?) as i64;
        nc = c_int(args.num(3)?) as i64;
    }
    let get = access(interp, "scantil")?;
    let mut f = get(&fo)?;
    let mut x = d.borrow_mut();
    let mut i = 0i64;
    loop {
        for _ in 1..c {
            if f.scan_number()? == til {
                return Ok(Value::Num(i as f64));
            }
        }
        let val = f.scan_number()?;
        if val == til {
            break;
        }
        push(&mut x, val)?;
        for _ in c..nc {
            f.scan_number()?;
        }
        i += 1;
    }
    Ok(Value::Num(i as f64))
}

// ------------------------------------------------------------- binary I/O

/// `fwrite(File [, start, end])`: the elements as native doubles; returns
/// how many were written.
fn fwrite(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let x = vector_data(this)?.borrow().clone();
    let (start, end) = if args.len() > 1 {
        int_range(args, 1, x.len())?
    } else {
        (0, x.len().wrapping_sub(1))
    };
    range_check(this, "fwrite", start as i64, x.len())?;
    let fo = file_obj(args, 0)?;
    let get = access(interp, "fwrite")?;
    let mut f = get(&fo)?;
    if !f.is_open() {
        return Ok(Value::Num(0.0));
    }
    let bytes: Vec<u8> = x[start..=end]
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    let written = f.write_bytes(&bytes)?;
    Ok(Value::Num((written / 8) as f64))
}

/// Reads exactly `n` bytes if possible; the rest of the buffer stays 0.
fn read_into(f: &mut dyn VectorFile, n: usize) -> Result<Vec<u8>, HocError> {
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let k = f.read_bytes(&mut buf[got..])?;
        if k == 0 {
            break;
        }
        got += k;
    }
    Ok(buf)
}

/// `fread(File [, n [, type]])`: reads `n` (default: the size) values of a
/// binary type (1 char, 2 unsigned short, 3 float, 4 double, 5 short).
fn fread(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let fo = file_obj(args, 0)?;
    let d = vector_data(this)?;
    if args.len() > 1 {
        let n = c_int(chkarg(args, 1, 0.0, 1e10)?);
        resize_vec(&mut d.borrow_mut(), super::int_size(n as i64)?)?;
    }
    let n = d.borrow().len();
    let ty = if args.len() > 2 {
        c_int(chkarg(args, 2, 1.0, 5.0)?)
    } else {
        4
    };
    let get = access(interp, "fread")?;
    let mut f = get(&fo)?;
    if !f.is_open() {
        return Ok(Value::Num(0.0));
    }
    if n > 0 {
        let mut v = d.borrow_mut();
        match ty {
            5 => {
                let buf = read_into(&mut *f, 2 * n)?;
                for (e, c) in v.iter_mut().zip(buf.chunks_exact(2)) {
                    *e = i16::from_ne_bytes([c[0], c[1]]) as f64;
                }
            }
            4 => {
                let buf = read_into(&mut *f, 8 * n)?;
                let mut got = buf.chunks_exact(8);
                for e in v.iter_mut() {
                    if let Some(c) = got.next() {
                        let mut a = [0u8; 8];
                        a.copy_from_slice(c);
                        *e = f64::from_ne_bytes(a);
                    }
                }
            }
            3 => {
                let buf = read_into(&mut *f, 4 * n)?;
                for (e, c) in v.iter_mut().zip(buf.chunks_exact(4)) {
                    *e = f32::from_ne_bytes([c[0], c[1], c[2], c[3]]) as f64;
                }
            }
            2 => {
                let buf = read_into(&mut *f, 2 * n)?;
                for (e, c) in v.iter_mut().zip(buf.chunks_exact(2)) {
                    *e = u16::from_ne_bytes([c[0], c[1]]) as f64;
                }
            }
            _ => {
                let buf = read_into(&mut *f, n)?;
                for (e, &c) in v.iter_mut().zip(&buf) {
                    *e = c as i8 as f64;
                }
            }
        }
    }
    Ok(Value::Num(1.0))
}

/// The minimum and maximum as NEURON's `vwrite` finds them (0, 0 if empty).
fn min_max(v: &[f64]) -> (f64, f64) {
    match super::cxx::minmax_element(v) {
        Some((a, b)) => (v[a], v[b]),
        None => (0.0, 0.0),
    }
}

/// `vwrite(File [, type])`: the size, the type and the elements (1 char and
/// 2 unsigned short scaled to the range, 3 float, 4 double, 5 int).
fn vwrite(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let fo = file_obj(args, 0)?;
    let v = vector_data(this)?.borrow().clone();
    let get = access(interp, "vwrite")?;
    let mut f = get(&fo)?;
    if !f.is_open() {
        return Ok(Value::Num(0.0));
    }
    let n = v.len() as i32;
    f.write_bytes(&n.to_ne_bytes())?;
    let ty = if args.len() > 1 {
        c_int(chkarg(args, 1, 1.0, 5.0)?)
    } else {
        4
    };
    f.write_bytes(&ty.to_ne_bytes())?;
    let mut out = Vec::new();
    match ty {
        5 => {
            for &x in &v {
                out.extend_from_slice(&c_int(x).to_ne_bytes());
            }
        }
        4 => {
            for &x in &v {
                out.extend_from_slice(&x.to_ne_bytes());
            }
        }
        3 => {
            for &x in &v {
                out.extend_from_slice(&(x as f32).to_ne_bytes());
            }
        }
        2 => {
            let (min, max) = min_max(&v);
            let r = max - min;
            let sf = if r > 0.0 { 65535.0 / r } else { 1.0 };
            out.extend_from_slice(&sf.to_ne_bytes());
            out.extend_from_slice(&min.to_ne_bytes());
            for &x in &v {
                out.extend_from_slice(&(c_int((x - min) * sf) as u16).to_ne_bytes());
            }
        }
        _ => {
            let (min, max) = min_max(&v);
            let r = max - min;
            let sf = if r > 0.0 { 255.0 / r } else { 1.0 };
            out.extend_from_slice(&sf.to_ne_bytes());
            out.extend_from_slice(&min.to_ne_bytes());
            for &x in &v {
                out.push(c_int((x - min) * sf - 128.0) as u8);
            }
        }
    }
    f.write_bytes(&out)?;
    Ok(Value::Num(1.0))
}

/// `vread(File)`: reads what `vwrite` wrote (either byte order).
fn vread(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let fo = file_obj(args, 0)?;
    let get = access(interp, "vread")?;
    let mut f = get(&fo)?;
    if !f.is_open() {
        return Ok(Value::Num(0.0));
    }
    let head = read_into(&mut *f, 8)?;
    let mut n = i32::from_ne_bytes([head[0], head[1], head[2], head[3]]);
    let mut ty = i32::from_ne_bytes([head[4], head[5], head[6], head[7]]);
    let swap = !(1..=5).contains(&ty);
    if swap {
        n = n.swap_bytes();
        ty = ty.swap_bytes();
    }
    if !(1..=5).contains(&ty) {
        return Ok(Value::Num(0.0));
    }
    let n = super::int_size(n as i64)?;
    let d = vector_data(this)?;
    let mut v = d.borrow_mut();
    if v.len() != n {
        resize_vec(&mut v, n)?;
    }
    if ty == 4 {
        // NEURON reads into `&v.at(0)`, which throws for an empty Vector.
        range_check(this, "vread", 0, n)?;
    }
    let f64_at = |b: &[u8]| {
        let mut a = [0u8; 8];
        a.copy_from_slice(&b[..8]);
        if swap {
            a.reverse();
        }
        f64::from_ne_bytes(a)
    };
    match ty {
        5 => {
            let buf = read_into(&mut *f, 4 * n)?;
            for (e, c) in v.iter_mut().zip(buf.chunks_exact(4)) {
                let mut i = i32::from_ne_bytes([c[0], c[1], c[2], c[3]]);
                if swap {
                    i = i.swap_bytes();
                }
                *e = i as f64;
            }
        }
        4 => {
            let buf = read_into(&mut *f, 8 * n)?;
            for (e, c) in v.iter_mut().zip(buf.chunks_exact(8)) {
                *e = f64_at(c);
            }
        }
        3 => {
            let buf = read_into(&mut *f, 4 * n)?;
            for (e, c) in v.iter_mut().zip(buf.chunks_exact(4)) {
                let mut a = [c[0], c[1], c[2], c[3]];
                if swap {
                    a.reverse();
                }
                *e = f32::from_ne_bytes(a) as f64;
            }
        }
        2 => {
            let hdr = read_into(&mut *f, 16)?;
            let (sf, min) = (f64_at(&hdr[..8]), f64_at(&hdr[8..]));
            let buf = read_into(&mut *f, 2 * n)?;
            for (e, c) in v.iter_mut().zip(buf.chunks_exact(2)) {
                let mut a = [c[0], c[1]];
                if swap {
                    a.reverse();
                }
                *e = u16::from_ne_bytes(a) as f64 / sf + min;
            }
        }
        _ => {
            let hdr = read_into(&mut *f, 16)?;
            let (sf, min) = (f64_at(&hdr[..8]), f64_at(&hdr[8..]));
            let buf = read_into(&mut *f, n)?;
            for (e, &c) in v.iter_mut().zip(&buf) {
                *e = (c as i8 as f64 + 128.0) / sf + min;
            }
        }
    }
    Ok(Value::Num(1.0))
}
