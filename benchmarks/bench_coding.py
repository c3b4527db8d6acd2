"""PLOVER event coding (issue 6): accuracy on the OEDA gold records and the team sentences, side by side with
baselines run in the same process, and speed per core of the candidate filter, the parse and the coder.

Baselines:
- majority class;
- first trigger: the event of the first lexicon trigger in the sentence, no frames, tense or negation (what
  the dependency frames add);
- MiniLM + logistic regression, 5-fold cross-validated on the dev records (grouped by sentence): the
  "trained classifier" approach of published PLOVER classifiers, on the data we have;
- MiniLM + logistic regression trained on the team sentences only and tested on every dev record (a learned
  model that has never seen the dev records);
- rules + cross-validated classifier fallback for sentences where the rules emit nothing.

    .venv/bin/python benchmarks/bench_coding.py [--articles 200]
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED_DATA, machine_info, versions, write_section  # noqa: E402

DEV = SHARED_DATA / "plover" / "PLOVER_GSR_CAMEO.dev.json"
TEAM = REPO / "training" / "team_sentences.tsv"
HELDOUT = REPO / "training" / "team_heldout.tsv"
ROLES_HELDOUT = REPO / "training" / "team_roles_heldout.tsv"
ACTORS_HELDOUT = REPO / "training" / "team_actors_heldout.tsv"
ACTORS_HELDOUT2 = REPO / "training" / "team_actors_heldout2.tsv"
ACTORS_HELDOUT3 = REPO / "training" / "team_actors_heldout3.tsv"
ACTORS_HELDOUT4 = REPO / "training" / "team_actors_heldout4.tsv"
ACTORS_HELDOUT5 = REPO / "training" / "team_actors_heldout5.tsv"
ACTORS_HELDOUT6 = REPO / "training" / "team_actors_heldout6.tsv"
ACTORS_HELDOUT7 = REPO / "training" / "team_actors_heldout7.tsv"
#: Eighth issue-5 round (December 2026): figures of the code at its start (commit cbbe7d0, every set measured
#: then; team_actors_heldout7 written and committed before any change): actor, recipient codes exact; actor,
#: recipient sector accuracy where the set has sectors; event accuracy, macro F1.
EIGHTH_ROUND_BEFORE = {"dev": ((0.912, 0.879, 0.790, 0.707), (0.898, 0.888)),
                       "team_actors_heldout7": ((0.708, 0.750, 0.815, 0.500), (0.833, 0.818)),
                       "team_actors_heldout6": ((0.954, 0.907, 1.000, 0.688), (0.930, 0.915)),
                       "team_actors_heldout5": ((0.909, 0.909, 0.933, 0.727), (0.932, 0.881)),
                       "team_actors_heldout4": ((0.917, 0.889, 0.941, 0.857), (0.861, 0.936)),
                       "team_actors_heldout3": ((0.889, 0.833, 0.808, 0.833), (0.917, 0.932)),
                       "team_actors_heldout2": ((0.944, 0.778, 0.889, 0.500), (0.972, 0.996)),
                       "team_actors_heldout": ((0.882, 0.882, 0.778, 0.600), (0.882, 0.910)),
                       "team_roles_heldout": ((0.917, 0.861), (0.917, 0.898)),
                       "team_heldout": ((0.896, 0.896), (0.854, 0.880)),
                       "team_sentences": ((0.981, 0.856), (1.000, 1.000))}
#: Seventh issue-5 round (December 2026): figures of the code at its start (commit 5d086d1, every set measured
#: then; team_actors_heldout6 written and committed before any change): actor, recipient codes exact; actor,
#: recipient sector accuracy where the set has sectors; event accuracy, macro F1.
SEVENTH_ROUND_BEFORE = {"dev": ((0.912, 0.861, 0.790, 0.690), (0.893, 0.885)),
                        "team_actors_heldout6": ((0.907, 0.884, 0.962, 0.688), (0.930, 0.915)),
                        "team_actors_heldout5": ((0.864, 0.909, 0.933, 0.727), (0.932, 0.881)),
                        "team_actors_heldout4": ((0.889, 0.861, 0.941, 0.857), (0.833, 0.910)),
                        "team_actors_heldout3": ((0.889, 0.833, 0.808, 0.833), (0.889, 0.908)),
                        "team_actors_heldout2": ((0.944, 0.778, 0.889, 0.500), (0.972, 0.996)),
                        "team_actors_heldout": ((0.882, 0.882, 0.778, 0.600), (0.882, 0.910)),
                        "team_roles_heldout": ((0.917, 0.861), (0.917, 0.898)),
                        "team_heldout": ((0.875, 0.896), (0.833, 0.861)),
                        "team_sentences": ((0.981, 0.856), (1.000, 1.000))}
#: Sixth issue-5 round (December 2026): figures of the code at its start (commit 32a8c1c, every set measured
#: then; team_actors_heldout5 written and committed before any change, on its corrected CONSULT labels): actor,
#: recipient codes exact; actor, recipient sector accuracy where the set has sectors; event accuracy, macro F1.
SIXTH_ROUND_BEFORE = {"dev": ((0.912, 0.856, 0.790, 0.690), (0.893, 0.885)),
                      "team_actors_heldout5": ((0.795, 0.909, 0.933, 0.727), (0.955, 0.885)),
                      "team_actors_heldout4": ((0.861, 0.833, 0.941, 0.857), (0.778, 0.822)),
                      "team_actors_heldout3": ((0.889, 0.833, 0.808, 0.833), (0.889, 0.908)),
                      "team_actors_heldout2": ((0.944, 0.778, 0.889, 0.500), (0.972, 0.996)),
                      "team_actors_heldout": ((0.882, 0.882, 0.778, 0.600), (0.882, 0.910)),
                      "team_roles_heldout": ((0.917, 0.861), (0.917, 0.898)),
                      "team_heldout": ((0.875, 0.896), (0.833, 0.861)),
                      "team_sentences": ((0.981, 0.856), (1.000, 1.000))}
#: Fifth issue-5 round (December 2026): figures of the code at its start (commit 6eb0a34, every set measured
#: then; team_actors_heldout4 written and committed before any change): actor, recipient codes exact; actor,
#: recipient sector accuracy where the set has sectors; then event accuracy and macro F1.
FIFTH_ROUND_BEFORE = {"dev": ((0.902, 0.842, 0.790, 0.672), (0.888, 0.882)),
                      "team_actors_heldout4": ((0.833, 0.694, 0.706, 0.571), (0.778, 0.822)),
                      "team_actors_heldout3": ((0.889, 0.833, 0.731, 0.833), (0.889, 0.908)),
                      "team_actors_heldout2": ((0.917, 0.778, 0.889, 0.500), (0.944, 0.969)),
                      "team_actors_heldout": ((0.882, 0.882, 0.778, 0.600), (0.882, 0.910)),
                      "team_roles_heldout": ((0.917, 0.861), (0.917, 0.898)),
                      "team_heldout": ((0.854, 0.854), (0.833, 0.861)),
                      "team_sentences": ((0.981, 0.856), (1.000, 1.000))}
#: Fourth issue-5 round (December 2026): figures of the code at its start (commit cfb4868; dev and
#: team_actors_heldout3 measured then, the other sets as the third round's benchmark left them): actor,
#: recipient codes exact; actor, recipient sector accuracy where known; then event accuracy and macro F1.
FOURTH_ROUND_BEFORE = {"dev": ((0.902, 0.837, 0.790, 0.664), (0.888, 0.882)),
                       "team_actors_heldout3": ((0.500, 0.611, 0.462, 0.833), (0.611, 0.724)),
                       "team_actors_heldout2": ((0.806, 0.694, 0.778, 0.500), (0.861, None)),
                       "team_actors_heldout": ((0.794, 0.794), (0.794, None)),
                       "team_roles_heldout": ((0.917, 0.861), (0.917, None)),
                       "team_heldout": ((0.792, 0.792), (0.771, 0.805)),
                       "team_sentences": ((0.981, 0.856), (1.000, 1.000))}
#: Third issue-5 round (December 2026): figures of the code at its start (commit ba49d53, measured then) on the
#: labels as they are now: actor, recipient codes exact; actor, recipient sector accuracy where the set has
#: sectors. team_sentences.tsv: the old code on the file with its 5 unattributed-violence lines relabelled.
THIRD_ROUND_BEFORE = {"dev": (0.888, 0.837, 0.739, 0.638), "team_actors_heldout2": (0.667, 0.639, 0.722, 0.167),
                      "team_actors_heldout": (0.794, 0.765, 0.722, 0.600), "team_roles_heldout": (0.917, 0.833),
                      "team_heldout": (0.792, 0.792), "team_sentences": (0.933, 0.846)}
#: Second issue-5 round (December 2026): figures of the code at its start (commit 5e05719) on the labels as they
#: are now (the round relabelled domestic acts with no named party to the own-country convention; see
#: docs/coding.md): actor, recipient codes exact; actor, recipient sector accuracy where the set has sectors.
SECOND_ROUND_BEFORE = {"dev": (0.856, 0.800, 0.732, 0.603), "team_actors_heldout": (0.794, 0.647, 0.722, 0.600),
                       "team_roles_heldout": (0.917, 0.833), "team_heldout": (0.792, 0.708),
                       "team_sentences": (0.981, 0.750)}
#: Figures before the issue-5 role round (commit 45d9f43, measured at its start): dev, team_heldout.tsv and
#: team_roles_heldout.tsv (written before any change) actor / recipient codes exact.
ROLE_ROUND_BEFORE = {"dev": (0.837, 0.670), "team_heldout": (0.792, 0.792), "team_roles_heldout": (0.889, 0.806),
                     "dev_sector": (0.725, 0.543)}


def _round2(name: str, before: tuple, now: dict) -> str:
    """One row of the second-round table: before -> after for codes, and sectors where the set has them."""
    cells = [f"{before[0]:.3f} -> {now['actor_country_accuracy']:.3f}",
             f"{before[1]:.3f} -> {now['recipient_country_accuracy']:.3f}"]
    for i, key in ((2, "actor"), (3, "recipient")):
        cells.append(f"{before[i]:.3f} -> {now[key + '_sector_accuracy']:.3f} (n={now[key + '_sector_n']})"
                     if len(before) > i and now[key + "_sector_n"] else "–")
    return f"| {name} | " + " | ".join(cells) + " |"


def _event_only(preds: dict[str, str | None]) -> dict[str, list[dict]]:
    return {t: ([{"event": e, "mode": [], "confidence": 1.0, "actor": set(), "recipient": set()}] if e else [])
            for t, e in preds.items()}


def _row(name: str, r: dict, roles: bool = True) -> str:
    f = r["per_event_f1"]
    cells = [name, f"{r['event_accuracy']:.3f}", f"{r['event_macro_f1']:.3f}", f"{f.get('CONSULT', 0):.3f}",
             f"{f.get('AGREE', 0):.3f}"]
    cells += ([f"{r['mode_accuracy']:.3f}", f"{r['actor_country_accuracy']:.3f}",
               f"{r['recipient_country_accuracy']:.3f}"] if roles else ["–", "–", "–"])
    return "| " + " | ".join(cells) + " |"


def classifier_baselines(golds, team, rule_preds):
    """MiniLM + logistic regression: CV on dev, trained-on-team, and the rules+fallback hybrid."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from wiredesk.eval import plover
    from wiredesk.nlp import embed

    texts = [g["text"] for g in golds]
    y = np.array([g["event"] for g in golds])
    x = embed(texts)
    groups = np.array([zlib.crc32(t.encode("utf-8")) for t in texts])  # stable across runs (hash() is salted)
    cv_pred: dict[str, str] = {}
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        clf = LogisticRegression(max_iter=2000, C=4.0).fit(x[train], y[train])
        for i, p in zip(test, clf.predict(x[test])):
            cv_pred.setdefault(texts[i], p)
    cv = plover.score(golds, _event_only(cv_pred))
    xt = embed([g["text"] for g in team])
    clf = LogisticRegression(max_iter=2000, C=4.0).fit(xt, [g["event"] for g in team])
    team_pred = dict(zip(texts, clf.predict(x)))
    on_team = plover.score(golds, _event_only(team_pred))
    hybrid_preds = {t: (p if p else [{"event": cv_pred[t], "mode": [], "confidence": 0.3, "actor": set(),
                                      "recipient": set()}]) for t, p in rule_preds.items()}
    hybrid = plover.score(golds, hybrid_preds)
    return cv, on_team, hybrid


