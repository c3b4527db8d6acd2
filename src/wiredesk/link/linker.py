"""``link()``: from article rows and coded mentions to canonical events, stories and near-copy groups.

Steps (each in its own module):

1. near-copy groups from the MinHash fingerprints (:mod:`wiredesk.link.copies`);
2. publication dates that near-copies contradict are corrected, and the mentions dated from them re-dated; a
   relative date in a sentence copied from an earlier copy is dated as in that copy (syndication lag);
3. stories (:mod:`wiredesk.link.stories`), continuing those of an earlier run;
4. event coreference over non-negated mentions (:mod:`wiredesk.link.events`);
5. per event: consensus, conflicts, summary, confidence (:mod:`wiredesk.link.consensus`) and a stable id.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from wiredesk.link.consensus import (choose_date, choose_entities, choose_flags, choose_list, choose_location,
                                     confidence, settle_parties, summarise)
from wiredesk.link.copies import (copied_sentence_dates, correct_publication_dates, duplicate_groups, reanchored_date,
                                  shift_date)
from wiredesk.link.events import Cluster, cluster_mentions
from wiredesk.link.stories import assign_stories
from wiredesk.model import Event, EventMention, Story
from wiredesk.settings import LINK, LinkSettings

_ARTICLE_FIELDS = ("id", "path", "url", "publication", "title", "published")


@dataclass
class LinkResult:
    """Everything linking decides. ``mention_event`` maps every non-negated mention id to its event id."""

    events: list[Event] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    duplicate_groups: dict[str, str] = field(default_factory=dict)
    date_corrections: list[dict[str, Any]] = field(default_factory=list)
    mention_event: dict[str, str] = field(default_factory=dict)
    #: Clusters not promoted to events (too few parties, see :func:`promotable`): {event, actor, recipient,
    #: mention_ids, why}. Their mentions stay stored with their articles; a later run that adds the missing party
    #: promotes them.
    unpromoted: list[dict[str, Any]] = field(default_factory=list)


def count_parties(entities: list[Any]) -> int:
    """Distinct parties: one per country (or organisation code) and sector; an entity without a sector is the same
    party as any sector of its code (Biden and "the United States" are one party; USA:GOV and USA:LEG two)."""
    sectors: dict[str, set[str]] = {}
    for e in entities:
        sectors.setdefault(e.code, set()).update([e.sector] if e.sector else [])
    return sum(max(1, len(v)) for v in sectors.values())


def promotable(event: str, actor: list[Any], recipient: list[Any], settings: LinkSettings = LINK) -> str | None:
    """``None`` when a consensus (type, actor, recipient) makes a verified record, else why not.

    A record needs ``promote_min_parties`` distinct parties: an actor and a recipient; for the types whose parties
    may all be actors (CONSULT, COOPERATE, AGREE, SUPPORT) two distinct actors will do; the types PLOVER codes
    without a recipient (``promote_single_party_types``) need one party."""
    if event in settings.promote_single_party_types:
        return None if actor or recipient else "no party"
    if count_parties(actor + recipient) >= settings.promote_min_parties:
        if actor and recipient:
            return None
        if event in settings.promote_actor_only_types and count_parties(actor) >= settings.promote_min_parties:
            return None
    if not actor:
        return "no actor"
    if not recipient:
        return "no recipient" if event not in settings.promote_actor_only_types else "one party"
    return "one party"


def _content_id(cluster: Cluster) -> str:
    return content_id(cluster.event, cluster.actor, cluster.recipient, cluster.date, min(m.id for m in cluster.members))


def content_id(event: str, actor: list[Any], recipient: list[Any], date: str | None, first: str) -> str:
    """Deterministic id from what the event is: type, participants, seed date and first mention (smallest id)."""
    parts = [event, ",".join(sorted(e.key() for e in actor)), ",".join(sorted(e.key() for e in recipient)),
             date or "", first]
    return "ev-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


def _assign_ids(clusters: list[Cluster], previous: dict[str, str]) -> list[str]:
    return assign_ids([id_summary(cl, previous) for cl in clusters])


@dataclass(frozen=True)
class IdSummary:
    """What id assignment (:func:`assign_ids`) reads of a cluster, small enough for a driver to hold for every
    cluster of a type: its size, how many of its mentions each earlier event id had, and its content id."""

    size: int
    previous: tuple[tuple[str, int], ...]
    content_id: str


def id_summary(cluster: Cluster, previous: dict[str, str]) -> IdSummary:
    return summarise_ids([m.id for m in cluster.members], cluster.event, cluster.actor, cluster.recipient,
                         cluster.date, previous)


def summarise_ids(member_ids: list[str], event: str, actor: list[Any], recipient: list[Any], date: str | None,
                  previous: dict[str, str]) -> IdSummary:
    """The :class:`IdSummary` of an event from its members' ids (a cluster's, or a windowed event's, which
    travels without its mentions: ``link.windows.Carried``)."""
    counts: dict[str, int] = defaultdict(int)
    for i in member_ids:
        if i in previous:
            counts[previous[i]] += 1
    return IdSummary(len(member_ids), tuple(sorted(counts.items())),
                     content_id(event, actor, recipient, date, min(member_ids)))


def assign_ids(summaries: list[IdSummary]) -> list[str]:
    """Event ids for clusters (in creation order) from their summaries: reuse an earlier id when a cluster keeps
    (the majority of) its earlier mentions, larger clusters first, so when an earlier event splits its biggest
    part keeps the id and the rest get new ones; else the content id, re-hashed while taken (same content seen
    twice: ids stay unique, deterministically). Summaries, not clusters, so that time-windowed linking
    (``wiredesk.link.windows``) can close its clusters and keep only these."""
    ids: list[str | None] = [None] * len(summaries)
    taken: set[str] = set()
    order = sorted(range(len(summaries)), key=lambda i: (-summaries[i].size, i))
    for i in order:
        for eid, _n in sorted(summaries[i].previous, key=lambda x: (-x[1], x[0])):
            if eid not in taken:
                ids[i] = eid
                taken.add(eid)
                break
    for i in order:
        if ids[i] is None:
            eid = summaries[i].content_id
            while eid in taken:
                eid = "ev-" + hashlib.sha1(eid.encode("utf-8")).hexdigest()[:16]
            ids[i] = eid
            taken.add(eid)
    return [x for x in ids if x is not None]


def _redate(mentions: list[EventMention], corrections: list[dict[str, Any]]) -> list[EventMention]:
    """Mentions of corrected articles whose date came from the publication date (or the dateline's, when that
    was the corrected date), or was read relative to it."""
    by_article = {c["article_id"]: c for c in corrections}
    out = []
    for m in mentions:
        fix = by_article.get(m.article_id)
        if fix and m.date and (m.date_basis == "publication"
                               or (m.date_basis == "dateline" and m.date[:10] == fix["old"][:10])):
            m = dataclasses.replace(m, date=shift_date(m.date, m.date_precision, fix["old"], fix["new"]))
        elif fix and m.date and m.date_basis == "relative":
            m = dataclasses.replace(m, date=reanchored_date(m.text, m.date, m.date_precision, fix["old"], fix["new"]))
        out.append(m)
    return out


#: The article fields a partition of mentions reads: what an event cites, and the publication day its mentions'
#: dates are read against. Fingerprints and story vectors stay in the corpus phase.
VIEW_FIELDS = _ARTICLE_FIELDS + ("published_basis",)


@dataclass
class CorpusView:
    """What linking decides from the articles alone (steps 1-3), and all a partition of mentions needs of them.

    ``rows`` are slim article rows (:data:`VIEW_FIELDS`, publication dates corrected); ``groups`` maps every
    article to its near-copy group; ``story_of`` maps an article to its story."""

    rows: dict[str, dict[str, Any]]
    groups: dict[str, str]
    corrections: list[dict[str, Any]]
    story_of: dict[str, str]


@dataclass
class PartitionResult:
    """Steps 4-5 over one partition of the mentions: its events, which mention went to which event, the clusters
    too thin to be events, and story id -> its events' ids."""

    events: list[Event] = field(default_factory=list)
    mention_event: dict[str, str] = field(default_factory=dict)
    unpromoted: list[dict[str, Any]] = field(default_factory=list)
    story_events: dict[str, list[str]] = field(default_factory=dict)


