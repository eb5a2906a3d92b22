#!/bin/sh
# Regenerate the expected outputs of the mechanism tests from a NEURON
# installation (the reference is NEURON 9.0.2; its built-in mechanisms are the
# oracle).
#
#   tests/mech/regen.sh /path/to/nrniv
#
# The .mod files of this directory are compiled first with the nrnivmodl
# beside nrniv (nrniv then loads them, as nerve loads the .mod files of its
# working directory; the build folder is removed at the end). For every
# tests/mech/NAME.hoc: NAME.out = stdout of `nrniv -nobanner NAME.hoc`, run
# in this directory with stdin from /dev/null.
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 /path/to/nrniv" >&2
    exit 2
fi
case "$1" in
    /*) NRNIV="$1" ;;
    *)  NRNIV="$(pwd)/$1" ;;
esac
if [ ! -x "$NRNIV" ]; then
    echo "$0: $NRNIV is not executable" >&2
    exit 2
fi
HERE="$(cd "$(dirname "$0")" && pwd)"
# keep the environment deterministic
export PATH="$(dirname "$NRNIV"):$PATH"
unset DISPLAY
export LC_ALL=C
export TZ=UTC
export HOC_LIBRARY_PATH=

strip_display() {
    grep -v -e '^Warning: no DISPLAY environment variable\.$' \
            -e '^--No graphics will be displayed\.$' || true
}

status=0
cd "$HERE" || exit 2
# nrnivmodl builds into a folder named for the machine
BUILD="$(uname -m)"
if [ -e "$BUILD" ]; then
    echo "$0: $HERE/$BUILD exists; remove it first" >&2
    exit 2
fi
if ls ./*.mod > /dev/null 2>&1; then
    if ! "$(dirname "$NRNIV")/nrnivmodl" > nrnivmodl.log 2>&1; then
        echo "ERROR: nrnivmodl failed:" >&2
        sed 's/^/    /' nrnivmodl.log >&2
        rm -rf "$BUILD"
        exit 1
    fi
    rm -f nrnivmodl.log
fi
for f in *.hoc; do
    name="${f%.hoc}"
    "$NRNIV" -nobanner "$f" < /dev/null > "$name.out" 2> "$name.err.tmp"
    rc=$?
    strip_display < "$name.err.tmp" > "$name.err.tmp2"
    if [ $rc -ne 0 ] || [ -s "$name.err.tmp2" ]; then
        echo "ERROR: $f exited with status $rc or wrote to stderr:" >&2
        sed 's/^/    /' "$name.err.tmp2" >&2
        status=1
    fi
    rm -f "$name.err.tmp" "$name.err.tmp2"
    echo "regenerated $name.out ($(wc -l < "$name.out") lines)"
done
rm -rf "$BUILD"
exit $status
