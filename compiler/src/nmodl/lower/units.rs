//! The values of UNITS-block constants written as a unit in other units,
//! `FARADAY = (faraday) (coulomb)` or `R = (k-mole) (joule/degC)`, with the
//! 2019 SI constants NEURON 9.0.2's units database uses (checked against the
//! numbers nocmodl writes into its C++: `(faraday) (coulomb)` is
//! 96485.33212331001, `(k-mole) (joule/degC)` is 8.31446261815324).
//!
//! This is not a units checker: a unit expression is reduced to a factor
//! times SI base dimensions, enough to divide one unit by another.

use std::collections::BTreeMap;

/// A quantity: a factor times SI base units with exponents.
#[derive(Debug, Clone, PartialEq)]
struct Quantity {
    factor: f64,
    dims: BTreeMap<&'static str, i32>,
}

impl Quantity {
    fn scalar(f: f64) -> Quantity {
        Quantity {
            factor: f,
            dims: BTreeMap::new(),
        }
    }

    fn base(f: f64, dims: &[(&'static str, i32)]) -> Quantity {
        let mut q = Quantity::scalar(f);
        for &(d, e) in dims {
            *q.dims.entry(d).or_insert(0) += e;
        }
        q
    }

    fn mul(mut self, o: &Quantity, sign: i32) -> Quantity {
        if sign > 0 {
            self.factor *= o.factor;
        } else {
            self.factor /= o.factor;
        }
        for (d, e) in &o.dims {
            *self.dims.entry(d).or_insert(0) += sign * e;
        }
        self.dims.retain(|_, e| *e != 0);
        self
    }

    fn pow(&self, n: i32) -> Quantity {
        let mut q = Quantity::scalar(self.factor.powi(n));
        for (d, e) in &self.dims {
            if e * n != 0 {
                q.dims.insert(d, e * n);
            }
        }
        q
    }
}

const E_CHARGE: f64 = 1.602176634e-19;
const AVOGADRO: f64 = 6.02214076e23;
const BOLTZMANN: f64 = 1.380649e-23;

/// A unit name without prefix.
fn named(name: &str) -> Option<Quantity> {
    let q = |f, d: &[(&'static str, i32)]| Some(Quantity::base(f, d));
    match name {
        "1" => q(1.0, &[]),
        "m" | "meter" | "metre" => q(1.0, &[("m", 1)]),
        "micron" => q(1e-6, &[("m", 1)]),
        "g" | "gram" | "gm" => q(1e-3, &[("kg", 1)]),
        "s" | "sec" | "second" => q(1.0, &[("s", 1)]),
        "A" | "amp" | "ampere" => q(1.0, &[("A", 1)]),
        "K" | "kelvin" | "degC" | "degK" => q(1.0, &[("K", 1)]),
        "mol" | "mole" => Some(Quantity::scalar(AVOGADRO)),
        "C" | "coul" | "coulomb" | "coulombs" => q(1.0, &[("A", 1), ("s", 1)]),
        "J" | "joule" | "joules" => q(1.0, &[("kg", 1), ("m", 2), ("s", -2)]),
        "V" | "volt" | "volts" => q(1.0, &[("kg", 1), ("m", 2), ("s", -3), ("A", -1)]),
        "ohm" => q(1.0, &[("kg", 1), ("m", 2), ("s", -3), ("A", -2)]),
        "S" | "siemens" | "mho" => q(1.0, &[("kg", -1), ("m", -2), ("s", 3), ("A", 2)]),
        "F" | "farad" => q(1.0, &[("kg", -1), ("m", -2), ("s", 4), ("A", 2)]),
        "l" | "L" | "liter" | "litre" => q(1e-3, &[("m", 3)]),
        "M" | "molar" => Some(Quantity::base(AVOGADRO / 1e-3, &[("m", -3)])),
        "e" => q(E_CHARGE, &[("A", 1), ("s", 1)]),
        "faraday" => q(E_CHARGE * AVOGADRO, &[("A", 1), ("s", 1)]),
        "k" => q(BOLTZMANN, &[("kg", 1), ("m", 2), ("s", -2), ("K", -1)]),
        "R" => q(
            BOLTZMANN * AVOGADRO,
            &[("kg", 1), ("m", 2), ("s", -2), ("K", -1)],
        ),
        "pi" | "PI" => Some(Quantity::scalar(std::f64::consts::PI)),
        _ => None,
    }
}

const PREFIXES: &[(&str, f64)] = &[
    ("yotta", 1e24),
    ("zetta", 1e21),
    ("exa", 1e18),
    ("peta", 1e15),
    ("tera", 1e12),
    ("giga", 1e9),
    ("mega", 1e6),
    ("kilo", 1e3),
    ("hecto", 1e2),
    ("deka", 1e1),
    ("deci", 1e-1),
    ("centi", 1e-2),
    ("milli", 1e-3),
    ("micro", 1e-6),
    ("nano", 1e-9),
    ("pico", 1e-12),
    ("femto", 1e-15),
    ("atto", 1e-18),
    ("k", 1e3),
    ("c", 1e-2),
    ("m", 1e-3),
    ("u", 1e-6),
    ("n", 1e-9),
    ("p", 1e-12),
    ("f", 1e-15),
    ("M", 1e6),
    ("G", 1e9),
];

/// A word: a unit, a prefixed unit, a plural, or `a-b` (a product).
fn word(w: &str) -> Option<Quantity> {
    if let Some((a, b)) = w.split_once('-') {
        return Some(word(a)?.mul(&word(b)?, 1));
    }
    if let Ok(n) = w.parse::<f64>() {
        return Some(Quantity::scalar(n));
    }
    if let Some(q) = named(w) {
        return Some(q);
    }
    if let Some(s) = w.strip_suffix('s') {
        if let Some(q) = named(s) {
            return Some(q);
        }
    }
    for (p, f) in PREFIXES {
        if let Some(rest) = w.strip_prefix(p) {
            if !rest.is_empty() {
                if let Some(q) = named(rest).or_else(|| rest.strip_suffix('s').and_then(named)) {
                    return Some(Quantity::scalar(*f).mul(&q, 1));
                }
            }
        }
    }
    None
}

/// A unit expression: words separated by spaces (products) and `/`, each
/// word with an optional trailing integer power (`cm2`, `m3`).
fn unit(text: &str) -> Option<Quantity> {
    let mut q = Quantity::scalar(1.0);
    let mut sign = 1;
    let spaced = text.replace('/', " / ").replace('*', " ");
    for tok in spaced.split_whitespace() {
        if tok == "/" {
            sign = -1;
            continue;
        }
        let digits = tok.len() - tok.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (base, pow) = if digits > 0 && digits < tok.len() && tok.parse::<f64>().is_err() {
            let (b, p) = tok.split_at(tok.len() - digits);
            (b, p.parse::<i32>().ok()?)
        } else {
            (tok, 1)
        };
        q = q.mul(&word(base)?.pow(pow), sign);
        // `a/b c` means a/(b c) in the units library.
    }
    Some(q)
}

/// The number of `to` units in one `from` unit, or `None` when a unit is
/// unknown or the dimensions differ.
pub(crate) fn factor(from: &str, to: &str) -> Option<f64> {
    let f = unit(from)?;
    let t = unit(to)?;
    (f.dims == t.dims).then(|| f.factor / t.factor)
}

#[cfg(test)]
mod tests {
    use super::factor;

    #[test]
    fn neuron_constants() {
        assert_eq!(factor("faraday", "coulomb"), Some(96485.33212331001));
        assert_eq!(factor("faraday", "coul"), Some(96485.33212331001));
        assert_eq!(factor("k-mole", "joule/degC"), Some(8.31446261815324));
        assert_eq!(factor("e", "coulomb"), Some(1.602176634e-19));
        assert_eq!(factor("k", "joule/degC"), Some(1.380649e-23));
        let f2 = factor("faraday", "kilocoulombs").unwrap();
        assert!((f2 - 96.48533212331002).abs() < 1e-12);
        let r2 = factor("k-mole", "millijoule/degC").unwrap();
        assert!((r2 - 8314.462618153239).abs() < 1e-9);
        assert_eq!(factor("faraday", "volt"), None);
    }
}
