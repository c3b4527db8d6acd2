"""The per-article phase: clean -> publication date -> sentences -> timex -> actors -> events -> location.

Every function here looks at one article at a time (a batch only shares the spaCy pass), which is what lets the
same code run in-process, in a process pool or on Dask workers. A stage that fails on an article records the
error on the article (``Article.errors``, later the ``ingest_errors`` table) and the article goes on with what it
has: nothing is dropped.

Speed: spaCy's full pipeline costs ~80 ms per 600-word article, so only *candidate* sentences (an event trigger
and an actor, found by cheap lexicon and gazetteer scans, and words that let some trigger line match) are parsed,
in one ``nlp.pipe`` call per batch, and NER (the costliest component) runs only on those that can hold an event.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

from wiredesk import analyze, nlp
from wiredesk.model import ActorMention, Article, Entity, Sentence, Timex
from wiredesk.settings import RUN

log = logging.getLogger(__name__)

#: Languages the coder understands; other articles are stored and flagged, not coded.
CODED_LANGUAGES = {"en"}


def _stage(article: Article, name: str, fn: Callable[[], Any]) -> Any:
    """Run one stage on one article; on failure record why and carry on."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - one bad article must never stop a run
        reason = f"{name} failed: {type(exc).__name__}: {exc}"
        log.debug("article %s: %s\n%s", article.id, reason, traceback.format_exc())
        article.errors.append(reason)
        return None


class Copies:
    """Results of one batch that depend on an article's clean text alone, or on it and the publication date, kept
    so that an exact copy later in the batch takes them instead of working them out again.

    Why: wire copies of one report arrive under other outlets' headers (27 of 199 synthetic articles; syndicated
    news alike). Cleaning removes the headers, so the copies' clean texts are equal, and every stage that reads
    only that text gives the same answer again: damage detection and language (``clean_article``'s memo),
    sentences, candidate sentences, MinHash; with the same publication date also temporal expressions (anchored
    on it) and both actor passes (office holders as of that day). What reads the article's own metadata or id is
    still worked out per article: the header, boilerplate and offset map, publication date, event coding (mention
    ids, event dates), event location, the story vector's title. A copy gets its own records (copied when taken:
    no stage changes a record it did not make, so they equal the first article's as made), and a result is kept
    only when its stage succeeded, so a failure is met and recorded again.

    Kept for one worker's batch and dropped with it: nothing crosses to other batches or to the linking phase,
    so an article's records never depend on which articles it was batched with."""

    def __init__(self) -> None:
        self.clean: dict = {}  # clean_article's memo
        self.sentences: dict[str, list[Sentence]] = {}
        self.candidates: dict[str, list[int]] = {}
        self.timexes: dict[tuple[str, str | None], list[Timex]] = {}
        self.first_actors: dict[tuple[str, str | None], list[ActorMention]] = {}
        self.actors: dict[tuple[str, str | None], list[ActorMention]] = {}


def _dated(article: Article) -> tuple[str, str | None]:
    """Key of results that read the clean text and the publication date (the resolver reads its first 10 chars)."""
    return article.text, article.published


def _copy_sentences(sentences: list[Sentence]) -> list[Sentence]:
    return [Sentence(s.index, s.start, s.end, s.text, s.paragraph) for s in sentences]


def _copy_timexes(timexes: list[Timex]) -> list[Timex]:
    return [dataclasses.replace(t) for t in timexes]


def _copy_actors(mentions: list[ActorMention]) -> list[ActorMention]:
    """Copies of actor mentions; an entity shared by several mentions (the resolver's memory) stays shared."""
    entities: dict[int, Entity] = {}

    def entity(e: Entity) -> Entity:
        if id(e) not in entities:
            entities[id(e)] = dataclasses.replace(e, candidates=[dict(c) for c in e.candidates])
        return entities[id(e)]

    return [ActorMention(m.start, m.end, m.text, entity(m.entity), m.sentence) for m in mentions]


