: Half a gap junction: i = g (v - vpre), vpre read through a POINTER.
NEURON {
    POINT_PROCESS Gap
    POINTER vpre
    RANGE g, i
    NONSPECIFIC_CURRENT i
}
PARAMETER { g = 0.01 (uS) }
ASSIGNED {
    v (mV)
    vpre (mV)
    i (nA)
}
BREAKPOINT { i = g * (v - vpre) }
