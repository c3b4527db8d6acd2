"""End-to-end tests of the web desk in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

They load the page from a real uvicorn server on loopback, filter, open an event, and check what a person would
see against the API's answers. Each test saves a screenshot under artifacts/screenshots/. Playwright never
downloads a browser here: it launches the system Chromium, offline, with a fresh profile.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

from wiredesk.web import create_app
from wiredesk.web.sample import fill_store

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: str):
    """Run the app with uvicorn in a thread; yield its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser_context():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium package (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) is not installed")
    profile = tempfile.mkdtemp(prefix="wiredesk-chromium-")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, headless=True,  # profile = a fresh --user-data-dir
            viewport={"width": 1440, "height": 900})
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("browser") / "desk.duckdb")
    fill_store(db, n_events=160, seed=3, hostile=True)
    server, thread, base = serve(db)
    yield base
    server.should_exit = True
    thread.join(10)


@pytest.fixture()
def page(browser_context):
    page = browser_context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.problems = problems
    yield page
    page.close()
    # No script errors and no Content-Security-Policy violations on any page the test visited.
    assert problems == []


def api(base: str, path: str, **params):
    return httpx.get(f"{base}/api/{path}", params=params, timeout=30).json()


def go(page, url: str, view: str) -> None:
    """Navigate and wait until the view has rendered its data."""
    page.evaluate("() => document.getElementById('view')?.removeAttribute('data-ready')") if page.url.startswith("http") else None
    page.goto(url)
    ready(page, view)


def ready(page, view: str) -> None:
    page.wait_for_selector(f"#view[data-ready={view}]", timeout=20_000)


def act(page, view: str, action) -> None:
    """Do something that re-renders the view, and wait for the new render."""
    page.evaluate("() => document.getElementById('view').removeAttribute('data-ready')")
    action()
    ready(page, view)


def shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(250)  # let fonts and layout settle
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def heading_count(page) -> int:
    text = page.locator("#view h2").first.inner_text()
    return int(text.split()[0].replace(",", ""))


# -- timeline -------------------------------------------------------------------------------------------------
def test_timeline_shows_the_events_and_filters_them(page, desk):
    go(page, f"{desk}/#/timeline", "timeline")
    assert heading_count(page) == api(desk, "events", limit=1)["total"] == 160
    assert page.locator("svg.bars g.bar").count() > 10
    assert page.locator("#event-list > li").count() == 25
    shot(page, "timeline")

    act(page, "timeline", lambda: page.select_option("#f-event", "ASSAULT"))
    assert "event=ASSAULT" in page.url
    expected = api(desk, "events", event="ASSAULT", limit=1)["total"]
    assert heading_count(page) == expected
    badges = page.locator("#event-list .badge").all_inner_texts()
    assert badges and set(badges) == {"ASSAULT"}

    page.fill("#f-country", "ukr")  # lower case is fine: codes are upper-cased
    act(page, "timeline", lambda: page.click("#f-apply"))
    assert "country=UKR" in page.url
    assert heading_count(page) == api(desk, "events", event="ASSAULT", country="UKR", limit=1)["total"]

    page.select_option("#f-event", "")  # back to all types (submits)
    ready(page, "timeline")
    page.fill("#f-country", "")
    page.fill("#f-q", "humanitarian")
    act(page, "timeline", lambda: page.press("#f-q", "Enter"))
    assert heading_count(page) == api(desk, "events", q="humanitarian", limit=1)["total"] > 0
    for summary in page.locator("#event-list .summary").all_inner_texts():
        assert "humanitarian" in summary.lower()
    shot(page, "timeline-filtered")


def test_clicking_a_bar_shows_that_period(page, desk):
    go(page, f"{desk}/#/timeline?since=2024-01-01&until=2024-12-31", "timeline")
    bar = page.locator("svg.bars g.bar[tabindex='0']").first
    period = bar.get_attribute("data-period")
    act(page, "timeline", lambda: bar.click())
    assert f"since={period}-01" in page.url
    total = api(desk, "events", since=f"{period}-01", until=page.url.split("until=")[1][:10], limit=1)["total"]
    assert heading_count(page) == total > 0
    dates = page.locator("#event-list .when").all_inner_texts()
    month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][int(period[5:7]) - 1]
    assert dates and all(month in d for d in dates)


