"""The CLI: documented, thin, and its outputs in every format on a real store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wiredesk.cli import app
from wiredesk.engine import runner

REPO = Path(__file__).resolve().parents[1]
cli = CliRunner()


def test_docs_match_the_commands_own_help():
    sys.path.insert(0, str(REPO / "scripts"))
    import gen_cli_docs

    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == gen_cli_docs.render(), \
        "docs/cli.md is stale: run scripts/gen_cli_docs.py"


@pytest.fixture(scope="module")
def store(tmp_path_factory, examples_dir):
    db = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    runner.run([str(examples_dir)], str(db))
    return str(db)


def test_events_jsonl_has_the_record_fields(store):
    result = cli.invoke(app, ["events", "--db", store, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    for rec in records:
        for key in ("id", "event", "mode", "context", "date", "date_precision", "actor", "recipient", "flags",
                    "articles", "mentions", "sources", "conflicts", "summary", "confidence"):
            assert key in rec, key
        for ent in rec["actor"] + rec["recipient"]:
            assert {"code", "sector", "name", "entity_text", "office"} <= set(ent)
        for art in rec["articles"]:
            assert {"id", "path", "url", "publication", "title", "published"} <= set(art)


def test_table_shows_which_records_are_not_claims_that_it_happened(store):
    records = [json.loads(line) for line in
               cli.invoke(app, ["events", "--db", store, "-f", "jsonl"]).stdout.splitlines()]
    flagged = [r for r in records if r["flags"]]
    assert flagged, "the example corpus reports plans and negated events"
    # A wide terminal so rich does not fold the cells; each flagged record's row names its flags.
    table = cli.invoke(app, ["events", "--db", store], env={"COLUMNS": "400"}).stdout
    assert "flags" in table.splitlines()[1]
    rows = {line.split("\u2502")[1].strip(): line for line in table.splitlines() if line.count("\u2502") > 5}
    for rec in flagged:
        assert ";".join(rec["flags"]) in rows[rec["id"]], rec["id"]


def test_filters_csv_parquet_and_show(store, tmp_path):
    all_rows = json.loads("[" + ",".join(cli.invoke(app, ["events", "--db", store, "-f", "jsonl"]).stdout
                                         .splitlines()) + "]")
    consult = [r for r in all_rows if r["event"] == "CONSULT"]
    out = cli.invoke(app, ["events", "--db", store, "-f", "csv", "--event", "CONSULT"])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == len(consult) and all(r["event"] == "CONSULT" for r in rows)
    parquet = tmp_path / "events.parquet"
    assert cli.invoke(app, ["events", "--db", store, "-f", "parquet", "-o", str(parquet)]).exit_code == 0
    import pandas as pd

    frame = pd.read_parquet(parquet)
    assert len(frame) == len(all_rows) and set(frame["id"]) == {r["id"] for r in all_rows}
    first = all_rows[0]
    shown = cli.invoke(app, ["show", first["id"], "--db", store])
    assert shown.exit_code == 0 and first["event"] in shown.stdout and "evidence" in shown.stdout
    missing = cli.invoke(app, ["show", "no-such-event", "--db", store])
    assert missing.exit_code == 1


def test_dump_writes_every_table_as_parquet_that_dask_reads(store, tmp_path):
    """`wiredesk dump` is the store as Parquet: every row of every table, records intact, readable by Dask."""
    import dask.dataframe as dd
    import pandas as pd

    from wiredesk.store import Store

    result = cli.invoke(app, ["dump", str(tmp_path / "out"), "--db", store])
    assert result.exit_code == 0, result.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    with Store(store, read_only=True) as db:
        counts = db.counts()
        stored = {r["id"]: r for r in db.event_rows()}
        version = db.schema_version()
    assert manifest["schema_version"] == version
    for table in ("events", "mentions", "articles", "stories", "ingest_errors", "sources"):
        assert manifest["tables"][table]["rows"] == counts[table] == len(pd.read_parquet(tmp_path / "out" /
                                                                                          f"{table}.parquet"))
    events = dd.read_parquet(str(tmp_path / "out" / "events.parquet")).compute()
    assert set(events["id"]) == set(stored) and counts["events"] > 0
    one = events.iloc[0]
    assert json.loads(one["record"])["id"] == one["id"] and stored[one["id"]]["event"] == one["event"]
    links = pd.read_parquet(tmp_path / "out" / "event_mentions.parquet")
    assert set(links["event_id"]) == set(stored)


def test_articles_jsonl_fields(store):
    result = cli.invoke(app, ["articles", "--db", store, "-f", "jsonl"])
    recs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(recs) >= 28
    for rec in recs:
        assert {"id", "path", "url", "title", "publication", "published", "published_basis", "language",
                "quality", "near_duplicates"} <= set(rec)


def test_missing_store_is_a_clear_error(tmp_path):
    result = cli.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no store" in result.output


def test_run_exits_nonzero_only_when_nothing_could_be_read(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 40)
    proc = subprocess.run([sys.executable, "-m", "wiredesk.cli", "run", str(empty), str(binary), "--db",
                           str(tmp_path / "x.duckdb"), "-q"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "nothing could be read" in proc.stderr
    assert str(binary) in proc.stderr  # each bad file gets its own line with the reason
