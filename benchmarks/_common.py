"""Helpers shared by benchmark scripts: machine facts and writing one section of docs/benchmarks.md.

Each benchmark script writes its own section file under docs/benchmarks/ (so scripts can run alone);
`benchmarks/run_all.py` runs them all and assembles docs/benchmarks.md from the sections.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SECTIONS = REPO / "docs" / "benchmarks"


def machine_info() -> str:
    """One line describing the machine, Python and date, for every table."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_gib:.0f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"commit {git_commit()}"
    )


def git_commit() -> str:
    """The commit this code is; a `git archive` snapshot (no .git, as bench_scale.py runs) carries it in COMMIT."""
    if (REPO / "COMMIT").is_file() and not (REPO / ".git").exists():
        return (REPO / "COMMIT").read_text().strip()[:7]
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except Exception:  # noqa: BLE001 - provenance is best effort
        return "unknown"


def peak_rss_mib() -> float:
    """Peak resident memory of this process (and waited-for children) in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def versions(*dists: str) -> str:
    from importlib import metadata

    out = []
    for d in dists:
        try:
            out.append(f"{d} {metadata.version(d)}")
        except metadata.PackageNotFoundError:
            out.append(f"{d} (not installed)")
    return ", ".join(out)


def write_section(name: str, markdown: str) -> Path:
    """Write docs/benchmarks/<name>.md (a '## ' section) and print it."""
    SECTIONS.mkdir(parents=True, exist_ok=True)
    path = SECTIONS / f"{name}.md"
    path.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    sys.stdout.write(markdown.rstrip() + "\n")
    return path
