//! The distributions of NEURON's HOC `Random` class (NEURON 9.0.2's copies of
//! the GNU libg++ `Random` subclasses in `src/gnu/`).
//!
//! Each distribution draws doubles from a generator through
//! [`UniformSource`] and reproduces NEURON's arithmetic in the same order,
//! so that results are bit-identical (given the same C math library for
//! `ln`, `exp`, `sqrt` and `pow`).
//!
//! Parameters are taken as NEURON's distribution constructors receive them
//! (after the HOC layer's conversions, which live in [`super::HocRandom`]).
//! Degenerate parameters are not rejected here: NEURON silently produces NaN
//! or infinities for them (e.g. a negative variance), and so do these.

use super::cconv::{c_int, c_long};

/// A source of uniform doubles (NEURON's `RNG::asDouble()`).
pub trait UniformSource {
    /// The next uniform double.
    fn next_double(&mut self) -> f64;
}

/// A distribution with its parameters and state, as NEURON's `Random`
/// subclass objects hold them.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// `Uniform(low, high)`: `low + (high - low) * u` with `low <= high`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// `high - low`.
        delta: f64,
    },
    /// `Normal(mean, variance)` by the polar method; the second deviate of
    /// each pair is cached and returned by the next draw.
    Normal(NormalState),
    /// `LogNormal(mean, variance)`: `e` raised to a normal deviate whose
    /// parameters are derived from the log-normal's mean and variance. It
    /// shares [`NormalState`]'s pair caching.
    LogNormal(NormalState),
    /// `NegativeExpntl(mean)`: `-mean * ln(u)`.
    NegExp {
        /// Mean.
        mean: f64,
    },
    /// `Poisson(mean)`: multiplies uniforms until the product drops below
    /// `exp(-mean)`.
    Poisson {
        /// Mean.
        mean: f64,
    },
    /// `Binomial(n, p)`: counts `u < p` in `n` draws.
    Binomial {
        /// Number of trials (NEURON's `int`).
        n: i32,
        /// Success probability.
        p: f64,
    },
    /// `DiscreteUniform(low, high)`: an integer in `[low, high]`.
    DiscUnif {
        /// Lower bound.
        low: i64,
        /// `high - low + 1` (computed as a C `long`, stored as a double).
        delta: f64,
    },
    /// `Geometric(mean)`: the number of draws until `u >= mean`.
    Geometric {
        /// The probability of continuing.
        mean: f64,
    },
    /// `HyperGeometric(mean, variance)`: a two-phase hyperexponential.
    HyperGeo {
        /// Mean.
        mean: f64,
        /// Branch probability `0.5 * (1 - sqrt((z - 1) / (z + 1)))` with
        /// `z = variance / mean^2`.
        p: f64,
    },
    /// `Erlang(mean, variance)`: `-ln(u1 * ... * uk) / a`.
    Erlang {
        /// Shape `k = max(1, int(mean^2 / variance + 0.5))`.
        k: i32,
        /// Rate `a = k / mean`.
        a: f64,
    },
    /// `Weibull(alpha, beta)`: `(beta * -ln(1 - u))^(1/alpha)`.
    Weibull {
        /// `1 / alpha`.
        inv_alpha: f64,
        /// Scale `beta`.
        beta: f64,
    },
}

/// State of a polar-method normal distribution (also used by log-normal).
#[derive(Debug, Clone, PartialEq)]
pub struct NormalState {
    /// Mean of the normal deviate.
    pub mean: f64,
    /// Standard deviation of the normal deviate.
    pub std_dev: f64,
    /// The cached second deviate of the last pair, if not yet used.
    pub cached: Option<f64>,
}

impl NormalState {
    /// Draw `mean + std_dev * z`, using the cached deviate if present.
    fn sample<S: UniformSource + ?Sized>(&mut self, src: &mut S) -> f64 {
        if let Some(z) = self.cached.take() {
            return z * self.std_dev + self.mean;
        }
        loop {
            let u1 = src.next_double();
            let u2 = src.next_double();
            let v1 = 2.0 * u1 - 1.0;
            let v2 = 2.0 * u2 - 1.0;
            let w = v1 * v1 + v2 * v2;
            if w <= 1.0 {
                let y = ((-2.0 * w.ln()) / w).sqrt();
                self.cached = Some(v2 * y);
                return v1 * y * self.std_dev + self.mean;
            }
        }
    }
}

impl Distribution {
    /// `Uniform(low, high)` (bounds swapped if `low > high`).
    pub fn uniform(low: f64, high: f64) -> Self {
        let (lo, hi) = if low < high { (low, high) } else { (high, low) };
        Distribution::Uniform {
            low: lo,
            delta: hi - lo,
        }
    }

    /// `Normal(mean, variance)`.
    pub fn normal(mean: f64, variance: f64) -> Self {
        Distribution::Normal(NormalState {
            mean,
            std_dev: variance.sqrt(),
            cached: None,
        })
    }

