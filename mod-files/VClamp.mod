TITLE VClamp: two electrode voltage clamp with three levels

COMMENT
The clamp is on from t = 0 to dur[0]+dur[1]+dur[2] with command levels
amp[0], amp[1], amp[2]; when off it injects nothing. Circuit (after NEURON's
documentation of its VClamp): the command -amp and the output vi of an ideal
measuring amplifier (vi = v) meet at the summing node e through equal
resistors, one of them shunted by a capacitor (time constant tau1); the
control amplifier (gain, output time constant tau2) drives vo = -gain e, and
the current flows into the cell through rstim:

    tau1 (e' - vi') = (vi - amp) - 2 e        vo = -gain e (tau2 = 0)
    tau2 vo' = -gain e - vo (tau2 > 0)        i = (vo - v)/rstim

The loop is very stiff (gain 1e5), so it is solved implicitly together with
the cell: each step is one backward Euler step of e and vo from the states
at the start of the step (eold, voold, viold) to vi = v. BREAKPOINT writes
the current i = (vo(v) - v)/rstim with e and vo predicted as functions of v,
so the current's di/dv carries the loop gain into the implicit voltage
update; after the voltage update, update (METHOD after_cvode) recomputes
them with the new v and commits them, so i on return from fadvance is the
current that flowed. The clamp starts from e = 0, vo = v, vi = v (e0, vo0,
vi0 and fac are accepted but unused, as in NEURON 9.0.2, where they have no
effect). The time constants of this scheme were fitted to NEURON's
observable behaviour (see mod-files/README.md). Only for the fixed step
method with secondorder = 0, as NEURON's own.
ENDCOMMENT

NEURON {
    POINT_PROCESS VClamp
    ELECTRODE_CURRENT i
    RANGE e0, vo0, vi0, fac, i, gain, rstim, tau1, tau2, dur, amp
    RANGE e, vo, vi
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (micromho)
}

PARAMETER {
    dur[3] (ms)
    amp[3] (mV)
    gain = 1e5 (1)
    rstim = 1 (megohm)
    tau1 = 0.001 (ms)
    tau2 = 0 (ms)
    e0 (mV)
    vo0 (mV)
    vi0 (mV)
    fac
}

ASSIGNED {
    v (mV)
    dt (ms)
    i (nA)
    e (mV)
    vo (mV)
    vi (mV)
    eold (mV)
    voold (mV)
    viold (mV)
    stim (mV)
    tc2 (ms)
    tc3 (ms)
    on
}

INITIAL {
    tc2 = dur[0] + dur[1]
    tc3 = tc2 + dur[2]
    : e0, vo0, vi0 are accepted but, as in NEURON 9.0.2, not used: the
    : clamp always starts from e = 0, vo = v, vi = v
    eold = 0
    voold = v
    viold = v
    e = 0
    vo = v
    vi = v
    vstim()
}

BREAKPOINT {
    SOLVE update METHOD after_cvode
    vstim()
    i = icur()
}

PROCEDURE vstim() {
    on = 1
    if (dur[0]) { at_time(dur[0]) }
    if (dur[1]) { at_time(tc2) }
    if (dur[2]) { at_time(tc3) }
    if (t < dur[0]) {
        stim = amp[0]
    } else if (t < tc2) {
        stim = amp[1]
    } else if (t < tc3) {
        stim = amp[2]
    } else {
        stim = 0
        on = 0
    }
}

PROCEDURE predict(vnew (mV)) {
    : one backward Euler step of the clamp from the states at the start of
    : the step (eold, voold, viold) to vi = vnew
    LOCAL r
    r = tau1/dt
    e = ((vnew - stim) + r*(eold + vnew - viold))/(2 + r)
    if (tau2 > 0) {
        vo = (voold - dt/tau2*gain*e)/(1 + dt/tau2)
    } else {
        vo = -gain*e
    }
    vi = vnew
}

FUNCTION icur() (nA) {
    if (on) {
        predict(v)
        icur = (vo - v)/rstim
    } else {
        icur = 0
    }
}

PROCEDURE update() {
    : the step is done: v is the new voltage; commit the clamp's states
    if (on) {
        predict(v)
        eold = e
        voold = vo
        viold = vi
        i = (vo - v)/rstim
    } else {
        i = 0
    }
}