def first_trigger_baseline(golds):
    from wiredesk.coding.lexicon import lexicon
    from wiredesk.coding.rules import find_hits
    from wiredesk.eval import plover
    from wiredesk.nlp import spacy_pipeline

    nlp, lex = spacy_pipeline(), lexicon()
    preds = {}
    for g in golds:
        hits = find_hits(nlp(g["text"]), lex)
        events = [h.trigger.event for _, h in sorted(hits.items()) if h.trigger.event != "*"]
        preds[g["text"]] = events[0] if events else None
    return plover.score(golds, _event_only(preds))


def speed(n_articles: int) -> dict:
    """Per-core speed of the filter, the parse of candidate sentences and the coder on ECB+ news articles.

    Times are CPU seconds of this process (time.process_time): the machine is shared, so wall time would
    measure the neighbours; CPU time of one single-threaded process is the per-core cost."""
    from wiredesk.actors import get_resolver
    from wiredesk.analyze import segment
    from wiredesk.coding import candidate_sentences, code_article
    from wiredesk.ingest.ecbplus import read_ecbplus
    from wiredesk.nlp import spacy_pipeline

    files = sorted((SHARED_DATA / "ecbplus").glob("*/*.xml"))[:n_articles]
    articles = []
    for f in files:
        a = read_ecbplus(f)
        a.sentences = []
        a = segment(a)
        a.published = "2010-01-01"
        articles.append(a)
    resolver = get_resolver()
    for a in articles:
        a.actors = resolver.resolve_article(a, None)
    n_sent = sum(len(a.sentences) for a in articles)
    words = sum(len(a.text.split()) for a in articles)
    t = time.process_time()
    cands = [candidate_sentences(a) for a in articles]
    t_filter = time.process_time() - t
    n_cand = sum(len(c) for c in cands)
    nlp = spacy_pipeline()
    texts = [a.sentences[i].text for a, c in zip(articles, cands) for i in c]
    t = time.process_time()
    parsed = list(nlp.pipe(texts, batch_size=128))
    t_parse = time.process_time() - t
    docs_per_article, k = [], 0
    for a, c in zip(articles, cands):
        docs_per_article.append({i: parsed[k + j] for j, i in enumerate(c)})
        k += len(c)
    t = time.process_time()
    mentions = [code_article(a, d) for a, d in zip(articles, docs_per_article)]
    t_code = time.process_time() - t
    n_mentions = sum(len(m) for m in mentions)
    kinds = Counter(m.event for ms in mentions for m in ms)
    return {"articles": len(articles), "sentences": n_sent, "words_per_article": words / len(articles),
            "candidates": n_cand, "filter_s": t_filter, "parse_s": t_parse, "code_s": t_code,
            "mentions": n_mentions, "top_events": kinds.most_common(6)}


