"""The HTTP API on a store built by the real pipeline from examples/news (slow: runs the NLP stages, ~1-2 min)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from wiredesk.web import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(tmp_path_factory, examples_dir):
    from wiredesk.engine.runner import run

    if not any(examples_dir.glob("*.txt")):
        pytest.skip("examples/news is empty")
    db = str(tmp_path_factory.mktemp("pipeline") / "news.duckdb")
    report = run([str(examples_dir)], db)
    if not report.events:
        pytest.skip(f"the pipeline produced no events ({len(report.errors)} errors)")
    with TestClient(create_app(db)) as c:
        yield c


def test_every_event_opens_with_evidence_that_points_into_its_article(client):
    events = client.get("/api/events", params={"limit": 500}).json()
    assert events["total"] == len(events["items"]) > 0
    for ev in events["items"]:
        detail = client.get(f"/api/events/{ev['id']}")
        assert detail.status_code == 200
        detail = detail.json()
        grouped = sorted(a["id"] for fam in detail["families"] for a in fam["articles"])
        assert grouped == sorted(a["id"] for a in detail["articles"])
        for mention in detail["mentions"]:
            article = client.get(f"/api/articles/{mention['article_id']}").json()
            assert article["text"][mention["start"]:mention["end"]] == mention["text"]


def test_facets_and_lists_on_real_data(client):
    total = client.get("/api/events", params={"limit": 1}).json()["total"]
    timeline = client.get("/api/timeline").json()
    assert timeline["total"] == total
    assert client.get("/api/network").json()["nodes"]
    assert client.get("/api/actors").json()["total"] > 0
    assert client.get("/api/stories").json()["total"] > 0
    for ev in client.get("/api/events", params={"country": "CHN", "limit": 100}).json()["items"]:
        codes = {e["code"] for e in ev["actor"] + ev["recipient"]} | {(ev.get("location") or {}).get("country")}
        assert "CHN" in codes
