"""The DuckDB store: schema versions, transactions, busy handling, filters."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from wiredesk.model import Article, Entity, Event, EventMention, IngestError, Place, Story
from wiredesk.store import SCHEMA_VERSION, EventFilter, SchemaTooNew, Store, StoreBusy, StoreError, period_bounds


class _Result:
    def __init__(self, events, stories=(), mention_event=None):
        self.events = list(events)
        self.stories = list(stories)
        self.mention_event = mention_event or {}
        self.duplicate_groups = {}
        self.date_corrections = []


def _event(eid, event, date, actors, recipients=(), sources=1, place=None):
    return Event(id=eid, event=event, date=date, date_precision="day" if date and len(date) == 10 else "month",
                 actor=[Entity(code=c, sector="GOV") for c in actors],
                 recipient=[Entity(code=c, sector="GOV") for c in recipients], sources=sources,
                 summary=f"{event} between {' and '.join(actors)}", location=place)


def test_new_store_has_current_schema(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.counts()["articles"] == 0


def test_newer_schema_is_refused_clearly(tmp_path):
    path = tmp_path / "new.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(SchemaTooNew, match="newer than this wiredesk"):
        Store(path)


def test_older_schema_is_migrated(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO schema_meta VALUES ('schema_version', '0')")
    con.close()
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.counts()["events"] == 0


def _actor(code):
    from wiredesk.model import ActorMention

    return ActorMention(start=0, end=3, text=code, entity=Entity(code=code, sector="GOV"))


def test_version_1_store_with_articles_migrates_and_keeps_their_actor_codes(tmp_path):
    """A store written before the link_fields column: after migration the story pass still gets each old
    article's codes (from its record), and articles written since carry them in the column."""
    from wiredesk.store import schema

    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO schema_meta VALUES ('schema_version', '1')")
    for statement in schema.MIGRATIONS[1]:
        con.execute(statement)
    old = Article(id="old", path="o.txt", raw_text="x", text="x", published="2024-01-02",
                  actors=[_actor("FRA"), _actor("CHN"), _actor("FRA")])
    con.execute("INSERT INTO articles (id, path, published, record) VALUES (?, ?, ?, ?)",
                ["old", "o.txt", "2024-01-02", __import__("json").dumps(old.to_dict())])
    con.close()
    new = Article(id="new", path="n.txt", raw_text="y", text="y", published="2024-01-03",
                  actors=[_actor("USA"), _actor("RUS")])
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        store.write_batch([new], [], [], "r1")
        stored = dict(store.con.execute("SELECT id, link_fields FROM articles").fetchall())
        assert stored["old"] is None and __import__("json").loads(stored["new"])["actor_codes"] == ["RUS", "USA"]
        codes = {row["id"]: row["actor_codes"] for row in store.story_order(set(), {})}
        assert codes == {"old": ["CHN", "FRA"], "new": ["RUS", "USA"]}
        assert {a["id"]: a["actor_codes"] for a in store.link_articles()} == codes


def test_foreign_duckdb_file_is_not_touched(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INT)")
    con.close()
    with pytest.raises(StoreError, match="not a wiredesk store"):
        Store(path)


def test_second_writer_process_gets_store_is_busy(tmp_path):
    path = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from wiredesk.store import Store
            s = Store({str(path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreBusy, match="store is busy"):
            Store(path)
    finally:
        holder.communicate("\n", timeout=30)
    with Store(path) as store:  # the file is intact once the holder is gone
        assert store.schema_version() == SCHEMA_VERSION


def test_batch_write_is_idempotent_and_atomic(tmp_path):
    art = Article(id="a1", path="x.txt", raw_text="Hello.", text="Hello.")
    art.mentions = [EventMention(article_id="a1", sentence=0, start=0, end=6, text="Hello.", event="CONSULT",
                                 id="a1:0:0")]
    src = {"path": "x.txt", "sha256": "abc", "size": 6, "articles": 1, "errors": 0}
    with Store(tmp_path / "b.duckdb") as store:
        store.write_batch([art], [IngestError(path="bad.bin", reason="binary file")], [src], "r1")
        store.write_batch([art], [IngestError(path="bad.bin", reason="binary file")], [src], "r2")
        assert store.counts() | {} == {"articles": 1, "mentions": 1, "events": 0, "stories": 0,
                                       "ingest_errors": 1, "sources": 1}
        assert store.source_done("x.txt", "abc") and not store.source_done("x.txt", "changed")
        # A failing batch leaves nothing behind.
        bad = Article(id="a2", path="y.txt")
        bad.mentions = [EventMention(article_id="a2", sentence=0, start=0, end=1, text="x", event="AID",
                                     id="a2:0:0")]
        with pytest.raises(Exception):
            store.write_batch([bad], [], [{"path": "y.txt"}], "r3")  # missing keys -> error mid-transaction
        assert store.known_articles(["a1", "a2"]) == {"a1"}
        assert store.counts()["mentions"] == 1


def test_event_filters(tmp_path):
    events = [
        _event("e1", "CONSULT", "2023-05-10", ["FRA", "DEU"], place=Place("Paris", lat=48.85, lon=2.35,
                                                                       country="FRA")),
        _event("e2", "ACCUSE", "2023-06", ["CHN"], ["USA"], sources=3),
        _event("e3", "AGREE", "2022-01-02", ["IND"], ["RUS"]),
    ]
    with Store(tmp_path / "c.duckdb") as store:
        store.write_link_result(_Result(events, [Story(id="s1", article_ids=["a"])], {"m1": "e1"}))
        ids = lambda **kw: [e["id"] for e in store.event_rows(EventFilter(**kw))]  # noqa: E731
        assert ids() == ["e3", "e1", "e2"]
        assert ids(event="consult") == ["e1"]
        assert ids(actor="USA") == ["e2"]
        assert ids(country="fra") == ["e1"]
        assert ids(since="2023-06-15") == ["e2"]  # month precision overlaps the day
        assert ids(until="2023-05-31") == ["e3", "e1"]
        assert ids(min_sources=2) == ["e2"]
        assert ids(bbox=(0.0, 40.0, 10.0, 50.0)) == ["e1"]
        assert ids(query="ACCUSE between") == ["e2"]
        assert ids(limit=1, offset=1) == ["e1"]
        assert ids(actor="'; DROP TABLE events; --") == []
        assert store.counts()["events"] == 3
        assert store.actors()[0]["code"] in {"FRA", "DEU", "CHN", "USA", "IND", "RUS"}


def test_period_bounds():
    assert period_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert period_bounds("2023") == ("2023-01-01", "2023-12-31")
    assert period_bounds("2023-05-10") == ("2023-05-10", "2023-05-10")
    assert period_bounds(None) == (None, None)
