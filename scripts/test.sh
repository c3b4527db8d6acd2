#!/usr/bin/env bash
# Set up wiredesk with its test needs (incl. Debian's Chromium for the browser tests) and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped" >&2
fi
exec .venv/bin/python -m pytest "$@"