def corpus_view(articles: list[dict[str, Any]], previous_stories: dict[str, str] | None = None,
                settings: LinkSettings = LINK) -> CorpusView:
    """Steps 1-3: near-copy groups, corrected publication dates, stories. Reads every article's fingerprint and
    story vector; the view it returns keeps neither."""
    rows = {a["id"]: dict(a) for a in articles}
    groups = duplicate_groups(list(rows.values()), settings)
    corrections = correct_publication_dates(list(rows.values()), groups)
    for fix in corrections:
        rows[fix["article_id"]]["published"] = fix["new"]
        rows[fix["article_id"]]["published_basis"] = "corrected"
    story_of = assign_stories(list(rows.values()), groups, previous_stories, settings)
    slim = {aid: {k: row.get(k) for k in VIEW_FIELDS} for aid, row in rows.items()}
    return CorpusView(rows=slim, groups=groups, corrections=corrections, story_of=story_of)


def partition_key(mention: EventMention) -> str:
    """The shuffle key of the linking phase: the PLOVER type.

    Mentions of two types never share an event (:func:`wiredesk.link.events.compatible`), a copied sentence is
    re-dated only from a mention of its own type, and an event id (reused or content-derived) belongs to one
    type, so linking each type on its own gives exactly the events of linking everything at once. Finer keys
    (time window, actor) are not exact as independent partitions: the greedy pass chains events across any window
    boundary (a month-dated or undated mention joins day-dated events; a growing event is found under every party
    it collects). ``wiredesk.link.windows`` gets the same events from time windows run as a chain of tasks with a
    carry of reachable events; that is how ``wiredesk run`` spreads linking by default (``--link-shuffle``)."""
    return mention.event


