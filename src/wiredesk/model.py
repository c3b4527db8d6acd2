"""The records every stage reads and writes, in one place.

Per-article stages enrich an :class:`Article` and emit :class:`EventMention` records; the linking phase turns
mentions from many articles into canonical :class:`Event` records grouped into :class:`Story` records. Records
are plain dataclasses so they pickle (Dask), serialise to JSON (store, exports) and stay easy to read.

Offsets: every ``start``/``end`` in an article record is a character offset into ``Article.text`` (the clean,
repaired text). ``Article.offset_map`` maps clean offsets back into ``Article.raw_text`` so evidence can be shown
in the text as it arrived (see :func:`Article.to_raw_offset`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: The 16 PLOVER event types (``../shared/docs/plover.md``).
PLOVER_EVENTS: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

#: Auxiliary flags on a reported event.
FLAGS: tuple[str, ...] = ("future", "hypothetical", "negation", "historical")

#: How a date was obtained, strongest first. Consensus prefers the earlier basis (issue 7).
DATE_BASES: tuple[str, ...] = ("explicit", "relative", "dateline", "publication", "unknown")

#: Where a publication date came from (issue 3).
PUBLISHED_BASES: tuple[str, ...] = ("metadata", "header", "dateline", "url", "byline", "inferred", "corrected")


def _asdict(obj: Any) -> Any:
    """dataclasses.asdict that also turns dates into ISO strings (JSON-ready).

    Why the first two tests: the writer turns every analysed article into a dict (``store.rows``), ~400 values
    each (offset map pairs, spans), and ``dataclasses.is_dataclass`` and ``fields`` on each was most of the
    single writer's time, which bounds a run on two workers. Plain values come back as they are, and a dataclass's
    field names are looked up once per class: the same dicts."""
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(obj):
        names = tuple(f.name for f in dataclasses.fields(obj))
        if not isinstance(obj, type):  # a dataclass itself (not an instance) is not cached under its metaclass
            _FIELD_NAMES[kind] = names
    if names is not None:
        return {name: _asdict(getattr(obj, name)) for name in names}
    if isinstance(obj, (list, tuple)):
        return [_asdict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _asdict(v) for k, v in obj.items()}
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


#: Types ``_asdict`` returns as they are (exact types: a subclass takes the general path).
_PLAIN = frozenset({str, int, float, bool, type(None)})
#: Field names of the dataclasses ``_asdict`` has met, by class.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


class Record:
    """Mixin: ``to_dict`` / ``from_dict`` for JSON round trips."""

    def to_dict(self) -> dict[str, Any]:
        return _asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        # field name -> converter of a nested record (None: the value as it is), worked out once per class:
        # ``dataclasses.fields`` on every call was a third of decoding a stored mention (linking decodes each)
        plan = _FROM_PLANS.get(cls)
        if plan is None:
            plan = _FROM_PLANS[cls] = {f.name: _NESTED.get((cls.__name__, f.name))
                                       for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        kwargs = {}
        for key, value in data.items():
            if key in plan:
                convert = plan[key]
                kwargs[key] = value if convert is None else convert(value)
        return cls(**kwargs)


#: ``Record.from_dict``'s plan per class (filled on first use, after ``_NESTED`` exists).
_FROM_PLANS: dict[type, dict[str, Any]] = {}


@dataclass
class Removal(Record):
    """A piece of the raw text that cleaning took out, and why (it never feeds event coding)."""

    text: str
    reason: str  # e.g. "read-more", "caption", "share", "banner", "footer", "dateline-repeat", "ad", "html-boilerplate"
    start: int | None = None  # offset in raw_text when known
    end: int | None = None


@dataclass
class Repair(Record):
    """A word the damage repairer restored (issue 3): ``original`` as scraped, ``repaired`` as restored."""

    original: str
    repaired: str
    start: int  # offset in the clean text
    end: int
    confidence: float


@dataclass
class DateCandidate(Record):
    """One possible publication date, kept so that linking can overrule the chosen one."""

    value: str  # ISO date
    basis: str  # one of PUBLISHED_BASES, or "banner" / "copyright" for rejected site dates
    confidence: float
    text: str = ""  # the evidence as written
    rejected: str | None = None  # why it is not the publication date, if it is not


@dataclass
class Sentence(Record):
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass
class Timex(Record):
    """A temporal expression normalised as TIMEX3 (issue 4)."""

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value: 2021-04-15, 2021-04, 2021, P3D, XXXX-XX-XX, PRESENT_REF ...
    precision: str | None = None  # day | month | year | decade | time | None
    mod: str | None = None  # START | MID | END | APPROX | ...
    anchored: bool = False  # True when resolved relative to the reference date


@dataclass
class Entity(Record):
    """A coded political actor (issue 5)."""

    code: str  # ISO-3166 alpha-3 or PLOVER non-state code (IGO, UNO, EUR, NGO, ...)
    sector: str | None = None  # GOV, MIL, LEG, JUD, ELI, BUS, MED, CVL, REB, ...
    name: str | None = None  # canonical name
    entity_text: str = ""  # as written in the article
    office: str | None = None
    kb_id: str | None = None
    score: float = 1.0
    candidates: list[dict[str, Any]] = field(default_factory=list)  # alternatives when ambiguous

    def key(self) -> str:
        """The identity used for matching events: a person when known, else country+sector."""
        return self.kb_id or f"{self.code}:{self.sector or ''}"


@dataclass
class ActorMention(Record):
    """A span of the article text resolved to an entity."""

    start: int
    end: int
    text: str
    entity: Entity
    sentence: int = 0


@dataclass
class Place(Record):
    """An event location (issue 10), PLOVER ``event_loc``."""

    extracted_place: str
    resolved_place: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO alpha-3
    admin1: str | None = None
    precision: str | None = None  # point | city | region | country


@dataclass
class EventMention(Record):
    """One event as one sentence of one article reports it (issue 6)."""

    article_id: str
    sentence: int
    start: int  # evidence span in the clean text
    end: int
    text: str  # the evidence sentence
    event: str
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    date: str | None = None  # YYYY-MM-DD | YYYY-MM | YYYY
    date_precision: str | None = None  # day | month | year
    date_basis: str = "unknown"  # one of DATE_BASES
    flags: list[str] = field(default_factory=list)
    confidence: float = 0.5
    trigger: str = ""  # the word(s) that name the event
    location: Place | None = None
    id: str = ""  # article_id:sentence:ordinal, set by the coder


@dataclass
class Article(Record):
    """One news article, from raw bytes to analysed text."""

    id: str  # content hash of the clean text
    path: str = ""
    url: str | None = None
    title: str | None = None
    publication: str | None = None  # outlet
    raw_text: str = ""
    text: str = ""  # clean, repaired text: every offset points here
    format: str = "text"
    published: str | None = None  # ISO date
    published_basis: str | None = None
    published_confidence: float = 0.0
    published_candidates: list[DateCandidate] = field(default_factory=list)
    dateline: dict[str, Any] | None = None  # {"place": "Paris", "date": "...", "agency": "..."}
    language: str = "en"
    quality: list[str] = field(default_factory=list)  # e.g. "damaged", "non-english", "short", "repaired"
    removed: list[Removal] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    damage: dict[str, Any] = field(default_factory=dict)  # {"sequences": [...], "score": float}
    offset_map: list[list[int]] = field(default_factory=list)  # [[clean_start, raw_start], ...] breakpoints
    errors: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    # filled by analysis stages
    sentences: list[Sentence] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    mentions: list[EventMention] = field(default_factory=list)

    def to_raw_offset(self, offset: int) -> int:
        """Map an offset in ``text`` to the matching offset in ``raw_text`` (identity when no map)."""
        best = (0, 0)
        for clean_at, raw_at in self.offset_map:
            if clean_at <= offset:
                best = (clean_at, raw_at)
            else:
                break
        return best[1] + (offset - best[0])


@dataclass
class Conflict(Record):
    """Sources disagree on a field; ``chosen`` won for the reason ``why``."""

    field: str
    values: dict[str, list[str]]  # value -> article ids
    chosen: str
    why: str


@dataclass
class Event(Record):
    """A canonical event: one record per real event (issue 7)."""

    id: str
    event: str
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)  # {id, path, url, publication, title, published}
    mentions: list[dict[str, Any]] = field(default_factory=list)  # {article_id, sentence, start, end, text}
    sources: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    summary: str = ""
    summary_citations: list[dict[str, Any]] = field(default_factory=list)  # {sentence, article_id}
    confidence: float = 0.0
    story_id: str | None = None
    location: Place | None = None


@dataclass
class Story(Record):
    """Articles about the same real-world happening."""

    id: str
    article_ids: list[str] = field(default_factory=list)
    title: str = ""
    start: str | None = None
    end: str | None = None
    event_ids: list[str] = field(default_factory=list)


@dataclass
class IngestError(Record):
    """A file (or record inside a file) that could not be read: kept, never silently dropped."""

    path: str
    reason: str
    stage: str = "ingest"


_NESTED: dict[tuple[str, str], Any] = {
    ("Article", "removed"): lambda v: [Removal.from_dict(x) for x in v],
    ("Article", "repairs"): lambda v: [Repair.from_dict(x) for x in v],
    ("Article", "published_candidates"): lambda v: [DateCandidate.from_dict(x) for x in v],
    ("Article", "sentences"): lambda v: [Sentence.from_dict(x) for x in v],
    ("Article", "timexes"): lambda v: [Timex.from_dict(x) for x in v],
    ("Article", "actors"): lambda v: [ActorMention.from_dict(x) for x in v],
    ("Article", "mentions"): lambda v: [EventMention.from_dict(x) for x in v],
    ("ActorMention", "entity"): Entity.from_dict,
    ("EventMention", "actor"): lambda v: [Entity.from_dict(x) for x in v],
    ("EventMention", "recipient"): lambda v: [Entity.from_dict(x) for x in v],
    ("EventMention", "location"): lambda v: Place.from_dict(v) if v else None,
    ("Event", "actor"): lambda v: [Entity.from_dict(x) for x in v],
    ("Event", "recipient"): lambda v: [Entity.from_dict(x) for x in v],
    ("Event", "conflicts"): lambda v: [Conflict.from_dict(x) for x in v],
    ("Event", "location"): lambda v: Place.from_dict(v) if v else None,
}
