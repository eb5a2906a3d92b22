//! HOC's mathematical built-ins and constants. Results come from the C
//! library's functions (as NEURON's do), and a domain or range error is an
//! error, as NEURON's `errcheck` makes it.

use nerve_runtime::hoc::{Args, HocError, Interpreter, Value};

mod c {
    extern "C" {
        pub fn erf(x: f64) -> f64;
        pub fn erfc(x: f64) -> f64;
    }
}

fn erf(x: f64) -> f64 {
    // SAFETY: `erf` from the C math library is a pure function of a double,
    // with no pointers and no global state other than errno.
    unsafe { c::erf(x) }
}

fn erfc(x: f64) -> f64 {
    // SAFETY: as for `erf`.
    unsafe { c::erfc(x) }
}

/// Checks a result as NEURON's errcheck does: NaN from a number is a domain
/// error, infinity from a finite argument is a range error.
fn checked(name: &str, x: f64, r: f64) -> Result<Value, HocError> {
    if r.is_nan() && !x.is_nan() {
        return Err(HocError::msg(format!(
            "{name}({x}): argument out of domain"
        )));
    }
    if r.is_infinite() && x.is_finite() {
        return Err(HocError::msg(format!("{name}({x}): result out of range")));
    }
    Ok(Value::Num(r))
}

fn unary(interp: &mut Interpreter, name: &'static str, f: fn(f64) -> f64) {
    interp.register_fn(name, move |_, a: &mut Args| {
        a.expect_count(1, 1)?;
        let x = a.num(0)?;
        checked(name, x, f(x))
    });
}

/// The constants NEURON 9.0.2 defines (CODATA 2018 values for FARADAY and R).
pub const CONSTANTS: &[(&str, f64)] = &[
    ("PI", std::f64::consts::PI),
    ("E", std::f64::consts::E),
    ("GAMMA", 0.577_215_664_901_532_9),
    ("DEG", 57.295_779_513_082_32),
    ("PHI", 1.618_033_988_749_895),
    ("FARADAY", 96_485.332_123_310_01),
    ("R", 8.314_462_618_153_24),
    ("Avogadro_constant", 6.022_140_76e23),
];

/// Registers the math functions and constants.
pub fn register(interp: &mut Interpreter) {
    for (name, value) in CONSTANTS {
        interp.register_var(name, *value);
    }
    unary(interp, "sin", f64::sin);
    unary(interp, "cos", f64::cos);
    unary(interp, "atan", f64::atan);
    unary(interp, "tanh", f64::tanh);
    unary(interp, "sqrt", f64::sqrt);
    // log(0) and exp(x > 700) warn and go on, as NEURON's do; exp(x > 700)
    // gives exp(700), exp(x < -700) gives 0.
    for (name, f) in [("log", f64::ln as fn(f64) -> f64), ("log10", f64::log10)] {
        interp.register_fn(name, move |i, a: &mut Args| {
            a.expect_count(1, 1)?;
            let x = a.num(0)?;
            if x == 0.0 {
                i.range_warning(name);
                return Ok(Value::Num(f64::NEG_INFINITY));
            }
            checked(name, x, if x < 0.0 { f64::NAN } else { f(x) })
        });
    }
    interp.register_fn("exp", |i, a| {
        a.expect_count(1, 1)?;
        let x = a.num(0)?;
        if x < -700.0 {
            return Ok(Value::Num(0.0));
        }
        if x > 700.0 {
            i.range_warning("exp");
            return Ok(Value::Num(700f64.exp()));
        }
        checked("exp", x, x.exp())
    });
    unary(interp, "abs", f64::abs);
    interp.register_fn("int", |i, a| {
        a.expect_count(1, 1)?;
        let x = a.num(0)?;
        // NEURON nudges by float_epsilon toward the next integer before
        // truncating, and the result is never -0.
        let eps = i.float_epsilon.get();
        let y = if x < 0.0 { x - eps } else { x + eps };
        Ok(Value::Num(y.trunc() + 0.0))
    });
    unary(interp, "erf", erf);
    unary(interp, "erfc", erfc);
    interp.register_fn("atan2", |_, a| {
        a.expect_count(2, 2)?;
        let (y, x) = (a.num(0)?, a.num(1)?);
        checked("atan2", y, y.atan2(x))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_library_values() {
        assert_eq!(format!("{:.12}", erf(0.5)), "0.520499877813");
        assert_eq!(format!("{:.12}", erfc(0.5)), "0.479500122187");
    }

    #[test]
    fn domain_errors() {
        let mut i = Interpreter::with_output(Box::new(std::io::sink()));
        register(&mut i);
        assert!(i.run_source("t", "x = sqrt(-1)\n").is_err());
        assert!(i.run_source("t", "x = log(-1)\n").is_err());
        i.run_source("t", "x = log(0)\ny = exp(1000)\n").unwrap();
        assert_eq!(i.get_num("x"), Some(f64::NEG_INFINITY));
        assert_eq!(i.get_num("y"), Some(700f64.exp()));
        i.run_source("t", "x = exp(-1000) + int(-2.9)\n").unwrap();
        assert_eq!(i.get_num("x"), Some(-2.0));
    }
}
