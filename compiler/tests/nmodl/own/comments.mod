TITLE   comments everywhere : not a comment inside TITLE
COMMENT
This block { is ( never ) parsed NEURON }
ENDCOMMENT trailing text is skipped
? question-mark comment
NEURON { : after a brace
    SUFFIX com ? another
COMMENT inside the NEURON block
ENDCOMMENT
    RANGE g
}

PARAMETER {
    g = 1 : the conductance
}

BREAKPOINT {
    COMMENT
    inside a statement list
    ENDCOMMENT
    g = g : trailing
}