# -- event page -------------------------------------------------------------------------------------------------
def test_event_page_shows_summary_sources_evidence_and_conflicts(page, desk):
    candidates = api(desk, "events", min_sources=3, limit=100)["items"]
    target = next(e for e in candidates if e["conflicts"])
    ev = api(desk, f"events/{target['id']}")
    go(page, f"{desk}/#/timeline?min_sources=3&until={ev['date']}&since={ev['date']}", "timeline")
    act(page, "event", lambda: page.locator(f"#event-list li[data-id='{ev['id']}'] a.who").click())
    assert page.url.endswith(f"#/event/{ev['id']}")

    assert page.inner_text("#event-type") == ev["event"]
    title = page.inner_text("#event-title")
    assert ev["actor"][0]["name"] in title and ev["recipient"][0]["name"] in title
    assert ev["summary"] in page.inner_text("#event-summary")
    cites = page.locator("#event-summary .cite")
    assert cites.count() == len({c["article_id"] for c in ev["summary_citations"]})

    # sources grouped by near-copy family, each evidence sentence highlighted in its article's clean text
    assert page.locator("#event-sources .family").count() == len(ev["families"]) == 2
    # a locator assertion, not wait_for_function: Playwright polls a string predicate with eval() in the page, which
    # the desk's Content-Security-Policy (script-src 'self') rightly refuses once the texts load slower than the
    # first check (a busy machine), and the refusal is reported as a page error
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.locator(".evidence-text.loaded")).to_have_count(len(ev["articles"]), timeout=30_000)
    for mention in ev["mentions"]:
        box = page.locator(f".evidence-text[data-article='{mention['article_id']}']")
        assert box.locator("mark.evidence").first.inner_text() == mention["text"]
        article = api(desk, f"articles/{mention['article_id']}")
        assert box.inner_text().strip() == article["text"].strip()  # the whole text, evidence marked within it

    conflict = ev["conflicts"][0]
    box = page.locator("#event-conflicts .conflict").first
    assert conflict["field"] in box.inner_text() and conflict["chosen"] in box.locator(".chosen-value").inner_text()
    assert conflict["why"] in box.inner_text()
    shot(page, "event", full_page=True)

    cites.first.click()  # a citation scrolls to its source
    page.wait_for_selector(".source.flash")


def test_article_page_marks_every_coded_sentence(page, desk):
    row = api(desk, "articles", limit=5)["items"][3]
    article = api(desk, f"articles/{row['id']}")
    go(page, f"{desk}/#/article/{row['id']}", "article")
    assert page.inner_text("#article-title") == article["title"]
    marks = page.locator(".reader mark").all_inner_texts()
    assert marks == [m["text"] for m in article["mentions"]]
    shot(page, "article")


# -- untrusted text -----------------------------------------------------------------------------------------------
def test_script_and_markup_in_articles_are_shown_as_text(page, desk):
    ev = api(desk, "events/ev-000000")
    assert "<script>" in ev["summary"]
    go(page, f"{desk}/#/event/ev-000000", "event")
    page.wait_for_selector(".evidence-text.loaded")
    assert "<script>window.__pwned = 1;" in page.inner_text("#event-summary")
    assert '<img src=x onerror="window.__pwned=2">' in page.inner_text("#event-sources")
    assert "<b>bold</b>" in page.inner_text(".source-head .title >> nth=0")
    state = page.evaluate("""() => ({
        pwned: window.__pwned === undefined ? null : window.__pwned,
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img').length,
        handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
        bolds: [...document.querySelectorAll('#view b')].filter(b => b.textContent === 'bold').length,
    })""")
    assert state == {"pwned": None, "scripts": 1, "images": 0, "handlers": 0, "bolds": 0}
    shot(page, "xss-event", full_page=True)

    go(page, f"{desk}/#/timeline?q=banner", "timeline")
    assert "<script>" in page.inner_text("#event-list")
    go(page, f"{desk}/#/article/{ev['articles'][0]['id']}", "article")
    assert page.inner_text("#article-title").startswith("Banner <script>")
    assert page.evaluate("() => window.__pwned === undefined && document.querySelectorAll('img').length === 0")
    shot(page, "xss-article")


