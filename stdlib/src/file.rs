//! The HOC `File` class (NEURON's `src/ivoc/ocfile.cpp`): a named file,
//! opened for reading (`ropen`), writing (`wopen`) or appending (`aopen`).
//!
//! Paths are relative to the process's current directory (which HOC's
//! `chdir` changes) after NEURON's `$(VAR)` environment expansion. Methods
//! return what NEURON's return: `ropen`/`wopen`/`aopen` 1 if the file is
//! open, `gets` the line length or -1 at end of file, `scanvar` the next
//! number (skipping words; "EOF in fscan" at the end), `seek` 0 or -1,
//! `tell` the offset. Using a method that needs an open file on a closed
//! one is the error "NAME :file is not open", as in NEURON.
//!
//! Other Rust code reaches the open file of a `File` argument through
//! [`with_open_file`] and the [`OpenFile`] methods, which follow C stdio's
//! semantics (`fwrite`, `fread`, `fgets`, `fscanf`); Matrix's `fprint` and
//! `scanf` do. Vector's file methods (`printf`, `scanf`, `scantil`,
//! `fwrite`, `fread`, `vwrite`, `vread`) use the [`VectorFile`] hook, which
//! [`register`] installs.
//!
//! Writes are buffered; [`flush_all`] flushes every File of an interpreter
//! (call it before the process exits without dropping the interpreter, as C
//! does at `exit`). `chooser` and `dir` are headless no-ops, as in NEURON
//! without a display.

use crate::builtins::io::format_args;
use crate::list::chkarg;
use crate::vector::{set_file_access, VectorFile};
use nerve_runtime::cfmt::{self, ScanValue};
use nerve_runtime::hoc::{Args, ClassBuilder, HocError, Interpreter, Obj, Ptr, Value};
use std::cell::RefMut;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// An open file.
enum Handle {
    Read(BufReader<fs::File>),
    Write(BufWriter<fs::File>),
}

/// An open file of a `File` object, with C stdio's semantics.
pub struct OpenFile {
    handle: Handle,
}

fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

impl OpenFile {
    fn reader(&mut self) -> Option<&mut BufReader<fs::File>> {
        match &mut self.handle {
            Handle::Read(r) => Some(r),
            Handle::Write(_) => None,
        }
    }

    /// The next byte without consuming it; `None` at end of file, on error
    /// or when the file is open for writing.
    pub fn peek_byte(&mut self) -> Option<u8> {
        let r = self.reader()?;
        r.fill_buf().ok().and_then(|b| b.first().copied())
    }

    /// Reads one byte (C `getc`).
    pub fn read_byte(&mut self) -> Option<u8> {
        let b = self.peek_byte()?;
        if let Some(r) = self.reader() {
            r.consume(1);
        }
        Some(b)
    }

    /// Whether nothing is left to read (`File.eof()`; always true for a
    /// file open for writing, as C's `getc` fails there).
    pub fn at_eof(&mut self) -> bool {
        self.peek_byte().is_none()
    }

    /// Skips white space (C `fscanf(f, " ")`).
    pub fn skip_space(&mut self) {
        while self.peek_byte().is_some_and(is_c_space) {
            self.read_byte();
        }
    }

    /// Reads a word of at most `max` bytes after skipping white space (C
    /// `fscanf(f, "%Ns")`); `None` at end of file.
    pub fn scan_word(&mut self, max: usize) -> Option<String> {
        self.skip_space();
        let mut w = Vec::new();
        while w.len() < max {
            match self.peek_byte() {
                Some(b) if !is_c_space(b) => {
                    w.push(b);
                    self.read_byte();
                }
                _ => break,
            }
        }
        (!w.is_empty()).then(|| String::from_utf8_lossy(&w).into_owned())
    }

