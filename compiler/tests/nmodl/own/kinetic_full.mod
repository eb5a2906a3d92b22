TITLE calcium buffering with diffusion, pumps and a flux
COMMENT
  Exercises every KINETIC construct: reversible reactions, stoichiometry,
  arrays, influx (<<), outflux (->), CONSERVE, COMPARTMENT,
  LONGITUDINAL_DIFFUSION, SOLVEFOR, f_flux/b_flux and STEADYSTATE.
ENDCOMMENT

DEFINE NANN 4

NEURON {
    SUFFIX cadifus
    USEION ca READ cao, cai, ica WRITE cai, ica
    RANGE ica_pmp
    GLOBAL vrat, TotalBuffer
    THREADSAFE
}

UNITS {
    (molar) = (1/liter)
    (mM) = (millimolar)
    (um) = (micron)
    (mA) = (milliamp)
    FARADAY = (faraday) (10000 coulomb)
    PI = (pi) (1)
}

PARAMETER {
    DCa = 0.6 (um2/ms)
    k1buf = 100 (/mM-ms)
    k2buf = 0.1 (/ms)
    TotalBuffer = 0.003 (mM)
    k1 = 1 (/mM-ms)
    k2 = 0.005 (/ms)
}

ASSIGNED {
    diam (um)
    ica (mA/cm2)
    cai (mM)
    vrat[NANN]
    Kd (/mM)
    B0 (mM)
    ica_pmp (mA/cm2)
    parea (um)
}

STATE {
    ca[NANN] (mM) <1e-10>
    CaBuffer[NANN] (mM)
    Buffer[NANN] (mM)
    pump (mol/cm2)
    pumpca (mol/cm2)
}

BREAKPOINT {
    SOLVE state METHOD sparse
}

INITIAL {
    SOLVE state STEADYSTATE sparse
}

LOCAL dsq, dsqvol

KINETIC state SOLVEFOR ca, CaBuffer {
    COMPARTMENT i, diam*diam*vrat[i] {ca CaBuffer Buffer}
    COMPARTMENT (1e10)*parea {pump pumpca}
    LONGITUDINAL_DIFFUSION i, DCa*diam*diam*vrat[i] {ca}
    ~ ca[0] + pump <-> pumpca (k1*parea*(1e10), k2*parea*(1e10))
    ~ pumpca <-> pump + cao (k2*parea*(1e10), 0)
    ~ ca[0] << (-(ica - ica_pmp)*PI*diam/(2*FARADAY))
    ~ 2 ca[1] -> (0.1)
    FROM i = 0 TO NANN - 2 {
        ~ ca[i] <-> ca[i + 1] (DCa, DCa)
    }
    dsq = diam*diam
    FROM i = 0 TO NANN - 1 {
        dsqvol = dsq*vrat[i]
        ~ ca[i] + Buffer[i] <-> CaBuffer[i] (k1buf*dsqvol, k2buf*dsqvol)
    }
    CONSERVE pump + pumpca = 1e-14
    ica_pmp = 2*FARADAY*(f_flux - b_flux)/parea
    cai = ca[0]
}
