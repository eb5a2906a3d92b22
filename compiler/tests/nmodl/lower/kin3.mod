: nerve's own test: a nonlinear KINETIC scheme with COMPARTMENT volumes,
: a dimerisation (2 A <-> B), an influx, and CONSERVE, solved with sparse
: and initialised with STEADYSTATE sparse.
NEURON {
    SUFFIX kin3
    RANGE kf, vol, influx
}
PARAMETER {
    kf = 0.2 (/ms)
    kb = 0.05 (/ms)
    vol = 2
    influx = 0.001
}
STATE { A B C }
BREAKPOINT {
    SOLVE scheme METHOD sparse
}
INITIAL {
    A = 0.5
    B = 0.3
    C = 0.2
    SOLVE scheme STEADYSTATE sparse
}
KINETIC scheme {
    COMPARTMENT vol {A B}
    ~ 2 A <-> B (kf, kb)
    ~ B <-> C (kb*(1 + 0.01*v), kf)
    ~ A << (influx)
    CONSERVE A + B + C = 1
}
