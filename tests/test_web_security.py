"""Server security (issue 11) and store concurrency of the web app: tokens, limits, headers, traversal, 503s."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from wiredesk.store import Store, StoreBusy
from wiredesk.web import create_app, routes
from wiredesk.web.access import StoreAccess
from wiredesk.web.sample import fill_store
from wiredesk.web.security import CSP, is_loopback

TOKEN = "s3cret-token-for-tests"
STATIC = Path(__file__).resolve().parents[1] / "src" / "wiredesk" / "web" / "static"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("websec") / "desk.duckdb")
    fill_store(path, n_events=40, seed=5, hostile=True)
    return path


@pytest.fixture()
def client(db):
    with TestClient(create_app(db, token=TOKEN, max_upload_bytes=10_000)) as c:
        yield c


# -- binding and tokens ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org", "10.0.0.1"])
def test_binding_beyond_loopback_needs_a_token(tmp_path, host):
    with pytest.raises(ValueError, match="token"):
        create_app(str(tmp_path / "a.duckdb"), host=host)
    assert create_app(str(tmp_path / "b.duckdb"), host=host, token=TOKEN)


def test_loopback_names():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.3.2.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.0.1", "localhost.example.org"))


def test_writes_need_the_token(client, db):
    files = {"files": ("a.txt", b"Officials met.", "text/plain")}
    r = client.post("/api/ingest", files=files)
    assert r.status_code == 401 and "Bearer" in r.headers["www-authenticate"]
    r = client.post("/api/ingest", files=files, headers={"Authorization": "Bearer wrong-token"})
    assert r.status_code == 403 and r.json()["detail"] == "wrong token"
    r = client.post("/api/ingest", files=files, headers={"Authorization": TOKEN})  # no scheme
    assert r.status_code == 401


def test_writes_are_off_without_a_configured_token(db):
    with TestClient(create_app(db)) as c:
        r = c.post("/api/ingest", files={"files": ("a.txt", b"x")}, headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403 and "--token" in r.json()["detail"]


# -- upload and page-size limits -------------------------------------------------------------------------------
def test_upload_over_the_limit_is_413_before_reading(client):
    r = client.post("/api/ingest", files={"files": ("big.txt", b"x" * 20_000)},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and "limit" in r.json()["detail"]


def test_streamed_upload_without_length_is_cut_at_the_limit(client):
    def body():
        boundary = b"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\n"
        yield boundary
        for _ in range(30):
            yield b"y" * 1000
        yield b"\r\n--xyz--\r\n"

    r = client.post("/api/ingest", content=body(), headers={"Authorization": f"Bearer {TOKEN}",
                                                            "Content-Type": "multipart/form-data; boundary=xyz"})
    assert r.status_code == 413


def test_page_size_is_capped(db):
    with TestClient(create_app(db, max_page_size=20)) as c:
        assert c.get("/api/events", params={"limit": 20}).status_code == 200
        r = c.get("/api/events", params={"limit": 21})
        assert r.status_code == 422 and "at most 20" in r.json()["detail"]
        assert c.get("/api/events").json()["limit"] == 20  # the default never exceeds the cap
        assert c.get("/api/actors", params={"limit": 21}).status_code == 422


def test_ingest_runs_the_pipeline_on_the_uploaded_files(client, monkeypatch):
    seen = {}

    def fake_run(paths, db):
        seen["files"] = {Path(p).name: Path(p).read_bytes() for p in paths}
        seen["db"] = db
        return {"run_id": "r1", "articles_new": len(paths), "errors": []}

    monkeypatch.setattr(routes, "run_pipeline", fake_run)
    r = client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                    files=[("files", ("../../etc/passwd", b"one")), ("files", ("b c.html", b"<p>two</p>"))])
    assert r.status_code == 200, r.text
    assert r.json()["articles_new"] == 2
    # client file names never steer where the file is written: only a safe basename is kept
    assert seen["files"] == {"0000-passwd": b"one", "0001-b_c.html": b"<p>two</p>"}


def test_reads_during_an_upload_answer_503(client, monkeypatch):
    statuses = []

    def slow_run(paths, db):
        r = client.get("/api/events")  # a reader arriving while the upload holds the store
        statuses.append((r.status_code, r.json()["detail"], r.headers.get("retry-after")))
        return {"run_id": "r2", "errors": []}

    monkeypatch.setattr(routes, "run_pipeline", slow_run)
    r = client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"}, files={"files": ("a.txt", b"x")})
    assert r.status_code == 200
    assert statuses == [(503, "store is busy: an upload is being processed; try again in a moment", "2")]
    assert client.get("/api/events").status_code == 200  # and readers are back afterwards


# -- concurrency with other processes ------------------------------------------------------------------------
HOLD_WRITER = """
import sys, time, duckdb
deadline = time.time() + 20  # the server drops its idle read handle soon, but a loaded machine may be slow
while True:
    try:
        con = duckdb.connect(sys.argv[1])
        break
    except duckdb.IOException:
        if time.time() > deadline:
            raise
        time.sleep(0.1)
