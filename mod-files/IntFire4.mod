TITLE IntFire4: integrate-and-fire cell with exponential excitation and alpha-like inhibition

COMMENT
An artificial cell whose states are known analytically between events:

    e' = -e/taue                     E = ae e       (excitatory current)
    i1' = -i1/taui1
    i2' = -i2/taui2 + ai1 i1         I = ai2 i2     (inhibitory current)
    m' = -m/taum + E + I                            (membrane state)

An event of positive weight w adds w to e, a negative weight adds w to i1.
The factors are chosen so that an isolated excitatory event of weight 1
gives a peak m of 1 and an isolated inhibitory event of weight -1 a minimum
of -1 (ai1 makes the peak of i2 equal to the weight). When m reaches 1 the
cell fires, m is reset to 0 and the currents go on unchanged. Requires
taue < taui1 < taui2 < taum as NEURON's does. M(), E(), I() are the analytic
values at the current time. The firing time is found by scanning the
analytic m(s) for the first crossing of 1 (step taue/4, stopping where a
bound on m falls below 1) and refining it by bisection to 1e-12 ms; NEURON
uses its own search, so firing times agree only to the precision of both
searches (see mod-files/README.md). nself, nexcite, ninhibit count the self,
excitatory and inhibitory events received.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire4
    RANGE taue, taui1, taui2, taum, e, i1, i2, m
    RANGE nself, nexcite, ninhibit
    RANGE ae, ai1, ai2
    THREADSAFE
}

PARAMETER {
    taue = 5 (ms)
    taui1 = 10 (ms)
    taui2 = 20 (ms)
    taum = 50 (ms)
}

ASSIGNED {
    e
    i1
    i2
    m
    t0 (ms)
    ae
    ai1
    ai2
    nself
    nexcite
    ninhibit
}

INITIAL {
    factors()
    e = 0
    i1 = 0
    i2 = 0
    m = 0
    t0 = t
    nself = 0
    nexcite = 0
    ninhibit = 0
    net_send(firetime(), 1)
}

FUNCTION peak2(ta (ms), tb (ms)) {
    : the peak of (exp(-s/tb) - exp(-s/ta))/(1/ta - 1/tb), ta < tb
    LOCAL s
    s = log(tb/ta)*ta*tb/(tb - ta)
    peak2 = (exp(-s/tb) - exp(-s/ta))/(1/ta - 1/tb)
}

PROCEDURE factors() {
    LOCAL lo, hi, a, b, k, fa, fb
    ae = 1/peak2(taue, taum)
    ai1 = 1/peak2(taui1, taui2)
    : m after an inhibitory event of weight -1 with ai2 = 1: find its
    : minimum by golden section search over a bracket found by scanning
    ai2 = 1
    e = 0
    i1 = -1
    i2 = 0
    m = 0
    hi = 0
    lo = 0
    while (mfs(hi + taui1) < mfs(hi)) {
        lo = hi
        hi = hi + taui1
    }
    hi = hi + taui1
    k = 0
    while (k < 200 && hi - lo > 1e-10) {
        a = hi - 0.6180339887498949*(hi - lo)
        b = lo + 0.6180339887498949*(hi - lo)
        if (mfs(a) < mfs(b)) {
            hi = b
        } else {
            lo = a
        }
        k = k + 1
    }
    ai2 = -1/mfs(0.5*(lo + hi))
}

FUNCTION mfs(s (ms)) {
    : m at s ms after t0, the states being up to date at t0
    LOCAL ke, k1, k2, km, ce, c1, c2
    ke = 1/taue
    k1 = 1/taui1
    k2 = 1/taui2
    km = 1/taum
    : the inputs E + I as a sum of exponentials c exp(-k s)
    ce = ae*e
    c1 = ai2*ai1*i1/(k2 - k1)
    c2 = ai2*i2 - c1
    mfs = m*exp(-km*s) + ce*(exp(-ke*s) - exp(-km*s))/(km - ke) + c1*(exp(-k1*s) - exp(-km*s))/(km - k1) + c2*(exp(-k2*s) - exp(-km*s))/(km - k2)
}

FUNCTION mbound(s (ms)) {
    : an upper bound of m over [s, infinity)
    LOCAL ke, k1, k2, km, ce, c1, c2
    ke = 1/taue
    k1 = 1/taui1
    k2 = 1/taui2
    km = 1/taum
    ce = ae*e
    c1 = ai2*ai1*i1/(k2 - k1)
    c2 = ai2*i2 - c1
    mbound = fabs(m)*exp(-km*s) + fabs(ce)*(exp(-ke*s) + exp(-km*s))/fabs(km - ke) + fabs(c1)*(exp(-k1*s) + exp(-km*s))/fabs(km - k1) + fabs(c2)*(exp(-k2*s) + exp(-km*s))/fabs(km - k2)
}

FUNCTION firetime() (ms) {
    : time from t0 until m reaches 1; 1e9 if it does not
    LOCAL h, lo, hi, k, found
    firetime = 1e9
    if (m >= 1) {
        firetime = 0
    } else {
        h = taue/4
        lo = 0
        found = 0
        while (found == 0 && mbound(lo) >= 1) {
            if (mfs(lo + h) >= 1) {
                found = 1
            } else {
                lo = lo + h
            }
        }
        if (found) {
            hi = lo + h
            k = 0
            while (k < 200 && hi - lo > 1e-12) {
                if (mfs(0.5*(lo + hi)) >= 1) {
                    hi = 0.5*(lo + hi)
                } else {
                    lo = 0.5*(lo + hi)
                }
                k = k + 1
            }
            firetime = hi
        }
    }
}

PROCEDURE newstates() {
    : bring the states from t0 up to t
    LOCAL s, mt
    s = t - t0
    mt = mfs(s)
    i2 = i2*exp(-s/taui2) + ai1*i1*(exp(-s/taui1) - exp(-s/taui2))/(1/taui2 - 1/taui1)
    i1 = i1*exp(-s/taui1)
    e = e*exp(-s/taue)
    m = mt
    t0 = t
}

FUNCTION M() {
    M = mfs(t - t0)
}

FUNCTION E() {
    E = ae*e*exp(-(t - t0)/taue)
}

FUNCTION I() {
    LOCAL s
    s = t - t0
    I = ai2*(i2*exp(-s/taui2) + ai1*i1*(exp(-s/taui1) - exp(-s/taui2))/(1/taui2 - 1/taui1))
}

NET_RECEIVE (w) {
    newstates()
    if (flag == 1) {
        nself = nself + 1
        net_event(t)
        m = 0
        net_send(firetime(), 1)
    } else {
        if (w > 0) {
            nexcite = nexcite + 1
            e = e + w
        } else {
            ninhibit = ninhibit + 1
            i1 = i1 + w
        }
        net_move(t + firetime())
    }
}
