: LINEAR and NONLINEAR blocks with equations, ~+ and SOLVEFOR
NEURON {
    SUFFIX eqns
    RANGE a, b
}

STATE {
    x
    y
    z
}

ASSIGNED {
    a
    b
}

BREAKPOINT {
    SOLVE lin
    SOLVE nonlin
}

LINEAR lin SOLVEFOR x, y {
    ~ x + 2*y = a
    ~ x - y = b
}

NONLINEAR nonlin {
    ~ z*z = a
    ~+ z = 0
}

DERIVATIVE deq {
    ~ x = y
}
