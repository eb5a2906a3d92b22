#!/bin/sh
# Compares each mechanism in mod-files/ with NEURON's built-in of the same
# name, side by side in one simulation (needs NEURON; not part of the tests).
#
#   mod-files/verify/run.sh [/path/to/neuron/bin]     (default /work/nrnvenv/bin)
#
# Every mod-files/NAME.mod is copied to a scratch directory as NAME_n.mod with
# its SUFFIX / POINT_PROCESS / ARTIFICIAL_CELL renamed to NAME_n, the copies
# are compiled with nrnivmodl, and every verify/*.hoc runs in nrniv with them
# loaded. Each script prints lines
#     RESULT  mechanism  max|difference|  what was compared
# which this script gathers into a table.
set -eu
NRNBIN="${1:-/work/nrnvenv/bin}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/nerve-modverify.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C
unset DISPLAY

for f in "$HERE"/../*.mod; do
    name="$(basename "$f" .mod)"
    sed -E 's/^([[:space:]]*(SUFFIX|POINT_PROCESS|ARTIFICIAL_CELL)[[:space:]]+)([A-Za-z0-9_]+)/\1\3_n/' \
        "$f" > "$WORK/${name}_n.mod"
done
(cd "$WORK" && "$NRNBIN/nrnivmodl" > nrnivmodl.log 2>&1) || {
    cat "$WORK/nrnivmodl.log" >&2
    exit 1
}
grep -i -e warning -e error "$WORK/nrnivmodl.log" >&2 || true

status=0
cd "$HERE"
: > "$WORK/results"
for h in *.hoc; do
    [ "$h" = common.hoc ] && continue
    if ! "$WORK/x86_64/special" -nobanner "$h" < /dev/null > "$WORK/out" 2> "$WORK/err"; then
        echo "FAILED: $h" >&2
        cat "$WORK/err" >&2
        status=1
    fi
    grep '^RESULT' "$WORK/out" >> "$WORK/results" || true
    grep -v '^RESULT' "$WORK/out" | sed "s|^|$h: |" || true
done
printf '\n| mechanism | max abs difference | compared |\n|---|---|---|\n'
awk '{ m = $2; d = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); printf "| %s | %s | %s |\n", m, d, $0 }' "$WORK/results"
exit $status
