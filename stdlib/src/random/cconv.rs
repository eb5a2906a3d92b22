//! C/C++ double-to-integer conversions as NEURON's x86-64 builds perform them.
//!
//! NEURON converts HOC doubles with plain C casts (`long(x)`, `int(x)`,
//! `(uint32_t)x`). In range these truncate toward zero, like Rust's `as`. Out
//! of range (or NaN) C leaves the result undefined; x86-64's `cvttsd2si`
//! produces the "integer indefinite" value (the most negative integer), and
//! `(uint32_t)x` is compiled as a 64-bit conversion whose low 32 bits are
//! kept. Rust's `as` saturates instead, which would for example turn
//! `int(1/0.)` into a two-billion-iteration loop in `Erlang`, so these
//! helpers reproduce the x86-64 results.

/// `long(x)` on x86-64.
pub(crate) fn c_long(x: f64) -> i64 {
    // 2^63 is exactly representable; anything >= it, < -2^63, or NaN is
    // out of range.
    const LIM: f64 = 9_223_372_036_854_775_808.0;
    if (-LIM..LIM).contains(&x) {
        x as i64
    } else {
        i64::MIN
    }
}

/// `int(x)` on x86-64.
pub(crate) fn c_int(x: f64) -> i32 {
    const LIM: f64 = 2_147_483_648.0;
    // Truncation toward zero must land in [-2^31, 2^31 - 1].
    if x.is_nan() || x >= LIM || x <= -LIM - 1.0 {
        i32::MIN
    } else {
        x as i32
    }
}

/// `(uint32_t)x` on x86-64 (a 64-bit conversion, low 32 bits kept).
pub(crate) fn c_u32(x: f64) -> u32 {
    c_long(x) as u32
}

/// `char(x)` on x86-64 (a 32-bit conversion, low 8 bits kept).
pub(crate) fn c_char(x: f64) -> i8 {
    c_int(x) as i8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_range_truncates_toward_zero() {
        assert_eq!(c_long(-2.7), -2);
        assert_eq!(c_int(2.7), 2);
        assert_eq!(c_int(-2_147_483_648.9), i32::MIN);
        assert_eq!(c_int(2_147_483_647.9), i32::MAX);
        assert_eq!(c_u32(4_294_967_295.0), u32::MAX);
        assert_eq!(c_u32(-1.0), u32::MAX);
        assert_eq!(c_char(3.5), 3);
    }

    #[test]
    fn out_of_range_is_integer_indefinite() {
        assert_eq!(c_int(f64::INFINITY), i32::MIN);
        assert_eq!(c_int(f64::NAN), i32::MIN);
        assert_eq!(c_int(2_147_483_648.0), i32::MIN);
        assert_eq!(c_long(1e300), i64::MIN);
        assert_eq!(c_u32(f64::NAN), 0);
        assert_eq!(c_u32(1e300), 0);
    }
}
