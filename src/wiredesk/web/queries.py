"""Read queries the HTTP API needs beyond the Store's own: counts, pages, facets, network, map, evidence.

All SQL here is built from constant fragments with ``?`` placeholders; user input only ever travels as bound
parameters. The event filter mirrors :meth:`wiredesk.store.Store.event_rows` exactly (a test checks both agree)
and adds a newest-first order.
"""

from __future__ import annotations

import json
from typing import Any

from wiredesk.store import EventFilter
from wiredesk.store.duck import event_where

#: Names for PLOVER's non-state codes; countries come from pycountry.
NON_STATE = {
    "IGO": "International organisation", "UNO": "United Nations", "EUR": "European Union", "NGO": "NGO",
    "ISM": "Islamist militants", "IMG": "International militarized group", "MNC": "Multinational company",
    "AFR": "Africa", "ASA": "Asia", "EEU": "Eastern Europe", "WST": "The West", "MEA": "Middle East",
}


def where_clause(flt: EventFilter) -> tuple[str, list[Any]]:
    """WHERE text and parameters for an event filter: the store's own definition, so the API cannot drift."""
    return event_where(flt)


def count_events(con: Any, flt: EventFilter) -> int:
    where, params = where_clause(flt)
    return con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]  # noqa: S608


def event_ids(con: Any, flt: EventFilter, newest_first: bool = False) -> list[str]:
    """Ids of one page of events; oldest first like the store, or newest first (the SQL path of the index)."""
    where, params = where_clause(flt)
    order = "date_start DESC NULLS LAST, id DESC" if newest_first else "date_start NULLS LAST, id"
    sql = f"SELECT id FROM events WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"  # noqa: S608
    return [r[0] for r in con.execute(sql, params + [flt.limit, flt.offset]).fetchall()]


def timeline(con: Any, flt: EventFilter, bucket: str = "auto") -> dict[str, Any]:
    """Event counts per day or month and per event type; coarser-dated and undated events counted apart."""
    where, params = where_clause(flt)
    lo, hi, n = con.execute(
        f"SELECT min(date_start), max(date_end), count(*) FROM events WHERE {where}", params  # noqa: S608
    ).fetchone()
    if bucket == "auto":
        span = 0
        if lo and hi:
            import datetime as dt

            span = (dt.date.fromisoformat(hi) - dt.date.fromisoformat(lo)).days
        bucket = "day" if span <= 120 else "month"
    width = 10 if bucket == "day" else 7
    rows = con.execute(
        f"SELECT substr(date, 1, ?) AS p, event, count(*) FROM events WHERE {where} AND length(date) >= ? "  # noqa: S608
        "GROUP BY p, event ORDER BY p, event",
        [width] + params + [width],
    ).fetchall()
    periods: dict[str, dict[str, Any]] = {}
    for period, event, count in rows:
        slot = periods.setdefault(period, {"period": period, "count": 0, "by_event": {}})
        slot["count"] += count
        slot["by_event"][event] = count
    dated = sum(p["count"] for p in periods.values())
    undated = con.execute(
        f"SELECT count(*) FROM events WHERE {where} AND date IS NULL", params  # noqa: S608
    ).fetchone()[0]
    by_type = dict(con.execute(
        f"SELECT event, count(*) FROM events WHERE {where} GROUP BY event ORDER BY 2 DESC", params  # noqa: S608
    ).fetchall())
    return {"bucket": bucket, "total": n, "periods": list(periods.values()), "coarser": n - dated - undated,
            "undated": undated, "by_event": by_type, "first": lo, "last": hi}


def network(con: Any, flt: EventFilter, max_edges: int = 150) -> dict[str, Any]:
    """Who interacts with whom: actor -> recipient code pairs with counts per event type.

    Events with several actors and no recipient (talks, phone calls: PLOVER leaves the recipient empty) link
    every pair of actors, undirected.
    """
    where, params = where_clause(flt)
    sql = f"""
        WITH f AS (SELECT event, actor_codes, recipient_codes FROM events WHERE {where}),
        directed AS (
            SELECT s.src, d.dst, f.event FROM f,
                unnest(string_split(trim(f.actor_codes, '|'), '|')) AS s(src),
                unnest(string_split(trim(f.recipient_codes, '|'), '|')) AS d(dst)
            WHERE f.actor_codes <> '' AND f.recipient_codes <> ''),
        mutual AS (
            SELECT x.src, y.dst, f.event FROM f,
                unnest(string_split(trim(f.actor_codes, '|'), '|')) AS x(src),
                unnest(string_split(trim(f.actor_codes, '|'), '|')) AS y(dst)
            WHERE coalesce(f.recipient_codes, '') = '' AND x.src < y.dst)
        SELECT src, dst, event, count(*) AS n, 1 AS directed FROM directed WHERE src <> dst GROUP BY ALL
        UNION ALL
        SELECT src, dst, event, count(*) AS n, 0 AS directed FROM mutual GROUP BY ALL
    """  # noqa: S608
    edges: dict[tuple, dict[str, Any]] = {}
    for src, dst, event, n, directed in con.execute(sql, params).fetchall():
        edge = edges.setdefault((src, dst, directed), {"source": src, "target": dst, "directed": bool(directed),
                                                      "total": 0, "by_event": {}})
        edge["total"] += n
        edge["by_event"][event] = n
    top = sorted(edges.values(), key=lambda e: (-e["total"], e["source"], e["target"]))[:max_edges]
    nodes: dict[str, dict[str, Any]] = {}
    for edge in top:
        for code in (edge["source"], edge["target"]):
            node = nodes.setdefault(code, {"code": code, "name": code_name(code), "total": 0})
            node["total"] += edge["total"]
    return {"nodes": sorted(nodes.values(), key=lambda n: -n["total"]), "edges": top, "edges_total": len(edges)}


