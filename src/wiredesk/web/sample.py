"""Synthetic stores for the web desk's tests, demos and benchmark.

The records are written through the real store API (``Store.write_batch`` and ``Store.write_link_result``), so
what the server reads is exactly what a pipeline run would leave: articles with clean text and evidence spans,
canonical events with mentions, conflicts, summaries with citations, stories and near-copy groups. Content is
made up but shaped like news (who did what to whom, where, on which day).

``hostile=True`` adds an article and an event whose text carries ``<script>`` and markup, to prove the desk
shows untrusted text as text.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "s.duckdb")
>>> fill_store(path, n_events=20, seed=1)["events"]
20
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from wiredesk.ingest.ids import article_id
from wiredesk.model import PLOVER_EVENTS, Article, Conflict, Entity, Event, EventMention, IngestError, Place, Story
from wiredesk.store import Store

#: code, country name, capital, lat, lon, geonameid (GeoNames ids of the capitals)
PLACES: tuple[tuple[str, str, str, float, float, int], ...] = (
    ("FRA", "France", "Paris", 48.8534, 2.3488, 2988507),
    ("DEU", "Germany", "Berlin", 52.5244, 13.4105, 2950159),
    ("UKR", "Ukraine", "Kyiv", 50.4547, 30.5238, 703448),
    ("RUS", "Russia", "Moscow", 55.7522, 37.6156, 524901),
    ("CHN", "China", "Beijing", 39.9075, 116.3972, 1816670),
    ("USA", "United States", "Washington", 38.8951, -77.0364, 4140963),
    ("IND", "India", "New Delhi", 28.6358, 77.2245, 1261481),
    ("PAK", "Pakistan", "Islamabad", 33.7215, 73.0433, 1176615),
    ("BRA", "Brazil", "Brasilia", -15.7797, -47.9297, 3469058),
    ("NGA", "Nigeria", "Abuja", 9.0579, 7.4951, 2352778),
    ("KEN", "Kenya", "Nairobi", -1.2833, 36.8167, 184745),
    ("TUR", "Turkey", "Ankara", 39.9199, 32.8543, 323786),
    ("IRN", "Iran", "Tehran", 35.6944, 51.4215, 112931),
    ("ISR", "Israel", "Jerusalem", 31.769, 35.2163, 281184),
    ("LBN", "Lebanon", "Beirut", 33.8933, 35.5016, 276781),
    ("JPN", "Japan", "Tokyo", 35.6895, 139.6917, 1850147),
    ("AUS", "Australia", "Canberra", -35.2835, 149.1281, 2172517),
    ("ZAF", "South Africa", "Pretoria", -25.7449, 28.1878, 964137),
    ("MEX", "Mexico", "Mexico City", 19.4285, -99.1277, 3530597),
    ("GBR", "United Kingdom", "London", 51.5085, -0.1257, 2643743),
)

SECTORS = ("GOV", "MIL", "GOV", "CVL", "GOV", "LEG")
OUTLETS = ("Baltic Wire", "Eastern Horizon", "Northern Ledger", "Harbour Post", "Daily Meridian", "Coastal Times")

#: How each event type reads in a made-up sentence: (verb phrase, needs recipient)
VERBS: dict[str, str] = {
    "AGREE": "agreed to hold talks with", "CONSULT": "met", "SUPPORT": "praised", "CONCEDE": "apologised to",
    "COOPERATE": "signed a trade deal with", "AID": "sent humanitarian aid to", "RETREAT": "released prisoners to",
    "REQUEST": "called on", "ACCUSE": "accused", "REJECT": "rejected a proposal from", "THREATEN": "threatened",
    "PROTEST": "protested against", "SANCTION": "imposed sanctions on", "MOBILIZE": "moved troops towards",
    "COERCE": "arrested citizens of", "ASSAULT": "shelled positions held by",
}

HOSTILE_TEXT = '<script>window.__pwned = 1; alert("xss")</script><img src=x onerror="window.__pwned=2"><b>bold</b>'


@dataclass
class LinkResult:
    """The shape ``Store.write_link_result`` reads (mirrors what ``wiredesk.link.link`` returns)."""

    events: list[Event] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    mention_event: dict[str, str] = field(default_factory=dict)
    duplicate_groups: dict[str, str] = field(default_factory=dict)
    date_corrections: list[dict[str, Any]] = field(default_factory=list)


def _entity(code: str, sector: str, name: str) -> Entity:
    return Entity(code=code, sector=sector, name=f"{name} ({sector.lower()})", entity_text=name)


def _article_text(parts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join sentences into a text and return each sentence's (start, end) offsets."""
    spans, text = [], ""
    for part in parts:
        if text:
            text += " "
        spans.append((len(text), len(text) + len(part)))
        text += part
    return text, spans


