#!/bin/sh
# The spike exchange under MPI: tests/mpi/ring.hoc on 1, 2 and 3 ranks
# must give the same spikes bit for bit (sorted lines), and
# tests/mpi/order.hoc on N = 1, 2 and 3 ranks must print order.N.out,
# NEURON 9.0.2's output (tests/mpi/regen.sh), byte for byte. Needs a nerve
# built with the `mpi` feature and the mpiexec of the same MPI:
#   tests/mpi/run.sh path/to/nerve [mpiexec]
set -eu
NERVE="$1"
MPIEXEC="${2:-mpiexec}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP"
"$NERVE" "$HERE/ring.hoc" < /dev/null > one.txt
grep '^spike' one.txt | sort > one.sorted
head -1 one.txt
[ "$(wc -l < one.sorted)" -ge 12 ] || { echo "FAIL: the ring did not propagate" >&2; exit 1; }
for n in 2 3; do
    "$MPIEXEC" -n "$n" "$NERVE" "$HERE/ring.hoc" < /dev/null > "n$n.txt"
    grep '^nhost' "n$n.txt"
    grep -q "^nhost $n " "n$n.txt" || { echo "FAIL: not $n ranks (launcher and MPI library differ?)" >&2; exit 1; }
    grep '^spike' "n$n.txt" | sort > "n$n.sorted"
    if ! cmp -s one.sorted "n$n.sorted"; then
        echo "FAIL: $n ranks give other spikes than one" >&2
        diff one.sorted "n$n.sorted" | head -20 >&2
        exit 1
    fi
done
for n in 1 2 3; do
    "$MPIEXEC" -n "$n" "$NERVE" "$HERE/order.hoc" < /dev/null > "order$n.txt"
    if ! cmp -s "order$n.txt" "$HERE/order.$n.out"; then
        echo "FAIL: order.hoc on $n ranks differs from NEURON's" >&2
        diff "$HERE/order.$n.out" "order$n.txt" | head -20 >&2
        exit 1
    fi
done
echo "PASS: the same $(wc -l < one.sorted) spikes on 1, 2 and 3 ranks; order.hoc as NEURON on each"
