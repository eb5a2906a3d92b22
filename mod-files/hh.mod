TITLE hh: Hodgkin-Huxley squid axon sodium, potassium and leak channels

COMMENT
The squid giant axon membrane of Hodgkin & Huxley (1952, J Physiol 117:500),
with voltages shifted so that rest is near -65 mV and the rates scaled by a
Q10 of 3 from the 6.3 degC of the experiments:

    ina = gnabar m^3 h (v - ena)     ik = gkbar n^4 (v - ek)     il = gl (v - el)

    alpha_m = 0.1 (v+40) / (1 - exp(-(v+40)/10))    beta_m = 4 exp(-(v+65)/18)
    alpha_h = 0.07 exp(-(v+65)/20)                  beta_h = 1 / (1 + exp(-(v+35)/10))
    alpha_n = 0.01 (v+55) / (1 - exp(-(v+55)/10))   beta_n = 0.125 exp(-(v+65)/80)

    xinf = alpha / (alpha + beta)    xtau = 1 / (q10 (alpha + beta))
    q10 = 3^((celsius - 6.3)/10)

As in NEURON's built-in hh: the rate functions are tabulated over -100..100 mV
in 1 mV steps (201 points; linear interpolation, clamped outside) and rebuilt
when celsius changes; usetable_hh = 0 evaluates them exactly. rates_hh(v)
(after setdata_hh) fills minf_hh ... ntau_hh for that v; vtrap_hh(x, y) is
x/(exp(x/y) - 1) with its limit y(1 - x/y/2) where |x/y| < 1e-6.
ENDCOMMENT

NEURON {
    SUFFIX hh
    USEION na READ ena WRITE ina
    USEION k READ ek WRITE ik
    NONSPECIFIC_CURRENT il
    RANGE gnabar, gkbar, gl, el, gna, gk
    RANGE minf, hinf, ninf, mtau, htau, ntau
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gnabar = 0.12 (S/cm2) <0, 1e9>
    gkbar = 0.036 (S/cm2) <0, 1e9>
    gl = 0.0003 (S/cm2) <0, 1e9>
    el = -54.3 (mV)
}

STATE {
    m
    h
    n
}

ASSIGNED {
    v (mV)
    celsius (degC)
    ena (mV)
    ek (mV)
    gna (S/cm2)
    gk (S/cm2)
    ina (mA/cm2)
    ik (mA/cm2)
    il (mA/cm2)
    minf
    hinf
    ninf
    mtau (ms)
    htau (ms)
    ntau (ms)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    gna = gnabar*m*m*m*h
    ina = gna*(v - ena)
    gk = gkbar*n*n*n*n
    ik = gk*(v - ek)
    il = gl*(v - el)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
    n = ninf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
    n' = (ninf - n)/ntau
}

UNITSOFF

PROCEDURE rates(v (mV)) {
    LOCAL alpha, beta, sum, q10
    TABLE minf, mtau, hinf, htau, ninf, ntau DEPEND celsius FROM -100 TO 100 WITH 200

    q10 = 3^((celsius - 6.3)/10)

    alpha = 0.1*vtrap(-(v + 40), 10)
    beta = 4*exp(-(v + 65)/18)
    sum = alpha + beta
    mtau = 1/(q10*sum)
    minf = alpha/sum

    alpha = 0.07*exp(-(v + 65)/20)
    beta = 1/(exp(-(v + 35)/10) + 1)
    sum = alpha + beta
    htau = 1/(q10*sum)
    hinf = alpha/sum

    alpha = 0.01*vtrap(-(v + 55), 10)
    beta = 0.125*exp(-(v + 65)/80)
    sum = alpha + beta
    ntau = 1/(q10*sum)
    ninf = alpha/sum
}

FUNCTION vtrap(x, y) {
    : x/(exp(x/y) - 1), continued through its removable singularity at x = 0
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}

UNITSON
