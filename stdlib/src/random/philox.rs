//! Random123 Philox4x32-10 and NEURON's `nrnran123` streams: they live in the
//! runtime ([`nerve_runtime::random123`]) because mechanism instances draw
//! from them too (NMODL `RANDOM` variables); re-exported here for the HOC
//! `Random` class.

pub use nerve_runtime::random123::*;