print("locked", flush=True)
time.sleep(30)
"""


def test_a_writer_in_another_process_gives_503_not_a_crash(db, tmp_path):
    # A file of its own: another test's server in this process may still hold the shared store for a moment
    # (idle release), and a handle this test does not own would make its timing meaningless.
    db = str(shutil.copy(db, tmp_path / "own.duckdb"))
    app = create_app(db, idle_release=0.2)
    with TestClient(app) as c:
        assert c.get("/api/events").status_code == 200
        time.sleep(1.0)  # let the idle release drop our read handle
        proc = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, db], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "locked"
            r = c.get("/api/events")
            assert r.status_code == 503
            assert r.json()["detail"].startswith("store is busy") and r.headers["retry-after"]
        finally:
            proc.kill()
            proc.wait()
        assert c.get("/api/events").status_code == 200


def test_idle_server_lets_a_writer_in(db):
    with TestClient(create_app(db, idle_release=0.2)) as c:
        assert c.get("/api/summary").status_code == 200
        time.sleep(1.0)
        with Store(db) as store:  # read-write: fails with StoreBusy/ConnectionException if we still held it
            assert store.counts()["events"] == 40


def test_store_access_rules(db):
    access = StoreAccess(db, idle_release=60)
    with access.writer():
        with pytest.raises(StoreBusy):
            with access.reader():
                pass
    with access.reader() as store:
        assert store.counts()["events"] == 40
        done = threading.Event()

        def write():
            with access.writer():
                done.set()

        t = threading.Thread(target=write)
        t.start()
        time.sleep(0.2)
        assert not done.is_set()  # the writer waits for the reader in flight
    t.join(5)
    assert done.is_set()
    access.close()


def test_a_closed_access_reopens_nothing(db):
    # Background readers (start-up warm, text index) can still be running when the app shuts down: they must not
    # reopen the file behind the shutdown, or the server keeps it locked (and a later test's writer flakes).
    access = StoreAccess(db, idle_release=60)
    with access.reader():
        pass
    access.close()
    with pytest.raises(StoreBusy, match="shutting down"):
        with access.reader():
            pass
    with Store(db) as store:  # read-write in this process: fails if a read-only handle were still open
        assert store.counts()["events"] == 40
    access.start()
    with access.reader() as store:
        assert store.counts()["events"] == 40
    access.close()


# -- headers, escaping, traversal, SQL -------------------------------------------------------------------------
def test_security_headers_everywhere(client):
    for url in ("/", "/static/js/main.js", "/api/events", "/api/events/nope", "/api/openapi.json"):
        r = client.get(url)
        assert r.headers["content-security-policy"] == CSP, url
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
    assert "script-src 'self';" in CSP and "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert client.get("/api/events").headers["cache-control"] == "no-store"
    assert client.get("/static/js/main.js").headers["content-type"].startswith("text/javascript")


def test_no_inline_script_and_no_html_sinks_in_the_page_code():
    html = (STATIC / "index.html").read_text()
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/js/main.js">']
    assert "</script>" in html and not re.search(r"<script[^>]*>[^<]+</script>", html)
    assert " on" not in re.sub(r"\s+", " ", html).replace(" only", "")  # no inline on* handlers
    for js in (STATIC / "js").glob("*.js"):
        code = js.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                     "DOMParser", "createContextualFragment", "srcdoc"):
            assert sink not in code, f"{js.name} uses {sink}"


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/store/duck.py", "/static//etc/passwd",
    "/static/js/../../app.py", "/static/..\\app.py", "/static/%2Fetc%2Fpasswd", "/static/js/%00main.js",
    "/static/", "/static/world/../../routes.py",
])
def test_no_path_traversal_through_static(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert b"import" not in r.content and b"root:" not in r.content


def test_world_outline_is_served_with_its_license(client):
    assert client.get("/static/world/countries-110m.json").json()["type"] == "Topology"
    assert "Michael Bostock" in client.get("/static/world/LICENSE.txt").text


@pytest.mark.parametrize("q", ["'; DROP TABLE events; --", "%' OR 1=1 --", "\x00", "\\", "_%_", "ü\u202e" * 20])
def test_text_query_is_data_not_sql(client, q):
    r = client.get("/api/events", params={"q": q})
    assert r.status_code == 200
    assert client.get("/api/summary").json()["events"] == 40
