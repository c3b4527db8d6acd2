"""Candidate place spans in a parsed sentence, and the features that tell the event's location from other places.

A sentence names many places; the event happened at (at most) one of them. "Soldiers from Chad were killed in
Abeche" names two, and only the one whose preposition ("in") hangs off the event verb is the location. The
features below describe each candidate's grammatical link to the event verb (preposition, dependency path,
subtree), its position, what NER and the gazetteer think it is. ``choose.py`` scores them with gradient-boosted
trees trained by ``train_location.py``.
"""

from __future__ import annotations

from typing import Any

#: NER labels a place can hide under: the small English model calls many towns PERSON or ORG.
PLACE_LABELS = {"GPE", "LOC", "FAC"}
OTHER_LABELS = {"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}
#: Prepositions whose object can be the event's location; anything else is bucketed as "other".
PREPOSITIONS = ("in", "at", "near", "on", "outside", "inside", "into", "from", "to", "of", "across", "around",
                "through", "throughout", "along", "toward", "towards", "by", "off", "within", "over", "between",
                "against", "for", "with", "after", "during")
_DETERMINERS = {"the", "The", "THE"}
#: Lowercase words NER sometimes takes into a place name ("west Dublin"); the gold spans never include them.
_LEADING_CUES = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                 "northeastern", "northwestern", "southeastern", "southwestern", "downtown", "suburban", "rural",
                 "shiite", "sunni", "restive", "occupied", "neighbouring", "neighboring"}
#: Capitalised generic words that finish a place's name ("Homs Governorate", "Jobar District", "Khattab Camp"):
#: a span NER or the tagger stopped before them is extended over them.
_NAME_ENDINGS = {"governorate", "district", "province", "camp", "quarter", "town", "city", "square", "airport",
                 "road", "street", "avenue", "bridge", "valley", "peninsula", "lake", "county", "prefecture",
                 "region", "state", "village", "neighborhood", "neighbourhood", "base"}
#: Common nouns for places and facilities. A name the sentence calls one ("the village of Ashmi", "al-Zahawi
#: school", "Mecca's Al-Nur hospital") is a place whatever NER calls it, and usually the most specific one named;
#: a place name that modifies any other noun ("A Tampa woman", "Iraqi officials") describes someone or something.
PLACE_NOUNS = {"village", "town", "city", "capital", "district", "neighborhood", "neighbourhood", "suburb",
               "quarter", "province", "region", "governorate", "county", "state", "area", "zone", "camp", "base",
               "airport", "airbase", "port", "harbour", "harbor", "hospital", "clinic", "school", "university",
               "college", "mosque", "church", "temple", "shrine", "cathedral", "market", "square", "street", "road",
               "highway", "prison", "jail", "compound", "checkpoint", "crossing", "hotel", "embassy", "consulate",
               "headquarters", "station", "stadium", "building", "plant", "refinery", "factory", "mine", "bridge",
               "valley", "mountain", "island", "river", "lake", "border", "frontier", "palace", "court", "hall",
               "center", "centre", "complex", "oilfield", "field", "site", "terminal", "farm", "park", "beach",
               "coast", "desert", "forest", "countryside", "outskirts", "municipality", "township", "settlement",
               "hamlet", "enclave", "territory", "strip", "peninsula", "hut", "house", "home", "residence", "office",
               "facility", "ministry", "parliament", "club", "restaurant", "cafe", "mall", "shop", "bank"}
#: Place nouns for administrative areas: "Shaba province", "Tamaulipas state" name a wide area, often the container
#: of a more specific place in the sentence ("Lubumbashi in ... Shaba province").
REGION_NOUNS = {"province", "region", "governorate", "county", "state", "district", "prefecture", "municipality",
                "territory", "department", "oblast", "canton"}
