"""Story vectors judged on story ground truth: which cheaper vector keeps the stories ``assign_stories`` builds.

For each way of making the story vector (MiniLM of title + lead as the pipeline does now, the same text cut to
fewer wordpieces, the title alone, a hashed bag of words) it reports, side by side in one run:

* the CPU ms per vector (distinct texts, one call each, as the pipeline embeds them);
* **synthetic**: the stored articles and mentions of a completed ``bench_scale.py`` run (default the 1k corpus,
  seed 1000) are linked again with the vectors replaced (``link.link`` from scratch, no earlier stories), and the
  stories are scored with B-cubed against the generator's events (``wiredesk.eval.stories``), beside the events
  against the generator's truth (stories feed event clustering, so a vector can move events);
* **ECB+**: every article of topics 1-35 (no dates: each article is compared with every story, a harder setting)
  goes through ``assign_stories`` alone; B-cubed against the sub-topics, train and dev topics apart. The "title"
  of an ECB+ article is its first line (often, not always, a headline).

Each vector is scored at the story threshold in use and at its own threshold, chosen on ECB+ train topics alone
(a bag of words has other cosines than MiniLM). The difference to the vector before the cut (first row) at the
threshold in use comes with a 95% interval from resampling true stories (``bootstrap_difference``): a cut is within
noise when the interval holds 0. Events against the generator's truth are given beside the stories because stories
feed event clustering (a mention without codes is keyed on its story).

    .venv/bin/python benchmarks/story_eval.py [--store /tmp/.../local-1000/store.duckdb --corpus .../corpus-1000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED_DATA, machine_info  # noqa: E402

sys.path.insert(0, str(REPO / "src"))


def minilm(max_tokens: int | None = None, title_only: bool = False):
    """A vector maker: the pipeline's int8 MiniLM over title + lead (or the title alone), cut to ``max_tokens``
    wordpieces (the model's own [CLS] and [SEP] included; default the pipeline's ``nlp.STORY_VECTOR_TOKENS``)."""
    from wiredesk import link, nlp

    embedder = nlp.SentenceEmbedder(nlp.minilm_dynamic_int8(), max_tokens=max_tokens or nlp.STORY_VECTOR_TOKENS)

    def make(article) -> list[float]:
        text = (article.title or "").strip() if title_only else link.article_text_for_vector(article)
        return [round(float(x), 5) for x in embedder([text or " "])[0]]

    return make


def hashed(n_features: int = 384):
    """A vector maker without a model: signed hashing of title + lead words and word pairs, sublinear counts,
    L2-normalised (no IDF: the per-article phase sees no corpus)."""
    import numpy as np
    from sklearn.feature_extraction.text import HashingVectorizer

    from wiredesk import link

    vectoriser = HashingVectorizer(n_features=n_features, stop_words="english", ngram_range=(1, 2),
                                   alternate_sign=True, norm=None)

    def make(article) -> list[float]:
        row = vectoriser.transform([link.article_text_for_vector(article)]).toarray()[0]
        row = np.sign(row) * np.log1p(np.abs(row))
        return [round(float(x), 5) for x in row / (np.linalg.norm(row) or 1.0)]

    return make


VARIANTS = {
    "MiniLM title+lead, 128 wordpieces (before the cut)": lambda: minilm(128),
    "MiniLM title+lead, 64 wordpieces (taken)": lambda: minilm(64),
    "MiniLM title+lead, 48 wordpieces": lambda: minilm(48),
    "MiniLM title+lead, 32 wordpieces": lambda: minilm(32),
    "MiniLM title only": lambda: minilm(title_only=True),
    "hashed words+pairs, 384 dims": lambda: hashed(384),
}
BASE = next(iter(VARIANTS))


def synthetic_inputs(store_path: str):
    from wiredesk.store import Store

    with Store(store_path, read_only=True) as store:
        articles, mentions, _ = store.link_inputs()
        texts = {r[0]: SimpleNamespace(title=r[1], text=json.loads(r[2]).get("text") or "", raw_text="")
                 for r in store.con.execute("SELECT id, title, record FROM articles").fetchall()}
    return articles, mentions, texts


def ecbplus_inputs():
    from wiredesk.eval.ecbplus import load, split_of

    docs, _ = load(SHARED_DATA / "ecbplus")
    return [(d.name, split_of(d.topic), d.subtopic,
             SimpleNamespace(title=d.text.split("\n", 1)[0], text=d.text, raw_text=d.text)) for d in docs]


def vectors(make, items: dict) -> tuple[dict[str, list[float]], float]:
    t0 = time.process_time()
    out = {k: make(v) for k, v in items.items()}
    return out, (time.process_time() - t0) * 1000 / max(1, len(items))


def _story_rows(articles: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """Article rows and near-copy groups as ``link.link`` hands them to ``assign_stories`` (copy groups, then
    publication dates corrected within them), so thresholds can be swept without linking events each time."""
    from wiredesk.link.copies import correct_publication_dates, duplicate_groups

    rows = {a["id"]: dict(a) for a in articles}
    groups = duplicate_groups(list(rows.values()))
    for fix in correct_publication_dates(list(rows.values()), groups):
        rows[fix["article_id"]]["published"] = fix["new"]
    return list(rows.values()), groups


def _day_number(value: str | None) -> int | None:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value[:10]).toordinal() if value else None
    except ValueError:
        return None


#: Story similarity thresholds tried; each vector's own is chosen on ECB+ train topics only.
GRID = tuple(round(0.05 + 0.05 * i, 2) for i in range(19))


def run(store_path: str, corpus: str) -> dict:
    import dataclasses

    from wiredesk import link
    from wiredesk.eval import stories as story_eval
    from wiredesk.eval.expected import compare
    from wiredesk.link.stories import assign_stories
    from wiredesk.settings import LINK
    from wiredesk.synth import iter_truth

    articles, mentions, texts = synthetic_inputs(store_path)
    truth = story_eval.synthetic_truth(corpus, {a["id"]: a["path"] for a in articles})
    expected = list(iter_truth(corpus))
    story_rows, groups = _story_rows(articles)
    ecb = ecbplus_inputs()
    ecb_truth = {split: {n: sub for n, s, sub, _ in ecb if s == split} for split in ("train", "dev")}
    results: dict[str, dict] = {}
    for name, factory in VARIANTS.items():
        make = factory()
        syn_vec, ms = vectors(make, texts)
        ecb_vec, ecb_ms = vectors(make, {n: art for n, _, _, art in ecb})
        ecb_rows = [{"id": n, "title": None, "published": None, "embedding": ecb_vec[n], "actor_codes": []}
                    for n, _, _, _ in ecb]
        syn_rows = [dict(a, embedding=syn_vec[a["id"]]) for a in story_rows]

        def stories_at(threshold: float) -> dict:
            settings = dataclasses.replace(LINK, story_similarity=threshold)
            return {"synthetic": assign_stories(syn_rows, groups, None, settings),
                    "ecb": assign_stories(ecb_rows, {}, None, settings)}

        tuned = max(GRID, key=lambda t: (story_eval.score(stories_at(t)["ecb"], ecb_truth["train"])["b3_f1"], -t))
        days = {a["id"]: _day_number(a.get("published")) for a in story_rows}
        dated = {a: t for a, t in truth.items() if days.get(a) is not None}
        results[name] = {"ms": ms, "ecb_ms": ecb_ms, "pairs": {
            "synthetic": story_eval.pair_separation(syn_vec, dated, LINK.story_similarity, days,
                                                    LINK.story_window_days),
            **{f"ecb_{split}": story_eval.pair_separation(ecb_vec, t, LINK.story_similarity)
               for split, t in ecb_truth.items()}}}
        for label, threshold in (("default", LINK.story_similarity), ("tuned", tuned)):
            got = stories_at(threshold)
            result = link.link([dict(a, embedding=syn_vec[a["id"]]) for a in articles], mentions,
                               settings=dataclasses.replace(LINK, story_similarity=threshold))
            acc = compare([e.to_dict() for e in result.events], expected)
            results[name][label] = {
                "threshold": threshold, "story_of": got,
                "synthetic": story_eval.score(got["synthetic"], truth),
                "events": {"recall": acc["recall"], "precision": acc["precision"], "events": len(result.events)},
                **{f"ecb_{split}": story_eval.score(got["ecb"], t) for split, t in ecb_truth.items()}}
            r = results[name][label]
            print(f"{name} at {threshold}: {ms:.1f} ms, synthetic B3 {r['synthetic']['b3_f1']:.4f}, ECB+ train "
                  f"{r['ecb_train']['b3_f1']:.4f} dev {r['ecb_dev']['b3_f1']:.4f}", file=sys.stderr, flush=True)
    base = results[BASE]["default"]["story_of"]
    for r in results.values():
        for label in ("default", "tuned"):
            got = r[label]["story_of"]
            r[label]["synthetic_diff"] = story_eval.bootstrap_difference(base["synthetic"], got["synthetic"], truth)
            for split, t in ecb_truth.items():
                r[label][f"ecb_{split}_diff"] = story_eval.bootstrap_difference(base["ecb"], got["ecb"], t)
    return {"results": results, "truth_stories": len(set(truth.values())), "articles": len(truth),
            "ecb": {s: len(t) for s, t in ecb_truth.items()}}


def render(out: dict, store_path: str) -> str:
    def cell(score: dict, diff: dict) -> str:
        return (f"{score['b3_precision']:.3f} / {score['b3_recall']:.3f} / **{score['b3_f1']:.3f}** "
                f"({diff['difference']:+.3f} [{diff['low']:+.3f}, {diff['high']:+.3f}])")

    lines = [f"Machine: {machine_info()}", "",
             f"Synthetic: {out['articles']} articles, {out['truth_stories']} generated events, articles and "
             f"mentions of `{store_path}` linked again per vector. ECB+: topics 1-35, train {out['ecb']['train']} / "
             f"dev {out['ecb']['dev']} articles, undated. Each vector at the threshold in use "
             "(`LINK.story_similarity`) and at its own, chosen on ECB+ train B-cubed F1 alone. Cells: B-cubed P / R / "
             "**F1** (F1 minus that of the first row's vector at the threshold in use [95% interval over resampled "
             "true stories]).", "",
             "| story vector | threshold | CPU ms per vector (synthetic / ECB+) | synthetic stories | events R / P / n "
             "| ECB+ train sub-topics | ECB+ dev sub-topics |", "|---|---|---|---|---|---|---|"]
    for name, r in out["results"].items():
        for label in ("default", "tuned"):
            x = r[label]
            ev = x["events"]
            lines.append(
                f"| {name} | {x['threshold']:.2f} ({'in use' if label == 'default' else 'ECB+ train'}) | "
                f"{r['ms']:.1f} / {r['ecb_ms']:.1f} | {cell(x['synthetic'], x['synthetic_diff'])} | "
                f"{ev['recall']:.3f} / {ev['precision']:.3f} / {ev['events']} | "
                f"{cell(x['ecb_train'], x['ecb_train_diff'])} | {cell(x['ecb_dev'], x['ecb_dev_diff'])} |")
    lines += ["", "Pairs of articles (synthetic: published at most the story window apart; ECB+: all pairs of a "
              "split): ROC AUC of the vector cosine for same-story against other pairs, and the share of each at or "
              "above the threshold in use.", "",
              "| story vector | synthetic AUC / same / other | ECB+ train AUC / same / other | "
              "ECB+ dev AUC / same / other |", "|---|---|---|---|"]
    for name, r in out["results"].items():
        lines.append(f"| {name} | " + " | ".join(
            f"{x['auc']:.4f} / {x['same_above']:.3f} / {x['other_above']:.4f}"
            for x in (r["pairs"][k] for k in ("synthetic", "ecb_train", "ecb_dev"))) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--store", default="/tmp/p4_scale_06cb9b6/local-1000/store.duckdb",
                        help="store of a completed bench_scale.py run")
    parser.add_argument("--corpus", default="/tmp/p4_scale_06cb9b6/corpus-1000", help="its generated corpus")
    parser.add_argument("--only", nargs="*", help="variant names (substrings) to run besides the current one")
    args = parser.parse_args()
    if args.only:
        for name in list(VARIANTS)[1:]:
            if not any(o in name for o in args.only):
                del VARIANTS[name]
    print(render(run(args.store, args.corpus), args.store))


if __name__ == "__main__":
    main()
