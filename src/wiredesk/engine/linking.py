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
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

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
    #: Peak number of mentions in one partition: what bounds a worker's memory in the linking phase.
    largest_partition: int = 0


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


def link_store(store: Store, executor: Executor | None = None,
               progress: Callable[[int, int], None] | None = None) -> LinkReport:
    """Re-link every stored mention into canonical events (deterministic; ids kept from the last run).

    The corpus phase runs here, with the store (:func:`corpus_phase`); then each partition of the mentions
    (``link.partition_key``: the PLOVER type) is linked as its own task on the engine, and its events are written
    as they come back. The store ends as ``link.link`` in one process would leave it. ``progress(done, total)``
    counts steps: the corpus phase, each partition, the stories."""
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
            out.events(part["rows"], part["mention_event"])
            report.events += len(part["rows"])
            report.mentions_unpromoted += part["unpromoted"]
            report.largest_partition = max(report.largest_partition, part["mentions"])
            for sid, eids in part["story_events"].items():
                story_events.setdefault(sid, []).extend(eids)
            done += 1
            tick(1 + done, steps)
        stories = [Story(id=sid, article_ids=aids, title=title, start=start, end=end,
                         event_ids=sorted(story_events.get(sid, [])))
                   for sid, aids, title, start, end in store.story_spans(view.story_of, view.corrected)]
        out.corpus(stories, view.groups, view.corrections)
    tick(steps, steps)
    return report
