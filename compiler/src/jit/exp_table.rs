//! The 2·128-entry table of the C library's `exp`, derived at compile time
//! from its definition rather than copied: for k in 0..128, with
//! H[k] = 2^(k/128) rounded to the nearest double and T[k] its relative
//! rounding error rounded to the nearest double (2^(k/128) = H[k]·(1 + T[k])),
//!
//! ```text
//! tab[2k]     = bits(T[k])
//! tab[2k + 1] = bits(H[k]) - (k << 45)      (k << 52 / 128)
//! ```
//!
//! This is the layout of `__exp_data.tab` in ARM's optimized-routines
//! (`math/exp_data.c`, MIT OR Apache-2.0 WITH LLVM-exception), whose `exp`
//! glibc has used since 2.28. Subtracting k << 45 lets the kernel add the
//! unmasked k·2^45 (exponent and all) to get the scale's bits in one
//! integer addition.
//!
//! The arithmetic is exact where it matters: 2^(1/128) by seven integer
//! square roots of 240-bit fixed-point numbers (each truncated, so the result
//! is below the truth by less than 2 units of 2^-240), 2^(k/128) by repeated
//! multiplication (below the truth by less than 2^12 units after 127 steps),
//! then the two roundings to 53 bits, each asserted to be at least 2^12
//! units (and 4 units of the quotient) away from a tie, so the errors cannot
//! change them. A failed assertion would stop the build.

/// A 512-bit unsigned integer, little-endian 64-bit limbs.
type U512 = [u64; 8];

/// Fractional bits of the fixed-point numbers.
const F: u32 = 240;

const fn one() -> U512 {
    let mut r = [0u64; 8];
    r[0] = 1;
    r
}

const fn is_zero(a: &U512) -> bool {
    let mut i = 0;
    while i < 8 {
        if a[i] != 0 {
            return false;
        }
        i += 1;
    }
    true
}

const fn shl(a: &U512, n: u32) -> U512 {
    let mut r = [0u64; 8];
    let (w, b) = ((n / 64) as usize, n % 64);
    let mut i = w;
    while i < 8 {
        let carry = if b > 0 && i > w {
            a[i - w - 1] >> (64 - b)
        } else {
            0
        };
        r[i] = (a[i - w] << b) | carry;
        i += 1;
    }
    r
}

const fn shr(a: &U512, n: u32) -> U512 {
    let mut r = [0u64; 8];
    let (w, b) = ((n / 64) as usize, n % 64);
    let mut i = 0;
    while i + w < 8 {
        let carry = if b > 0 && i + w + 1 < 8 {
            a[i + w + 1] << (64 - b)
        } else {
            0
        };
        r[i] = (a[i + w] >> b) | carry;
        i += 1;
    }
    r
}

const fn add(a: &U512, b: &U512) -> U512 {
    let mut r = [0u64; 8];
    let mut carry = 0u128;
    let mut i = 0;
    while i < 8 {
        let s = a[i] as u128 + b[i] as u128 + carry;
        r[i] = s as u64;
        carry = s >> 64;
        i += 1;
    }
    assert!(carry == 0);
    r
}

/// `a - b`, for `a >= b`.
const fn sub(a: &U512, b: &U512) -> U512 {
    let mut r = [0u64; 8];
    let mut borrow = false;
    let mut i = 0;
    while i < 8 {
        let (d, o1) = a[i].overflowing_sub(b[i]);
        let (d, o2) = d.overflowing_sub(borrow as u64);
        r[i] = d;
        borrow = o1 | o2;
        i += 1;
    }
    assert!(!borrow);
    r
}