# -- network and map ------------------------------------------------------------------------------------------------
def test_actor_network(page, desk):
    net = api(desk, "network", max_edges=120)
    go(page, f"{desk}/#/network", "network")
    assert page.locator("#network-svg .node").count() == len(net["nodes"])
    assert page.locator("#network-svg .edge").count() == len(net["edges"])
    top = net["nodes"][0]
    page.locator(f"#network-svg .node[data-code='{top['code']}']").click()
    assert page.inner_text("#node-title") == f"{top['name']} ({top['code']})"
    partners = [e for e in net["edges"] if top["code"] in (e["source"], e["target"])]
    assert page.locator("#network-side tbody tr").count() == len(partners)
    shot(page, "network")
    act(page, "timeline", lambda: page.get_by_role("button", name=f"Events involving {top['code']}").click())
    assert heading_count(page) == api(desk, "events", actor=top["code"], limit=1)["total"]


def _map_xy(page, lon: float, lat: float) -> tuple[float, float]:
    box = page.locator("#map-svg").bounding_box()
    width, height = 1000, round(1000 * (84 + 58) / 360)
    return box["x"] + (lon + 180) / 360 * width * box["width"] / width, \
        box["y"] + (84 - lat) / (84 + 58) * height * box["height"] / height


def test_world_map_dots_area_and_country_filters(page, desk):
    geo = api(desk, "map")
    go(page, f"{desk}/#/map", "map")
    assert page.locator("#map-svg path.country").count() > 150  # the offline outline, from our own package
    assert page.locator("#map-svg circle.dot").count() == len(geo["points"])
    shot(page, "map")

    # drag a rectangle over Europe: the events are filtered to that bounding box
    x0, y0 = _map_xy(page, -12, 62)
    x1, y1 = _map_xy(page, 42, 36)
    page.evaluate("() => document.getElementById('view').removeAttribute('data-ready')")
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.up()
    ready(page, "map")
    assert "bbox=" in page.url
    bbox = page.url.split("bbox=")[1].split("&")[0].replace("%2C", ",")
    min_lon, min_lat, max_lon, max_lat = map(float, bbox.split(","))
    assert -13 < min_lon < -11 and 35 < min_lat < 37 and 41 < max_lon < 43 and 61 < max_lat < 63
    located = api(desk, "map", bbox=bbox)["located"]
    assert page.inner_text("#map-count").startswith(f"{located} events in the selected area")
    assert page.is_visible("#f-bbox-chip")
    shot(page, "map-area")

    # clear the area, then click France: events filtered by country
    act(page, "map", lambda: page.click("#f-bbox-chip .chip-x"))
    x, y = _map_xy(page, 0.5, 45.0)  # south-west France, clear of the Paris dot
    act(page, "map", lambda: page.mouse.click(x, y))
    assert "country=FRA" in page.url
    assert page.locator("#map-svg path.country.selected").get_attribute("data-code") == "FRA"
    assert page.inner_text("#map-count").startswith(f"{api(desk, 'map', country='FRA')['located']} events")

    page.locator("#place-table tbody tr").first.click()
    page.wait_for_selector("#place-title")
    assert page.locator("#map-side .event-row").count() >= 1


def test_sources_and_errors_lists(page, desk):
    go(page, f"{desk}/#/articles", "articles")
    assert page.locator("#article-table tbody tr").count() == 50
    shot(page, "sources")
    go(page, f"{desk}/#/errors", "errors")
    assert "not a WARC file" in page.inner_text("#error-table")
    shot(page, "errors")


def test_unknown_event_shows_a_clear_error(page, desk):
    page.on("console", lambda m: None)
    go(page, f"{desk}/#/event/no-such-event", "event")
    assert "no event with id 'no-such-event'" in page.inner_text(".error-box")
    page.problems.clear()  # the 404 fetch itself logs a console error; that is the point of this test
