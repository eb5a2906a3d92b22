: potassium channel whose rate PROCEDURE tabulates RANGE variables (as most
: ModelDB channels do) and calls a FUNCTION; vh is a RANGE PARAMETER the
: table is built with
NEURON {
    SUFFIX krange
    USEION k READ ek WRITE ik
    RANGE gbar, ik, ninf, ntau, vh
}
UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}
PARAMETER {
    gbar = 0.03 (S/cm2)
    vh = -40 (mV)
}
ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    celsius (degC)
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
    TABLE ninf, ntau DEPEND celsius FROM -100 TO 50 WITH 30
    ninf = 1/(1 + exp(-(v - vh)/9))
    ntau = tau(v)/3^((celsius - 22)/10)
}
FUNCTION tau(v (mV)) (ms) {
    tau = 1 + 4/(exp((v + 50)/20) + exp(-(v + 50)/25))
}