def prepare(article: Article, copies: Copies | None = None) -> Article:
    """Stages that need no parse: cleaning, publication date, sentences, temporal expressions, gazetteer actors.

    ``copies``: the batch's results by clean text (``Copies``); an exact copy takes them instead."""
    from wiredesk.actors import get_resolver
    from wiredesk.clean import clean_article
    from wiredesk.ingest.pubdate import assign_publication_date
    from wiredesk.timex import tag

    memo = copies.clean if copies is not None else None
    _stage(article, "clean", lambda: clean_article(article, memo=memo))
    if not article.text:
        article.text = article.raw_text
    _stage(article, "pubdate", lambda: assign_publication_date(article))
    if copies is not None and article.text in copies.sentences:
        article.sentences = _copy_sentences(copies.sentences[article.text])
    else:
        analyze.segment(article)
        if copies is not None:
            copies.sentences[article.text] = article.sentences
    if article.language not in CODED_LANGUAGES:
        return article
    key = _dated(article)
    if copies is not None and key in copies.timexes:
        article.timexes = _copy_timexes(copies.timexes[key])
    else:
        spans = [(s.start, s.end) for s in article.sentences]
        timexes = _stage(article, "timex", lambda: tag(article.text, article.published, spans=spans))
        article.timexes = timexes or []
        if copies is not None and timexes is not None:
            copies.timexes[key] = timexes
    if copies is not None and key in copies.first_actors:
        article.actors = _copy_actors(copies.first_actors[key])
    else:
        actors = _stage(article, "actors", lambda: get_resolver().resolve_article(article, None))
        article.actors = actors or []
        if copies is not None and actors is not None:
            copies.first_actors[key] = actors
    return article


def candidates(article: Article, copies: Copies | None = None) -> list[int]:
    """Sentence indices worth a full parse (``copies``: the batch's results by clean text, see ``Copies``)."""
    if article.language not in CODED_LANGUAGES or not article.sentences:
        return []
    if copies is not None and article.text in copies.candidates:
        return list(copies.candidates[article.text])
    from wiredesk.coding import candidate_sentences

    found = _stage(article, "candidates", lambda: candidate_sentences(article))
    wanted = [i for i in found or [] if i >= len(article.sentences)
              or a_trigger_line_can_match(article.sentences[i].text)]
    if copies is not None and found is not None:
        copies.candidates[article.text] = list(wanted)
    return wanted


def a_trigger_line_can_match(text: str) -> bool:
    """Whether some line of the coder's trigger lexicon can match ``text``, judged from its words alone.

    The coder's pre-filter (``candidate_sentences``) asks only for a word form of a trigger lemma. Many lexicon
    lines also name the objects they need ("cut" + ties|aid|funding, "open" + border|corridor) or are phrases
    ("out of the question", "open fire"); when none of those words is in the sentence no line of that lemma can
    fire, whatever the parse, so the sentence is not worth parsing ("the budget was cut", "pointed out that").
    Lines with a structural condition (@DOBJ, @PERSON ...) or none, and reported obligations ("X must ..."),
    keep the sentence. Word forms are compared loosely (inflections, irregular plurals, hyphen parts), so the
    test errs towards parsing.
    """
    needs, unconditional = _trigger_line_needs()
    words = set(_WORD.findall(text.lower()))
    words |= {part for w in words if "-" in w for part in w.split("-")}
    if words & unconditional:
        return True
    for word in words:
        for need in needs.get(word, ()):
            if all(words & alternatives for alternatives in need):
                return True
    return False


_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
#: Plurals the inflection rules of ``wiredesk.coding.lexicon`` do not make, for lexicon object words.
_IRREGULAR_PLURALS = {"man": "men", "woman": "women", "child": "children", "person": "people"}


