"""The publication date of an article, with its basis, a confidence and every candidate kept.

Candidates come from precise sources first (htmldate's lesson): page metadata (meta tags, JSON-LD, <time>),
the text header ("date 2024-03-05", "Published 14:05 GMT, March 5th 2024"), the opening dateline ("GENEVA, 5
March 2024 (Reuters):"), a byline, the URL (/2024/03/05/), and last a date stated early in the body
("inferred"). Dates that belong to the site and not the article are kept as *rejected* candidates with the
reason: a banner carrying the crawl day, a copyright year, a modification time, a date in a "Read more" line
about another story, a date after the crawl. When only rejected candidates exist, ``published`` is None.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from wiredesk.ingest.dates import complete_partial, find_dates, parse_date
from wiredesk.ingest.header import parse_dateline, parse_header
from wiredesk.model import Article, DateCandidate
from wiredesk.settings import PUBDATE, PubdateSettings

_URL_DATE = (
    re.compile(r"/((?:19|20)\d\d)[/_-]([01]?\d)[/_-]([0-3]?\d)(?:/|[_-]|\.|$)"),
    re.compile(r"/((?:19|20)\d\d)([01]\d)([0-3]\d)(?:/|[_-]|\.|$)"),
    re.compile(r"[/_-]((?:19|20)\d\d)-([01]\d)-([0-3]\d)(?:/|[_-]|\.|$)"),
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?((?:19|20)\d\d)", re.IGNORECASE)

#: Basis preference when candidates tie (model.PUBLISHED_BASES order).
_BASIS_RANK = {"metadata": 0, "header": 1, "dateline": 2, "byline": 3, "url": 4, "inferred": 5}


def _url_date(url: str | None) -> tuple[str, str] | None:
    if not url:
        return None
    for pattern in _URL_DATE:
        m = pattern.search(url)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), m.group(0)
            except ValueError:
                continue
    return None


def collect_candidates(article: Article, settings: PubdateSettings = PUBDATE) -> tuple[list[DateCandidate], dict | None]:
    """Every date that could be the publication date (rejected ones with a reason), and the dateline."""
    c = settings.confidence
    cands: list[DateCandidate] = []
    for item in article.meta.get("html_dates", []):
        kind, value, text = item["kind"], item["value"], item.get("text", "")
        source = item.get("source", "")
        if kind == "published":
            cands.append(DateCandidate(value, "metadata", c["meta_published"], f"{source}: {text}"))
        elif kind == "time":
            cands.append(DateCandidate(value, "metadata", c["meta_time"], f"<time>: {text}"))
        elif kind == "byline":
            cands.append(DateCandidate(value, "byline", c["byline"], text))
        elif kind == "modified":
            cands.append(DateCandidate(value, "metadata", c["modified"], f"{source}: {text}",
                                       rejected="modification time, not publication"))
        elif kind == "site":
            cands.append(DateCandidate(value, "banner", c["banner"], text, rejected="site banner (page furniture)"))
    record = article.meta.get("record_date")
    if record:
        value = parse_date(str(record.get("text", "")))
        if value:
            cands.append(DateCandidate(value, "metadata", c["record"], f"{record.get('column')}: {record['text']}"))
    raw = article.raw_text or ""
    header = parse_header(raw)
    for h in header.lines:
        for value in h.dates:
            if h.kind == "banner":
                cands.append(DateCandidate(value, "banner", c["banner"], h.text.strip(),
                                           rejected="site banner (crawl day, not the article's)"))
            elif h.kind in ("date", "frontmatter"):
                cands.append(DateCandidate(value, "header", c["header"], h.text.strip()[:200]))
            elif h.kind == "updated":
                cands.append(DateCandidate(value, "header", c["updated"], h.text.strip()))
            elif h.kind == "byline":
                cands.append(DateCandidate(value, "byline", c["byline"], h.text.strip()))
    # Dates in lines cleaning removed as another story's ("Read More: ... Updated 3 May") or as a footer.
    for removal in article.removed:
        if removal.reason in ("read-more", "share", "ad"):
            for found in find_dates(removal.text):
                cands.append(DateCandidate(found.value, "inferred", 0.0, removal.text[:200],
                                           rejected="belongs to another story (removed line)"))
    for m in _COPYRIGHT.finditer(raw):
        cands.append(DateCandidate(m.group(1), "copyright", 0.0, m.group(0), rejected="copyright year"))
    url = _url_date(article.url)
    if url:
        cands.append(DateCandidate(url[0], "url", c["url"], url[1]))
    body = article.text or raw
    dateline = _dateline(body)
    if dateline:
        if dateline["date"]:
            cands.append(DateCandidate(dateline["date"], "dateline", c["dateline"], dateline["text"]))
            other = lead_weekday_year(dateline["date"], _after(body, dateline["text"]))
            if other:
                cands.append(DateCandidate(other, "dateline", 0.0, dateline["text"], rejected=WEEKDAY_YEAR))
        elif dateline.get("month_day"):
            reference = _reference(cands)
            value = complete_partial(*dateline["month_day"], reference) if reference else None
            if value:
                dateline["date"] = value
                cands.append(DateCandidate(value, "dateline", c["dateline_partial"], dateline["text"]))
    if not any(x.rejected is None or x.basis == "banner" for x in cands):
        # Nothing better: a full date stated in the opening lines of the body (a weak guess). Not on a page
        # with a site banner: there the body's dates are what the story is about, and null is the honest answer.
        lead = body[: settings.inferred_chars]
        for found in find_dates(lead)[:1]:
            cands.append(DateCandidate(found.value, "inferred", c["inferred"], found.text))
    _judge(cands, settings)
    public = None
    if dateline:
        public = {"place": dateline["place"], "date": dateline["date"], "agency": dateline["agency"],
                  "text": dateline["text"]}
    return cands, public


#: Why the other-year reading of a dateline is kept only as a rejected candidate: linking takes it when a
#: near-copy is dated so (``link.copies.correct_publication_dates``).
WEEKDAY_YEAR = "the lead's weekday fits this year, not the dateline's; a near-copy dated so confirms it"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


def lead_weekday_year(day: str, lead: str) -> str | None:
    """The dateline's day and month in the adjacent year, when the lead's one weekday fits that year instead.

    A wire lead tells the news of the dateline day or the day before ("Beijing, 6 April (X): ... held talks on
    Thursday"). When its weekday is neither, but is the weekday of the same day one year earlier or later, the
    dateline's year may be a typo (6 April 2022 was a Wednesday, 6 April 2023 a Thursday). A weekday alone is weak
    evidence (a lead may tell of any day of the week before), so this is a candidate, not a correction.
    """
    try:
        dated = dt.date.fromisoformat(day[:10])
    except ValueError:
        return None
    named = {_WEEKDAYS.index(w.lower()) for w in _WEEKDAY_RE.findall(lead)}
    if len(named) != 1:
        return None
    [weekday] = named
    if weekday in (dated.weekday(), (dated - dt.timedelta(days=1)).weekday()):
        return None
    fixes = []
    for shift in (-1, 1):
        try:
            other = dated.replace(year=dated.year + shift)
        except ValueError:
            continue
        if other.weekday() == weekday:
            fixes.append(other.isoformat())
    return fixes[0] if len(fixes) == 1 else None


def _after(body: str, dateline_text: str, limit: int = 400) -> str:
    """The lead sentence: what follows the dateline, up to the first full stop."""
    at = body.find(dateline_text)
    if at < 0:
        return ""
    rest = body[at + len(dateline_text): at + len(dateline_text) + limit]
    end = re.search(r"[.!?](\s|$)", rest)
    return rest[: end.start()] if end else rest


def _dateline(body: str, lines: int = 3) -> dict | None:
    """The dateline opening the body: looked for in the first few lines (the headline may come first)."""
    for line in body.splitlines():
        if line.strip():
            found = parse_dateline(line.strip())
            if found:
                return found
            lines -= 1
            if lines <= 0:
                break
    return None


def _reference(cands: list[DateCandidate]) -> str | None:
    good = [x for x in cands if x.rejected is None and len(x.value) == 10]
    if good:
        return max(good, key=lambda x: x.confidence).value
    banners = [x for x in cands if x.basis == "banner" and len(x.value) == 10]
    return banners[0].value if banners else None


def _judge(cands: list[DateCandidate], settings: PubdateSettings) -> None:
    """Reject dates that cannot be publication dates: after the crawl day (banner) or the present."""
    today = dt.date.today().isoformat()
    crawl = min((x.value for x in cands if x.basis == "banner" and len(x.value) == 10), default=None)
    for x in cands:
        if x.rejected or len(x.value) != 10:
            continue
        if x.value > today:
            x.rejected = "in the future"
        elif x.value < settings.earliest:
            x.rejected = f"before {settings.earliest}"
        elif crawl and x.value > crawl:
            x.rejected = "after the page was crawled (banner date)"


def choose(cands: list[DateCandidate]) -> tuple[str | None, str | None, float]:
    """The date most sources support, weighted by confidence: (value, basis, confidence)."""
    support: dict[str, list[DateCandidate]] = defaultdict(list)
    for x in cands:
        if x.rejected is None and len(x.value) == 10 and x.confidence > 0:
            support[x.value].append(x)
    if not support:
        return None, None, 0.0

    def combined(items: list[DateCandidate]) -> float:
        miss = 1.0
        for x in items:
            miss *= 1.0 - x.confidence
        return 1.0 - miss

    value = max(support, key=lambda v: (combined(support[v]), -min(_BASIS_RANK.get(x.basis, 9) for x in support[v])))
    best = min(support[value], key=lambda x: (_BASIS_RANK.get(x.basis, 9), -x.confidence))
    return value, best.basis, round(min(combined(support[value]), 0.99), 3)


def assign_publication_date(article: Article, settings: PubdateSettings = PUBDATE) -> Article:
    """Set ``published``, ``published_basis``, ``published_confidence``, ``published_candidates``, ``dateline``."""
    cands, dateline = collect_candidates(article, settings)
    value, basis, confidence = choose(cands)
    article.published = value
    article.published_basis = basis
    article.published_confidence = confidence
    article.published_candidates = cands
    article.dateline = dateline
    return article
