"""Set ``EventMention.location``: the place where each event happened, geocoded offline.

For every event mention with a parsed sentence, :func:`wiredesk.geo.choose.choose_location` picks the span
that is the event's location (or none), and the gazetteer resolves it with the article's countries, the
dateline and the sentence as context. Rules a careful reader follows:

- a place named in the sentence but not where the event happened is not its location ("troops from Chad");
- a visit happens in the host's city: "visited France" is located in France's capital;
- a phone call (or video call, letter, statement by phone) has no location unless the sentence places it;
- the dateline is where the reporter is, so it helps pick among same-name places, but it is never copied
  into an event that names no place;
- when nothing in the sentence is the event's location, the location stays None: nothing is invented.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from wiredesk.geo.choose import best_location
from wiredesk.geo.features import containment
from wiredesk.geo.gazetteer import Gazetteer, get_gazetteer
from wiredesk.model import Article, EventMention, Place

#: Event triggers that mean travelling to a host (their location is the host's city).
VISIT_LEMMAS = {"visit", "tour", "travel", "arrive", "fly", "trip", "visitor", "host", "receive", "welcome"}
#: Words that make a contact remote; its parties' capitals are not its location.
_REMOTE = re.compile(r"\b(phone|phoned|telephone|telephoned|call|called|video ?conference|videolink|video link|"
                     r"by letter|virtual(ly)?|online)\b", re.I)


#: Key of ``_text``'s answer in ``Doc.user_data``.
_TEXT = "wiredesk.text"


def _text(doc: Any) -> str:
    """``doc.text``, kept on the Doc: spaCy joins it from every token at each reading, and a located mention read
    it up to six times (repair, trigger, remote contact, gazetteer context)."""
    kept = doc.user_data.get(_TEXT)
    if kept is None:
        kept = doc.user_data[_TEXT] = doc.text
    return kept


def _trigger_span(doc: Any, mention: EventMention, offset: int) -> tuple[int, int] | None:
    """Character span of the trigger inside the sentence Doc: the trigger word nearest the evidence span."""
    trigger = (mention.trigger or "").strip()
    if trigger:
        text = _text(doc)
        hits = [m.span() for m in re.finditer(r"\b" + re.escape(trigger) + r"\b", text)]
        if not hits:
            hits = [m.span() for m in re.finditer(re.escape(trigger), text, re.I)]
        if hits:
            rel = mention.start - offset
            return min(hits, key=lambda h: abs(h[0] - rel))
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    return (root.idx, root.idx + len(root.text)) if root is not None else None


def _context_countries(article: Article, mention: EventMention, gaz: Gazetteer) -> list[str]:
    """The mention's own actors' countries first, then the article's, most frequent first (ISO alpha-3)."""
    codes: list[str] = []
    for ent in list(mention.actor) + list(mention.recipient):
        if ent.code and ent.code.upper() in gaz.iso2 and ent.code.upper() not in codes:
            codes.append(ent.code.upper())
    counts = Counter(a.entity.code.upper() for a in article.actors if a.entity.code)
    for code, _ in counts.most_common():
        if code in gaz.iso2 and code not in codes:
            codes.append(code)
    return codes


def _is_remote(doc: Any, verb_span: tuple[int, int]) -> bool:
    """A phone/video call or a letter: the sentence around the trigger says the contact was remote."""
    return bool(_REMOTE.search(_text(doc)[max(verb_span[0] - 40, 0):verb_span[1] + 60]))


def _is_visit(doc: Any, verb_span: tuple[int, int]) -> bool:
    return any(t.lemma_.lower() in VISIT_LEMMAS for t in doc if verb_span[0] <= t.idx < verb_span[1])


def locate_sentence(doc: Any, verb_span: tuple[int, int], gaz: Gazetteer | None = None,
                    context_countries: list[str] | None = None, dateline: str | None = None,
                    threshold: float | None = None) -> Place | None:
    """The geocoded location of the event whose trigger is ``verb_span`` in a parsed sentence, or None."""
    gaz = gaz or get_gazetteer()
    best, ranked = best_location(doc, *verb_span, threshold=threshold)
    if best is None:
        return None
    remote = _is_remote(doc, verb_span)
    if remote and best.span.root.head.lower_ not in ("in", "at", "from"):
        return None  # "spoke by phone with the Turkish president": the parties' capitals are not the place
    text = best.text
    place = gaz.resolve(text, context_countries, dateline, context=_text(doc))
    if place is None:
        # not in the gazetteer (a district, a camp, a street): geocode the place the sentence puts it in
        # ("the Albuhrat neighborhood near Fallujah"), keeping the words as written
        cands = [c for c, _ in ranked]
        ordered = sorted(cands, key=lambda c: c.start)
        containers, _ = containment(ordered)
        for k in sorted(containers, key=lambda k: abs(ordered[k].start - best.start)):
            outer = gaz.resolve(ordered[k].text, context_countries, dateline, context=_text(doc))
            if outer is not None:
                outer.extracted_place = text
                return outer
        return Place(extracted_place=text)
    if place.precision == "country" and _is_visit(doc, verb_span):
        capital = gaz.capital(place.country)
        if capital is not None:
            capital.extracted_place = text
            return capital
    return place


def repaired_doc(doc: Any) -> Any:
    """The sentence Doc reparsed after ``repair_apostrophes`` when a possessive lost its apostrophe, else ``doc``.

    "killed in Syria s conflict" (cleaning collapses the feed's "Syria   s" to one space): spaCy reads "s" as a
    word and the parse of the phrase goes wrong, so the chooser, trained and evaluated on repaired text, would
    see a parse it never learnt from. The repair keeps every offset, so trigger spans stay valid; only the
    few damaged sentences are parsed again, and only for the location."""
    from wiredesk.geo.text import repair_apostrophes

    text = repair_apostrophes(_text(doc))
    if text == _text(doc):
        return doc
    from wiredesk.nlp import spacy_pipeline

    return spacy_pipeline()(text)


def locate_mentions(article: Article, docs: dict[int, Any], gazetteer: Gazetteer | None = None) -> None:
    """Set ``mention.location`` for every event mention of the article whose sentence was parsed.

    Mentions whose sentence has no Doc, or whose sentence names no place that is the event's location, keep
    ``location = None``."""
    gaz = gazetteer or get_gazetteer()
    dateline = (article.dateline or {}).get("place") or None
    repaired: dict[int, Any] = {}
    for mention in article.mentions:
        doc = docs.get(mention.sentence)
        if doc is None:
            continue
        if mention.sentence not in repaired:
            repaired[mention.sentence] = repaired_doc(doc)
        doc = repaired[mention.sentence]
        offset = article.sentences[mention.sentence].start if mention.sentence < len(article.sentences) else 0
        verb_span = _trigger_span(doc, mention, offset)
        if verb_span is None:
            continue
        mention.location = locate_sentence(doc, verb_span, gaz, _context_countries(article, mention, gaz), dateline)
