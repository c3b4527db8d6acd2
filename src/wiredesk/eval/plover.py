"""Score the PLOVER event coder on the OEDA PLOVER gold-standard records (``PLOVER_GSR_CAMEO.dev.json``).

Each gold record is one sentence with one gold event (a few sentences carry two records). The coder runs on the
sentence alone (:func:`wiredesk.coding.code_sentence`, with the record's placeholder date as publication date).

Label mapping (the records use PLOVER v0.5 labels, the coder PLOVER 0.8): DEMAND -> REQUEST, DISAPPROVE ->
ACCUSE (mode disapprove), INVESTIGATE -> ACCUSE (mode investigate), FIGHT -> ASSAULT; DOCUMENT records are
skipped. v0.5 modes are mapped to 0.8 names where the codebook has one (``MODE_MAP``); records whose mode has no
0.8 equivalent are left out of mode accuracy. v0.5 coded a hosted visit with the host as source (CAMEO 043);
PLOVER 0.8 puts the visitor in ``actor``, so gold ``host`` records are scored with source and target swapped.

Scoring:
- ``event_accuracy`` / ``event_macro_f1`` (headline, strict): a sentence with k gold records is compared with
  the coder's k most confident events; gold and predicted types are paired by type first, the rest in order.
  A sentence where the coder emits nothing counts as the prediction NONE.
- ``event_accuracy_any``: the gold type is among *all* events emitted for the sentence (lenient; shown so
  the effect of emitting several events per sentence is visible).
- ``mode_accuracy``: records with a mappable gold mode whose paired prediction has the gold event and mode.
- ``actor_country_accuracy`` / ``recipient_country_accuracy``: the set of country/non-state codes of the
  paired prediction equals the gold set (every record; an empty gold set must be predicted empty);
  ``*_country_f1`` are micro F1 over codes. Quirky gold codes are normalised (JAP -> JPN, ITL -> ITA,
  VTN -> VNM). The resolver follows the PLOVER ontology's non-state codes (UNO for the UN system, EUR for the
  EU and its institutions, IGO for other organisations); the CAMEO-era gold (and the team sentences written to
  match it) code all of them IGO, so predicted UNO and EUR are compared as IGO (``GOLD_ERA_CODES``).
- ``actor_sector_accuracy`` / ``recipient_sector_accuracy`` (issue 5 asks for country and sector separately):
  over the gold actors that carry a sector (empty and ``***`` are not scored; ``REBMOS``, ``CVLalb`` are scored
  on their first three letters, as in :mod:`wiredesk.actors.gold`), the share the paired prediction names with
  the same code *and* sector. ``*_sector_n`` is how many gold actors were scored.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

LABEL_MAP = {"DEMAND": ("REQUEST", None), "DISAPPROVE": ("ACCUSE", "disapprove"),
             "INVESTIGATE": ("ACCUSE", "investigate"), "FIGHT": ("ASSAULT", None)}
MODE_MAP = {
    "demo-org": "demo", "demo-spon": "demo", "riot-spon": "riot", "strike-hun": "hunger", "strike-gen": "strike",
    "host": "visit", "confiscate": "seize", "ban": "restrict", "detain": "arrest", "assassinate": "targeted",
    "curfew": "curfew", "martial-law": "martial-law",
}
THREATEN_MODE_MAP = {"curfew": "restrict", "martial-law": "restrict", "political": "restrict"}
#: Modes of the 0.8 codebook, per event: a gold mode outside these (after mapping) is not scored.
MODES_08 = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"}, "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms", "explosives",
                "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control", "unconventional"},
}
CODE_QUIRKS = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
#: Predicted codes the CAMEO-era gold does not have, mapped to the gold's code for comparison.
GOLD_ERA_CODES = {"UNO": "IGO", "EUR": "IGO"}


def gold_era(code: str) -> str:
    """A predicted code as the CAMEO-era gold records would write it (UNO, EUR -> IGO)."""
    return GOLD_ERA_CODES.get(code, code)


def _codes(value: Any) -> set[str]:
    if not isinstance(value, list):
        return set()
    out = set()
    for ent in value:
        code = (ent.get("code") or "").strip().upper() if isinstance(ent, dict) else ""
        if code:
            out.add(CODE_QUIRKS.get(code, code))
    return out


def _sectors(value: Any) -> set[tuple[str, str]]:
    """(code, sector) of the gold actors that carry a scoreable sector."""
    if not isinstance(value, list):
        return set()
    out = set()
    for ent in value:
        if not isinstance(ent, dict):
            continue
        code = (ent.get("code") or "").strip().upper()
        sector = (ent.get("sector") or "").strip()
        if code and sector.strip("*"):
            out.add((CODE_QUIRKS.get(code, code), sector[:3].upper()))
    return out


def _read_team_tsv(path: Path) -> list[dict[str, Any]]:
    """The team's labelled sentences (training/team_sentences.tsv) as OEDA-style records. A code may be
    written with its sector, ``CODE:SECTOR``."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        event, mode, actor, recipient, text = line.split("\t")[:5]
        # a code may carry its sector ("RUS:GOV"); the sector is then scored like the OEDA records' sectors
        codes = lambda v: [dict(zip(("code", "sector"), c.split(":", 1))) for c in v.split(",")  # noqa: E731
                           if c not in ("", "-")]
        out.append({"id": f"team-{n}", "event": event, "mode": "" if mode == "-" else mode, "text": text,
                    "source": codes(actor), "target": codes(recipient), "date": TEAM_DATE})
    return out


