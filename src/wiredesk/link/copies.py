"""Near-copies: MinHash fingerprints per article, LSH grouping across articles, publication-date repair.

A wire story syndicated by twenty outlets is one source, not twenty. Copies differ by boilerplate, a changed
headline, a trimmed last paragraph or a few edited words, so the fingerprint is a MinHash over word 5-grams of
normalised text: an edited word spoils only the five shingles that contain it, and the Jaccard estimate of two
copies stays high. Fingerprints are computed per article (:func:`fingerprint`); linking only compares them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from wiredesk.ingest.pubdate import WEEKDAY_YEAR
from wiredesk.settings import LINK, LinkSettings

_WORD = re.compile(r"\w+", re.UNICODE)

#: Strength of a publication-date basis when copies disagree (``model.PUBLISHED_BASES``).
#: datasketch hashing scheme, pinned: hash values from different schemes are not comparable, and stored
#: fingerprints must stay comparable with new ones.
MINHASH_SCHEME = "affine32"

PUBLISHED_STRENGTH = {"metadata": 6, "header": 5, "dateline": 4, "url": 3, "byline": 2, "inferred": 1,
                      "corrected": 1}


def normalise_words(text: str) -> list[str]:
    """Lower-cased words with accents folded: quotes, punctuation and spacing differences vanish."""
    folded = text.lower()
    # ASCII text has nothing to decompose or fold; skipping the per-character pass there halves a MinHash
    # fingerprint's word split and was ~3 s of the story pass over 100k titles
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def shingles(text: str, size: int) -> set[bytes]:
    """The word ``size``-grams of ``text`` (the whole text when shorter), encoded as datasketch hashes them."""
    return {gram.encode("utf-8") for gram in _shingle_strings(text, size)}


@functools.cache
def _empty_minhash(num_perm: int):
    """An empty MinHash to copy: building one draws its permutations (ms), copying it does not."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, scheme=MINHASH_SCHEME)


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """datasketch's affine32 permutations (a, b) and the hash values of an empty set, drawn once."""
    empty = _empty_minhash(num_perm)
    a, b = empty.permutations
    return np.array(a, dtype=np.uint32), np.array(b, dtype=np.uint32), empty.hashvalues.tolist()


# datasketch's affine32 pre-mix (the MurmurHash3 32-bit finalizer): (shift, multiplier, shift, multiplier, shift)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def fingerprint_text(text: str, settings: LinkSettings = LINK) -> list[int]:
    """MinHash hash values of the word-shingle set of ``text``.

    The values of datasketch's ``MinHash(scheme="affine32").update_batch`` over the encoded shingles, worked out
    here in one pass: datasketch hashes each shingle in its own Python call (``sha1_hash32``: SHA-1, first four
    bytes little-endian) and builds a MinHash per text; here the SHA-1 digests are joined and read as one array.
    Equality with datasketch is tested (``tests/test_copies_fingerprint.py``): stored fingerprints are compared with new ones."""
    if MINHASH_SCHEME != "affine32":  # the one-pass arithmetic below is affine32's; any other scheme: datasketch
        mh = _empty_minhash(settings.minhash_perm).copy()
        mh.update_batch(list(shingles(text, settings.shingle_words)))
        return [int(v) for v in mh.hashvalues]
    a, b, empty = _permutations(settings.minhash_perm)
    grams = _shingle_strings(text, settings.shingle_words)
    if not grams:
        return list(empty)
    sha1 = hashlib.sha1
    hv = np.frombuffer(b"".join([sha1(g.encode("utf-8")).digest() for g in grams]), dtype="<u4")[::5]
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s3)).reshape(-1, 1)
    return (hv * a + b).min(axis=0).tolist()  # uint32 arithmetic wraps: the permutations are mod 2^32


def _shingle_strings(text: str, size: int) -> set[str]:
    """The word ``size``-grams of ``text`` as strings (:func:`shingles` encodes them; UTF-8 is one-to-one, so
    the set is the same size)."""
    words = normalise_words(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(gram) for gram in zip(*[words[k:] for k in range(size)])}


