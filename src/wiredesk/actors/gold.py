"""Resolver-level accuracy on gold actor annotations (used by the benchmark and the tests).

Two gold sources:

* the PLOVER gold records (``PLOVER_GSR_CAMEO.dev.json``): each ``source``/``target`` entry has the actor text as
  written, its country/non-state code and (often) its sector. The resolver sees the actor text with the country
  codes found in the record's sentence as context. Quirks of the file are normalised before comparing (see
  :data:`GOLD_CODE_FIXES`); sectors that are empty or ``***`` are not scored, and sector labels with an ethnic or
  religious suffix (``REBMOS``, ``CVLalb``) are scored on their first three letters.
* the team's tricky-mentions set (``tests/data/actors/tricky.jsonl``): a sentence, the mention, the date and the
  expected code, sector and person.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from .resolver import Resolver

#: Codes in the PLOVER gold that are not ISO 3166 alpha-3 (the README calls them quirks).
GOLD_CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def _gold_sector(value: str | None) -> str | None:
    if not value or value.strip("*") == "":
        return None
    return value[:3].upper()


def plover_items(path: str | Path) -> list[dict[str, Any]]:
    """Every gold actor of the PLOVER file: role, actor text, code, sector, sentence."""
    records = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for rec in records:
        for role in ("source", "target"):
            actors = rec.get(role)
            if not isinstance(actors, list):
                continue
            for a in actors:
                text = " ".join((a.get("actorText") or "").split())
                code = (a.get("code") or "").strip()
                if not text or not code:
                    continue
                out.append({"id": rec.get("id"), "role": role, "text": text,
                            "code": GOLD_CODE_FIXES.get(code, code), "sector": _gold_sector(a.get("sector")),
                            "sentence": rec.get("text", "")})
    return out


def _find(sentence: str, actor_text: str) -> tuple[int, int] | None:
    """Where the gold actor text sits in its sentence (gold texts may elide words with '...')."""
    parts = [p.strip(" .") for p in actor_text.replace("..", "\u2026").split("\u2026") if p.strip(" .")]
    if not parts:
        return None
    at = sentence.find(parts[0])
    if at < 0:
        low = sentence.lower().find(parts[0].lower())
        if low < 0:
            return None
        at = low
    end = at + len(parts[0])
    if len(parts) > 1:
        tail = sentence.find(parts[-1], end)
        if tail >= 0:
            end = tail + len(parts[-1])
    return at, end


def evaluate_plover(resolver: Resolver, path: str | Path, mode: str = "sentence") -> dict[str, Any]:
    """Country-code and sector accuracy on the PLOVER gold actors.

    ``mode="sentence"``: the whole sentence is resolved (as the pipeline does) and each gold actor takes the
    mention that overlaps its text most; when no mention overlaps, :meth:`Resolver.resolve_name` is asked about the
    actor text. ``mode="phrase"``: only :meth:`Resolver.resolve_name` on the actor text, with the countries of
    the sentence (in order of appearance) as context. The gold dates are placeholders (2000-01-01), so the
    resolver runs undated."""
    items = plover_items(path)
    code_ok = sector_ok = sector_n = 0
    by_role: dict[str, list[int]] = {"source": [0, 0], "target": [0, 0]}
    errors = []
    resolver.resolve_name("warm-up of the lazy tables: Samarra")  # keep one-off loading out of the timing
    started = time.perf_counter()
    for it in items:
        mentions = resolver.resolve_text(it["sentence"], None, parse=False)
        context = list(dict.fromkeys(m.entity.code for m in mentions
                                     if m.entity.code in resolver.kb.countries))
        ent = None
        if mode == "sentence":
            span = _find(it["sentence"], it["text"])
            if span is not None:
                # the mention that starts the gold phrase ("Hungarian" in "Hungarian and Romanian officials")
                heads = [m for m in mentions if m.start <= span[0] < m.end and m.entity.code != "PLURAL"]
                if heads:
                    ent = heads[0].entity
                    if ent.sector is None:
                        alt = resolver.resolve_name(it["text"], None, context)
                        if alt is not None and alt.code == ent.code:
                            ent = alt
        if ent is None:
            ent = resolver.resolve_name(it["text"], None, context)
        code = ent.code if ent else None
        # the resolver writes the PLOVER ontology's UNO/EUR; the CAMEO-era gold writes IGO for both
        hit = code == it["code"] or (code in ("UNO", "EUR") and it["code"] == "IGO")
        code_ok += hit
        by_role[it["role"]][0] += hit
        by_role[it["role"]][1] += 1
        if it["sector"] is not None:
            sector_n += 1
            s_hit = bool(ent and ent.sector == it["sector"])
            sector_ok += s_hit
        else:
            s_hit = True
        if not hit or not s_hit:
            errors.append({"text": it["text"], "gold": f"{it['code']} {it['sector']}",
                           "got": f"{code} {ent.sector if ent else None}"})
    elapsed = time.perf_counter() - started
    n = len(items)
    return {"mode": mode, "n": n, "code_accuracy": code_ok / n if n else 0.0,
            "actor_code_accuracy": by_role["source"][0] / max(by_role["source"][1], 1),
            "recipient_code_accuracy": by_role["target"][0] / max(by_role["target"][1], 1),
            "n_actor": by_role["source"][1], "n_recipient": by_role["target"][1],
            "sector_n": sector_n, "sector_accuracy": sector_ok / sector_n if sector_n else 0.0,
            "seconds": elapsed, "errors": errors}


def load_tricky(path: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate_tricky(resolver: Resolver, path: str | Path) -> dict[str, Any]:
    """Accuracy on the tricky-mentions set. Each case is a short text (one or more sentences, resolved as an
    article so coreference works), the ``mention`` to check, its ``date`` and the expected ``code``,
    ``sector`` (null = any) and ``person`` (kb_id, or null when the mention is not a KB person).

    A case is right when the mention found at that text span has the expected code, sector and person. The
    mention must be found as a span that contains the given ``mention`` string (its last occurrence unless
    ``occurrence`` says otherwise)."""
    from wiredesk.model import Article, Sentence

    cases = load_tricky(path)
    right = 0
    by_kind: dict[str, list[int]] = {}
    failures = []
    mentions_total = 0
    started = time.perf_counter()
    for case in cases:
        text = case["text"]
        article = Article(id="t", text=text, published=case.get("date"))
        article.sentences = _sentences(text)
        mentions = resolver.resolve_article(article, None)
        mentions_total += len(mentions)
        occ = case.get("occurrence", -1)
        starts = [i for i in range(len(text)) if text.startswith(case["mention"], i)]
        ok = False
        got = None
        if starts:
            at = starts[occ]
            span = (at, at + len(case["mention"]))
            cover = [m for m in mentions if m.start < span[1] and span[0] < m.end]
            if cover:
                ent = cover[-1].entity if occ == -1 else cover[0].entity
                got = {"code": ent.code, "sector": ent.sector, "person": ent.kb_id if (ent.kb_id or "").startswith(
                    "person") else None, "candidates": [c.get("kb_id") or c.get("code") for c in ent.candidates]}
                ok = ent.code == case["code"] and (case.get("sector", "any") == "any" or
                                                   ent.sector == case.get("sector")) and \
                    (case.get("person", "any") == "any" or got["person"] == case.get("person"))
                if case["code"] == "PLURAL" and ok and case.get("parties"):
                    ok = sorted(c.get("kb_id") or c.get("code") for c in ent.candidates) == sorted(case["parties"])
        right += ok
        kind = case.get("kind", "other")
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += ok
        by_kind[kind][1] += 1
        if not ok:
            failures.append({"text": text, "mention": case["mention"], "want": {k: case.get(k) for k in
                                                                                   ("code", "sector", "person")},
                             "got": got})
    elapsed = time.perf_counter() - started
    return {"n": len(cases), "accuracy": right / len(cases) if cases else 0.0,
            "by_kind": {k: {"n": v[1], "accuracy": v[0] / v[1]} for k, v in sorted(by_kind.items())},
            "mentions": mentions_total, "seconds": elapsed, "failures": failures}


def _sentences(text: str):
    """A cheap sentence split for test texts (the pipeline's own segmentation is not needed here)."""
    import re

    from wiredesk.model import Sentence

    out = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"'])", text):
        out.append(Sentence(index=len(out), start=start, end=m.start(), text=text[start:m.start()]))
        start = m.end()
    out.append(Sentence(index=len(out), start=start, end=len(text), text=text[start:]))
    return out

