"""The HTTP API fuzzed from its own OpenAPI document (schemathesis), bounded for CI: no request may get a 5xx.

The campaign with many more examples is ``campaigns/fuzz_api.py`` (its results are in docs/reliability.md); this
runs the same code with a few generated requests per operation and generation mode.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("schemathesis")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "campaigns"))
import fuzz_api  # noqa: E402


def test_no_server_error_on_any_operation(tmp_path):
    app = fuzz_api.build_app(tmp_path, n_events=120)
    lines: list[str] = []
    result = fuzz_api.fuzz(app, examples=8, log=lines.append)
    assert result["failures"] == [], "\n".join(f"{f['operation']} -> {f['status']}: {f['body']}\n{f['request']}"
                                               for f in result["failures"][:5])
    statuses = result["statuses"]
    # every operation of the document was exercised, including uploads with and without the token
    assert result["operations"] >= 10 and len(statuses) == result["operations"] + 1, statuses
    assert result["calls"] >= 8 * result["operations"]
    total = Counter()
    for counter in statuses.values():
        total.update(counter)
    assert total[200] > 0 and total[422] > 0  # valid requests answered, invalid ones refused as such
    assert statuses["POST /api/ingest"].keys() <= {401, 403, 422}, statuses["POST /api/ingest"]  # no token: no way in
    assert statuses["POST /api/ingest (with token)"][200] > 0, statuses["POST /api/ingest (with token)"]
