: A density mechanism with a POINTER: INITIAL copies the target into x and
: increments the target; each BREAKPOINT adds the target to x. (gx is a
: GLOBAL for a POINTER to point at.)
NEURON {
    SUFFIX dp
    POINTER p
    RANGE x
    GLOBAL gx
}
PARAMETER { gx = 2 }
ASSIGNED { p x }
INITIAL { x = p  p = p + 1 }
BREAKPOINT { x = x + p }
