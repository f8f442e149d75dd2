#!/bin/sh
# Regenerate the expected bytecode shapes from CPython 3.13 (never from vigil):
#   runtime/compiler/tests/shape/regen.sh
set -e
PY=${PYTHON313:-/root/.cache/cpython3.13/python3.13}
cd "$(dirname "$0")"
mkdir -p expected
for f in cases/*.py; do
    name=$(basename "$f" .py)
    (cd cases && "$PY" ../cpython_shape.py "$name.py") > "expected/$name.shape"
done
