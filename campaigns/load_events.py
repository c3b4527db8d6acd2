"""Load campaign: ``GET /api/events`` with filters on a 100k-event store, over loopback, for minutes on end.

The server is ``uvicorn --factory wiredesk.web.app:app_from_env`` in its own process(es); the store is the synthetic
100k-event store of ``benchmarks/bench_web.py`` (``wiredesk.web.sample.fill_store``, cached under the temp folder).
A bounded, closed-loop asyncio client (``--connections`` keep-alive connections, each sending its next request when
the last one is answered) runs two mixes:

- *unique* (``--minutes`` long, the main run): pages never asked before. The filters are those of the desk mix
  (type, actor, country, month, bounding box, text, min sources, combinations; limit 25 or 100, either order); each
  filter's total is asked once before the run, and each filter is then paged at offsets drawn *without repetition*
  from 0..total-1 (a random permutation per filter), so no URL is ever sent twice and every page has records. No
  answer can come from the server's page cache; each one is filtered, sliced and assembled anew.
- *desk* (``--desk-seconds``): the fixed mix of 600 desk-like URLs of ``bench_web.query_mix``, cycled, as many users
  opening the same views would (after the first pass, repeats come from the page cache).

Every ``--slice`` seconds of the unique run the server's resident memory (RSS, all its processes), its CPU time per
request (which, unlike latency, does not depend much on what else the shared machine runs) and the machine's load
average are sampled with the slice's req/s and latencies. Pass: 0 errors, and memory flat (no growth after the
first two minutes, when the caches have filled).

    .venv/bin/python campaigns/load_events.py --minutes 10            # full campaign, writes docs/reliability.md
    .venv/bin/python campaigns/load_events.py --minutes 1 --desk-seconds 30 --no-doc    # quick look

Writes the "load" section of docs/reliability.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _campaign import machine_info, write_section  # noqa: E402

import bench_web  # noqa: E402


async def _load(port: int, urls: Any, connections: int, seconds: float) -> dict[str, Any]:
    """Closed-loop load for ``seconds``; ``urls(i)`` gives the i-th request. Returns every latency."""
    latencies: list[float] = []
    errors: dict[Any, int] = {}
    state = {"next": 0}
    t_end = time.monotonic() + seconds

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < t_end:
                i = state["next"]
                state["next"] += 1
                t0 = time.perf_counter()
                try:
                    status, _ = await bench_web._one(reader, writer, urls(i))
                except (OSError, asyncio.IncompleteReadError) as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    continue
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors[status] = errors.get(status, 0) + 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return {"latencies": latencies, "errors": errors, "seconds": time.perf_counter() - t0}


def _pct(ms: list[float], p: float) -> float:
    return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")


def summarise(latencies: list[float], seconds: float) -> dict[str, float]:
    ms = sorted(x * 1000 for x in latencies)
    return {"requests": len(ms), "rps": len(ms) / seconds if seconds else 0.0, "p50": _pct(ms, 0.5),
            "p90": _pct(ms, 0.9), "p99": _pct(ms, 0.99), "max": ms[-1] if ms else float("nan")}


def run(args: Any, log: Any = print) -> dict[str, Any]:
    db, _ = bench_web.build_store(args.events, False)
    desk = bench_web.query_mix(args.events)
    os.environ["WIREDESK_PAGE_CACHE_MB"] = str(args.page_cache_mb)
    proc, port = bench_web.start_server(db, args.workers, args.record_cache_mb)
    out: dict[str, Any] = {"db_mib": Path(db).stat().st_size / 2**20, "urls": len(desk)}
    try:
        out["ready_s"] = bench_web.wait_ready(proc.pid, port=port)
        filters = bench_web.desk_filters(args.events)
        pages = bench_web.UniquePages(filters, bench_web.totals_of(port, filters))
        out["filters"], out["capacity"] = len(pages.filters), pages.capacity
        out["rss_ready"] = bench_web.rss_mib(proc.pid)
        out["load_before"] = os.getloadavg()
        slices, all_lat, errors, asked = [], [], {}, set()
        t_start = time.perf_counter()

        def unique(i: int) -> str:
            url = pages()
            asked.add(hash(url))  # hashes, not URLs: a 10-minute run asks about a million
            return url

        while time.perf_counter() - t_start < args.minutes * 60:
            cpu0 = bench_web.cpu_seconds(proc.pid)
            res = asyncio.run(_load(port, unique, args.connections, args.slice))
            row = summarise(res["latencies"], res["seconds"])
            row.update(t=time.perf_counter() - t_start, rss=bench_web.rss_mib(proc.pid), load=os.getloadavg()[0],
                       cpu_ms=(bench_web.cpu_seconds(proc.pid) - cpu0) * 1000 / max(1, row["requests"]))
            slices.append(row)
            all_lat += res["latencies"]
            for k, v in res["errors"].items():
                errors[k] = errors.get(k, 0) + v
            log(f"t={row['t']:.0f}s {row['rps']:.0f} req/s p50={row['p50']:.1f} p99={row['p99']:.1f} ms "
                f"server CPU {row['cpu_ms']:.2f} ms/req RSS {row['rss']:.0f} MiB load {row['load']:.1f} "
                f"errors {res['errors']}")
        wall = time.perf_counter() - t_start
        out["unique"] = summarise(all_lat, wall) | {"errors": errors, "seconds": wall, "distinct": len(asked),
                                                    "cpu_ms": sum(s["cpu_ms"] * s["requests"] for s in slices)
                                                    / max(1, sum(s["requests"] for s in slices))}
        out["slices"] = slices
        out["load_mid"] = os.getloadavg()
        cpu0 = bench_web.cpu_seconds(proc.pid)
        res = asyncio.run(_load(port, lambda i: desk[i % len(desk)], args.connections, args.desk_seconds))
        out["desk"] = summarise(res["latencies"], res["seconds"]) | {
            "errors": res["errors"], "seconds": res["seconds"],
            "cpu_ms": (bench_web.cpu_seconds(proc.pid) - cpu0) * 1000 / max(1, len(res["latencies"]))}
        log(f"desk mix: {out['desk']}")
        out["load_after"] = os.getloadavg()
        out["rss_end"] = bench_web.rss_mib(proc.pid)
    finally:
        bench_web.stop_server(proc)
    return out


def report(args: Any, r: dict[str, Any]) -> str:
    d, u, slices = r["desk"], r["unique"], r["slices"]
    rss = [s["rss"] for s in slices]
    settle = [s for s in slices if s["t"] >= 120] or slices
    growth = settle[-1]["rss"] - settle[0]["rss"]
    derr, uerr = sum(d["errors"].values()), sum(u["errors"].values())

    def met(x: dict[str, Any]) -> bool:
        return x["rps"] >= 500 and x["p99"] < 100

    lines = [
        "## Load: `GET /api/events` with filters on a 100k-event store",
        "",
        f"`.venv/bin/python campaigns/load_events.py --minutes {args.minutes:g} --desk-seconds {args.desk_seconds:g} "
        f"--connections {args.connections} --workers {args.workers}`",
        "",
        f"Machine: {machine_info()}. **Load average** (1 min) before / after the unique run / after the desk run: "
        f"{r['load_before'][0]:.1f} / {r['load_mid'][0]:.1f} / {r['load_after'][0]:.1f}; the machine is shared with "
        "other jobs, and the server, the client and those jobs compete for the 2 cores, so latencies and req/s "
        "measure the queue for a CPU as much as the server. The server's CPU time per request does not, much.",
        "",
        f"Store: {args.events:,} synthetic events (`wiredesk.web.sample.fill_store`), {r['db_mib']:.0f} MiB. Server: "
        f"uvicorn, {args.workers} worker(s), record cache {args.record_cache_mb} MB, page cache {args.page_cache_mb} MB; "
        f"indexes ready {r['ready_s']:.0f} s after start. Client: {args.connections} keep-alive connections, closed "
        "loop, on the same machine.",
        "",
        "| mix | seconds | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | server CPU ms/req | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| unique: pages never asked before ({u['distinct']:,} distinct URLs, {r['filters']} filters) | "
        f"{u['seconds']:.0f} | {u['requests']:,} | {u['rps']:.0f} | {u['p50']:.1f} | {u['p90']:.1f} | {u['p99']:.1f} | "
        f"{u['max']:.0f} | {u['cpu_ms']:.2f} | {uerr} |",
        f"| desk: {r['urls']} URLs cycled (page cache after the first pass) | {d['seconds']:.0f} | {d['requests']:,} | "
        f"{d['rps']:.0f} | {d['p50']:.1f} | {d['p90']:.1f} | {d['p99']:.1f} | {d['max']:.0f} | {d['cpu_ms']:.2f} | "
        f"{derr} |",
        "",
        f"- **Errors: {derr + uerr}** (any status other than 200, or a broken connection).",
        f"- Unique mix: {u['distinct']:,} distinct URLs for {u['requests']:,} answers (every URL asked once), out of "
        f"{r['capacity']:,} possible pages of the {r['filters']} filters; each filter's total was asked once before "
        "the run (so the filters' matches and text-query scans are warm, as after any desk use; the pages are not).",
        f"- **Memory**: server RSS {r['rss_ready']:.0f} MiB when ready; during the unique run min {min(rss):.0f}, max "
        f"{max(rss):.0f} MiB; from minute 2 to the end {growth:+.0f} MiB "
        f"({'flat' if abs(growth) < 0.05 * max(rss) else 'NOT flat'}); {r['rss_end']:.0f} MiB after the desk run.",
        f"- Issue 11's target (>= 500 req/s at p99 < 100 ms): pages never asked before **{'met' if met(u) else 'not met'}**"
        f" ({u['rps']:.0f} req/s, p99 {u['p99']:.0f} ms); the desk mix **{'met' if met(d) else 'not met'}** "
        f"({d['rps']:.0f} req/s, p99 {d['p99']:.0f} ms), in this run. The server before the in-memory pages, beside "
        "the current one in one run: `docs/benchmarks/web.md` (`benchmarks/bench_web.py`).",
        "",
        "Per slice of the unique run:",
        "",
        "| t s | req/s | p50 ms | p99 ms | server CPU ms/req | RSS MiB | load |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in slices:
        lines.append(f"| {s['t']:.0f} | {s['rps']:.0f} | {s['p50']:.1f} | {s['p99']:.1f} | {s['cpu_ms']:.2f} | "
                     f"{s['rss']:.0f} | {s['load']:.1f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--minutes", type=float, default=10.0, help="length of the unique run (memory sampled)")
    ap.add_argument("--slice", type=float, default=30.0, help="seconds between memory samples")
    ap.add_argument("--desk-seconds", type=float, default=120.0, help="length of the desk run")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--record-cache-mb", type=int, default=256)
    ap.add_argument("--page-cache-mb", type=int, default=64)
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()
    result = run(args)
    text = report(args, result)
    if args.no_doc:
        print(text)
    else:
        write_section("load", text)
    errors = sum(result["desk"]["errors"].values()) + sum(result["unique"]["errors"].values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