@functools.cache
def _trigger_line_needs() -> tuple[dict[str, list[tuple[frozenset[str], ...]]], frozenset[str]]:
    """(word form of a trigger -> for each of its lexicon lines, the word sets that must all meet the sentence;
    words that alone keep a sentence). A line with no word condition needs nothing (an empty tuple)."""
    from wiredesk.coding.lexicon import lexicon, word_forms
    from wiredesk.coding.rules import REQUEST_AUX

    def forms(word: str) -> frozenset[str]:
        out = set(word_forms(word))
        for singular, plural in _IRREGULAR_PLURALS.items():
            if word.endswith(singular):
                out.add(word[: len(word) - len(singular)] + plural)
        return frozenset(out)

    lex = lexicon()
    needs: dict[str, list[tuple[frozenset[str], ...]]] = {}
    for table in (lex.verbs, lex.nouns):
        for lemma, triggers in table.items():
            for trig in triggers:
                if trig.frame == "report":  # a reporting verb alone is no event (as in the coder's pre-filter)
                    continue
                words = [o.lstrip("^") for o in trig.objects]
                if not words or any(w.startswith("@") for w in words):
                    need: tuple[frozenset[str], ...] = ()
                else:
                    need = (frozenset().union(*(forms(w) for w in words)),)
                for form in word_forms(lemma):
                    needs.setdefault(form, []).append(need)
    for phrase, trig in lex.phrases:
        if trig.frame == "report":
            continue
        for form in word_forms(phrase[0]):
            needs.setdefault(form, []).append(tuple(forms(w) for w in phrase[1:]))
    return needs, frozenset(REQUEST_AUX)


def finish(article: Article, docs: dict[int, Any], first_actors: list | None = None, locate: bool = True,
           copies: Copies | None = None) -> Article:
    """Stages over the parsed candidate sentences: full actor resolution, event coding, event location.

    ``first_actors``: the mentions ``prepare``'s dictionary pass found (None if it failed); the resolver then
    matches again only from the first parsed sentence whose mentions change (same result, a fraction of the
    work: most sentences have no Doc). ``locate=False`` leaves event location to the caller (``locate_batch``).
    ``copies``: the batch's results by clean text and date (``Copies``): an exact copy takes the actors of the
    first article with that text and date (same sentences, so the same Docs, and the same first pass)."""
    if article.language not in CODED_LANGUAGES:
        return article
    from wiredesk.actors import get_resolver
    from wiredesk.coding import code_article
    from wiredesk.geo import locate_mentions

    key = _dated(article)
    if copies is not None and first_actors is not None and key in copies.actors:
        actors = _copy_actors(copies.actors[key])
    else:
        actors = _stage(article, "actors", lambda: get_resolver().resolve_article(article, docs, first_actors))
        if copies is not None and actors is not None and first_actors is not None:
            copies.actors[key] = actors
    if actors is not None:
        article.actors = actors
    mentions = _stage(article, "code", lambda: code_article(article, docs))
    article.mentions = mentions or []
    if article.mentions and locate:
        _stage(article, "geo", lambda: locate_mentions(article, docs))
    return article


def locate_batch(articles: list[Article], docs: list[dict[int, Any]]) -> None:
    """Event location of every article of a batch (``finish``'s last stage), the chooser's model called once.

    Why: the location model's ``predict_proba`` has a fixed cost of ~1.7 ms per call, whatever the rows, and
    ``locate_mentions`` calls it once per event sentence (~1.4 per synthetic article: 2.8 ms). The trigger span of
    every mention is worked out here as ``locate_mentions`` does and all of them are scored in one call
    (``geo.choose.rank_batch``, which keeps each ranking on its Doc); ``locate_mentions`` then finds them kept.
    A span worked out differently here, or a sentence it reparses to repair an apostrophe, is only scored again
    there: the locations are the same either way."""
    from wiredesk.geo import locate_mentions
    from wiredesk.geo.choose import rank_batch
    from wiredesk.geo.locate import _text, _trigger_span
    from wiredesk.geo.text import repair_apostrophes

    requests = []
    for article, article_docs in zip(articles, docs):
        if article.language not in CODED_LANGUAGES:
            continue
        for mention in article.mentions:
            doc = article_docs.get(mention.sentence)
            if doc is None or repair_apostrophes(_text(doc)) != _text(doc):  # the Doc's text, kept on it
                continue
            offset = article.sentences[mention.sentence].start if mention.sentence < len(article.sentences) else 0
            span = _trigger_span(doc, mention, offset)
            if span is not None:
                requests.append((doc, *span))
    try:
        rank_batch(requests)
    except Exception:  # noqa: BLE001 - each article's own call below scores again and records the failure
        log.debug("batched location scoring failed", exc_info=True)
    for article, article_docs in zip(articles, docs):
        if article.language in CODED_LANGUAGES and article.mentions:
            _stage(article, "geo", lambda: locate_mentions(article, article_docs))


