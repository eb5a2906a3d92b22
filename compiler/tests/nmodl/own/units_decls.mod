TITLE declarations of every kind
INCLUDE "shared.inc"
DEFINE NSTEP 10
DEFINE NEG -3
UNITSOFF
LOCAL topa, topb[3]

UNITS {
    (mV) = (millivolt)
    (k-mole) = (kilomole)
    FARADAY = 96485.309 (coul)
    R = (k-mole) (joule/degC)
    inch2foot = (inch) -> (foot)
    (/ms) = (1/ms)
}

INDEPENDENT {
    t FROM 0 TO 1 WITH 1 (ms)
}

PARAMETER {
    gbar = .12 (S/cm2) <0, 1e9>
    el = -54.3 (mV)
    arr[NSTEP] (ms)
    k[3]
    bare
    lim <-1, 1>
    c = 1e-3
}

CONSTANT {
    twopi = 6.283185307179586
    q = -2 (coulomb)
}

ASSIGNED {
    v (mV)
    x[3] (mM)
    y (1)
}

STATE {
    m h (1)
    n FROM 0 TO 1
    cai FROM 0 TO 10 START 5e-5 (mM) <1e-6>
    s[2] (mV)
}
UNITSON
