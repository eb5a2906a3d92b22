: INCLUDE: the rate functions and a nested INCLUDE of the units come from
: incdemo_rates.inc (found beside this file, as nocmodl looks first).
NEURON {
    SUFFIX incdemo
    NONSPECIFIC_CURRENT i
    RANGE gbar, erev
}
INCLUDE "incdemo_rates.inc"
PARAMETER {
    gbar = 0.002 (S/cm2)
    erev = -80 (mV)
}
STATE { n }
ASSIGNED { v (mV) i (mA/cm2) }
INITIAL { n = alpha(v)/(alpha(v) + beta(v)) }
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gbar*n*(v - erev)
}
DERIVATIVE states { n' = alpha(v)*(1 - n) - beta(v)*n }
