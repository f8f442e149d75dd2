#!/bin/sh
# Regenerate expected SyntaxError reports from CPython 3.13 (never from vigil):
#   runtime/compiler/tests/errors/regen.sh
# Each case is run as a script from the cases folder; stderr is the expected report, with
# the absolute script path CPython prints reduced to the bare file name.
PY=${PYTHON313:-/root/.cache/cpython3.13/python3.13}
cd "$(dirname "$0")/cases" || exit 1
here=$(pwd)
for f in *.py; do
    "$PY" "$f" > /dev/null 2> "${f%.py}.expected"
    sed -i "s#$here/##" "${f%.py}.expected"
done
