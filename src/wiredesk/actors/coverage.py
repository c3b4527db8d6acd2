"""Knowledge-base coverage audit: which offices of the countries issue 5 lists have nobody in the table.

Issue 5 asks for heads of state and of government and foreign ministers from 2000 to today for the G20, the
neighbours of Russia, China, Afghanistan and Iran, and the UN Security Council members. ``office_gaps()`` lists,
per (country, office), the periods longer than ``min_days`` in which ``people.tsv`` names no holder; the
benchmark (``benchmarks/bench_actors.py``) prints the count so a shrinking or growing table shows.
"""

from __future__ import annotations

from datetime import date, timedelta

from .kb import KnowledgeBase

G20 = ("ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA").split()
NEIGHBOURS = {
    "RUS": "NOR FIN EST LVA LTU POL BLR UKR GEO AZE KAZ CHN MNG PRK".split(),
    "CHN": "AFG BTN IND KAZ PRK KGZ LAO MNG MMR NPL PAK RUS TJK VNM".split(),
    "AFG": "CHN IRN PAK TJK TKM UZB".split(),
    "IRN": "AFG ARM AZE IRQ PAK TUR TKM".split(),
}
#: The permanent members and the elected members of 2023-2026 (the Council as of the audit).
UNSC = ("CHN FRA RUS GBR USA ECU JPN MLT MOZ CHE DZA GUY KOR SLE SVN DNK GRC PAK PAN SOM").split()
#: Offices issue 5 asks for; ``hog`` only where the country has a separate head of government in the table.
OFFICES = ("hos", "hog", "fm")


def listed_countries() -> list[str]:
    return sorted(set(G20) | {c for cs in NEIGHBOURS.values() for c in cs} | set(NEIGHBOURS) | set(UNSC))


def office_gaps(kb: KnowledgeBase | None = None, start: str = "2000-01-01", end: str = "2025-06-30",
                min_days: int = 45) -> list[tuple[str, str, str, str]]:
    """(country, office, gap start, gap end) for every gap longer than ``min_days`` between ``start`` and
    ``end`` (the table's horizon is mid-2025). A country with no ``hog`` spell at all is taken to have no
    separate head of government (presidential systems) and is not reported for it."""
    kb = kb or KnowledgeBase()
    lo, hi = date.fromisoformat(start), date.fromisoformat(end)
    slack = timedelta(days=min_days)
    out = []
    for country in listed_countries():
        for office in OFFICES:
            spells = sorted(kb.offices.get((country, office), []), key=lambda s: s.start)
            if office == "hog" and not spells:
                continue
            cursor = lo
            for s in spells:
                s_start = date.fromisoformat(s.start[:10])
                s_end = date.fromisoformat(s.end[:10]) if s.end else hi
                if s_start > cursor + slack and cursor < hi:
                    out.append((country, office, cursor.isoformat(), min(s_start, hi).isoformat()))
                cursor = max(cursor, s_end)
            if cursor < hi - slack:
                out.append((country, office, cursor.isoformat(), hi.isoformat()))
    return out


if __name__ == "__main__":  # python -m wiredesk.actors.coverage
    for row in office_gaps():
        print(*row, sep="\t")
