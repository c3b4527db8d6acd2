"""Fuzz campaign for every reader: mutate real seed files and feed them to ``read_bytes`` (and, for a share of
inputs, through a file on disk to ``iter_articles``), across worker processes.

Checked for every input:
- no exception escapes: every item is an Article or an IngestError (anything else is a crash, saved with its
  traceback under campaigns/out/fuzz/crashes/ to become a regression test);
- no hang: a watchdog thread in each worker saves the input and ends the worker when one input takes longer
  than ``--time-limit`` seconds (the parent records the hang and starts a new worker);
- bounded memory: each worker's resident memory is sampled; a worker above ``--max-rss-mib`` is a failure.

    .venv/bin/python campaigns/fuzz_readers.py --inputs 1000000 --workers 2      # full campaign
    .venv/bin/python campaigns/fuzz_readers.py --inputs 20000 --no-doc             # quick look

Writes the "fuzz" section of docs/reliability.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import random
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _campaign import OUT, bomb_inputs, machine_info, rss_mib, seed_inputs, write_section  # noqa: E402

EXTENSIONS = [".txt", ".md", ".html", ".htm", ".jsonl", ".json", ".csv", ".tsv", ".parquet", ".warc", ".warc.gz",
              ".gz", ".zip", ".xml", "", ".bin", ".ndjson"]
TOKENS = [b"<", b">", b"</p>", b"<p>", b"<html>", b"<!DOCTYPE html>", b"<!ENTITY x \"y\">", b"&amp;", b"&#0;",
          b"&#x110000;", b"{", b"}", b"[", b"]", b"\"", b",", b"\t", b";", b"|", b"\n", b"\r\n", b"\r", b"\x00",
          b"\xff", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\xe2\x80", b"---\n", b"Title:", b"URL:", b"https://",
          b"null", b"true", b"1e999", b"-0", b"NaN", b"\"text\":", b"\"html\":", b"text,title\n", b"WARC/1.0\r\n",
          b"PK\x03\x04", b"\x1f\x8b", b"PAR1", b"<?xml version=\"1.0\"?>", b"<Document>", b"<token t_id=\"1\">",
          b"Content-Length: 99999999\r\n", b"Content-Type: text/html\r\n", b"\\u0000", b"\\ud800", b"=\n"]


# -- mutation -----------------------------------------------------------------------------------------------------

def mutate(rng: random.Random, data: bytes, seeds: list[tuple[str, bytes]]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 5, 10))):
        op = rng.randrange(11)
        n = len(buf)
        if op == 0 and n:  # flip bits
            i = rng.randrange(n)
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and n:  # random byte
            buf[rng.randrange(n)] = rng.randrange(256)
        elif op == 2:  # insert a token
            i = rng.randrange(n + 1)
            buf[i:i] = rng.choice(TOKENS) * rng.choice((1, 1, 2, 50, 1000))
        elif op == 3 and n:  # delete a range
            i = rng.randrange(n)
            del buf[i:i + rng.randrange(1, 64)]
        elif op == 4 and n:  # duplicate a range
            i = rng.randrange(n)
            j = min(n, i + rng.randrange(1, 256))
            buf[i:i] = buf[i:j] * rng.choice((1, 2, 8))
        elif op == 5 and n:  # truncate
            del buf[rng.randrange(n):]
        elif op == 6:  # splice with another seed
            other = rng.choice(seeds)[1]
            i, j = rng.randrange(n + 1), rng.randrange(len(other) + 1)
            buf = buf[:i] + other[j:j + rng.randrange(1, 2048)]
        elif op == 7 and n:  # interesting integers in place
            i = rng.randrange(n)
            val = rng.choice((b"\x00\x00\x00\x00", b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff", b"\x00\x00\x00\x80"))
            buf[i:i + 4] = val
        elif op == 8:  # nesting
            i = rng.randrange(n + 1)
            depth = 100_000 if rng.random() < 0.02 else rng.choice((10, 1000))
            pair = rng.choice(((b"[", b"]"), (b"{\"a\":", b"}"), (b"<div>", b"</div>"), (b"<b>", b"")))
            buf[i:i] = pair[0] * depth + pair[1] * depth
        elif op == 9 and n:  # swap two ranges
            i, j = sorted((rng.randrange(n), rng.randrange(n)))
            k = rng.randrange(1, 64)
            buf[i:i + k], buf[j:j + k] = buf[j:j + k], buf[i:i + k]
        elif op == 10:  # long run of one byte
            i = rng.randrange(n + 1)
            buf[i:i] = bytes([rng.randrange(256)]) * (200_000 if rng.random() < 0.02 else rng.choice((100, 10_000)))
    return bytes(buf)


def repack(rng: random.Random, name: str, data: bytes, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """Structure-aware mutation: mutate the content inside a container and pack it again."""
    import gzip
    import io
    import zipfile

    inner_name, inner = rng.choice(seeds)
    inner = mutate(rng, inner, seeds)
    kind = rng.randrange(3)
    if kind == 0:
        return inner_name + ".gz", gzip.compress(inner, compresslevel=1, mtime=0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if rng.random() < 0.8 else zipfile.ZIP_STORED) as zf:
        for k in range(rng.randint(1, 4)):
            member_name, member = rng.choice(seeds) if k else (inner_name, inner)
            zf.writestr(rng.choice((member_name, f"dir/{member_name}", "../../etc/passwd", "/abs/x.txt",
                                    "__MACOSX/._x", ".hidden", "a" * 300)), member)
    return "fuzz.zip", buf.getvalue()


_BY_FORMAT: dict[int, list[list[tuple[str, bytes]]]] = {}


def seeds_by_format(seeds: list[tuple[str, bytes]]) -> list[list[tuple[str, bytes]]]:
    """The seeds grouped by the reader they go to (the name's format, else what the bytes sniff as)."""
    key = id(seeds)
    if key not in _BY_FORMAT:
        from wiredesk.ingest import _kind_from_name, sniff

        groups: dict[str, list[tuple[str, bytes]]] = {}
        for name, data in seeds:
            groups.setdefault(_kind_from_name(name) or sniff(data), []).append((name, data))
        _BY_FORMAT.clear()  # one seed list per process: keep no stale ids
        _BY_FORMAT[key] = [groups[k] for k in sorted(groups)]
    return _BY_FORMAT[key]


def make_input(rng: random.Random, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    # Each reader gets an equal share of the base seeds: the corpus is half plain text and HTML, which would leave
    # the container and binary readers (zip, WARC, Parquet, ECB+ XML, gzip), where most bugs were found, ~2% each.
    name, data = rng.choice(rng.choice(seeds_by_format(seeds)))
    r = rng.random()
    if r < 0.08:
        name, data = repack(rng, name, data, seeds)
    elif r < 0.12:
        data = rng.randbytes(rng.randrange(1, 512))
    else:
        data = mutate(rng, data, seeds)
    if rng.random() < 0.15:  # a wrong or missing extension: dispatch by sniffing
        stem = name.split(".", 1)[0] or "input"
        name = stem + rng.choice(EXTENSIONS)
    return name, data


# -- worker -------------------------------------------------------------------------------------------------------

def signature(exc: BaseException) -> str:
    """Exception type plus the innermost wiredesk frame: one signature per bug, however many inputs hit it."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/wiredesk/" in f.filename and "/campaigns/" not in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    loc = f"{Path(where.filename).name}:{where.lineno} {where.name}" if where else "?"
    return f"{type(exc).__name__} at {loc}"


def _check(items: list) -> str | None:
    from wiredesk.model import Article, IngestError

    for item in items:
        if isinstance(item, Article):
            if not isinstance(item.raw_text, str) or not item.raw_text.strip() or not item.id:
                return f"Article with empty text or id: {item.path}"
        elif isinstance(item, IngestError):
            if not item.reason or not isinstance(item.reason, str):
                return f"IngestError without a reason: {item.path}"
        else:
            return f"yielded a {type(item).__name__}, not an Article or IngestError"
    return None


def worker(index: int, start: int, count: int, seed: int, time_limit: float, file_share: float, out_dir: str,
           results: mp.Queue, stop: object = None, small: bool = False) -> None:
    from wiredesk.ingest import _kind_from_name, iter_articles, read_bytes, sniff

    # third-party readers (warcio) print warnings for every broken record: keep the campaign's output readable
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    import logging

    logging.disable(logging.CRITICAL)
    seeds = seed_inputs(small)
    tmp = Path(tempfile.mkdtemp(prefix=f"fuzz{index}-"))
    crashes = Path(out_dir) / "crashes"
    current: dict = {"i": None, "name": None, "data": b"", "t": 0.0}
    seen_sigs: dict[str, int] = {}
    done = {"n": 0, "articles": 0, "errors": 0, "crashes": 0, "peak_rss": 0.0, "file_inputs": 0,
            "slowest": 0.0, "slowest_name": "", "cpu": 0.0, "kinds": {}}
    cpu0 = time.process_time()  # CPU seconds, to tell the harness's cost from the machine's load

    def snapshot() -> dict:  # a copy: the queue pickles in a background thread while the loop goes on
        return dict(done, kinds=dict(done["kinds"]), cpu=time.process_time() - cpu0)

    def save(kind: str, name: str, data: bytes, detail: str) -> str:
        digest = hashlib.sha256(data).hexdigest()[:12]
        crashes.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[-60:]
        path = crashes / f"{kind}-{digest}-{safe}"
        path.write_bytes(data)
        path.with_name(path.name + ".txt").write_text(f"{kind} on {name!r}\n{detail}\n", encoding="utf-8")
        return str(path)

    def watchdog() -> None:
        while True:
            time.sleep(0.5)
            t, i = current["t"], current["i"]
            if i is not None and t and time.perf_counter() - t > time_limit:
                where = save("hang", current["name"], current["data"], f"input {i} ran over {time_limit} s")
                results.put(("hang", index, i, current["name"], where, snapshot()))
                results.close()
                results.join_thread()  # put() only queues: flush it, or os._exit loses the report
                os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()
    for i in range(start, start + count):
        if stop is not None and i % 50 == 0 and stop.is_set():
            break
        rng = random.Random(seed * 1_000_003 + i)
        name, data = make_input(rng, seeds)
        current.update(i=i, name=name, data=data, t=time.perf_counter())
        t0 = current["t"]
        try:
            if rng.random() < file_share:
                path = tmp / name.replace("/", "_")
                path.write_bytes(data)
                items = list(iter_articles([path]))
                path.unlink()
                done["file_inputs"] += 1
            else:
                items = list(read_bytes(data, name))
            problem = _check(items)
        except BaseException as exc:  # noqa: BLE001 - that is the point: nothing may escape
            problem = f"{signature(exc)}\n{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
            items = []
        elapsed = time.perf_counter() - t0
        current["t"] = 0.0
        if elapsed > done["slowest"]:
            done["slowest"], done["slowest_name"] = elapsed, name
        if problem:
            done["crashes"] += 1
            sig = problem.splitlines()[0][:200]
            seen_sigs[sig] = seen_sigs.get(sig, 0) + 1
            where = save("crash", name, data, problem) if seen_sigs[sig] <= 3 else ""
            results.put(("crash", index, i, name, where, sig))
        for item in items:
            if type(item).__name__ == "Article":
                done["articles"] += 1
            else:
                done["errors"] += 1
        kind = _kind_from_name(name) or sniff(data)  # the reader this input went to
        done["kinds"][kind] = done["kinds"].get(kind, 0) + 1
        done["n"] += 1
        if done["n"] % 500 == 0:
            done["peak_rss"] = max(done["peak_rss"], rss_mib())
            results.put(("progress", index, i, None, None, snapshot()))
    done["peak_rss"] = max(done["peak_rss"], rss_mib())
    results.put(("done", index, i, None, None, snapshot()))


# -- parent -------------------------------------------------------------------------------------------------------

def check_bombs() -> list[tuple[str, str, bool]]:
    """Each bomb refused with a clear reason (and never an article)."""
    from wiredesk.ingest import read_bytes

    rows = []
    for name, data, word in bomb_inputs():
        items = list(read_bytes(data, name))
        reasons = [getattr(x, "reason", "") for x in items]
        ok = bool(items) and all(type(x).__name__ == "IngestError" for x in items)
        if word != "entit" or not name.endswith(".txt"):
            ok = ok and any(word in r.lower() or "refused" in r.lower() or "unreadable" in r.lower()
                            for r in reasons)
        else:  # entities in a plain-text file are just text: never expanded, so harmless
            ok = all(type(x).__name__ == "Article" and "&lol9;" in x.raw_text for x in items)
            reasons = ["read as plain text; entities are never expanded"]
        rows.append((name, "; ".join(reasons)[:160], ok))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--time-limit", type=float, default=20.0, help="seconds one input may take")
    ap.add_argument("--max-rss-mib", type=float, default=2048.0)
    ap.add_argument("--file-share", type=float, default=0.05, help="share of inputs read from a file on disk")
    ap.add_argument("--out", default=str(OUT / "fuzz"))
    ap.add_argument("--max-seconds", type=float, default=0, help="stop after this long (0: run all inputs)")
    ap.add_argument("--small-seeds", action="store_true", help="cut example files to ~900 bytes before use")
    ap.add_argument("--no-doc", action="store_true", help="do not rewrite docs/reliability.md")
    ap.add_argument("--note", action="append", default=[],
                    help="a line for the doc on earlier runs of this session (what they found, on which commit)")
    args = ap.parse_args()

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    machine = machine_info()  # at the start: its date and commit are those of the code that runs
    bombs = check_bombs()
    ctx = mp.get_context("spawn")
    results: mp.Queue = ctx.Queue()
    stop = ctx.Event()
    per = args.inputs // args.workers
    ranges = {w: [w * per, per if w < args.workers - 1 else args.inputs - w * per] for w in range(args.workers)}
    stats: dict[int, dict] = {w: {} for w in ranges}
    totals = {"n": 0, "articles": 0, "errors": 0, "peak_rss": 0.0, "file_inputs": 0, "cpu": 0.0, "kinds": {}}
    load_start = os.getloadavg()[0]
    loads: list[float] = []
    crashes: list[tuple] = []
    by_sig: dict[str, list] = {}
    hangs: list[tuple] = []
    procs: dict[int, mp.Process] = {}

    def start(w: int) -> None:
        s, c = ranges[w]
        p = ctx.Process(target=worker, args=(w, s, c, args.seed, args.time_limit, args.file_share, str(out_dir),
                                             results, stop, args.small_seeds), daemon=True)
        p.start()
        procs[w] = p

    def fold(w: int) -> None:  # a worker ended (done or hang): add its counts to the totals
        for k in ("n", "articles", "errors", "file_inputs", "cpu"):
            totals[k] += stats[w].get(k, 0)
        for k, v in stats[w].get("kinds", {}).items():
            totals["kinds"][k] = totals["kinds"].get(k, 0) + v
        totals["peak_rss"] = max(totals["peak_rss"], stats[w].get("peak_rss", 0.0))
        stats[w] = {}

    for w in ranges:
        start(w)
    last_print = time.perf_counter()
    slowest = (0.0, "")
    while procs:
        if args.max_seconds and time.perf_counter() - t0 > args.max_seconds:
            stop.set()
        try:
            kind, w, i, name, where, info = results.get(timeout=5)
        except Exception:  # noqa: BLE001 - queue.Empty: check for dead workers
            for w, p in list(procs.items()):
                if not p.is_alive():
                    p.join()
                    if p.exitcode not in (0, 3):  # killed by the OS (memory) or crashed hard
                        crashes.append((w, None, "worker", "", f"worker exited with code {p.exitcode}"))
                        fold(w)
                        ranges[w] = [ranges[w][0] + stats[w].get("n", 0) + 1, 0]
                    del procs[w]
            continue
        if kind == "crash":
            crashes.append((w, i, name, where, info))
            by_sig.setdefault(info, []).append((i, name, where))
            if len(by_sig[info]) == 1:
                print(f"CRASH (new signature) worker {w} input {i} {name}: {info} -> {where}", flush=True)
        elif kind in ("progress", "done"):
            stats[w] = info
            if info.get("peak_rss", 0) > args.max_rss_mib:
                crashes.append((w, i, "memory", "", f"worker RSS {info['peak_rss']:.0f} MiB"))
            if info["slowest"] > slowest[0]:
                slowest = (info["slowest"], info["slowest_name"])
            if kind == "done":
                procs.pop(w).join()
                fold(w)
        elif kind == "hang":
            hangs.append((w, i, name, where))
            print(f"HANG worker {w} input {i} {name} -> {where}", flush=True)
            stats[w] = info
            procs.pop(w).join()
            fold(w)
            s, c = ranges[w]
            ranges[w] = [i + 1, s + c - (i + 1)]
            totals["n"] += 1
            if ranges[w][1] > 0 and not stop.is_set():
                start(w)
        if time.perf_counter() - last_print > 30:
            n = totals["n"] + sum(s.get("n", 0) for s in stats.values())
            el = time.perf_counter() - t0
            loads.append(os.getloadavg()[0])
            cpu = totals["cpu"] + sum(s.get("cpu", 0.0) for s in stats.values())
            print(f"{n:,} inputs in {el:,.0f} s ({n / el:,.0f}/s; {n / max(cpu, 1e-9):,.0f} per CPU-second), "
                  f"{len(crashes)} crashes, {len(hangs)} hangs, load {loads[-1]:.1f}", flush=True)
            last_print = time.perf_counter()
    elapsed = time.perf_counter() - t0
    n = totals["n"]
    load_end = os.getloadavg()[0]
    loads = [load_start, *loads, load_end]
    cpu = totals["cpu"]
    summary = {"inputs": n, "planned": args.inputs, "stopped_at_time_limit": stop.is_set(), "seconds": round(elapsed, 1), "rate": round(n / elapsed, 1), "crashes": len(crashes),
               "hangs": len(hangs), "articles": totals["articles"], "errors": totals["errors"],
               "file_inputs": totals["file_inputs"], "peak_rss_mib": round(totals["peak_rss"], 1),
               "signatures": {k: len(v) for k, v in by_sig.items()}, "slowest_s": round(slowest[0], 2), "slowest_input": slowest[1], "workers": args.workers,
               "seed": args.seed, "cpu_seconds": round(cpu, 1),
               "per_cpu_second": round(n / max(cpu, 1e-9), 1), "load_start": load_start, "load_end": load_end,
               "load_mean": round(sum(loads) / len(loads), 2), "load_max": max(loads),
               "by_reader": dict(sorted(totals["kinds"].items(), key=lambda kv: -kv[1])), "bombs_refused": sum(ok for _, _, ok in bombs), "bombs": len(bombs)}
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(json.dumps(summary), flush=True)
    if not args.no_doc:
        lines = [
            "## Hostile input: reader fuzzing",
            "",
            f"`.venv/bin/python campaigns/fuzz_readers.py --inputs {args.inputs} --workers {args.workers} "
            f"--seed {args.seed}" + (f" --max-seconds {args.max_seconds:g}" if args.max_seconds else "") + "`",
            "",
            f"Machine: {machine} (start; the run took {elapsed / 60:,.0f} min)",
            "",
            f"- Seeds: {len(seed_inputs())} real files (the example corpus as it is, re-packed as JSON lines, JSON, "
            "CSV, TSV, Parquet, WARC, WARC.gz, gzip, zip, zip-in-zip, ECB+ XML), grouped by the reader they go to so "
            "that each reader gets an equal share of base seeds; inputs are byte-level mutations "
            "(bit flips, token inserts, splices, truncation, deep nesting, long runs), structure-aware re-packs into "
            "gzip/zip (with hostile member names) and random bytes; 15% get a wrong or missing extension, "
            f"{args.file_share:.0%} go through a file on disk and `iter_articles`, the rest through `read_bytes`.",
            f"- **Inputs fuzzed: {n:,}** in {elapsed:,.0f} s on {args.workers} processes "
            f"(**{n / elapsed:,.0f} inputs/s**)"
            + (f"; **stopped by the {args.max_seconds:g} s time cap before the {args.inputs:,} planned**" if stop.is_set()
               else "") + ".",
            f"- Throughput: the workers used {cpu:,.0f} CPU-seconds (**{n / max(cpu, 1e-9):,.0f} inputs per "
            f"CPU-second**, {cpu / elapsed:.2f} of the {os.cpu_count()} cores on average); 1-minute load average "
            f"{loads[0]:.1f} at the start, {loads[-1]:.1f} at the end, mean {sum(loads) / len(loads):.1f}, "
            f"max {max(loads):.1f} (the machine was shared with other jobs).",
            "- Inputs by the reader they went to (name, else sniffed bytes): "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(totals["kinds"].items(), key=lambda kv: -kv[1])) + ".",
            f"- Crashes (an exception escaping, or an item that is neither Article nor IngestError): "
            f"**{len(crashes):,}** inputs, **{len(by_sig)}** distinct bugs; hangs over {args.time_limit:g} s: **{len(hangs)}**.",
            f"- Outcome: {totals['articles']:,} articles and {totals['errors']:,} IngestErrors with a reason.",
            f"- Memory: peak worker RSS {totals['peak_rss']:,.0f} MiB (limit {args.max_rss_mib:,.0f} MiB); slowest "
            f"input {slowest[0]:.2f} s ({slowest[1]}).",
            "",
            "Bombs (each must be refused with a reason, never expanded):",
            "",
            "| input | refused | reason |",
            "|---|---|---|",
        ]
        lines += [f"| {name} | {'yes' if ok else '**NO**'} | {reason} |" for name, reason, ok in bombs]
        if args.note:
            lines += ["", "Earlier runs (their inputs are not counted above):", ""] + [f"- {n}" for n in args.note]
        if crashes or hangs:
            lines += ["", f"Failures found: {len(by_sig)} distinct bugs (exception type + innermost wiredesk frame; "
                      "first inputs of each saved under campaigns/out/fuzz/crashes/ and turned into regression tests "
                      "in tests/regressions/):", "", "| signature | inputs that hit it |", "|---|---|"]
            lines += [f"| `{sig}` | {len(hits):,} |" for sig, hits in sorted(by_sig.items(), key=lambda kv: -len(kv[1]))]
            lines += [f"- hang: {h[2]} ({h[3]})" for h in hangs[:30]]
        write_section("fuzz", "\n".join(lines))
    return 1 if crashes or hangs or not all(ok for _, _, ok in bombs) else 0


if __name__ == "__main__":
    sys.exit(main())
