: A gap junction half: a point process in one cell passing the current
: g (v - vpre) to the other cell, whose voltage it reads through a POINTER
: (the classic NEURON gap junction; a pair of these, each pointing at the
: other side's v, couples two cells).
NEURON {
    POINT_PROCESS Gap
    POINTER vpre
    RANGE g, i
    NONSPECIFIC_CURRENT i
}

PARAMETER {
    g = 0.005 (microsiemens)
}

ASSIGNED {
    v (millivolt)
    vpre (millivolt)
    i (nanoamp)
}

BREAKPOINT {
    i = g * (v - vpre)
}