def example_corpus() -> dict:
    """Report-level recall on the team's example corpus (examples/news/expected.jsonl): for each expected event
    and each article listed as reporting it, does the coder emit a mention of that type whose actor/recipient
    codes include the expected actors? Also: negated events (not_events.jsonl) wrongly coded."""
    import json

    from wiredesk import pipeline
    from wiredesk.actors import get_resolver
    from wiredesk.coding import code_article
    from wiredesk.ingest import iter_articles
    from wiredesk.model import Article
    from wiredesk.nlp import spacy_pipeline

    ex = REPO / "examples" / "news"
    nlp = spacy_pipeline()
    by_name: dict[str, list] = {}
    for a in iter_articles([ex]):
        if not isinstance(a, Article):
            continue
        pipeline.prepare(a)
        docs = {i: nlp(a.sentences[i].text) for i in pipeline.candidates(a)}
        a.actors = get_resolver().resolve_article(a, docs)
        a.mentions = code_article(a, docs)
        by_name.setdefault(Path(a.path).name, []).append(a)

    def found(e: dict, report: str, month_only: bool = False) -> tuple[bool, bool]:
        ms = [m for a in by_name.get(report, []) for m in a.mentions if m.event == e["event"]
              and set(e["actor"]) <= {x.code for x in m.actor} | {x.code for x in m.recipient}]
        if month_only:
            ms = [m for m in ms if (m.date or "").startswith((e.get("date") or "")[:7])]
        return bool(ms), any((m.date or "").startswith(e.get("date") or "-") for m in ms)

    expected = [json.loads(x) for x in (ex / "expected.jsonl").read_text().splitlines() if x.strip()]
    negated = [json.loads(x) for x in (ex / "not_events.jsonl").read_text().splitlines() if x.strip()]
    pairs = [found(e, r) for e in expected for r in e["reports"]]
    neg_pairs = [found(e, r, month_only=True)[0] for e in negated for r in e["reports"]]
    return {"pairs": len(pairs), "recall": sum(p for p, _ in pairs) / len(pairs),
            "dated": sum(d for _, d in pairs) / max(1, sum(p for p, _ in pairs)),
            "negated": sum(neg_pairs), "negated_pairs": len(neg_pairs)}


