#!/bin/sh
# Remakes tests/mpi/order.N.out, NEURON 9.0.2's output of order.hoc on N =
# 1, 2 and 3 MPI ranks (its "numprocs=N" banner line dropped):
#   tests/mpi/regen.sh /path/to/nrniv [mpiexec]
# The NEURON wheel loads the MPI library it finds at run time (MPICH here).
set -eu
NRNIV="$1"
MPIEXEC="${2:-mpiexec}"
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
for n in 1 2 3; do
    "$MPIEXEC" -n "$n" "$NRNIV" -mpi -nobanner order.hoc < /dev/null \
        | grep -v '^numprocs=' > "order.$n.out"
    echo "regenerated order.$n.out"
done
