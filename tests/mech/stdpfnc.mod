COMMENT
An STDP synapse for the FOR_NETCONS case (for_netcons.hoc), written for
nerve's tests: an exponential conductance; a presynaptic event (weight w
>= 0) adds w + A to g and depresses its NetCon's A by the time since the
last postsynaptic spike; a postsynaptic spike (an event of negative weight,
from a NetCon that watches the cell's v) potentiates the A of every NetCon
of the synapse by the time since that NetCon's last presynaptic event,
through FOR_NETCONS. The loop also counts in each NetCon's n and reads
NET_RECEIVE's own n, which is the loop's when the loop is at the NetCon of
the postsynaptic spike: seen shows where that NetCon is in the list.
ENDCOMMENT

NEURON {
    POINT_PROCESS StdpFnc
    RANGE tau, e, i, wmax, aplus, aminus, tauplus, tauminus, tpost, seen
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 2 (ms)
    e = 0 (mV)
    wmax = 0.01 (uS)
    aplus = 0.2
    aminus = 0.25
    tauplus = 15 (ms)
    tauminus = 20 (ms)
}

ASSIGNED {
    v (mV)
    i (nA)
    tpost (ms)
    seen
}

STATE { g (uS) }

INITIAL {
    g = 0
    tpost = -1e9
    seen = 0
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state { g' = -g/tau }

NET_RECEIVE(w (uS), A (uS), tpre (ms), n) {
    INITIAL {
        A = 0
        tpre = -1e9
        n = 0
    }
    if (w >= 0) {
        g = g + w + A
        tpre = t
        A = A - aminus*wmax*exp(-(t - tpost)/tauminus)
        if (w + A < 0) {
            A = -w
        }
        n = n + 1
    } else {
        tpost = t
        FOR_NETCONS(w1 (uS), A1 (uS), tp (ms), n1) {
            if (w1 >= 0) {
                A1 = A1 + aplus*wmax*exp(-(t - tp)/tauplus)
                if (w1 + A1 > wmax) {
                    A1 = wmax - w1
                }
            }
            n1 = n1 + 100
            seen = seen + n
            n = n + 1
            seen = seen + n1/1000
        }
        n = n + 10000
    }
}