def single_threaded_libraries() -> Any:
    """Keep native thread pools (OpenMP, BLAS) to one thread while the per-article phase runs.

    Why: the engine's parallelism is one process per core. A library that spins up its own OpenMP pool for a
    few-row prediction (scikit-learn's gradient boosting in the location chooser) waits in spin loops for
    threads the OS cannot schedule on a busy machine: measured at 2 cores and load 16, that made the location
    chooser 80% of the run (0.7 s per sentence instead of ~1 ms). Environment variables cover libraries loaded
    later (unless the user set them); ``threadpool_limits`` covers the ones already loaded and is undone on exit.
    """
    import contextlib
    import os

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # comes with scikit-learn; without it the environment variables still apply
        return contextlib.nullcontext()
    return threadpool_limits(limits=1)


def process_batch(articles: list[Article], spacy_batch_size: int | None = None) -> list[Article]:
    """Run the whole per-article phase over a batch, with one batched spaCy pass over candidate sentences."""
    with single_threaded_libraries():
        done = _process_batch(articles, spacy_batch_size)
    _freeze_after_first_batch()
    return done


#: After the first batch of a process, move every object then alive out of the cyclic garbage collector's reach.
FREEZE_AFTER_FIRST_BATCH = True
_first_batch_done = False


def _freeze_after_first_batch() -> None:
    """``gc.collect()`` then ``gc.freeze()`` once, after the first batch, when the models are loaded.

    Why: the models, gazetteer, knowledge base and word lists loaded by the first batch are ~250,000 objects that
    live as long as the process, and each full (oldest-generation) collection walked all of them again: ~130 ms
    each, three per 600 synthetic articles, 0.66 ms per article of the ~16 of a steady-state worker (docs/scale.md,
    seventh round). Frozen, they are still freed by reference counting; only cycles among them are never
    collected. What the first batch itself still holds at that point (its articles and their Docs, whose kept
    location rankings refer back to them) is frozen with the models, so up to one batch of Docs stays in memory
    for the process's life."""
    global _first_batch_done
    if _first_batch_done or not FREEZE_AFTER_FIRST_BATCH:
        return
    _first_batch_done = True
    import gc

    gc.collect()
    gc.freeze()


def _process_batch(articles: list[Article], spacy_batch_size: int | None) -> list[Article]:
    copies = Copies() if REUSE_EXACT_COPIES else None
    first_actors: list[list | None] = []
    for article in articles:
        prepare(article, copies)
        failed = any(e.startswith("actors failed") for e in article.errors)
        first_actors.append(None if failed else list(article.actors))
    wanted: list[tuple[int, int]] = []  # (article position, sentence index)
    for pos, article in enumerate(articles):
        for index in candidates(article, copies):
            wanted.append((pos, index))
    docs: list[dict[int, Any]] = [{} for _ in articles]
    texts = [articles[pos].sentences[index].text for pos, index in wanted]
    if texts:
        # A sentence that recurs in the batch (wire copies of one press release, boilerplate) is parsed once and
        # its Doc shared: spaCy's analysis of a sentence depends on its text alone, and no stage writes to a Doc.
        unique = list(dict.fromkeys(texts))
        parsed = dict(zip(unique, _parse(unique, spacy_batch_size or RUN.spacy_batch_size)))
        for (pos, index), text in zip(wanted, texts):
            docs[pos][index] = parsed[text]
    for article, article_docs, first in zip(articles, docs, first_actors):
        finish(article, article_docs, first, locate=not LOCATE_IN_BATCH, copies=copies)
    if LOCATE_IN_BATCH:
        locate_batch(articles, docs)
    return articles


#: An exact copy of an earlier article of the batch (same clean text) takes its text-only results (``Copies``).
REUSE_EXACT_COPIES = True


#: Score every event location of a batch in one model call (``locate_batch``); False: one call per sentence.
LOCATE_IN_BATCH = True


#: Run NER only on candidate sentences that can yield an event (``needs_entities``); False: on every candidate.
ENTITIES_WHERE_FRAMES = True