def link_mentions(mentions: list[EventMention], view: CorpusView, previous: dict[str, str] | None = None,
                  settings: LinkSettings = LINK) -> PartitionResult:
    """Steps 4-5 over mentions closed under coreference (all the mentions of some types; see
    :func:`partition_key`): re-date, cluster, give ids, build each event. A pure function of its arguments, so
    any worker can run it."""
    previous = previous or {}
    live = live_mentions(mentions, view)
    mention_story = {m.id: view.story_of.get(m.article_id, "") for m in live}
    clusters = cluster_mentions(live, mention_story, settings)
    return partition_result(clusters, _assign_ids(clusters, previous), view, settings)


def live_mentions(mentions: list[EventMention], view: CorpusView) -> list[EventMention]:
    """The mentions coreference works on: re-dated where their article's date was corrected or their sentence was
    copied from an earlier report, negated ones left out."""
    live = [m for m in _redate(mentions, view.corrections) if "negation" not in m.flags]
    return copied_sentence_dates(live, view.rows, view.groups)


def partition_result(clusters: list[Cluster], ids: list[str], view: CorpusView,
                     settings: LinkSettings = LINK) -> PartitionResult:
    """Step 5 over clustered mentions: each cluster with its id built into an event, or kept aside as too thin."""
    out = PartitionResult()
    story_events: dict[str, list[str]] = defaultdict(list)
    for cluster, eid in zip(clusters, ids):
        event = _canonical(cluster, eid, view.rows, view.groups, view.story_of, settings)
        why = promotable(event.event, event.actor, event.recipient, settings)
        if why is not None:
            out.unpromoted.append({"event": event.event, "actor": [e.key() for e in event.actor],
                                   "recipient": [e.key() for e in event.recipient], "date": event.date,
                                   "mention_ids": sorted(m.id for m in cluster.members), "why": why})
            continue
        out.events.append(event)
        for m in cluster.members:
            out.mention_event[m.id] = eid
        if event.story_id:
            story_events[event.story_id].append(eid)
    out.story_events = dict(story_events)
    return out


def partitions(mentions: list[EventMention]) -> dict[str, list[EventMention]]:
    """Mentions by :func:`partition_key`, keys in sorted order (the order results are merged in)."""
    parts: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        parts[partition_key(m)].append(m)
    return {k: parts[k] for k in sorted(parts)}


def merge(view: CorpusView, parts: list[PartitionResult]) -> LinkResult:
    """One :class:`LinkResult` from the partitions' results, in the order of a single-process run."""
    events = [e for p in parts for e in p.events]
    events.sort(key=lambda e: (e.date or "", e.id))
    story_events: dict[str, list[str]] = defaultdict(list)
    for p in parts:
        for sid, eids in p.story_events.items():
            story_events[sid].extend(eids)
    unpromoted = sorted((u for p in parts for u in p.unpromoted), key=lambda u: (u["event"], u["mention_ids"][0]))
    return LinkResult(events=events, stories=story_records(view, story_events), duplicate_groups=view.groups,
                      date_corrections=view.corrections,
                      mention_event={m: e for p in parts for m, e in p.mention_event.items()}, unpromoted=unpromoted)


