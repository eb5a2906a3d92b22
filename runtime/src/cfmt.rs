//! C-style `printf` formatting and `sscanf` scanning, exactly as NEURON's HOC does them.
//!
//! NEURON implements HOC's `printf`, `fprint`, `sprint` and `File.printf` in
//! `hoc_sprint1` (`src/oc/fileio.cpp`): it cuts the format into one-conversion fragments
//! and hands each to the C library's `sprintf`, casting the HOC double to the C type the
//! conversion wants (`(int)` for `%d %o %x`, `(long long)` once an `l` is seen, `(char)`
//! for `%c`). HOC's `sscanf` (`hoc_vsscanf` in `src/oc/hoc.cpp`) checks the format itself
//! and then calls the C library's `sscanf`. What a script sees is therefore glibc's
//! output with NEURON's casts on top; this module reproduces it without calling C, for
//! the reference platform (x86-64 Linux, glibc, C locale).
//!
//! Formatting rules worth knowing (all match NEURON 9.0.2 unless marked *extension*):
//! * `%d %i` truncate toward zero to a C `int`; a value outside the `int` range (or NaN)
//!   becomes `-2147483648`, as x86-64's conversion instruction gives. With any `l` (NEURON
//!   turns `%ld` into `%lld`) the cast is to 64 bits, out-of-range giving `i64::MIN`.
//!   `h`/`hh` narrow to `short`/`char` as glibc does. `%o %x %X %u` print the same
//!   integer reinterpreted as unsigned of that width (`%x` of -1 is `ffffffff`).
//! * `%e %f %g` (and *extensions* `%E %F %G`) are correctly rounded like glibc (exact
//!   binary value, ties to even), with `inf`, `-inf`, `nan`, `-nan`, `-0`.
//! * `%c` prints the low byte of the `int` cast; code 0 prints nothing (NEURON's buffer
//!   stops at the NUL) and codes 128..=255 become the Latin-1 character.
//! * `%s` takes a string argument (the interpreter passes an object's name for objects);
//!   width and precision count bytes, a precision never splits a UTF-8 character.
//! * `%5%` prints `%5` (NEURON copies the fragment minus its final `%`); `%%` prints `%`.
//! * A conversion character glibc does not know (`%y`, `%5-d`) is printed literally and
//!   consumes no argument; a format ending inside a conversion (`"%"`, `"%5"`, `"%l"`)
//!   prints that tail literally. Both are what NEURON prints.
//! * `%n %p %a %A %m %C %S` and positional `%1$d` are refused with
//!   [`FormatError::BadConversion`].
//! * *Extensions* where NEURON passes the fragment to C with a mismatched argument
//!   (undefined behaviour): `%i %u %X %E %F %G` work as C would with the cast value,
//!   `*` width/precision consume a numeric argument, and `j z t q L Z` modifiers select
//!   64-bit integers.
//! * Text after a NUL character in the format, or in a `%s` argument, is ignored, as
//!   for a C string.

/// Largest field width or precision accepted; larger ones give [`FormatError::FieldTooLarge`]
/// instead of building a gigantic string (glibc itself fails beyond `INT_MAX`).
pub const MAX_FIELD: usize = 1 << 24;

/// One argument to a format.
#[derive(Debug, Clone, Copy)]
pub enum FmtArg<'a> {
    /// A HOC number (every numeric argument is a double).
    Num(f64),
    /// A HOC string (or the name of an object, for `%s`).
    Str(&'a str),
}

/// Why a format or scan could not be carried out.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FormatError {
    /// A conversion needs an argument that was not supplied.
    #[error("not enough arguments for conversion `{conversion}`")]
    TooFewArgs {
        /// The conversion text, e.g. `%5.2f`.
        conversion: String,
    },
    /// An argument has the wrong type for its conversion.
    #[error("argument {} (for `{conversion}`) must be a {expected}", .index + 1)]
    WrongType {
        /// Index of the offending argument in the `args` slice (0-based).
        index: usize,
        /// The conversion text, e.g. `%s`.
        conversion: String,
        /// `"number"` or `"string"`.
        expected: &'static str,
    },
    /// A conversion this module does not perform (`%n`, `%p`, `%a`, positional `%1$d`...).
    #[error("unsupported conversion `{0}`")]
    BadConversion(String),
    /// A width or precision above [`MAX_FIELD`].
    #[error("field width or precision too large in `{0}`")]
    FieldTooLarge(String),
    /// `sscanf`: the format ends inside a conversion (NEURON's wording; `arg` counts HOC
    /// arguments, the input string being 1 and the format 2).
    #[error("incomplete format specifier for arg {arg}")]
    ScanIncomplete {
        /// HOC argument number the conversion would fill.
        arg: usize,
    },
    /// `sscanf`: a conversion NEURON does not accept (only `d i o u x e f g s c [` with
    /// an optional single `l`, `%c` without width, and `%%`).
    #[error("unknown conversion specifier for arg {arg}")]
    ScanBadSpecifier {
        /// HOC argument number the conversion would fill.
        arg: usize,
    },
    /// `sscanf`: more than 12 assigning conversions.
    #[error("too many ( > {arg}) args")]
    ScanTooManyArgs {
        /// NEURON's count in the message.
        arg: usize,
    },
}

// ---------------------------------------------------------------------------------------
// printf
// ---------------------------------------------------------------------------------------

/// Integer width selected by length modifiers.
#[derive(Clone, Copy, PartialEq, Debug)]
enum IntSize {
    Char,
    Short,
    Int,
    Long,
}

/// A width or precision as written.
#[derive(Clone, Copy, Debug)]
enum Field {
    Absent,
    Given(usize),
    Star,
}

#[derive(Clone, Copy, Default, Debug)]
struct Flags {
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
    alt: bool,
}

/// One parsed conversion specification.
#[derive(Debug)]
struct Spec {
    flags: Flags,
    width: Field,
    prec: Field,
    size: IntSize,
    conv: u8,
}

/// What follows a `%`.
#[derive(Debug)]
enum Piece {
    Conv(Spec),
    Percent,
    Unknown,
    Incomplete,
    Unsupported,
}

/// `s[a..b]`, or "" if that is not a valid slice (never happens for our indices).
fn sub(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b).unwrap_or("")
}

/// The part of `s` a C function would see: everything before the first NUL.
fn c_str(s: &str) -> &str {
    s.find('\0').map_or(s, |p| sub(s, 0, p))
}

/// Reads decimal digits at `*i`, saturating; `None` if there are none.
fn read_digits(b: &[u8], i: &mut usize) -> Option<usize> {
    let start = *i;
    let mut v: usize = 0;
    while let Some(d) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(usize::from(d - b'0'));
        *i += 1;
    }
    (*i > start).then_some(v)
}

/// Parses the specification starting just after a `%` at byte `start`; returns it and the
/// byte index just past it.
fn parse_spec(fmt: &str, start: usize) -> (Piece, usize) {
    let b = fmt.as_bytes();
    let mut i = start;
    let mut flags = Flags::default();
    while let Some(&c) = b.get(i) {
        match c {
            b'-' => flags.minus = true,
            b'+' => flags.plus = true,
            b' ' => flags.space = true,
            b'0' => flags.zero = true,
            b'#' => flags.alt = true,
            b'\'' => {} // thousands grouping: no effect in the C locale
            _ => break,
        }
        i += 1;
    }
    let width = if b.get(i) == Some(&b'*') {
        i += 1;
        Field::Star
    } else {
        read_digits(b, &mut i).map_or(Field::Absent, Field::Given)
    };
    let mut prec = Field::Absent;
    if b.get(i) == Some(&b'.') {
        i += 1;
        prec = if b.get(i) == Some(&b'*') {
            i += 1;
            Field::Star
        } else {
            Field::Given(read_digits(b, &mut i).unwrap_or(0))
        };
    }
    let (mut nl, mut nh, mut wide) = (0, 0, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'l' => nl += 1,
            b'h' => nh += 1,
            b'L' | b'q' | b'j' | b'z' | b'Z' | b't' => wide = true,
            _ => break,
        }
        i += 1;
    }
    let size = match (nl > 0 || wide, nh) {
        (true, _) => IntSize::Long,
        (false, 0) => IntSize::Int,
        (false, 1) => IntSize::Short,
        _ => IntSize::Char,
    };
    let Some(&c) = b.get(i) else {
        return (Piece::Incomplete, b.len());
    };
    let piece = match c {
        b'%' => Piece::Percent,
        b'd' | b'i' | b'u' | b'o' | b'x' | b'X' | b'c' | b's' | b'e' | b'E' | b'f' | b'F'
        | b'g' | b'G' => Piece::Conv(Spec {
            flags,
            width,
            prec,
            size,
            conv: c,
        }),
        b'n' | b'p' | b'a' | b'A' | b'm' | b'C' | b'S' | b'$' => Piece::Unsupported,
        _ => {
            let len = fmt
                .get(i..)
                .and_then(|t| t.chars().next())
                .map_or(1, char::len_utf8);
            return (Piece::Unknown, i + len);
        }
    };
    (piece, i + 1)
}