    /// The next number, as NEURON's `hoc_scan`: words that are not numbers
    /// (and words starting with `i`, `n`, `I`, `N`) are skipped, and white
    /// space after the number is consumed. Errors "EOF in fscan" at the end.
    pub fn scan_number(&mut self) -> Result<f64, HocError> {
        loop {
            let w = self
                .scan_word(255)
                .ok_or_else(|| HocError::msg("EOF in fscan"))?;
            if w.starts_with(['i', 'n', 'I', 'N']) {
                continue;
            }
            if let Ok(r) = cfmt::sscanf(&w, "%lf") {
                if let (1, Some(ScanValue::Num(x))) = (r.count, r.values.first()) {
                    self.skip_space();
                    return Ok(*x);
                }
            }
        }
    }

    /// Reads a line as NEURON's `fgets_unlimited`: `\r\n` and `\r` become
    /// `\n`, and a last line without one gets one. `None` at end of file.
    pub fn read_line(&mut self) -> Option<String> {
        let mut line = Vec::new();
        loop {
            match self.read_byte() {
                None if line.is_empty() => return None,
                None | Some(b'\n') => break,
                Some(b'\r') => {
                    if self.peek_byte() == Some(b'\n') {
                        self.read_byte();
                    }
                    break;
                }
                Some(b) => line.push(b),
            }
        }
        line.push(b'\n');
        Some(String::from_utf8_lossy(&line).into_owned())
    }

    /// Writes bytes (C `fwrite`); returns how many were written (0 on a file
    /// open for reading).
    pub fn write_bytes(&mut self, bytes: &[u8]) -> usize {
        match &mut self.handle {
            Handle::Write(w) => w.write_all(bytes).map_or(0, |_| bytes.len()),
            Handle::Read(_) => 0,
        }
    }

    /// Writes text (C `fprintf(f, "%s", s)`).
    pub fn write_str(&mut self, s: &str) {
        self.write_bytes(s.as_bytes());
    }

    /// Reads up to `buf.len()` bytes (C `fread`); returns how many were read.
    pub fn read_bytes(&mut self, buf: &mut [u8]) -> usize {
        let Some(r) = self.reader() else { return 0 };
        let mut n = 0;
        while n < buf.len() {
            match r.read(&mut buf[n..]) {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
        }
        n
    }

    /// Writes doubles in the machine's byte order (as NEURON's binary
    /// files); returns how many were written.
    pub fn write_doubles(&mut self, xs: &[f64]) -> usize {
        let bytes: Vec<u8> = xs.iter().flat_map(|x| x.to_ne_bytes()).collect();
        self.write_bytes(&bytes) / 8
    }

    /// Reads up to `n` doubles written by [`OpenFile::write_doubles`]
    /// (fewer at end of file; a trailing partial double is consumed).
    pub fn read_doubles(&mut self, n: usize) -> Vec<f64> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 8 * 8192];
        while out.len() < n {
            let want = (n - out.len()).min(8192) * 8;
            let got = self.read_bytes(&mut buf[..want]);
            out.extend(
                buf[..got - got % 8]
                    .chunks_exact(8)
                    .map(|c| f64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])),
            );
            if got < want {
                break;
            }
        }
        out
    }

    /// C `fseek`: `whence` 0 (start), 1 (current) or 2 (end). False on failure.
    pub fn seek(&mut self, offset: i64, whence: u8) -> bool {
        let to = match whence {
            0 => match u64::try_from(offset) {
                Ok(o) => SeekFrom::Start(o),
                Err(_) => return false,
            },
            1 => SeekFrom::Current(offset),
            _ => SeekFrom::End(offset),
        };
        match &mut self.handle {
            Handle::Read(r) => r.seek(to).is_ok(),
            Handle::Write(w) => w.seek(to).is_ok(),
        }
    }

    /// C `ftell`: the current offset, or `None` on failure.
    pub fn tell(&mut self) -> Option<u64> {
        match &mut self.handle {
            Handle::Read(r) => r.stream_position().ok(),
            Handle::Write(w) => w.stream_position().ok(),
        }
    }

    /// Writes buffered output to the file.
    pub fn flush(&mut self) {
        if let Handle::Write(w) = &mut self.handle {
            let _ = w.flush();
        }
    }
}

