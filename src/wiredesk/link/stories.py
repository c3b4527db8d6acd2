"""Stories: articles about the same real-world happening.

Two clusterers live here:

* :func:`assign_stories` for ``link()``: a single pass over articles in publication order. Each article joins the
  most similar *active* story (one with an article published within ``story_window_days``) or opens a new one.
  Only active stories are compared, so the cost grows with the corpus times the stories open at one time
  (near-linear), and a new batch simply continues the pass over the stories already known (``previous`` ids).
* :func:`cluster_documents` for a closed collection without dates (ECB+): average-linkage clustering of TF-IDF
  cosines of all words mixed with names and numbers, with a penalty when the years the texts talk about differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

from wiredesk.link.copies import normalise_words
from wiredesk.settings import LINK, LinkSettings

_STOP = frozenset("""a an the of in on at to for from by with and or but is are was were be been has have had
it its this that as after before over into about says said say will would could new""".split())


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _title_words(article: dict[str, Any]) -> set[str]:
    return {w for w in normalise_words(article.get("title") or "") if w not in _STOP and len(w) > 2}


class _Story:
    __slots__ = ("id", "centroid", "unit", "count", "words", "codes", "last", "first", "groups")

    def __init__(self, sid: str) -> None:
        self.id = sid
        self.centroid: np.ndarray | None = None
        self.unit: np.ndarray | None = None  # centroid / |centroid|, kept up to date
        self.count = 0
        self.words: set[str] = set()
        self.codes: set[str] = set()
        self.first: dt.date | None = None
        self.last: dt.date | None = None
        self.groups: set[str] = set()


def _similarities(stories: list[_Story], vec: np.ndarray | None, words: set[str], codes: set[str],
                  group: str) -> np.ndarray:
    """Similarity of an article to each candidate story: embedding cosine with the story centroid (title-word
    overlap when there are no embeddings) plus a small actor-code bonus; a near-copy of a member scores 2."""
    n = len(stories)
    text_sim = np.zeros(n)
    with_vec = [i for i, s in enumerate(stories) if s.unit is not None] if vec is not None else []
    if with_vec:
        text_sim[with_vec] = np.stack([stories[i].unit for i in with_vec]) @ vec
    for i, s in enumerate(stories):
        if vec is None or s.unit is None:
            text_sim[i] = len(words & s.words) / len(words) if words else 0.0
    sims = text_sim
    if codes:
        sims = sims + 0.15 / len(codes) * np.array([len(codes & s.codes) for s in stories])
    sims[[i for i, s in enumerate(stories) if group in s.groups]] = 2.0
    return sims


def story_id_for(article_id: str) -> str:
    return "story-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def story_order_key(article: dict[str, Any], previous: dict[str, str]) -> tuple[bool, bool, dt.date, str]:
    """The order of the story pass: articles with an earlier story first (they seed their stories), then by day,
    undated last (they cannot be placed in time and are compared with every story still open), then by id."""
    day = _day(article.get("published"))
    return (article["id"] not in previous, day is None, day or dt.date.max, article["id"])


def assign_stories(articles: list[dict[str, Any]], groups: dict[str, str],
                   previous: dict[str, str] | None = None,
                   settings: LinkSettings = LINK) -> dict[str, str]:
    """article id -> story id.

    Articles with a story from ``previous`` (article id -> story id, an earlier run) seed their stories first, so
    a new batch joins existing stories and ids stay stable. A new story's id derives from its first article.
    """
    previous = previous or {}
    order = sorted(articles, key=lambda a: story_order_key(a, previous))
    return assign_stories_in_order(order, groups, previous, settings)


def assign_stories_in_order(order: Iterable[dict[str, Any]], groups: dict[str, str], previous: dict[str, str],
                            settings: LinkSettings = LINK) -> dict[str, str]:
    """:func:`assign_stories` over articles already in :func:`story_order_key` order, read once: a store can
    stream them sorted, so only the stories still open hold vectors (a story leaves the window for good)."""
    window = dt.timedelta(days=settings.story_window_days)
    stories: dict[str, _Story] = {}
    by_end: list[_Story] = []
    out: dict[str, str] = {}
    for art in order:
        aid = art["id"]
        day = _day(art.get("published"))
        emb = art.get("embedding")
        vec = np.asarray(emb, dtype=np.float32) if emb is not None and len(emb) else None
        words = _title_words(art)
        codes = {str(c) for c in art.get("actor_codes") or []}
        group = groups.get(aid, aid)
        story: _Story | None = None
        if aid in previous:
            story = stories.get(previous[aid])
            if story is None:
                story = stories[previous[aid]] = _Story(previous[aid])
                by_end.append(story)
        else:
            cands = [c for c in by_end if day is None or c.last is None
                     or c.first - window <= day <= c.last + window]  # type: ignore[operator]
            best = None
            if cands:
                sims = _similarities(cands, vec, words, codes, group)
                top = int(np.argmax(sims))  # first maximum: the oldest story on ties
                if sims[top] >= settings.story_similarity:
                    best = cands[top]
            story = best
            if story is None:
                story = stories[story_id_for(aid)] = _Story(story_id_for(aid))
                by_end.append(story)
        if vec is not None:
            story.centroid = vec.copy() if story.centroid is None else story.centroid + vec
            story.unit = story.centroid / (float(np.linalg.norm(story.centroid)) or 1.0)
        story.count += 1
        story.words.update(words)
        story.codes.update(codes)
        story.groups.add(group)
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        out[aid] = story.id
        # keep only stories still reachable from dates to come: the pass is in date order
        if day is not None and len(by_end) > 64:
            kept = [s for s in by_end if s.last is None or s.last + window >= day]
            for gone in by_end:  # never compared again: drop what only comparisons read
                if gone.last is not None and gone.last + window < day:
                    gone.centroid = gone.unit = None
                    gone.words, gone.codes, gone.groups = set(), set(), set()
            by_end = kept
    return out


# ---- closed collections without reliable dates (ECB+) -------------------------------------------------------

_NAME_OR_NUMBER = re.compile(r"\b(?:[A-Z][\w'-]+|\d[\d,.]*)\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def names_and_numbers(text: str) -> str:
    """Capitalised words and numbers: who, where and how many, the words that tell two similar events apart."""
    return " ".join(w.lower() for w in _NAME_OR_NUMBER.findall(text))


def main_years(text: str) -> set[str]:
    """The year(s) a text mentions most often: its rough time, when no publication date is known."""
    counts = Counter(_YEAR.findall(text))
    if not counts:
        return set()
    top = max(counts.values())
    return {y for y, n in counts.items() if n == top}


def document_similarity(texts: list[str], settings: LinkSettings = LINK) -> np.ndarray:
    """Pairwise similarity: mean of TF-IDF cosine over words and word pairs and over names/numbers, times the year
    penalty."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    # word pairs ("Indian navy", "heart attack") separate two similar happenings better than words alone; pairs seen
    # in one text only are noise for clustering
    words = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, settings.doc_word_ngrams),
                            min_df=2 if len(texts) >= 10 else 1).fit_transform(texts)
    names = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w[\w,.]*\b").fit_transform(
        [names_and_numbers(t) or "_" for t in texts])
    sim = (0.5 * (words @ words.T) + 0.5 * (names @ names.T)).toarray()
    years = [main_years(t) for t in texts]
    by_year: dict[str, list[int]] = defaultdict(list)
    for i, ys in enumerate(years):
        for y in ys:
            by_year[y].append(i)
    dated = np.array([bool(y) for y in years])
    overlap = np.zeros_like(sim, dtype=bool)
    for idx in by_year.values():
        overlap[np.ix_(idx, idx)] = True
    conflict = dated[:, None] & dated[None, :] & ~overlap
    sim[conflict] *= settings.doc_year_conflict
    return sim


def agglomerate(similarity: np.ndarray, distance: float) -> np.ndarray:
    """Average-linkage clusters of a similarity matrix cut at ``distance`` (1 - similarity)."""
    from sklearn.cluster import AgglomerativeClustering

    n = similarity.shape[0]
    if n < 2:
        return np.zeros(n, dtype=int)
    dist = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    return AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                   distance_threshold=distance).fit_predict(dist)


def cluster_documents(texts: list[str], settings: LinkSettings = LINK) -> list[int]:
    """Cluster a closed set of article texts into events (no dates, no gold input): a label per text."""
    if not texts:
        return []
    return [int(x) for x in agglomerate(document_similarity(texts, settings), settings.doc_cluster_distance)]
