: A density mechanism with a POINTER: INITIAL copies the target into x and
: increments the target; each BREAKPOINT adds the target to x.
NEURON {
    SUFFIX dp
    POINTER p
    RANGE x
}
ASSIGNED { p x }
INITIAL { x = p  p = p + 1 }
BREAKPOINT { x = x + p }
