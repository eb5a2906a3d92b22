TITLE pas: passive membrane channel

COMMENT
A linear leak: i = g (v - e), an outward membrane current. Same names,
defaults and units as NEURON's built-in pas (g_pas = 0.001 S/cm2,
e_pas = -70 mV).
ENDCOMMENT

NEURON {
    SUFFIX pas
    NONSPECIFIC_CURRENT i
    RANGE g, e
    THREADSAFE
}

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    (S) = (siemens)
}

PARAMETER {
    g = 0.001 (S/cm2) <0, 1e9>
    e = -70 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

BREAKPOINT {
    i = g*(v - e)
}
