"""The actor knowledge base: countries, organisations and armed groups, people with dated offices, role nouns.

Everything here is read from the tab-separated files in ``data/`` (written by the team from public facts; see
``data/README.md``). The loader turns them into lookup tables keyed by *token keys*: the surface form cut into
tokens by :func:`tokens` and joined by single spaces, so the matcher and the tables always agree on how
"U.S.-led", "Côte d'Ivoire" or "Kenya's" are split.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).with_name("data")

# One pass of one compiled pattern (the matcher's hot path): a dotted abbreviation (U.S., U.N.) or a title
# abbreviation with its dot (Gen., St.) is one token; words keep inner hyphens and apostrophes ("al-Qaeda",
# "N'Djamena") but a possessive 's is its own token ("Kenya's" -> "Kenya", "'s"); a full stop is punctuation.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"
    r"|(?i:gen|col|lt|maj|st|dr|mr|mrs|ms|sen|rep|gov|sgt|capt|adm|prof|jr|sr|no)\.(?=\s)"
    r"|\w+(?:[-'’]\w+)*?(?=['’]s\b)"
    r"|['’]s\b"
    r"|\w+(?:[-'’]\w+)*"
    r"|[^\w\s]"
)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Tokens of ``text[start:end]`` as (start, end, surface) with offsets into ``text``."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def token_key(text: str) -> str:
    """The lookup key of a surface form: its tokens joined by single spaces."""
    return " ".join(t for _, _, t in tokens(text))


# Letters that Unicode does not decompose into a base letter plus accent.
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d", "þ": "th", "ħ": "h"})


def fold(text: str) -> str:
    """Accents removed ("Erdoğan" -> "Erdogan", "Radosław" -> "Radoslaw"), so both spellings match."""
    text = text.translate(_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    seats: tuple[str, ...]  # capitals and cities standing for the government ("Moscow", "Washington")
    leader: str  # "hos", "hog" or "sl": which office "the French leader" means
    powers: tuple[str, ...] = ()  # seats of power: always the government ("the Kremlin", "Downing Street")


@dataclass(frozen=True)
class Org:
    kb_id: str
    code: str
    sector: str | None
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Spell:
    """One person holding one office for one period. Dates are ISO strings; ``end`` None = still in office."""

    kb_id: str
    country: str
    office: str  # office key: hos, hog, fm, vp, sl, dm, sg ...
    title: str  # as usually written: President, Prime Minister, Chancellor, Secretary of State ...
    start: str
    end: str | None
    sector: str = "GOV"
    unsure: str = ""  # non-empty when a date is not certain (says which)

    def covers(self, date: str) -> bool:
        return self.start <= date and (self.end is None or date <= self.end)


@dataclass
class Person:
    kb_id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    spells: list[Spell] = field(default_factory=list)

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys(s.country for s in self.spells))

    def spells_at(self, date: str) -> list[Spell]:
        return [s for s in self.spells if s.covers(date)]


#: Nouns whose other number is not made by adding or dropping -s (or that must not be: "police", "media").
_IRREGULAR_NUMBER = {"man": "men", "woman": "women", "child": "children", "person": "people",
                     "militiaman": "militiamen", "policeman": "policemen", "serviceman": "servicemen",
                     "businessman": "businessmen", "congressman": "congressmen", "fisherman": "fishermen",
                     "tribesman": "tribesmen", "gunman": "gunmen", "clergyman": "clergymen"}
_INVARIANT = frozenset({"police", "media", "military", "army", "intelligence", "opposition", "government",
                        "people", "justice", "judiciary", "leadership", "administration", "navy", "aircraft",
                        "artillery", "displaced", "cabinet", "regime", "junta", "authority", "news",
                        # the other number is a common word of another sense ("by force", "at home", "the West
                        # Bank", "a member state", "the head of")
                        "force", "forces", "home", "homes", "bank", "banks", "member", "members", "head",
                        "heads", "national", "nationals",
                        # "the town of Samarra" is where something happens far more often than a party
                        "towns"})


def _other_number(key: str) -> str | None:
    """The other grammatical number of the last word of a role key ("farmers" -> "farmer", "doctor" ->
    "doctors", "militiamen" -> "militiaman"), or None when the word has no other number we can form safely."""
    *head, last = key.split(" ")
    if last in _INVARIANT or not last.isalpha() or len(last) < 4:
        return None
    plural_of = {v: k for k, v in _IRREGULAR_NUMBER.items()}
    if last in _IRREGULAR_NUMBER:
        other = _IRREGULAR_NUMBER[last]
    elif last in plural_of:
        other = plural_of[last]
    elif last.endswith("ies"):
        other = last[:-3] + "y"
    elif last.endswith(("sses", "ches", "shes", "xes")):
        other = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
        other = last[:-1]
    elif last.endswith("y") and last[-2] not in "aeiou":
        other = last[:-1] + "ies"
    elif last.endswith(("s", "ch", "sh", "x")):
        other = last + "es"
    else:
        other = last + "s"
    return " ".join([*head, other])


@dataclass(frozen=True)
class Role:
    phrase: str
    sector: str | None  # None for roles that name a kind of organisation, not a sector ("rights group" -> NGO)
    office: str | None  # office key in the people table, or None
    kind: str  # title | noun | both | honorific | modifier
    country: str | None = None  # the state the role implies ("pope" -> VAT), if any


@dataclass(frozen=True)
class Target:
    """What a surface form can mean: kind is country | seat (capital) | power (seat of power) | demonym |
    people (plural demonym) | org | person | person-alias."""

    kind: str
    key: str  # country code, org kb_id or person kb_id


def _pad(date: str, end: bool = False) -> str:
    """'2008' -> '2008-01-01' (or '2008-12-31' for an end date); '2008-05' likewise."""
    parts = date.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31" if end else f"{parts[0]}-01-01"
    if len(parts) == 2:
        return f"{date}-28" if end else f"{date}-01"
    return date


def _rows(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append([c.strip() for c in line.split("\t")])
    return out


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


class KnowledgeBase:
    """The loaded tables plus the surface-form index the matcher uses."""

    def __init__(self, data_dir: Path = DATA) -> None:
        self.version = (data_dir / "VERSION").read_text().strip() if (data_dir / "VERSION").exists() else "dev"
        self.countries: dict[str, Country] = {}
        self.orgs: dict[str, Org] = {}
        self.people: dict[str, Person] = {}
        self.roles: dict[str, Role] = {}
        self.modifiers: dict[str, Role] = {}
        # token key -> meanings; case-sensitive names, and a lower-case table for role nouns
        self.index: dict[str, list[Target]] = defaultdict(list)
        self.role_index: dict[str, Role] = {}
        # (country, office) -> spells sorted by start
        self.offices: dict[tuple[str, str], list[Spell]] = defaultdict(list)
        # lower-cased title words -> office key, for "Chancellor Olaf"
        self.surnames: dict[str, list[str]] = defaultdict(list)
        self._load_countries(data_dir / "countries.tsv")
        self._load_orgs(data_dir / "orgs.tsv")
        self._load_people(data_dir / "people.tsv")
        self._load_roles(data_dir / "roles.tsv")
        if (data_dir / "regions.tsv").exists():
            self._load_regions(data_dir / "regions.tsv")
        self.max_len: dict[str, int] = {}
        for key in self.index:
            first = key.split(" ", 1)[0]
            self.max_len[first] = max(self.max_len.get(first, 0), key.count(" ") + 1)
        self.role_max_len: dict[str, int] = {}
        for key in self.role_index:
            first = key.split(" ", 1)[0]
            self.role_max_len[first] = max(self.role_max_len.get(first, 0), key.count(" ") + 1)

    # -- loading -----------------------------------------------------------------------------------------------
    def _add(self, surface: str, target: Target) -> None:
        for form in {surface, fold(surface)}:
            key = token_key(form)
            if key and target not in self.index[key]:
                self.index[key].append(target)

    def _load_countries(self, path: Path) -> None:
        import pycountry

        for row in _rows(path):
            row += [""] * (6 - len(row))
            code, names, demonyms, seats, leader, powers = row[:6]
            names_l = _split(names)
            official = pycountry.countries.get(alpha_3=code)
            extra = []
            if official is not None:
                for attr in ("name", "official_name", "common_name"):
                    value = getattr(official, attr, None)
                    if value and "," not in value:  # "Bolivia, Plurinational State of" is not how news writes it
                        extra.append(value.removeprefix("the "))
            all_names = list(dict.fromkeys(names_l + extra))
            country = Country(code, names_l[0] if names_l else code, tuple(all_names), tuple(_split(demonyms)),
                              tuple(_split(seats)), leader or "hos", tuple(_split(powers)))
            self.countries[code] = country
            for n in all_names:
                self._add(n, Target("country", code))
            singular = set(country.demonyms)
            for d in country.demonyms:
                # "Afghans", "Filipinos": a plural of another demonym names people (civilians), not the state
                plural = d.endswith("s") and (d[:-1] in singular or d[:-2] in singular)
                self._add(d, Target("people" if plural else "demonym", code))
            for p in country.powers:
                self._add(p, Target("power", code))
            for s in country.seats:
                self._add(s, Target("seat", code))

    def _load_regions(self, path: Path) -> None:
        """Regions that stand for a place of one state ("the Niger Delta", "Darfur"): indexed as that country's
        names, so they resolve as a place of it (sector none), and, being longer, win over a country word
        inside them ("Niger")."""
        for row in _rows(path):
            if len(row) < 2 or row[1] not in self.countries:
                continue
            for name in _split(row[0]):
                self._add(name, Target("country", row[1]))

    def _load_orgs(self, path: Path) -> None:
        for row in _rows(path):
            row += [""] * (5 - len(row))
            kb_id, code, sector, name, aliases = row[:5]
            org = Org(kb_id, code, sector or None, name, tuple(_split(aliases)))
            self.orgs[kb_id] = org
            for a in (name, *org.aliases):
                self._add(a, Target("org", kb_id))

    def _load_people(self, path: Path) -> None:
        if not path.exists():
            return
        for row in _rows(path):
            row += [""] * (8 - len(row))
            name, aliases, country, office, title, start, end, unsure = row[:8]
            kb_id = "person:" + slug(name)
            sector = "GOV"
            if ":" in office:  # "army:MIL" -> office key army, sector MIL
                office, sector = office.split(":", 1)
            person = self.people.get(kb_id)
            if person is None:
                person = self.people[kb_id] = Person(kb_id, name)
            if name and name != person.name and name not in person.aliases:
                person.aliases.append(name)
            for a in _split(aliases):
                if a not in person.aliases:
                    person.aliases.append(a)
            spell = Spell(kb_id, country, office, title, _pad(start), _pad(end, end=True) if end else None,
                          sector, unsure)
            if any(s.office == spell.office and s.country == spell.country and s.start == spell.start
                   for s in person.spells):
                raise ValueError(f"{path.name}: {name} {country} {office} from {start} is listed twice")
            person.spells.append(spell)
            self.offices[(country, office)].append(spell)
        for spells in self.offices.values():
            spells.sort(key=lambda s: s.start)
        for person in self.people.values():
            self._add(person.name, Target("person", person.kb_id))
            parts = person.name.split()
            for a in person.aliases:
                self._add(a, Target("person", person.kb_id) if " " in a else Target("person-alias", person.kb_id))
            if len(parts) > 1:
                self.surnames[fold(parts[-1]).lower()].append(person.kb_id)

    def _load_roles(self, path: Path) -> None:
        for row in _rows(path):
            row += [""] * (5 - len(row))
            phrase, sector, office, kind, country = row[:5]
            role = Role(phrase, sector if sector not in ("", "-") else None, None if office in ("", "-") else office,
                        kind or "noun", country or None)
            if role.kind == "modifier":
                self.modifiers[phrase] = role
            else:
                self.role_index[token_key(phrase)] = role
        # a group noun is written in both numbers ("farmers marched", "a farmer was shot"): the table lists the
        # form it was written for, the other number is added here unless the table gives it a line of its own
        for key, role in list(self.role_index.items()):
            if role.kind in ("noun", "both") and role.office is None:
                other = _other_number(key)
                if other and other not in self.role_index:
                    self.role_index[other] = role

    # -- queries -----------------------------------------------------------------------------------------------
    def holders(self, country: str, office: str, date: str) -> list[Spell]:
        """Who held ``office`` in ``country`` on ``date`` (usually one spell; two on a hand-over day)."""
        if office == "leader":
            office = self.countries[country].leader if country in self.countries else "hos"
        return [s for s in self.offices.get((country, office), ()) if s.covers(date)]

    def office_name(self, country: str, office: str) -> str:
        spells = self.offices.get((country, office))
        return spells[-1].title if spells else office
