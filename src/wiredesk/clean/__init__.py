"""Cleaning: from the text as it arrived to the text every later stage reads.

``clean_article`` removes boilerplate lines with a reason for each, repairs Unicode and mojibake, normalises
quotes and whitespace, detects and repairs letter-sequence damage, detects the language and flags quality, and
keeps an offset map from the clean text back into the raw text. A clean article comes through untouched:
its text is :func:`normalise_text` of its raw text, with no removals and no repairs.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from wiredesk.clean.boilerplate import find_boilerplate, repeated_dateline
from wiredesk.clean.damage import detect, repair_offsets, repair_text
from wiredesk.clean.normalise import normalise_line
from wiredesk.clean.textmap import TextBuilder, compose
from wiredesk.ingest.header import parse_dateline, parse_header
from wiredesk.model import Article, IngestError, Removal
from wiredesk.settings import CLEAN, DAMAGE, CleanSettings, DamageSettings

__all__ = ["clean_article", "inspect_paths", "normalise_text", "detect_language"]

log = logging.getLogger(__name__)
_LINE = re.compile(r"[^\n]*\n?")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for raw in text.splitlines(keepends=True):
        yield pos, raw.rstrip("\r\n")
        pos += len(raw)


def _build(raw: str, reasons: dict[int, str] | None = None, first_dateline: dict | None = None,
           ) -> tuple[str, list[list[int]], list[Removal], bool]:
    """Normalised text of ``raw`` without the lines in ``reasons``: (text, offset map, removals, ftfy used)."""
    builder = TextBuilder()
    removed: list[Removal] = []
    reasons = reasons or {}
    pending_gap = ""  # joiner owed before the next kept line
    gap_at = 0
    fixed_any = False
    seen_dateline = False
    for start, line in _lines(raw):
        stripped = line.strip()
        if not stripped:
            if builder.length:
                pending_gap = "\n\n"
            continue
        reason = reasons.get(start)
        if reason:
            removed.append(Removal(stripped, reason, start, start + len(line)))
            continue
        offset = 0
        if first_dateline is not None:
            if seen_dateline:
                offset = repeated_dateline(line.lstrip(), first_dateline)
                if offset:
                    lead = len(line) - len(line.lstrip())
                    removed.append(Removal(line[lead:lead + offset].strip(), "dateline-repeat", start + lead,
                                           start + lead + offset))
                    offset += lead
            elif parse_dateline(stripped):
                seen_dateline = True
        if builder.length:
            builder.add(pending_gap or "\n", gap_at, gap_at + 1)
        pending_gap = ""
        fixed_any |= normalise_line(line[offset:], start + offset, builder.add)
        gap_at = start + len(line)
    return builder.text, builder.offset_map(), removed, fixed_any


def normalise_text(raw: str) -> str:
    """What cleaning does to an article that needs nothing removed or repaired: Unicode/mojibake fixed, quotes
    straightened, whitespace runs collapsed, line ends stripped, blank-line runs made one blank line."""
    return _build(raw)[0]


@functools.cache
def _language_identifier() -> Any:
    """py3langid's model with normalised probabilities (its plain ``classify`` gives log-probabilities).

    ``from_model_file``: py3langid 0.3+ has no ``from_pickled_model``; until 2026-12-03 the AttributeError sent every
    call to the plain classifier with a probability of 1.0, so ``language_min_prob`` never applied (a list of names
    that langid reads as Javanese, 0.19 sure, was flagged non-English)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    except (AttributeError, TypeError, ValueError) as exc:  # another py3langid API: said once, then fall back
        # OSError is not caught: a full disk or a file-size limit while the model is unpacked must fail the stage,
        # so the run stops clearly (engine.runner) and nothing unlike a model is cached for the process
        log.warning("py3langid's model could not be loaded with probabilities (%s); language is taken without them",
                    exc)
        return None


def detect_language(text: str, settings: CleanSettings = CLEAN) -> tuple[str, float]:
    """ISO 639-1 language code and probability (py3langid); short texts are taken as English."""
    if len(text) < settings.language_min_chars:
        return "en", 0.0
    import py3langid

    identifier = _language_identifier()
    if identifier is None:  # an unreadable model: the plain classifier's answer, without a probability
        lang, prob = py3langid.classify(text[:1200])
        return lang, 1.0
    lang, prob = identifier.classify(text[:1200])
    return lang, float(prob)


