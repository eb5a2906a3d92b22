: A delayed-rectifier potassium channel written for the example
: (Hodgkin-Huxley n^4 kinetics with a shifted activation curve), loaded by
: examples/ring_network.hoc with nrn_load_dll to show a user mechanism.
NEURON {
    SUFFIX kd
    USEION k READ ek WRITE ik
    RANGE gbar, shift
}
UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    (S) = (siemens)
}
PARAMETER {
    gbar = 0.01 (S/cm2)
    shift = -5 (mV)
}
ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    ninf
    ntau (ms)
}
STATE { n }
BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gbar*n*n*n*n*(v - ek)
}
INITIAL {
    rates(v)
    n = ninf
}
DERIVATIVE states {
    rates(v)
    n' = (ninf - n)/ntau
}
PROCEDURE rates(v (mV)) {
    LOCAL a, b
    UNITSOFF
    a = 0.01*(v - shift + 55)/(1 - exp(-(v - shift + 55)/10))
    b = 0.125*exp(-(v - shift + 65)/80)
    ntau = 1/(a + b)
    ninf = a/(a + b)
    UNITSON
}