#: Place nouns that name a part of a wider place: "the western countryside of Kobane", "a Paris suburb", "the
#: capital of Syria" frame the name as the container, not as the specific place.
PART_NOUNS = {"countryside", "outskirts", "suburb", "area", "zone", "border", "frontier", "coast", "center",
              "centre", "capital", "territory", "heart", "edge", "north", "south", "east", "west"}
#: Proper nouns that are never places (the tagger marks weekdays and months PROPN).
_NOT_PLACES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
               "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
               "nov", "dec", "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "brig"}


class Candidate:
    """A possible location span (character offsets into the sentence Doc) with its tokens."""

    __slots__ = ("start", "end", "span", "label")

    def __init__(self, span: Any, label: str) -> None:
        self.span = span
        self.start = span.start_char
        self.end = span.end_char
        self.label = label

    @property
    def text(self) -> str:
        return self.span.text


def _trim(span: Any) -> Any:
    """Drop a leading 'the', a trailing possessive and punctuation: the gold spans never include them."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].text in _DETERMINERS or doc[start].is_punct or doc[start].is_space
                           or (doc[start].text.islower() and doc[start].text in _LEADING_CUES)):
        start += 1
    # trailing possessives, punctuation and lowercase generic words ("Pattani province", "Farah city")
    while end > start + 1 and (doc[end - 1].text in ("'s", "’s", "'", "’") or doc[end - 1].is_punct
                               or doc[end - 1].is_space or doc[end - 1].text.islower()):
        end -= 1
    if end == start + 1 and (doc[start].is_punct or doc[start].is_space or doc[start].text.lower() in _NOT_PLACES):
        return None
    return doc[start:end] if end > start else None


def candidates(doc: Any) -> list[Candidate]:
    """Place-like spans: NER entities of place (and often-mislabelled) types, plus proper-noun runs NER missed."""
    out: list[Candidate] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS and ent.label_ not in OTHER_LABELS or ent.start in covered:
            continue
        span = _trim(ent)
        if span is None:
            continue
        end = ent.end
        while end < len(doc) and doc[end].text[:1].isupper() and doc[end].lower_ in _NAME_ENDINGS and (
                span.end == ent.end):
            end += 1
        if end > ent.end:
            span = doc[span.start:end]
        out.append(Candidate(span, ent.label_))
        covered.update(range(ent.start, end))
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.pos_ == "PROPN" and i not in covered and tok.text[:1].isupper():
            j = i + 1
            while j < len(doc) and j not in covered and (doc[j].pos_ == "PROPN" or (
                    doc[j].text == "-" and j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN")):
                j += 1
            span = _trim(doc[i:j])
            if span is not None:
                out.append(Candidate(span, "PROPN"))
            i = j
        else:
            i += 1
    out.sort(key=lambda c: c.start)
    return out


def verb_token(doc: Any, verb_start: int, verb_end: int) -> Any:
    """The token of the event trigger: the syntactic head among tokens overlapping the character span."""
    toks = [t for t in doc if t.idx < verb_end and t.idx + len(t.text) > verb_start]
    if not toks:
        return None
    for tok in toks:
        if tok.head not in toks or tok.head is tok:
            return tok
    return toks[0]


#: Length of every ancestor chain (``_ancestors``).
_CHAIN = 40


def _ancestors(tok: Any) -> list[Any]:
    """The token and its heads up to the root, the root repeated to ``_CHAIN`` entries.

    The chain was built by comparing each token with its head by identity, which spaCy's fresh token objects
    never share, so every chain ran to 40 entries with the root repeated; the features read that length
    (``lca_hops_c`` of a candidate outside the verb's tree), so the root is still repeated, but found by index
    and not asked for its head 40 times."""
    chain = [tok]
    while len(chain) < _CHAIN:
        head = chain[-1].head
        if head.i == chain[-1].i:
            chain.extend([head] * (_CHAIN - len(chain)))
            break
        chain.append(head)
    return chain


def _path(tokens: list[Any]) -> str:
    """Dependency labels of a chain of tokens (child first), prepositions spelled out, capped at 4 steps."""
    parts = []
    for tok in tokens[:4]:
        if tok.dep_ == "prep":
            word = tok.lower_ if tok.lower_ in PREPOSITIONS else "other"
            parts.append(f"prep:{word}")
        else:
            parts.append(tok.dep_)
    return ">".join(parts) + ("+" if len(tokens) > 4 else "")


def _prep_of(tok: Any) -> tuple[str, Any]:
    """The preposition governing a noun (through compounds/appositions/'of' chains) and what it attaches to."""
    cur = tok
    hops = 0
    while hops < 6:
        if cur.dep_ == "pobj" and cur.head.dep_ in ("prep", "agent", "dative"):
            return cur.head.lower_, cur.head.head
        if cur.dep_ in ("compound", "appos", "conj", "amod", "nmod", "npadvmod", "poss") and cur.head is not cur:
            cur = cur.head
            hops += 1
            continue
        break
    return "", None


def _modified_noun(tok: Any) -> Any:
    """The noun a place name modifies: 'neighbourhood' in "Baghdad neighbourhood", "neighbourhood in Baghdad",
    "Baghdad's neighbourhood"; None when the place is not a modifier."""
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("NOUN", "PROPN"):
        return tok.head.head
    if tok.dep_ in ("poss", "compound", "nmod", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    return None


def place_framing(span: Any) -> str | None:
    """How the sentence calls the name a place, if it does: "noun" ("al-Zahawi school", "Mecca's Al-Nur
    hospital": the name compounds a place noun), "of" ("the village of Ashmi", "the southern city of Basra"),
    "appos" ("Ashmi, a village near ..."), "region" for an administrative area ("Shaba province", "the
    province of Anbar": wide, often a container), or "part" when the noun is a part of the named place ("the
    countryside of Kobane", "a Paris suburb": the name is the container); None otherwise."""
    root = span.root
    head = root.head
    end = span.end
    doc = span.doc
    noun = None
    if root.dep_ in ("compound", "nmod", "amod") and head.lemma_.lower() in PLACE_NOUNS and head.is_lower:
        noun = head
    elif end < len(doc) and doc[end].is_lower and doc[end].lemma_.lower() in PLACE_NOUNS and doc[end].pos_ == "NOUN":
        noun = doc[end]
    if noun is None and (root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS
                         and head.head.is_lower):
        noun = head.head
        if noun.lemma_.lower() not in PART_NOUNS | REGION_NOUNS:
            return "of"
    if noun is not None:
        lemma = noun.lemma_.lower()
        return "part" if lemma in PART_NOUNS else "region" if lemma in REGION_NOUNS else "noun"
    if root.dep_ == "appos" and head.lemma_.lower() in PLACE_NOUNS - PART_NOUNS and head.is_lower:
        return "appos"
    if any(c.dep_ == "appos" and c.lemma_.lower() in PLACE_NOUNS - PART_NOUNS and c.is_lower for c in root.children):
        return "appos"
    return None


def containment(cands: list[Candidate]) -> tuple[set[int], set[int]]:
    """Which candidates contain another (a city whose district is named) and which are contained.

    News names the specific place with its container ("the Albuhrat neighborhood near Fallujah", "Mecca's
    Al-Nur hospital"); the annotators' location is the specific one."""
    containers: set[int] = set()
    contained: set[int] = set()
    roots = {c.span.root.i: k for k, c in enumerate(cands)}
    for k, cand in enumerate(cands):
        noun = _modified_noun(cand.span.root)
        if noun is None:
            continue
        own = set(range(cand.span.start, cand.span.end))
        inner = [roots[t.i] for t in noun.subtree if t.i in roots and t.i not in own and roots[t.i] != k]
        if noun.i in roots and roots[noun.i] != k:
            inner.append(roots[noun.i])
        if inner:
            containers.add(k)
            contained.update(inner)
    return containers, contained


def candidate_features(doc: Any, verb: Any, cand: Candidate, index: int, all_cands: list[Candidate],
                       gaz_kind: str | None, contain: tuple[set[int], set[int]] | None = None) -> dict[str, float]:
    """Features of one candidate for one event verb (sparse dict for a linear model)."""
    f: dict[str, float] = {"bias": 1.0, f"label={cand.label}": 1.0, f"gaz={gaz_kind or 'none'}": 1.0}
    if contain is not None:
        f["container"] = float(index in contain[0])
        f["contained"] = float(index in contain[1])
        f[f"container_gaz={gaz_kind or 'none'}"] = float(index in contain[0])
    root = cand.span.root
    prep, attach = _prep_of(root)
    prep_key = prep if prep in PREPOSITIONS else ("other" if prep else "none")
    f[f"prep={prep_key}"] = 1.0
    f[f"dep={root.dep_}"] = 1.0
    if verb is None:
        return f
    chain_c = _ancestors(root)
    chain_v = _ancestors(verb)
    set_v = {t.i for t in chain_v}
    lca_hops_c = next((k for k, t in enumerate(chain_c) if t.i in set_v), len(chain_c))
    lca = chain_c[lca_hops_c] if lca_hops_c < len(chain_c) else None
    lca_hops_v = next((k for k, t in enumerate(chain_v) if lca is not None and t.i == lca.i), len(chain_v))
    f[f"hops_c={min(lca_hops_c, 5)}"] = 1.0
    f[f"hops_v={min(lca_hops_v, 4)}"] = 1.0
    f[f"path={min(lca_hops_c, 5)}_{min(lca_hops_v, 4)}"] = 1.0
    in_verb_subtree = lca is not None and lca.i == verb.i
    f["in_verb_subtree"] = float(in_verb_subtree)
    # the dependency path itself, both halves, prepositions spelled out: "pobj>prep:in" hangs off the verb
    f[f"up={_path(chain_c[:lca_hops_c])}"] = 1.0
    f[f"down={_path(chain_v[:lca_hops_v])}"] = 1.0
    f[f"top={_path(chain_c[max(lca_hops_c - 2, 0):lca_hops_c])}|{in_verb_subtree}"] = 1.0
    f[f"verb_pos={verb.pos_}"] = 1.0
    f["verb_passive"] = float(any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children))
    noun = _modified_noun(root)
    if noun is not None:
        rel = "verb" if noun.head.i == verb.i else (
            f"prep:{noun.head.lower_}" if noun.dep_ == "pobj" and noun.head.head.i == verb.i else "other")
        f[f"mod_noun={noun.dep_}|{rel}"] = 1.0
    if attach is not None:
        attached = attach.i == verb.i
        f["prep_on_verb"] = float(attached)
        f[f"prep_on_verb={prep_key}"] = float(attached)
        # "killed in the bombardment of Aziziyah": the preposition hangs off a noun inside the verb's phrase
        if not attached and in_verb_subtree:
            f[f"prep_in_subtree={prep_key}"] = 1.0
        f[f"attach_pos={attach.pos_}"] = 1.0
    if root.head.i == verb.i:
        f[f"verb_child_dep={root.dep_}"] = 1.0
    # a place the verb's clause does not contain usually belongs to another event ("... said in Cairo")
    if lca is not None and lca.i != verb.i:
        f[f"lca_pos={lca.pos_}"] = 1.0
        f[f"lca_is_say={lca.lemma_ in ('say', 'tell', 'report', 'add', 'announce', 'claim')}"] = 1.0
    dist = cand.span.start - verb.i if cand.span.start > verb.i else cand.span.end - 1 - verb.i
    f["after_verb"] = float(dist > 0)
    f[f"dist={'+' if dist > 0 else '-'}{min(abs(dist) // 3, 6)}"] = 1.0
    f["abs_dist"] = min(abs(dist), 40) / 40
    nearer = sum(1 for c in all_cands if abs(c.span.start - verb.i) < abs(cand.span.start - verb.i))
    f[f"rank={min(nearer, 3)}"] = 1.0
    f[f"n_cands={min(len(all_cands), 4)}"] = 1.0
    prev = doc[cand.span.start - 1] if cand.span.start > 0 else None
    if prev is not None:
        f[f"prev={prev.lower_ if prev.lower_ in PREPOSITIONS or prev.is_punct else prev.pos_}"] = 1.0
    nxt = doc[cand.span.end] if cand.span.end < len(doc) else None
    if nxt is not None:
        f[f"next={nxt.lower_ if nxt.is_punct or nxt.lower_ in ('province', 'city', 'district', 'village') else nxt.pos_}"] = 1.0
    # the next place in an "X, Y" apposition is usually the container ("Taji, north of Baghdad")
    if index > 0 and all_cands[index - 1].end + 2 >= cand.start:
        f["follows_cand"] = 1.0
    if index + 1 < len(all_cands) and cand.end + 2 >= all_cands[index + 1].start:
        f["precedes_cand"] = 1.0
    # "SDF", "APEC": an all-capitals name is more often an organisation than a place (the gazetteer features
    # tell "US", "UAE" apart)
    letters = cand.text.replace(".", "")
    f["acronym"] = float(len(letters) >= 2 and letters.isalpha() and letters.isupper())
    # "Iran-born", "U.S.-led", "US-Kurdish": the place describes someone or something, not where it happened
    if nxt is not None and nxt.text == "-" and cand.span.end + 1 < len(doc) and doc[cand.span.end + 1].is_lower:
        f["hyphen_modifier"] = 1.0
    # how the sentence itself frames the name: as a place ("village of Ashmi", "al-Zahawi school") or as a
    # description of a non-place noun ("A Tampa woman ... shot")
    framing = place_framing(cand.span)
    if framing:
        f[f"named_as_place={framing}"] = 1.0
        f["named_as_place"] = float(framing in ("noun", "of", "appos"))
    if noun is not None:
        f[f"mod_noun_place={noun.lemma_.lower() in PLACE_NOUNS}|{noun.dep_}"] = 1.0
    f["in_quote_clause"] = float(any(t.lemma_ in ("say", "tell") and t.dep_ == "ROOT" for t in chain_c[-1:]))
    return f


#: Prepositions that put the event at a place when they hang off the event verb.
LOCATIVE = ("in", "at", "near", "outside", "inside", "across", "around", "throughout", "within", "on")


def relative_features(verb: Any, cands: list[Candidate], feats: list[dict[str, float]]) -> None:
    """Features comparing a candidate with the sentence's other candidates (added in place).

    Each candidate is scored on its own, so "is there a better-placed rival?" must be spelled out: another place
    under a locative preposition on the verb, whether this is the first such place, its rank among the places
    inside the verb's clause, and whether it is the nearest NER place name (the baseline's pick)."""
    if verb is None or not cands:
        return
    on_verb = [bool(any(f.get(f"prep_on_verb={p}") for p in LOCATIVE)) for f in feats]
    in_sub = [bool(f.get("in_verb_subtree")) for f in feats]
    dist = [abs(c.span.start - verb.i) for c in cands]
    places = [k for k, c in enumerate(cands) if c.label in PLACE_LABELS]
    nearest = min(places, key=lambda k: (dist[k], k)) if places else None
    first_on_verb = next((k for k in range(len(cands)) if on_verb[k]), None)
    sub_order = sorted((k for k in range(len(cands)) if in_sub[k]), key=lambda k: (dist[k], k))
    named = [bool(f.get("named_as_place")) for f in feats]
    for k, f in enumerate(feats):
        # another name the sentence calls a place: the specific place a container ("in western Baghdad") locates
        f["rival_named_as_place"] = float(any(named[j] for j in range(len(cands)) if j != k))
        f["rival_loc_prep_on_verb"] = float(any(on_verb[j] for j in range(len(cands)) if j != k))
        f["first_loc_prep_on_verb"] = float(first_on_verb == k)
        f["rivals_in_subtree"] = float(min(sum(in_sub) - in_sub[k], 3))
        if in_sub[k]:
            f[f"subtree_rank={min(sub_order.index(k), 2)}"] = 1.0
        f["nearest_place"] = float(nearest == k)
        f["n_places"] = float(min(len(places), 4))
        f[f"verb_lemma={verb.lemma_.lower()}"] = 1.0
        span = cands[k].span
        # "BAGHDAD (AP) --", "KABUL, Afghanistan --": a dateline names where the reporter is
        f["dateline"] = float(span.start == 0 and span.text.isupper() and len(span.text) > 2)


#: Verbs of saying, judging and intending: an event that is a statement, a plan or an opinion ("said", "vowed",
#: "plans to") often names a place it did not happen at. A general English list, not words taken from errors.
SPEECH_LEMMAS = {"say", "tell", "report", "add", "announce", "claim", "state", "confirm", "accuse", "deny", "warn",
                 "urge", "call", "condemn", "express", "describe", "believe", "hope", "plan", "vow", "threaten",
                 "expect", "agree"}
#: Modal auxiliaries: "will meet", "could strike" describe an event that has not happened (anywhere) yet.
MODALS = {"will", "would", "could", "may", "might", "should", "can", "must", "shall", "'ll"}
#: Candidate features the none decision reads from the best candidate (booleans, and one-hot families by prefix).
_BEST_FLAGS = ("prep_on_verb", "in_verb_subtree", "named_as_place", "dateline", "nearest_place", "after_verb",
               "hyphen_modifier", "acronym", "gaz_container", "gaz_contained")
_BEST_FAMILIES = ("label=", "gaz=", "prep=", "mod_noun_place=")


def none_features(doc: Any, verb: Any, feats: list[dict[str, float]], probs: list[float], best: int
                  ) -> dict[str, float]:
    """Features of the whole sentence for the none decision: is the best-scored candidate the event's location,
    or is the answer none?

    One threshold on the best candidate's probability cannot tell "the event happened nowhere in particular"
    (a statement, a plan, an abstract event) from "the place is only loosely attached": the decision also
    reads the rivals' probabilities, how the best one hangs off the verb, and what kind of verb the event is
    (its lemma, tense, a modal, a negation, whether it sits under a verb of saying)."""
    ordered = sorted(probs, reverse=True)
    p1 = ordered[0] if ordered else 0.0
    p2 = ordered[1] if len(ordered) > 1 else 0.0
    f: dict[str, float] = {"p1": p1, "p2": p2, "gap": p1 - p2, "psum": float(sum(probs)),
                           "ncand": float(len(probs))}
    if feats:
        chosen = feats[best]
        for key in _BEST_FLAGS:
            f["b_" + key] = float(chosen.get(key, 0.0))
        for key in chosen:
            if key.startswith(_BEST_FAMILIES):
                f["b_" + key] = 1.0
    if verb is not None:
        lemma = verb.lemma_.lower()
        f[f"v_lemma={lemma}"] = 1.0
        f[f"v_tag={verb.tag_}"] = 1.0
        f[f"v_dep={verb.dep_}"] = 1.0
        f["v_modal"] = float(any(c.lower_ in MODALS for c in verb.children))
        f["v_neg"] = float(any(c.dep_ == "neg" for c in verb.children))
        f["v_say"] = float(lemma in SPEECH_LEMMAS)
        f["v_head_say"] = float(verb.head is not verb and verb.head.lemma_.lower() in SPEECH_LEMMAS)
        f["v_anc_say"] = float(any(a.lemma_.lower() in SPEECH_LEMMAS for a in verb.ancestors))
        f["v_has_pobj_loc_prep"] = float(any(c.dep_ == "prep" and c.lower_ in ("in", "at", "near")
                                             for c in verb.children))
        f["v_passive"] = float(any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children))
    f["len"] = min(len(doc), 80) / 80
    return f
