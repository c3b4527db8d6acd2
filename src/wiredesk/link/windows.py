"""Event coreference in time windows: the greedy pass of :func:`wiredesk.link.events.cluster_mentions` run as a
sequence of small tasks, each holding one window's mentions and the clusters they can reach (the *carry*).

Issue #9's "linking over a shuffle keyed by time window and actors": ``wiredesk run`` runs these tasks on its
engine (``wiredesk.engine.linking``, ``--link-shuffle window``, the default); :func:`cluster_windowed` runs them
in one process (tests, benchmarks).

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
or year-dated mention may still join them), so between tasks they live in the shuffle's state, keyed by window,
as :class:`Carried` events: no mentions, only what the pass reads and the members' ids.
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
from collections.abc import Callable, Generator, Sequence
from typing import Any

from wiredesk.link.events import (_BASIS_RANK, _PRECISION_RANK, Cluster, _cluster_buckets, _lookup_buckets,
                                  _participant_keys, best_cluster, date_precision, join, new_cluster)
from wiredesk.model import Entity, EventMention
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
    rounds: int = 0  #: the longest chain of tasks each waiting for the one before (:func:`depth`)
    largest_task: int = 0
    largest_task_mentions: int = 0
    largest_carry: int = 0
    carried: int = 0  #: clusters shipped into tasks, summed (the re-shipping cost of the carry)
    mentions: int = 0
    largest_payload_bytes: int = 0  #: pickled task payload, when ``isolate``
    #: largest task by window kind: "month" (day- and month-dated), "days" (a block of days), "year", "story"
    largest_by_kind: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, mentions: int, carry: int) -> None:
        """Record one task of ``kind`` with its mentions and carried events."""
        size = mentions + carry
        if size > self.largest_task:
            self.largest_task, self.largest_task_mentions = size, mentions
        self.largest_carry = max(self.largest_carry, carry)
        self.largest_by_kind[kind] = max(self.largest_by_kind.get(kind, 0), size)
        self.carried += carry
        self.tasks += 1

    def add(self, other: WindowStats) -> None:
        self.passes = max(self.passes, other.passes)
        self.tasks += other.tasks
        self.rounds += other.rounds
        self.carried += other.carried
        self.mentions += other.mentions
        for name in ("largest_task", "largest_task_mentions", "largest_carry", "largest_payload_bytes"):
            setattr(self, name, max(getattr(self, name), getattr(other, name)))
        for kind, size in other.largest_by_kind.items():
            self.largest_by_kind[kind] = max(self.largest_by_kind.get(kind, 0), size)


@dataclass
class Carried:
    """An event between window tasks, without its mentions: all the greedy pass reads of it (type, seed date,
    parties, stories, articles), its members' ids in join order, and the index entries its members gave it
    (``pairs``: participant key, story). A task ships these, not the member mentions: with whole mentions pickled
    into every carry, the 100k linking CPU doubled (238 s against ~115)."""

    seed: Seed
    event: str
    date: str | None
    precision: str | None
    basis: str
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    member_ids: list[str] = field(default_factory=list)
    pairs: set[tuple[str, str]] = field(default_factory=set)

    @property
    def keys(self) -> set[str]:
        """The participant keys the event is indexed under (a mention finds it only under one of these)."""
        return {key for key, _ in self.pairs}

    def cluster(self, members: list[EventMention] | None = None, index: int = 0) -> Cluster:
        """The event as ``cluster_mentions`` holds it (with ``members`` when given, e.g. to build the record)."""
        return Cluster(index=index, event=self.event, date=self.date, precision=self.precision, basis=self.basis,
                       actor=list(self.actor), recipient=list(self.recipient), members=list(members or []),
                       stories=set(self.stories), articles=set(self.articles))


@dataclass
class WindowTask:
    """One task: a window's mentions (in pass order), the events they can reach and the story of each of the
    window's mentions. All a worker needs."""

    mentions: list[EventMention]
    carry: list[Carried]
    story: dict[str, str] = field(default_factory=dict)


