"""The HTTP API through the real ASGI app (FastAPI TestClient) on a store filled through the Store API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from wiredesk.store import EventFilter, Store
from wiredesk.web import create_app, queries
from wiredesk.web.sample import HOSTILE_TEXT, fill_store

N_EVENTS = 160


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "desk.duckdb")
    fill_store(path, n_events=N_EVENTS, seed=3, hostile=True)
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, max_page_size=100)) as c:
        yield c


def ids(items):
    return [e["id"] for e in items]


def test_events_total_and_paging(client):
    first = client.get("/api/events", params={"limit": 40, "offset": 0}).json()
    assert first["total"] == N_EVENTS
    assert len(first["items"]) == 40
    pages = [client.get("/api/events", params={"limit": 40, "offset": o}).json()["items"] for o in range(0, 200, 40)]
    seen = [e["id"] for page in pages for e in page]
    assert len(seen) == N_EVENTS == len(set(seen))  # every event exactly once across pages
    dates = [e["date"] for e in pages[0]]
    assert dates == sorted(dates)
    newest = client.get("/api/events", params={"limit": 5, "order": "desc"}).json()["items"]
    assert newest[0]["date"] == max(e["date"] for page in pages for e in page)
    past_end = client.get("/api/events", params={"offset": 5000}).json()
    assert past_end["total"] == N_EVENTS and past_end["items"] == []


FILTERS = [
    {"event": "ASSAULT"},
    {"event": "consult"},
    {"actor": "UKR"},
    {"country": "FRA"},
    {"since": "2024-06", "until": "2024-09-30"},
    {"since": "2025"},
    {"min_sources": 3},
    {"q": "humanitarian"},
    {"bbox": "20,40,45,60"},
    {"country": "RUS", "min_sources": 2, "since": "2024-03"},
    {"story": "st-00003"},
]


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_filters_agree_with_the_store(client, db, params):
    """The API's SQL count and page give exactly what Store.event_rows gives for the same filter."""
    body = client.get("/api/events", params={**params, "limit": 100}).json()
    flt = EventFilter(event=params.get("event"), actor=params.get("actor"), country=params.get("country"),
                      since=params.get("since"), until=params.get("until"), query=params.get("q"),
                      min_sources=params.get("min_sources", 0), story=params.get("story"),
                      bbox=tuple(float(x) for x in params["bbox"].split(",")) if "bbox" in params else None)
    with Store(db, read_only=True) as store:
        expected = store.event_rows(flt)
    assert body["total"] == len(expected) > 0
    assert ids(body["items"]) == ids(expected)[:100]


def test_filters_mean_what_they_say(client):
    for ev in client.get("/api/events", params={"event": "ASSAULT", "limit": 100}).json()["items"]:
        assert ev["event"] == "ASSAULT"
    for ev in client.get("/api/events", params={"actor": "UKR", "limit": 100}).json()["items"]:
        assert "UKR" in {e["code"] for e in ev["actor"] + ev["recipient"]}
    for ev in client.get("/api/events", params={"bbox": "20,40,45,60", "limit": 100}).json()["items"]:
        assert 20 <= ev["location"]["lon"] <= 45 and 40 <= ev["location"]["lat"] <= 60
    for ev in client.get("/api/events", params={"min_sources": 3, "limit": 100}).json()["items"]:
        assert ev["sources"] >= 3
    for ev in client.get("/api/events", params={"since": "2024-06-01", "until": "2024-06-30"}).json()["items"]:
        assert ev["date"].startswith("2024-06")


@pytest.mark.parametrize("params,needle", [
    ({"event": "EXPLODE"}, "unknown event type"),
    ({"since": "2024-13-01"}, "not a real date"),
    ({"until": "yesterday"}, "YYYY"),
    ({"since": "2024-05-01", "until": "2024-04-01"}, "after until"),
    ({"bbox": "1,2,3"}, "four numbers"),
    ({"bbox": "10,0,5,1"}, "out of range"),
    ({"bbox": "nan,0,5,1"}, "four numbers"),
    ({"limit": 101}, "at most 100"),
    ({"limit": 0}, "limit"),
    ({"offset": -1}, "offset"),
    ({"min_sources": -2}, "min_sources"),
    ({"actor": "RU'; DROP TABLE events; --"}, "actor"),
    ({"order": "sideways"}, "order"),
])
def test_bad_filters_are_422_with_a_clear_message(client, params, needle):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/json")
    assert needle in r.json()["detail"]


