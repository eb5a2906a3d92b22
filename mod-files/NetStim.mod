TITLE NetStim: a train of spike events, regular or noisy

COMMENT
An artificial cell that spikes `number` times, `interval` ms apart, the first
spike at `start`. With 0 < noise <= 1 each interval is a fixed part
(1 - noise)*interval plus a negative exponential part of mean noise*interval;
start is then the most likely time of the first spike (the mean is
start + noise*interval). Spikes are sent to the NetCons that have this
NetStim as their source.

As a NetCon target: a positive weight event while off starts a new train
(its first spike immediately, number spikes in all); a negative weight event
stops the train.

Random numbers come from the per-instance Random123 stream `ranvar` (the
RANDOM construct, as in NEURON 9): INITIAL rewinds the stream to sequence 0;
seed(x) sets the sequence number; noiseFromRandom123(id1, id2, id3) selects
the stream. noiseFromRandom(Random object) cannot be written in NMODL without
VERBATIM; the runtime provides it (see README.md).
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL NetStim
    THREADSAFE
    RANGE interval, number, start
    RANGE noise
    RANDOM ranvar
}

PARAMETER {
    interval = 10 (ms) <1e-9, 1e9> : time between spikes
    number = 10 <0, 1e9>           : number of spikes (independent of noise)
    start = 50 (ms)                : start of first spike
    noise = 0 <0, 1>               : amount of randomness (0.0 - 1.0)
}

ASSIGNED {
    event (ms)
    on
    ispike
}

INITIAL {
    random_setseq(ranvar, 0)
    on = 0
    if (noise < 0) {
        noise = 0
    }
    if (noise > 1) {
        noise = 1
    }
    if (start >= 0 && number > 0) {
        on = 1
        : the first spike is at start plus a negexp interval, but not before 0
        event = start + invl(interval) - interval*(1 - noise)
        if (event < 0) {
            event = 0
        }
        net_send(event, 3)
    }
}

PROCEDURE init_sequence(t (ms)) {
    if (number > 0) {
        on = 1
        event = 0
        ispike = 0
    }
}

FUNCTION invl(mean (ms)) (ms) {
    if (mean <= 0) {
        mean = 0.01 (ms)
    }
    if (noise == 0) {
        invl = mean
    } else {
        invl = (1 - noise)*mean + noise*mean*erand()
    }
}

FUNCTION erand() {
    erand = random_negexp(ranvar)
}

PROCEDURE noiseFromRandom123(id1, id2, id3) {
    random_setids(ranvar, id1, id2, id3)
    random_setseq(ranvar, 0)
}

PROCEDURE seed(x) {
    random_setseq(ranvar, x)
}

PROCEDURE next_invl() {
    if (number > 0) {
        event = invl(interval)
    }
    if (ispike >= number) {
        on = 0
    }
}

NET_RECEIVE (w) {
    if (flag == 0) {
        : an external event
        if (w > 0 && on == 0) {
            : turn on a spike sequence, its first spike now
            init_sequence(t)
            next_invl()
            event = event - interval*(1 - noise)
            net_send(event, 1)
        } else if (w < 0) {
            : turn off the spiking
            on = 0
        }
    }
    if (flag == 3) {
        : from INITIAL
        if (on == 1) {
            init_sequence(t)
            net_send(0, 1)
        }
    }
    if (flag == 1 && on == 1) {
        ispike = ispike + 1
        net_event(t)
        next_invl()
        if (on == 1) {
            net_send(event, 1)
        }
    }
}
