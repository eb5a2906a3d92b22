: A spike detector on the local membrane potential with hysteresis, as
: ModelDB's ThreshDetect (183300) but re-armed: WATCH (v > thresh) sends
: flag 2 (a spike), then WATCH (v < thresh - hyst) flag 3 re-arms.
NEURON {
    POINT_PROCESS WatchDet
    RANGE thresh, hyst, count, tlast, vlast
}
UNITS { (mV) = (millivolt) }
PARAMETER {
    thresh = -20 (mV)
    hyst = 10 (mV)
}
ASSIGNED { v (mV) count tlast (ms) vlast (mV) }
INITIAL {
    count = 0
    tlast = -1
    vlast = 0
    net_send(0, 1)
}
NET_RECEIVE(w) {
    if (flag == 1) {
        WATCH (v > thresh) 2
    } else if (flag == 2) {
        count = count + 1
        tlast = t
        vlast = v
        net_event(t)
        WATCH (v < thresh - hyst) 3
    } else if (flag == 3) {
        WATCH (v > thresh) 2
    }
}