def map_points(con: Any, flt: EventFilter, max_points: int = 3000) -> dict[str, Any]:
    """Located events grouped by coordinates: one dot per place with its count and commonest event type."""
    where, params = where_clause(flt)
    rows = con.execute(
        f"SELECT lat, lon, count(*) AS n, mode(event), min(id), max(country) FROM events "  # noqa: S608
        f"WHERE {where} AND lat IS NOT NULL AND lon IS NOT NULL GROUP BY lat, lon ORDER BY n DESC, 5 LIMIT ?",
        params + [max_points],
    ).fetchall()
    located = con.execute(
        f"SELECT count(*) FROM events WHERE {where} AND lat IS NOT NULL", params  # noqa: S608
    ).fetchone()[0]
    names = _place_names(con, [r[4] for r in rows])
    points = [{"lat": r[0], "lon": r[1], "count": r[2], "event": r[3], "sample_id": r[4], "country": r[5],
               "place": names.get(r[4])} for r in rows]
    return {"points": points, "located": located, "shown": sum(p["count"] for p in points)}


def _place_names(con: Any, event_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in range(0, len(event_ids), 500):
        ids = event_ids[chunk:chunk + 500]
        if not ids:
            continue
        marks = ",".join("?" * len(ids))
        for eid, record in con.execute(f"SELECT id, record FROM events WHERE id IN ({marks})", ids).fetchall():  # noqa: S608
            loc = json.loads(record).get("location") or {}
            out[eid] = loc.get("resolved_place") or loc.get("extracted_place") or ""
    return out


def articles_meta(con: Any, article_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, outlet, date and near-copy group of the given articles (those present in the store)."""
    out: dict[str, dict[str, Any]] = {}
    for chunk in range(0, len(article_ids), 500):
        ids = article_ids[chunk:chunk + 500]
        if not ids:
            continue
        marks = ",".join("?" * len(ids))
        cur = con.execute(
            "SELECT a.id, a.path, a.url, a.title, a.publication, a.published, a.published_basis, "  # noqa: S608
            f"d.group_id FROM articles a LEFT JOIN near_duplicates d ON d.article_id = a.id WHERE a.id IN ({marks})",
            ids,
        )
        names = [d[0] for d in cur.description]
        for row in cur.fetchall():
            rec = dict(zip(names, row))
            rec["near_duplicate_group"] = rec.pop("group_id")
            out[rec["id"]] = rec
    return out


def mention_events(con: Any, article_id: str) -> dict[str, str]:
    """mention id -> canonical event id for the mentions of one article."""
    return dict(con.execute(
        "SELECT em.mention_id, em.event_id FROM event_mentions em JOIN mentions m ON m.id = em.mention_id "
        "WHERE m.article_id = ?", [article_id]).fetchall())


def count_articles(con: Any) -> int:
    return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def totals(con: Any) -> dict[str, Any]:
    """Store-wide counts and date range for the desk's header."""
    counts = {}
    for table in ("articles", "events", "stories", "ingest_errors"):
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - constants
    lo, hi = con.execute("SELECT min(date_start), max(date_end) FROM events").fetchone()
    counts["errors"] = counts.pop("ingest_errors")
    counts["first"], counts["last"] = lo, hi
    return counts


def code_name(code: str) -> str:
    """A readable name for an actor code (ISO alpha-3 country or PLOVER non-state code)."""
    if code in NON_STATE:
        return NON_STATE[code]
    try:
        import pycountry

        country = pycountry.countries.get(alpha_3=code)
        if country is not None:
            return getattr(country, "common_name", None) or country.name
    except (ImportError, LookupError, KeyError):
        pass
    return code
