TITLE AlphaSynapse: synapse with an alpha-function conductance

COMMENT
    i = g (v - e)
    g = 0                                               for t < onset
    g = gmax (t - onset)/tau exp(-(t - onset - tau)/tau)  for t >= onset

so g peaks at gmax when t = onset + tau. The conductance is taken as 0 once
(t - onset)/tau exceeds 10 (g < 1.3e-3 gmax and falling).
ENDCOMMENT

NEURON {
    POINT_PROCESS AlphaSynapse
    RANGE onset, tau, gmax, e, i
    NONSPECIFIC_CURRENT i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    onset = 0 (ms)
    tau = 0.1 (ms) <1e-3, 1e6>
    gmax = 0 (uS) <0, 1e9>
    e = 0 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
}

BREAKPOINT {
    if (gmax) {
        at_time(onset)
    }
    g = gmax*alpha((t - onset)/tau)
    i = g*(v - e)
}

FUNCTION alpha(x) {
    if (x < 0 || x > 10) {
        alpha = 0
    } else {
        alpha = x*exp(1 - x)
    }
}