const fn ge(a: &U512, b: &U512) -> bool {
    let mut i = 8;
    while i > 0 {
        i -= 1;
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

/// `a * b`, for a product below 2^512.
const fn mul(a: &U512, b: &U512) -> U512 {
    let mut r = [0u64; 8];
    let mut i = 0;
    while i < 8 {
        let mut carry = 0u128;
        let mut j = 0;
        while i + j < 8 {
            let t = a[i] as u128 * b[j] as u128 + r[i + j] as u128 + carry;
            r[i + j] = t as u64;
            carry = t >> 64;
            j += 1;
        }
        assert!(carry == 0 || a[i] == 0);
        i += 1;
    }
    r
}

/// ⌊√n⌋, digit by digit.
const fn isqrt(n: &U512) -> U512 {
    let mut n = *n;
    let mut root = [0u64; 8];
    let mut bit = shl(&one(), 510);
    while !is_zero(&bit) && !ge(&n, &bit) {
        bit = shr(&bit, 2);
    }
    while !is_zero(&bit) {
        let t = add(&root, &bit);
        if ge(&n, &t) {
            n = sub(&n, &t);
            root = add(&shr(&root, 1), &bit);
        } else {
            root = shr(&root, 1);
        }
        bit = shr(&bit, 2);
    }
    root
}

const fn low128(a: &U512) -> u128 {
    a[0] as u128 | (a[1] as u128) << 64
}

const fn bit_length(x: u128) -> u32 {
    128 - x.leading_zeros()
}

/// `(tab[2k], tab[2k + 1])` from `v` = 2^(k/128)·2^F (below the truth by
/// less than 2^12 units).
const fn entry(v: &U512, k: u64) -> (u64, u64) {
    // H = m 2^-52, m = v 2^-(F-52) rounded to nearest
    let m0 = shr(v, F - 52);
    let rem = sub(v, &shl(&m0, F - 52));
    let half = shl(&one(), F - 53);
    let margin = shl(&one(), 12);
    assert!(ge(&rem, &add(&half, &margin)) || ge(&half, &add(&rem, &margin)));
    let up = ge(&rem, &half);
    let m = low128(&m0) as u64 + up as u64;
    assert!(m >> 52 == 1);
    let h_bits = (1023u64 << 52) | (m - (1 << 52));
    // |2^(k/128) - H| = d 2^-170 (d truncated; below 2^117 as |.| <= 2^-53)
    let abs_diff = if up {
        sub(&shl(&one(), F - 52), &rem)
    } else {
        rem
    };
    let d = low128(&shr(&abs_diff, F - 170));
    if d == 0 {
        return (0, h_bits - (k << 45));
    }
    // |T| = d 2^-170 / (m 2^-52) = (d / m) 2^-118, to 53 bits, nearest
    let sh = 127 - bit_length(d);
    let num = d << sh;
    let (q, r) = (num / m as u128, num % m as u128);
    let drop = bit_length(q) - 53;
    let mut mant = (q >> drop) as u64;
    let low = q & ((1u128 << drop) - 1);
    let tie = 1u128 << (drop - 1);
    assert!(low.abs_diff(tie) > 4);
    if low > tie || (low == tie && (r != 0 || mant & 1 == 1)) {
        mant += 1;
    }
    let mut e = drop as i64 - 118 - sh as i64;
    if mant == 1 << 53 {
        mant >>= 1;
        e += 1;
    }
    // |T| = mant 2^e with mant in [2^52, 2^53): a normal double
    let t_bits = ((up as u64) << 63) | (((e + 52 + 1023) as u64) << 52) | (mant - (1 << 52));
    (t_bits, h_bits - (k << 45))
}

/// The table (see the module header).
pub(super) const fn exp_table() -> [u64; 256] {
    // 2^(1/128): the seventh square root of 2
    let mut s = shl(&one(), F + 1);
    let mut j = 0;
    while j < 7 {
        s = isqrt(&shl(&s, F));
        j += 1;
    }
    let mut tab = [0u64; 256];
    let mut v = shl(&one(), F);
    let mut k = 0;
    while k < 128 {
        let (t, h) = entry(&v, k as u64);
        tab[2 * k] = t;
        tab[2 * k + 1] = h;
        v = shr(&mul(&v, &s), F);
        k += 1;
    }
    tab
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_entries_are_upstreams() {
        // ARM optimized-routines, math/exp_data.c: the first four pairs
        let upstream = [
            0x0,
            0x3ff0000000000000,
            0x3c9b3b4f1a88bf6e,
            0x3feff63da9fb3335,
            0xbc7160139cd8dc5d,
            0x3fefec9a3e778061,
            0xbc905e7a108766d1,
            0x3fefe315e86e7f85,
        ];
        assert_eq!(exp_table()[..8], upstream);
    }

    #[test]
    fn every_entry_meets_its_definition() {
        // H (1 + T) raised to the 128th power is 2^k, to the precision of
        // double-double arithmetic; H alone is off by up to half an ulp
        let tab = exp_table();
        for k in 0..128u64 {
            let t = f64::from_bits(tab[2 * k as usize]);
            let h = f64::from_bits(tab[2 * k as usize + 1] + (k << 45));
            assert!((1.0..2.0).contains(&h), "k {k}");
            assert!(t.abs() <= f64::EPSILON / 2.0 * (1.0 + 1e-15), "k {k}");
            // (hi, lo) = H + H T, exactly enough
            let (mut hi, mut lo) = two_sum(h, h * t);
            for _ in 0..7 {
                (hi, lo) = dd_mul(hi, lo, hi, lo);
            }
            let want = 2f64.powi(k as i32);
            let err = ((hi - want) + lo) / want;
            assert!(err.abs() < 1e-28, "k {k}: relative error {err:e}");
            // and H alone is not within that error (T matters) unless T = 0
            if t != 0.0 {
                let mut p = (h, 0.0);
                for _ in 0..7 {
                    p = dd_mul(p.0, p.1, p.0, p.1);
                }
                assert!((((p.0 - want) + p.1) / want).abs() > 1e-20, "k {k}");
            }
        }
    }

    fn two_sum(a: f64, b: f64) -> (f64, f64) {
        let s = a + b;
        let bb = s - a;
        (s, (a - (s - bb)) + (b - bb))
    }

    fn dd_mul(ah: f64, al: f64, bh: f64, bl: f64) -> (f64, f64) {
        let p = ah * bh;
        let e = ah.mul_add(bh, -p);
        let e = e + (ah * bl + al * bh);
        two_sum(p, e)
    }
}
