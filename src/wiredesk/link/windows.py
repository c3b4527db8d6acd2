"""Event coreference in time windows: the greedy pass of :func:`wiredesk.link.events.cluster_mentions` run as a
sequence of small tasks, each holding one window's mentions and the clusters they can reach (the *carry*).

A prototype for issue #9 (linking over a shuffle keyed by time window), not wired into ``wiredesk run``.

Why it gives the same events as the per-type pass. The greedy pass visits a type's mentions in the order
(date precision, date basis, date, id) and puts each in the best compatible cluster found through an index keyed
by (type, participant key, bucket). So:

* the order splits into **passes**, one per (precision, basis) with mentions, visited in that order; inside a
  pass mentions go by date, so calendar windows of a pass visited in time order keep the order exactly. A task is
  (pass, window): day- and month-dated mentions by their month, year-dated (and oddly dated) ones by their year;
  undated mentions only ever join clusters of their own story, so they are split by groups of stories that no
  cluster joins (story components) instead of by time.
* a task's **carry** is every existing cluster the window's mentions could join: by date, day clusters within
  L = max(publication slack, same-article lag) days of the window, clusters of the window's month or year, and
  undated ones; and only clusters sharing a participant key with some mention of the window (a mention finds a
  cluster only under a key they share, and a cluster gains keys only from mentions that found it). Inside a task
  the index is rebuilt from the carried clusters' members exactly as the whole-type pass would hold it.
* ties keep the older event; a cluster's age is the order key of the mention that founded it (its *seed*), which
  is the order the whole-type pass creates them in.

The cost: passes run one after another, and every pass visits its windows in time order, so a type is a chain of
tasks, not one task; tasks of different types are independent. Clusters stay open until the last pass (an undated
or year-dated mention may still join them), so between tasks they live in the shuffle's state, keyed by window.
``days=N`` windows day-dated mentions by blocks of N days instead of months (smaller tasks, more of them, each
carrying up to L days of clusters on each side). ``order="wavefront"`` instead runs every pass of a window before
the next window (clusters close as the window moves on, as in a stream); that changes the order of the greedy pass
near window edges, so its events may differ.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from wiredesk.link.events import (_BASIS_RANK, _PRECISION_RANK, Cluster, _cluster_buckets, _lookup_buckets,
                                  _participant_keys, best_cluster, date_precision, join, new_cluster)
from wiredesk.model import EventMention
from wiredesk.settings import LINK, LinkSettings

#: Sort key of a mention in the greedy pass (as in ``cluster_mentions``); a cluster is known by its seed's key.
Seed = tuple[int, int, str, str]


def order_key(m: EventMention) -> Seed:
    return (_PRECISION_RANK.get(date_precision(m.date, m.date_precision) or "", 3), _BASIS_RANK.get(m.date_basis, 4),
            m.date or "", m.id)


def pass_key(m: EventMention) -> tuple[int, int, bool]:
    """The pass of a mention: its precision and basis ranks; undated mentions (date "") sort before dated ones of
    the same ranks, so they make a pass of their own."""
    rank, basis, date, _ = order_key(m)
    return rank, basis, bool(date)


def window_key(m: EventMention, days: int | None = None) -> str:
    """A dated mention's time window: its month when dated to the day or month, else its year. Year windows are
    written "YYYY-13" so that they sort after the year's months (the wavefront order needs that). With ``days``,
    a day-dated mention's window is instead a block of that many days (written as its first day), counted from
    1970-01-01; month-dated mentions keep their month (they may join any day of it)."""
    if not m.date:
        raise ValueError("undated mentions are windowed by story component")
    precision = date_precision(m.date, m.date_precision)
    if precision == "day" and days:
        try:
            ordinal = dt.date.fromisoformat(m.date[:10]).toordinal()
        except ValueError:
            return m.date[:7]
        return dt.date.fromordinal(ordinal - (ordinal - _EPOCH) % days).isoformat()
    if precision in ("day", "month"):
        return m.date[:7]
    return m.date[:4] + "-13"


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _months(lo: dt.date, hi: dt.date) -> set[str]:
    out, day = set(), lo.replace(day=1)
    while day <= hi:
        out.add(day.isoformat()[:7])
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def reach_days(settings: LinkSettings = LINK) -> int:
    """How far (days) a day-dated mention can join a day-dated event: publication slack or same-article lag."""
    return max(settings.publication_slack_days, settings.same_article_lag_days)


@dataclass
class WindowStats:
    """What a windowed linking did: tasks, and the largest task (mentions + carried clusters), which is what
    bounds a worker's memory."""

    passes: int = 0
    tasks: int = 0
    largest_task: int = 0
    largest_task_mentions: int = 0
    largest_carry: int = 0
    carried: int = 0  #: clusters shipped into tasks, summed (the re-shipping cost of the carry)
    mentions: int = 0
    largest_payload_bytes: int = 0  #: pickled task payload, when ``isolate``
    #: largest task by window kind: "month" (day- and month-dated), "days" (a block of days), "year", "story"
    largest_by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, other: WindowStats) -> None:
        self.passes = max(self.passes, other.passes)
        self.tasks += other.tasks
        self.carried += other.carried
        self.mentions += other.mentions
        for name in ("largest_task", "largest_task_mentions", "largest_carry", "largest_payload_bytes"):
            setattr(self, name, max(getattr(self, name), getattr(other, name)))
        for kind, size in other.largest_by_kind.items():
            self.largest_by_kind[kind] = max(self.largest_by_kind.get(kind, 0), size)