def link(articles: list[dict[str, Any]], mentions: list[EventMention], previous: dict[str, str] | None = None,
         *, previous_stories: dict[str, str] | None = None, settings: LinkSettings = LINK) -> LinkResult:
    """Link mentions from many articles into canonical events and stories.

    ``articles``: one row per article (id, path, url, title, publication, published, published_basis,
    published_candidates, fingerprint, optional embedding, actor_codes). ``previous``: mention id -> event id
    from an earlier run; ``previous_stories``: article id -> story id from an earlier run. Pass all mentions
    (earlier and new): blocking keeps the cost near-linear, and ids are reused where clusters keep their mentions.
    In one process; ``wiredesk.engine.runner.link_store`` runs the same steps with the partitions on an engine.
    """
    view = corpus_view(articles, previous_stories, settings)
    return merge(view, [link_mentions(part, view, previous, settings) for part in partitions(mentions).values()])


def _canonical(cluster: Cluster, eid: str, rows: dict[str, dict[str, Any]], groups: dict[str, str],
               story_of: dict[str, str], settings: LinkSettings) -> Event:
    members = sorted(cluster.members, key=lambda m: (m.article_id, m.sentence, m.start, m.id))
    source_of = {m.article_id: groups.get(m.article_id, m.article_id) for m in members}
    conflicts = []
    date, precision, c = choose_date(members, source_of, settings)
    conflicts.append(c)
    actor, c = choose_entities("actor", members, source_of)
    conflicts.append(c)
    recipient, c = choose_entities("recipient", members, source_of)
    conflicts.append(c)
    mode, c = choose_list("mode", members, source_of, lambda m: m.mode)
    conflicts.append(c)
    context, c = choose_list("context", members, source_of, lambda m: m.context)
    conflicts.append(c)
    actor, recipient, party_conflicts = settle_parties(cluster.event, mode, members, source_of, actor, recipient)
    conflicts += party_conflicts
    summary, citations = summarise(members, source_of, settings)
    article_ids = sorted({m.article_id for m in members}, key=lambda a: (rows.get(a, {}).get("published") or "", a))
    stories = Counter(story_of.get(a) for a in article_ids if story_of.get(a))
    story_id = sorted(stories.items(), key=lambda x: (-x[1], x[0]))[0][0] if stories else None
    location, c = choose_location(members, source_of)
    conflicts.append(c)
    return Event(
        id=eid, event=cluster.event, mode=mode, context=context, date=date, date_precision=precision,
        actor=actor, recipient=recipient, flags=choose_flags(members, source_of),
        articles=[{k: rows.get(a, {}).get(k) if k != "id" else a for k in _ARTICLE_FIELDS} for a in article_ids],
        mentions=[{"id": m.id, "article_id": m.article_id, "sentence": m.sentence, "start": m.start, "end": m.end,
                   "text": m.text} for m in members],
        sources=len(set(source_of.values())), conflicts=[x for x in conflicts if x is not None],
        summary=summary, summary_citations=citations, confidence=confidence(members, source_of),
        story_id=story_id, location=location)


def story_records(view: CorpusView, story_events: dict[str, list[str]]) -> list[Story]:
    """The stories of a linked corpus: their articles (earliest first), title, span and events."""
    rows, story_of = view.rows, view.story_of
    members: dict[str, list[str]] = defaultdict(list)
    for aid, sid in story_of.items():
        members[sid].append(aid)
    out = []
    for sid, aids in members.items():
        aids.sort(key=lambda a: (rows[a].get("published") or "9999", a))
        dates = sorted(rows[a]["published"][:10] for a in aids if rows[a].get("published"))
        title = next((rows[a].get("title") for a in aids if rows[a].get("title")), "") or ""
        out.append(Story(id=sid, article_ids=aids, title=title, start=dates[0] if dates else None,
                         end=dates[-1] if dates else None, event_ids=sorted(story_events.get(sid, []))))
    out.sort(key=lambda s: (s.start or "", s.id))
    return out
