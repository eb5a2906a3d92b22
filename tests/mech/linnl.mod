: LINEAR and NONLINEAR blocks: two linear equations in u, w solved each
: step (and in INITIAL), then two nonlinear ones in p, q by Newton from the
: previous values.
NEURON {
    SUFFIX linnl
    RANGE k
}
PARAMETER { k = 2 }
STATE { u w p q }
ASSIGNED { v (millivolt) }
INITIAL {
    p = 1
    q = 1
    SOLVE eqs
    SOLVE nl
}
BREAKPOINT {
    SOLVE eqs
    SOLVE nl METHOD newton
}
LINEAR eqs {
    LOCAL c
    c = exp(v/50)
    ~ 2*u + k*w = c
    ~ u - w = v/100 - 0.1*w
}
NONLINEAR nl SOLVEFOR p, q {
    ~ p*p + q = 2 + v/100
    ~+ 0.1*p = u
    ~ p - q*q*q = w
}
