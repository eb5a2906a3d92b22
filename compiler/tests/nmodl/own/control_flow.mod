: control flow and the odd statements
NEURON {
    SUFFIX ctl
    RANGE count
}

ASSIGNED {
    count
    tab[10]
}

PROCEDURE loops(n) {
    LOCAL i, s, buf[4]
    s = 0
    FROM i = 0 TO n - 1 BY 2 {
        s = s + i
        buf[i/2] = s
    }
    WHILE (s > 0) {
        s = s - 1
    }
    while (s < 3) {
        s = s + 1
    }
    IF (s == 3) {
        count = 1
    } ELSE IF (s != 4) {
        count = 2
    } ELSE {
        count = 3
    }
    if (!(s >= 1) || s <= 0 && n > 1) {
        printf("s is %g\n", s)
    }
    PROTECT count = count + 1
    MUTEXLOCK
    count = count + 1
    MUTEXUNLOCK
    {
        count = count*2
    }
}

FUNCTION tabfn(x) {
    TABLE FROM -10 TO 10 WITH 200
    tabfn = x*x
}

FUNCTION raw(x) {
VERBATIM
    /* raw C, rejected later except the return 0; idiom */
    return 0;
ENDVERBATIM
    raw = x
}

VERBATIM
static int helper(void) { return 0; }
ENDVERBATIM
