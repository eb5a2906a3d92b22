: a point process with every NET_RECEIVE construct
NEURON {
    POINT_PROCESS WatchSyn
    RANGE tau, e, i, thresh
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 0.1 (ms) <1e-9, 1e9>
    e = 0 (mV)
    thresh = -20 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    tlast (ms)
}

STATE {
    g (uS)
}

INITIAL {
    g = 0
    net_send(0, 1)
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g/tau
}

NET_RECEIVE(weight (uS), nspike, tsyn (ms)) {
    LOCAL dt_
    INITIAL {
        nspike = 1
        tsyn = t
    }
    if (flag == 0) {
        g = g + weight
        net_event(t)
        FOR_NETCONS(w, ns, ts (ms)) {
            ns = ns + 1
            ts = t
        }
    } else if (flag == 1) {
        WATCH (v > thresh) 2, (v < thresh - 10) 3
    } else if (flag == 2 && t > tlast) {
        tlast = t
        net_move(t + 1)
    } else {
        net_send(tau*2, 4)
    }
}
