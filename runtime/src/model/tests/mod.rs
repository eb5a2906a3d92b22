//! Tests of the model and the solver: geometry against NEURON 9.0.2's numbers,
//! the solver against analytic cable solutions and against NEURON traces, and
//! the structural operations (nseg, connect, handles, deletion). The scripts
//! that made NEURON's numbers are in `runtime/tests/data/`.

use super::*;

mod analytic;
mod geometry;
mod structure;
mod threads;
mod trace;
