TITLE IntFire2: leaky integrate-and-fire cell with a decaying synaptic current

COMMENT
A leaky integrator m with time constant taum driven by a constant bias
current ib plus a net synaptic current i that decays to 0 with time constant
taus (taus > taum):

    taum m' = -m + ib + i        taus i' = -i

An input event of weight w steps i by w. When m reaches 1 the cell fires and
m is reset to 0 (i is unaffected). Between events the states are known
analytically: with b = i0 taus/(taus - taum),

    i(s) = i0 exp(-s/taus)
    m(s) = ib + b exp(-s/taus) + (m0 - ib - b) exp(-s/taum)

so the cell keeps one self event pending at the predicted firing time
(firetime(), found by a safeguarded Newton iteration, newton1), moved
whenever an input changes the trajectory. M() and I() are the analytic
values at the current time (I() is the total current, ib plus i).
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire2
    RANGE taum, taus, ib, m, i
    THREADSAFE
}

PARAMETER {
    taum = 10 (ms) <1e-9, 1e9>
    taus = 20 (ms) <1e-9, 1e9>
    ib = 0
}

ASSIGNED {
    m
    i
    t0 (ms)
    tfire (ms)
}

INITIAL {
    m = 0
    i = 0
    t0 = t
    tfire = firetime()
    net_send(tfire, 1)
}

FUNCTION M() {
    LOCAL s, b
    s = t - t0
    b = i*taus/(taus - taum)
    M = ib + b*exp(-s/taus) + (m - ib - b)*exp(-s/taum)
}

FUNCTION I() {
    : the total current: bias plus synaptic (as NEURON's IntFire2 reports it)
    I = ib + i*exp(-(t - t0)/taus)
}

PROCEDURE newstates() {
    : bring m and i from t0 up to t
    LOCAL mt
    mt = M()
    i = i*exp(-(t - t0)/taus)
    m = mt
    t0 = t
}

FUNCTION mfs(s) {
    : m at s ms after t0 (the states being up to date at t0)
    LOCAL b
    b = i*taus/(taus - taum)
    mfs = ib + b*exp(-s/taus) + (m - ib - b)*exp(-s/taum)
}

FUNCTION dmfs(s) {
    : dm/ds at s ms after t0
    LOCAL b
    b = i*taus/(taus - taum)
    dmfs = -b/taus*exp(-s/taus) - (m - ib - b)/taum*exp(-s/taum)
}

FUNCTION newton1(lo, hi) {
    : the s in [lo, hi] where m(s) = 1, given m(lo) < 1 <= m(hi)
    LOCAL s, f, df, iter, ds
    s = hi
    iter = 0
    while (hi - lo > 1e-13*(1 + hi) && iter < 200) {
        f = mfs(s) - 1
        if (f >= 0) {
            hi = s
        } else {
            lo = s
        }
        df = dmfs(s)
        ds = 0
        if (df != 0) {
            ds = f/df
        }
        s = s - ds
        if (!(s > lo && s < hi) || ds == 0) {
            s = 0.5*(lo + hi)
        }
        iter = iter + 1
    }
    newton1 = hi
}

FUNCTION firetime() (ms) {
    : time from now until m reaches 1; 1e9 if it never does
    LOCAL b, c, arg, smax, hi
    firetime = 1e9
    if (m >= 1) {
        firetime = 0
    } else {
        b = i*taus/(taus - taum)
        c = m - ib - b
        : the one extremum of m(s), if any, at smax > 0
        smax = -1
        if (b != 0) {
            arg = -c*taus/(b*taum)
            if (arg > 0) {
                smax = log(arg)/(1/taum - 1/taus)
            }
        }
        if (smax > 0 && mfs(smax) >= 1) {
            firetime = newton1(0, smax)
        } else if (ib > 1) {
            if (smax < 0) {
                smax = 0
            }
            hi = smax + taum
            while (mfs(hi) < 1) {
                smax = hi
                hi = hi + 2*(taum + taus)
            }
            firetime = newton1(smax, hi)
        }
    }
}

NET_RECEIVE (w) {
    newstates()
    if (flag == 1) {
        : the predicted firing time
        net_event(t)
        m = 0
        tfire = t + firetime()
        net_send(tfire - t, 1)
    } else {
        i = i + w
        tfire = t + firetime()
        net_move(tfire)
    }
}
