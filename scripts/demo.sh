#!/usr/bin/env bash
# Set up wiredesk and run the whole job on the bundled example corpus, then print its events.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB=${WIREDESK_DB:-wiredesk.duckdb}
.venv/bin/wiredesk run examples/news --db "$DB"
.venv/bin/wiredesk events --db "$DB"
