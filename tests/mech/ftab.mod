: FUNCTION_TABLE: the gating functions and a two-argument scale are
: tables given from HOC with table_<name>_ftab(...).
NEURON {
    SUFFIX ftab
    NONSPECIFIC_CURRENT i
    RANGE gbar, erev, ninf, ntau
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER {
    gbar = 0.005 (S/cm2)
    erev = -80 (mV)
}
STATE { n }
ASSIGNED { v (mV) i (mA/cm2) ninf ntau (ms) celsius (degC) }
FUNCTION_TABLE tabninf(v (mV))
FUNCTION_TABLE tabntau(v (mV)) (ms)
FUNCTION_TABLE tabscale(v (mV), c (degC))
INITIAL {
    rates(v)
    n = ninf
}
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gbar*n*(v - erev)*tabscale(v, celsius)
}
DERIVATIVE states {
    rates(v)
    n' = (ninf - n)/ntau
}
PROCEDURE rates(v (mV)) {
    ninf = tabninf(v)
    ntau = tabntau(v)
}