def test_unknown_ids_are_404_json(client):
    for url in ("/api/events/ev-999999", "/api/articles/0000000000000000", "/api/nothing-here"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.json()["status"] == 404 and r.json()["detail"]


def test_event_detail_groups_sources_into_families(client, db):
    ev_id = next(e["id"] for e in client.get("/api/events", params={"min_sources": 3, "limit": 100}).json()["items"])
    ev = client.get(f"/api/events/{ev_id}").json()
    assert ev["summary"] and ev["mentions"] and ev["summary_citations"]
    with Store(db, read_only=True) as store:
        groups = {a["id"]: a["near_duplicate_group"] for a in store.article_rows()}
    family_of = {a["id"]: fam["group"] for fam in ev["families"] for a in fam["articles"]}
    assert set(family_of) == {a["id"] for a in ev["articles"]}
    for art_id, group in family_of.items():
        assert group == groups[art_id]
    assert len(ev["families"]) == 2  # the sample's third source is an independent rewrite
    for fam in ev["families"]:
        for art in fam["articles"]:
            assert art["evidence"] and art["evidence"][0]["article_id"] == art["id"]


def test_event_conflicts_say_how_they_were_resolved(client):
    items = client.get("/api/events", params={"min_sources": 2, "limit": 100}).json()["items"]
    with_conflict = [e for e in items if e["conflicts"]]
    assert with_conflict
    ev = client.get(f"/api/events/{with_conflict[0]['id']}").json()
    conflict = ev["conflicts"][0]
    assert conflict["field"] == "date" and conflict["chosen"] in conflict["values"] and conflict["why"]


def test_article_evidence_spans_index_the_clean_text(client):
    ev = client.get("/api/events/ev-000005").json()
    for art in ev["articles"]:
        doc = client.get(f"/api/articles/{art['id']}").json()
        assert doc["text"] and doc["mentions"]
        for m in doc["mentions"]:
            assert doc["text"][m["start"]:m["end"]] == m["text"]
            assert m["event_id"] == "ev-000005"


def test_lists_are_paged(client):
    for path in ("actors", "stories", "errors", "articles"):
        body = client.get(f"/api/{path}", params={"limit": 3}).json()
        assert body["total"] >= 1 and len(body["items"]) == min(3, body["total"]), path
    articles = client.get("/api/articles", params={"limit": 100}).json()
    assert articles["total"] > N_EVENTS
    assert all("text" not in a for a in articles["items"])
    assert client.get("/api/errors").json()["items"][0]["reason"].startswith("not a WARC")


def test_untrusted_text_comes_back_as_data(client):
    """The API returns hostile text verbatim as JSON strings (escaping is the page's job, see browser tests)."""
    r = client.get("/api/events/ev-000000")
    assert r.headers["content-type"] == "application/json"
    assert HOSTILE_TEXT in r.json()["summary"]
    art = client.get(f"/api/articles/{r.json()['articles'][0]['id']}").json()
    assert HOSTILE_TEXT in art["text"]
    assert HOSTILE_TEXT in art["title"]


def test_facets_for_the_desk(client):
    tl = client.get("/api/timeline", params={"bucket": "month"}).json()
    assert tl["total"] == N_EVENTS == sum(p["count"] for p in tl["periods"]) + tl["coarser"] + tl["undated"]
    assert sum(tl["by_event"].values()) == N_EVENTS
    day = client.get("/api/timeline", params={"since": "2024-03-01", "until": "2024-03-31"}).json()
    assert day["bucket"] == "day" and all(p["period"].startswith("2024-03") for p in day["periods"])
    net = client.get("/api/network").json()
    codes = {n["code"] for n in net["nodes"]}
    assert net["edges"] and all(e["source"] in codes and e["target"] in codes for e in net["edges"])
    assert all(e["total"] == sum(e["by_event"].values()) for e in net["edges"])
    geo = client.get("/api/map").json()
    located = client.get("/api/events", params={"bbox": "-180,-90,180,90", "limit": 1}).json()["total"]
    assert geo["located"] == located == geo["shown"]
    assert all(p["place"] for p in geo["points"])
    summary = client.get("/api/summary").json()
    assert summary["events"] == N_EVENTS and summary["errors"] == 1


def test_openapi_documents_the_api(client):
    doc = client.get("/api/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles", "/api/articles/{article_id}",
                 "/api/actors", "/api/stories", "/api/errors", "/api/ingest"):
        assert path in doc["paths"], path
    names = {p["name"] for p in doc["paths"]["/api/events"]["get"]["parameters"]}
    assert {"event", "actor", "country", "since", "until", "q", "min_sources", "bbox", "limit", "offset"} <= names


def test_filter_sql_matches_store_where(db):
    """queries.where_clause is a copy of the store's filter: prove the counts agree on a sweep of filters."""
    with Store(db, read_only=True) as store:
        for event in (None, "AID", "PROTEST"):
            for country in (None, "DEU", "CHN"):
                flt = EventFilter(event=event, country=country, since="2024-04")
                assert queries.count_events(store.con, flt) == len(store.event_rows(flt))


def test_in_memory_index_matches_sql_in_both_orders(db):
    """The numpy index behind GET /api/events gives the SQL filter's rows in the SQL order, both directions."""
    from wiredesk.web.index import EventIndex

    with Store(db, read_only=True) as store:
        index = EventIndex.build(store.con, record_cache_chars=10**7)
        index.build_search(store.con)
        for flt in (EventFilter(), EventFilter(event="AID"), EventFilter(country="DEU", since="2024-04"),
                    EventFilter(until="2024-12", min_sources=2), EventFilter(bbox=(-10, 30, 40, 60)),
                    EventFilter(actor="CHN", story="st-00002"), EventFilter(query="Humanitarian")):
            for desc in (False, True):
                flt.limit, flt.offset = 1000, 0
                total, ids_fast = index.page(flt, newest_first=desc)
                assert total == queries.count_events(store.con, flt)
                assert ids_fast == queries.event_ids(store.con, flt, newest_first=desc)
        assert index.records.size > 0  # the search pass warmed the record cache


def test_text_search_reads_the_record_not_its_keys(client):
    assert client.get("/api/events", params={"q": "humanitarian aid"}).json()["total"] > 0
    assert client.get("/api/events", params={"q": "Baltic Wire"}).json()["total"] > 0  # an outlet of a source
    assert client.get("/api/events", params={"q": "zzz-no-such-words"}).json()["total"] == 0
