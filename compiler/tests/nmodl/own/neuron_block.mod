: every statement of the NEURON block
NEURON {
    SUFFIX full
    USEION na READ ena WRITE ina VALENCE 1
    USEION k READ ek, ki WRITE ik REPRESENTS CHEBI:29103
    USEION cl WRITE icl VALENCE -1
    USEION ca READ cai CHARGE 2
    USEION x WRITE ix REPRESENTS [NCIT:C17145]
    NONSPECIFIC_CURRENT il, ih
    ELECTRODE_CURRENT iel
    RANGE gbar, gk
    GLOBAL vhalf
    POINTER pre
    BBCOREPOINTER rng
    EXTERNAL ext_var
    RANDOM ran
    REPRESENTS NCIT:C17145
    THREADSAFE
}

PARAMETER {
    gbar = 0.1
    vhalf = -40
}

ASSIGNED {
    ena
    ina
    ek
    ki
    ik
    icl
    cai
    ix
    il
    ih
    iel
    gk
    pre
    rng
    ext_var
}

BREAKPOINT {
    CONDUCTANCE gk USEION k
    CONDUCTANCE gbar
    ina = gbar*(v - ena)
    ik = gk*(v - ek)
    il = 0
    ih = 0
    iel = 0
}
