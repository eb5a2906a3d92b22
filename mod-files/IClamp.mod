TITLE IClamp: a single rectangular current pulse

COMMENT
An electrode current (positive depolarizes): i = amp for del <= t < del+dur,
otherwise 0. For a time-varying stimulus set del = 0, dur = 1e9 and play a
Vector into amp. The at_time calls mark the pulse edges as discontinuities
for the variable step integrator; with a fixed step they do nothing.
ENDCOMMENT

NEURON {
    POINT_PROCESS IClamp
    RANGE del, dur, amp, i
    ELECTRODE_CURRENT i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
}

PARAMETER {
    del (ms)
    dur (ms) <0, 1e9>
    amp (nA)
}

ASSIGNED {
    i (nA)
}

INITIAL {
    i = 0
}

BREAKPOINT {
    at_time(del)
    at_time(del + dur)
    if (t < del + dur && t >= del) {
        i = amp
    } else {
        i = 0
    }
}
