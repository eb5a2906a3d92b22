TITLE Exp2Syn: synapse with a difference-of-exponentials conductance

COMMENT
The kinetic scheme  A -> G -> bath  with rates 1/tau1 and 1/tau2, solved as
two independent exponentials:

    i = g (v - e)      g = B - A      A' = -A/tau1      B' = -B/tau2

An event of weight w [uS] adds w*factor to A and to B, where factor makes the
peak of an isolated event's conductance equal w. The peak time is
tp = tau1 tau2/(tau2 - tau1) ln(tau2/tau1). The decay time tau2 must exceed
the rise time tau1: INITIAL moves tau1 to 0.9999*tau2 when tau1/tau2 > 0.9999
and to 1e-9*tau2 when tau1/tau2 < 1e-9. Events summate.
ENDCOMMENT

NEURON {
    POINT_PROCESS Exp2Syn
    RANGE tau1, tau2, e, i
    NONSPECIFIC_CURRENT i
    RANGE g
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau1 = 0.1 (ms) <1e-9, 1e9>
    tau2 = 10 (ms) <1e-9, 1e9>
    e = 0 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor
}

STATE {
    A (uS)
    B (uS)
}

INITIAL {
    LOCAL tp
    if (tau1/tau2 > 0.9999) {
        tau1 = 0.9999*tau2
    }
    if (tau1/tau2 < 1e-9) {
        tau1 = tau2*1e-9
    }
    A = 0
    B = 0
    tp = (tau1*tau2)/(tau2 - tau1)*log(tau2/tau1)
    factor = 1/(exp(-tp/tau2) - exp(-tp/tau1))
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    g = B - A
    i = g*(v - e)
}

DERIVATIVE state {
    A' = -A/tau1
    B' = -B/tau2
}

NET_RECEIVE(weight (uS)) {
    A = A + weight*factor
    B = B + weight*factor
}