def link_window(task: WindowTask, settings: LinkSettings = LINK) -> list[Carried]:
    """Run the greedy pass over one window: returns the events the window's mentions joined (updated) and the
    ones they founded, by seed; carried events nobody joined are not returned.

    The compatibility rules and the score are those of ``cluster_mentions``; the index is rebuilt from the carried
    events' entries, keyed as ``cluster_mentions`` keys it."""
    slack = settings.publication_slack_days
    clusters: dict[Seed, Cluster] = {}
    carried: dict[Seed, Carried] = {}
    index: dict[tuple[str, str, str], set[Seed]] = defaultdict(set)

    def enter(seed: Seed, event: str, buckets: list[str], pairs: Any) -> None:
        for code, story in pairs:
            for bucket in buckets:
                index[(event, code, bucket)].add(seed)
            index[(event, code, "s:" + story)].add(seed)

    for c in task.carry:
        clusters[c.seed], carried[c.seed] = c.cluster(), c
        enter(c.seed, c.event, _cluster_buckets(c.date, c.precision, slack), c.pairs)  # seed date: fixed
    touched: set[Seed] = set()
    for m in task.mentions:
        story = task.story.get(m.id, "")
        keys = _participant_keys(m, story)
        lookup = _lookup_buckets(m, story, settings)
        candidates = sorted({s for code in keys for bucket in lookup for s in index.get((m.event, code, bucket), ())})
        best_seed = best_cluster(((seed, clusters[seed]) for seed in candidates), m, story, settings)
        if best_seed is None:
            best_seed = order_key(m)
            cl = clusters[best_seed] = new_cluster(m, 0)
            carried[best_seed] = Carried(best_seed, cl.event, cl.date, cl.precision, cl.basis)
        best, record = clusters[best_seed], carried[best_seed]
        join(best, m, story)
        pairs = {(code, story) for code in keys}
        record.member_ids.append(m.id)
        record.pairs |= pairs
        touched.add(best_seed)
        enter(best_seed, m.event, _cluster_buckets(best.date, best.precision, slack), pairs)
    out = []
    for seed in sorted(touched):
        cl, c = clusters[seed], carried[seed]
        out.append(Carried(seed, c.event, c.date, c.precision, c.basis, cl.actor, cl.recipient, cl.stories,
                           cl.articles, c.member_ids, c.pairs))
    return out


