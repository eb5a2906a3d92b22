: graded synapse: the presynaptic voltage comes through a POINTER
: (setpointer syn.vpre, pre.v(0.5)); each step also writes the released
: amount through a second POINTER
NEURON {
    POINT_PROCESS ptrsyn
    POINTER vpre, out
    RANGE g, e, vth, i
    NONSPECIFIC_CURRENT i
}
UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}
PARAMETER {
    g = 0.01 (uS)
    e = 0 (mV)
    vth = -20 (mV)
}
ASSIGNED {
    v (mV)
    i (nA)
    vpre (mV)
    out
}
BREAKPOINT {
    i = g*(v - e)/(1 + exp(-(vpre - vth)/5))
    out = out + 1
}
