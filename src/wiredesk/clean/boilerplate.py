"""Which lines of a scraped news text are not the story: each gets a reason, and never feeds event coding.

Line rules are deliberately anchored (a "Read More:" line, a "Photo:" line, a short share/subscribe line, a
footer with a copyright sign) so that a body paragraph that merely mentions a photo or a subscription is kept.
Header metadata lines (outlet, date, byline) come from :mod:`wiredesk.ingest.header`; the title stays.
"""

from __future__ import annotations

import re

from wiredesk.ingest.header import Header, parse_dateline

_READ_MORE = re.compile(
    r"^\W{0,3}(?:read\s+more|also\s+read|read\s+also|see\s+also|related(?:\s+(?:stories|story|articles?|coverage|"
    r"news|content|links?|reading))?|recommended(?:\s+for\s+you)?|more\s+from\s+[^:]{1,50}|more\s+on\s+this"
    r"(?:\s+story)?|more\s+stories|you\s+(?:may|might)\s+also\s+like|don'?t\s+miss|must\s+read|trending(?:\s+now)?|"
    r"popular(?:\s+now)?|most\s+read|top\s+stories|latest(?:\s+news)?|further\s+reading|next\s+article|"
    r"previous\s+article|watch|listen|explainer|opinion|analysis)\s*(?:[:|»>›]|--|-\s|–|—)",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^\W{0,3}(?:photo(?:graph)?s?(?:\s+caption|\s+credit)?|image(?:\s+caption|\s+source|\s+credit)?|picture|pic|"
    r"caption|credit|file\s+photo|file\s+image|video|gallery)\s*(?:[:|/]|--|-\s|–|—)"
    r"|^\W{0,3}file\s+photo\b",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(
    r"\((?:[A-Z]{2,6}\s+)?(?:Photo|Photograph|Image|File)(?:/|\s+by\s|:|\))|\b(?:AP|AFP|Reuters|REUTERS|EPA|Getty)"
    r"(?:\s+Images)?\s*/\s*[A-Z][a-z]|\bPhoto(?:graph)?\s*(?:by|:)\s+[A-Z]|\bCredit:\s+\S|\bGetty Images\b|"
    r"\(File\)\s*$",
)
_SHARE_START = re.compile(
    r"^\W{0,3}(?:share|tweet|e-?mail\s+this|print(?:\s+this)?|follow(?:\s+us)?|subscribe|sign\s+up|newsletter|"
    r"click\s+(?:here\s+)?to|join\s+(?:us|our)|download\s+(?:our|the)\s+app|get\s+(?:our|the)\b|"
    r"like\s+us\s+on|comments?\b|leave\s+a\s+comment|copy\s+link|bookmark|save\s+(?:this\s+)?(?:article|story))\b",
    re.IGNORECASE,
)
_SOCIAL = re.compile(r"\b(?:facebook|twitter|whatsapp|linkedin|telegram|reddit|pinterest|e-?mail|copy\s+link|"
                     r"instagram|x\.com|social\s+media|share\s+this)\b", re.IGNORECASE)
_FOOTER = re.compile(
    r"©|\(c\)\s|\bcopyright\b|all\s+rights\s+reserved|terms\s+(?:of|and)\s+(?:use|service|conditions)|"
    r"privacy\s+(?:policy|notice)|cookie\s+(?:policy|settings)|may\s+not\s+be\s+(?:published|reproduced)|"
    r"redistribution\s+(?:is\s+)?prohibited|^\W*distributed\s+by\b|^\W*-+\s*ends?\s*-+|^\W*ends\W*$|"
    r"^\W*\(?\s*end\s*\)?\W*$|^\W*#{3,}\W*$|reporting\s+by\s+[A-Z][^.]{0,80};\s+editing\s+by",
    re.IGNORECASE,
)
_AD = re.compile(
    r"^\W*(?:advertisement|advertising|sponsored(?:\s+content)?|promoted(?:\s+content)?|ad|ads\s+by\b.*|"
    r"story\s+continues\s+(?:below|after).*|(?:article\s+)?continues\s+(?:below|after).*|continue\s+reading.*|"
    r"scroll\s+(?:down\s+)?to\s+continue.*|skip\s+advert.*|we\s+use\s+cookies.*|accept\s+(?:all\s+)?cookies.*)\W*$",
    re.IGNORECASE,
)
_TICKER = re.compile(r"^\W{0,3}(?:breaking(?:\s+news)?|live|just\s+in|developing)\s*(?:[:|]|--|-\s|–|—)", re.I)
_HEADER_KINDS = {"banner": "banner", "outlet": "header", "date": "header", "updated": "header",
                 "byline": "header", "readtime": "header", "url": "header", "frontmatter": "header"}


#: Why literals: the three patterns searched anywhere in a line were nearly all of this module's time (~0.4 ms per
#: synthetic article), and a story line holds none of the words every one of their alternatives spells out. Each
#: list holds, for every alternative, a literal it cannot match without, so a line without any is skipped with the
#: answer the search would give. Case-insensitive patterns are tested on ``str.casefold()``: every character a
#: case-insensitive match accepts for a letter folds to that letter ("ſ" to "s", the Kelvin sign to "k").
_PHOTO_CREDIT_LITERALS = ("Photo", "Image", "File", "/", "Credit:")  # case-sensitive, as the pattern
_SOCIAL_LITERALS = ("facebook", "twitter", "whatsapp", "linkedin", "telegram", "reddit", "pinterest", "mail", "copy",
                    "instagram", "x.com", "social", "share")
_FOOTER_LITERALS = ("©", "(c)", "copyright", "rights", "terms", "privacy", "cookie", "may", "redistribution",
                    "distributed", "end", "###", "reporting")


def _holds(text: str, literals: tuple[str, ...]) -> bool:
    return not LITERAL_TESTS or any(w in text for w in literals)


#: Skip a pattern search on a line without its literals; False: search every line (same answers, slower).
LITERAL_TESTS = True


def classify_line(line: str) -> str | None:
    """Why a (stripped, non-empty) line is boilerplate, or None when it is story text."""
    words = len(line.split())
    if _AD.match(line):
        return "ad"
    if _READ_MORE.match(line) and words <= 40:
        return "read-more"
    if words <= 60 and (_CAPTION.match(line) or (words <= 45 and _holds(line, _PHOTO_CREDIT_LITERALS)
                                                 and _PHOTO_CREDIT.search(line))):
        return "caption"
    folded = line.casefold() if words <= 40 else ""
    if words <= 30 and (_SHARE_START.match(line) or _holds(folded, _SOCIAL_LITERALS)
                        and len(_SOCIAL.findall(line)) >= 2):
        return "share"
    if words <= 40 and _holds(folded, _FOOTER_LITERALS) and _FOOTER.search(line):
        return "footer"
    if words <= 16 and _TICKER.match(line):
        return "banner"
    return None


def find_boilerplate(text: str, header: Header) -> dict[int, str]:
    """Map of line start offset -> reason for every line of ``text`` that is not story text.

    Header lines come from ``header`` (parsed from the same text); the rest are judged line by line.
    """
    reasons: dict[int, str] = {}
    for h in header.lines:
        kind = _HEADER_KINDS.get(h.kind)
        if kind:
            pos = h.start
            while pos < h.end:  # front matter spans several lines
                reasons[pos] = kind
                nl = text.find("\n", pos, h.end)
                pos = h.end if nl < 0 else nl + 1
    keep = {h.start for h in header.lines if h.kind == "title"}  # the headline is story text, whatever it says
    pos = 0
    for raw in text.splitlines(keepends=True):
        if pos not in reasons and pos not in keep:
            stripped = raw.strip()
            if stripped:
                reason = classify_line(stripped)
                if reason:
                    reasons[pos] = reason
        pos += len(raw)
    return reasons


def repeated_dateline(line: str, first: dict | None) -> int:
    """Length of a dateline prefix that repeats the article's opening dateline (0 when there is none)."""
    if not first:
        return 0
    again = parse_dateline(line)
    if again and again["place"].lower() == first["place"].lower() and (
            again["date"] == first["date"] and again["agency"] == first["agency"]):
        return again["end"]
    return 0