/// The payload of a `File` object: a name and, when open, the file.
#[derive(Default)]
pub struct HocFile {
    name: String,
    open: Option<OpenFile>,
}

impl HocFile {
    /// The file name (as given, before `$(VAR)` expansion).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the file is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    fn set_name(&mut self, name: String) {
        self.close();
        self.name = name;
    }

    fn close(&mut self) {
        if let Some(mut f) = self.open.take() {
            f.flush();
        }
    }

    fn open(&mut self, mode: &str) -> bool {
        self.close();
        let path = expand_env_var(&self.name);
        let handle = match mode {
            "r" => fs::File::open(&path).map(|f| Handle::Read(BufReader::new(f))),
            "w" => fs::File::create(&path).map(|f| Handle::Write(BufWriter::new(f))),
            _ => fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&path)
                .map(|mut f| {
                    // glibc starts an append stream at the end (for `tell`).
                    let _ = f.seek(SeekFrom::End(0));
                    Handle::Write(BufWriter::new(f))
                }),
        };
        self.open = handle.ok().map(|handle| OpenFile { handle });
        self.open.is_some()
    }

    /// The open file, or NEURON's error.
    fn file(&mut self) -> Result<&mut OpenFile, HocError> {
        let name = &self.name;
        self.open
            .as_mut()
            .ok_or_else(|| HocError::msg(format!("{name} :file is not open")))
    }
}

/// Vector's view of a `File`: errors "NAME :file is not open" when closed
/// (`eof` is then true).
impl VectorFile for HocFile {
    fn is_open(&self) -> bool {
        self.open.is_some()
    }

    fn write_bytes(&mut self, bytes: &[u8]) -> Result<usize, HocError> {
        Ok(self.file()?.write_bytes(bytes))
    }

    fn read_bytes(&mut self, buf: &mut [u8]) -> Result<usize, HocError> {
        Ok(self.file()?.read_bytes(buf))
    }

    fn scan_number(&mut self) -> Result<f64, HocError> {
        self.file()?.scan_number()
    }

    fn eof(&mut self) -> bool {
        self.open.as_mut().is_none_or(OpenFile::at_eof)
    }
}

/// How Vector reaches a `File` object's payload.
fn vector_file_access(o: &Obj) -> Result<RefMut<'_, dyn VectorFile>, HocError> {
    Ok(RefMut::map(o.native_mut::<HocFile>()?, |f| {
        f as &mut dyn VectorFile
    }))
}

impl Drop for HocFile {
    fn drop(&mut self) {
        self.close();
    }
}

