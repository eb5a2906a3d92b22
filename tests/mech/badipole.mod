: The current dipole of hnn-core's dipole_pp.mod (a POINT_PROCESS whose
: AFTER SOLVE and AFTER INITIAL blocks read the parent's v through a
: POINTER and accumulate into another POINTER, reset by BEFORE INITIAL and
: BEFORE BREAKPOINT), under its own name.
NEURON {
    POINT_PROCESS BaDipole
    RANGE ri, ia, Q, ztan, Qsum
    POINTER pv, Qtotal
}
UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (Mohm) = (megaohm)
    (um) = (micrometer)
    (fAm) = (femto amp meter)
}
ASSIGNED {
    ia (nA)
    ri (Mohm)
    pv (mV)
    v (mV)
    ztan (um)
    Q (fAm)
    Qsum (fAm)
    Qtotal (fAm)
}
AFTER SOLVE {
    ia = (pv - v) / ri
    Q = ia * ztan
    Qsum = Qsum + Q
    Qtotal = Qtotal + Q
}
AFTER INITIAL {
    ia = (pv - v) / ri
    Q = ia * ztan
    Qsum = Qsum + Q
    Qtotal = Qtotal + Q
}
BEFORE INITIAL {
    Qsum = 0
    Qtotal = 0
}
BEFORE BREAKPOINT {
    Qsum = 0
    Qtotal = 0
}
