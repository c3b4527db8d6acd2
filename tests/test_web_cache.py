"""The cache of whole ``GET /api/events`` answers (``wiredesk.web.access.PageCache`` and ``EventPages``): a hit is
byte-for-byte the routed answer with the same headers, and an answer is never served after the store changed."""

from __future__ import annotations

import time

import duckdb
import pytest
from fastapi.testclient import TestClient

from wiredesk.web import create_app
from wiredesk.web.access import page_key
from wiredesk.web.sample import fill_store


@pytest.fixture()
def db(tmp_path) -> str:
    path = str(tmp_path / "cache.duckdb")
    fill_store(path, n_events=80, seed=5)
    return path


def test_page_key_normal_form():
    assert page_key(b"b=2&a=1") == page_key(b"a=1&b=2") == page_key(b"a=%31&b=2")
    assert page_key(b"a=1&a=2") != page_key(b"a=2&a=1")  # the last value wins in the route: order kept
    assert page_key(b"") == ()


def test_hit_equals_the_routed_answer_and_stale_pages_are_never_served(db):
    app = create_app(db, idle_release=0.2)
    access = app.state.desk.access
    with TestClient(app) as client:
        url = "/api/events?country=FRA&limit=5&order=desc"
        first = client.get(url)
        assert first.status_code == 200 and first.json()["total"] > 0
        hits = access.pages.hits
        again = client.get("/api/events?limit=5&order=desc&country=FRA")  # same query, other order
        assert access.pages.hits == hits + 1
        assert again.content == first.content
        for name in ("content-type", "content-security-policy", "cache-control", "x-content-type-options"):
            assert again.headers.get(name) == first.headers.get(name), name
        bad = client.get("/api/events?country=F1&limit=5")  # errors are never cached
        assert bad.status_code == 422 and client.get("/api/events?country=F1&limit=5").status_code == 422

        deadline = time.monotonic() + 30
        while access._anchor is not None and time.monotonic() < deadline:  # idle release frees the file
            time.sleep(0.05)
        con = duckdb.connect(db)  # another writer changes the events meanwhile
        try:
            con.execute("DELETE FROM events WHERE country = 'FRA' OR actor_codes LIKE '%|FRA|%' "
                        "OR recipient_codes LIKE '%|FRA|%'")
        finally:
            con.close()
        after = client.get(url)
        assert after.status_code == 200 and after.json()["total"] == 0, after.json()["total"]
        assert client.get(url).content == after.content  # and the new answer is cached in turn


def test_cache_off(db):
    app = create_app(db, page_cache_mb=0)
    with TestClient(app) as client:
        a = client.get("/api/events?limit=3")
        b = client.get("/api/events?limit=3")
    assert a.content == b.content and app.state.desk.access.pages.hits == 0