@dataclass
class WindowTask:
    """One task: a window's mentions (in pass order), the clusters they can reach (by seed) and the stories of
    every mention involved. All a worker needs."""

    mentions: list[EventMention]
    carry: list[tuple[Seed, Cluster]]
    story: dict[str, str] = field(default_factory=dict)


def link_window(task: WindowTask, settings: LinkSettings = LINK) -> list[tuple[Seed, Cluster]]:
    """Run the greedy pass over one window: returns the carried clusters (updated) and the new ones, by seed.

    The compatibility rules and the score are those of ``cluster_mentions``; the index is rebuilt from the carried
    clusters' members, keyed as ``cluster_mentions`` keys it."""
    slack = settings.publication_slack_days
    clusters: dict[Seed, Cluster] = {}
    index: dict[tuple[str, str, str], set[Seed]] = defaultdict(set)

    def enter(seed: Seed, buckets: list[str], m: EventMention) -> None:
        story = task.story.get(m.id, "")
        for code in _participant_keys(m, story):
            for bucket in buckets:
                index[(m.event, code, bucket)].add(seed)
            index[(m.event, code, "s:" + story)].add(seed)

    for seed, cl in task.carry:
        clusters[seed] = cl
        buckets = _cluster_buckets(cl.date, cl.precision, slack)  # a cluster's date is its seed's: fixed
        for m in cl.members:
            enter(seed, buckets, m)
    for m in task.mentions:
        story = task.story.get(m.id, "")
        keys = _participant_keys(m, story)
        lookup = _lookup_buckets(m, story, settings)
        candidates = sorted({s for code in keys for bucket in lookup for s in index.get((m.event, code, bucket), ())})
        best_seed = best_cluster(((seed, clusters[seed]) for seed in candidates), m, story, settings)
        if best_seed is None:
            best_seed = order_key(m)
            clusters[best_seed] = new_cluster(m, 0)
        best = clusters[best_seed]
        join(best, m, story)
        enter(best_seed, _cluster_buckets(best.date, best.precision, slack), m)
    return list(clusters.items())


