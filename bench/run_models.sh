#!/bin/sh
# Run the shared benchmark models (../shared/bench/{ring,bigcell,hhpoint}.hoc)
# with nerve and with NEURON's nrniv, side by side, one thread, REPS times
# each, and print a markdown table of ns per compartment-step (the minimum
# over the runs, as ../shared/bench/baseline-neuron.md uses; median in
# brackets), the ratio nerve/nrniv, and whether the spike counts agree.
#
#   bench/run_models.sh [--nrniv PATH] [--nerve PATH] [--models DIR]
#                       [--reps N] [--quick]
#
# Defaults: nrniv = $NRNIV or `nrniv` on PATH; nerve = $NERVE or
# target/release/nerve; models = ../shared/bench (beside the repository).
# Configurations (baseline-neuron.md's 1-thread rows): ring 1x128 and
# 16x128 cells, bigcell nlevel=7 and 9, hhpoint 10000 and 20000 cells;
# --quick runs only the first of each. ns per compartment-step =
# wall_s * 1e9 / (compartments * steps), wall_s being psolve's wall time.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
NRNIV="${NRNIV:-$(command -v nrniv 2>/dev/null || true)}"
NERVE="${NERVE:-$ROOT/target/release/nerve}"
MODELS="$(dirname "$ROOT")/shared/bench"
REPS=3
QUICK=0
while [ $# -gt 0 ]; do
    case "$1" in
        --nrniv) NRNIV="$2"; shift 2 ;;
        --nerve) NERVE="$2"; shift 2 ;;
        --models) MODELS="$2"; shift 2 ;;
        --reps) REPS="$2"; shift 2 ;;
        --quick) QUICK=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -f "$MODELS/ring.hoc" ] || { echo "no models in $MODELS" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT INT TERM

# configurations: TAG MODEL PARAMS (space-separated name=value)
if [ "$QUICK" = 1 ]; then
    CONFIGS="ring-1x128 ring ncell=128
bigcell-7 bigcell nlevel=7
hhpoint-10000 hhpoint ncell=10000"
else
    CONFIGS="ring-1x128 ring ncell=128
ring-16x128 ring nring=16
bigcell-7 bigcell nlevel=7
bigcell-9 bigcell nlevel=9
hhpoint-10000 hhpoint ncell=10000
hhpoint-20000 hhpoint ncell=20000"
fi

# run_one SIM LABEL TAG MODEL PARAMS...: appends "ns spikes" lines to $TMP/LABEL.TAG
run_one() {
    sim="$1"; label="$2"; tag="$3"; model="$4"; shift 4
    args=""
    for p in "$@"; do args="$args -c $p"; done
    case "$label" in nrniv) args="-nobanner $args" ;; esac
    i=0
    while [ "$i" -lt "$REPS" ]; do
        # shellcheck disable=SC2086
        line="$(cd "$TMP" && "$sim" $args "$MODELS/$model.hoc" < /dev/null 2>/dev/null | grep '^RESULT')"
        ns="$(echo "$line" | sed -n 's/.*ns_per_cstep=\([0-9.]*\).*/\1/p')"
        sp="$(echo "$line" | sed -n 's/.*spikes=\([0-9]*\).*/\1/p')"
        comp="$(echo "$line" | sed -n 's/.*compartments=\([0-9]*\).*/\1/p')"
        echo "${ns:-nan} ${sp:--} ${comp:--}" >> "$TMP/$label.$tag"
        i=$((i + 1))
    done
}

# stats FILE: "min (median)" of column 1
stats() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0 || v[1] == "nan") { print "-"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f (%.1f)", v[1], m }'
}
minof() { sort -n "$1" | head -1 | awk '{ print $1 }'; }
spikes() { awk '{ print $2 }' "$1" | sort -u | tr '\n' ' ' | sed 's/ $//'; }

echo "$CONFIGS" | while read -r tag model params; do
    # shellcheck disable=SC2086
    [ -x "$NERVE" ] && run_one "$NERVE" nerve "$tag" "$model" $params
    # shellcheck disable=SC2086
    [ -n "$NRNIV" ] && run_one "$NRNIV" nrniv "$tag" "$model" $params
done

echo "| model | compartments | nerve ns/cstep min (median) | nrniv ns/cstep min (median) | nerve / nrniv | spikes nerve / nrniv |"
echo "|---|---:|---:|---:|---:|---|"
echo "$CONFIGS" | while read -r tag model params; do
    a="$TMP/nerve.$tag"; b="$TMP/nrniv.$tag"
    [ -f "$a" ] || : > "$a"
    [ -f "$b" ] || : > "$b"
    comp="$(awk '{ print $3 }' "$a" "$b" | grep -v -e - | head -1)"
    ratio="$(awk -v x="$(minof "$a")" -v y="$(minof "$b")" 'BEGIN {
        if (x + 0 > 0 && y + 0 > 0) printf "%.2f", x / y; else print "-" }')"
    echo "| $tag | ${comp:--} | $(stats "$a") | $(stats "$b") | $ratio | $(spikes "$a") / $(spikes "$b") |"
done
echo
echo "($REPS runs each; $("$NERVE" --version 2>/dev/null | head -1), $(uname -m), $(nproc) cores)"
