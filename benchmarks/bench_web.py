"""Latency and throughput of ``GET /api/events`` (filtered, paged) on a 100k-event store, over loopback.

    .venv/bin/python benchmarks/bench_web.py                 # full run, writes docs/benchmarks/web.md
    .venv/bin/python benchmarks/bench_web.py --seconds 5 --events 5000 --no-write   # quick check

The store is synthetic (``wiredesk.web.sample.fill_store``: events, mentions, articles, conflicts, stories written
through ``Store.write_batch`` / ``Store.write_link_result``) and cached under the temp folder because writing 100k
events row by row takes ~10 minutes. The server runs as ``uvicorn --factory wiredesk.web.app:app_from_env`` in
its own processes; the load comes from a bounded asyncio client with keep-alive connections that stops by itself
after ``--seconds``, with two mixes: *unique*, pages never asked before (:class:`UniquePages`), and *desk*, a
fixed mix of filter and page requests of the kinds the desk sends, cycled. Each server configuration of
``SCENARIOS`` runs in the same session, the one before the in-memory pages first, as the baseline.
Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine_info, versions, write_section  # noqa: E402

from wiredesk.model import PLOVER_EVENTS  # noqa: E402
from wiredesk.web.sample import PLACES, fill_store  # noqa: E402


def build_store(n_events: int, rebuild: bool) -> tuple[str, float | None]:
    folder = Path(tempfile.gettempdir()) / "wiredesk-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"web-{n_events}-seed11.duckdb"
    done = path.with_suffix(".done")
    if done.exists() and path.exists() and not rebuild:
        return str(path), None
    for p in (path, done, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    fill_store(str(path), n_events=n_events, seed=11, max_articles=min(3000, n_events * 2))
    done.write_text("ok")
    return str(path), time.perf_counter() - t0


def query_mix(n_events: int, seed: int = 0) -> list[str]:
    """A fixed, repeatable list of desk-like requests: filters alone and combined, first and later pages."""
    rng = random.Random(seed)
    codes = [p[0] for p in PLACES]
    regions = ["-12,35,42,62", "25,10,60,45", "60,-10,150,55", "-130,15,-60,55", "-20,-35,55,15"]
    words = ["humanitarian", "troops", "sanctions", "talks", "Kyiv", "apologised", "Baltic Wire"]
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)][:18]
    urls = []
    for _ in range(600):
        params: dict[str, str | int] = {"limit": 25}
        kind = rng.random()
        if kind < 0.12:
            pass
        elif kind < 0.27:
            params["event"] = rng.choice(PLOVER_EVENTS)
        elif kind < 0.42:
            params["country"] = rng.choice(codes)
        elif kind < 0.52:
            params["actor"] = rng.choice(codes)
        elif kind < 0.62:
            month = rng.choice(months)
            params["since"], params["until"] = month, month
        elif kind < 0.70:
            params["bbox"] = rng.choice(regions)
        elif kind < 0.77:
            params["q"] = rng.choice(words)
        elif kind < 0.83:
            params["min_sources"] = rng.choice((2, 3))
        else:  # combinations, as the desk's filter bar sends them
            params["country"] = rng.choice(codes)
            params["event"] = rng.choice(PLOVER_EVENTS)
            params["since"] = rng.choice(months)
        page = rng.random()
        if page < 0.6:
            params["offset"] = 0
        elif page < 0.9:
            params["offset"] = 25 * rng.randint(1, 10)
        else:
            params["offset"] = rng.randint(0, (n_events if len(params) == 1 else 1500) - 25)
        if rng.random() < 0.5:
            params["order"] = "desc"
        if rng.random() < 0.1:
            params["limit"] = 100
        urls.append("/api/events?" + urllib.parse.urlencode(params))
    return urls


class UniquePages:
    """URLs of pages never asked before; see the module docstring. ``totals[j]`` is the total of ``filters[j]``."""

    #: Once every offset of a filter has been asked, the next sweep asks them again at another page size (a
    #: different URL and body, so still never asked before): a fast server can exhaust one sweep in minutes.
    PAGE_SIZES: tuple[int, ...] = (10, 20, 30, 40, 60)

    def __init__(self, filters: list[str], totals: list[int], seed: int = 1) -> None:
        rng = random.Random(seed)
        self.filters: list[tuple[str, dict[str, str], int, int, int]] = []
        for url, total in zip(filters, totals):
            if total <= 0:
                continue
            path, query = url.split("?", 1)
            step = rng.randrange(1, total + 1)
            while math.gcd(step, total) != 1:  # (step * k + start) % total visits every offset exactly once
                step = rng.randrange(1, total + 1)
            self.filters.append((path, dict(urllib.parse.parse_qsl(query)), total, step, rng.randrange(total)))
        # Filters that differ only in their page size ("event=X" and "event=X&limit=25") share their later
        # sweeps: only the first of them gets them, at sizes none of them uses, so no URL is asked twice.
        used: dict[tuple, set[int]] = {}
        for path, params, *_ in self.filters:
            used.setdefault(self._base(path, params), set()).add(int(params.get("limit", 50)))
        self.sizes: list[tuple[int | None, ...]] = []
        for path, params, *_ in self.filters:
            base = self._base(path, params)
            taken = used.pop(base, set(self.PAGE_SIZES))  # all taken for the base's later filters
            extra = tuple(n for n in self.PAGE_SIZES if n not in taken)
            self.sizes.append((None, *extra))  # None: the filter's own page size
        self.visits = [0] * len(self.filters)
        self.turn = 0

    @staticmethod
    def _base(path: str, params: dict[str, str]) -> tuple:
        return path, tuple(sorted((k, v) for k, v in params.items() if k != "limit"))

    @property
    def capacity(self) -> int:
        return sum(f[2] * len(sizes) for f, sizes in zip(self.filters, self.sizes))

    def __call__(self, _: int = 0) -> str:
        for _ in range(len(self.filters)):
            j = self.turn
            self.turn = (j + 1) % len(self.filters)
            path, params, total, step, start = self.filters[j]
            k = self.visits[j]
            sweep, k_in_sweep = divmod(k, total)
            if sweep < len(self.sizes[j]):
                self.visits[j] = k + 1
                query = {**params, "offset": (step * k_in_sweep + start) % total}
                if self.sizes[j][sweep] is not None:
                    query["limit"] = self.sizes[j][sweep]
                return f"{path}?{urllib.parse.urlencode(query)}"
        raise RuntimeError("every page of every filter has been asked: use fewer requests or more filters")


def desk_filters(n_events: int) -> list[str]:
    """The desk mix's distinct filters (offset left out), each as a URL."""
    seen = {}
    for url in query_mix(n_events):
        path, query = url.split("?", 1)
        params = [(k, v) for k, v in urllib.parse.parse_qsl(query) if k != "offset"]
        seen.setdefault(tuple(sorted(params)), f"{path}?{urllib.parse.urlencode(params)}")
    return list(seen.values())


