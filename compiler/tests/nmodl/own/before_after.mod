: BEFORE/AFTER, CONSTRUCTOR/DESTRUCTOR, FUNCTION_TABLE, DISCRETE, LAG
NEURON {
    POINT_PROCESS Hooks
    RANGE n, lagged
}

ASSIGNED {
    n
    lagged
    v (mV)
    tau (ms)
}

STATE {
    s
}

FUNCTION_TABLE tau1(v (mV)) (ms)
FUNCTION_TABLE table2(x, y)

CONSTRUCTOR {
    n = 0
}

DESTRUCTOR {
    n = -1
}

BEFORE BREAKPOINT {
    n = n + 1
}

AFTER SOLVE {
    n = n + 1
}

BEFORE INITIAL {
    n = 0
}

AFTER INITIAL {
    n = 0
}

BEFORE STEP {
    n = n + 1
}

PROCEDURE lagit() {
    LAG v BY tau
    lagged = v
}

DISCRETE dstep {
    s = s + 1
}