/// NEURON's `expand_env_var`: replaces `$(NAME)` by the environment
/// variable `NAME` (nothing if unset; an unterminated `$(` drops the rest).
pub fn expand_env_var(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(p) = rest.find("$(") {
        out.push_str(&rest[..p]);
        let after = &rest[p + 2..];
        match after.find(')') {
            Some(e) => {
                if let Ok(v) = std::env::var(&after[..e]) {
                    out.push_str(&v);
                }
                rest = &after[e + 1..];
            }
            // NEURON drops an unterminated `$(...`.
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Runs `f` on the open file of `obj`, which must be an open `File` (the
/// errors are NEURON's: "File not open: NAME").
pub fn with_open_file<R>(
    obj: &Obj,
    f: impl FnOnce(&mut OpenFile) -> Result<R, HocError>,
) -> Result<R, HocError> {
    if !obj.is("File") {
        return Err(HocError::msg(format!("{} is not a File", obj.name())));
    }
    let mut hf = obj.native_mut::<HocFile>()?;
    let name = hf.name.clone();
    match hf.open.as_mut() {
        Some(file) => f(file),
        None => Err(HocError::msg(format!("File not open: {name}"))),
    }
}

/// Flushes the buffered output of every `File` of `interp`.
pub fn flush_all(interp: &Interpreter) {
    if let Some(class) = interp.class("File") {
        for o in class.live() {
            if let Ok(mut f) = o.native_mut::<HocFile>() {
                if let Some(open) = f.open.as_mut() {
                    open.flush();
                }
            }
        }
    }
}

/// A new unique temporary file, `$TEMP/nrnXXXXXX` (or `/tmp/...`), created
/// empty as `mkstemp` does.
fn temp_file() -> Option<String> {
    use std::hash::{BuildHasher, Hasher};
    let dir = std::env::var("TEMP").unwrap_or_else(|_| "/tmp".to_string());
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for _ in 0..100 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        let mut r = h.finish();
        let suffix: String = (0..6)
            .map(|_| {
                let c = CHARS[(r % CHARS.len() as u64) as usize] as char;
                r /= CHARS.len() as u64;
                c
            })
            .collect();
        let name = format!("{dir}/nrn{suffix}");
        let created = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&name);
        match created {
            Ok(_) => return Some(name),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => return None,
        }
    }
    None
}

/// `f.vwrite([n,] &x)` / `f.vread([n,] &x)`: the count and the pointer.
fn count_and_ptr(args: &Args) -> Result<(usize, Ptr), HocError> {
    if args.len() > 1 {
        let n = chkarg(args, 0, 1.0, 2e18)? as usize;
        Ok((n, args.ptr(1)?))
    } else {
        Ok((1, args.ptr(0)?))
    }
}

fn vwrite(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (n, p) = count_and_ptr(args)?;
    let xs = match &p {
        Ptr::Elem(a, i) => {
            let a = a.borrow();
            let end = i.saturating_add(n);
            a.get(*i..end)
                .ok_or_else(|| {
                    HocError::msg(format!(
                        "vwrite: {n} values from the pointer run past its array"
                    ))
                })?
                .to_vec()
        }
        _ if n == 1 => vec![interp.ptr_get(&p)?],
        _ => {
            return Err(HocError::msg(
                "vwrite: a count above 1 needs a pointer into an array",
            ))
        }
    };
    let mut f = this.native_mut::<HocFile>()?;
    Ok(Value::Num(f.file()?.write_doubles(&xs) as f64))
}

fn vread(interp: &mut Interpreter, this: &Obj, args: &mut Args) -> Result<Value, HocError> {
    let (n, p) = count_and_ptr(args)?;
    let room = match &p {
        Ptr::Elem(a, i) => a.borrow().len().saturating_sub(*i),
        _ => 1,
    };
    if n > room {
        return Err(HocError::msg(format!(
            "vread: {n} values do not fit at the pointer (room for {room})"
        )));
    }
    let xs = this.native_mut::<HocFile>()?.file()?.read_doubles(n);
    match &p {
        Ptr::Elem(a, i) => {
            let mut a = a.borrow_mut();
            for (k, x) in xs.iter().enumerate() {
                let slot = a.get_mut(i + k).ok_or_else(|| {
                    HocError::msg(format!(
                        "vread: {n} values from the pointer run past its array"
                    ))
                })?;
                *slot = *x;
            }
        }
        _ => {
            if let Some(x) = xs.first() {
                interp.ptr_set(&p, *x)?;
            }
        }
    }
    Ok(Value::Num(xs.len() as f64))
}

fn num(x: f64) -> Result<Value, HocError> {
    Ok(Value::Num(x))
}

fn flag(b: bool) -> Result<Value, HocError> {
    num(if b { 1.0 } else { 0.0 })
}

/// `ropen`/`wopen`/`aopen([name])`.
fn open_with(mode: &'static str) -> impl Fn(&mut HocFile, &mut Args) -> Result<Value, HocError> {
    move |f, args| {
        if !args.is_empty() {
            f.set_name(args.str(0)?);
        }
        flag(f.open(mode))
    }
}

/// Registers the `File` class and plugs it into Vector's file methods.
pub fn register(interp: &mut Interpreter) {
    set_file_access(interp, vector_file_access);
    ClassBuilder::<HocFile>::new("File", |_, args| {
        let mut f = HocFile::default();
        if !args.is_empty() {
            f.name = args.str(0)?;
        }
        Ok(f)
    })
    .method_mut("ropen", open_with("r"))
    .method_mut("wopen", open_with("w"))
    .method_mut("aopen", open_with("a"))
    .method_mut("close", |f, _| {
        f.close();
        num(0.0)
    })
    .method_mut("printf", |f, args| {
        let s = format_args(args, 0)?;
        f.file()?.write_str(&s);
        num(0.0)
    })
    .method_mut("scanvar", |f, _| num(f.file()?.scan_number()?))
    .method_mut("scanstr", |f, args| {
        let dst = args.str_ref(0)?;
        match f.file()?.scan_word(usize::MAX) {
            Some(w) => {
                let n = w.len();
                *dst.borrow_mut() = w;
                num(n as f64)
            }
            None => num(-1.0),
        }
    })
    .method_mut("gets", |f, args| {
        let dst = args.str_ref(0)?;
        match f.file()?.read_line() {
            Some(line) => {
                let n = line.len();
                *dst.borrow_mut() = line;
                num(n as f64)
            }
            None => num(-1.0),
        }
    })
    .method_mut("eof", |f, _| flag(f.file()?.at_eof()))
    .method_mut("isopen", |f, _| flag(f.is_open()))
    .method_mut("flush", |f, _| {
        if let Some(o) = f.open.as_mut() {
            o.flush();
        }
        num(1.0)
    })
    .method_mut("seek", |f, args| {
        let offset = if args.is_empty() { 0.0 } else { args.num(0)? };
        let whence = if args.len() > 1 {
            chkarg(args, 1, 0.0, 2.0)?
        } else {
            0.0
        };
        let ok = f.file()?.seek(offset as i64, whence as u8);
        num(if ok { 0.0 } else { -1.0 })
    })
    .method_mut("tell", |f, _| {
        num(f.file()?.tell().map_or(-1.0, |p| p as f64))
    })
    .method_mut("mktemp", |f, _| match temp_file() {
        Some(name) => {
            f.set_name(name);
            num(1.0)
        }
        None => Err(HocError::msg("Could not create temporary file")),
    })
    .method_mut("unlink", |f, _| {
        flag(fs::remove_file(expand_env_var(&f.name)).is_ok())
    })
    .method_mut("getname", |f, args| {
        if !args.is_empty() {
            *args.str_ref(0)?.borrow_mut() = f.name.clone();
        }
        Ok(Value::str(f.name.clone()))
    })
    .method_mut("dir", |_, _| Ok(Value::str("")))
    .method_mut("chooser", |_, _| num(1.0))
    .method("vwrite", vwrite)
    .method("vread", vread)
    .register(interp);
}

#[cfg(test)]
mod tests {
    use crate::list::testutil::{run, run_err};

    fn tmpdir(tag: &str) -> String {
        let d = std::env::temp_dir().join(format!("nerve-file-test-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d.to_string_lossy().into_owned()
    }

    #[test]
    fn write_then_read_like_neuron() {
        let d = tmpdir("rw");
        let src = format!(
            "objref f\nstrdef s, s1, s2, s3, nm\nf = new File()\nf.getname()\nf.isopen()\n\
             f.wopen(\"{d}/out1.txt\")\n{{f.getname(nm)}}\n\
             f.printf(\"%d %s\\n\", 42, \"abc\")\nf.printf(\"x 3.5 nan 7e2 q\\n\\nlast\")\n\
             f.tell()\nf.flush()\nf.close()\nf.ropen()\nf.scanvar()\nf.gets(s)\ns1 = s\nf.tell()\n\
             f.scanstr(s)\nf.scanvar()\nf.scanvar()\nf.eof()\nf.gets(s)\nf.gets(s)\nf.seek(0)\n\
             f.gets(s)\ns2 = s\nf.seek(-4, 2)\nf.gets(s)\ns3 = s\nf.eof()\nf.gets(s)\n\
             f.ropen(\"{d}/nonexist\")\nf.isopen()\n"
        );
        let (i, out) = run(&src);
        assert_eq!(
            out,
            "\t \n\t0 \n\t1 \n\t0 \n\t0 \n\t28 \n\t1 \n\t0 \n\t1 \n\t42 \n\t4 \n\t7 \n\t1 \n\
             \t3.5 \n\t700 \n\t0 \n\t2 \n\t1 \n\t0 \n\t7 \n\t0 \n\t5 \n\t1 \n\t-1 \n\t0 \n\t0 \n"
        );
        assert_eq!(i.get_str("nm"), Some(format!("{d}/out1.txt")));
        assert_eq!(i.get_str("s1").as_deref(), Some("abc\n"));
        assert_eq!(i.get_str("s2").as_deref(), Some("42 abc\n"));
        assert_eq!(i.get_str("s3").as_deref(), Some("last\n"));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn append_temp_unlink_and_binary() {
        let d = tmpdir("bin");
        let src = format!(
            "objref f, g\ndouble a[3], b[3]\na[0] = 1.5\na[1] = -2\na[2] = 1e300\n\
             f = new File(\"{d}/b.dat\")\nok1 = f.wopen()\nw = f.vwrite(3, &a[0])\nx = 7\n\
             w1 = f.vwrite(&x)\n{{f.close()}}\nok2 = f.ropen()\nr = f.vread(3, &b[0])\ny = 0\n\
             r1 = f.vread(&y)\nr2 = f.vread(&y)\n{{f.close()}}\ng = new File()\ntmp_ok = g.mktemp()\n\
             {{g.aopen() g.printf(\"hi\\n\") g.close() g.aopen() g.printf(\"there\\n\") g.close()}}\n\
             {{g.ropen()}}\nstrdef s\nn = g.gets(s)\nn2 = g.gets(s)\n{{g.close()}}\n\
             u1 = g.unlink()\nu2 = g.unlink()\nc = g.chooser()\n"
        );
        let (i, _) = run(&src);
        for (k, v) in [
            ("ok1", 1.0),
            ("w", 3.0),
            ("w1", 1.0),
            ("ok2", 1.0),
            ("r", 3.0),
            ("r1", 1.0),
            ("r2", 0.0),
            ("y", 7.0),
            ("tmp_ok", 1.0),
            ("n", 3.0),
            ("n2", 6.0),
            ("u1", 1.0),
            ("u2", 0.0),
            ("c", 1.0),
        ] {
            assert_eq!(i.get_num(k), Some(v), "{k}");
        }
        assert_eq!(i.get_str("s").as_deref(), Some("there\n"));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn line_endings_and_env() {
        let d = tmpdir("crlf");
        std::fs::write(format!("{d}/c.txt"), "a\r\nb\rc").unwrap();
        std::env::set_var("NERVE_FILE_TEST_DIR", &d);
        let (i, _) = run("objref f\nstrdef s, s1, s2, s3\nf = new File()\n\
             ok = f.ropen(\"$(NERVE_FILE_TEST_DIR)/c.txt\")\nn1 = f.gets(s)\ns1 = s\n\
             n2 = f.gets(s)\ns2 = s\nn3 = f.gets(s)\ns3 = s\nn4 = f.gets(s)\n");
        assert_eq!(i.get_num("ok"), Some(1.0));
        assert_eq!(i.get_str("s1").as_deref(), Some("a\n"));
        assert_eq!(i.get_str("s2").as_deref(), Some("b\n"));
        assert_eq!(i.get_str("s3").as_deref(), Some("c\n"));
        assert_eq!(i.get_num("n4"), Some(-1.0));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn errors() {
        let (e, _) = run_err("objref f\nf = new File(\"zz\")\nf.eof()\n");
        assert_eq!(e, "zz :file is not open");
        let d = tmpdir("eof");
        std::fs::write(format!("{d}/e.txt"), "word\n").unwrap();
        let (e, _) = run_err(&format!(
            "objref f\nf = new File()\n{{f.ropen(\"{d}/e.txt\")}}\nf.scanvar()\n"
        ));
        assert_eq!(e, "EOF in fscan");
        let (e, _) = run_err("objref f\nf = new File()\nf.seek(0, 3)\n");
        assert!(e.contains("Arg out of range"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
