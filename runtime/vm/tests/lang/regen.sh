#!/bin/sh
# Regenerates the expected outputs of the language suite from CPython 3.13.
# Usage: runtime/vm/tests/lang/regen.sh   (from anywhere)
# Each NAME.py gets NAME.out = stdout+stderr of `python3.13 NAME.py`, plus a trailing line
# "exit=N" with the exit status. Never write these files from vigil's own output.
set -eu
PY=${PYTHON313:-/root/.cache/cpython3.13/python3.13}
cd "$(dirname "$0")"
for f in *.py; do
    n=${f%.py}
    # unsupported*.py state their expected refusal in a header directive (see lang.rs).
    case "$n" in unsupported*) continue ;; esac
    set +e
    PYTHONHASHSEED=0 "$PY" "$f" > "$n.out" 2>&1
    rc=$?
    set -e
    echo "exit=$rc" >> "$n.out"
    # Tracebacks show the absolute script path; store it relative to this folder.
    sed -i "s|$PWD/||g" "$n.out"
done