def _span(window: str, days: int | None) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of a window: a month, a block of ``days`` days, or (None, None) for a year window or a
    malformed month ("2021-00", whose year's events hold every one it can join)."""
    try:
        if len(window) == 10 and days:  # a block of days
            start = dt.date.fromisoformat(window)
            return start, start + dt.timedelta(days=days - 1)
        if window[5:7] == "13":
            return None, None
        start = dt.date(int(window[:4]), int(window[5:7]), 1)
    except ValueError:
        return None, None
    return start, (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


class _State:
    """The events between tasks, with the indexes a driver needs to pick a window's carry: by month, year, story.
    In memory; ``wiredesk.engine.linking`` runs the same schedule with this state on the run's engine."""

    def __init__(self) -> None:
        self.clusters: dict[Seed, Carried] = {}
        self.by_month: dict[str, set[Seed]] = defaultdict(set)
        self.by_year: dict[str, set[Seed]] = defaultdict(set)
        self.by_story: dict[str, set[Seed]] = defaultdict(set)
        self.undated: set[Seed] = set()

    def put(self, c: Carried) -> None:
        seed = c.seed
        if seed not in self.clusters:
            if c.date:
                self.by_month[c.date[:7]].add(seed)
                self.by_year[c.date[:4]].add(seed)
            else:
                self.undated.add(seed)
        self.clusters[seed] = c
        for s in c.stories:
            self.by_story[s].add(seed)

    def carry(self, window: tuple[str, str], wanted: set[str], reach: int, days: int | None = None) -> list[Seed]:
        """Events the mentions of a run of consecutive dated windows ``(first, last)`` (one window: first ==
        last), with participant keys ``wanted``, can join (a superset: the task's index decides)."""
        first, last = window
        year = first[:4]
        seeds: set[Seed] = set(self.undated)
        start, end = _span(first, days)[0], _span(last, days)[1]
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
            seeds |= {s for y in range(start.year, end.year + 1) for s in self.by_year.get(str(y), ())
                      if date_precision(self.clusters[s].date, self.clusters[s].precision) not in ("day", "month")}
        return sorted(s for s in seeds if self.clusters[s].keys & wanted)

    def story_components(self, items: list[Any], story_of: Callable[[Any], str],
                         keys_of: Callable[[Any], Sequence[str]]) -> list[tuple[list[Any], list[Seed]]]:
        """Undated mentions by groups of stories no event spans, with the events of those stories."""
        stories = {story_of(m) for m in items}
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
        groups: dict[str, list[Any]] = defaultdict(list)
        for m in items:
            groups[find(story_of(m))].append(m)
        out = []
        for root in sorted(groups):
            members = {s for s in stories if find(s) == root}
            wanted = {k for m in groups[root] for k in keys_of(m)}
            seeds = {seed for s in members for seed in self.by_story.get(s, ())}
            out.append((groups[root], sorted(s for s in seeds if self.clusters[s].keys & wanted)))
        return out


#: One step of a schedule: ("dated", pass, (first window, last window), mentions) or ("undated", pass, None,
#: mentions).
Step = tuple[str, tuple[int, int, bool], "tuple[str, str] | None", list[Any]]


def schedule(items: list[Any], order: str = "exact", days: int | None = None, min_mentions: int = 0) -> list[Step]:
    """The steps of one type's windowed pass. ``items`` are mentions, or anything with the fields the order reads
    (``id``, ``date``, ``date_precision``, ``date_basis``); each step's items are in pass order.

    ``order``: "exact" runs passes outer and windows inner (the greedy order kept); "wavefront" runs windows
    outer (every pass of a month, then the next month; a year's year-dated mentions after its December; undated
    mentions last), which may differ near window edges. ``days``: day-dated mentions in blocks of that many days
    instead of calendar months (:func:`window_key`).

    ``min_mentions`` (exact order): consecutive windows of a pass are run as one task until it holds that many
    mentions, so a sparse type or pass is a few tasks, not one per month (each task has a fixed cost on an
    engine: ~20 ms on Dask). The task's carry is then that of the whole span; the events are the same."""
    if order not in ("exact", "wavefront"):
        raise ValueError(f"order must be 'exact' or 'wavefront', not {order!r}")
    if days is not None and days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    passes: dict[tuple[int, int, bool], list[Any]] = defaultdict(list)
    for m in sorted(items, key=order_key):
        passes[pass_key(m)].append(m)
    dated: dict[tuple[tuple[int, int, bool], str], list[Any]] = defaultdict(list)
    for key, ms in passes.items():
        if key[2]:
            for m in ms:
                dated[(key, window_key(m, days))].append(m)
    if order == "exact":
        steps: list[Step] = []
        for key in sorted(passes):
            if not key[2]:
                steps.append(("undated", key, None, passes[key]))
                continue
            for w in sorted(w for (k, w) in dated if k == key):
                ms = dated[(key, w)]
                last = steps[-1] if steps else None
                if (last is not None and last[1] == key and last[2] is not None and len(last[3]) < min_mentions
                        and _mergeable(last[2][1], w, days)):
                    steps[-1] = ("dated", key, (last[2][0], w), last[3] + ms)
                else:
                    steps.append(("dated", key, (w, w), ms))
        return steps
    steps = [("dated", k, (w, w), dated[(k, w)]) for (k, w) in sorted(dated, key=lambda kw: (kw[1], kw[0]))]
    return steps + [("undated", key, None, passes[key]) for key in sorted(passes) if not key[2]]


def _mergeable(previous: str, window: str, days: int | None) -> bool:
    """Whether ``window`` may extend a span ending at ``previous``: both months or both blocks of days (a span
    is a run of days), never a year window or a malformed month (their carry is their year's)."""
    kind = task_kind((previous, previous))
    return (kind in ("month", "days") and kind == task_kind((window, window))
            and None not in _span(previous, days) and None not in _span(window, days))


def task_kind(window: tuple[str, str] | None) -> str:
    if window is None:
        return "story"
    first = window[0]
    return "days" if len(first) == 10 else "year" if first.endswith("-13") else "month"


#: What a chain yields for each task: its kind, its mentions (pass order) and the events they can reach.
TaskSpec = tuple[str, list[Any], list[Carried]]


def _region(window: tuple[str, str], reach: int, days: int | None) -> tuple[dt.date, dt.date] | None:
    """The dates of the events a task over ``window`` can touch: those its carry holds (within ``reach`` days of
    the span) and those it founds (inside the span). None when unbounded (a year window, a malformed month)."""
    start, end = _span(window[0], days)[0], _span(window[1], days)[1]
    if start is None or end is None:
        return None
    return start - dt.timedelta(days=reach), end + dt.timedelta(days=reach)


def dependencies(steps: list[Step], reach: int, days: int | None = None) -> list[set[int]]:
    """For each step, the earlier steps it must wait for: those whose events it may touch.

    A dated task can reach only events dated within ``reach`` days of its span and founds events only inside it
    (year-dated and undated events, which any task could reach, are founded by later passes: year windows and
    undated steps, which wait for everything before them, and everything after waits for them). So a task waits
    only for the earlier tasks whose region overlaps its own, in its pass (the previous month) and in earlier
    passes (the same months); tasks with disjoint regions touch disjoint events, so they may run side by side
    in any order and give what running the steps one after another gives. A type's steps form a wavefront:
    the next pass can start on January while this one is in March."""
    regions = [_region(w, reach, days) if w is not None else None for _, _, w, _ in steps]
    out: list[set[int]] = []
    for t, region in enumerate(regions):
        out.append({u for u in range(t) if region is None or regions[u] is None
                    or not (regions[u][1] < region[0] or region[1] < regions[u][0])})
    return out


def depth(deps: list[set[int]]) -> int:
    """The longest chain of steps each waiting for the one before: the rounds a type needs on unlimited workers."""
    level: list[int] = []
    for wait in deps:
        level.append(1 + max((level[u] for u in wait), default=0))
    return max(level, default=0)


#: A task's tag in a chain: (step, story component; 0 for a dated step).
Tag = tuple[int, int]


def chain(steps: list[Step], story_of: Callable[[Any], str], keys_of: Callable[[Any], Sequence[str]],
          settings: LinkSettings = LINK, days: int | None = None, state: _State | None = None
          ) -> Generator[list[tuple[Tag, TaskSpec]], tuple[Tag, list[Carried]], _State]:
    """One type's tasks as they become ready (:func:`dependencies`): yields a list of newly ready tasks, each
    (tag, (kind, mentions, carry)), and is sent back one finished task at a time, (tag, the events it returned:
    :func:`link_window`); returns the state, every event of the type in it, when all are done.

    A generator, so that a driver can run the tasks of several types side by side on an engine's workers, each
    as soon as the tasks it waits for are done (``wiredesk.engine.linking``), or in a loop
    (:func:`cluster_windowed`)."""
    state = state if state is not None else _State()
    reach = reach_days(settings)
    deps = dependencies(steps, reach, days)
    waiting = [set(d) for d in deps]
    dependents: dict[int, list[int]] = defaultdict(list)
    for t, wait in enumerate(deps):
        for u in wait:
            dependents[u].append(t)
    open_tasks: dict[int, int] = {}  # step -> its tasks not finished yet

    def launch(ready: list[int]) -> list[tuple[Tag, TaskSpec]]:
        specs: list[tuple[Tag, TaskSpec]] = []
        for t in ready:
            kind, _key, window, items = steps[t]
            if kind == "dated":
                assert window is not None
                wanted = {k for m in items for k in keys_of(m)}
                groups = [(items, state.carry(window, wanted, reach, days))]
            else:
                groups = state.story_components(items, story_of, keys_of)
            open_tasks[t] = len(groups)
            specs += [((t, c), (task_kind(window), group, [state.clusters[s] for s in seeds]))
                      for c, (group, seeds) in enumerate(groups)]
        return specs

    def finish(t: int) -> list[int]:
        del open_tasks[t]
        ready = []
        for v in dependents.get(t, ()):
            waiting[v].discard(t)
            if not waiting[v]:
                ready.append(v)
        return ready

    specs = launch([t for t, wait in enumerate(waiting) if not wait])
    while open_tasks:
        empty = [t for t, n in open_tasks.items() if n == 0]  # a step without tasks (no story component)
        if empty:
            specs += launch([v for t in empty for v in finish(t)])
            continue
        (t, _c), result = yield specs
        for c in result:
            state.put(c)
        open_tasks[t] -= 1
        specs = launch(finish(t)) if open_tasks[t] == 0 else []
    return state


def cluster_windowed(mentions: list[EventMention], mention_story: dict[str, str], settings: LinkSettings = LINK,
                     *, order: str = "exact", days: int | None = None, min_mentions: int = 0,
                     isolate: bool = False, stats: WindowStats | None = None) -> list[Cluster]:
    """The clusters of ``cluster_mentions`` (same members, same order), computed window by window in this process
    (:func:`schedule`, :func:`chain`). ``isolate``: each task gets a pickled copy of its payload and its result
    is unpickled, as on a worker (and the payload's size is measured)."""
    stats = stats if stats is not None else WindowStats()
    steps = schedule(mentions, order, days, min_mentions)
    stats.passes = max(stats.passes, len({key for _, key, _, _ in steps}))
    stats.mentions += len(mentions)

    def story_of(m: EventMention) -> str:
        return mention_story.get(m.id, "")

    def keys_of(m: EventMention) -> list[str]:
        return _participant_keys(m, story_of(m))

    def run(spec: TaskSpec) -> list[Carried]:
        kind, task_mentions, carry = spec
        stats.count(kind, len(task_mentions), len(carry))
        task = WindowTask(task_mentions, carry, {m.id: story_of(m) for m in task_mentions})
        if not isolate:
            return link_window(task, settings)
        blob = pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
        stats.largest_payload_bytes = max(stats.largest_payload_bytes, len(blob))
        return pickle.loads(pickle.dumps(link_window(pickle.loads(blob), settings),  # noqa: S301 - own data
                                         protocol=pickle.HIGHEST_PROTOCOL))

    stats.rounds += depth(dependencies(steps, reach_days(settings), days))
    tasks = chain(steps, story_of, keys_of, settings, days)
    ready: list[tuple[Tag, TaskSpec]] = []
    try:
        ready += next(tasks)
        while True:
            # the most recently readied task first, not the schedule's order: tasks that are ready together
            # touch disjoint events, so any order gives the same events (what the tests check on this)
            tag, spec = ready.pop()
            ready += tasks.send((tag, run(spec)))
    except StopIteration as done:
        state: _State = done.value
    by_id = {m.id: m for m in mentions}
    return [c.cluster([by_id[i] for i in c.member_ids], index=i)
            for i, c in enumerate(state.clusters[s] for s in sorted(state.clusters))]


def carried_summary(c: Carried, previous: dict[str, str]) -> Any:
    """``linker.id_summary`` of a carried event, from its member ids: what id assignment reads."""
    from wiredesk.link.linker import summarise_ids

    return summarise_ids(c.member_ids, c.event, c.actor, c.recipient, c.date, previous)


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
