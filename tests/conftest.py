"""Shared fixtures. Development data lives beside the project at ../shared/data and is never copied in."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
EXAMPLES = REPO / "examples" / "news"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


def synthetic_articles(out: Path, n: int, *, seed: int, words: int) -> list:
    """``n`` generated multi-outlet reports written to ``out`` and read back through ingestion (Articles only)."""
    from wiredesk import ingest
    from wiredesk.model import Article
    from wiredesk.synth import generate

    generate(n, out, seed=seed, words=words)
    return [a for a in ingest.iter_articles(sorted(str(p) for p in out.glob("*.txt")), None)
            if isinstance(a, Article)]


# Some native libraries the suite loads (onnxruntime, DuckDB, Dask's worker threads) can abort the interpreter
# while it tears down their threads at exit ("terminate called ... exception not rethrown"), turning a green run
# into exit code 134 after pytest has printed its result. The result is final once pytest unconfigures, so leave
# the process then with pytest's own exit status, skipping native teardown.
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS.append(int(exitstatus))


def pytest_unconfigure(config):
    import os
    import sys

    if _EXIT_STATUS and os.environ.get("WIREDESK_NATIVE_TEARDOWN") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
