TITLE SEClamp: single electrode voltage clamp with three levels

COMMENT
The clamp holds the control voltage vc at amp1 for 0 <= t < dur1, amp2 for
the next dur2 and amp3 for the next dur3, then switches off (i = 0). The
circuit is a voltage source vc in series with the access resistance rs, so
the electrode current is

    i = (vc - v)/rs        (nA = mV/MOhm; positive depolarizes)

The current is computed twice per step: in BREAKPOINT (which also updates
vc) and again after the voltage update (icur, SOLVEd with METHOD
after_cvode), so that i on return from fadvance matches the new v. Good for
playing a Vector into amp1. Do not stack several SEClamps at one location to
make more levels; they are independent clamps.
ENDCOMMENT

NEURON {
    POINT_PROCESS SEClamp
    ELECTRODE_CURRENT i
    RANGE dur1, amp1, dur2, amp2, dur3, amp3, rs, vc, i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    rs = 1 (megohm) <1e-9, 1e9>
    dur1 (ms)
    amp1 (mV)
    dur2 (ms) <0, 1e9>
    amp2 (mV)
    dur3 (ms) <0, 1e9>
    amp3 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    vc (mV)
    tc2 (ms)
    tc3 (ms)
    on
}

INITIAL {
    tc2 = dur1 + dur2
    tc3 = tc2 + dur3
    on = 0
}

BREAKPOINT {
    SOLVE icur METHOD after_cvode
    vstim()
}

PROCEDURE icur() {
    if (on) {
        i = (vc - v)/rs
    } else {
        i = 0
    }
}

PROCEDURE vstim() {
    on = 1
    if (dur1) { at_time(dur1) }
    if (dur2) { at_time(tc2) }
    if (dur3) { at_time(tc3) }
    if (t < dur1) {
        vc = amp1
    } else if (t < tc2) {
        vc = amp2
    } else if (t < tc3) {
        vc = amp3
    } else {
        vc = 0
        on = 0
    }
    icur()
}
