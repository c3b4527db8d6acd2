"""The header a scraper leaves above a news text, and the dateline that opens the body.

Scraped plain text usually starts with some of: a site banner ("Welcome to X News | Sunday, 22 November
2026" -- the day of the crawl, not of the article), the headline, an outlet line, a date line ("date
2024-03-05", "Published 14:05 GMT, March 5th 2024"), a byline, a reading time. The body then often opens with
a dateline: "GENEVA, 5 March 2024 (Reuters): ...". This module only *finds* these lines; the reader takes the
title and outlet from them, the cleaner removes the metadata lines from the text and pubdate judges the dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wiredesk.ingest.dates import find_dates, find_partial_dates

#: How many non-empty lines from the top can still be header.
MAX_HEADER_LINES = 12

_DATE_KEY = re.compile(
    r"^\s*(?:(?P<upd>(?:last\s+)?updated|modified|last\s+modified|edited)|date(?:d)?|published(?:\s+on)?|posted(?:\s+on)?|"
    r"first\s+published(?:\s+on)?|publication\s+date|pub(?:lished)?\s*date|released?|filed|issued)\b\s*(?:[:\-|]\s*)?",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*(?:by|written\s+by|von|par)\s+[A-Z][\w.'\-]+", re.IGNORECASE)
_READTIME = re.compile(r"^\s*\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s+read\b", re.IGNORECASE)
_OUTLET_KEY = re.compile(r"^\s*(?:source|outlet|publication|publisher|site|newspaper)\s*:\s*(?P<name>.+)$",
                         re.IGNORECASE)
_URL_KEY = re.compile(r"^\s*(?:url|link|canonical)\s*:\s*(?P<url>https?://\S+)\s*$", re.IGNORECASE)
_BANNER = re.compile(r"\bwelcome\s+to\b|\btoday(?:'s date)?\s*(?:is|:)|\|", re.IGNORECASE)
_TICKER = re.compile(r"^\W{0,3}(?:breaking(?:\s+news)?|live|just\s+in|developing)\s*(?::|\||--|-\s|–|—)", re.I)
_SENTENCE_END = re.compile(r"[.!?]['\"”’)]?$")
_MENU_WORDS = re.compile(r"^(?:home|news|world|politics|business|sport|sports|opinion|menu|search|login|log in|"
                         r"sign in|subscribe|e-paper|epaper|live tv|video|weather)$", re.IGNORECASE)

# "GENEVA, 5 March 2024 (Reuters):", "KYIV, Ukraine (AP) —", "Paris, March 5 (AFP) -", "LONDON -- "
_DATELINE = re.compile(
    r"^(?P<head>(?P<place>[A-Z][\w.'’\-]*(?:[ \-][A-Z][\w.'’\-]*){0,4}"
    r"(?:,\s*[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*){0,3})?)"
    r"(?:\s*,\s*(?P<date>(?:[A-Z][a-z]+day,?\s+)?[\w .,]{3,30}?))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&/\-]{1,40})\))?"
    r"\s*(?P<sep>:|--|-|–|—|\|)\s*)",
)


@dataclass
class HeaderLine:
    """One line of the header: what it is and where it sits in the text."""

    start: int
    end: int
    text: str
    kind: str  # banner | title | outlet | date | updated | byline | readtime | url | frontmatter
    dates: list[str] = field(default_factory=list)
    value: str | None = None  # outlet name, title, url


@dataclass
class Header:
    lines: list[HeaderLine] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    front_matter: dict[str, str] = field(default_factory=dict)

    def of_kind(self, *kinds: str) -> list[HeaderLine]:
        return [h for h in self.lines if h.kind in kinds]


def _lines(text: str):
    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        yield pos, pos + len(line), line
        pos += len(raw)


def _is_banner(line: str) -> bool:
    """A site line with a date: "Welcome to X | Sunday, 22 November 2026", "Home | World | 22 Nov 2026"."""
    if not _BANNER.search(line) or not find_dates(line):  # the cheap test first: most lines are no banner
        return False
    if _DATE_KEY.match(line) or _BYLINE.match(line):  # "Published: ... | 3 min read", "By X | date": the article's
        return False
    return True


def _is_menu(line: str) -> bool:
    parts = [p.strip() for p in re.split(r"[|•·]", line) if p.strip()]
    return len(parts) >= 3 and sum(bool(_MENU_WORDS.match(p)) for p in parts) >= 2


def _looks_like_body(line: str) -> bool:
    words = line.split()
    return len(words) > 28 or (len(words) > 14 and bool(_SENTENCE_END.search(line)))


def _front_matter(text: str, header: Header) -> int:
    """YAML-style front matter (``---`` ... ``---``) as Markdown scrapers write it; returns where it ends."""
    if not text.startswith("---"):
        return 0
    end = text.find("\n---", 3)
    if end < 0 or end > 5000:
        return 0
    close = text.find("\n", end + 4)
    close = len(text) if close < 0 else close + 1
    for line in text[4:end].splitlines():
        key, sep, value = line.partition(":")
        if sep:
            header.front_matter[key.strip().lower()] = value.strip().strip("'\"")
    header.lines.append(HeaderLine(0, close, text[:close], "frontmatter",
                                   [d.value for d in find_dates(header.front_matter.get("date", ""))]))
    fm = header.front_matter
    header.title = fm.get("title") or None
    header.outlet = fm.get("source") or fm.get("publication") or fm.get("outlet") or fm.get("site") or None
    header.url = fm.get("url") or fm.get("link") or None
    return close


def parse_header(text: str) -> Header:
    """Find the header lines at the top of ``text`` (never reads past the first body line).

    The header of the last text is kept and returned again for the same text: cleaning and the publication-date
    finder read the header of one raw text one right after the other (``pipeline.prepare``), and parsing it was a
    third of the publication-date stage. So callers must treat the ``Header`` as read-only (none changes it)."""
    global _LAST
    if _LAST is not None and _LAST[0] == text:
        return _LAST[1]
    header = _parse_header(text)
    _LAST = (text, header)
    return header


_LAST: tuple[str, Header] | None = None


def _parse_header(text: str) -> Header:
    header = Header()
    skip_to = _front_matter(text, header)
    seen = 0
    for start, end, line in _lines(text):
        if start < skip_to:
            continue
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > MAX_HEADER_LINES or len(stripped) > 400:
            break  # a header line is short: anything longer is body (and costly to scan for dates)
        dates = [d.value for d in find_dates(stripped)]
        if _is_banner(stripped) or (header.title is None and (_is_menu(stripped) or _TICKER.match(stripped))):
            header.lines.append(HeaderLine(start, end, line, "banner", dates))
            continue
        m = _DATE_KEY.match(stripped)
        if m and dates and len(stripped.split()) <= 16:
            kind = "updated" if m.group("upd") else "date"
            header.lines.append(HeaderLine(start, end, line, kind, dates))
            continue
        if dates and len(stripped) <= 60 and len(find_dates(stripped)[0].text) >= len(stripped) - 12:
            header.lines.append(HeaderLine(start, end, line, "date", dates))  # a bare date line
            continue
        if _READTIME.match(stripped):
            header.lines.append(HeaderLine(start, end, line, "readtime", dates))
            continue
        m = _URL_KEY.match(stripped)
        if m:
            header.url = header.url or m.group("url")
            header.lines.append(HeaderLine(start, end, line, "url", [], m.group("url")))
            continue
        m = _OUTLET_KEY.match(stripped)
        if m and len(m.group("name").split()) <= 8:
            header.outlet = header.outlet or m.group("name").strip()
            header.lines.append(HeaderLine(start, end, line, "outlet", [], m.group("name").strip()))
            continue
        if _BYLINE.match(stripped) and len(stripped.split()) <= 16 and not _SENTENCE_END.search(stripped[:-1]):
            header.lines.append(HeaderLine(start, end, line, "byline", dates))
            continue
        if header.title is None and not any(h.kind == "title" for h in header.lines):
            if _looks_like_body(stripped) or parse_dateline(stripped) or not text[end:].strip():
                break
            title = stripped.lstrip("#").strip()
            header.title = title
            header.lines.append(HeaderLine(start, end, line, "title", [], title))
            continue
        words = stripped.split()
        if (header.title is not None and header.outlet is None and len(words) <= 6 and stripped[0].isupper()
                and not _SENTENCE_END.search(stripped) and not dates and not parse_dateline(stripped)):
            header.outlet = stripped
            header.lines.append(HeaderLine(start, end, line, "outlet", [], stripped))
            continue
        break
    return header


def parse_dateline(text: str) -> dict | None:
    """The dateline opening ``text``: {"place", "date" (ISO or None), "month_day", "agency", "end", "text"}.

    Accepts "City, DD Month YYYY (AGENCY):", "CITY, Month D (AGENCY) -", "CITY (AGENCY) --", "City, Country,
    DD Month YYYY:". A dateline needs a date or an agency, or an all-capitals place, so that ordinary sentence
    openings ("However, the minister said -") are not taken for one.
    """
    m = _DATELINE.match(text[:160])
    if not m:
        return None
    place, date_text, agency = m.group("place"), m.group("date"), m.group("agency")
    iso = None
    month_day = None
    if date_text:
        found = find_dates(date_text)
        if found:
            iso = found[0].value
        else:
            partial = find_partial_dates(date_text)
            if partial:
                month_day = (partial[0][2], partial[0][3])
            else:
                return None  # the text after the comma is not a date: not this shape of dateline
    if not (iso or month_day or agency or place.split(",")[0].replace(" ", "").replace(".", "").isupper()):
        return None
    if len(place.split()) > 6 or place.split()[0].lower() in {"the", "a", "an", "but", "however", "and", "in"}:
        return None
    if m.group("sep") == "-" and not (iso or month_day or agency):
        return None
    return {
        "place": place.strip().rstrip(","),
        "date": iso,
        "month_day": month_day,
        "agency": agency.strip() if agency else None,
        "end": m.end(),
        "text": m.group("head").strip(),
    }
