"""Fuzz the HTTP API from its own OpenAPI document with schemathesis: no request may get a 5xx answer.

Every operation of ``/api/openapi.json`` gets ``--examples`` generated requests in each generation mode (positive:
valid by the schema; negative: values the schema forbids), sent through the real ASGI app (FastAPI, in process) over
a store filled by ``wiredesk.web.sample.fill_store`` with hostile article text. ``POST /api/ingest`` is fuzzed twice:
with the server's token (so the upload limits, file names and readers are reached; the NLP pipeline behind it is
replaced by the readers alone, which is what an upload's content reaches first: one real pipeline run per request
would take seconds) and with whatever ``Authorization`` header schemathesis makes up.

    .venv/bin/python campaigns/fuzz_api.py --examples 1000          # full campaign
    .venv/bin/python campaigns/fuzz_api.py --examples 20 --no-doc   # quick look

Writes the "api-fuzz" section of docs/reliability.md; CI runs a bounded version (tests/test_api_schemathesis.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _campaign import machine_info, write_section  # noqa: E402

TOKEN = "schemathesis-token-0123"


def readers_only(paths: list[str], db: str) -> dict[str, Any]:
    """Stand-in for the NLP pipeline behind ``POST /api/ingest``: the uploaded files go through every reader."""
    from wiredesk.ingest import iter_articles
    from wiredesk.model import Article

    items = list(iter_articles(paths))
    return {"files": len(paths), "articles_read": sum(isinstance(i, Article) for i in items),
            "errors": [{"path": getattr(i, "path", ""), "reason": getattr(i, "reason", "")}
                       for i in items if not isinstance(i, Article)]}


def build_app(folder: Path, n_events: int = 300, seed: int = 3) -> Any:
    from wiredesk.web import create_app, routes
    from wiredesk.web.sample import fill_store

    db = folder / "api-fuzz.duckdb"
    if not db.exists():
        fill_store(str(db), n_events=n_events, seed=seed, hostile=True)
    routes.run_pipeline = readers_only  # see the module docstring
    return create_app(str(db), token=TOKEN, max_upload_bytes=2 * 1024 * 1024)


def fuzz(app: Any, examples: int, seed: int = 0, log: Any = print) -> dict[str, Any]:
    """Run every operation in both generation modes; collect status codes and every 5xx (never stop early)."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: dict[str, Counter] = {}
    failures: list[dict[str, Any]] = []
    calls = 0
    started = time.perf_counter()
    for op in operations:
        label = f"{op.method.upper()} {op.path}"
        runs = [(mode, None) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
        if op.path.endswith("/ingest"):
            runs += [(mode, {"Authorization": f"Bearer {TOKEN}"})
                     for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
        for mode, headers in runs:
            counter = statuses.setdefault(label + (" (with token)" if headers else ""), Counter())

            @settings(max_examples=examples, deadline=None, database=None, derandomize=seed == 0,
                      suppress_health_check=list(HealthCheck))
            @given(op.as_strategy(generation_mode=mode))
            def one(case: Any) -> None:
                nonlocal calls
                calls += 1
                try:
                    response = case.call(headers=headers) if headers else case.call()
                    status = response.status_code
                    body = response.text[:300]
                except Exception as exc:  # noqa: BLE001 - the app raised through the transport: a crash
                    status, body = 599, "".join(traceback.format_exception_only(exc)).strip()[:300]
                counter[status] += 1
                if status >= 500:
                    failures.append({"operation": label, "mode": mode.value, "status": status, "body": body,
                                     "request": case.as_curl_command()[:600]})

            try:
                one()
            except Exception as exc:  # noqa: BLE001 - a generation problem must not end the campaign
                if type(exc).__name__ != "Unsatisfiable":  # e.g. no parameter to make invalid (negative mode)
                    log(f"{label} {mode.value}: generation stopped: {type(exc).__name__}: {str(exc)[:200]}")
        log("; ".join(f"{k}: {dict(sorted(v.items()))}" for k, v in statuses.items() if k.startswith(label)))
    return {"operations": len(operations), "calls": calls, "seconds": time.perf_counter() - started,
            "statuses": statuses, "failures": failures}


def report(args: Any, result: dict[str, Any]) -> str:
    total = Counter()
    for counter in result["statuses"].values():
        total.update(counter)
    fails = result["failures"]
    lines = [
        "## Hostile requests: the HTTP API fuzzed from its OpenAPI document (schemathesis)",
        "",
        f"`.venv/bin/python campaigns/fuzz_api.py --examples {args.examples} --events {args.events}`",
        "",
        f"Machine: {machine_info()}. Load average at the end: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        "",
        f"- {result['operations']} operations from `/api/openapi.json`, each with up to {args.examples} generated "
        "requests per generation mode (positive: valid by the schema; negative: violating it), sent through the "
        f"real ASGI app over a store of {args.events} synthetic events with hostile article text; `POST /api/ingest` "
        "also with the server's token (uploads reach the limits and every reader; the NLP pipeline behind them is "
        "stood in for by the readers alone).",
        f"- **Requests: {result['calls']:,}** in {result['seconds']:.0f} s; status codes: "
        + ", ".join(f"{code}: {n:,}" for code, n in sorted(total.items())) + ".",
        f"- **Server errors (5xx or an exception through the transport): {len(fails)}**.",
        "",
        "| operation | requests by status |",
        "|---|---|",
    ]
    for label, counter in result["statuses"].items():
        lines.append(f"| `{label}` | " + ", ".join(f"{c}: {n}" for c, n in sorted(counter.items())) + " |")
    seen = set()
    for f in fails:
        key = (f["operation"], f["status"], f["body"][:80])
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"- {f['operation']} ({f['mode']}) -> {f['status']}: {f['body'][:200]!r}; e.g. "
                     f"`{f['request'][:300]}`")
    lines += ["", "CI: `tests/test_api_schemathesis.py` runs the same with a few examples per operation."]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=1000, help="generated requests per operation and mode")
    ap.add_argument("--events", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0, help="0: derandomized (repeatable)")
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wiredesk-api-fuzz-"))
    result = fuzz(build_app(folder, args.events), args.examples, args.seed)
    text = report(args, result)
    if args.no_doc:
        print(text)
    else:
        write_section("api-fuzz", text)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