/// C's `(int)x` for a double on x86-64: truncation, or `INT_MIN` when out of range or NaN.
fn cast_i32(x: f64) -> i32 {
    if x.is_nan() || x >= 2147483648.0 || x <= -2147483649.0 {
        i32::MIN
    } else {
        x as i32
    }
}

/// C's `(long long)x` for a double on x86-64: truncation, or `LLONG_MIN` when out of range.
fn cast_i64(x: f64) -> i64 {
    if !(-9223372036854775808.0..9223372036854775808.0).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

/// Appends `prefix` + `body` padded to `width` the way printf does. `body_len` is the width
/// `body` counts for (its byte length except for a Latin-1 `%c`).
fn pad(out: &mut String, prefix: &str, body: &str, body_len: usize, width: usize, fl: Flags) {
    let fill = width.saturating_sub(prefix.len() + body_len);
    if fl.minus {
        out.push_str(prefix);
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if fl.zero {
        out.push_str(prefix);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(body);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(prefix);
        out.push_str(body);
    }
}

/// Rust's `{:.*e}` output ("1.5e-7") rewritten C-style ("1.5e-07").
fn exp_form(ax: f64, prec: usize, alt: bool, upper: bool) -> String {
    let s = format!("{ax:.prec$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let dot = if alt && prec == 0 { "." } else { "" };
    let e = if upper { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}{dot}{e}{sign}{:02}", exp.unsigned_abs())
}

/// Removes trailing zeros (and a then-trailing point) from the fraction, as `%g` does.
fn strip_zeros(s: &str) -> String {
    let (mant, rest) = match s.find(['e', 'E']) {
        Some(p) => (sub(s, 0, p), sub(s, p, s.len())),
        None => (s, ""),
    };
    if !mant.contains('.') {
        return s.to_string();
    }
    let m = mant.trim_end_matches('0').trim_end_matches('.');
    format!("{m}{rest}")
}

/// The digits of `%e %f %g` (any case) for a finite non-negative `ax`.
fn float_body(ax: f64, conv: u8, prec: usize, alt: bool) -> String {
    let upper = conv.is_ascii_uppercase();
    match conv.to_ascii_lowercase() {
        b'f' => {
            let mut s = format!("{ax:.prec$}");
            if alt && prec == 0 {
                s.push('.');
            }
            s
        }
        b'e' => exp_form(ax, prec, alt, upper),
        _ => {
            let p = prec.max(1);
            let probe = format!("{:.*e}", p - 1, ax);
            let x: i64 = probe
                .split_once('e')
                .and_then(|(_, e)| e.parse().ok())
                .unwrap_or(0);
            // The exponent before rounding (a shortest round-trip form never rounds up
            // to the next power of ten).
            let shortest = format!("{ax:e}");
            let x_exact: i64 = shortest
                .split_once('e')
                .and_then(|(_, e)| e.parse().ok())
                .unwrap_or(0);
            let s = if alt && x == p as i64 && x_exact == x - 1 {
                // glibc quirk: when rounding carries a `%#g` value into exponent form
                // (999999.5 -> "1.e+06"), no fraction digits are kept.
                exp_form(ax, 0, true, upper)
            } else if x < p as i64 && x >= -4 {
                let fprec = usize::try_from(p as i64 - 1 - x).unwrap_or(0);
                let mut s = format!("{ax:.fprec$}");
                if alt && fprec == 0 {
                    s.push('.');
                }
                s
            } else {
                exp_form(ax, p - 1, alt, upper)
            };
            if alt {
                s
            } else {
                strip_zeros(&s)
            }
        }
    }
}

/// Formats one double with a floating conversion.
fn fmt_float(out: &mut String, x: f64, conv: u8, width: usize, prec: Option<usize>, fl: Flags) {
    let sign = if x.is_sign_negative() {
        "-"
    } else if fl.plus {
        "+"
    } else if fl.space {
        " "
    } else {
        ""
    };
    if !x.is_finite() {
        let upper = conv.is_ascii_uppercase();
        let body = match (x.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        };
        let fl = Flags { zero: false, ..fl };
        pad(out, sign, body, body.len(), width, fl);
        return;
    }
    let body = float_body(x.abs(), conv, prec.unwrap_or(6), fl.alt);
    pad(out, sign, &body, body.len(), width, fl);
}

/// Formats one double with an integer conversion (`d i u o x X`).
fn fmt_int(out: &mut String, x: f64, spec: &Spec, width: usize, prec: Option<usize>, fl: Flags) {
    let i32v = || cast_i32(x);
    let (neg, mag): (bool, u64) = if matches!(spec.conv, b'd' | b'i') {
        let v: i64 = match spec.size {
            IntSize::Long => cast_i64(x),
            IntSize::Int => i64::from(i32v()),
            IntSize::Short => i64::from(i32v() as i16),
            IntSize::Char => i64::from(i32v() as i8),
        };
        (v < 0, v.unsigned_abs())
    } else {
        let v: u64 = match spec.size {
            IntSize::Long => cast_i64(x) as u64,
            IntSize::Int => u64::from(i32v() as u32),
            IntSize::Short => u64::from(i32v() as u16),
            IntSize::Char => u64::from(i32v() as u8),
        };
        (false, v)
    };
    let mut digits = if prec == Some(0) && mag == 0 {
        String::new()
    } else {
        match spec.conv {
            b'o' => format!("{mag:o}"),
            b'x' => format!("{mag:x}"),
            b'X' => format!("{mag:X}"),
            _ => format!("{mag}"),
        }
    };
    if let Some(p) = prec {
        if digits.len() < p {
            digits = format!("{}{digits}", "0".repeat(p - digits.len()));
        }
    }
    let prefix = match spec.conv {
        b'd' | b'i' if neg => "-",
        b'd' | b'i' if fl.plus => "+",
        b'd' | b'i' if fl.space => " ",
        b'o' if fl.alt && !digits.starts_with('0') => {
            digits.insert(0, '0');
            ""
        }
        b'x' if fl.alt && mag != 0 => "0x",
        b'X' if fl.alt && mag != 0 => "0X",
        _ => "",
    };
    // The 0 flag is ignored when a precision is given.
    let fl = Flags {
        zero: fl.zero && prec.is_none(),
        ..fl
    };
    pad(out, prefix, &digits, digits.len(), width, fl);
}

/// Takes the next argument, which must be a number.
fn next_num(args: &[FmtArg], next: &mut usize, text: &str) -> Result<f64, FormatError> {
    let index = *next;
    match args.get(index) {
        None => Err(FormatError::TooFewArgs {
            conversion: text.to_string(),
        }),
        Some(FmtArg::Num(x)) => {
            *next += 1;
            Ok(*x)
        }
        Some(FmtArg::Str(_)) => Err(FormatError::WrongType {
            index,
            conversion: text.to_string(),
            expected: "number",
        }),
    }
}

/// Performs one conversion, consuming its arguments.
fn convert(
    out: &mut String,
    spec: &Spec,
    text: &str,
    args: &[FmtArg],
    next: &mut usize,
) -> Result<(), FormatError> {
    let mut fl = spec.flags;
    let too_large = || FormatError::FieldTooLarge(text.to_string());
    let width = match spec.width {
        Field::Absent => 0,
        Field::Given(w) => w,
        Field::Star => {
            let w = i64::from(cast_i32(next_num(args, next, text)?));
            if w < 0 {
                fl.minus = true;
            }
            usize::try_from(w.unsigned_abs()).map_err(|_| too_large())?
        }
    };
    let prec = match spec.prec {
        Field::Absent => None,
        Field::Given(p) => Some(p),
        Field::Star => usize::try_from(cast_i32(next_num(args, next, text)?)).ok(),
    };
    if width > MAX_FIELD || prec.is_some_and(|p| p > MAX_FIELD) {
        return Err(too_large());
    }
    match spec.conv {
        b's' => {
            let index = *next;
            let s = match args.get(index) {
                None => {
                    return Err(FormatError::TooFewArgs {
                        conversion: text.to_string(),
                    })
                }
                Some(FmtArg::Str(s)) => c_str(s),
                Some(FmtArg::Num(_)) => {
                    return Err(FormatError::WrongType {
                        index,
                        conversion: text.to_string(),
                        expected: "string",
                    })
                }
            };
            *next += 1;
            let mut end = prec.unwrap_or(s.len()).min(s.len());
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            let body = sub(s, 0, end);
            let fl = Flags { zero: false, ..fl };
            pad(out, "", body, body.len(), width, fl);
        }
        b'c' => {
            let byte = cast_i32(next_num(args, next, text)?) as u8;
            let body = char::from(byte).to_string();
            let fl = Flags { zero: false, ..fl };
            let mut piece = String::new();
            pad(&mut piece, "", &body, 1, width, fl);
            // NEURON's buffer ends at a NUL the conversion wrote.
            if let Some(p) = piece.find('\0') {
                piece.truncate(p);
            }
            out.push_str(&piece);
        }
        b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
            let x = next_num(args, next, text)?;
            fmt_int(out, x, spec, width, prec, fl);
        }
        _ => {
            let x = next_num(args, next, text)?;
            fmt_float(out, x, spec.conv, width, prec, fl);
        }
    }
    Ok(())
}

/// The index of the next `%` at or after `i`, or the end.
fn next_percent(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .and_then(|t| t.iter().position(|&c| c == b'%'))
        .map_or(b.len(), |p| i + p)
}

/// C printf formatting of `fmt` with `args` (every numeric argument a double, cast as
/// NEURON casts it; see the module documentation). HOC's `printf` goes through
/// [`format`], which first cuts the format the way NEURON does.
///
/// Supports `%d %i %u %o %x %X %c %e %E %f %F %g %G %s %%`, flags `- + space 0 # '`,
/// width and precision including `*`, and length modifiers `h hh l ll L q j z Z t`.
/// Extra arguments are ignored (as in C). Errors: too few arguments, a string for a
/// numeric conversion or a number for `%s`, an unsupported conversion (`%n %p %a`...),
/// a field wider than [`MAX_FIELD`]. Never panics.
pub fn c_format(fmt: &str, args: &[FmtArg]) -> Result<String, FormatError> {
    let fmt = c_str(fmt);
    let b = fmt.as_bytes();
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut next = 0;
    let mut i = 0;
    while i < b.len() {
        let pct = next_percent(b, i);
        out.push_str(sub(fmt, i, pct));
        if pct >= b.len() {
            break;
        }
        let (piece, end) = parse_spec(fmt, pct + 1);
        let text = sub(fmt, pct, end);
        i = end;
        match piece {
            Piece::Incomplete | Piece::Unknown => out.push_str(text),
            Piece::Percent => out.push_str(sub(text, 0, text.len() - 1)),
            Piece::Unsupported => return Err(FormatError::BadConversion(text.to_string())),
            Piece::Conv(spec) => convert(&mut out, &spec, text, args, &mut next)?,
        }
    }
    Ok(out)
}

/// HOC's `printf`/`sprint`/`fprint` formatting. NEURON cuts the format into
/// fragments: after each `%` the fragment runs to the first of `d o x c f e g s %`.
/// A fragment ended by a conversion letter is formatted by C with the next argument
/// (so `%ix` prints the number then `x`); one ended by `%` is copied without that `%`
/// (`%i|%d` prints `%i|d` and consumes nothing); a `%` with no such letter after it
/// is copied to the end. Extra arguments are ignored.
pub fn format(fmt: &str, args: &[FmtArg]) -> Result<String, FormatError> {
    let fmt = c_str(fmt);
    let b = fmt.as_bytes();
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut next = 0;
    let mut i = 0;
    while i < b.len() {
        let pct = next_percent(b, i);
        out.push_str(sub(fmt, i, pct));
        if pct >= b.len() {
            break;
        }
        let end = b
            .get(pct + 1..)
            .and_then(|t| t.iter().position(|c| b"doxcfegs%".contains(c)))
            .map(|p| pct + 1 + p);
        let Some(end) = end else {
            out.push_str(sub(fmt, pct, b.len()));
            break;
        };
        if b[end] == b'%' {
            if end == pct + 1 {
                out.push('%');
            } else {
                out.push_str(sub(fmt, pct, end));
            }
        } else {
            let frag = sub(fmt, pct, end + 1);
            let Some(arg) = args.get(next) else {
                return Err(FormatError::TooFewArgs {
                    conversion: frag.to_string(),
                });
            };
            let text = c_format(frag, std::slice::from_ref(arg)).map_err(|e| match e {
                FormatError::WrongType {
                    conversion,
                    expected,
                    ..
                } => FormatError::WrongType {
                    index: next,
                    conversion,
                    expected,
                },
                other => other,
            })?;
            out.push_str(&text);
            next += 1;
        }
        i = end + 1;
    }
    Ok(out)
}

/// `%.8g` formatting, as HOC's `print` and top-level echo use (e.g. `3.1415927`,
/// `1.2345679e+08`, `1e-20`, `100000`, `-0.5`).
pub fn fmt_g8(x: f64) -> String {
    let mut out = String::new();
    fmt_float(&mut out, x, b'g', 0, Some(8), Flags::default());
    out
}

/// Formats one double with a single-conversion spec like `"%5.2f"` or `"%g "` (text
/// around the conversion kept), as `Vector.printf` does. This is [`format()`] with the one
/// argument `x`: a spec with two conversions gives [`FormatError::TooFewArgs`] and `%s`
/// gives [`FormatError::WrongType`]; integer conversions truncate `x` as `printf` does.
pub fn format_num(spec: &str, x: f64) -> Result<String, FormatError> {
    format(spec, &[FmtArg::Num(x)])
}

// ---------------------------------------------------------------------------------------
// sscanf
// ---------------------------------------------------------------------------------------

/// The value a scanned conversion produced.
#[derive(Debug, Clone, PartialEq)]
pub enum ScanValue {
    /// From `%d %i %o %u %x` (C `int`, or `long` with `l`), `%e %f %g` (C `float`, or
    /// `double` with `l`: `%f` of "3.14159" gives 3.1415901184082031) and `%c` (the
    /// character's code as a signed C `char`).
    Num(f64),
    /// From `%s` and `%[...]` (bytes that are not UTF-8 are replaced by U+FFFD).
    Str(String),
}

/// The kind of HOC variable a `sscanf` conversion assigns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKind {
    /// A pointer to a number (`&x`): `%d %i %o %u %x %e %f %g %c`, with or without `l`.
    Num,
    /// A `strdef`: `%s` and `%[...]`.
    Str,
}

/// Result of [`sscanf`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScanResult {
    /// The values assigned, in order (`values.len()` is `count` clamped at 0).
    pub values: Vec<ScanValue>,
    /// Exactly C's return value: the number of assignments, or -1 (EOF) when the input
    /// ran out before the first assignment.
    pub count: i32,
}

