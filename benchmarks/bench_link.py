"""Linking benchmark (issue 7): ECB+ figures with baselines, and how link() grows from 1k to 100k mentions.

    .venv/bin/python benchmarks/bench_link.py            # everything, writes docs/benchmarks/link.md
    .venv/bin/python benchmarks/bench_link.py --scale    # only the scaling table (prints it)
    .venv/bin/python benchmarks/bench_link.py --keep-scaling   # ECB+ only; scaling rows kept from the last file

Scaling uses synthetic mentions generated here (no text needed: link() reads only article rows and mentions):
real events between random actor pairs, each reported by 1-6 articles (some near-copies of each other) with
explicit, relative or publication-date bases, spread over time at a constant ~300 mentions per day, so a larger
corpus is a longer period, as a growing archive is. Each size runs in a fresh process for a clean peak-RSS figure.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SHARED_DATA, machine_info, peak_rss_mib, versions, write_section  # noqa: E402

SIZES = (1_000, 3_000, 10_000, 30_000, 100_000)
MENTIONS_PER_DAY = 300


def synthetic(n_mentions: int, seed: int = 7):
    """Article rows and EventMentions for about ``n_mentions`` mentions."""
    import datetime as dt

    import numpy as np

    from wiredesk.model import PLOVER_EVENTS, Entity, EventMention

    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    countries = ["USA", "RUS", "CHN", "FRA", "DEU", "GBR", "UKR", "IRN", "ISR", "TUR", "IND", "PAK", "BRA", "NGA",
                 "EGY", "SAU", "JPN", "KOR", "PRK", "SYR", "IRQ", "AFG", "MEX", "VEN", "COL", "ETH", "SDN", "KEN",
                 "POL", "ITA", "ESP", "CAN", "AUS", "IDN", "PHL", "VNM", "THA", "MMR", "LBY", "YEM"]
    sectors = ["GOV", "MIL", "REB", "CVL", None]
    start = dt.date(2020, 1, 1)
    days = max(1, n_mentions // MENTIONS_PER_DAY)
    topics = rng.normal(size=(64, 384)).astype(np.float32)
    articles: dict[str, dict] = {}
    mentions: list[EventMention] = []
    k = 0
    while len(mentions) < n_mentions:
        day = start + dt.timedelta(days=rnd.randrange(days))
        actor = Entity(code=rnd.choice(countries), sector=rnd.choice(sectors))
        recipient = Entity(code=rnd.choice(countries), sector=rnd.choice(sectors))
        event = rnd.choice(PLOVER_EVENTS)
        topic = topics[rnd.randrange(len(topics))]
        wire_print = [rnd.getrandbits(32) for _ in range(128)]
        for r in range(rnd.randint(1, 6)):
            aid = f"a{k:07d}"
            k += 1
            published = day + dt.timedelta(days=rnd.choice([0, 0, 1, 1, 2]))
            copy = r > 0 and rnd.random() < 0.3  # syndicated copy of the wire text
            fp = [h if (not copy or rnd.random() < 0.9) else rnd.getrandbits(32) for h in wire_print] if (
                copy or r == 0) else [rnd.getrandbits(32) for _ in range(128)]
            vec = topic + rng.normal(scale=0.8, size=384).astype(np.float32)
            vec /= np.linalg.norm(vec)
            articles[aid] = {"id": aid, "path": f"{aid}.txt", "url": None, "title": f"report {aid}",
                             "publication": f"outlet{rnd.randrange(200)}", "published": published.isoformat(),
                             "published_basis": "metadata", "published_candidates": [], "fingerprint": fp,
                             "embedding": vec.tolist(), "actor_codes": [actor.code, recipient.code]}
            basis = rnd.choice(["explicit", "relative", "publication"])
            date = (published if basis == "publication" else day).isoformat()
            mentions.append(EventMention(
                article_id=aid, sentence=0, start=0, end=40, text=f"{actor.code} {event.lower()} {recipient.code}.",
                event=event, actor=[actor], recipient=[recipient] if rnd.random() < 0.9 else [], date=date,
                date_precision="day", date_basis=basis, flags=["negation"] if rnd.random() < 0.03 else [],
                confidence=0.6, id=f"{aid}:0:0"))
    return list(articles.values()), mentions[:n_mentions]


def scale_one(n: int) -> dict:
    """Time and peak memory of one link() call on ``n`` synthetic mentions (run in its own process)."""
    from wiredesk.link import link

    articles, mentions = synthetic(n)
    rss_before = peak_rss_mib()
    load_before = os.getloadavg()[0]
    t, cpu = time.perf_counter(), time.process_time()
    result = link(articles, mentions)
    seconds, cpu_seconds = time.perf_counter() - t, time.process_time() - cpu
    # CPU seconds as well as wall time: on a shared machine the wall time grows with the load, the CPU time less
    return {"mentions": n, "articles": len(articles), "events": len(result.events), "stories": len(result.stories),
            "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
            "load": round((load_before + os.getloadavg()[0]) / 2, 1), "peak_rss_mib": round(peak_rss_mib(), 1),
            "rss_before_link_mib": round(rss_before, 1)}


def scaling_table() -> str:
    rows = []
    for n in SIZES:
        out = subprocess.run([sys.executable, __file__, "--scale-one", str(n)], capture_output=True, text=True,
                             check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    base = rows[0]
    lines = ["| mentions | articles | events | stories | link() seconds | link() CPU s | CPU us / mention | "
             "CPU vs 1k (x) | load | peak RSS MiB (before link) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['mentions']:,} | {r['articles']:,} | {r['events']:,} | {r['stories']:,} | "
                     f"{r['seconds']:.2f} | {r['cpu_seconds']:.2f} | {1e6 * r['cpu_seconds'] / r['mentions']:.0f} | "
                     f"{r['cpu_seconds'] / base['cpu_seconds']:.1f} (size x{r['mentions'] / base['mentions']:.0f}) | "
                     f"{r['load']:.1f} | {r['peak_rss_mib']:.0f} ({r['rss_before_link_mib']:.0f}) |")
    return "\n".join(lines)


def kept_scaling() -> str:
    """``--keep-scaling``: the scaling rows of the last docs/benchmarks/link.md, with when they were measured (for
    runs on a machine too loaded for clean timings)."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "link.md").read_text(encoding="utf-8")
    measured = next((ln for ln in text.splitlines() if ln.startswith("Machine:")), "")
    if "Scaling rows kept from" in text:
        measured = text.split("Scaling rows kept from ", 1)[1].split(";", 1)[0]
    table = [ln for ln in text.split("### link() growth", 1)[1].splitlines() if ln.startswith("|")]
    if not table:
        raise SystemExit("no scaling table to keep in docs/benchmarks/link.md")
    note = (f"Scaling rows kept from {measured.removeprefix('Machine: ')}; not re-run with this ECB+ run because "
            "the machine was shared by several loaded processes (timings would be noise).")
    return note + "\n\n" + "\n".join(table)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--scale-one":
        print(json.dumps(scale_one(int(sys.argv[2]))))
        return
    if "--keep-scaling" in sys.argv:
        scale = kept_scaling()
    else:
        scale = scaling_table()
    if "--scale" in sys.argv:
        print(scale)
        return
    from wiredesk.eval.ecbplus import evaluate, render

    result = evaluate(SHARED_DATA / "ecbplus")
    weights = ", ".join(f"{k} {v:+.2f}" for k, v in result["pair_weights"].items())
    md = f"""## Linking (issue 7)

Machine: {machine_info()}
Versions: {versions("scikit-learn", "datasketch", "onnxruntime", "spacy")}
Command: `.venv/bin/python benchmarks/bench_link.py` (the ECB+ part is `wiredesk eval ecbplus ../shared/data/ecbplus`)

### ECB+ (../shared/data/ecbplus, topics 1-35; train = all but dev 2,5,12,18,21,23,34,35)

Tuning used the train topics only. Pair weights ({weights}) and mention-clustering cut
{result['event_cut']}: the shipped artefact (below); fitted in this run: baseline cuts (TF-IDF articles {result['baseline_tfidf_doc']['cut']}, TF-IDF mentions
{result['baselines']['tfidf']['cut']}). Article-clustering cut {result['doc_cut']}: the library default
(`LinkSettings.doc_cluster_distance`), the best mean B-cubed F1 over random collections of 5-25 train topics,
since TF-IDF similarities shift with collection size. Targets: article clustering B-cubed F1 >= 0.92, event
coreference CoNLL F1 >= 0.85.

{render(result)}

### link() growth with corpus size (synthetic mentions, constant {MENTIONS_PER_DAY} mentions/day)

Each row is a fresh process; time is the link() call only (near-copies, date repair, stories, coreference,
consensus, summaries), wall and CPU (the machine is shared: 'load' is the 1-minute load average around the call,
and the growth column uses CPU seconds). Peak RSS includes the synthetic input (shown before link in brackets).

{scale}
"""
    write_section("link", md)


if __name__ == "__main__":
    main()