def jaccard(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two fingerprints (share of equal hash values)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller id wins so group ids do not depend on input order
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _bands(num_perm: int, threshold: float) -> tuple[int, int]:
    """LSH bands x rows for ``num_perm`` values whose S-curve midpoint (1/b)^(1/r) sits just below ``threshold``,
    so that pairs at the threshold are almost always proposed (each is then checked on the full fingerprint)."""
    best = (1, num_perm)
    for rows in range(1, num_perm + 1):
        if num_perm % rows:
            continue
        bands = num_perm // rows
        if (1 / bands) ** (1 / rows) <= threshold * 0.85:
            best = (bands, rows)
    return best


def duplicate_groups(articles: list[dict[str, Any]], settings: LinkSettings = LINK) -> dict[str, str]:
    """article id -> near-copy group id (``dup-`` + the smallest article id of the group).

    MinHash LSH banding proposes candidate pairs (articles sharing one band of hash values), so the cost is
    near-linear in the number of articles; each candidate is then confirmed on the full fingerprint so banding
    noise never merges unrelated texts.
    """
    uf = _UnionFind()
    num_perm = settings.minhash_perm
    bands, rows = _bands(num_perm, settings.near_duplicate_jaccard)
    ids: list[str] = []
    prints: list[list[int]] = []
    for art in articles:
        aid = art["id"]
        uf.find(aid)
        fp = art.get("fingerprint") or []
        if len(fp) == num_perm and min(fp) != max(fp):  # all-equal values: an empty text, a copy of nothing
            ids.append(aid)
            prints.append(fp)
    if len(ids) > 1:
        matrix = np.asarray(prints, dtype=np.uint64)
        # one 64-bit key per (article, band): a random linear hash of the band's values (wrap-around is fine)
        mult = np.random.default_rng(12345).integers(1, 2**63, size=rows, dtype=np.uint64) | np.uint64(1)
        for b in range(bands):
            keys = (matrix[:, b * rows:(b + 1) * rows] * mult).sum(axis=1)
            order = np.argsort(keys, kind="stable")
            sorted_keys = keys[order]
            starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
            ends = np.r_[starts[1:], len(order)]
            for lo, hi in zip(starts, ends):
                if hi - lo < 2:
                    continue
                members = order[lo:hi]
                head = members[0]
                # confirm on the full fingerprint against the first member, then chain the rest pairwise
                same = (matrix[members] == matrix[head]).mean(axis=1) >= settings.near_duplicate_jaccard
                for m, ok in zip(members[1:], same[1:]):
                    if ok:
                        uf.union(ids[head], ids[m])
                    else:
                        others = members[members != m]
                        hits = (matrix[others] == matrix[m]).mean(axis=1) >= settings.near_duplicate_jaccard
                        for o in others[hits]:
                            uf.union(ids[o], ids[m])
    return {aid: "dup-" + uf.find(aid) for aid in uf.parent}


def near_copy_pairs(con: Any, fingerprints_sql: str, settings: LinkSettings = LINK) -> list[tuple[str, str]]:
    """The confirmed near-copy pairs of :func:`duplicate_groups`, computed by DuckDB on ``con`` out of core.

    ``fingerprints_sql`` selects ``(id, fingerprint)`` with the fingerprint as JSON text (as the store keeps it).
    Same banding, same head-first confirmation and the same threshold as :func:`duplicate_groups`, with buckets
    keyed by the band's values themselves rather than a 64-bit hash of them; so the connected components of these
    pairs are its groups (:func:`groups_from_pairs`), while the fingerprints never have to be in Python's memory
    at once: DuckDB sorts and joins the (article, band) rows, spilling to disk beyond its memory limit."""
    bands, rows = _bands(settings.minhash_perm, settings.near_duplicate_jaccard)
    need = f"CAST(ceil({float(settings.near_duplicate_jaccard)} * {settings.minhash_perm}) AS INTEGER)"
    same = "len(list_filter(list_zip(a.fp, b.fp), lambda x: x[1] = x[2]))"
    statements = [
        f"""CREATE OR REPLACE TEMP TABLE _nc_fp AS SELECT id, fp FROM (
                SELECT id, from_json(fingerprint, '["UBIGINT"]') AS fp FROM ({fingerprints_sql}) f
                WHERE fingerprint IS NOT NULL AND fingerprint <> 'null')
            WHERE len(fp) = {settings.minhash_perm} AND list_min(fp) <> list_max(fp)""",
        f"""CREATE OR REPLACE TEMP TABLE _nc_member AS SELECT * FROM (
                SELECT id, b, key, min(id) OVER w AS head, count(*) OVER w AS n FROM (
                    SELECT id, b, list_slice(fp, b * {rows} + 1, (b + 1) * {rows}) AS key
                    FROM _nc_fp, range({bands}) t(b))
                WINDOW w AS (PARTITION BY b, key)) WHERE n > 1""",
        # each member against its bucket's head (the smallest id, as the in-memory pass orders them)
        f"""CREATE OR REPLACE TEMP TABLE _nc_head AS
            SELECT m.b, m.key, m.id, m.head, {same} >= {need} AS ok
            FROM _nc_member m JOIN _nc_fp a ON a.id = m.head JOIN _nc_fp b ON b.id = m.id WHERE m.id <> m.head""",
    ]
    for sql in statements:
        con.execute(sql)
    pairs = con.execute(f"""
        SELECT least(head, id), greatest(head, id) FROM _nc_head WHERE ok
        UNION
        -- a member unlike its head is checked against every other member of the bucket
        SELECT least(f.id, o.id), greatest(f.id, o.id) FROM _nc_head f
            JOIN _nc_member o ON o.b = f.b AND o.key = f.key AND o.id <> f.id
            JOIN _nc_fp a ON a.id = f.id JOIN _nc_fp b ON b.id = o.id
            WHERE NOT f.ok AND {same} >= {need}
        ORDER BY 1, 2""").fetchall()
    for table in ("_nc_fp", "_nc_member", "_nc_head"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return [(a, b) for a, b in pairs]


def groups_from_pairs(ids: Any, pairs: list[tuple[str, str]]) -> dict[str, str]:
    """article id -> ``dup-`` + the smallest id of its connected component under ``pairs``, for every id of
    ``ids`` (an iterable, read once)."""
    uf = _UnionFind()
    for a, b in pairs:
        uf.union(a, b)
    return {aid: "dup-" + uf.find(aid) for aid in ids}


def correct_publication_dates(articles: list[dict[str, Any]], groups: dict[str, str]) -> list[dict[str, Any]]:
    """Publication dates that an article's near-copies contradict: [{article_id, old, new, why}].

    Within a copy group the date backed by most copies wins (ties: the strongest basis, then the earliest date,
    since copies are republished later, not earlier). A later article is corrected when the winning date is
    backed by more copies than its own or by a stronger basis, so a lone copy never overrules. An earlier one
    is most likely the copies' source: it yields to a majority more than a month later (a wrong year in a
    dateline) or, when the date was only guessed (URL, byline, inferred), to a stronger basis.
    """
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for art in articles:
        members[groups.get(art["id"], art["id"])].append(art)
    corrections = []
    for group in members.values():
        dated = [a for a in group if a.get("published")]
        if len(dated) < 2:
            continue
        owns = Counter(a["published"][:10] for a in dated)
        votes: Counter[str] = Counter(_vote(a, owns) for a in dated)
        strength: dict[str, int] = defaultdict(int)
        for a in dated:
            day = a["published"][:10]
            strength[day] = max(strength[day], PUBLISHED_STRENGTH.get(a.get("published_basis") or "", 0))
        best = sorted(votes, key=lambda d: (-votes[d], -strength[d], d))[0]
        for a in dated:
            own = a["published"][:10]
            if own == best:
                continue
            own_strength = PUBLISHED_STRENGTH.get(a.get("published_basis") or "", 0)
            if own < best:
                # Copies are republished later, never earlier, so an earlier date is most likely the source's
                # own. A date the article states itself (metadata, header, dateline) yields only to a majority
                # so far ahead of it (over a month: a wrong year in a dateline) that it cannot be their source;
                # a guessed one (URL, byline, inferred) also to a stronger basis.
                fix = (votes[best] > votes[own] and _days(own, best) > 30) or (
                    own_strength <= PUBLISHED_STRENGTH["url"] and strength[best] > own_strength)
            else:
                fix = votes[best] > votes[own] or (votes[best] == votes[own] and strength[best] > own_strength)
            if fix:
                backed = [c for c in a.get("published_candidates") or [] if str(c.get("value", ""))[:10] == best]
                why = (f"{votes[best]} near-copies give {best} ({_bases(dated, best)}) against {votes[own]} for "
                       f"{own} ({a.get('published_basis') or 'unknown basis'})")
                if any(c.get("rejected") == WEEKDAY_YEAR for c in backed):
                    why += f"; the lead's weekday fits {best}, not the dateline's year"
                elif backed:
                    why += f"; the article's own candidate {backed[0].get('basis')!s} also says {best}"
                corrections.append({"article_id": a["id"], "old": a["published"], "new": best, "why": why})
    return corrections


def _vote(article: dict[str, Any], owns: Counter[str]) -> str:
    """The date an article votes for in its copy group: its own, unless its lead's weekday says its dateline's
    year is a typo (``ingest.pubdate.lead_weekday_year``) and another copy is dated that other year. Either
    alone is weak (a weekday may name any day of the week before; a copy may be republished a year later);
    together they say the year was mistyped."""
    own = article["published"][:10]
    for c in article.get("published_candidates") or []:
        alt = str(c.get("value", ""))[:10]
        if c.get("rejected") == WEEKDAY_YEAR and alt != own and owns.get(alt, 0) > 0:
            return alt
    return own


def _days(earlier: str, later: str) -> int:
    try:
        return (dt.date.fromisoformat(later[:10]) - dt.date.fromisoformat(earlier[:10])).days
    except ValueError:
        return 0


def _bases(arts: list[dict[str, Any]], day: str) -> str:
    return ", ".join(sorted({a.get("published_basis") or "unknown" for a in arts if a["published"][:10] == day}))


def reanchored_date(sentence: str, value: str | None, precision: str | None, old: str, new: str) -> str | None:
    """The date a sentence's relative expression gives against publication date ``new``, where it gave ``value``
    against ``old``: the expression is found again by tagging the sentence against ``old`` and read against
    ``new``. Shifting by the difference would be wrong for weekdays ("on Wednesday" read on a Tuesday and on the
    Friday before are the same day, not four days apart), so the shift is only the fallback when the expression
    cannot be found again.
    """
    if not value or not precision:
        return value
    from wiredesk.timex import tag  # linking rarely needs it; keep the import off the module's load path

    size = {"day": 10, "month": 7, "year": 4}.get(precision)
    if size is not None:
        spans = [(t.start, t.end) for t in tag(sentence, old[:10]) if t.anchored and t.type in ("DATE", "TIME")
                 and (t.value or "")[:size] == value[:size] and len(t.value or "") >= size]
        if spans:
            again = {(t.start, t.end): t for t in tag(sentence, new[:10])}
            hit = again.get(spans[0])
            if hit is not None and len(hit.value or "") >= size and (hit.value or "")[:4].isdigit():
                return hit.value[:size]
    return shift_date(value, precision, old, new)


def shift_date(value: str | None, precision: str | None, old: str, new: str) -> str | None:
    """Move a date anchored on publication date ``old`` to the same offset from ``new`` (keeping precision)."""
    if not value:
        return value
    try:
        delta = dt.date.fromisoformat(new[:10]) - dt.date.fromisoformat(old[:10])
    except ValueError:
        return value
    if precision == "day" and len(value) >= 10:
        return (dt.date.fromisoformat(value[:10]) + delta).isoformat()
    if precision == "month" and len(value) >= 7:
        return (dt.date.fromisoformat(value[:7] + "-15") + delta).isoformat()[:7]
    if precision == "year" and len(value) >= 4:
        return (dt.date.fromisoformat(value[:4] + "-07-01") + delta).isoformat()[:4]
    return value


def copied_sentence_dates(mentions: list[Any], articles: dict[str, dict[str, Any]], groups: dict[str, str],
                          min_overlap: float = 0.8) -> list[Any]:
    """Mentions whose relative date came with a sentence copied from an earlier near-copy, dated as there.

    A syndicated copy keeps its source's words, relative dates included: "on Friday" in a copy republished six
    days later still means the Friday before the *source* appeared. So a mention dated relative to its own
    article (``date_basis == "relative"``) takes the date of the same sentence (word sets overlapping by
    ``min_overlap``: copies are lightly edited) in the earliest-published copy of its group that carries it and
    appeared earlier. The date is taken, not shifted: a weekday resolves differently from another anchor.
    A sentence found only in the article itself is its own writing and keeps its date.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for aid, group in groups.items():
        members[group].append(aid)
    by_article: dict[str, list[tuple[set[str], Any]]] = defaultdict(list)
    words_of: dict[str, set[str]] = {}
    for m in mentions:
        if len(members.get(groups.get(m.article_id, ""), ())) > 1:
            words_of[m.id] = set(normalise_words(m.text))
            by_article[m.article_id].append((words_of[m.id], m))
    out = []
    for m in mentions:
        own = (articles.get(m.article_id) or {}).get("published")
        if m.date_basis != "relative" or not m.date or m.id not in words_of or not own:
            out.append(m)
            continue
        source = None  # (publication day, article id, mention)
        for aid in members[groups[m.article_id]]:
            day = (articles.get(aid) or {}).get("published")
            if aid == m.article_id or not day or day[:10] >= own[:10]:
                continue
            if source is not None and (day[:10], aid) >= source[:2]:
                continue
            for words, other in by_article[aid]:
                if other.event == m.event and other.date and _overlap(words_of[m.id], words) >= min_overlap:
                    source = (day[:10], aid, other)
                    break
        if source is None or source[2].date == m.date:
            out.append(m)
            continue
        out.append(dataclasses.replace(m, date=source[2].date, date_precision=source[2].date_precision))
    return out


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b))) if a and b else 0.0
