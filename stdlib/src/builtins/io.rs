//! Formatted output and input: `printf`, `sprint`, `fprint`, `sscanf`,
//! `getstr`, and HOC's one-file-at-a-time `wopen`/`ropen`/`fscan`.

use nerve_runtime::cfmt::{self, FmtArg, ScanValue};
use nerve_runtime::hoc::{Args, HocError, Interpreter, Value};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};

/// The files `wopen` and `ropen` select (per interpreter).
#[derive(Default)]
pub struct HocFiles {
    out: Option<std::io::BufWriter<File>>,
    input: Option<BufReader<File>>,
}

/// Flushes the file `wopen` selected.
pub fn flush(interp: &mut Interpreter) {
    if let Some(f) = interp.ext::<HocFiles>().out.as_mut() {
        let _ = f.flush();
    }
}

/// Formats args `first..` of a call with the format in arg `fmt_at`.
pub fn format_args(a: &Args, fmt_at: usize) -> Result<String, HocError> {
    let fmt = a.str(fmt_at)?;
    let mut owned: Vec<Option<String>> = Vec::new();
    let mut nums = Vec::new();
    for (k, v) in a.values().iter().enumerate().skip(fmt_at + 1) {
        match v {
            Value::Num(x) => {
                owned.push(None);
                nums.push(*x);
            }
            Value::Str(s) => {
                owned.push(Some(s.borrow().clone()));
                nums.push(0.0);
            }
            // An object prints as its name (`%s` of a Vector gives "Vector[0]").
            Value::Obj(o) => {
                owned.push(Some(nerve_runtime::hoc::exec::obj_name(o)));
                nums.push(0.0);
            }
            other => {
                return Err(HocError::msg(format!(
                    "{}: argument {} is {}, which cannot be formatted",
                    a.name(),
                    k + 1,
                    other.type_name()
                )))
            }
        }
    }
    let args: Vec<FmtArg> = owned
        .iter()
        .zip(&nums)
        .map(|(s, x)| match s {
            Some(s) => FmtArg::Str(s),
            None => FmtArg::Num(*x),
        })
        .collect();
    cfmt::format(&fmt, &args).map_err(|e| HocError::msg(format!("{}: {e}", a.name())))
}

/// Registers the I/O functions.
pub fn register(interp: &mut Interpreter) {
    interp.register_fn("printf", |i, a| {
        let s = format_args(a, 0)?;
        i.write_out(&s)?;
        Ok(Value::Num(s.len() as f64))
    });
    interp.register_fn("sprint", |_, a| {
        let dst = a.str_ref(0)?;
        let s = format_args(a, 1)?;
        *dst.borrow_mut() = s;
        Ok(Value::Num(1.0))
    });
    interp.register_fn("fprint", |i, a| {
        let s = format_args(a, 0)?;
        match &mut i.ext::<HocFiles>().out {
            Some(f) => f
                .write_all(s.as_bytes())
                .map_err(|e| HocError::msg(format!("fprint: {e}")))?,
            None => i.write_out(&s)?,
        }
        Ok(Value::Num(s.len() as f64))
    });
    interp.register_fn("sscanf", |i, a| {
        a.expect_count(2, usize::MAX)?;
        let input = a.str(0)?;
        let fmt = a.str(1)?;
        let kinds = cfmt::scan_targets(&fmt).map_err(|e| HocError::msg(format!("sscanf: {e}")))?;
        for (k, kind) in kinds.iter().enumerate() {
            let ok = match kind {
                cfmt::ScanKind::Num => a.is_ptr(k + 2),
                cfmt::ScanKind::Str => a.is_str(k + 2),
            };
            if !ok {
                let want = match kind {
                    cfmt::ScanKind::Num => "a pointer to a number (&x)",
                    cfmt::ScanKind::Str => "a strdef",
                };
                return Err(HocError::msg(format!(
                    "sscanf: argument {} must be {want}",
                    k + 3
                )));
            }
        }
        let r = cfmt::sscanf(&input, &fmt).map_err(|e| HocError::msg(format!("sscanf: {e}")))?;
        for (k, v) in r.values.iter().enumerate() {
            match v {
                ScanValue::Num(x) => {
                    let p = a.ptr(k + 2)?;
                    i.ptr_set(&p, *x)?;
                }
                ScanValue::Str(s) => *a.str_ref(k + 2)?.borrow_mut() = s.clone(),
            }
        }
        Ok(Value::Num(r.count as f64))
    });
    interp.register_fn("wopen", |i, a| {
        a.expect_count(0, 2)?;
        let files = i.ext::<HocFiles>();
        if let Some(mut f) = files.out.take() {
            let _ = f.flush();
        }
        let name = if a.is_empty() {
            String::new()
        } else {
            a.str(0)?
        };
        if name.is_empty() {
            return Ok(Value::Num(1.0));
        }
        let append = a.len() > 1 && a.str(1)?.contains('a');
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .append(append)
            .truncate(!append)
            .open(&name);
        Ok(Value::Num(match f {
            Ok(f) => {
                files.out = Some(std::io::BufWriter::new(f));
                1.0
            }
            Err(_) => 0.0,
        }))
    });
    interp.register_fn("ropen", |i, a| {
        a.expect_count(0, 1)?;
        let files = i.ext::<HocFiles>();
        files.input = None;
        let name = if a.is_empty() {
            String::new()
        } else {
            a.str(0)?
        };
        if name.is_empty() {
            return Ok(Value::Num(1.0));
        }
        Ok(Value::Num(match File::open(&name) {
            Ok(f) => {
                files.input = Some(BufReader::new(f));
                1.0
            }
            Err(_) => 0.0,
        }))
    });
    interp.register_fn("fscan", |i, _| {
        let files = i.ext::<HocFiles>();
        let Some(r) = files.input.as_mut() else {
            return Err(HocError::msg("fscan: no file is open for reading (ropen)"));
        };
        read_number(r).map(Value::Num)
    });
    interp.register_fn("getstr", |i, a| {
        a.expect_count(1, 2)?;
        let dst = a.str_ref(0)?;
        let whole_line = a.len() > 1 && a.num(1)? != 0.0;
        let mut line = String::new();
        let n = match i.ext::<HocFiles>().input.as_mut() {
            Some(r) => r.read_line(&mut line),
            None => std::io::stdin().lock().read_line(&mut line),
        }
        .map_err(|e| HocError::msg(format!("getstr: {e}")))?;
        if n == 0 {
            return Err(HocError::msg("getstr: end of file"));
        }
        if !whole_line {
            // Without the flag NEURON reads up to and including the newline; same here.
        }
        *dst.borrow_mut() = line;
        Ok(Value::Num(n as f64))
    });
}

/// Reads the next number from a text file, skipping anything that is not
/// part of a number (as HOC's `fscan` does with words between numbers).
fn read_number(r: &mut BufReader<File>) -> Result<f64, HocError> {
    let mut word = String::new();
    loop {
        let buf = r
            .fill_buf()
            .map_err(|e| HocError::msg(format!("fscan: {e}")))?;
        if buf.is_empty() {
            break;
        }
        let c = buf[0] as char;
        if c.is_ascii_whitespace() {
            r.consume(1);
            if !word.is_empty() {
                if let Ok(x) = word.parse::<f64>() {
                    return Ok(x);
                }
                word.clear();
            }
            continue;
        }
        word.push(c);
        r.consume(1);
    }
    word.parse::<f64>()
        .map_err(|_| HocError::msg("fscan: end of file before a number"))
}
