"""Knowledge-base coverage audit: which offices of the countries issue 5 lists have nobody in the table.

Issue 5 asks for heads of state and of government and foreign ministers from 2000 to today for the G20, the
neighbours of Russia, China, Afghanistan and Iran, and the UN Security Council members. ``office_gaps()`` lists,
per (country, office), the periods longer than ``min_days`` in which ``people.tsv`` names no holder; the
benchmark (``benchmarks/bench_actors.py``) prints the count so a shrinking or growing table shows.

Some empty periods are not missing data: the office did not exist, was held collectively, or belonged to another
country's head of state. ``NO_SINGLE_HOLDER`` declares those periods with the reason; ``office_gaps`` does not
report them and ``declared_periods`` lists them separately, so the audit counts only what the table lacks.
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

#: (country, office, start, end, reason): periods in which the office had no single holder of its own. An empty
#: end means "still so when the table was written". Keep these to institutional facts (an abolished post, a
#: shared monarch, a collective presidency, a period with no national government), never to a holder we lack.
NO_SINGLE_HOLDER: tuple[tuple[str, str, str, str, str], ...] = (
    ("AUS", "hos", "2000-01-01", "", "the British monarch reigns (GBR hos); a governor-general acts for the Crown"),
    ("CAN", "hos", "2000-01-01", "", "the British monarch reigns (GBR hos); a governor-general acts for the Crown"),
    ("CHE", "hos", "2000-01-01", "", "the seven-member Federal Council is collectively head of state; its "
                                     "president rotates yearly"),
    ("TUR", "hog", "2018-07-09", "", "the post of prime minister was abolished (2017 referendum); the president "
                                     "heads the government"),
    ("AFG", "hog", "2001-12-22", "2014-09-29", "no prime minister: the interim, transitional and then (2004 "
                                               "constitution) elected president headed the government"),
    ("AFG", "hog", "2020-05-17", "2021-09-07", "the chief executive post ended with the May 2020 power-sharing "
                                               "deal; the president headed the government until the Taliban "
                                               "named a prime minister"),
    ("IRQ", "hos", "2003-04-09", "2004-06-28", "occupation: the Coalition Provisional Authority governed; the "
                                               "Governing Council's presidency rotated monthly"),
    ("IRQ", "hog", "2003-04-09", "2004-06-28", "occupation: the Coalition Provisional Authority governed"),
    ("IRQ", "fm", "2003-04-09", "2003-09-03", "occupation: no Iraqi foreign minister until the Governing Council "
                                              "appointed one"),
    ("MMR", "hog", "2011-03-30", "2016-04-06", "the 2008 constitution has no prime minister: the president "
                                               "headed the government until the State Counsellor post"),
    ("MMR", "hog", "2021-02-01", "2021-08-01", "the junta's State Administration Council governed; its chairman "
                                               "took the title of prime minister in August 2021"),
    ("BTN", "hog", "2000-01-01", "2008-04-09", "the Council of Ministers' chairmanship rotated yearly among the "
                                               "ministers until the first elected prime minister"),
    ("BTN", "hog", "2018-08-07", "2018-11-07", "interim government under a chief adviser between parliaments"),
    ("BTN", "fm", "2018-08-07", "2018-11-07", "interim government under a chief adviser between parliaments"),
    ("KGZ", "hog", "2010-04-07", "2010-12-17", "interim government after the April 2010 uprising: its head (also "
                                               "head of state) led the cabinet until parliament chose a prime "
                                               "minister"),
    ("NPL", "hog", "2005-02-01", "2006-04-30", "royal takeover: the king ruled directly, with no prime minister"),
    ("SOM", "hos", "2000-01-01", "2000-08-27", "no national government (civil war) until the Transitional "
                                               "National Government"),
    ("SOM", "fm", "2000-01-01", "2000-08-27", "no national government (civil war) until the Transitional "
                                              "National Government"),
)


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
            spells = sorted([(s.start[:10], s.end[:10] if s.end else "") for s in
                             kb.offices.get((country, office), [])])
            if office == "hog" and not spells:
                continue
            # a declared period with no single holder counts as covered
            spells = sorted(spells + [(s, e) for c, o, s, e, _ in NO_SINGLE_HOLDER if (c, o) == (country, office)])
            cursor = lo
            for start_s, end_s in spells:
                s_start = date.fromisoformat(start_s)
                s_end = date.fromisoformat(end_s) if end_s else hi
                if s_start > cursor + slack and cursor < hi:
                    out.append((country, office, cursor.isoformat(), min(s_start, hi).isoformat()))
                cursor = max(cursor, s_end)
            if cursor < hi - slack:
                out.append((country, office, cursor.isoformat(), hi.isoformat()))
    return out


def declared_periods(start: str = "2000-01-01", end: str = "2025-06-30") -> list[tuple[str, str, str, str, str]]:
    """The ``NO_SINGLE_HOLDER`` periods of the issue's countries, clipped to the audit window."""
    listed = set(listed_countries())
    return [(c, o, max(s, start), min(e or end, end), why) for c, o, s, e, why in NO_SINGLE_HOLDER
            if c in listed and s < end and (e or end) > start]


if __name__ == "__main__":  # python -m wiredesk.actors.coverage
    for row in office_gaps():
        print(*row, sep="\t")
    for row in declared_periods():
        print("# no single holder:", *row, sep="\t")