def whole_pipeline() -> dict:
    """Precision/recall of the canonical events of a whole `wiredesk run examples/news` against the answer key
    (`wiredesk.eval.expected.compare`), the figure `tests/test_run_examples.py` pins."""
    import subprocess
    import tempfile

    from wiredesk.eval.expected import compare, load_jsonl
    from wiredesk.store import Store

    ex = REPO / "examples" / "news"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.duckdb"
        subprocess.run([str(Path(sys.executable).with_name("wiredesk")), "run", str(ex), "--db", str(db)], check=True,
                       capture_output=True, cwd=REPO)
        with Store(str(db), read_only=True) as st:
            events = st.event_rows()
    r = compare(events, load_jsonl(ex / "expected.jsonl"), load_jsonl(ex / "not_events.jsonl"))
    return {k: r[k] for k in ("expected", "output", "matched", "precision", "recall", "f1")}


def _round4(name: str, key: str, now: dict, before: dict | None = None) -> str:
    """One row of the fourth-round (or, with ``before``, a later round's) table: codes and sectors as in the
    other rounds, then events."""
    codes, events = (before or FOURTH_ROUND_BEFORE)[key]
    row = _round2(name, codes, now)
    acc = f"{events[0]:.3f} -> {now['event_accuracy']:.3f}"
    f1 = (f"{events[1]:.3f} -> " if events[1] is not None else "") + f"{now['event_macro_f1']:.3f}"
    return f"{row} {acc} | {f1} |"


