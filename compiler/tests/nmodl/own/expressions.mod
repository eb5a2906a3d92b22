: precedence, units inside expressions, primes, arrays
NEURON {
    SUFFIX expr
}

ASSIGNED {
    a
    b
    c
    x[3]
    v (mV)
}

STATE {
    m
    p[2]
}

FUNCTION f(x (mV), y) (/ms) {
    f = -x^2 + -y*3 - (x - y)/2^-1^2
    f = a || b && c == a < b + c*-x^y
    f = !a + !(b) - -c
    f = (0.001)*x + 1 (mV) + (1e-3)*(1/2) + 2 (/ms)*3
    f = exp(-(x + 40)/10) + fabs(x) + pow(x, y)
    f = 1.5e3 + .5 + 5. + 1E+2 + 3e-3
}

DERIVATIVE d {
    m' = -m
    p'[0] = p[1] - p[0]
    p'[1] = x[a + 1]*p[0]
}

DERIVATIVE d2 {
    m'' = -m
}