def totals_of(port: int, filters: list[str]) -> list[int]:
    """Each filter's total, asked once with ``limit=1`` (not measured)."""
    out = []
    for url in filters:
        path, query = url.split("?", 1)
        params = {k: v for k, v in urllib.parse.parse_qsl(query) if k != "limit"} | {"limit": "1"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?{urllib.parse.urlencode(params)}",
                                    timeout=120) as r:
            out.append(json.loads(r.read())["total"])
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, workers: int, cache_mb: int, env_extra: dict[str, str] | None = None,
                 uvicorn_args: tuple[str, ...] = ()) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, WIREDESK_DB=db, WIREDESK_RECORD_CACHE_MB=str(cache_mb), **(env_extra or {}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "wiredesk.web.app:app_from_env", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log",
         *uvicorn_args],
        env=env, cwd=REPO, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mib(pid: int) -> float:
    """Resident memory of the server and its worker processes."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


async def _one(reader, writer, path: str) -> tuple[int, int]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length)
    return status, len(body)


async def load(port: int, urls: Any, concurrency: int, seconds: float, max_requests: int) -> dict:
    """Closed-loop load: ``concurrency`` connections, each sends its next request when the last one is answered.
    ``urls``: a list, cycled (each connection from its own place), or a callable giving the next URL."""
    latencies: list[float] = []
    errors: dict[int, int] = {}
    counter = {"next": 0}
    t_end = time.monotonic() + seconds

    async def worker(offset: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < t_end and counter["next"] < max_requests:
                i = counter["next"]
                counter["next"] += 1
                t0 = time.perf_counter()
                url = urls() if callable(urls) else urls[(i + offset) % len(urls)]
                status, _ = await _one(reader, writer, url)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors[status] = errors.get(status, 0) + 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(k * 37) for k in range(concurrency)))
    wall = time.perf_counter() - t0
    latencies.sort()
    ms = [x * 1000 for x in latencies]

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")

    return {"requests": len(ms), "seconds": wall, "rps": len(ms) / wall if wall else 0.0, "p50": pct(0.50),
            "p90": pct(0.90), "p99": pct(0.99), "max": ms[-1] if ms else float("nan"),
            "mean": statistics.fmean(ms) if ms else float("nan"), "errors": errors}


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of the server and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError, ValueError):
            pass
    return total


def _text_index_ready(port: int) -> bool:
    import json
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/summary", timeout=60) as r:
        return bool(json.loads(r.read()).get("text_index_ready"))


def wait_ready(pid: int, timeout: float = 900, port: int | None = None) -> float:
    """Each worker builds its indexes in the background at start-up; wait until the server's CPU goes quiet and
    (given ``port``) 10 answers in a row, from whichever worker, say the text index is ready: until then a text
    query is answered by a SQL scan of every record, seconds long, which would measure start-up, not load."""
    t0 = time.monotonic()
    if port is not None:
        streak = 0
        while streak < 10 and time.monotonic() - t0 < timeout:
            streak = streak + 1 if _text_index_ready(port) else 0
            if not streak:
                time.sleep(0.5)
    time.sleep(2.0)
    quiet = 0
    last = cpu_seconds(pid)
    while time.monotonic() - t0 < timeout:
        time.sleep(1.0)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
        if quiet >= 2:
            return time.monotonic() - t0
    raise RuntimeError("server indexes not ready in time")


#: (server, workers, record cache MB, environment, uvicorn options, [(mix, connections), ...]); the first is the
#: server as it was before the in-memory pages (h11 parser, asyncio loop, every new page through FastAPI's route)
SCENARIOS = [
    ("uvicorn h11+asyncio, routed pages (before)", 1, 256, {"WIREDESK_MEMORY_PAGES": "0"},
     ("--http", "h11", "--loop", "asyncio"), [("unique", 8), ("desk", 8)]),
    ("uvicorn httptools+uvloop, in-memory pages", 1, 256, {}, (), [("unique", 8), ("desk", 1), ("desk", 8)]),
    ("uvicorn httptools+uvloop, in-memory pages", 2, 256, {}, (), [("unique", 8), ("unique", 32)]),
    ("uvicorn httptools+uvloop, record cache off (every record from DuckDB)", 1, 0, {}, (), [("unique", 8)]),
]


def run_scenario(db: str, desk: list[str], n_events: int, scenario: tuple, seconds: float,
                 max_requests: int) -> tuple[list[dict], dict]:
    label, workers, cache_mb, env, uvicorn_args, plan = scenario
    proc, port = start_server(db, workers, cache_mb, env, uvicorn_args)
    try:
        ready_s = wait_ready(proc.pid, port=port)
        filters = desk_filters(n_events)
        pages = UniquePages(filters, totals_of(port, filters))  # a fresh server: none of its pages asked yet
        asyncio.run(load(port, desk, 4, 3.0, 10_000))  # warm-up pass over the desk mix
        rss_start = rss_mib(proc.pid)
        rows = []
        for mix, concurrency in plan:
            cpu0 = cpu_seconds(proc.pid)
            res = asyncio.run(load(port, pages if mix == "unique" else desk, concurrency, seconds, max_requests))
            res.update(server=label, mix=mix, concurrency=concurrency, workers=workers, cache_mb=cache_mb,
                       cpu_ms=(cpu_seconds(proc.pid) - cpu0) * 1000 / max(1, res["requests"]), load=os.getloadavg()[0])
            rows.append(res)
            print(f"{label}, {workers} worker(s), cache {cache_mb} MB, {mix} c={concurrency}: {res['rps']:.0f} req/s "
                  f"p50={res['p50']:.1f} p99={res['p99']:.1f} ms, server CPU {res['cpu_ms']:.2f} ms/req, "
                  f"load {res['load']:.1f}, errors={res['errors']}", flush=True)
        return rows, {"ready_s": ready_s, "rss_start": rss_start, "rss_end": rss_mib(proc.pid)}
    finally:
        stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=20.0, help="per measurement")
    ap.add_argument("--max-requests", type=int, default=200_000, help="hard bound per measurement")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached synthetic store")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write docs/benchmarks/web.md")
    args = ap.parse_args()

    load_before = os.getloadavg()
    db, build_s = build_store(args.events, args.rebuild)
    urls = query_mix(args.events)
    results, notes = [], []
    for scenario in SCENARIOS:
        rows, info = run_scenario(db, urls, args.events, scenario, args.seconds, args.max_requests)
        results += rows
        notes.append((scenario, info))
    load_after = os.getloadavg()

    def met(r: dict) -> bool:
        return r["rps"] >= 500 and r["p99"] < 100

    lines = [
        "## Web API: `GET /api/events` on a 100k-event store",
        "",
        f"Machine: {machine_info()}. {versions('fastapi', 'uvicorn', 'httptools', 'uvloop', 'duckdb', 'numpy')}.",
        f"Load average of the machine (shared with other jobs) before/after: {load_before[0]:.1f} / {load_after[0]:.1f}"
        "; each row gives the load average at its end, and the server's CPU time per request, which depends much less "
        "on the other jobs than req/s and latency do.",
        "",
        f"Store: {args.events:,} synthetic events (`wiredesk.web.sample.fill_store`, seed 11) written through "
        f"`Store.write_link_result`{'' if build_s is None else f' in {build_s:.0f} s'}; "
        f"{Path(db).stat().st_size / 2**20:.0f} MiB on disk. Mixes: *unique* = pages never asked before (the desk "
        "mix's filters, each paged at offsets drawn without repetition from its real total; every URL sent once, so "
        f"no page-cache answer); *desk* = a fixed mix of {len(urls)} desk-like URLs (type, actor, country, month, "
        "bounding box, text, min sources and combinations; 60% first pages, 30% pages 2-11, 10% deep offsets; half "
        "newest-first; limit 25, 10% limit 100), cycled (repeats come from the page cache). A closed-loop asyncio "
        "client on keep-alive loopback connections, on the same 2 cores.",
        "",
        "| server | workers | record cache | mix | connections | requests | req/s | p50 ms | p90 ms | p99 ms | max ms "
        "| server CPU ms/req | load | errors |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        errors = sum(r["errors"].values())
        lines.append(f"| {r['server']} | {r['workers']} | {r['cache_mb']} MB | {r['mix']} | {r['concurrency']} | "
                     f"{r['requests']:,} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | "
                     f"{r['max']:.0f} | {r['cpu_ms']:.2f} | {r['load']:.1f} | {errors}"
                     f"{' ' + str(r['errors']) if errors else ''} |")
    lines.append("")
    for (label, workers, cache_mb, *_), info in notes:
        lines.append(f"- {label}, {workers} worker(s), cache {cache_mb} MB: indexes ready {info['ready_s']:.0f} s after "
                     f"start (event index plus text index and record cache, built in the background per worker); "
                     f"server RSS {info['rss_start']:.0f} MiB before the measurements, {info['rss_end']:.0f} MiB after.")
    reached = [r for r in results if met(r)]
    lines += [
        "- Record cache off = every page reads its records from DuckDB (the cold path after a new run).",
        "- Issue 11's target (>= 500 req/s at p99 < 100 ms): "
        + ("reached by " + "; ".join(f"{r['server']}, {r['workers']} worker(s), {r['mix']} mix, {r['concurrency']} "
                                     f"connections ({r['rps']:.0f} req/s, p99 {r['p99']:.0f} ms)" for r in reached)
           if reached else "not reached") + " in this run.",
        "- `campaigns/load_events.py` runs the unique mix for ten minutes with memory samples (docs/reliability.md).",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_web.py --events {args.events} --seconds {args.seconds:g}`",
    ]
    markdown = "\n".join(lines)
    if args.no_write:
        print(markdown)
    else:
        write_section("web", markdown)


if __name__ == "__main__":
    main()
