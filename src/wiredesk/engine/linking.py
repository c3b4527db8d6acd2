"""The linking phase of a run, over the store: the corpus phase out of core, then one task per partition.

``wiredesk.link.link`` takes every article row and mention in memory. On a store that would hold, per article,
its MinHash values and story vector (~3 KB) plus the mentions (~8 KB of objects): ~1 GB per 100k articles in the
writer. Here the same decisions are made with the store doing the corpus-wide work:

* near-copy pairs are found by DuckDB (``link.copies.near_copy_pairs``: the same banding and confirmation), so
  fingerprints never sit in Python's memory;
* publication-date repair reads only the articles that have near-copies;
* stories are assigned in one pass over articles streamed in story order (DuckDB sorts), holding only the
  stories still open;
* each partition of the mentions (``link.partition_key``) is a task on the run's engine, given its mention
  records and the article rows it reads, fetched from the store for it;
* story records are aggregated by DuckDB.

What stays in the writer's memory for the whole corpus is maps keyed by article id (near-copy group, story; during
the story pass also day, title and actor codes) and the corrections. ``tests/test_engines.py`` checks that the
store ends exactly as with ``link.link`` in one process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from wiredesk.engine.executors import Executor
from wiredesk.model import Story
from wiredesk.settings import LINK, LinkSettings
from wiredesk.store import Store


@dataclass
class LinkReport:
    """What linking the store did (the records themselves are in the store)."""

    partitions: int = 0
    events: int = 0
    mentions_unpromoted: int = 0
    #: Peak number of mentions in one partition: what bounds a worker's memory in the linking phase. With the
    #: time-window shuffle, the largest window task (its mentions and the events carried into it).
    largest_partition: int = 0
    shuffle: str = "type"
    #: time-window shuffle: window tasks run, and the events carried into them (summed: the re-shipping cost)
    window_tasks: int = 0
    carried: int = 0
    #: time-window shuffle: the longest chain of window tasks each waiting for the one before, over the types
    window_rounds: int = 0


class StoreView:
    """The corpus phase's decisions (near-copy groups, corrections, stories) with article rows read from the
    store on demand, one partition's worth at a time."""

    def __init__(self, store: Store, groups: dict[str, str], corrections: list[dict[str, Any]],
                 story_of: dict[str, str]) -> None:
        self.store, self.groups, self.corrections, self.story_of = store, groups, corrections, story_of
        self.corrected = {c["article_id"]: c["new"] for c in corrections}
        # near-copy groups with more than one article (a group's id is "dup-" + its smallest member's id)
        self._members: dict[str, list[str]] = defaultdict(list)
        for aid, group in groups.items():
            if group != "dup-" + aid:
                self._members[group].append(aid)
        for group, aids in self._members.items():
            aids.append(group[len("dup-"):])

    def for_articles(self, article_ids: set[str]) -> Any:
        """A ``link.CorpusView`` for the mentions of ``article_ids``: their rows and their near-copies'."""
        from wiredesk.link import CorpusView

        keep = set(article_ids)
        for aid in article_ids:
            keep.update(self._members.get(self.groups.get(aid, ""), ()))
        rows = {}
        for row in self.store.view_rows(sorted(keep)):
            if row["id"] in self.corrected:
                row["published"], row["published_basis"] = self.corrected[row["id"]], "corrected"
            rows[row["id"]] = row
        return CorpusView(rows=rows, groups={a: self.groups[a] for a in sorted(keep) if a in self.groups},
                          corrections=[c for c in self.corrections if c["article_id"] in keep],
                          story_of={a: self.story_of[a] for a in sorted(keep) if a in self.story_of})