def fill_store(path: str, n_events: int = 200, seed: int = 7, articles_per_event: int = 3,
               max_articles: int | None = None, hostile: bool = False,
               start: dt.date = dt.date(2024, 1, 1), days: int = 540) -> dict[str, int]:
    """Write a synthetic corpus into the store at ``path`` and return counts.

    Each event gets ``1..articles_per_event`` reporting articles (some of them near-copies of each other, which
    form a near-copy family), one evidence sentence per article, a summary citing them, and sometimes a date
    conflict. ``max_articles`` caps how many article rows are written (events past the cap reuse mentions of the
    first articles' shape but keep their own records), which keeps a 100k-event store quick to build.
    """
    rng = random.Random(seed)
    events: list[Event] = []
    articles: list[Article] = []
    result = LinkResult()
    stories: dict[str, Story] = {}
    written_articles = 0
    for i in range(n_events):
        etype = PLOVER_EVENTS[i % len(PLOVER_EVENTS)] if i < 32 else rng.choice(PLOVER_EVENTS)
        a, b = rng.sample(PLACES, 2)
        date = start + dt.timedelta(days=rng.randrange(days))
        actor = [_entity(a[0], rng.choice(SECTORS), a[1])]
        recipient = [_entity(b[0], rng.choice(SECTORS), b[1])]
        where = b if etype in ("ASSAULT", "CONSULT", "PROTEST", "MOBILIZE") else a
        located = rng.random() < 0.8
        location = Place(extracted_place=where[2], resolved_place=where[2], geonameid=where[5],
                         lat=where[3], lon=where[4],
                         country=where[0], precision="city") if located else None
        sentence = f"Officials from {a[1]} {VERBS[etype]} {b[1]} in {where[2]} on {date:%d %B %Y}."
        if hostile and i == 0:
            sentence = f"Protesters in {a[1]} wrote {HOSTILE_TEXT} on banners."
        eid = f"ev-{i:06d}"
        story_id = f"st-{(i // 5):05d}"
        n_src = rng.randint(1, articles_per_event)
        ev_articles, ev_mentions, citations = [], [], []
        family = f"fam-{i:06d}"
        for k in range(n_src):
            outlet = OUTLETS[(i + k) % len(OUTLETS)]
            published = date + dt.timedelta(days=rng.choice((0, 0, 1)))
            lead = f"{outlet.upper()} — " if k else ""
            body = [
                f"{lead}{sentence}",
                f"The {outlet} report said the talks were followed closely in {where[1]}.",
                "Analysts said more details were expected later in the week.",
            ]
            if k == 2:  # an unrelated rewrite: its own family
                body = [f"In a separate account, {sentence[0].lower()}{sentence[1:]}", body[1], body[2]]
            text, spans = _article_text(body)
            aid = article_id(text + f"#{i}:{k}")
            mention = EventMention(article_id=aid, sentence=0, start=spans[0][0], end=spans[0][1], text=body[0],
                                   event=etype, actor=actor, recipient=recipient, date=date.isoformat(),
                                   date_precision="day", date_basis="explicit", confidence=0.8,
                                   trigger=VERBS[etype].split()[0], location=location, id=f"{aid}:0:0")
            title = f"{a[1]} {VERBS[etype]} {b[1]}" if not (hostile and i == 0) else f"Banner {HOSTILE_TEXT}"
            if max_articles is None or written_articles < max_articles:
                art = Article(id=aid, path=f"sample/{outlet.lower().replace(' ', '-')}/{i}-{k}.txt",
                              url=f"https://example.org/{i}/{k}", title=title, publication=outlet, raw_text=text,
                              text=text, published=published.isoformat(), published_basis="metadata",
                              mentions=[mention])
                articles.append(art)
                written_articles += 1
                result.mention_event[mention.id] = eid
                result.duplicate_groups[aid] = family if k < 2 else f"{family}-b"
            ev_articles.append({"id": aid, "path": f"sample/{i}-{k}.txt", "url": f"https://example.org/{i}/{k}",
                                "publication": outlet, "title": title, "published": published.isoformat()})
            ev_mentions.append({"id": mention.id, "article_id": aid, "sentence": 0, "start": mention.start,
                                "end": mention.end, "text": mention.text})
            citations.append({"sentence": 0, "article_id": aid})
        conflicts = []
        if n_src > 1 and rng.random() < 0.4:
            other = (date - dt.timedelta(days=1)).isoformat()
            conflicts.append(Conflict(field="date", values={date.isoformat(): [m["article_id"] for m in ev_mentions[:-1]],
                                                            other: [ev_mentions[-1]["article_id"]]},
                                      chosen=date.isoformat(), why="explicit date in more sources beats a "
                                                                   "publication-date guess"))
        summary = f"{a[1]} {VERBS[etype]} {b[1]}" + (f" in {where[2]}" if located else "") + f" on {date:%d %B %Y}."
        if hostile and i == 0:
            summary = f"Protest with banner reading {HOSTILE_TEXT}"
        ev = Event(id=eid, event=etype, date=date.isoformat(), date_precision="day", actor=actor,
                   recipient=recipient, articles=ev_articles, mentions=ev_mentions, sources=n_src, conflicts=conflicts,
                   summary=summary, summary_citations=citations, confidence=round(0.5 + 0.1 * n_src, 2),
                   story_id=story_id, location=location,
                   mode=["visit"] if etype == "CONSULT" else [], context=["diplomatic"] if i % 3 == 0 else [])
        events.append(ev)
        story = stories.setdefault(story_id, Story(id=story_id, title=summary[:80], start=date.isoformat(),
                                                   end=date.isoformat()))
        story.event_ids.append(eid)
        story.article_ids += [x["id"] for x in ev_articles]
        story.start, story.end = min(story.start, date.isoformat()), max(story.end, date.isoformat())
    result.events = events
    result.stories = list(stories.values())
    with Store(path) as store:
        run_id = store.begin_run({"paths": ["sample"], "engine": "sample"})
        for chunk in range(0, len(articles), 2000):
            store.write_batch(articles[chunk:chunk + 2000], [], [], run_id)
        store.write_batch([], [IngestError(path="sample/broken.warc", reason="not a WARC file: bad header")], [],
                          run_id)
        store.write_link_result(result)
        store.finish_run(run_id, "done", {"events": len(events)})
    return {"events": len(events), "articles": len(articles), "stories": len(stories)}