#: Publication date the team sentences are read against (their header says so).
TEAM_DATE = "2023-06-01"


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold records mapped to PLOVER 0.8: text, event, mode (or None), actor and recipient code sets.

    Reads the OEDA JSON list, or the team's TSV of labelled sentences (``training/team_sentences.tsv``)."""
    path = Path(path)
    raw = _read_team_tsv(path) if path.suffix == ".tsv" else json.loads(path.read_text(encoding="utf-8"))
    out = []
    for rec in raw:
        event = rec.get("event")
        if not event or event == "DOCUMENT" or not rec.get("text"):
            continue
        event, forced_mode = LABEL_MAP.get(event, (event, None))
        mode = (rec.get("mode") or "").strip() or None
        if mode:
            mode = (THREATEN_MODE_MAP.get(mode, mode) if event == "THREATEN" else MODE_MAP.get(mode, mode))
        mode = forced_mode or mode
        if mode and mode not in MODES_08.get(event, set()):
            mode = None
        actor, recipient = _codes(rec.get("source")), _codes(rec.get("target"))
        actor_sec, recipient_sec = _sectors(rec.get("source")), _sectors(rec.get("target"))
        if (rec.get("mode") or "").strip() == "host":
            actor, recipient = recipient, actor
            actor_sec, recipient_sec = recipient_sec, actor_sec
        out.append({"id": rec.get("id"), "text": rec["text"].strip().strip("{}"), "date": rec.get("date"),
                    "event": event, "mode": mode, "actor": actor, "recipient": recipient,
                    "actor_sectors": actor_sec, "recipient_sectors": recipient_sec})
    return out


def _pair(golds: list[dict], preds: list[dict]) -> list[dict | None]:
    """Pair gold records of one sentence with its top-k predictions, same type first."""
    top = sorted(preds, key=lambda p: -p["confidence"])[: len(golds)]
    paired: list[dict | None] = [None] * len(golds)
    used: set[int] = set()
    for gi, g in enumerate(golds):
        for pi, p in enumerate(top):
            if pi not in used and p["event"] == g["event"]:
                paired[gi] = p
                used.add(pi)
                break
    rest = [p for pi, p in enumerate(top) if pi not in used]
    for gi in range(len(golds)):
        if paired[gi] is None and rest:
            paired[gi] = rest.pop(0)
    return paired


