"""``GET /api/events`` answered from memory before routing (``wiredesk.web.pages``): byte for byte the routed answer
for the queries it takes, and every other query (odd spellings, bad values, a busy store) left to the route."""

from __future__ import annotations

import urllib.parse

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiredesk.store import EventFilter
from wiredesk.web import create_app, pages
from wiredesk.web.access import page_key
from wiredesk.web.index import EventIndex, RecordSlots
from wiredesk.web.sample import fill_store

N_EVENTS = 160


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("pages") / "desk.duckdb")
    fill_store(path, n_events=N_EVENTS, seed=4, hostile=True)
    return path


@pytest.fixture(scope="module")
def app(db):
    # page cache off: every answer below is computed, by the route or from memory, never replayed
    return create_app(db, max_page_size=100, page_cache_mb=0, idle_release=30)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:
        yield c


def routed_and_memory(client, url):
    """(answer with the in-memory path switched off, answer with it on, whether it answered the latter)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages, "memory_page", lambda *a, **k: None)
        routed = client.get(url)
    real, answered = pages.memory_page, []

    def spy(*args, **kwargs):
        body = real(*args, **kwargs)
        answered.append(body is not None)
        return body

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages, "memory_page", spy)
        memory = client.get(url)
    return routed, memory, any(answered)


PLAIN = [
    {},
    {"limit": 100, "offset": 40},
    {"event": "ASSAULT", "order": "desc"},
    {"event": "consult", "limit": 7, "offset": 3},
    {"actor": "ukr"},
    {"country": "FRA", "order": "desc", "offset": 2},
    {"since": "2024-06", "until": "2024-09-30", "order": "desc", "limit": 9, "offset": 5},
    {"since": "2025"},
    {"min_sources": 3, "order": "desc"},
    {"q": "Humanitarian", "limit": 3},
    {"q": "  talks  ", "order": "desc"},
    {"bbox": "20,40,45,60", "offset": 1},
    {"story": "st-00003"},
    {"country": "RUS", "min_sources": 2, "since": "2024-03", "order": "desc", "limit": 4, "offset": 1},
    {"offset": 5000},
    {"event": "", "since": "", "q": "", "bbox": ""},  # empty values mean "no filter" to the route as well
]


@pytest.mark.parametrize("params", PLAIN, ids=lambda p: urllib.parse.urlencode(p) or "none")
def test_memory_answer_is_the_routed_answer(client, params):
    url = "/api/events?" + urllib.parse.urlencode(params)
    routed, memory, answered = routed_and_memory(client, url)
    assert routed.status_code == 200
    assert answered, "a plain query on a warm index must be answered from memory"
    assert memory.content == routed.content
    assert memory.headers.raw == routed.headers.raw  # same headers (security ones included), same order


def test_odd_spellings_and_bad_values_go_to_the_route():
    for query in (b"limit=%2B5", b"limit=", b"limit=0", b"limit=101", b"offset=-1", b"offset=100000001",
                  b"min_sources=007", b"min_sources=100001", b"order=DESC", b"actor=", b"actor=U1", b"story=",
                  b"event=nope", b"since=2024-02-30", b"since=2025&until=2024", b"bbox=1,2,3", b"foo=1",
                  b"q=" + b"x" * 201):
        assert pages.plain_query(page_key(query), 100) is None, query
    flt, newest = pages.plain_query(page_key(b"country=fra&since=2024-06&limit=5&offset=10&order=desc&limit=6"), 100)
    assert newest and flt == EventFilter(country="fra", since="2024-06", limit=6, offset=10)  # last value wins


_VALUES = {
    "event": ["ASSAULT", "consult", "", "nope", "ASSAULT\n"],
    "actor": ["UKR", "fra", "", "U1", "UKRAINE1"],
    "country": ["RUS", "FRA", "x", "Fr "],
    "since": ["2024", "2024-06", "2024-02-30", "", "24-01"],
    "until": ["2025-01-01", "2024-09", "2023"],
    "q": ["talks", "HUMANITARIAN", " ", "ü", "date"],
    "min_sources": ["0", "2", "3", "007", "+1", "-1", "", "100001"],
    "bbox": ["20,40,45,60", "-180,-90,180,90", "1,2,3", "nan,1,2,3", ""],
    "story": ["st-00003", "st-00001", "", "a b"],
    "limit": ["1", "25", "100", "101", "0", "", "5.0"],
    "offset": ["0", "7", "150", "-3", "", "1e3"],
    "order": ["asc", "desc", "DESC", ""],
    "unknown": ["1"],
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(_VALUES)).flatmap(
    lambda name: st.tuples(st.just(name), st.sampled_from(_VALUES[name]) | st.text(max_size=4))), max_size=5))
def test_any_query_gets_the_routed_answer(client, pairs):
    url = "/api/events?" + urllib.parse.urlencode(pairs)
    routed, memory, answered = routed_and_memory(client, url)
    assert (memory.status_code, memory.content) == (routed.status_code, routed.content)
    if answered:
        assert routed.status_code == 200


def test_a_new_text_query_is_scanned_by_the_route_then_served_from_memory(client):
    url = "/api/events?q=conflict-word-never-asked&limit=5"
    assert client.get("/api/events?limit=1").status_code == 200
    index = client.app.state.desk.access.memory_state()[1]
    assert not index.knows_query("conflict-word-never-asked")
    _, memory, answered = routed_and_memory(client, url)  # the routed request scanned; the next one need not
    assert answered and memory.json()["total"] == 0


def test_no_memory_answer_while_an_upload_is_written(client):
    url = "/api/events?limit=5&country=FRA"
    assert client.get(url).status_code == 200
    access = client.app.state.desk.access
    with access.writer():
        assert access.memory_state() is None
        busy = client.get(url)
    assert busy.status_code == 503 and "busy" in busy.json()["detail"]
    assert client.get(url).status_code == 200


def test_record_slots_stay_within_their_bound_and_keep_what_was_used():
    slots = RecordSlots(10, max_bytes=30)
    for pos in range(3):
        slots.put(pos, b"%d" % pos * 10)
    assert slots.take(np.array([0, 2])) == [b"0" * 10, b"2" * 10]  # 0 and 2 used since
    slots.put(3, b"3" * 10)  # over the bound: the clock spares the used slots, drops 1
    assert slots.size == 30 and slots.take(np.array([1])) is None
    assert slots.take(np.array([3, 0, 2])) == [b"3" * 10, b"0" * 10, b"2" * 10]
    slots.put(4, b"4" * 31)  # bigger than the whole cache: never kept
    assert slots.take(np.array([4])) is None and slots.size == 30


def test_pages_read_past_a_small_record_cache_are_still_right(db):
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        index = EventIndex.build(con, record_cache_chars=20_000)  # room for about a dozen records of 160
        stored = dict(con.execute("SELECT id, record FROM events").fetchall())
        for offset in range(0, N_EVENTS, 30):
            for desc in (False, True):
                flt = EventFilter(limit=30, offset=offset)
                total, positions = index.page_positions(flt, newest_first=desc)
                _, ids = index.page(flt, newest_first=desc)
                assert total == N_EVENTS
                assert index.page_records(con, positions) == [stored[i].encode() for i in ids]
                assert index.records.size <= 20_000
    finally:
        con.close()


def test_memory_pages_can_be_switched_off(db):
    calls = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages, "memory_page", lambda *a, **k: calls.append(a))
        with TestClient(create_app(db, page_cache_mb=0, memory_pages=False)) as client:
            first, again = client.get("/api/events?limit=3"), client.get("/api/events?limit=3")
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert calls == []  # every answer came from the route
