"""Reader for ECB+ CROMER XML files (the ECB+ event coreference corpus, ``../shared/data/ecbplus``).

ECB+ ships each article as tokens (``<token t_id sentence number>``) followed by markables (event, time, location
and participant mentions anchored on token ids) and relations (within- and cross-document coreference chains).

* :func:`read_ecbplus` turns one file into an :class:`~wiredesk.model.Article`: tokens are joined back into text
  with ordinary spacing (no space before closing punctuation, none after opening quotes or brackets), one sentence
  per line, so the rest of the pipeline sees normal prose with ``Article.sentences`` filled.
* :func:`read_ecbplus_gold` gives the same text plus the gold annotation (mentions with character offsets into
  that text and their coreference chain), which the ECB+ evaluation (``wiredesk.eval.ecbplus``) scores against.
"""

from __future__ import annotations

import csv
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from wiredesk.model import Article, Sentence

#: Markable tags that are event mentions (ECB+ annotation guidelines: actions, including negated ones).
EVENT_TAGS_PREFIX = ("ACTION_", "NEG_ACTION_")
TIME_PREFIX = "TIME_"
LOC_PREFIX = "LOC_"
PART_PREFIXES = ("HUMAN_PART", "NON_HUMAN_PART")

# Tokens glued to the previous token / the next token when the text is rebuilt.
_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m",
                    "''", "'", "..."}
_NO_SPACE_AFTER = {"(", "[", "{", "``", "$", "#"}
_QUOTES = {"``": '"', "''": '"'}
_NAME_RE = re.compile(r"^(?P<topic>\d+)_(?P<doc>\d+)(?P<kind>ecbplus|ecb)\.xml$")


@dataclass
class GoldMention:
    """One annotated markable with its place in the rebuilt text."""

    m_id: str
    tag: str  # ACTION_OCCURRENCE, TIME_DATE, HUMAN_PART_PER, ...
    sentence: int
    token_numbers: list[int]  # token positions inside the sentence
    start: int  # character offsets into EcbDocument.text
    end: int
    text: str
    chain: str | None = None  # cross-document instance id, or a document-local id for within-document chains

    @property
    def is_event(self) -> bool:
        return self.tag.startswith(EVENT_TAGS_PREFIX)


@dataclass
class EcbDocument:
    """An ECB+ article: rebuilt text, tokens per sentence and its gold mentions."""

    name: str  # "1_10ecbplus"
    topic: int
    subtopic: str  # "1ecb" or "1ecbplus": one seminal event each
    text: str
    sentences: list[Sentence]
    tokens: dict[int, list[tuple[str, int, int]]]  # sentence -> [(token, start, end)]
    mentions: list[GoldMention] = field(default_factory=list)

    def event_mentions(self, sentences: set[int] | None = None) -> list[GoldMention]:
        """Gold event mentions, optionally only those in the given sentence numbers."""
        return [m for m in self.mentions if m.is_event and (sentences is None or m.sentence in sentences)]


def _join_tokens(raw: dict[int, list[tuple[int, int, str]]]):
    """Rebuild text from tokens; returns text, Sentence list and per-sentence token spans [(word, start, end)]."""
    parts: list[str] = []
    sentences: list[Sentence] = []
    spans: dict[int, list[tuple[str, int, int]]] = {}
    offset = 0
    for s_index, sent_no in enumerate(sorted(raw)):
        if s_index:
            parts.append("\n")
            offset += 1
        start = offset
        previous: str | None = None  # the previous token as written in the XML (`` and '' tell quote sides)
        row = []
        for _t_id, _number, token in raw[sent_no]:
            glue = previous is None or previous in _NO_SPACE_AFTER or token in _NO_SPACE_BEFORE
            if not glue:
                parts.append(" ")
                offset += 1
            word = _QUOTES.get(token, token)
            parts.append(word)
            row.append((word, offset, offset + len(word)))
            offset += len(word)
            previous = token
        spans[sent_no] = row
        sentences.append(Sentence(index=sent_no, start=start, end=offset, text=""))
    full = "".join(parts)
    for s in sentences:
        s.text = full[s.start:s.end]
    return full, sentences, spans


def _parse(path: Path):
    root = ET.parse(path).getroot()
    raw: dict[int, list[tuple[int, int, str]]] = {}
    by_tid: dict[str, tuple[int, int]] = {}
    for tok in root.iter("token"):
        sent_no = int(tok.get("sentence", 0))
        number = int(tok.get("number", 0))
        raw.setdefault(sent_no, []).append((int(tok.get("t_id")), number, tok.text or ""))
        by_tid[tok.get("t_id")] = (sent_no, number)
    for row in raw.values():
        row.sort(key=lambda x: x[1])
    return root, raw, by_tid