/// Checks a HOC `sscanf` format the way NEURON does before scanning, and lists the kind
/// of variable each assigning conversion needs (the interpreter checks its arguments
/// against this: NEURON reports "missing arg N", "arg N must be a string" or "arg N must
/// be a pointer to a number"; it does that conversion by conversion, so a missing
/// argument is reported before a bad specifier further right).
///
/// Accepted: `%[*][width][l]` followed by `d i o u x e f g s [` or `c` (no width or `l`
/// on `c`, no `l` on `s [`), and `%%`. NEURON does not check suppressed (`%*`)
/// conversions; neither does this.
pub fn scan_targets(fmt: &str) -> Result<Vec<ScanKind>, FormatError> {
    let b = c_str(fmt).as_bytes();
    let mut kinds = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let arg = kinds.len() + 3;
            let incomplete = FormatError::ScanIncomplete { arg };
            let bad = FormatError::ScanBadSpecifier { arg };
            let mut convert = true;
            let (mut islong, mut sawnum) = (false, false);
            i += 1;
            let at = |i: usize| b.get(i).copied();
            if at(i).is_none() {
                return Err(incomplete);
            }
            if at(i) == Some(b'*') {
                convert = false;
                i += 1;
                if at(i).is_none() {
                    return Err(incomplete);
                }
            }
            if convert && kinds.len() >= 19 {
                return Err(FormatError::ScanTooManyArgs { arg: arg - 1 });
            }
            while at(i).is_some_and(|c| c.is_ascii_digit()) {
                sawnum = true;
                i += 1;
                if at(i).is_none() {
                    return Err(incomplete);
                }
            }
            if at(i) == Some(b'l') {
                islong = true;
                i += 1;
                if at(i).is_none() {
                    return Err(incomplete);
                }
            }
            if convert {
                let kind = match at(i) {
                    Some(b'%') => None,
                    Some(b'd' | b'i' | b'o' | b'u' | b'x' | b'e' | b'f' | b'g') => {
                        Some(ScanKind::Num)
                    }
                    Some(b'[') if !islong => {
                        // Find the closing ']', which may not be the first set character.
                        let mut n = 0;
                        loop {
                            let Some(c) = at(i) else {
                                return Err(incomplete);
                            };
                            let literal = n == 1 || (n == 2 && i > 0 && at(i - 1) == Some(b'^'));
                            if c == b']' && !literal {
                                break;
                            }
                            n += 1;
                            i += 1;
                        }
                        Some(ScanKind::Str)
                    }
                    Some(b's') if !islong => Some(ScanKind::Str),
                    Some(b'c') if !islong && !sawnum => Some(ScanKind::Num),
                    _ => return Err(bad),
                };
                kinds.extend(kind);
            }
        }
        i += 1;
    }
    if kinds.len() >= 13 {
        return Err(FormatError::ScanTooManyArgs {
            arg: kinds.len() + 2,
        });
    }
    Ok(kinds)
}

/// The input, read one byte at a time like glibc's `inchar`/`ungetc`.
struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn inchar(&mut self) -> Option<u8> {
        let c = self.b.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }
    fn ungetc(&mut self, c: Option<u8>) {
        if c.is_some() {
            self.pos = self.pos.saturating_sub(1);
        }
    }
}

