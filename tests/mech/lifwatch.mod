: A leaky integrator driven by NetCon weights that fires through WATCH:
: two conditions armed at once (flag 1), re-arming clears both (flag 2).
NEURON {
    POINT_PROCESS LifWatch
    RANGE tau, m, nspike, tspike, nlow
}
PARAMETER { tau = 5 (ms) }
STATE { m }
ASSIGNED { nspike tspike (ms) nlow }
INITIAL {
    m = 0
    nspike = 0
    nlow = 0
    tspike = -1
    net_send(0, 1)
}
BREAKPOINT { SOLVE states METHOD cnexp }
DERIVATIVE states { m' = -m/tau }
NET_RECEIVE(w) {
    if (flag == 0) {
        m = m + w
    } else if (flag == 1) {
        WATCH (m > 1) 2, (m < -0.5) 3
    } else if (flag == 2) {
        nspike = nspike + 1
        tspike = t
        m = 0
        net_event(t)
        net_send(4, 1)
        WATCH (m > 0.5) 4
    } else if (flag == 3) {
        nlow = nlow + 1
    } else if (flag == 4) {
        : armed during the refractory period only
        nlow = nlow + 100
    }
}