def _parse(texts: list[str], batch_size: int) -> list[Any]:
    """Docs of ``texts``: dependencies, tags and lemmas for all, named entities where an event is possible.

    Why: NER is ~40% of the spaCy time, and most candidate sentences (a trigger word and an actor) hold no event
    once parsed ("commentators in the Saudi press noted ...": "press" is a noun). Sentences without entities lose
    only PERSON names for the actor pass, which matter to roles in event sentences (those keep NER) and to the
    actor memory carried to later sentences; docs/scale.md gives the measured effect on events.
    """
    if not ENTITIES_WHERE_FRAMES:
        return list(nlp.parse(texts, batch_size=batch_size))
    docs = list(nlp.parse_without_entities(texts, batch_size=batch_size))
    list(nlp.add_entities([d for d in docs if needs_entities(d)], batch_size=batch_size))
    return docs


def needs_entities(doc: Any) -> bool:
    """Whether a sentence parsed without entities can still yield an event, so NER must run on it.

    The coder finds its frames on the entity-free parse (a frame's trigger, objects and clause structure come
    from the parser; entities only narrow it: a capitalised month that NER calls a DATE is no "march"), and a
    trigger whose lexicon line asks for a PERSON object ("welcomed Macron") cannot match before NER, so its
    lemma alone is enough. A coder failure here says yes: the coding stage then records the error itself.
    The lemmas are the ones the trigger search kept on the Doc (``coding.rules.doc_words``): no second walk.
    """
    from wiredesk.coding.coder import frames_for
    from wiredesk.coding.rules import doc_words

    try:
        frames, _ = frames_for(doc)
    except Exception:  # noqa: BLE001 - decided again, and recorded, by the coding stage
        return True
    return bool(frames) or not _person_object_lemmas().isdisjoint(doc_words(doc)[0])


@functools.cache
def _person_object_lemmas() -> frozenset[str]:
    """Trigger lemmas with a lexicon line that needs an object NER tags PERSON (``@PERSON`` in triggers.tsv)."""
    from wiredesk.coding.lexicon import lexicon

    lex = lexicon()
    return frozenset(lemma for table in (lex.verbs, lex.nouns) for lemma, triggers in table.items()
                     if any("@PERSON" in t.objects for t in triggers))


def link_features(article: Article, vectors: dict[str, list[float] | None] | None = None,
                  fingerprints: dict[str, list[int]] | None = None) -> dict[str, Any]:
    """Per-article features the linking phase needs, so it never re-reads text (MinHash, vector).

    ``vectors`` (text embedded -> rounded vector) is shared over a batch, so articles whose title and lead are
    the same (copies of one report) are embedded once: the MiniLM pass was a quarter of the per-article time.
    ``fingerprints`` (text -> MinHash) likewise, for exact copies (``Copies``): MinHash reads the text alone.
    """
    from wiredesk import link

    out: dict[str, Any] = {}
    shingled = article.text or article.raw_text  # what link.fingerprint reads
    if fingerprints is not None and shingled in fingerprints:
        fp = fingerprints[shingled]
    else:
        fp = _stage(article, "fingerprint", lambda: link.fingerprint(article))
        if fp is not None:
            fp = [int(x) for x in fp]
            if fingerprints is not None:
                fingerprints[shingled] = fp
    if fp is not None:
        out["fingerprint"] = list(fp)
    if hasattr(link, "article_vector"):
        key = _stage(article, "vector", lambda: link.article_text_for_vector(article))
        if key is None:  # the failure is recorded; embedding would fail on the same text
            vec = None
        elif vectors is not None and key in vectors:
            vec = vectors[key]
        else:
            vec = _stage(article, "vector", lambda: link.text_vector(key))
            vec = None if vec is None else [round(float(x), 5) for x in vec]
            if vectors is not None:
                vectors[key] = vec
        if vec is not None:
            out["vector"] = list(vec)
    return out


def batch_link_features(articles: list[Article]) -> dict[str, dict[str, Any]]:
    """``link_features`` of every article of a batch, each distinct vector text embedded once."""
    vectors: dict[str, list[float] | None] = {}
    fingerprints: dict[str, list[int]] | None = {} if REUSE_EXACT_COPIES else None
    return {a.id: link_features(a, vectors, fingerprints) for a in articles}