/// Why scanning stopped early: glibc's `input_error` (input exhausted) or `conv_error`.
enum Stop {
    Input,
    Matching,
}

/// C's `isspace` in the C locale.
fn is_space(c: Option<u8>) -> bool {
    matches!(c, Some(b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
}

fn lower(c: Option<u8>) -> Option<u8> {
    c.map(|c| c.to_ascii_lowercase())
}

/// glibc's `read_int`: a decimal number, -1 if it overflows an `int`.
fn read_int(f: &[u8], fi: &mut usize) -> i64 {
    let mut v: i64 = 0;
    while let Some(d) = f.get(*fi).filter(|c| c.is_ascii_digit()) {
        if v >= 0 {
            v = v * 10 + i64::from(d - b'0');
            if v > i64::from(i32::MAX) {
                v = -1;
            }
        }
        *fi += 1;
    }
    v
}

/// `strtol` (signed) or `strtoul` on an already-validated digit buffer; returns the bits.
fn strto_int(buf: &[u8], base: u32, signed: bool) -> u64 {
    let (neg, digits) = match buf.first() {
        Some(b'-') => (true, buf.get(1..).unwrap_or(&[])),
        Some(b'+') => (false, buf.get(1..).unwrap_or(&[])),
        _ => (false, buf),
    };
    let mut mag: u128 = 0;
    for &d in digits {
        let v = char::from(d).to_digit(base).unwrap_or(0);
        mag = (mag * u128::from(base) + u128::from(v)).min(u128::from(u64::MAX) + 1);
    }
    if signed {
        let v = match (neg, mag) {
            (true, m) if m >= 1 << 63 => i64::MIN,
            (true, m) => -(m as i64),
            (false, m) if m > i64::MAX as u128 => i64::MAX,
            (false, m) => m as i64,
        };
        v as u64
    } else if mag > u128::from(u64::MAX) {
        u64::MAX
    } else if neg {
        (mag as u64).wrapping_neg()
    } else {
        mag as u64
    }
}

/// `2^k` for `k` in `-1074..=1023`.
fn pow2(k: i64) -> f64 {
    if k >= -1022 {
        f64::from_bits(((k.min(1023) + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (k.max(-1074) + 1074))
    }
}

/// `mant * 2^exp2` (`sticky`: nonzero bits below `mant`) rounded to nearest-even with a
/// `p`-bit significand, minimum normal exponent `emin` and maximum exponent `emax`.
fn round_binary(mant: u64, sticky: bool, exp2: i64, p: i64, emin: i64, emax: i64) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let top = exp2 + 63 - i64::from(mant.leading_zeros());
    if top > emax {
        return f64::INFINITY;
    }
    let lsb = (top - (p - 1)).max(emin - (p - 1));
    let shift = lsb - exp2;
    let kept: u64 = if shift <= 0 {
        mant << (-shift).min(63)
    } else if shift >= 128 {
        0
    } else {
        let m = u128::from(mant);
        let q = m >> shift;
        let rem = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let up = rem > half || (rem == half && (sticky || q & 1 == 1));
        (q + u128::from(up)) as u64
    };
    kept as f64 * pow2(lsb)
}

/// `strtod`/`strtof` on a hexadecimal buffer (after the sign and `0x`).
fn parse_hex(s: &[u8], double: bool) -> f64 {
    let (mut mant, mut exp2, mut sticky, mut any, mut point) = (0u64, 0i64, false, false, false);
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if let Some(d) = char::from(c).to_digit(16) {
            any = true;
            if mant >> 60 == 0 {
                mant = mant * 16 + u64::from(d);
                exp2 -= if point { 4 } else { 0 };
            } else {
                sticky |= d != 0;
                exp2 += if point { 0 } else { 4 };
            }
        } else if c == b'.' && !point {
            point = true;
        } else {
            break;
        }
        i += 1;
    }
    if !any {
        return 0.0;
    }
    if lower(s.get(i).copied()) == Some(b'p') {
        let mut j = i + 1;
        let neg = s.get(j) == Some(&b'-');
        if matches!(s.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let mut e: i64 = 0;
        let mut digits = false;
        while let Some(d) = s.get(j).filter(|c| c.is_ascii_digit()) {
            e = (e * 10 + i64::from(d - b'0')).min(1 << 40);
            digits = true;
            j += 1;
        }
        if digits {
            exp2 += if neg { -e } else { e };
        }
    }
    if double {
        round_binary(mant, sticky, exp2, 53, -1022, 1023)
    } else {
        round_binary(mant, sticky, exp2, 24, -126, 127) as f32 as f64
    }
}

/// `strtod` (or `strtof` when `!double`) on the characters glibc's scanf collected;
/// `None` when no prefix of them is a number.
fn strtod_prefix(buf: &[u8], double: bool) -> Option<f64> {
    let (neg, s) = match buf.first() {
        Some(b'-') => (true, buf.get(1..).unwrap_or(&[])),
        Some(b'+') => (false, buf.get(1..).unwrap_or(&[])),
        _ => (false, buf),
    };
    let low: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
    let v = if low.starts_with(b"nan") {
        f64::NAN
    } else if low.starts_with(b"inf") {
        f64::INFINITY
    } else if low.starts_with(b"0x") {
        parse_hex(s.get(2..).unwrap_or(&[]), double)
    } else {
        // [digits][.digits][e[sign]digits]
        let mut i = 0;
        let mut digits = Vec::new();
        let mut frac = 0i64;
        let mut point = false;
        while let Some(&c) = low.get(i) {
            if c.is_ascii_digit() {
                digits.push(c);
                frac += i64::from(point);
            } else if c == b'.' && !point {
                point = true;
            } else {
                break;
            }
            i += 1;
        }
        if digits.is_empty() {
            return None;
        }
        let mut exp = 0i64;
        if low.get(i) == Some(&b'e') {
            let mut j = i + 1;
            let eneg = low.get(j) == Some(&b'-');
            if matches!(low.get(j), Some(b'-' | b'+')) {
                j += 1;
            }
            while let Some(d) = low.get(j).filter(|c| c.is_ascii_digit()) {
                exp = (exp * 10 + i64::from(d - b'0')).min(1 << 40);
                j += 1;
            }
            if eneg {
                exp = -exp;
            }
        }
        let first = digits.iter().position(|&d| d != b'0');
        let last = digits.iter().rposition(|&d| d != b'0');
        match (first, last) {
            (Some(a), Some(z)) => {
                let sig = digits.get(a..=z).unwrap_or(&[]);
                let e10 = exp - frac + (digits.len() - 1 - z) as i64;
                let mag = e10 + sig.len() as i64; // value < 10^mag
                if mag > 400 {
                    f64::INFINITY
                } else if mag < -400 {
                    0.0
                } else {
                    let text = format!("{}e{e10}", String::from_utf8_lossy(sig));
                    if double {
                        text.parse::<f64>().unwrap_or(0.0)
                    } else {
                        f64::from(text.parse::<f32>().unwrap_or(0.0))
                    }
                }
            }
            _ => 0.0,
        }
    };
    let v = if double { v } else { v as f32 as f64 };
    Some(if neg { -v } else { v })
}

/// Counts one character against a field width (-1: unlimited).
fn dec(w: &mut i64) {
    if *w > 0 {
        *w -= 1;
    }
}

/// Reads characters from `c` on while `accept` holds and the width lasts; the first
/// rejected character is pushed back.
fn read_run(
    r: &mut Reader,
    mut c: Option<u8>,
    mut width: i64,
    accept: impl Fn(u8) -> bool,
) -> Vec<u8> {
    let mut buf = Vec::new();
    while let Some(ch) = c {
        if !accept(ch) {
            r.ungetc(c);
            break;
        }
        buf.push(ch);
        dec(&mut width);
        if width == 0 {
            break;
        }
        c = r.inchar();
    }
    buf
}

/// glibc's floating-point field reader: collects the characters of a number.
fn scan_float(r: &mut Reader, mut width: i64) -> Result<Vec<u8>, Stop> {
    let mut buf = Vec::new();
    let mut c = r.inchar();
    dec(&mut width);
    if c.is_none() {
        return Err(Stop::Input);
    }
    let mut got_sign = 0;
    if matches!(c, Some(b'-' | b'+')) {
        got_sign = 1;
        buf.extend(c);
        if width == 0 {
            return Err(Stop::Matching);
        }
        c = r.inchar();
        if c.is_none() {
            return Err(Stop::Matching);
        }
        dec(&mut width);
    }
    // Reads the next character and checks it is `want`, as glibc does for "nan"/"inf".
    let expect = |r: &mut Reader, buf: &mut Vec<u8>, width: &mut i64, want: u8| {
        if *width == 0 {
            return Err(Stop::Matching);
        }
        let c = r.inchar();
        if lower(c) != Some(want) {
            return Err(Stop::Matching);
        }
        dec(width);
        buf.extend(c);
        Ok(())
    };
    if lower(c) == Some(b'n') {
        buf.extend(c);
        expect(r, &mut buf, &mut width, b'a')?;
        expect(r, &mut buf, &mut width, b'n')?;
        return Ok(buf);
    }
    if lower(c) == Some(b'i') {
        buf.extend(c);
        expect(r, &mut buf, &mut width, b'n')?;
        expect(r, &mut buf, &mut width, b'f')?;
        if width != 0 {
            let c = r.inchar();
            if lower(c) == Some(b'i') {
                dec(&mut width);
                buf.extend(c);
                for want in [b'n', b'i', b't', b'y'] {
                    expect(r, &mut buf, &mut width, want)?;
                }
            } else {
                r.ungetc(c);
            }
        }
        return Ok(buf);
    }
    let mut exp_char = b'e';
    let mut hexa = false;
    let (mut got_digit, mut got_dot, mut got_e) = (false, false, false);
    if width != 0 && c == Some(b'0') {
        buf.extend(c);
        c = r.inchar();
        dec(&mut width);
        if width != 0 && lower(c) == Some(b'x') {
            buf.extend(c);
            hexa = true;
            exp_char = b'p';
            c = r.inchar();
            dec(&mut width);
        } else {
            got_digit = true;
        }
    }
    loop {
        let ch = c.unwrap_or(0);
        if ch.is_ascii_digit() || (!got_e && hexa && ch.is_ascii_hexdigit()) {
            buf.push(ch);
            got_digit = true;
        } else if got_e && buf.last() == Some(&exp_char) && (ch == b'-' || ch == b'+') {
            buf.push(ch);
        } else if got_digit && !got_e && ch.to_ascii_lowercase() == exp_char {
            buf.push(exp_char);
            got_e = true;
            got_dot = true;
        } else if !got_dot && ch == b'.' {
            buf.push(ch);
            got_dot = true;
        } else {
            r.ungetc(c);
            break;
        }
        if width == 0 {
            break;
        }
        c = r.inchar();
        if c.is_none() {
            break;
        }
        dec(&mut width);
    }
    if buf.len() == got_sign || (hexa && buf.len() == 2 + got_sign) {
        return Err(Stop::Matching);
    }
    Ok(buf)
}

/// glibc's integer field reader: collects sign and digits (a `0x` prefix is consumed but
/// not kept); returns them with the base finally used.
fn scan_integer(r: &mut Reader, mut width: i64, mut base: u32) -> Result<(Vec<u8>, u32), Stop> {
    let mut buf = Vec::new();
    let mut c = r.inchar();
    if c.is_none() {
        return Err(Stop::Input);
    }
    if matches!(c, Some(b'-' | b'+')) {
        buf.extend(c);
        dec(&mut width);
        c = r.inchar();
    }
    if width != 0 && c == Some(b'0') {
        dec(&mut width);
        buf.extend(c);
        c = r.inchar();
        if width != 0 && lower(c) == Some(b'x') {
            if base == 0 {
                base = 16;
            }
            if base == 16 {
                dec(&mut width);
                c = r.inchar();
            }
        } else if base == 0 {
            base = 8;
        }
    }
    if base == 0 {
        base = 10;
    }
    while let Some(ch) = c {
        if width == 0 || char::from(ch).to_digit(base).is_none() {
            break;
        }
        buf.push(ch);
        dec(&mut width);
        c = r.inchar();
    }
    r.ungetc(c);
    if buf.is_empty() || (buf.len() == 1 && matches!(buf[0], b'+' | b'-')) {
        return Err(Stop::Matching);
    }
    Ok((buf, base))
}

/// Reads a `%[...]` set from the format at `*fi` (just after `[`); `None` if unterminated.
fn parse_set(f: &[u8], fi: &mut usize) -> Option<([bool; 256], bool)> {
    let mut set = [false; 256];
    let not_in = f.get(*fi) == Some(&b'^');
    if not_in {
        *fi += 1;
    }
    if let Some(&c @ (b']' | b'-')) = f.get(*fi) {
        set[usize::from(c)] = true;
        *fi += 1;
    }
    loop {
        let &fc = f.get(*fi)?;
        *fi += 1;
        if fc == b']' {
            return Some((set, not_in));
        }
        let next = f.get(*fi).copied().filter(|&n| n != b']');
        let prev = (*fi >= 2).then(|| f.get(*fi - 2).copied()).flatten();
        match (fc, prev, next) {
            (b'-', Some(p), Some(n)) if p <= n => set[usize::from(p)..usize::from(n)].fill(true),
            _ => set[usize::from(fc)] = true,
        }
    }
}

/// The scanning engine: glibc's `vfscanf` on a string, storing into NEURON's C types.
fn scan(r: &mut Reader, f: &[u8], vals: &mut Vec<ScanValue>) -> Result<(), Stop> {
    let mut fi = 0;
    let mut skip_space = false;
    while let Some(&fc) = f.get(fi) {
        fi += 1;
        if fc != b'%' {
            if is_space(Some(fc)) {
                skip_space = true;
                continue;
            }
            let mut c = r.inchar().ok_or(Stop::Input)?;
            if skip_space {
                while is_space(Some(c)) {
                    c = r.inchar().ok_or(Stop::Input)?;
                }
                skip_space = false;
            }
            if c != fc {
                r.ungetc(Some(c));
                return Err(Stop::Matching);
            }
            continue;
        }
        let mut suppress = false;
        let mut width;
        if f.get(fi).is_some_and(u8::is_ascii_digit) {
            width = read_int(f, &mut fi);
            if f.get(fi) == Some(&b'$') {
                return Err(Stop::Matching); // positional arguments: not supported
            }
        } else {
            while let Some(&c @ (b'*' | b'\'' | b'I')) = f.get(fi) {
                suppress |= c == b'*';
                fi += 1;
            }
            width = read_int(f, &mut fi);
        }
        if width == 0 {
            width = -1;
        }
        let mut long = false;
        match f.get(fi) {
            Some(b'h') => {
                fi += 1 + usize::from(f.get(fi + 1) == Some(&b'h'));
            }
            Some(b'l') => {
                long = true;
                fi += 1 + usize::from(f.get(fi + 1) == Some(&b'l'));
            }
            Some(b'q' | b'L' | b'z' | b'j' | b't') => {
                long = true;
                fi += 1;
            }
            Some(b'm') => {
                long = f.get(fi + 1) == Some(&b'l');
                fi += 1 + usize::from(long);
            }
            _ => {}
        }
        let Some(&conv) = f.get(fi) else {
            return Err(Stop::Matching);
        };
        fi += 1;
        if skip_space || !matches!(conv, b'[' | b'c' | b'C' | b'n') {
            loop {
                let c = r.inchar();
                if !is_space(c) {
                    r.ungetc(c);
                    break;
                }
            }
            skip_space = false;
        }
        let value = match conv {
            b'%' => {
                let c = r.inchar().ok_or(Stop::Input)?;
                if c != b'%' {
                    r.ungetc(Some(c));
                    return Err(Stop::Matching);
                }
                None
            }
            b'n' => None,
            b'c' | b'C' => {
                if width == -1 {
                    width = 1;
                }
                let first = r.inchar().ok_or(Stop::Input)?;
                while width > 1 && r.inchar().is_some() {
                    width -= 1;
                }
                Some(ScanValue::Num(f64::from(first as i8)))
            }
            b's' | b'S' | b'[' => {
                let c = Some(r.inchar().ok_or(Stop::Input)?);
                let buf = if conv == b'[' {
                    let Some((set, not_in)) = parse_set(f, &mut fi) else {
                        r.ungetc(c);
                        return Err(Stop::Matching);
                    };
                    read_run(r, c, width, |ch| set[usize::from(ch)] != not_in)
                } else {
                    read_run(r, c, width, |ch| !is_space(Some(ch)))
                };
                if buf.is_empty() {
                    return Err(Stop::Matching);
                }
                Some(ScanValue::Str(String::from_utf8_lossy(&buf).into_owned()))
            }
            b'd' | b'i' | b'o' | b'u' | b'x' | b'X' | b'p' => {
                let (base, signed) = match conv {
                    b'd' => (10, true),
                    b'i' => (0, true),
                    b'o' => (8, false),
                    b'u' => (10, false),
                    _ => (16, false),
                };
                let (buf, base) = scan_integer(r, width, base)?;
                let bits = strto_int(&buf, base, signed);
                // NEURON reads the C `int`/`long` back as signed.
                let v = if long || conv == b'p' {
                    bits as i64 as f64
                } else {
                    f64::from(bits as u32 as i32)
                };
                Some(ScanValue::Num(v))
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                let buf = scan_float(r, width)?;
                let v = strtod_prefix(&buf, long).ok_or(Stop::Matching)?;
                Some(ScanValue::Num(v))
            }
            _ => return Err(Stop::Matching),
        };
        if let (Some(v), false) = (value, suppress) {
            vals.push(v);
        }
    }
    Ok(())
}

/// C `sscanf` as HOC's `sscanf(input, fmt, &x, str...)` performs it: the format is first
/// checked as NEURON checks it ([`scan_targets`]; errors are NEURON's "scan error:"
/// messages), then scanned with glibc's rules: whitespace in the format matches any
/// amount of input whitespace, other characters must match exactly, conversions other
/// than `%c %[` skip leading whitespace, `%*` suppresses assignment, `%%` matches `%`.
///
/// Values come back in NEURON's types: `%f %e %g` without `l` are read as C `float`,
/// integers as C `int` (or `long` with `l`) with glibc's overflow behaviour, `%c` as
/// the signed code of one byte. [`ScanResult::count`] is exactly C's return value.
pub fn sscanf(input: &str, fmt: &str) -> Result<ScanResult, FormatError> {
    scan_targets(fmt)?;
    let mut r = Reader {
        b: c_str(input).as_bytes(),
        pos: 0,
    };
    let mut values = Vec::new();
    let count = match scan(&mut r, c_str(fmt).as_bytes(), &mut values) {
        Err(Stop::Input) if values.is_empty() => -1,
        _ => i32::try_from(values.len()).unwrap_or(i32::MAX),
    };
    Ok(ScanResult { values, count })
}

#[cfg(test)]
#[allow(clippy::approx_constant)] // 3.14159265358979 is NEURON's test value, not PI
mod tests {
    use super::FmtArg::{Num, Str};
    use super::*;

    #[test]
    fn neuron_cuts_formats_at_its_conversion_letters() {
        let g = |fmt: &str, args: &[FmtArg]| format(fmt, args).unwrap_or_else(|e| e.to_string());
        // Real NEURON 9.0.2 outputs.
        assert_eq!(g("A[%i|%d]", &[Num(5.), Num(6.)]), "A[%i|d]");
        assert_eq!(g("B[%X G %E|%d]", &[Num(5.), Num(6.)]), "B[%X G E|5]");
        assert_eq!(g("C[%u]", &[Num(5.)]), "C[%u]");
        assert_eq!(g("D[%ix]", &[Num(255.)]), "D[255x]");
        assert_eq!(g("E[%i %d %d]", &[Num(1.), Num(2.), Num(3.)]), "E[%i d 1]");
        assert_eq!(g("F[%5%d]", &[Num(7.)]), "F[%5d]");
        assert_eq!(g("G[%q]", &[Num(7.)]), "G[%q]");
        assert_eq!(g("H[%y %g]", &[Num(7.), Num(8.)]), "H[%y g]");
        assert_eq!(
            g("%5.1f%%|%ld|%s", &[Num(99.5), Num(3e9), Str("x")]),
            " 99.5%|3000000000|x"
        );
        assert!(format("%d %d", &[Num(1.)]).is_err());
    }

    fn f(fmt: &str, args: &[FmtArg]) -> String {
        c_format(fmt, args).unwrap_or_else(|e| format!("ERR {e}"))
    }

    fn nums(fmt: &str, xs: &[f64]) -> String {
        let args: Vec<FmtArg> = xs.iter().map(|&x| Num(x)).collect();
        f(fmt, &args)
    }

    const X: f64 = 3.14159265358979;

    #[test]
    fn neuron_reference_lines() {
        assert_eq!(
            nums("%d|%5d|%-5d|%05d\n", &[42.; 4]),
            "42|   42|42   |00042\n"
        );
        assert_eq!(nums("%d %d %d\n", &[2.7, -2.7, 1e9]), "2 -2 1000000000\n");
        assert_eq!(
            nums("%f|%.2f|%8.3f|%-8.1f|%+.1f\n", &[X; 5]),
            "3.141593|3.14|   3.142|3.1     |+3.1\n"
        );
        assert_eq!(
            nums("%e|%.3e|%12.4e\n", &[X * 1000., X * 1000., -X]),
            "3.141593e+03|3.142e+03| -3.1416e+00\n"
        );
        assert_eq!(
            nums(
                "%g|%g|%g|%g|%g|%g\n",
                &[1e-5, 1e-4, 123456., 1234567., 0.5, 100.]
            ),
            "1e-05|0.0001|123456|1.23457e+06|0.5|100\n"
        );
        assert_eq!(
            nums("%.3g|%.10g|%g|%g|%g\n", &[X, X, 0., -0.0, 1e100]),
            "3.14|3.141592654|0|-0|1e+100\n"
        );
        let abc = [Str("abc"), Str("abc"), Str("abc"), Str("abcdef")];
        assert_eq!(
            f("%s|%10s|%-10s|%.3s\n", &abc),
            "abc|       abc|abc       |abc\n"
        );
        assert_eq!(nums("%5.1f%%\n", &[99.5]), " 99.5%\n");
        assert_eq!(nums("%x %o\n", &[255., 8.]), "ff 10\n");
        assert_eq!(nums("%c%c%c\n", &[72., 105., 33.]), "Hi!\n");
    }

    #[test]
    fn g8_like_print() {
        let cases = [
            (std::f64::consts::PI, "3.1415927"),
            (1. / 3., "0.33333333"),
            (2. / 3., "0.66666667"),
            (1e-20, "1e-20"),
            (1e20, "1e+20"),
            (123456789., "1.2345679e+08"),
            (0.3, "0.3"),
            (-0.5, "-0.5"),
            (100., "100"),
            (1e5, "100000"),
            (1e6, "1000000"),
            (1e7, "10000000"),
            (0., "0"),
            (-0.0, "-0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-f64::NAN, "-nan"),
        ];
        for (x, want) in cases {
            assert_eq!(fmt_g8(x), want, "{x}");
        }
    }

    #[test]
    fn g12_and_g15() {
        assert_eq!(nums("%.12g", &[2f64.sqrt()]), "1.41421356237");
        assert_eq!(nums("%.12g", &[1. / 3.]), "0.333333333333");
        assert_eq!(nums("%.12g", &[1000.001]), "1000.001");
        assert_eq!(nums("%.12g", &[1e-11]), "1e-11");
        assert_eq!(nums("%.12g", &[1.01423205474e304]), "1.01423205474e+304");
        assert_eq!(nums("%.12g", &[1e-310]), "1e-310");
        assert_eq!(
            nums("%.15g", &[2432902008176640000.]),
            "2.43290200817664e+18"
        );
    }

    #[test]
    fn rounding_is_exact_half_even() {
        // Values from glibc.
        assert_eq!(
            nums("%.0f %.0f %.0f %.0f", &[0.5, 1.5, 2.5, 3.5]),
            "0 2 2 4"
        );
        assert_eq!(nums("%.2f", &[1.005]), "1.00"); // 1.005 is below the tie
        assert_eq!(nums("%.1f", &[0.25]), "0.2");
        assert_eq!(nums("%.0e", &[2.5]), "2e+00");
        assert_eq!(nums("%.3g", &[9.9996]), "10");
        assert_eq!(nums("%g", &[999999.5]), "1e+06");
        assert_eq!(nums("%g", &[0.00001234567]), "1.23457e-05");
        assert_eq!(nums("%.20f", &[0.1]), "0.10000000000000000555");
        assert_eq!(
            nums("%.3e|%e|%e", &[1e-310, 1e300, 5e-324]),
            "1.000e-310|1.000000e+300|4.940656e-324"
        );
        assert_eq!(nums("%.0f", &[1e21]), "1000000000000000000000");
    }

    #[test]
    fn float_flags_and_specials() {
        let inf = f64::INFINITY;
        let nan = f64::NAN;
        assert_eq!(
            nums("[%f %e %g %F %E %G]", &[nan, -nan, inf, -inf, nan, inf]),
            "[nan -nan inf -INF NAN INF]"
        );
        assert_eq!(
            nums("[%010f][%+f][% f][%-8f|]", &[inf, inf, nan, nan]),
            "[       inf][+inf][ nan][nan     |]"
        );
        assert_eq!(
            nums("[%#g][%#.0f][%#.0e]", &[0., 3., 3.]),
            "[0.00000][3.][3.e+00]"
        );
        assert_eq!(
            nums(
                "[%#.3g][%#g][%g][%#.10g]",
                &[1., 123456789., 0.0001234567, 1.5]
            ),
            "[1.00][1.23457e+08][0.000123457][1.500000000]"
        );
        assert_eq!(
            nums("%08.3f|%-+8.2f|% .2e", &[-3.14159, 2.5, 12345.]),
            "-003.142|+2.50   | 1.23e+04"
        );
        assert_eq!(nums("%+ f", &[1.]), "+1.000000");
        assert_eq!(nums("%G %E", &[1e-10, 12345.678]), "1E-10 1.234568E+04");
        assert_eq!(nums("%.0g %#.0g", &[123., 0.5]), "1e+02 0.5");
        assert_eq!(nums("%e", &[0.]), "0.000000e+00");
        assert_eq!(nums("%g", &[1e-5 * 0.999999]), "9.99999e-06");
        assert_eq!(
            nums("%lf %Lf %10.4lg", &[1.5, 2.5, X]),
            "1.500000 2.500000      3.142"
        );
    }

    #[test]
    fn alt_g_carry_quirk() {
        // glibc drops the fraction digits when `%#g` rounding carries into exponent form.
        assert_eq!(
            nums(
                "[%#g][%#.3g][%#.2g][%#g][%#g]",
                &[999999.5, 999.5, 99.5, 1e6, 999999.4]
            ),
            "[1.e+06][1.e+03][1.e+02][1.00000e+06][999999.]"
        );
        assert_eq!(
            nums("[%#.2g][%#g]", &[999999.5, 9.9999996e-5]),
            "[1.0e+06][0.000100000]"
        );
    }

    #[test]
    fn integer_conversions() {
        assert_eq!(nums("%d %d", &[3e9, -3e9]), "-2147483648 -2147483648");
        assert_eq!(nums("%d", &[f64::NAN]), "-2147483648");
        assert_eq!(
            nums("%ld %lld %ld", &[3e9, -1e15, 1e19]),
            "3000000000 -1000000000000000 -9223372036854775808"
        );
        assert_eq!(
            nums("%x %X %o %u", &[-1., 255., -1., -1.]),
            "ffffffff FF 37777777777 4294967295"
        );
        assert_eq!(
            nums("%lx %lu", &[-1., -1.]),
            "ffffffffffffffff 18446744073709551615"
        );
        assert_eq!(
            nums("%hd %hhd %hx %hhu", &[70000., 200., -1., 300.]),
            "4464 -56 ffff 44"
        );
        assert_eq!(
            nums(
                "%i %5.3d %-05d %05.3d %+05d % 05d",
                &[7., 5., 5., 5., 5., 5.]
            ),
            "7   005 5       005 +0005  0005"
        );
        assert_eq!(
            nums(
                "[%#x][%#o][%#o][%.0d][%#.0o][%+u][% x]",
                &[0., 8., 0., 0., 0., 5., 5.]
            ),
            "[0][010][0][][0][5][5]"
        );
        assert_eq!(
            nums("[%#.3x][%#08x][%#5o][%'d]", &[5., 255., 8., 1234567.]),
            "[0x005][0x0000ff][  010][1234567]"
        );
        assert_eq!(nums("%d %d", &[-0.9, 0.9]), "0 0");
        assert_eq!(nums("%jd %zd", &[-2., 5e9]), "-2 5000000000");
    }

    #[test]
    fn char_conversion() {
        assert_eq!(nums("[%c][%3c][%-3c]", &[65., 66., 67.]), "[A][  B][C  ]");
        assert_eq!(nums("%c", &[65. + 256.]), "A");
        assert_eq!(nums("%c", &[-191.]), "A"); // low byte 0x41
        assert_eq!(nums("[%c][%3c][%-3c]", &[0., 0., 0.]), "[][  ][]");
        assert_eq!(nums("%c", &[233.]), "\u{e9}");
        assert_eq!(nums("%05c", &[120.]), "    x");
    }

    #[test]
    fn strings() {
        assert_eq!(
            f(
                "%05s|%-4s|%.0s|%s",
                &[Str("ab"), Str("x"), Str("zz"), Str("")]
            ),
            "   ab|x   ||"
        );
        assert_eq!(
            f("%.1s|%3s", &[Str("\u{e9}t\u{e9}"), Str("\u{e9}")]),
            "| \u{e9}"
        );
        assert_eq!(f("%s", &[Str("a\0b")]), "a");
        assert_eq!(f("%s and %s", &[Str("x"), Str("y"), Num(3.)]), "x and y");
        assert_eq!(f("no conversions", &[]), "no conversions");
        assert_eq!(
            f("caf\u{e9} %d \u{263a}", &[Num(1.)]),
            "caf\u{e9} 1 \u{263a}"
        );
        assert_eq!(f("a\0%d", &[]), "a");
    }

    #[test]
    fn star_width_and_precision() {
        assert_eq!(
            nums(
                "[%*d][%-*d][%.*f][%*.*f]",
                &[5., 1., 3., 2., 2., X, 8., 3., X]
            ),
            "[    1][2  ][3.14][   3.142]"
        );
        assert_eq!(
            nums("[%*d][%.*f]", &[-4., 7., -1., 1.5]),
            "[7   ][1.500000]"
        );
        assert!(matches!(
            c_format("%.*s", &[Num(2.)]),
            Err(FormatError::TooFewArgs { .. })
        ));
        assert_eq!(f("%.*s", &[Num(2.), Str("hello")]), "he");
    }

    #[test]
    fn literal_and_malformed() {
        assert_eq!(f("100%", &[]), "100%");
        assert_eq!(f("%", &[]), "%");
        assert_eq!(f("%5", &[Num(1.)]), "%5");
        assert_eq!(f("%l", &[]), "%l");
        assert_eq!(f("%-.3", &[]), "%-.3");
        assert_eq!(f("[%y]", &[]), "[%y]");
        assert_eq!(f("[%5y] %d", &[Num(3.)]), "[%5y] 3");
        assert_eq!(f("[%5-d]", &[Num(3.)]), "[%5-d]");
        assert_eq!(f("%q", &[]), "%q");
        assert_eq!(f("%\u{e9}%d", &[Num(4.)]), "%\u{e9}4");
        assert_eq!(f("%%|%5%|%-%|a%%b", &[]), "%|%5|%-|a%b");
        assert_eq!(f("%*%", &[]), "%*");
    }

    #[test]
    fn errors() {
        assert_eq!(
            c_format("%d %d", &[Num(1.)]),
            Err(FormatError::TooFewArgs {
                conversion: "%d".into()
            })
        );
        assert_eq!(
            c_format("%s", &[Num(1.)]),
            Err(FormatError::WrongType {
                index: 0,
                conversion: "%s".into(),
                expected: "string"
            })
        );
        assert_eq!(
            c_format("%g %5.1f", &[Num(1.), Str("x")]),
            Err(FormatError::WrongType {
                index: 1,
                conversion: "%5.1f".into(),
                expected: "number"
            })
        );
        assert_eq!(
            c_format("%s", &[]),
            Err(FormatError::TooFewArgs {
                conversion: "%s".into()
            })
        );
        assert_eq!(
            c_format("%*d", &[Num(3.)]),
            Err(FormatError::TooFewArgs {
                conversion: "%*d".into()
            })
        );
        for bad in ["%n", "%p", "%a", "%1$d", "%m", "%C"] {
            assert!(
                matches!(
                    c_format(bad, &[Num(1.)]),
                    Err(FormatError::BadConversion(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            c_format("%99999999d", &[Num(1.)]),
            Err(FormatError::FieldTooLarge(_))
        ));
        assert!(matches!(
            c_format("%.99999999999999999999999f", &[Num(1.)]),
            Err(FormatError::FieldTooLarge(_))
        ));
        assert!(matches!(
            c_format("%*d", &[Num(-3e9), Num(1.)]),
            Err(FormatError::FieldTooLarge(_))
        ));
        let msg = c_format("%s", &[Num(1.)]).err().map(|e| e.to_string());
        assert_eq!(
            msg.as_deref(),
            Some("argument 1 (for `%s`) must be a string")
        );
    }

    #[test]
    fn format_num_for_vector_printf() {
        assert_eq!(format_num("%5.2f", X).ok().as_deref(), Some(" 3.14"));
        assert_eq!(format_num("%g ", 0.1).ok().as_deref(), Some("0.1 "));
        assert_eq!(format_num("<%d>\t", 7.9).ok().as_deref(), Some("<7>\t"));
        assert!(format_num("%g %g", 1.).is_err());
        assert!(format_num("%s", 1.).is_err());
    }

    fn sc(input: &str, fmt: &str) -> (i32, Vec<ScanValue>) {
        match sscanf(input, fmt) {
            Ok(r) => (r.count, r.values),
            Err(e) => panic!("{input:?} {fmt:?}: {e}"),
        }
    }

    fn n(x: f64) -> ScanValue {
        ScanValue::Num(x)
    }

    fn s(x: &str) -> ScanValue {
        ScanValue::Str(x.into())
    }

    #[test]
    fn sscanf_reference_lines() {
        assert_eq!(
            sc("3.5 17 word", "%lf %lf %s"),
            (3, vec![n(3.5), n(17.), s("word")])
        );
        assert_eq!(sc("12", "%lf %lf"), (1, vec![n(12.)]));
        assert_eq!(sc("x=2.25", "x=%lf"), (1, vec![n(2.25)]));
    }

    #[test]
    fn sscanf_counts_and_eof() {
        assert_eq!(sc("", "%lf"), (-1, vec![]));
        assert_eq!(sc("   ", "%lf"), (-1, vec![]));
        assert_eq!(sc("", "x"), (-1, vec![]));
        assert_eq!(sc("", ""), (0, vec![]));
        assert_eq!(sc("x", "%lf"), (0, vec![]));
        assert_eq!(sc("12", "x%lf"), (0, vec![]));
        assert_eq!(sc("a b", "a%lf"), (0, vec![]));
        assert_eq!(sc("abc", "%*s %lf"), (-1, vec![]));
        assert_eq!(sc("3.5 %", "%lf %%"), (1, vec![n(3.5)]));
        assert_eq!(sc("50%", "%lf%%"), (1, vec![n(50.)]));
        assert_eq!(sc("1 2 3", "%*lf %lf"), (1, vec![n(2.)]));
    }

    #[test]
    fn sscanf_floats() {
        let d = |i: &str| sc(i, "%lf");
        assert_eq!(d("1e"), (1, vec![n(1.)]));
        assert_eq!(d("1e+"), (1, vec![n(1.)]));
        assert_eq!(d("1e5x"), (1, vec![n(1e5)]));
        assert_eq!(d("."), (0, vec![]));
        assert_eq!(d(".5"), (1, vec![n(0.5)]));
        assert_eq!(d("5."), (1, vec![n(5.)]));
        assert_eq!(d("-"), (0, vec![]));
        assert_eq!(d("-Infinity"), (1, vec![n(f64::NEG_INFINITY)]));
        assert_eq!(d("inf"), (1, vec![n(f64::INFINITY)]));
        assert_eq!(d("infin"), (0, vec![]));
        assert_eq!(d("in"), (0, vec![]));
        assert!(matches!(d("nan(123)").1[..], [ScanValue::Num(v)] if v.is_nan()));
        assert_eq!(d("0x1.8p1"), (1, vec![n(3.)]));
        assert_eq!(d("0x"), (0, vec![]));
        assert_eq!(d("0xp"), (0, vec![]));
        assert_eq!(d("0x1p"), (1, vec![n(1.)]));
        assert_eq!(d("0x1.fffffffffffff8p1023"), (1, vec![n(f64::INFINITY)]));
        assert_eq!(d("0x1p-1074"), (1, vec![n(5e-324)]));
        assert_eq!(d("1e400"), (1, vec![n(f64::INFINITY)]));
        assert_eq!(d("1e-400"), (1, vec![n(0.)]));
        assert_eq!(d("2.5e-324"), (1, vec![n(5e-324)]));
        assert_eq!(d("-0"), (1, vec![n(-0.0)]));
        assert_eq!(sc("1.5e3", "%3lf"), (1, vec![n(1.5)]));
        assert_eq!(sc("1234.5", "%4lf"), (1, vec![n(1234.)]));
        assert_eq!(sc("1e+x rest", "%lf%s"), (2, vec![n(1.), s("x")]));
        // Without `l` the value passes through a C float.
        assert_eq!(sc("3.14159", "%f"), (1, vec![n(f64::from(3.14159f32))]));
        assert_eq!(sc("16777217", "%g"), (1, vec![n(16777216.)]));
        assert_eq!(sc("1e39", "%e"), (1, vec![n(f64::INFINITY)]));
        assert_eq!(sc("0x1.000001p0", "%f"), (1, vec![n(1.)]));
    }

    #[test]
    fn sscanf_integers() {
        let i = |inp: &str, fmt: &str| sc(inp, fmt);
        assert_eq!(i("99999999999", "%d"), (1, vec![n(1215752191.)]));
        assert_eq!(i("3000000000", "%d"), (1, vec![n(-1294967296.)]));
        assert_eq!(i("99999999999999999999", "%d"), (1, vec![n(-1.)]));
        assert_eq!(i("-99999999999999999999", "%d"), (1, vec![n(0.)]));
        assert_eq!(i("4294967295", "%u"), (1, vec![n(-1.)]));
        assert_eq!(i("-1", "%u"), (1, vec![n(-1.)]));
        assert_eq!(i("ff 0xff", "%x %x"), (2, vec![n(255.), n(255.)]));
        assert_eq!(i("0xg", "%x%s"), (2, vec![n(0.), s("g")]));
        assert_eq!(
            i("0x1A 017 -0x10 09", "%i %i %i %i"),
            (4, vec![n(26.), n(15.), n(-16.), n(0.)])
        );
        assert_eq!(i("08", "%o%s"), (2, vec![n(0.), s("8")]));
        assert_eq!(i("-", "%d"), (0, vec![]));
        assert_eq!(i("+5", "%d"), (1, vec![n(5.)]));
        assert_eq!(i("12345", "%3d%d"), (2, vec![n(123.), n(45.)]));
        assert_eq!(i("-12345", "%3d"), (1, vec![n(-12.)]));
        assert_eq!(i("  +", "%d"), (0, vec![]));
        assert_eq!(
            i("99999999999999999999", "%ld"),
            (1, vec![n(9223372036854775807.)])
        );
        assert_eq!(i("18446744073709551615", "%lu"), (1, vec![n(-1.)]));
        assert_eq!(i("-99999999999999999999", "%lu"), (1, vec![n(-1.)]));
        assert_eq!(i("12abc", "%d%s"), (2, vec![n(12.), s("abc")]));
    }

    #[test]
    fn sscanf_strings_chars_sets() {
        assert_eq!(sc("abc", "%c"), (1, vec![n(97.)]));
        assert_eq!(sc("  abc", "%c"), (1, vec![n(32.)]));
        assert_eq!(sc("  abc", " %c"), (1, vec![n(97.)]));
        assert_eq!(sc("\u{e9}", "%c"), (1, vec![n(-61.)])); // first UTF-8 byte 0xC3
        assert_eq!(sc("abc", "%[a-b]"), (1, vec![s("ab")]));
        assert_eq!(sc("-a]", "%[]-a]"), (0, vec![]));
        assert_eq!(sc("-ab", "%[-a]"), (1, vec![s("-a")]));
        assert_eq!(sc("zab", "%[z-a]"), (1, vec![s("za")]));
        assert_eq!(sc("^^a", "%[^]a]"), (1, vec![s("^^")]));
        assert_eq!(sc("]]x", "%[]]"), (1, vec![s("]]")]));
        assert_eq!(sc("", "%[a]"), (-1, vec![]));
        assert_eq!(sc("x", "%[a]"), (0, vec![]));
        assert_eq!(sc(" a", "%[a]"), (0, vec![]));
        assert_eq!(sc("a-z", "%[a-]"), (1, vec![s("a-")]));
        assert_eq!(sc("abcdef", "%3s%s"), (2, vec![s("abc"), s("def")]));
        assert_eq!(sc("ab", "%*c%s"), (1, vec![s("b")]));
        assert_eq!(sc("\t\n ab cd", "%s"), (1, vec![s("ab")]));
        assert_eq!(sc("a,b", "%[^,],%s"), (2, vec![s("a"), s("b")]));
        assert_eq!(sc("key = val", "%s = %s"), (2, vec![s("key"), s("val")]));
        assert_eq!(sc("key=val", "%s = %s"), (1, vec![s("key=val")]));
        assert_eq!(sc("k:v", "%[^:]:%s"), (2, vec![s("k"), s("v")]));
        assert_eq!(
            sc("caf\u{e9} x", "%s %s"),
            (2, vec![s("caf\u{e9}"), s("x")])
        );
        assert_eq!(sc("line one\nrest", "%[^\n]"), (1, vec![s("line one")]));
    }

    #[test]
    fn sscanf_format_errors() {
        let e = |fmt: &str| sscanf("1", fmt).err();
        assert_eq!(e("%"), Some(FormatError::ScanIncomplete { arg: 3 }));
        assert_eq!(e("%d %5"), Some(FormatError::ScanIncomplete { arg: 4 }));
        assert_eq!(e("%*"), Some(FormatError::ScanIncomplete { arg: 3 }));
        assert_eq!(e("%[abc"), Some(FormatError::ScanIncomplete { arg: 3 }));
        assert_eq!(e("%[^]"), Some(FormatError::ScanIncomplete { arg: 3 }));
        for bad in [
            "%n", "%lld", "%hd", "%E", "%5c", "%lc", "%ls", "%l[a]", "%q", "%1$d", "%p",
        ] {
            assert_eq!(
                e(bad),
                Some(FormatError::ScanBadSpecifier { arg: 3 }),
                "{bad}"
            );
        }
        assert_eq!(e("%*5c%*hd%*n"), None);
        let many = "%d".repeat(13);
        assert_eq!(e(&many), Some(FormatError::ScanTooManyArgs { arg: 15 }));
        assert_eq!(e(&"%d".repeat(12)), None);
        assert_eq!(
            e("%d%q").map(|e| e.to_string()).as_deref(),
            Some("unknown conversion specifier for arg 4")
        );
        assert_eq!(
            scan_targets("%lf %*d %s %% %[^,] %c %5i"),
            Ok(vec![
                ScanKind::Num,
                ScanKind::Str,
                ScanKind::Str,
                ScanKind::Num,
                ScanKind::Num
            ])
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let fmts = [
            "%", "%%%", "%*", "%.", "%.*", "%-", "%l", "%hh", "%[", "%[^", "%[]", "%*[", "%\u{e9}",
            "%*5c", "%0s",
        ];
        let args = [Num(f64::NAN), Str("s"), Num(f64::INFINITY), Num(-1e300)];
        for fmt in fmts {
            let _ = c_format(fmt, &args);
            let _ = c_format(fmt, &[]);
            let _ = sscanf("a1 \u{e9}", fmt);
            let _ = sscanf("", fmt);
        }
    }
}