def corpus_phase(store: Store, previous_stories: dict[str, str], settings: LinkSettings = LINK) -> StoreView:
    """Steps 1-3 of ``link.link`` (near-copies, publication dates, stories) with the store doing the corpus-wide
    work; the same decisions as ``link.corpus_view`` over ``store.link_articles()``."""
    from wiredesk.link.copies import correct_publication_dates, groups_from_pairs, near_copy_pairs
    from wiredesk.link.stories import assign_stories_in_order

    with _cursor(store) as cur:
        pairs = near_copy_pairs(cur, "SELECT id, fingerprint FROM articles", settings)
    groups = groups_from_pairs(store.article_ids(), pairs)
    copied = sorted({a for pair in pairs for a in pair})
    # only articles with near-copies can be corrected; the rest have nothing to vote with
    corrections = correct_publication_dates(store.link_articles(ids=copied), groups)
    corrected = {c["article_id"]: c["new"] for c in corrections}
    order = store.story_order(set(previous_stories), corrected)
    story_of = assign_stories_in_order(order, groups, previous_stories, settings)
    return StoreView(store, groups, corrections, story_of)


@contextlib.contextmanager
def _cursor(store: Store) -> Iterator[Any]:
    cur = store.con.cursor()
    try:
        yield cur
    finally:
        cur.close()


def link_partition(payload: tuple[list[str], Any, dict[str, str]]) -> dict[str, Any]:
    """One linking partition, on any worker: parse its mention records, run ``link.link_mentions`` and return the
    events as store rows (compact text), so the writer never holds a partition's objects."""
    from wiredesk import link
    from wiredesk.model import EventMention

    records, view, previous = payload
    mentions = [EventMention.from_dict(json.loads(r)) for r in records]
    part = link.link_mentions(mentions, view, previous)
    return {"rows": [Store.event_row(e) for e in part.events], "mention_event": part.mention_event,
            "unpromoted": len({m for u in part.unpromoted for m in u["mention_ids"]}),
            "story_events": part.story_events, "mentions": len(records)}


#: How linking's coreference step is shuffled over the engine: "type" (one task per PLOVER type) or "window" (a
#: chain of (pass, time window) tasks per type with a carry of reachable events: :mod:`wiredesk.link.windows`).
SHUFFLES = ("type", "window")


def link_store(store: Store, executor: Executor | None = None,
               progress: Callable[[int, int], None] | None = None, shuffle: str = "window",
               days: int | None = None) -> LinkReport:
    """Re-link every stored mention into canonical events (deterministic; ids kept from the last run).

    The corpus phase runs here, with the store (:func:`corpus_phase`); then each partition of the mentions
    (``link.partition_key``: the PLOVER type) is linked as its own task on the engine, and its events are written
    as they come back. The store ends as ``link.link`` in one process would leave it. ``progress(done, total)``
    counts steps: the corpus phase, each partition, the stories.

    ``shuffle="window"`` runs each type's coreference as a chain of (pass, time window) tasks instead
    (:func:`_link_windowed`; ``days``: day-dated mentions in blocks of that many days, not months); the store ends
    the same."""
    if shuffle not in SHUFFLES:
        raise ValueError(f"unknown shuffle {shuffle!r}; choose one of {', '.join(SHUFFLES)}")
    if shuffle == "window":
        return _link_windowed(store, executor, progress, days)
    tick = progress or (lambda done, total: None)
    # Articles keep their story across runs, so a new batch joins existing stories and story ids stay stable.
    previous_stories = store.previous_stories()
    keys = store.mention_partitions()
    steps = len(keys) + 2
    tick(0, steps)
    view = corpus_phase(store, previous_stories)
    tick(1, steps)
    report = LinkReport(partitions=len(keys))

    def payloads() -> Iterator[tuple[list[str], Any, dict[str, str]]]:
        for key in keys:
            records, articles = store.partition_records(key)
            yield records, view.for_articles(articles), store.partition_previous(key)

    story_events: dict[str, list[str]] = {}
    done = 0
    with contextlib.ExitStack() as stack:
        if executor is None:
            executor = stack.enter_context(Executor("local"))
        out = stack.enter_context(store.relinking())
        # one partition per worker in flight: the writer holds at most that many partitions' records
        for part in executor.map(link_partition, payloads(), window=executor.size):
            _write_events(part, out, report, story_events)
            report.largest_partition = max(report.largest_partition, part["mentions"])
            done += 1
            tick(1 + done, steps)
        _write_corpus(store, out, view, story_events)
    tick(steps, steps)
    return report