    /// `LogNormal(mean, variance)` (mean and variance of the log-normal
    /// itself).
    pub fn lognormal(mean: f64, variance: f64) -> Self {
        let m2 = mean * mean;
        Distribution::LogNormal(NormalState {
            mean: (m2 / (variance + m2).sqrt()).ln(),
            std_dev: ((variance + m2) / m2).ln().sqrt(),
            cached: None,
        })
    }

    /// `NegativeExpntl(mean)`.
    pub fn negexp(mean: f64) -> Self {
        Distribution::NegExp { mean }
    }

    /// `Poisson(mean)`.
    pub fn poisson(mean: f64) -> Self {
        Distribution::Poisson { mean }
    }

    /// `Binomial(n, p)`.
    pub fn binomial(n: i32, p: f64) -> Self {
        Distribution::Binomial { n, p }
    }

    /// `DiscreteUniform(low, high)` (bounds swapped if `low > high`).
    pub fn discunif(low: i64, high: i64) -> Self {
        let (lo, hi) = if low < high { (low, high) } else { (high, low) };
        Distribution::DiscUnif {
            low: lo,
            delta: hi.wrapping_sub(lo).wrapping_add(1) as f64,
        }
    }

    /// `Geometric(mean)`.
    pub fn geometric(mean: f64) -> Self {
        Distribution::Geometric { mean }
    }

    /// `HyperGeometric(mean, variance)`.
    pub fn hypergeo(mean: f64, variance: f64) -> Self {
        let z = variance / (mean * mean);
        let p = 0.5 * (1.0 - ((z - 1.0) / (z + 1.0)).sqrt());
        Distribution::HyperGeo { mean, p }
    }

    /// `Erlang(mean, variance)`.
    pub fn erlang(mean: f64, variance: f64) -> Self {
        let k = c_int((mean * mean) / variance + 0.5);
        let k = if k > 0 { k } else { 1 };
        Distribution::Erlang {
            k,
            a: f64::from(k) / mean,
        }
    }

    /// `Weibull(alpha, beta)`.
    pub fn weibull(alpha: f64, beta: f64) -> Self {
        Distribution::Weibull {
            inv_alpha: 1.0 / alpha,
            beta,
        }
    }

    /// Whether drawing from this distribution can never return, for a
    /// generator whose largest possible double is `max_uniform`: NEURON's
    /// loops then spin forever. This is the case for a Poisson mean so large
    /// that `exp(-mean)` underflows to 0 (the running product never drops
    /// below it), and for a geometric continuation probability above every
    /// value the generator can produce.
    pub fn never_terminates(&self, max_uniform: f64) -> bool {
        match *self {
            Distribution::Poisson { mean } => (-mean).exp() == 0.0,
            Distribution::Geometric { mean } => max_uniform < mean,
            _ => false,
        }
    }

    /// One draw (NEURON's `operator()`), consuming uniforms from `src`.
    ///
    /// Callers must not draw from a distribution for which
    /// [`Distribution::never_terminates`] holds.
    pub fn sample<S: UniformSource + ?Sized>(&mut self, src: &mut S) -> f64 {
        match self {
            Distribution::Uniform { low, delta } => *low + *delta * src.next_double(),
            Distribution::Normal(state) => state.sample(src),
            Distribution::LogNormal(state) => std::f64::consts::E.powf(state.sample(src)),
            Distribution::NegExp { mean } => -*mean * src.next_double().ln(),
            Distribution::Poisson { mean } => {
                let bound = (-*mean).exp();
                let mut count: i32 = 0;
                let mut product = 1.0;
                while product >= bound {
                    count = count.wrapping_add(1);
                    product *= src.next_double();
                }
                f64::from(count.wrapping_sub(1))
            }
            Distribution::Binomial { n, p } => {
                let mut s: i32 = 0;
                for _ in 0..*n {
                    if src.next_double() < *p {
                        s += 1;
                    }
                }
                f64::from(s)
            }
            Distribution::DiscUnif { low, delta } => {
                let tmp = c_long((*delta * src.next_double()).floor());
                low.wrapping_add(tmp) as f64
            }
            Distribution::Geometric { mean } => {
                let mut samples: i32 = 1;
                while src.next_double() < *mean {
                    samples = samples.wrapping_add(1);
                }
                f64::from(samples)
            }
            Distribution::HyperGeo { mean, p } => {
                let d = if src.next_double() > *p { 1.0 - *p } else { *p };
                -*mean * src.next_double().ln() / (2.0 * d)
            }
            Distribution::Erlang { k, a } => {
                let mut prod = 1.0;
                for _ in 0..*k {
                    prod *= src.next_double();
                }
                -prod.ln() / *a
            }
            Distribution::Weibull { inv_alpha, beta } => {
                (*beta * -(1.0 - src.next_double()).ln()).powf(*inv_alpha)
            }
        }
    }
}
