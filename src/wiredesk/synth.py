"""A generator of realistic multi-outlet news corpora with known ground truth, for scale and crash tests.

Each generated *event* (a call, a visit, an invitation, a signing, a rebuke, ...) between real countries is
reported by several invented outlets; some reports are near-copies of one press release, some carry the defects
real scrapes have (a site banner with the crawl date, "Read More:" lines, a misspelt leader's name, relative
dates, background paragraphs, a dropped letter sequence). ``ground_truth.jsonl`` lists the events a perfect
system would record and which files report each. The prose comes from templates the team wrote; no text is
taken from real articles.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Countries with an office holder who served through the whole generated window (2023-01 .. 2024-04).
LEADERS = [
    ("FRA", "France", "French", "President", "Emmanuel Macron", "Emanuel Macron", "Paris"),
    ("DEU", "Germany", "German", "Chancellor", "Olaf Scholz", "Olaf Sholz", "Berlin"),
    ("TUR", "Turkey", "Turkish", "President", "Recep Tayyip Erdogan", "Recep Tayip Erdogan", "Ankara"),
    ("IND", "India", "Indian", "Prime Minister", "Narendra Modi", "Narendra Modhi", "New Delhi"),
    ("BRA", "Brazil", "Brazilian", "President", "Luiz Inacio Lula da Silva", "Luis Inacio Lula da Silva", "Brasilia"),
    ("CHN", "China", "Chinese", "President", "Xi Jinping", "Xi Jinpeng", "Beijing"),
    ("RUS", "Russia", "Russian", "President", "Vladimir Putin", "Vladimir Poutine", "Moscow"),
    ("JPN", "Japan", "Japanese", "Prime Minister", "Fumio Kishida", "Fumio Kishda", "Tokyo"),
    ("ZAF", "South Africa", "South African", "President", "Cyril Ramaphosa", "Cyril Ramaposa", "Pretoria"),
    ("AUS", "Australia", "Australian", "Prime Minister", "Anthony Albanese", "Antony Albanese", "Canberra"),
    ("CAN", "Canada", "Canadian", "Prime Minister", "Justin Trudeau", "Justin Trudo", "Ottawa"),
    ("ITA", "Italy", "Italian", "Prime Minister", "Giorgia Meloni", "Georgia Meloni", "Rome"),
    ("EGY", "Egypt", "Egyptian", "President", "Abdel Fattah al-Sisi", "Abdel Fatah el-Sisi", "Cairo"),
    ("KAZ", "Kazakhstan", "Kazakh", "President", "Kassym-Jomart Tokayev", "Kassym-Jomart Tokaev", "Astana"),
    ("IDN", "Indonesia", "Indonesian", "President", "Joko Widodo", "Joko Widodo", "Jakarta"),
    ("SAU", "Saudi Arabia", "Saudi", "Crown Prince", "Mohammed bin Salman", "Mohammad bin Salman", "Riyadh"),
]

OUTLETS = ["Meridian Post", "Baltic Wire Service", "The Harbour Ledger", "Continental Dispatch", "Northgate Times",
           "Eastern Courier", "The Daily Almanac", "Global Desk Review", "Pacific Bulletin", "Atlas Chronicle"]

TOPICS = ["trade and investment", "energy security", "the war in Ukraine", "climate finance", "regional security",
          "food security", "migration", "technology cooperation"]

KINDS = {
    # kind: (PLOVER event, mode, hosted?, lead template)
    "phone": ("CONSULT", ["phone"], False,
              "{a_title} {a_name} and {b_title} {b_name} spoke by telephone {when}, discussing {topic}."),
    "visit": ("CONSULT", ["visit"], True,
              "{a_title} {a_name} arrived in {b_capital} {when} for talks with {b_title} {b_name} on {topic}."),
    "invite": ("AGREE", [], True,
               # {when} before the verb: "invited X to visit Brazil on Saturday" would date the visit, not the
               # invitation, and news writes the invitation's day next to the inviting verb
               "{b_title} {b_name} {when} invited {a_title} {a_name} to visit {b_country}, officials said."),
    "sign": ("SUPPORT", [], False,
             "{a_country} and {b_country} signed an agreement on {topic} {when}, their governments said."),
    "criticise": ("ACCUSE", [], True,
                  "The {a_dem} government {when} sharply criticised {b_country} over its stance on {topic}."),
    "urge": ("REQUEST", [], True,
             "{a_title} {a_name} {when} urged {b_country} to do more on {topic}."),
}

# Background prose is assembled from parts so that articles about different events share few word 5-grams
# (as real articles do), while near-copies of one release share almost all of theirs.
_SUBJECTS = ["Analysts in {city}", "Economists at a {adj} think tank", "Opposition politicians", "Diplomats",
             "Business leaders", "Commentators in the {dem} press", "Officials in {capital}", "Regional experts",
             "Observers", "Lawmakers from the governing party", "Union representatives", "Academics"]
_VERBS = ["noted that", "pointed out that", "argued that", "suggested that", "remarked that", "observed that"]
_CLAIMS = ["{topic} has dominated the agenda for {n} years", "exports of {good} rose {n} percent last year",
           "the {adj} relationship has had its ups and downs", "public opinion on {topic} remains divided",
           "the budget for {topic} was cut in {year}", "{n} agreements are still waiting for ratification",
           "prices of {good} have been volatile since {year}", "the {adj} economy grew more slowly than forecast",
           "investment in {good} could double within {n} years", "a new port for {good} opened in {year}",
           "the {adj} parliament debated {topic} for {n} hours", "talks on {topic} stalled in {year}"]
_ADJ = ["bilateral", "regional", "northern", "coastal", "national", "federal", "southern", "eastern", "western"]
_GOODS = ["grain", "steel", "fertiliser", "liquefied gas", "semiconductors", "textiles", "coffee", "copper",
          "timber", "solar panels", "rice", "fish", "machinery", "pharmaceuticals"]
_CITIES = ["Geneva", "Vienna", "Singapore", "Nairobi", "Lisbon", "Oslo", "Santiago", "Seoul", "Warsaw", "Lima"]


def _filler(rng: random.Random, dem: str, capital: str, topic: str) -> str:
    claim = rng.choice(_CLAIMS).format(topic=topic, n=rng.randint(2, 40), good=rng.choice(_GOODS),
                                       adj=rng.choice(_ADJ), year=rng.randint(2005, 2022))
    subject = rng.choice(_SUBJECTS).format(city=rng.choice(_CITIES), adj=rng.choice(_ADJ), dem=dem,
                                           capital=capital)
    return f"{subject} {rng.choice(_VERBS)} {claim}."


READ_MORE = ["Read More: Storm warnings issued along the coast as temperatures drop",
             "Also read: Central bank holds rates steady for third month",
             "Read More: Football club unveils new stadium design",
             "Also read: Local elections see record turnout in northern districts"]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class SynthEvent:
    id: str
    kind: str
    event: str
    mode: list[str]
    actor: list[str]
    recipient: list[str]
    date: dt.date
    topic: str
    files: list[str]


def _when(event_date: dt.date, published: dt.date, rng: random.Random) -> tuple[str, str]:
    """How the report names the event date, relative to its publication date."""
    delta = (published - event_date).days
    choice = rng.random()
    if delta == 0:
        return ("on " + WEEKDAYS[event_date.weekday()] if choice < 0.5 else "today"), "relative"
    if delta == 1 and choice < 0.4:
        return "yesterday", "relative"
    if delta < 7 and choice < 0.8:
        return "on " + WEEKDAYS[event_date.weekday()], "relative"
    return f"on {event_date.day} {event_date:%B} {event_date.year}", "explicit"


def _header(outlet: str, title: str, published: dt.date, rng: random.Random, capital: str,
            crawl: dt.date) -> tuple[str, str]:
    style = rng.randrange(5)
    if style == 0:
        return f"{title}\n{outlet}\ndate {published.isoformat()}\n\n", ""
    if style == 1:
        day = published.day
        suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{title}\n{outlet}\nPublished {rng.randrange(6, 22):02d}:{rng.randrange(60):02d} GMT, " \
               f"{published:%B} {day}{suffix} {published.year}\n\n", ""
    if style == 2:
        return f"{title}\n{outlet}\n\n", f"{capital.upper()}, {published.day} {published:%B} {published.year} " \
                                         f"({outlet.split()[0].upper()}): "
    if style == 3:
        return (f"Welcome to {outlet} | {crawl:%A}, {crawl.day} {crawl:%B} {crawl.year}\n{title}\n"
                f"date {published.isoformat()}\n\n"), ""
    return f"{title}\n{outlet}\ndate {published.isoformat()}\n\n", ""


def generate(n_articles: int, out_dir: str | Path, seed: int = 7, words: int = 600) -> dict[str, int]:
    """Write about ``n_articles`` .txt articles and ``ground_truth.jsonl`` to ``out_dir``; return counts."""
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    start = dt.date(2023, 1, 2)
    span_days = 480
    crawl = dt.date(2024, 11, 20)
    written = 0
    events: list[SynthEvent] = []
    k = 0
    while written < n_articles:
        k += 1
        kind = rng.choice(list(KINDS))
        a, b = rng.sample(LEADERS, 2)
        date = start + dt.timedelta(days=rng.randrange(span_days))
        event, mode, hosted, lead = KINDS[kind]
        actor = [a[0]] if hosted or kind in {"criticise", "urge"} else [a[0], b[0]]
        recipient = [b[0]] if hosted or kind in {"criticise", "urge"} else []
        if kind == "invite":  # the host invites: the invited party is the recipient of the offer
            actor, recipient = [b[0]], [a[0]]
        ev = SynthEvent(id=f"syn-{k:06d}", kind=kind, event=event, mode=mode, actor=actor, recipient=recipient,
                        date=date, topic=rng.choice(TOPICS), files=[])
        n_reports = min(n_articles - written, rng.randint(1, 5))
        release: list[str] | None = None
        release_published = date
        for r in range(n_reports):
            published = date + dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 6]))
            outlet = rng.choice(OUTLETS)
            when, _basis = _when(date, published, rng)
            misspell = rng.random() < 0.1
            fields = {
                "a_title": a[3], "a_name": a[5] if misspell else a[4], "b_title": b[3], "b_name": b[4],
                "a_country": a[1], "b_country": b[1], "a_dem": a[2], "b_capital": b[6], "topic": ev.topic,
                "when": when,
            }
            if release is None or rng.random() < 0.5:
                body_sents = [lead.format(**fields)]
            else:  # a near-copy of the first report: light edits
                body_sents = [s.replace(" said", " stated") for s in release]
                # A copy cannot appear before its original; it keeps the original's words, relative dates
                # included ("on Tuesday" still means the Tuesday before the release), as syndication does.
                published = max(published, release_published)
            while sum(len(s.split()) for s in body_sents) < words:
                body_sents.append(_filler(rng, a[2], a[6], ev.topic))
            if r == 0:
                release, release_published = body_sents, published
            paragraphs = [" ".join(body_sents[i:i + 3]) for i in range(0, len(body_sents), 3)]
            if rng.random() < 0.3:
                paragraphs.insert(2, rng.choice(READ_MORE))
            title = f"{a[1]} and {b[1]}: {kind} on {ev.topic}"
            header, dateline = _header(outlet, title, published, rng, b[6] if hosted else a[6], crawl)
            text = header + dateline + "\n\n".join(paragraphs) + "\n"
            name = f"{ev.id}-{r}.txt"
            (out / name).write_text(text, encoding="utf-8")
            ev.files.append(name)
            written += 1
        events.append(ev)
    with open(out / "ground_truth.jsonl", "w", encoding="utf-8") as fh:
        for ev in events:
            fh.write(json.dumps({"id": ev.id, "event": ev.event, "mode": ev.mode, "actor": ev.actor,
                                 "recipient": ev.recipient, "date": ev.date.isoformat(), "date_precision": "day",
                                 "reports": ev.files}) + "\n")
    (out / ".wiredeskignore").write_text("ground_truth.jsonl\n", encoding="utf-8")
    return {"articles": written, "events": len(events)}


def iter_truth(path: str | Path) -> Iterator[dict]:
    with open(Path(path) / "ground_truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)