def clean_article(article: Article, settings: CleanSettings = CLEAN, damage: DamageSettings = DAMAGE,
                  memo: dict | None = None) -> Article:
    """Fill ``text``, ``removed``, ``repairs``, ``damage``, ``offset_map``, ``language`` and ``quality``.

    ``memo``: a dict kept by the caller over one batch (``pipeline.process_batch``). What is worked out from the
    text once boilerplate is gone (damage detection and repair, language) is kept there under that text and
    settings, so a wire copy under another outlet's header does not detect again: those steps read the text alone,
    so the result is the one they would give (damage detection was ~3 of the ~7 ms of this stage)."""
    raw = article.raw_text or ""
    header = parse_header(raw)
    reasons = find_boilerplate(raw, header)
    # The opening dateline is found on the first kept body line; later copies of it are removed.
    text, offset_map, removed, fixed = _build(raw, reasons, first_dateline=_opening_dateline(raw, reasons))
    quality: list[str] = [q for q in article.quality if q not in ("damaged", "repaired", "non-english", "short",
                                                                  "mojibake-fixed", "empty")]
    if fixed:
        quality.append("mojibake-fixed")
    key = (text, settings, damage)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _text_analysis(text, settings, damage)
        if memo is not None:
            memo[key] = found
    report, text_repaired, kept_repairs, (lang, prob) = found
    repairs = []
    if report:
        quality.append("damaged")
        repairs = [dataclasses.replace(r) for r in kept_repairs]  # each article owns its records
        if repairs:
            quality.append("repaired")
            offset_map = compose(offset_map, repair_offsets(repairs), len(text_repaired))
            text = text_repaired
        article.damage = {**report.as_dict(), "repaired": len(repairs)}
        article.damage["sequences"] = list(report.sequences)  # not the kept report's own list
        if article.title:  # the headline lost the same letters; its repairs are not recorded (not in text)
            article.meta.setdefault("title_as_scraped", article.title)
            article.title = repair_text(article.title, report.sequences, damage, report.rivals)[0]
    else:
        article.damage = {}
    if lang != "en" and prob >= settings.language_min_prob:
        article.language = lang
        quality.append("non-english")
    else:
        article.language = "en"
    if not text.strip():
        quality.append("empty")
    elif len(text) < settings.short_chars:
        quality.append("short")
    article.text = text
    article.removed = removed
    article.repairs = repairs
    article.offset_map = offset_map
    article.quality = quality
    if article.title is None and header.title:
        article.title = header.title
    return article


def _text_analysis(text: str, settings: CleanSettings, damage: DamageSettings) -> tuple:
    """What ``clean_article`` works out from the text alone: (damage report or None, repaired text, repairs,
    (language, probability) of the text as it comes out)."""
    report = detect(text, damage)
    text_repaired, repairs = text, []
    if report:
        text_repaired, repairs = repair_text(text, report.sequences, damage, report.rivals)
    return report, text_repaired, repairs, detect_language(text_repaired if repairs else text, settings)


def _opening_dateline(raw: str, reasons: dict[int, str]) -> dict | None:
    for start, line in _lines(raw):
        if line.strip() and start not in reasons:
            found = parse_dateline(line.strip())
            if found:
                return found
    return None


def inspect_paths(paths: Iterable[str | Path], options: Any = None) -> Iterator[dict]:
    """Per article, what ingestion and cleaning made of it (``wiredesk clean PATH... --format jsonl``).

    Nothing is stored. Each IngestError becomes one dict with ``path`` and ``errors``.
    """
    from wiredesk.ingest import iter_articles
    from wiredesk.ingest.pubdate import assign_publication_date

    for item in iter_articles(paths, options):
        if isinstance(item, IngestError):
            yield {"id": None, "path": item.path, "title": None, "text": None, "removed": [], "repairs": [],
                   "damage": {}, "published": None, "published_basis": None, "published_confidence": 0.0,
                   "published_candidates": [], "dateline": None, "quality": [], "url": None, "publication": None,
                   "language": None, "errors": [item.reason], "error": item.reason}
            continue
        article = assign_publication_date(clean_article(item))
        yield {
            "id": article.id,
            "path": article.path,
            "url": article.url,
            "title": article.title,
            "publication": article.publication,
            "text": article.text,
            "removed": [r.to_dict() for r in article.removed],
            "repairs": [r.to_dict() for r in article.repairs],
            "damage": article.damage,
            "published": article.published,
            "published_basis": article.published_basis,
            "published_confidence": article.published_confidence,
            "published_candidates": [c.to_dict() for c in article.published_candidates],
            "dateline": article.dateline,
            "language": article.language,
            "quality": article.quality,
            "errors": list(article.errors),
        }
