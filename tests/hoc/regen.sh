#!/bin/sh
# Regenerate the expected outputs of the HOC language tests from a NEURON
# installation (the reference is NEURON 9.0.2).
#
#   tests/hoc/regen.sh /path/to/nrniv
#
# For every tests/hoc/NAME.hoc:        NAME.out    = stdout
# For every tests/hoc/errors/NAME.hoc: NAME.out    = stdout
#                                      NAME.stderr = stderr (DISPLAY warnings removed)
#                                      NAME.status = exit status
# Each program runs inside its own directory as `nrniv -nobanner NAME.hoc`
# with stdin from /dev/null.  In the recorded stderr the program path at the
# start of error messages is shortened to "nrniv" and heap addresses are
# replaced by 0xADDRESS, so the files do not depend on the machine.
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
NRNDIR="$(dirname "$NRNIV")"
HERE="$(cd "$(dirname "$0")" && pwd)"
# keep the environment deterministic
export PATH="$NRNDIR:$PATH"
unset DISPLAY
export LC_ALL=C
export TZ=UTC
export HOC_LIBRARY_PATH=

strip_display() {
    grep -v -e '^Warning: no DISPLAY environment variable\.$' \
            -e '^--No graphics will be displayed\.$' || true
}

# Error messages start with the path of the nrniv binary (the pip-installed
# nrniv is a wrapper that re-executes the real program under its full path)
# and some contain heap addresses: replace both so the files are the same
# on every machine.
normalise_stderr() {
    sed -e "s|$NRNIV:|nrniv:|g" \
        -e 's|^[^ ]*/nrniv: |nrniv: |' \
        -e 's|0x[0-9a-f]\{4,\}|0xADDRESS|g'
}

status=0
cd "$HERE" || exit 2
for f in *.hoc; do
    name="${f%.hoc}"
    nrniv -nobanner "$f" < /dev/null > "$name.out" 2> "$name.err.tmp"
    rc=$?
    strip_display < "$name.err.tmp" > "$name.err.tmp2"
    if [ $rc -ne 0 ]; then
        echo "ERROR: $f exited with status $rc (every test must run to completion):" >&2
        sed 's/^/    /' "$name.err.tmp2" >&2
        status=1
    elif [ -s "$name.err.tmp2" ]; then
        # only the error-recovery tests (execute.hoc) are expected to do this
        echo "note: $f wrote $(wc -l < "$name.err.tmp2") line(s) to stderr (not recorded)" >&2
    fi
    rm -f "$name.err.tmp" "$name.err.tmp2"
    echo "regenerated $name.out"
done

cd "$HERE/errors" || exit 2
for f in *.hoc; do
    name="${f%.hoc}"
    nrniv -nobanner "$f" < /dev/null > "$name.out" 2> "$name.err.tmp"
    echo $? > "$name.status"
    strip_display < "$name.err.tmp" | normalise_stderr > "$name.stderr"
    rm -f "$name.err.tmp"
    echo "regenerated errors/$name.{out,stderr,status} (exit $(cat "$name.status"))"
done
exit $status
