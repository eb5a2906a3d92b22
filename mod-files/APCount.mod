TITLE APCount: counts upward threshold crossings of the membrane potential

COMMENT
n counts the times v crosses thresh in the positive direction and time holds
the time of the last crossing; firing is 1 while v stays at or above thresh.
The test runs after each voltage update (SOLVE check METHOD after_cvode), so
with a fixed step time is the end of the step in which v reached thresh.

apc.record(Vector) (times of the crossings appended to the Vector, which
INITIAL resizes to 0) needs access to a HOC Vector and is provided by the
runtime, not by this file (see README.md): it calls the hook when n grows.
ENDCOMMENT

NEURON {
    POINT_PROCESS APCount
    RANGE n, thresh, time, firing
    THREADSAFE
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    n
    thresh = -20 (mV)
    time (ms)
}

ASSIGNED {
    firing
    v (mV)
}

INITIAL {
    n = 0
    firing = 0
    check()
}

BREAKPOINT {
    SOLVE check METHOD after_cvode
}

PROCEDURE check() {
    if (v >= thresh && !firing) {
        firing = 1
        time = t
        n = n + 1
    }
    if (firing && v < thresh) {
        firing = 0
    }
}