class _State:
    """The clusters between tasks, with the indexes a driver needs to pick a window's carry. In a distributed run
    this is the shuffle's state (clusters stored by month, year, story); here it is in memory."""

    def __init__(self, story: dict[str, str]) -> None:
        self.story = story
        self.clusters: dict[Seed, Cluster] = {}
        self.keys: dict[Seed, set[str]] = {}
        self.by_month: dict[str, set[Seed]] = defaultdict(set)
        self.by_year: dict[str, set[Seed]] = defaultdict(set)
        self.by_story: dict[str, set[Seed]] = defaultdict(set)
        self.undated: set[Seed] = set()

    def put(self, seed: Seed, cl: Cluster) -> None:
        if seed not in self.clusters:
            if cl.date:
                self.by_month[cl.date[:7]].add(seed)
                self.by_year[cl.date[:4]].add(seed)
            else:
                self.undated.add(seed)
        self.clusters[seed] = cl
        self.keys[seed] = {k for m in cl.members for k in _participant_keys(m, self.story.get(m.id, ""))}
        for s in cl.stories:
            self.by_story[s].add(seed)

    def carry(self, window: str, mentions: list[EventMention], reach: int, days: int | None = None) -> list[Seed]:
        """Clusters the mentions of a dated window can join (a superset: the task's index decides)."""
        wanted = {k for m in mentions for k in _participant_keys(m, self.story.get(m.id, ""))}
        year, month = window[:4], window[5:7]
        seeds: set[Seed] = set(self.undated)
        try:
            if len(window) == 10 and days:  # a block of days
                start = dt.date.fromisoformat(window)
                end = start + dt.timedelta(days=days - 1)
            else:
                start = dt.date(int(year), int(month), 1) if month != "13" else None
                end = start and (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        except ValueError:  # a malformed month ("2021-00-05"): its year's clusters hold every one it can join
            start = end = None
        if start is None or end is None:
            seeds |= self.by_year.get(year, set())
        else:
            low, high = start - dt.timedelta(days=reach), end + dt.timedelta(days=reach)
            lo, hi, months = low.isoformat(), high.isoformat(), _months(start, end)
            for key in _months(low, high):
                for seed in self.by_month.get(key, ()):
                    cl = self.clusters[seed]
                    precision = date_precision(cl.date, cl.precision)
                    if ((precision == "day" and lo <= cl.date[:10] <= hi)
                            or (precision == "month" and cl.date[:7] in months)):
                        seeds.add(seed)
            # year-dated (or oddly dated) clusters of the window's years
            seeds |= {s for y in {str(start.year), str(end.year)} for s in self.by_year.get(y, ())
                      if date_precision(self.clusters[s].date, self.clusters[s].precision) not in ("day", "month")}
        return sorted(s for s in seeds if self.keys[s] & wanted)

    def story_components(self, mentions: list[EventMention]) -> list[tuple[list[EventMention], list[Seed]]]:
        """Undated mentions by groups of stories no cluster spans, with the clusters of those stories."""
        stories = {self.story.get(m.id, "") for m in mentions}
        parent = {s: s for s in stories}

        def find(s: str) -> str:
            while parent[s] != s:
                parent[s] = parent[parent[s]]
                s = parent[s]
            return s

        for s in sorted(stories):
            for seed in self.by_story.get(s, ()):
                linked = sorted(self.clusters[seed].stories & stories)
                for other in linked[1:]:
                    a, b = find(linked[0]), find(other)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
        groups: dict[str, list[EventMention]] = defaultdict(list)
        for m in mentions:
            groups[find(self.story.get(m.id, ""))].append(m)
        out = []
        for root in sorted(groups):
            members = {s for s in stories if find(s) == root}
            wanted = {k for m in groups[root] for k in _participant_keys(m, self.story.get(m.id, ""))}
            seeds = {seed for s in members for seed in self.by_story.get(s, ())}
            out.append((groups[root], sorted(s for s in seeds if self.keys[s] & wanted)))
        return out


def cluster_windowed(mentions: list[EventMention], mention_story: dict[str, str], settings: LinkSettings = LINK,
                     *, order: str = "exact", days: int | None = None, isolate: bool = False,
                     stats: WindowStats | None = None) -> list[Cluster]:
    """The clusters of ``cluster_mentions`` (same members, same order), computed window by window.

    ``order``: "exact" runs passes outer and windows inner (the greedy order kept); "wavefront" runs windows
    outer (every pass of a month, then the next month; a year's year-dated mentions after its December; undated
    mentions last), which may differ near window edges. ``days``: day-dated mentions in blocks of that many days
    instead of calendar months (:func:`window_key`). ``isolate``: each task gets a pickled copy of its payload
    and its result is unpickled, as on a worker (and the payload's size is measured)."""
    if order not in ("exact", "wavefront"):
        raise ValueError(f"order must be 'exact' or 'wavefront', not {order!r}")
    if days is not None and days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    stats = stats if stats is not None else WindowStats()
    state = _State(mention_story)
    reach = reach_days(settings)
    passes: dict[tuple[int, int, bool], list[EventMention]] = defaultdict(list)
    for m in sorted(mentions, key=order_key):
        passes[pass_key(m)].append(m)
    stats.passes = len(passes)
    stats.mentions += len(mentions)
    # dated tasks: (pass, window) -> mentions, already in pass order
    dated: dict[tuple[tuple[int, int, bool], str], list[EventMention]] = defaultdict(list)
    for key, ms in passes.items():
        if key[2]:
            for m in ms:
                dated[(key, window_key(m, days))].append(m)
    if order == "exact":
        schedule = sorted(set(passes), key=lambda k: k)
        steps: list[tuple[Any, ...]] = []
        for key in schedule:
            if key[2]:
                steps += [("dated", key, w) for (k, w) in sorted(dated) if k == key]
            else:
                steps.append(("undated", key, None))
    else:
        steps = [("dated", k, w) for (k, w) in sorted(dated, key=lambda kw: (kw[1], kw[0]))]
        steps += [("undated", key, None) for key in sorted(passes) if not key[2]]

    def run(kind: str, task_mentions: list[EventMention], seeds: list[Seed]) -> None:
        carry = [(s, state.clusters[s]) for s in seeds]
        involved = {m.id for m in task_mentions} | {m.id for _, cl in carry for m in cl.members}
        task = WindowTask(task_mentions, carry, {i: mention_story[i] for i in involved if i in mention_story})
        size = len(task_mentions) + len(carry)
        if size > stats.largest_task:
            stats.largest_task, stats.largest_task_mentions = size, len(task_mentions)
        stats.largest_carry = max(stats.largest_carry, len(carry))
        stats.largest_by_kind[kind] = max(stats.largest_by_kind.get(kind, 0), size)
        stats.carried += len(carry)
        stats.tasks += 1
        if isolate:
            blob = pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
            stats.largest_payload_bytes = max(stats.largest_payload_bytes, len(blob))
            result = pickle.loads(pickle.dumps(link_window(pickle.loads(blob), settings),  # noqa: S301 - own data
                                               protocol=pickle.HIGHEST_PROTOCOL))
        else:
            result = link_window(task, settings)
        for seed, cl in result:
            state.put(seed, cl)

    for kind, key, window in steps:
        if kind == "dated":
            ms = dated[(key, window)]
            kind = "days" if len(window) == 10 else "year" if window.endswith("-13") else "month"
            run(kind, ms, state.carry(window, ms, reach, days))
        else:
            for ms, seeds in state.story_components(passes[key]):
                run("story", ms, seeds)
    out = [state.clusters[s] for s in sorted(state.clusters)]
    for i, cl in enumerate(out):
        cl.index = i
    return out


def link_mentions_windowed(mentions: list[EventMention], view: Any, previous: dict[str, str] | None = None,
                           settings: LinkSettings = LINK, *, order: str = "exact", days: int | None = None,
                           isolate: bool = False, stats: WindowStats | None = None) -> Any:
    """``link.link_mentions`` with the clustering done window by window (:func:`cluster_windowed`); the same
    re-dating before it and the same ids, events and promotion after it. Returns a ``link.PartitionResult``."""
    from wiredesk.link import linker

    previous = previous or {}
    live = linker.live_mentions(mentions, view)
    mention_story = {m.id: view.story_of.get(m.article_id, "") for m in live}
    clusters = cluster_windowed(live, mention_story, settings, order=order, days=days, isolate=isolate,
                                stats=stats)
    ids = linker.assign_ids([linker.id_summary(cl, previous) for cl in clusters])
    return linker.partition_result(clusters, ids, view, settings)