def _round_table(rows: list[tuple[str, str, dict]], before: dict | None = None) -> list[str]:
    """An issue-5 round's table: one row per (label, key of the round's start figures, this run's result)."""
    return ["| data | actor codes | recipient codes | actor sector | recipient sector | event acc. | macro F1 |",
            "|---|---|---|---|---|---|---|", *(_round4(label, key, now, before) for label, key, now in rows)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=200, help="ECB+ articles for the speed run")
    args = ap.parse_args()
    from wiredesk.eval import plover

    dev = plover.evaluate(DEV)
    team_r = plover.evaluate(TEAM)
    held = plover.evaluate(HELDOUT)
    roles_held = plover.evaluate(ROLES_HELDOUT)
    actors_held = plover.evaluate(ACTORS_HELDOUT)
    actors_held2 = plover.evaluate(ACTORS_HELDOUT2)
    actors_held3 = plover.evaluate(ACTORS_HELDOUT3)
    actors_held4 = plover.evaluate(ACTORS_HELDOUT4)
    actors_held5 = plover.evaluate(ACTORS_HELDOUT5)
    actors_held6 = plover.evaluate(ACTORS_HELDOUT6)
    actors_held7 = plover.evaluate(ACTORS_HELDOUT7)
    golds = plover.load_gold(DEV)
    team = plover.load_gold(TEAM)
    rule_preds = plover.predict(list(dict.fromkeys((g["text"], g["date"]) for g in golds)))
    majority = Counter(g["event"] for g in golds).most_common(1)[0][0]
    maj = plover.score(golds, _event_only({g["text"]: majority for g in golds}))
    first = first_trigger_baseline(golds)
    cv, on_team, hybrid = classifier_baselines(golds, team, rule_preds)
    sp = speed(args.articles)
    exr = example_corpus()
    whole = whole_pipeline()

    # rows the issue-5 round tables share (every round re-scores every earlier set, labelled as it stands now)
    dev_row = ("dev records (development)", "dev", dev)
    held3 = ("team_actors_heldout3.tsv (looked at)", "team_actors_heldout3", actors_held3)
    held4_seen = ("team_actors_heldout4.tsv (see above)", "team_actors_heldout4", actors_held4)
    older = [("team_actors_heldout2.tsv (held out)", "team_actors_heldout2", actors_held2),
             ("team_actors_heldout.tsv (held out)", "team_actors_heldout", actors_held),
             ("team_roles_heldout.tsv (held out)", "team_roles_heldout", roles_held),
             ("team_heldout.tsv (held out)", "team_heldout", held),
             ("team_sentences.tsv (development)", "team_sentences", team_r)]
    head = ("| coder | event acc. | macro F1 | CONSULT F1 | AGREE F1 | mode acc. | actor codes | recipient codes |\n"
            "|---|---|---|---|---|---|---|---|")
    per = dev["per_event_f1"]
    md = [
        "## PLOVER event coding (issue 6)",
        "",
        f"Machine: {machine_info()}. Packages: {versions('spacy', 'scikit-learn', 'onnxruntime')}.",
        "",
        f"Data: `{DEV.relative_to(SHARED_DATA.parent.parent)}` ({dev['records']} records, {dev['sentences']} "
        "sentences; v0.5 labels mapped, DOCUMENT skipped, see `wiredesk.eval.plover`) and the team's "
        f"`training/team_sentences.tsv` ({team_r['records']} sentences). Command: "
        "`.venv/bin/python benchmarks/bench_coding.py`; one figure set: `wiredesk eval plover FILE --json`.",
        "",
        "**Read this first.** The rule lexicons were written by reading the PLOVER codebook *and the dev records*, "
        "so the dev figures of the rules are development-set figures, not held-out ones. Nothing is trained on "
        "the dev records: the learned baselines below are cross-validated (5 folds, grouped by sentence) or "
        "trained on the team sentences only. The team sentences were written before the coder was run on them, "
        "but the lexicon was then extended with the words they exposed, so they too are development data now.",
        "",
        "### Dev records (OEDA PLOVER gold standard)",
        "",
        head,
        _row("**wiredesk rules** (development-set figure)", dev),
        _row("rules + MiniLM/LR fallback (5-fold CV)", hybrid),
        _row("MiniLM + logistic regression (5-fold CV)", cv, roles=False),
        _row("MiniLM + logistic regression trained on team sentences", on_team, roles=False),
        _row("first lexicon trigger, no frames", first, roles=False),
        _row(f"majority class ({majority})", maj, roles=False),
        "",
        f"Rules: any-event accuracy {dev['event_accuracy_any']:.3f}; {dev['events_per_sentence']} events per "
        f"sentence; {dev['no_event_records']} records with no event; actor/recipient code micro F1 "
        f"{dev['actor_country_f1']:.3f} / {dev['recipient_country_f1']:.3f}; mode accuracy over "
        f"{dev['mode_records']} records with a PLOVER 0.8 mode.",
        "",
        "Per-type F1 (rules): " + ", ".join(f"{k} {v:.2f}" for k, v in per.items()) + ".",
        "",
        "### Team sentences",
        "",
        "`team_sentences.tsv` is development data (see above). `team_heldout.tsv` (48 sentences, 3 per type) was "
        "written after the trigger lexicon was frozen and scored at once: it is the closest thing to a held-out "
        "figure for the rules (same authors, so still optimistic). Scored at the freeze (commit 9248807): event "
        "accuracy 0.750, macro F1 0.786. Later "
        "changes were driven by the example corpus, but their author had seen the held-out misses, so the live "
        "row below is slightly contaminated; quote the freeze figure.",
        "",
        head,
        _row("wiredesk rules, team_sentences.tsv (development)", team_r),
        _row("**wiredesk rules, team_heldout.tsv (held out)**", held),
        _row("**wiredesk rules, team_roles_heldout.tsv (held out, roles)**", roles_held),
        _row("**wiredesk rules, team_actors_heldout.tsv (held out, actors)**", actors_held),
        _row("**wiredesk rules, team_actors_heldout2.tsv (held out, actors, third round)**", actors_held2),
        _row("wiredesk rules, team_actors_heldout3.tsv (fourth round: written first, then read; see below)",
             actors_held3),
        _row("wiredesk rules, team_actors_heldout4.tsv (fifth round; two sixth-round trigger lines cover "
             "misses of it, see below)", actors_held4),
        _row("wiredesk rules, team_actors_heldout5.tsv (sixth round; its listed misses 'president-elect' and "
             "'The Hague-based' were fixed in the seventh)", actors_held5),
        _row("wiredesk rules, team_actors_heldout6.tsv (seventh round; its listed misses 'the Niger Delta', "
             "'sanctions list' and 'suspended ... from all its activities' were fixed by class in the eighth)",
             actors_held6),
        _row("**wiredesk rules, team_actors_heldout7.tsv (held out, recipients, eighth round)**", actors_held7),
        "",
        "### Role assignment (actor vs recipient)",
        "",
        "Country codes exact (the whole set of codes of a role must equal the gold set) and sector accuracy "
        "(share of gold actors with a sector that the prediction names with the same code and sector), "
        "issue-5 role round: before = commit 45d9f43, after = this run (on the team files as relabelled in the "
        "second round, below).",
        "",
        "| data | actor codes before | actor codes after | recipient codes before | recipient codes after | "
        "actor sector | recipient sector |",
        "|---|---|---|---|---|---|---|",
        f"| dev records (development) | {ROLE_ROUND_BEFORE['dev'][0]:.3f} | {dev['actor_country_accuracy']:.3f} | "
        f"{ROLE_ROUND_BEFORE['dev'][1]:.3f} | {dev['recipient_country_accuracy']:.3f} | "
        f"{ROLE_ROUND_BEFORE['dev_sector'][0]:.3f} -> {dev['actor_sector_accuracy']:.3f} "
        f"(n={dev['actor_sector_n']}) | {ROLE_ROUND_BEFORE['dev_sector'][1]:.3f} -> "
        f"{dev['recipient_sector_accuracy']:.3f} (n={dev['recipient_sector_n']}) |",
        f"| team_heldout.tsv (held out) | {ROLE_ROUND_BEFORE['team_heldout'][0]:.3f} | "
        f"{held['actor_country_accuracy']:.3f} | {ROLE_ROUND_BEFORE['team_heldout'][1]:.3f} | "
        f"{held['recipient_country_accuracy']:.3f} | – | – |",
        f"| team_roles_heldout.tsv (held out, {roles_held['records']} sentences) | "
        f"{ROLE_ROUND_BEFORE['team_roles_heldout'][0]:.3f} | {roles_held['actor_country_accuracy']:.3f} | "
        f"{ROLE_ROUND_BEFORE['team_roles_heldout'][1]:.3f} | {roles_held['recipient_country_accuracy']:.3f} | "
        "– | – |",
        "",
        "`team_roles_heldout.tsv` was written for this round before any rule changed and was never used to "
        "change the coder; `team_heldout.tsv` was not looked at either. Dev figures are on data we read. "
        "Where the remaining dev errors come from: docs/coding.md (\"Role errors left\").",
        "",
        "Second issue-5 round (December 2026): before = commit 5e05719 on the labels as they are now, after = "
        "this run. The round adopted the CAMEO-era gold / ICEWS / POLECAT convention that a protest with no named "
        "target is aimed at the protesters' own government, and a restriction, threat or concession of one state "
        "that names no other party at its own country; the team files' lines of that kind were relabelled (16 "
        "lines, noted in their headers), so the before figures here differ from the table above. "
        "`team_actors_heldout.tsv` (34 sentences) was written for this round before any change and never used to "
        "change the coder or the knowledge base.",
        "",
        "| data | actor codes | recipient codes | actor sector | recipient sector |",
        "|---|---|---|---|---|",
        _round2("dev records (development)", SECOND_ROUND_BEFORE["dev"], dev),
        _round2(f"team_actors_heldout.tsv (held out, {actors_held['records']} sentences)",
                SECOND_ROUND_BEFORE["team_actors_heldout"], actors_held),
        _round2("team_roles_heldout.tsv (held out)", SECOND_ROUND_BEFORE["team_roles_heldout"], roles_held),
        _round2("team_heldout.tsv (held out)", SECOND_ROUND_BEFORE["team_heldout"], held),
        _round2("team_sentences.tsv (development; 5 lines relabelled again in the third round)",
                SECOND_ROUND_BEFORE["team_sentences"], team_r),
        "",
        "Third issue-5 round (December 2026): before = commit ba49d53 (measured at the round's start), after = "
        "this run. The round codes violence with no named attacker as the act of an unidentified armed actor "
        "(sector UAF) of the country where it happened (PLOVER 0.8 sector table; the CAMEO-era gold does so in "
        "4 of its 5 such dev records), takes sectors of people from the knowledge base's role table (both "
        "numbers of each noun, new nouns by sector class), codes a town that suffers violence as its people "
        "with the victims' sector, and gives fallback actors the sector of their subject noun. The 5 such "
        "lines of `team_sentences.tsv` were relabelled (its header), so its before figure is the old code on "
        "the new labels (on the old labels it was 0.981 / 0.846). `team_actors_heldout2.tsv` "
        f"({actors_held2['records']} sentences) was written for this round before any change and scored before "
        "and after; `team_actors_heldout.tsv` was read once, to classify its errors (mostly trigger vocabulary: "
        "nothing was changed for them).",
        "",
        "| data | actor codes | recipient codes | actor sector | recipient sector |",
        "|---|---|---|---|---|",
        _round2("dev records (development)", THIRD_ROUND_BEFORE["dev"], dev),
        _round2(f"team_actors_heldout2.tsv (held out, {actors_held2['records']} sentences)",
                THIRD_ROUND_BEFORE["team_actors_heldout2"], actors_held2),
        _round2("team_actors_heldout.tsv (held out)", THIRD_ROUND_BEFORE["team_actors_heldout"], actors_held),
        _round2("team_roles_heldout.tsv (held out)", THIRD_ROUND_BEFORE["team_roles_heldout"], roles_held),
        _round2("team_heldout.tsv (held out)", THIRD_ROUND_BEFORE["team_heldout"], held),
        _round2("team_sentences.tsv (development, relabelled)", THIRD_ROUND_BEFORE["team_sentences"], team_r),
        "",
        "Fourth issue-5 round (December 2026): before = commit cfb4868 (dev and `team_actors_heldout3.tsv` "
        "measured at the round's start, the other sets as the third round left them), after = this run. The "
        "round places a bare state body (\"the government\", \"the interior ministry\", \"the authorities\") "
        "in the country where its sentence happens (a capital, a dateline, \"in Kenya\"), else the article's "
        "clearly leading country, at score 0.4; adds trigger lines by PLOVER class (forces moved or rushed, "
        "police sent in, relief flown or shipped, arrivals for talks, downing tools and walking off the job, "
        "'free' as 'release'); an inquiry \"into\" an act accuses its doer; and places violence with no named "
        "attacker at its target's place. `team_actors_heldout3.tsv` was written before any change and scored "
        "before it, but its misses were then read: the vocabulary lines were written by class, yet several of "
        "its words are among them, so its after figure (and those of `team_actors_heldout.tsv` / "
        "`team_actors_heldout2.tsv`, whose vocabulary misses the third round listed) is optimistic for "
        "vocabulary; the dev records use none of the new trigger forms.",
        "",
        *_round_table([dev_row, (f"team_actors_heldout3.tsv (written first, then read; {actors_held3['records']} "
                                 "sentences)", "team_actors_heldout3", actors_held3), *older]),
        "",
        "Fifth issue-5 round (December 2026): before = commit 6eb0a34 (every set measured at the round's "
        "start), after = this run. `team_actors_heldout4.tsv` was written and committed before any change "
        "(recipients: region phrases of a country name, attacks on compatriots, state bodies placed by their "
        "sentence, recipients inside purposes, recipient-bearing material events), scored before and after, and "
        "its misses read only after the round's last change. The round reads a name two states share by "
        "its date (\"Congo\" is the Democratic Republic since 1997, Brazzaville's state while Kinshasa's was "
        "Zaire), and finds recipients outside the trigger's objects: victims in a participle clause of the act "
        "(\"..., killing nine Afghan policemen\"), the doer of the act a complaint's clause tells, the one helped "
        "in a purpose (\"to help defend Saudi Arabia\", \"help Ukraine defend\"), people fleeing a country as "
        "its refugees, \"its\" in a target as the party named before it, people an act is aimed at as the "
        "actor's compatriots; a passive arrest, expulsion, sentence or legal inquiry with no agent is the act of "
        "the state of its place; a subjectless conjunct shares the first conjunct's actor; attackers named as "
        "rebels of no country are the place's rebels. The dev records carry the placeholder date 2000-01-01, so "
        "a 1980s \"Congo\" (COG in the gold) is now read as COD: one dev recipient lost by the date rule.",
        "",
        *_round_table([dev_row, (f"team_actors_heldout4.tsv (held out, {actors_held4['records']} sentences)",
                                 "team_actors_heldout4", actors_held4), held3, *older], FIFTH_ROUND_BEFORE),
        "",
        "Sixth issue-5 round (December 2026): before = commit 32a8c1c (every set measured at the round's start), "
        "after = this run. `team_actors_heldout5.tsv` (counterparts, hosts and visitors, targets of accusations, "
        "sanctions and attacks, third countries inside purposes, names that contain a place or faction word) was "
        "written and committed before any change; six of its hostless meetings and calls had been labelled "
        "actor -> recipient against the shared CONSULT convention and were relabelled before any change (first "
        "scoring on the mistaken labels: 0.682 / 0.773); its misses were not read during the round. The round "
        "lets a known person's name beat a place or party word inside it (\"Georgia Meloni\", \"Abdel Fatah "
        "el-Sisi\") and makes an unknown name holding a country or capital one person when a title, an "
        "apposition with a title, or a spaCy PERSON entity frames it (\"Vox leader Santiago Abascal\"); drops a "
        "hosted guest's destination in the host's own country from the guests; drops a withdrawal's own-country "
        "place as recipient; adds trigger lines by PLOVER class (scolding verbs, ordering an ambassador out, "
        "tightened sanctions and export controls, tariffs, supplying arms or goods, impounding and intercepting "
        "ships, handing over captives, blocking a resolution or package, exchanging fire) and the group noun "
        "'faction'; an act that is the clausal subject of a would/could opinion is no event. "
        "`team_actors_heldout4.tsv` is no longer clean for vocabulary: its 'handed over five soldiers' and "
        "'ordered the French ambassador to leave' sentences are covered by two of the new class lines (the first "
        "was listed as a miss in docs/coding.md, the second was seen when its format was read).",
        "",
        *_round_table([dev_row, (f"team_actors_heldout5.tsv (held out, {actors_held5['records']} sentences)",
                                 "team_actors_heldout5", actors_held5), held4_seen, held3, *older], SIXTH_ROUND_BEFORE),
        "",
        "Seventh issue-5 round (December 2026): before = commit 5d086d1 (every set measured at the round's start), "
        "after = this run. `team_actors_heldout6.tsv` (hosts and guests, counterparts, targets of accusations, "
        "summonses, expulsions, sanctions, requests, refusals and attacks, bare bodies placed by a dateline, "
        "president-elect, 'X-based' bodies, names holding a place word) was written and committed before any "
        "change; its misses were read only after the round's last change, but it was written for the classes "
        "the round then worked on, so it is not fully clean. The round codes a state's or organisation's "
        "'protest' as ACCUSE disapprove (PLOVER PROTEST is civilian), reads a trailing attribution the parser "
        "hangs on a noun, gives a refusal 'despite pressure by X' to X and a refused or accepted invitation to "
        "its inviter or the meeting's parties, aims an accused act with no doer at the state where it happened, "
        "lands violence on its target's place, counts people expelled or ordered out of a country as its "
        "displaced, adds MOBILIZE weapons lines and release of plural demonyms; in the resolver 'X-based' is a "
        "modifier, -elect titles are roles, bare armed bodies are placed when they head a subject, flagged ships "
        "are their country's and a country inside a sea's name is water. `team_actors_heldout5`, "
        "`team_actors_heldout4` and `team_heldout` gains are contaminated (their listed misses: 'president-elect', "
        "'The Hague-based', 'moved nuclear weapons', 'deployed an aircraft carrier').",
        "",
        *_round_table([dev_row, (f"team_actors_heldout6.tsv (held out then, {actors_held6['records']} sentences; "
                                 "looked at since)", "team_actors_heldout6", actors_held6),
                       ("team_actors_heldout5.tsv (see above)", "team_actors_heldout5", actors_held5), held4_seen,
                       held3, *older], SEVENTH_ROUND_BEFORE),
        "",
        "Eighth issue-5 round (December 2026): before = commit cbbe7d0 (every set measured at the round's start), "
        "after = this run. `team_actors_heldout7.tsv` (hosts of visits, counterparts, targets of accusations, "
        "sanctions and attacks, sub-national officials and regions, a group's positions abroad, names holding a "
        "place word) was written and committed before any change and its misses were read only after the round's "
        "last change; it was written for the classes the round then worked on (regions, sub-national offices, "
        "sanction lists), so it is not fully clean. The round reads the subject of a 'for X to do' clause as the "
        "one a request asks (and the clause as its content), a passive withdrawal with no agent as done by what is "
        "withdrawn, the far side of a border as a place, a restriction 'for' a party as applying to it, a target "
        "told by where it runs as the place of violence, a subject the parser joined to a fronted phrase, and the "
        "other side of a dispute an agreement ends; in the resolver regions (`regions.tsv`: the Niger Delta), "
        "subdivisions of two or more words and one-word subdivisions next to a sub-national office; SANCTION lines "
        "for sanction lists and suspension from a bloc, CONCEDE for restoring freedoms. `team_actors_heldout6` "
        "gains are contaminated (its listed misses).",
        "",
        *_round_table([dev_row, (f"team_actors_heldout7.tsv (held out, {actors_held7['records']} sentences)",
                                 "team_actors_heldout7", actors_held7),
                       ("team_actors_heldout6.tsv (looked at)", "team_actors_heldout6", actors_held6),
                       ("team_actors_heldout5.tsv (see above)", "team_actors_heldout5", actors_held5), held4_seen,
                       held3, *older], EIGHTH_ROUND_BEFORE),
        "",
        "Where dev sectors are still wrong (gold sector -> predicted sector of the same code; `-` the code without "
        "a sector, `no code` the code missing): actors "
        + ", ".join(f"{k} {v}" for k, v in list(dev["sector_confusion"]["actor"].items())[:8])
        + "; recipients "
        + ", ".join(f"{k} {v}" for k, v in list(dev["sector_confusion"]["recipient"].items())[:8])
        + " (`wiredesk eval plover FILE --json`: `sector_confusion`, `sector_errors`).",
        "",
        "The resolver alone finds the right country for 0.94 of gold actor and 0.96 of gold recipient mentions "
        "(`docs/benchmarks/actors.md`), so the role figures above measure the coder's role rules "
        "(`coding/roles.py`): head-first arguments (a party named inside a description of an object is not a "
        "recipient), the one asked receives a request, a threat's condition names the threatened, material acts "
        "land on their place, acts on people named without a nationality (dispersed demonstrators) take the "
        "actor's own country, a protest with no named target is aimed at the protesters' own government and a "
        "domestic restriction, threat or concession naming no party at the actor's own country (CAMEO-era "
        "gold, ICEWS, POLECAT; adopted in the second round), a place that suffers an act is its people (CVL), "
        "no actor borrowed from a venue or for an unresolved nominal subject, visits need a host. "
        "Before this round (commit deaf64c): dev actor/recipient exact 0.833 / 0.581, macro F1 0.879; "
        "team_heldout macro F1 0.805, actor/recipient 0.792 / 0.750 (not tuned on). Non-state codes: the resolver "
        "writes UNO (UN system) and EUR (EU) as the PLOVER ontology does; the CAMEO-era gold writes IGO "
        "for both, so `eval plover` compares predicted UNO/EUR as IGO.",
        "",
        f"Whole pipeline on `examples/news` (`wiredesk run`, canonical events against `expected.jsonl`): "
        f"{whole['output']} events, {whole['matched']} of {whole['expected']} expected matched, precision "
        f"{whole['precision']:.3f}, recall {whole['recall']:.3f} (before this round: 119 events, precision 0.26, "
        "recall 0.65; part of the gain is the linker's refusal to promote single-party dyadic events, made in "
        "the same round).",
        "",
        "### Example corpus (`examples/news`, team-written articles with an answer key)",
        "",
        f"Report-level recall: for {exr['pairs']} (expected event, reporting article) pairs, the coder emits a "
        f"mention of the expected type with the expected actors in {exr['recall']:.3f} of them; "
        f"{exr['dated']:.3f} of those found carry the expected date (timex tagger + coder). Negated events "
        f"(`not_events.jsonl`) coded anyway: {exr['negated']} of {exr['negated_pairs']} report pairs. The corpus "
        "was used while developing the coder (development data).",
        "",
        "### Speed (CPU seconds of one single-threaded process = per core)",
        "",
        f"ECB+ development articles: {sp['articles']} articles, {sp['sentences']} sentences, "
        f"{sp['words_per_article']:.0f} words per article; actors by the resolver's dictionary pass.",
        "",
        "| step | sentences | seconds | sentences/s | articles/s |",
        "|---|---|---|---|---|",
        f"| candidate filter (all sentences) | {sp['sentences']} | {sp['filter_s']:.3f} | "
        f"{sp['sentences'] / sp['filter_s']:.0f} | {sp['articles'] / sp['filter_s']:.0f} |",
        f"| spaCy parse of candidates | {sp['candidates']} | {sp['parse_s']:.2f} | "
        f"{sp['candidates'] / sp['parse_s']:.0f} | {sp['articles'] / sp['parse_s']:.1f} |",
        f"| coder on parsed candidates | {sp['candidates']} | {sp['code_s']:.2f} | "
        f"{sp['candidates'] / sp['code_s']:.0f} | {sp['articles'] / sp['code_s']:.1f} |",
        f"| `code_sentence` end to end (actors + parse + coder), dev records | {dev['sentences']} | "
        f"{dev['cpu_seconds']:.2f} | {dev['sentences_per_cpu_second']:.0f} | – |",
        "",
        f"The filter keeps {sp['candidates']} of {sp['sentences']} sentences "
        f"({100 * sp['candidates'] / sp['sentences']:.0f}%); the coder emitted {sp['mentions']} mentions "
        f"(most frequent: {', '.join(f'{k} {v}' for k, v in sp['top_events'])}).",
    ]
    md += factuality_table()
    write_section("coding", "\n".join(md))