def _write_events(part: dict[str, Any], out: Any, report: LinkReport, story_events: dict[str, list[str]]) -> None:
    """Write a task's events and mention links (in the relinking transaction) and count them."""
    out.events(part["rows"], part["mention_event"])
    report.events += len(part["rows"])
    report.mentions_unpromoted += part["unpromoted"]
    for sid, eids in part["story_events"].items():
        story_events.setdefault(sid, []).extend(eids)


def _write_corpus(store: Store, out: Any, view: StoreView, story_events: dict[str, list[str]]) -> None:
    """Write the stories (aggregated by DuckDB, with the events each holds), near-copy groups and corrections."""
    stories = [Story(id=sid, article_ids=aids, title=title, start=start, end=end,
                     event_ids=sorted(story_events.get(sid, [])))
               for sid, aids, title, start, end in store.story_spans(view.story_of, view.corrected)]
    out.corpus(stories, view.groups, view.corrections)


# -- the time-window shuffle ------------------------------------------------------------------------------------
#
# Three phases, each on the engine's workers, the store read by the writer alone:
#
# 1. *live mentions*, tasks of whole near-copy groups: a mention is re-dated from its article's corrected date or
#    from the copy its sentence came from (``link.linker.live_mentions``) and negated ones are left out. A copy can
#    be republished days later, in another window, so this comes before the shuffle by time. Each task returns one
#    small :class:`Slot` per live mention: what the shuffle is keyed on.
# 2. *coreference*, per type a chain of (pass, time window) tasks (``link.windows.schedule`` / ``chain``): each
#    task gets its window's mentions and the events they can reach (the carry: by date, and only events sharing a
#    participant key with the window), and returns the events it touched. Types run side by side; a type's tasks
#    run in order, the writer keeping the type's events (without their mentions) between them.
# 3. *events*, per type batches of finished events with their mentions: consensus, summary, confidence and the
#    record (``link.linker.partition_result``), ids given by ``assign_ids`` over the whole type as before.


class Slot(NamedTuple):
    """A live mention as coreference sees it: its date after re-dating and its parties, each party only as far as
    matching reads it (code, sector, knowledge-base id). It stands in for the mention in the greedy pass (which
    reads nothing else), so window tasks ship and parse no mention records."""

    id: str
    event: str
    article_id: str
    date: str | None
    date_precision: str | None
    date_basis: str
    actor: list[Any]
    recipient: list[Any]
    #: the participant keys it is indexed and looked up under (``link.events._participant_keys`` with its story)
    keys: tuple[str, ...] = ()


def _party(e: Any, seen: dict[tuple[str, str | None, str | None], Any]) -> Any:
    """An entity as matching reads it, one object per distinct party (a corpus names a few thousand)."""
    from wiredesk.model import Entity

    key = (e.code, e.sector, e.kb_id)
    if key not in seen:
        seen[key] = Entity(code=e.code, sector=e.sector, kb_id=e.kb_id)
    return seen[key]


def live_slots(payload: tuple[list[str], Any]) -> list[Slot]:
    """Phase 1 on a worker: the live mentions of whole near-copy groups, as slots."""
    from wiredesk.link.linker import live_mentions
    from wiredesk.model import EventMention

    from wiredesk.link.events import _participant_keys

    records, view = payload
    mentions = sorted((EventMention.from_dict(json.loads(r)) for r in records), key=lambda m: m.id)
    seen: dict[tuple[str, str | None, str | None], Any] = {}
    return [Slot(m.id, m.event, m.article_id, m.date, m.date_precision, m.date_basis,
                 [_party(e, seen) for e in m.actor], [_party(e, seen) for e in m.recipient],
                 tuple(_participant_keys(m, view.story_of.get(m.article_id, ""))))
            for m in live_mentions(mentions, view)]


def _parse_live(items: list[tuple[str, str | None, str | None]]) -> list[Any]:
    """Mention records with their live date (phase 1's), as objects."""
    from wiredesk.model import EventMention

    out = []
    for record, date, precision in items:
        m = EventMention.from_dict(json.loads(record))
        if m.date != date or m.date_precision != precision:
            m = dataclasses.replace(m, date=date, date_precision=precision)
        out.append(m)
    return out


