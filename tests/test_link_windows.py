"""link.windows: the greedy event coreference run window by window gives the per-type pass's clusters."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from wiredesk.link import corpus_view, link_mentions
from wiredesk.link.events import cluster_mentions
from wiredesk.link.windows import WindowStats, cluster_windowed, link_mentions_windowed, window_key
from wiredesk.model import Entity, EventMention

CODES = ("USA", "RUS", "FRA", "DEU", "CHN")


def ent(code: str) -> Entity:
    return Entity(code=code, sector="GOV", name=code)


def mention(aid: str, n: int, event: str, actor, recipient, date, precision="day", basis="explicit") -> EventMention:
    text = f"{actor} and {recipient} ({n})."
    return EventMention(article_id=aid, sentence=n, start=0, end=len(text), text=text, event=event,
                        actor=[ent(c) for c in actor], recipient=[ent(c) for c in recipient], date=date,
                        date_precision=precision, date_basis=basis, flags=[], confidence=0.6, id=f"{aid}:{n}:0")


def corpus(seed: int, articles: int = 80) -> tuple[list[EventMention], dict[str, str]]:
    """Mentions of a few parties over ~3 months, every precision and basis, with stories by article: dense enough
    that events chain across month edges (publication slack, same-article lag, month- and year-dated mentions,
    undated mentions joining their story's events)."""
    rnd = random.Random(seed)
    mentions, story = [], {}
    for a in range(articles):
        aid = f"a{a:03d}"
        published = dt.date(2021, 1, 20) + dt.timedelta(days=rnd.randrange(80))
        sid = f"s{rnd.randrange(10)}"
        for n in range(rnd.randint(1, 4)):
            event = rnd.choice(("CONSULT", "ACCUSE"))
            actor = rnd.sample(CODES, rnd.choice((0, 1, 1, 2)))
            recipient = rnd.sample([c for c in CODES if c not in actor], rnd.choice((0, 1, 1)))
            kind = rnd.random()
            if kind < 0.6:
                basis = rnd.choice(("explicit", "relative", "dateline", "publication"))
                lag = 0 if basis in ("publication", "dateline") else rnd.randrange(9)
                m = mention(aid, n, event, actor, recipient, (published - dt.timedelta(days=lag)).isoformat(),
                            "day", basis)
            elif kind < 0.75:
                m = mention(aid, n, event, actor, recipient, published.isoformat()[:7], "month",
                            rnd.choice(("explicit", "relative")))
            elif kind < 0.85:
                m = mention(aid, n, event, actor, recipient, "2021", "year", "explicit")
            else:
                m = mention(aid, n, event, actor, recipient, None, None, "unknown")
            mentions.append(m)
            story[m.id] = sid
    return mentions, story


def members(clusters) -> list[list[str]]:
    return [[m.id for m in cl.members] for cl in clusters]


@pytest.mark.parametrize("days,min_mentions", [(None, 0), (1, 0), (7, 0), (10, 0), (None, 15), (3, 10)])
@pytest.mark.parametrize("seed", range(12))
def test_windowed_clusters_are_the_per_type_pass_clusters(seed, days, min_mentions):
    mentions, story = corpus(seed)
    stats = WindowStats()
    got = cluster_windowed(mentions, story, days=days, min_mentions=min_mentions, stats=stats)
    want = cluster_mentions(mentions, story)
    assert members(got) == members(want)
    assert [(c.date, c.precision, c.basis) for c in got] == [(c.date, c.precision, c.basis) for c in want]
    assert [c.index for c in got] == list(range(len(got)))
    # split into many tasks, none holding the whole input
    assert stats.tasks > 10 and stats.largest_task < len(mentions)
    # and tasks that may run side by side (cluster_windowed runs the most recently readied first)
    if not min_mentions:
        assert stats.rounds < stats.tasks


def test_isolated_tasks_give_the_same_clusters():
    """Each task from a pickled copy of its payload, as on a worker: nothing is shared with the driver."""
    mentions, story = corpus(3)
    stats = WindowStats()
    got = cluster_windowed(mentions, story, isolate=True, stats=stats)
    assert members(got) == members(cluster_mentions(mentions, story))
    assert stats.largest_payload_bytes > 0


def test_publication_slack_joins_across_a_month_edge():
    """Reported on 1 February from the publication date, a meeting of 31 January: the January window's cluster
    is carried into February's."""
    ms = [mention("a1", 0, "CONSULT", ["FRA"], ["DEU"], "2021-01-31", "day", "explicit"),
          mention("a2", 0, "CONSULT", ["FRA"], ["DEU"], "2021-02-01", "day", "publication")]
    stats = WindowStats()
    clusters = cluster_windowed(ms, {}, stats=stats)
    assert members(clusters) == [["a1:0:0", "a2:0:0"]]
    assert stats.tasks == 2 and stats.largest_carry == 1


def test_same_article_lag_reaches_last_month():
    """An article of 3 February telling of a meeting of 29 January, then mentioning it again dated by its
    dateline: one event across the edge (same-article lag, 7 days)."""
    ms = [mention("a1", 0, "CONSULT", ["FRA"], ["DEU"], "2021-01-29", "day", "explicit"),
          mention("a1", 1, "CONSULT", ["FRA"], ["DEU"], "2021-02-03", "day", "dateline")]
    assert members(cluster_windowed(ms, {})) == [["a1:0:0", "a1:1:0"]]
    assert members(cluster_mentions(ms, {})) == [["a1:0:0", "a1:1:0"]]


def test_year_dated_mention_reaches_any_month_of_its_year():
    ms = [mention("a1", 0, "ACCUSE", ["RUS"], ["USA"], "2021-03-04"),
          mention("a2", 0, "ACCUSE", ["RUS"], ["USA"], "2021", "year"),
          mention("a3", 0, "ACCUSE", ["RUS"], ["USA"], "2022", "year")]
    assert window_key(ms[1]) == "2021-13"
    stats = WindowStats()
    assert members(cluster_windowed(ms, {}, stats=stats)) == [["a1:0:0", "a2:0:0"], ["a3:0:0"]]
    # the 2021 task carries the March event; the 2022 task carries nothing
    assert stats.largest_by_kind == {"month": 1, "year": 2}


def test_undated_mention_joins_its_storys_event_only():
    ms = [mention("a1", 0, "CONSULT", ["FRA"], ["DEU"], "2021-01-05"),
          mention("a2", 0, "CONSULT", ["FRA"], ["DEU"], "2021-03-05"),
          mention("a3", 0, "CONSULT", ["FRA"], ["DEU"], None, None, "unknown")]
    story = {"a1:0:0": "s1", "a2:0:0": "s2", "a3:0:0": "s2"}
    stats = WindowStats()
    assert members(cluster_windowed(ms, story, stats=stats)) == [["a1:0:0"], ["a2:0:0", "a3:0:0"]]
    assert stats.largest_by_kind["story"] == 2  # the undated mention and its story's event, not s1's


def test_parties_keep_a_window_small():
    """The carry holds only clusters sharing a party key with the window's mentions."""
    ms = [mention("a1", 0, "CONSULT", ["FRA"], ["DEU"], "2021-01-31"),
          mention("a2", 0, "CONSULT", ["USA"], ["CHN"], "2021-01-31"),
          mention("a3", 0, "CONSULT", ["FRA"], ["DEU"], "2021-02-01", "day", "publication")]
    stats = WindowStats()
    cluster_windowed(ms, {}, stats=stats)
    assert stats.largest_carry == 1


def test_unknown_order_is_refused():
    with pytest.raises(ValueError):
        cluster_windowed([], {}, order="by-actor")


def test_link_mentions_windowed_gives_the_same_events_and_keeps_ids():
    mentions, story = corpus(5, articles=40)
    articles = {m.article_id for m in mentions}
    rows = [{"id": a, "path": f"{a}.txt", "url": None, "title": a, "publication": "p", "published": "2021-02-01",
             "published_basis": "metadata", "published_candidates": [], "fingerprint": None, "actor_codes": []}
            for a in sorted(articles)]
    view = corpus_view(rows)
    want = link_mentions(mentions, view)
    got = link_mentions_windowed(mentions, view)
    assert [e.id for e in got.events] == [e.id for e in want.events]
    assert got.mention_event == want.mention_event
    assert [e.to_dict() for e in got.events] == [e.to_dict() for e in want.events]
    # a second run reuses the ids by majority of members, as the per-type linker does
    previous = {m: "ev-old-" + e for m, e in want.mention_event.items()}
    again = link_mentions_windowed(mentions, view, previous)
    assert again.mention_event == link_mentions(mentions, view, previous).mention_event
    assert set(again.mention_event.values()) == set(previous.values())


def test_ids_from_summaries():
    """Earlier ids by majority (an event split in two keeps its id in the larger part), content ids otherwise,
    and no id given twice."""
    from wiredesk.link.linker import _content_id, assign_ids, id_summary

    mentions, story = corpus(7)
    clusters = cluster_windowed(mentions, story)
    rnd = random.Random(1)
    olds = [f"ev-old{i}" for i in range(len(clusters) // 2)]
    previous = {m.id: rnd.choice(olds) for m in mentions if rnd.random() < 0.7}
    got = assign_ids([id_summary(cl, previous) for cl in clusters])
    assert len(set(got)) == len(got) == len(clusters)
    assert set(got) & set(olds)
    # the largest cluster takes the earlier id most of its mentions had
    big = max(range(len(clusters)), key=lambda i: (len(clusters[i].members), -i))
    counts = Counter(previous[m.id] for m in clusters[big].members if m.id in previous)
    assert got[big] == sorted(counts.items(), key=lambda x: (-x[1], x[0]))[0][0]
    fresh = assign_ids([id_summary(cl, {}) for cl in clusters])
    assert len(set(fresh)) == len(fresh)
    assert sum(eid == _content_id(cl) for eid, cl in zip(fresh, clusters)) >= len(clusters) - 1


def test_malformed_day_date_still_links_as_the_per_type_pass():
    ms = [mention("a1", 0, "CONSULT", ["FRA"], ["DEU"], "2021-00-05"),
          mention("a2", 0, "CONSULT", ["FRA"], ["DEU"], "2021-00-05", "day", "publication"),
          mention("a3", 0, "CONSULT", ["FRA"], ["DEU"], "2021", "year")]
    assert members(cluster_windowed(ms, {})) == members(cluster_mentions(ms, {}))


def test_day_blocks():
    m = mention("a1", 0, "CONSULT", ["FRA"], ["DEU"], "2021-03-02")
    assert window_key(m) == "2021-03"
    assert window_key(m, 7) == "2021-02-25"  # 1970-01-01 + 7k days
    assert window_key(mention("a1", 1, "CONSULT", ["FRA"], ["DEU"], "2021-03", "month"), 7) == "2021-03"
    with pytest.raises(ValueError):
        cluster_windowed([m], {}, days=0)
    stats = WindowStats()  # a block starting on the 13th is a block, not a year
    cluster_windowed([mention("a2", 0, "CONSULT", ["FRA"], ["DEU"], "2021-03-13")], {}, days=1, stats=stats)
    assert stats.largest_by_kind == {"days": 1}


def test_small_windows_are_run_together_up_to_a_size():
    """min_mentions joins consecutive windows of a pass into one task (fewer tasks on an engine); a span's carry
    reaches events of every window in it, so the clusters stay the per-type pass's."""
    mentions, story = corpus(4, articles=120)
    alone, merged = WindowStats(), WindowStats()
    want = members(cluster_mentions(mentions, story))
    assert members(cluster_windowed(mentions, story, stats=alone)) == want
    assert members(cluster_windowed(mentions, story, min_mentions=40, stats=merged)) == want
    assert merged.tasks < alone.tasks
    assert merged.largest_by_kind["month"] > alone.largest_by_kind["month"]


def test_a_task_waits_only_for_tasks_whose_reach_overlaps_its_own():
    """Neighbouring months of a pass wait for each other (their regions, widened by the 7-day reach, overlap);
    the next pass's January waits for this pass's January and February only, not for the rest of its months;
    a year window waits for everything before it."""
    from wiredesk.link.windows import dependencies, depth, reach_days, schedule

    ms = [mention(f"a{i}", 0, "CONSULT", ["FRA"], ["DEU"], f"2021-{month:02d}-15") for i, month in enumerate(
        (1, 2, 3, 4, 5))]
    ms += [mention(f"b{i}", 0, "CONSULT", ["FRA"], ["DEU"], f"2021-{month:02d}-10", basis="relative")
           for i, month in enumerate((1, 2, 3))]
    ms.append(mention("c", 0, "CONSULT", ["FRA"], ["DEU"], "2021", "year"))
    steps = schedule(ms)
    assert [(s[1][:2], s[2][0]) for s in steps] == [((0, 0), "2021-01"), ((0, 0), "2021-02"), ((0, 0), "2021-03"),
                                                    ((0, 0), "2021-04"), ((0, 0), "2021-05"), ((0, 1), "2021-01"),
                                                    ((0, 1), "2021-02"), ((0, 1), "2021-03"), ((2, 0), "2021-13")]
    deps = dependencies(steps, reach_days())
    assert deps[1] == {0} and deps[4] == {3}
    assert deps[5] == {0, 1} and deps[6] == {0, 1, 2, 5} and deps[7] == {1, 2, 3, 6}
    assert deps[8] == set(range(8))
    assert depth(deps) == 6  # January to May of the first pass, then the year: 6 rounds for 9 tasks
