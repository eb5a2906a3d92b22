TITLE IntFire1: leaky integrate-and-fire cell with instantaneous synapses

COMMENT
m decays towards 0 with time constant tau; an input event of weight w adds w
to m. When m exceeds 1 the cell fires (an output event at that time), m is
held at 2 for the refractory period refrac, during which input events are
ignored, and then m is reset to 0. m is only brought up to date at events;
M() is its value at the current time (during the refractory period 2 for the
first 0.5 ms and -1 after, which draws a spike in a plot of M).
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire1
    RANGE tau, refrac, m
    THREADSAFE
}

PARAMETER {
    tau = 10 (ms)
    refrac = 5 (ms)
}

ASSIGNED {
    m
    t0 (ms)
    refractory
}

INITIAL {
    m = 0
    t0 = t
    refractory = 0
}

FUNCTION M() {
    if (refractory == 0) {
        M = m*exp(-(t - t0)/tau)
    } else if (refractory == 1) {
        if (t - t0 < 0.5) {
            M = 2
        } else {
            M = -1
        }
    }
}

NET_RECEIVE (w) {
    if (refractory == 0) {
        : not refractory: integrate the input
        m = m*exp(-(t - t0)/tau)
        t0 = t
        m = m + w
        if (m > 1) {
            refractory = 1
            m = 2
            net_send(refrac, refractory)
            net_event(t)
        }
    } else if (flag == 1) {
        : end of the refractory period
        t0 = t
        refractory = 0
        m = 0
    }
}