def window_task(payload: tuple[list[Slot], list[Any], dict[str, str]]) -> list[Any]:
    """Phase 2 on a worker: one window's greedy pass (``link.windows.link_window``) over slots."""
    from wiredesk.link.windows import WindowTask, link_window

    slots, carry, story = payload
    return link_window(WindowTask(slots, carry, story))  # type: ignore[arg-type] - a Slot reads as a mention


def event_task(payload: tuple[list[tuple[str, Any]], dict[str, tuple[str, str | None, str | None]], Any]
               ) -> dict[str, Any]:
    """Phase 3 on a worker: finished events (id, carried event) with their mentions' records built into event
    rows, as :func:`link_partition` returns them."""
    from wiredesk.link.linker import partition_result

    entries, records, view = payload
    ids = [i for _, c in entries for i in c.member_ids]
    mentions = dict(zip(ids, _parse_live([records[i] for i in ids])))
    clusters = [c.cluster([mentions[i] for i in c.member_ids]) for _, c in entries]
    part = partition_result(clusters, [eid for eid, _ in entries], view)
    return {"rows": [Store.event_row(e) for e in part.events], "mention_event": part.mention_event,
            "unpromoted": len({m for u in part.unpromoted for m in u["mention_ids"]}),
            "story_events": part.story_events, "mentions": len(ids)}


event_task.large_payload = True  # type: ignore[attr-defined] - Executor.chains scatters its payload on Dask

#: Mentions per task of phases 1 and 3: large enough that a task's fixed cost (a store query, shipping the view)
#: is small, small enough that a worker holds little.
_LIVE_TASK_MENTIONS = 5000
_EVENT_TASK_MENTIONS = 2000
#: Consecutive windows of a pass make one task until it holds this many mentions (``link.windows.schedule``): a
#: window task costs ~20 ms on Dask whatever its size, and at 10k synthetic articles most months of a type hold a
#: few dozen mentions per pass.
_WINDOW_TASK_MENTIONS = 500


def _live_chunks(store: Store, view: StoreView) -> Iterator[list[str]]:
    """Article ids with mentions, whole near-copy groups together, ~``_LIVE_TASK_MENTIONS`` mentions a chunk."""
    counts = dict(store.con.execute(
        "SELECT article_id, count(*) FROM mentions WHERE event IS NOT NULL GROUP BY article_id").fetchall())
    by_group: dict[str, list[str]] = defaultdict(list)
    for aid in counts:
        by_group[view.groups.get(aid, "dup-" + aid)].append(aid)
    chunk: list[str] = []
    size = 0
    for group in sorted(by_group):
        chunk += sorted(by_group[group])
        size += sum(counts[a] for a in by_group[group])
        if size >= _LIVE_TASK_MENTIONS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _type_chain(key: str, slots: list[Slot], view: StoreView, store: Store, out: Any, report: LinkReport,
                story_events: dict[str, list[str]], days: int | None, fan: int
                ) -> Generator[list[tuple[Any, Any, Any]], tuple[Any, Any], None]:
    """Phases 2 and 3 for one type, as a chain for ``Executor.chains``: yields ready tasks (tag, function,
    payload) and is sent each finished one's (tag, result). Window tasks are ready when the tasks whose events
    they may touch are done (``link.windows.chain``); then the events are built, ``fan`` batches in flight."""
    from wiredesk.link.linker import assign_ids
    from wiredesk.link.windows import carried_summary, chain, depth, dependencies, reach_days, schedule

    def story_of(s: Slot) -> str:
        return view.story_of.get(s.article_id, "")

    def keys_of(s: Slot) -> tuple[str, ...]:
        return s.keys  # worked out by the live-mention task, which has the story

    def window_tasks(specs: list[tuple[Any, Any]]) -> list[tuple[Any, Any, Any]]:
        out_tasks = []
        for tag, (_kind, items, carry) in specs:
            report.window_tasks += 1
            report.carried += len(carry)
            report.largest_partition = max(report.largest_partition, len(items) + len(carry))
            out_tasks.append((tag, window_task, (items, carry, {s.id: story_of(s) for s in items})))
        return out_tasks

    by_id = {s.id: s for s in slots}
    steps = schedule(slots, "exact", days, _WINDOW_TASK_MENTIONS)
    report.window_rounds = max(report.window_rounds, depth(dependencies(steps, reach_days(LINK), days)))
    tasks = chain(steps, story_of, keys_of, LINK, days)
    try:
        received = yield window_tasks(next(tasks))
        while True:
            received = yield window_tasks(tasks.send(received))
    except StopIteration as done:
        state = done.value
    carried = [state.clusters[seed] for seed in sorted(state.clusters)]  # creation order, as cluster_mentions
    del state
    previous = store.partition_previous(key)
    ids = assign_ids([carried_summary(c, previous) for c in carried])

    def batches() -> Iterator[tuple[Any, Any, Any]]:
        batch: list[tuple[str, Any]] = []
        size = 0
        for i, (eid, c) in enumerate(zip(ids, carried)):
            batch.append((eid, c))
            size += len(c.member_ids)
            if size < _EVENT_TASK_MENTIONS and i + 1 < len(carried):
                continue
            members = [m for _, b in batch for m in b.member_ids]
            records = store.mention_records(members)
            live = {m: (records[m], by_id[m].date, by_id[m].date_precision) for m in members}
            yield ("events", i), event_task, (batch, live, view.for_articles({by_id[m].article_id for m in members}))
            batch, size = [], 0

    todo = batches()
    first = [t for _, t in zip(range(fan), todo)]  # the writer holds ``fan`` batches' records at a time
    in_flight = len(first)
    if not in_flight:
        return
    received = yield first
    while True:
        _tag, part = received
        in_flight -= 1
        _write_events(part, out, report, story_events)
        more = next(todo, None)
        if more is None and not in_flight:
            return
        if more is not None:
            in_flight += 1
        received = yield [more] if more is not None else []


