: BEFORE/AFTER blocks: an axial current from a POINTER to the parent's v,
: summed through another POINTER after each solve and at initialization
NEURON {
    SUFFIX baflow
    USEION ca READ cai
    RANGE ri, ia, peak
    POINTER vp, total
}
UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (Mohm) = (megaohm)
}
PARAMETER { ri = 2 (Mohm) }
ASSIGNED {
    v (mV)
    cai (mM)
    ia (nA)
    peak (mM)
    vp (mV)
    total (nA)
}
AFTER SOLVE {
    ia = (vp - v)/ri
    total = total + ia
}
AFTER INITIAL {
    ia = (vp - v)/ri
    total = total + ia
}
BEFORE STEP {
    if (cai > peak) { peak = cai }
}
