#!/bin/sh
# Run the HOC interpreter benchmark (bench/interp_loop.hoc) with NEURON's
# nrniv and with nerve, REPS times each, and print a markdown table of the
# median seconds per part (plus min..max), and whether the checksums agree.
#
#   bench/run_interp.sh [--nrniv PATH] [--nerve PATH] [--reps N]
#
# Defaults: nrniv = $NRNIV or `nrniv` on PATH; nerve = $NERVE or
# target/release/nerve (relative to the repository root).  A simulator that
# is not found is skipped.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
NRNIV="${NRNIV:-$(command -v nrniv 2>/dev/null || true)}"
NERVE="${NERVE:-$ROOT/target/release/nerve}"
REPS=3
while [ $# -gt 0 ]; do
    case "$1" in
        --nrniv) NRNIV="$2"; shift 2 ;;
        --nerve) NERVE="$2"; shift 2 ;;
        --reps)  REPS="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT INT TERM

# run_sim LABEL PROGRAM: REPS runs, outputs kept in $TMP/LABEL.N
run_sim() {
    label="$1"; prog="$2"; i=1
    while [ "$i" -le "$REPS" ]; do
        (cd "$HERE" && "$prog" -nobanner interp_loop.hoc < /dev/null \
            > "$TMP/$label.$i" 2> "$TMP/$label.$i.err")
        rc=$?
        if [ $rc -ne 0 ] || ! grep -q '^TIME total' "$TMP/$label.$i"; then
            # keep the parts that finished; the table shows "-" for the rest
            echo "$label run $i failed (exit $rc):" >&2
            tail -8 "$TMP/$label.$i.err" | sed 's/^/    /' >&2
        fi
        i=$((i + 1))
    done
    echo "$label" >> "$TMP/labels"
}

: > "$TMP/labels"
if [ -n "$NRNIV" ] && [ -x "$NRNIV" ]; then
    run_sim nrniv "$NRNIV"
else
    echo "nrniv not found (set NRNIV or --nrniv): skipped" >&2
fi
if [ -x "$NERVE" ]; then
    run_sim nerve "$NERVE"
else
    echo "nerve not found at $NERVE (cargo build --release): skipped" >&2
fi
[ -s "$TMP/labels" ] || { echo "nothing ran" >&2; exit 1; }

python3 - "$TMP" "$REPS" <<'PY'
import os, sys, statistics
tmp, reps = sys.argv[1], int(sys.argv[2])
labels = [l.strip() for l in open(os.path.join(tmp, "labels")) if l.strip()]
times, checks, parts = {}, {}, []
for lab in labels:
    for i in range(1, reps + 1):
        path = os.path.join(tmp, "%s.%d" % (lab, i))
        if not os.path.exists(path):
            continue
        for line in open(path):
            f = line.split()
            if len(f) == 3 and f[0] == "TIME":
                if f[1] not in parts:
                    parts.append(f[1])
                times.setdefault((lab, f[1]), []).append(float(f[2]))
            elif len(f) == 3 and f[0] == "CHECK":
                checks.setdefault(f[1], {}).setdefault(lab, set()).add(f[2])
def cell(lab, part):
    v = times.get((lab, part))
    if not v:
        return "-"
    return "%.3f (%.3f..%.3f)" % (statistics.median(v), min(v), max(v))
head = ["part"] + ["%s s, median (min..max) of %d" % (l, reps) for l in labels]
if len(labels) == 2:
    head.append("%s / %s" % (labels[1], labels[0]))
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for p in parts:
    row = [p] + [cell(l, p) for l in labels]
    if len(labels) == 2:
        a, b = times.get((labels[0], p)), times.get((labels[1], p))
        row.append("%.2f" % (statistics.median(b) / statistics.median(a))
                   if a and b and statistics.median(a) > 0 else "-")
    print("| " + " | ".join(row) + " |")
bad = []
for p, per in checks.items():
    vals = set().union(*per.values())
    if len(vals) != 1:
        bad.append("%s: %s" % (p, ", ".join("%s=%s" % (l, "/".join(sorted(v))) for l, v in per.items())))
print()
print("checksums: " + ("all agree" if not bad else "MISMATCH " + "; ".join(bad)))
for lab in labels:
    missing = [p for p in parts if not times.get((lab, p))]
    if missing:
        print("%s did not finish: %s" % (lab, ", ".join(missing)))
PY
