: BEFORE and AFTER blocks at every point NEURON runs them: each block
: counts its calls (nXX) and takes a ticket from a running counter (pXX),
: so the order shows; the blocks also read and change what the currents
: and states use.
NEURON {
    SUFFIX batest
    NONSPECIFIC_CURRENT i
    RANGE g, e, x, n
    RANGE nbi, nai, nbb, nas, nbs, pbi, pai, pbb, pas, pas2, pbs
    RANGE tbb, tas, tbs, vbi, xbi, xai, vbb, ibb, xas, ias
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER {
    g = 0.001 (S/cm2)
    e = -70 (mV)
    tau = 3 (ms)
}
STATE { x }
ASSIGNED {
    v (mV) i (mA/cm2) n
    nbi nai nbb nas nbs pbi pai pbb pas pas2 pbs
    tbb (ms) tas (ms) tbs (ms) vbi (mV) xbi xai vbb (mV) ibb ias xas
}
BEFORE INITIAL {
    n = n + 1
    nbi = nbi + 1
    pbi = n
    vbi = v
    xbi = x
}
INITIAL {
    x = 0.5
    n = n + 1
}
AFTER INITIAL {
    n = n + 1
    nai = nai + 1
    pai = n
    xai = x
}
BEFORE BREAKPOINT {
    n = n + 1
    nbb = nbb + 1
    pbb = n
    tbb = t
    vbb = v
    ibb = i
    e = -70 + x
}
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = g*x*(v - e)
}
DERIVATIVE states { x' = (1 - x)/tau }
AFTER SOLVE {
    n = n + 1
    nas = nas + 1
    pas = n
    tas = t
    xas = x
    ias = i
    g = 0.001*(1 + x)
}
BEFORE STEP {
    n = n + 1
    nbs = nbs + 1
    pbs = n
    tbs = t
}
AFTER SOLVE {
    n = n + 1
    pas2 = n
}