def factuality_table() -> list[str]:
    """Fact / not-fact accuracy on the team's factuality sentences (``wiredesk.eval.factuality``)."""
    from wiredesk.eval.factuality import ROOT, score

    out = ["", "### Factuality (does a record claim that its event happened?)", "",
           "Team sentences (negation, plans, conditionals, modals, reported promises, past controls), coded end to "
           "end; `team_factuality.tsv` was written before the rules and never tuned on, `team_factuality_heldout2"
           ".tsv` after them and scored once, `team_factuality_dev.tsv` is what the rules were written against "
           "(docs/coding.md, Factuality). Command: `python -m wiredesk.eval.factuality FILE`.", "",
           "| file | sentences | fact / not-fact | exact class | dates of factual records |", "|---|---|---|---|---|"]
    for name in ("team_factuality.tsv", "team_factuality_heldout2.tsv", "team_factuality_dev.tsv"):
        r = score(ROOT / "training" / name)
        dates = f"{r['date_correct']}/{r['dated']}" if r["dated"] else "–"
        out.append(f"| {name} | {r['rows']} | {r['correct']}/{r['rows']} = {r['accuracy']:.3f} | "
                   f"{r['class_correct']}/{r['rows']} | {dates} |")
    return out


if __name__ == "__main__":
    main()