def _link_windowed(store: Store, executor: Executor | None, progress: Callable[[int, int], None] | None,
                   days: int | None) -> LinkReport:
    """``link_store`` with the time-window shuffle (the phases above); the store ends the same."""
    tick = progress or (lambda done, total: None)
    previous_stories = store.previous_stories()
    keys = store.mention_partitions()
    report = LinkReport(partitions=len(keys), shuffle="window")
    with contextlib.ExitStack() as stack:
        if executor is None:
            executor = stack.enter_context(Executor("local"))
        tick(0, len(keys) + 3)
        view = corpus_phase(store, previous_stories)
        chunks = list(_live_chunks(store, view))
        steps = len(chunks) + len(keys) + 2
        tick(1, steps)
        slots: dict[str, list[Slot]] = defaultdict(list)

        def live_payloads() -> Iterator[tuple[list[str], Any]]:
            for chunk in chunks:
                yield store.article_mention_records(chunk), view.for_articles(set(chunk))

        done = 1
        seen: dict[tuple[str, str | None, str | None], Any] = {}
        for part in executor.map(live_slots, live_payloads(), window=executor.size):
            for slot in part:  # parties shared across tasks' slots: the writer holds every slot until its chain
                slots[slot.event].append(slot._replace(actor=[_party(e, seen) for e in slot.actor],
                                                       recipient=[_party(e, seen) for e in slot.recipient]))
            done += 1
            tick(done, steps)
        story_events: dict[str, list[str]] = {}
        out = stack.enter_context(store.relinking())
        # the largest types first: a type is a chain of tasks in order, so the longest chain bounds the phase
        order = sorted(slots, key=lambda k: (-len(slots[k]), k))
        chains = [_type_chain(k, slots.pop(k), view, store, out, report, story_events, days, executor.size)
                  for k in order]
        for _ in executor.chains(chains):
            done += 1
            tick(done, steps)
        for _ in range(len(keys) - len(order)):  # types whose mentions are all negated: nothing to link
            done += 1
            tick(done, steps)
        _write_corpus(store, out, view, story_events)
    tick(steps, steps)
    return report
