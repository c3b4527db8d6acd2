"""The matching layer of the actor resolver: vocabulary, the records the phrase parser passes around, and the
:class:`Matcher` mixin that turns a token stream into *atoms* (longest-match dictionary lookups against the
knowledge base: country names, demonyms, capitals and seats of power, organisations, people, role nouns,
modifiers; unknown capitalised runs are kept as possible names).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from wiredesk.model import Entity

from .kb import Role, Target, fold, token_key

#: Words that may sit inside a personal name without being capitalised ("José Eduardo dos Santos").
NAME_PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "dos", "das", "do", "du", "van", "von", "der",
                  "den", "la", "le", "di", "del", "abu", "ben", "y"}
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
           "acting", "chief", "junior", "vice", "first", "press", "communist", "conservative", "socialist", "liberal"}
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
#: Suffixes that make a country word lead a group: "U.S.-led forces", "Russian-run enclave"; a flag or registry
#: makes a ship the country's ("a Greek-flagged tanker", "a Panama-registered freighter"). ("-backed" is not one:
#: "Syrian-backed militia" is not Syrian.)
LED_SUFFIXES = {"led", "run", "controlled", "owned", "commanded", "dominated", "flagged", "registered"}
#: Capitalised words of a sea's name: a country or city inside one ("the Gulf of Aden", "the Sea of Japan", "the
#: South China Sea", "the Philippine Sea", "the Persian Gulf", "the Indian Ocean") names water, not the state.
WATER_WORDS = {"Gulf", "Sea", "Bay", "Strait", "Straits", "Bight", "Ocean"}
#: Suffixes that say only where a body sits: "the Hague-based International Criminal Court", "the Geneva-based
#: World Health Organization", "the Paris-based watchdog" are neither of that place nor a name that starts there.
BASED_SUFFIXES = {"based", "headquartered"}
#: Words that may follow a place attached by a preposition ("rebels in Macedonia *and* ..."); any other
#: lower-case word means the country was an adjective of a noun ("bombers of the U.S. *airliner*").
AFTER_PLACE = {"on", "and", "or", "in", "at", "to", "for", "with", "from", "since", "after", "before", "by", "said",
               "says", "that", "who", "which", "have", "has", "had", "are", "were", "was", "is", "will", "would",
               "as", "but", "of", "over", "under", "during", "while", "when", "because", "against", "into", "near"}
#: Which meaning a matched surface form takes first when it has several kinds.
ATOM_PRIORITY = ("org", "person", "country", "power", "seat", "demonym", "people", "alias")
#: Atom kinds that can anchor an actor phrase (give it its code).
ANCHOR_KINDS = ("country", "seat", "power", "demonym", "people", "org")
#: Spokesperson titles: inside a non-state group they speak for the group (sector of the group).
SPOKES = {"spokesman", "spokeswoman", "spokesperson", "commander", "chief", "leader", "leaders", "head"}
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
    group_is_place: bool = False  # the unknown name came after "in/of/at" ("rebels in Darfur")
    definite: bool = False  # introduced by "the" ("the ministry"; not "an army post", "the US' military policies")
    after: str | None = None  # the token after the phrase ("said" in "the army said"), lower case


@dataclass(slots=True)  # ~530 per article: slots make them smaller and quicker to build and read
class _Atom:
    i: int  # first token index
    j: int  # one past the last token index
    kind: str  # country seat demonym org person alias role mod cap poss conj prep det plural word
    targets: list[Target] = field(default_factory=list)
    role: Role | None = None
    text: str = ""
    #: an unknown capitalised run that its context shows to be a personal name although it holds a place word
    #: ("Vox leader *Santiago Abascal*", "*Jordan Bardella*, the leader of"); see ``_names_over_places``
    named: bool = False


#: Atom kinds a word of a personal name can be mistaken for: a country or capital ("Georgia", "Jordan",
#: "Santiago"), an organisation ("Fatah" in "Abdel Fatah el-Sisi"), another person's alias.
NAME_WORD_KINDS = frozenset({"cap", "country", "seat", "org", "alias"})
#: Place atoms that may be a word of a personal name: a one-word country or capital ("Chad Wolf", "Jim Jordan").
NAME_PLACE_KINDS = frozenset({"country", "seat"})


#: PLOVER non-state codes (never the country of a later mention).
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})


@dataclass
class _Memory:
    """Within-article coreference state: who has been mentioned, in order."""

    entities: list[Entity] = field(default_factory=list)
    surnames: dict[str, Entity] = field(default_factory=dict)
    countries: Counter = field(default_factory=Counter)
    #: set per sentence by the resolver: the countries the sentence names as places (a capital, a dateline,
    #: "in Kenya"), in order, and the article's country counts before the sentence; bare state bodies
    #: ("the interior ministry") are placed with them
    places: list = field(default_factory=list)
    prior: Counter = field(default_factory=Counter)

    def remember(self, entity: Entity) -> None:
        if entity.code == "PLURAL":
            return
        self.entities.append(entity)
        # states only: an organisation's non-state code is no country a later unknown group could belong to
        if entity.code and len(entity.code) == 3 and entity.code.isalpha() and entity.code.isupper() and \
                entity.code not in NON_STATE_CODES:
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



class Matcher:
    """Mixin: token stream -> atoms. Expects ``self.kb``, ``self.settings`` and ``self._quick_words``."""

    def _atoms(self, toks: list[tuple[int, int, str]]) -> list[_Atom]:
        kb = self.kb
        atoms: list[_Atom] = []
        n = len(toks)
        i = 0
        quick = self._quick_words
        # the surfaces once per sentence: a lookup key is then a slice joined, not a generator over token tuples
        # (the name and role searches build up to ``max_len`` keys for every capitalised word)
        words = [t[2] for t in toks]
        lowers: list[str] | None = None
        while i < n:
            word = words[i]
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
                key = " ".join(words[i:i + length]) if length > 1 else word
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
            if found is None:
                # "a Marshall Islands-flagged tanker", "the United States-led coalition": the suffix rides on the
                # last word of a name of several words
                for length in range(min(kb.max_len.get(word, 0), n - i), 1, -1):
                    head, _, tail = words[i + length - 1].rpartition("-")
                    key = " ".join(words[i:i + length - 1] + [head])
                    if head and tail.lower() in LED_SUFFIXES and kb.index.get(key):
                        found = (length, kb.index[key])
                        break
            if found is None and "-" in word and word.rpartition("-")[2].lower() in BASED_SUFFIXES:
                # a plain modifier: it must not open a capitalised run that swallows the body's own name
                atoms.append(_Atom(i, i + 1, "word", text=word))
                i += 1
                continue
            # role nouns: case-insensitive; a role that is longer than the name wins ("Security Council")
            lower = word.lower()
            role_hit = None
            for length in range(min(kb.role_max_len.get(lower, 0), n - i), 0, -1):
                if length == 1:
                    key = lower
                else:
                    if lowers is None:
                        lowers = [w.lower() for w in words]
                    key = " ".join(lowers[i:i + length])
                role = kb.role_index.get(key)
                if role:
                    role_hit = (length, role)
                    break
            if found and (i >= 2 and toks[i - 1][2] == "of" and toks[i - 2][2] in WATER_WORDS or
                          i + found[0] < n and toks[i + found[0]][2] in WATER_WORDS):
                atoms.append(_Atom(i, i + found[0], "word", text=key_text(toks, i, i + found[0])))
                i += found[0]
                continue
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
        """"Emanuel Macron", "Georgia Meloni", "Abdel Fatah el-Sisi": the capitalised words right before a known
        surname join the person mention when together they look like that person's given names (rapidfuzz ratio
        >= the title cut-off), even when a word is also a place or a group ("Georgia" is GEO, "Fatah" a
        Palestinian party): a known person's name beats a place word inside it. Up to two atoms, three tokens."""
        out: list[_Atom] = []
        for a in atoms:
            if a.kind in ("person", "alias"):
                run = 0  # how many atoms right before ``a`` could be given names
                while run < 2 and len(out) > run:
                    prev, nxt = out[-1 - run], (out[-run] if run else a)
                    if prev.kind not in NAME_WORD_KINDS or prev.j != nxt.i or not prev.text[:1].isupper():
                        break
                    run += 1
                merged = None
                for size in range(run, 0, -1):  # the longest run that fits wins
                    first_atom = out[-size]
                    if a.i - first_atom.i > 3 or (size == 1 and first_atom.kind not in ("cap", *NAME_PLACE_KINDS,
                                                                                         "org")):
                        continue
                    given = fold(key_text(toks, first_atom.i, a.i)).lower()
                    if self._looks_like_given_names(given, a):
                        merged = size
                        break
                if merged:
                    start = out[-merged].i
                    del out[-merged:]
                    out.append(_Atom(start, a.j, a.kind, a.targets, text=key_text(toks, start, a.j)))
                    continue
            out.append(a)
        return out

    def _namesakes(self, atoms: list[_Atom], toks, persons: set[tuple[int, int]] | None) -> list[_Atom]:
        """"Texas Governor Greg Abbott" is not Tony Abbott: a known person's surname alone, right after a
        capitalised word that is none of that person's given names, both inside one spaCy PERSON entity, names
        someone else of that surname. The two become one unknown personal name, which a title or an apposition
        may still place ("Texas Governor" -> USA). Without a PERSON entity over both (no parse, or a sentence
        opening "Yesterday Abbott said") the surname keeps its known person."""
        if not persons:
            return atoms
        out: list[_Atom] = []
        for a in atoms:
            prev = out[-1] if out else None
            if (a.kind == "alias" and a.j - a.i == 1 and prev is not None and prev.kind == "cap"
                    and prev.j == a.i and prev.j - prev.i == 1):
                s, e = toks[prev.i][0], toks[a.i][1]
                given = fold(prev.text).lower().rstrip(".")
                if any(ps <= s and e <= pe for ps, pe in persons) and not self._is_given_name(given, a):
                    out[-1] = _Atom(prev.i, a.j, "cap", text=key_text(toks, prev.i, a.j), named=True)
                    continue
            out.append(a)
        return out

    def _is_given_name(self, word: str, surname: _Atom) -> bool:
        """One word that is (or is misspelt from, or is the initial of) a given name of a person the surname may
        name: "Tayyip" and "Recep" for Erdogan, "Emanuel" for Macron, "S" for Jaishankar."""
        for t in surname.targets:
            person = self.kb.people.get(t.key)
            if person is None:
                return True  # not a person we know: nothing to tell apart
            for first in fold(" ".join(person.name.split()[:-1])).lower().split():
                if (len(word) == 1 and first.startswith(word)) or \
                        fuzz.ratio(word, first) >= self.settings.fuzzy_title_cutoff:
                    return True
        return False

    def _looks_like_given_names(self, given: str, surname: _Atom) -> bool:
        for t in surname.targets:
            person = self.kb.people.get(t.key)
            if person is None:
                continue
            first = fold(" ".join(person.name.split()[:-1])).lower()
            if first and fuzz.ratio(given, first) >= self.settings.fuzzy_title_cutoff:
                return True
        return False

    def _names_over_places(self, atoms: list[_Atom], toks, persons: set[tuple[int, int]] | None) -> list[_Atom]:
        """An unknown name that holds a one-word country or capital ("Chad Wolf", "Jim Jordan", "Santiago
        Abascal", "Jordan Bardella") is one personal name, not a place, when its context says it names a person:
        a title right before it ("Vox leader Santiago Abascal", "Congressman Jim Jordan"), an apposition with
        a title right after it ("Jordan Bardella, the leader of ...", "Chad Wolf, the acting secretary"), or a
        spaCy PERSON entity covering it. Without such a sign the place word stays a place ("Kenya Airways",
        "the Jordan Valley")."""
        out: list[_Atom] = []
        k, n = 0, len(atoms)
        while k < n:
            # the longest run of adjacent capitalised cap / place atoms from k, at least one of each
            end, places, caps = k, 0, 0
            while end < n and (end == k or atoms[end].i == atoms[end - 1].j) and \
                    atoms[end].text[:1].isupper() and atoms[end].j - atoms[k].i <= self.settings.max_name_tokens and \
                    (atoms[end].kind == "cap" or (atoms[end].kind in NAME_PLACE_KINDS and
                                                  atoms[end].j - atoms[end].i == 1)):
                places += atoms[end].kind != "cap"
                caps += atoms[end].kind == "cap"
                end += 1
            if places and caps and end - k >= 2 and self._name_context(atoms, k, end, toks, persons):
                out.append(_Atom(atoms[k].i, atoms[end - 1].j, "cap", text=key_text(toks, atoms[k].i,
                                                                                   atoms[end - 1].j), named=True))
                k = end
                continue
            out.append(atoms[k])
            k += 1
        return out

    @staticmethod
    def _name_context(atoms: list[_Atom], k: int, end: int, toks, persons) -> bool:
        """Whether atoms[k:end] stand where a personal name stands (see ``_names_over_places``)."""
        if persons:
            s, e = toks[atoms[k].i][0], toks[atoms[end - 1].j - 1][1]
            if any(ps <= s and e <= pe for ps, pe in persons):
                return True
        titles = ("title", "both", "honorific")
        if k > 0 and atoms[k - 1].kind == "role" and atoms[k - 1].j == atoms[k].i and atoms[k - 1].role.kind in titles:
            return True
        # ", [the|a] [acting] [COUNTRY ['s]] [up to three nouns] TITLE": an apposition that gives an office
        # ("Chad Wolf, the acting homeland security secretary"); a relative clause ends the search ("Georgia
        # Tech, the university whose president ...")
        look = end
        if look + 1 < len(atoms) and atoms[look].text == ",":
            look += 1
            nouns = 0
            while look < len(atoms):
                a = atoms[look]
                if a.kind in ("poss", "country", "demonym", "mod") or _is_filler(a) or a.text in ("the", "a", "an"):
                    look += 1
                    continue
                if a.kind == "role" and a.role.kind in titles:
                    return True
                if nouns < 3 and a.text not in RELATIVE_WORDS and (a.kind == "role" or (
                        a.kind == "word" and a.text.isalpha() and a.text.islower())):
                    nouns += 1
                    look += 1
                    continue
                return False
        return False


#: Words that open a relative clause: an office named after them is someone else's.
RELATIVE_WORDS = frozenset({"who", "whose", "which", "where", "that", "whom", "when"})

    # ------------------------------------------------------------------------------------------------- phrases
def key_text(toks, i: int, j: int) -> str:
    """The surface text of tokens i..j (single-spaced; exact offsets come from the token positions)."""
    if j == i + 1:
        return toks[i][2]
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
    roles = [r for r in roles if r.role and r.role.kind != "honorific"]  # "Sheikh" says nothing of the office
    if not roles:
        return None
    for r in reversed(roles):
        if r.role.phrase not in GENERIC_HEADS:
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