def _article_id(text: str) -> str:
    try:  # the ingest engineer's id function when present, so ids match other readers
        from wiredesk.ingest.ids import article_id  # type: ignore[import-not-found]

        return article_id(text)
    except ImportError:  # same definition: sha256 of whitespace-normalised text, 16 hex chars
        return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def read_ecbplus(path: str | Path) -> Article:
    """Read one ECB+ XML file as an Article (text rebuilt from tokens, one sentence per line).

    ECB+ (``*ecbplus.xml``) files often start with the page URL and the headline as their first sentences; the
    URL becomes ``Article.url`` and the headline ``Article.title``. ``meta`` keeps topic and sub-topic.
    """
    path = Path(path)
    _root, raw, _ = _parse(path)
    text, sentences, _ = _join_tokens(raw)
    url = None
    title = None
    first = [s.text for s in sentences[:2]]
    if first and first[0].replace(" ", "").startswith("http"):
        url = first[0].replace(" ", "")
        title = first[1] if len(first) > 1 else None
    elif first:
        title = first[0]
    meta = {"corpus": "ecbplus"}
    match = _NAME_RE.match(path.name)
    if match:
        meta.update(topic=int(match["topic"]), subtopic=match["topic"] + match["kind"])
    return Article(id=_article_id(text), path=str(path), url=url, title=title, raw_text=text, text=text,
                   format="ecbplus", sentences=sentences, meta=meta)


def read_ecbplus_gold(path: str | Path) -> EcbDocument:
    """Read one ECB+ file with its gold mentions and coreference chains.

    Chains: a mention in a CROSS_DOC_COREF relation takes its instance id (the same id across documents); one in
    only an INTRA_DOC_COREF relation gets a document-local id; any other mention is a singleton (``chain`` None).
    """
    path = Path(path)
    root, raw, by_tid = _parse(path)
    text, sentences, spans = _join_tokens(raw)
    chain: dict[str, str] = {}
    relations = root.find("Relations")
    if relations is not None:
        for rel in relations:
            sources = [s.get("m_id") for s in rel.findall("source")]
            if rel.tag == "CROSS_DOC_COREF":
                cid = rel.get("note") or f"{path.stem}:x{rel.get('r_id')}"
            elif rel.tag == "INTRA_DOC_COREF":
                cid = f"{path.stem}:i{rel.get('r_id')}"
            else:
                continue
            for m in sources:
                if rel.tag == "CROSS_DOC_COREF" or m not in chain:
                    chain[m] = cid
    mentions: list[GoldMention] = []
    markables = root.find("Markables")
    for mk in markables if markables is not None else []:
        anchors = [a.get("t_id") for a in mk.findall("token_anchor")]
        anchors = [by_tid[a] for a in anchors if a in by_tid]
        if not anchors:
            continue  # instance descriptors (cross-document targets) have no tokens
        sent_no = anchors[0][0]
        numbers = sorted(n for s, n in anchors if s == sent_no)
        row = spans[sent_no]
        # token "number" is the position inside the sentence; rows are sorted by it
        positions = {num: i for i, (_t, num, _w) in enumerate(raw[sent_no])}
        first, last = row[positions[numbers[0]]], row[positions[numbers[-1]]]
        mentions.append(GoldMention(m_id=mk.get("m_id"), tag=mk.tag, sentence=sent_no, token_numbers=numbers,
                                    start=first[1], end=last[2], text=text[first[1]:last[2]],
                                    chain=chain.get(mk.get("m_id"))))
    match = _NAME_RE.match(path.name)
    topic = int(match["topic"]) if match else 0
    subtopic = (match["topic"] + match["kind"]) if match else ""
    return EcbDocument(name=path.stem, topic=topic, subtopic=subtopic, text=text, sentences=sentences,
                       tokens=spans, mentions=mentions)


def read_coreference_sentences(path: str | Path) -> dict[str, set[int]]:
    """``ECBplus_coreference_sentences.csv``: document name ("1_10ecbplus") -> sentence numbers fully annotated."""
    out: dict[str, set[int]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(f"{row['Topic']}_{row['File']}", set()).add(int(row["Sentence Number"]))
    return out


def iter_corpus(root: str | Path):
    """All ECB+ files under ``root`` (topic folders), sorted by topic then document number."""
    root = Path(root)

    def key(p: Path):
        m = _NAME_RE.match(p.name)
        return (int(m["topic"]), m["kind"], int(m["doc"])) if m else (0, "", 0)

    return sorted(root.glob("*/*.xml"), key=key)