def _f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def score(golds: list[dict], predictions: dict[str, list[dict]]) -> dict[str, Any]:
    """Figures for gold records against predictions keyed by sentence text (dicts: event, mode, confidence,
    actor, recipient code sets)."""
    by_text: dict[str, list[dict]] = defaultdict(list)
    for g in golds:
        by_text[g["text"]].append(g)
    pairs: list[tuple[dict, dict | None]] = []
    any_hits = 0
    for text, group in by_text.items():
        preds = predictions.get(text, [])
        for g, p in zip(group, _pair(group, preds)):
            pairs.append((g, p))
        kinds = Counter(p["event"] for p in preds)
        for g in group:
            if kinds[g["event"]] > 0:
                any_hits += 1
                kinds[g["event"]] -= 1
    n = len(pairs)
    labels = sorted({g["event"] for g, _ in pairs} | {p["event"] for _, p in pairs if p})
    per: dict[str, float] = {}
    support = Counter(g["event"] for g, _ in pairs)
    confusion: dict[str, Counter] = defaultdict(Counter)
    for g, p in pairs:
        confusion[g["event"]][p["event"] if p else "NONE"] += 1
    for lab in labels:
        tp = sum(1 for g, p in pairs if g["event"] == lab and p and p["event"] == lab)
        fp = sum(1 for g, p in pairs if g["event"] != lab and p and p["event"] == lab)
        fn = sum(1 for g, p in pairs if g["event"] == lab and not (p and p["event"] == lab))
        per[lab] = round(_f1(tp, fp, fn), 4)
    gold_labels = [lab for lab in labels if support[lab] > 0]
    correct = sum(1 for g, p in pairs if p and p["event"] == g["event"])
    mode_pairs = [(g, p) for g, p in pairs if g["mode"]]
    mode_ok = sum(1 for g, p in mode_pairs if p and p["event"] == g["event"] and g["mode"] in p["mode"])

    def role(name: str) -> tuple[float, float]:
        exact = tp = fp = fn = 0
        for g, p in pairs:
            pred = p[name] if p else set()
            exact += pred == g[name]
            tp += len(pred & g[name])
            fp += len(pred - g[name])
            fn += len(g[name] - pred)
        return exact / n if n else 0.0, _f1(tp, fp, fn)

    def sector(name: str) -> tuple[float, int]:
        hit = total = 0
        for g, p in pairs:
            gold = g.get(f"{name}_sectors") or set()
            pred = (p.get(f"{name}_sectors") or set()) if p else set()
            total += len(gold)
            hit += len(gold & pred)
        return (hit / total if total else 0.0), total

    def sector_confusion(name: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
        """Gold sector -> predicted sector of the same code ("-" none predicted for it, "no code" the code is
        missing): where role nouns map to the wrong sector; and each miss with its sentence."""
        counts: Counter = Counter()
        misses: list[dict[str, Any]] = []
        for g, p in pairs:
            pred = (p.get(f"{name}_sectors") or set()) if p else set()
            codes = (p.get(name) or set()) if p else set()
            for code, sec in sorted(g.get(f"{name}_sectors") or set()):
                if (code, sec) in pred:
                    continue
                got = sorted(s for c, s in pred if c == code) or (["-"] if code in codes else ["no code"])
                counts[f"{sec}->{'/'.join(got)}"] += 1
                misses.append({"id": g.get("id"), "code": code, "sector": sec, "predicted": got, "text": g.get("text")})
        return dict(counts.most_common()), misses

    actor_conf, actor_miss = sector_confusion("actor")
    recip_conf, recip_miss = sector_confusion("recipient")
    actor_acc, actor_f1 = role("actor")
    recip_acc, recip_f1 = role("recipient")
    actor_sec, actor_sec_n = sector("actor")
    recip_sec, recip_sec_n = sector("recipient")
    return {
        "records": n,
        "sentences": len(by_text),
        "event_accuracy": round(correct / n, 4) if n else 0.0,
        "event_macro_f1": round(sum(per[lab] for lab in gold_labels) / len(gold_labels), 4) if gold_labels else 0.0,
        "per_event_f1": {lab: per[lab] for lab in gold_labels},
        "per_event_support": {lab: support[lab] for lab in gold_labels},
        "event_accuracy_any": round(any_hits / n, 4) if n else 0.0,
        "no_event_records": sum(1 for _, p in pairs if p is None),
        "events_per_sentence": round(sum(len(predictions.get(t, [])) for t in by_text) / max(1, len(by_text)), 3),
        "mode_accuracy": round(mode_ok / len(mode_pairs), 4) if mode_pairs else 0.0,
        "mode_records": len(mode_pairs),
        "actor_country_accuracy": round(actor_acc, 4),
        "recipient_country_accuracy": round(recip_acc, 4),
        "actor_country_f1": round(actor_f1, 4),
        "recipient_country_f1": round(recip_f1, 4),
        "actor_sector_accuracy": round(actor_sec, 4),
        "recipient_sector_accuracy": round(recip_sec, 4),
        "actor_sector_n": actor_sec_n,
        "recipient_sector_n": recip_sec_n,
        "sector_confusion": {"actor": actor_conf, "recipient": recip_conf},
        "sector_errors": {"actor": actor_miss, "recipient": recip_miss},
        "confusion": {k: dict(v) for k, v in sorted(confusion.items())},
        # every record whose actor or recipient codes are wrong, for reading the causes (docs/coding.md)
        "role_errors": [{"id": g.get("id"), "text": g["text"], "event": g["event"],
                         "predicted_event": p["event"] if p else None,
                         "actor": sorted(g["actor"]), "predicted_actor": sorted(p["actor"]) if p else [],
                         "recipient": sorted(g["recipient"]),
                         "predicted_recipient": sorted(p["recipient"]) if p else []}
                        for g, p in pairs
                        if (p["actor"] if p else set()) != g["actor"]
                        or (p["recipient"] if p else set()) != g["recipient"]],
    }


def predict(texts: list[tuple[str, str | None]]) -> dict[str, list[dict]]:
    """Run the coder on each (sentence, date) and keep what the scorer compares."""
    from wiredesk.coding import code_sentence

    out: dict[str, list[dict]] = {}
    for text, date in texts:
        mentions = code_sentence(text, date)
        out[text] = [{"event": m.event, "mode": list(m.mode), "confidence": m.confidence,
                      "actor": {gold_era(e.code) for e in m.actor},
                      "recipient": {gold_era(e.code) for e in m.recipient},
                      "actor_sectors": {(gold_era(e.code), e.sector) for e in m.actor if e.sector},
                      "recipient_sectors": {(gold_era(e.code), e.sector) for e in m.recipient if e.sector}}
                     for m in mentions]
    return out


def evaluate(path: str | Path, **options: Any) -> dict[str, Any]:
    """Score the coder on a PLOVER gold file. Options: ``limit`` (first N sentences, for quick runs)."""
    golds = load_gold(path)
    texts = list(dict.fromkeys((g["text"], g["date"]) for g in golds))
    if options.get("limit"):
        texts = texts[: int(options["limit"])]
        keep = {t for t, _ in texts}
        golds = [g for g in golds if g["text"] in keep]
    from wiredesk.coding import code_sentence

    code_sentence("Warm-up: France and Germany agreed to meet.", "2000-01-01")  # load models outside the clock
    t0, c0 = time.perf_counter(), time.process_time()
    preds = predict(texts)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    result = score(golds, preds)
    result["path"] = str(path)
    result["seconds"] = round(seconds, 3)
    result["sentences_per_second"] = round(len(texts) / seconds, 1) if seconds else 0.0
    result["cpu_seconds"] = round(cpu, 3)
    result["sentences_per_cpu_second"] = round(len(texts) / cpu, 1) if cpu else 0.0
    result["coder"] = "rules (wiredesk.coding lexicons + dependency frames); actors from wiredesk.actors"
    return result


def render(result: dict[str, Any]) -> str:
    """A plain-text report of :func:`evaluate`'s result."""
    lines = [
        f"PLOVER gold records: {result['records']} records, {result['sentences']} sentences ({result.get('path', '')})",
        f"event accuracy (strict)     {result['event_accuracy']:.3f}",
        f"event macro F1              {result['event_macro_f1']:.3f}",
        f"event accuracy (any event)  {result['event_accuracy_any']:.3f}",
        f"mode accuracy               {result['mode_accuracy']:.3f}  "
        f"({result['mode_records']} records with a 0.8 mode)",
        f"actor codes exact / F1      {result['actor_country_accuracy']:.3f} / {result['actor_country_f1']:.3f}",
        f"recipient codes exact / F1  {result['recipient_country_accuracy']:.3f} / "
        f"{result['recipient_country_f1']:.3f}",
        f"actor sectors               {result.get('actor_sector_accuracy', 0):.3f}  "
        f"({result.get('actor_sector_n', 0)} gold actors with a sector)",
        f"recipient sectors           {result.get('recipient_sector_accuracy', 0):.3f}  "
        f"({result.get('recipient_sector_n', 0)} gold recipients with a sector)",
        f"no event emitted            {result['no_event_records']} records; "
        f"{result['events_per_sentence']} events per sentence",
        "",
        f"{'event':10} {'F1':>6} {'gold':>5}",
    ]
    for lab, f1 in result["per_event_f1"].items():
        lines.append(f"{lab:10} {f1:6.3f} {result['per_event_support'][lab]:5d}")
    if "cv" in result:
        cv = result["cv"]
        lines += ["", f"cross-validated ({cv.get('folds')} folds): accuracy {cv['event_accuracy']:.3f}, "
                      f"macro F1 {cv['event_macro_f1']:.3f}"]
    if "seconds" in result:
        lines.append(f"\n{result['sentences_per_second']} sentences/s ({result['seconds']} s)")
    return "\n".join(lines)
