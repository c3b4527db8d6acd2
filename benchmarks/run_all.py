"""Run every benchmark script and assemble docs/benchmarks.md from their sections.

    .venv/bin/python benchmarks/run_all.py            # run all, then assemble
    .venv/bin/python benchmarks/run_all.py --assemble # only assemble existing sections
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SECTIONS, machine_info  # noqa: E402

ORDER = ["pipeline", "ingest", "timex", "actors", "coding", "link", "geo", "scale", "scale_history", "results_dir", "web"]


def assemble() -> Path:
    parts = [
        "# wiredesk benchmarks",
        "",
        "Every figure here is written by a script in `benchmarks/` (one section each, kept in `docs/benchmarks/`);",
        "`benchmarks/run_all.py` re-runs them all and rebuilds this page. Peer tools and baselines run in the same",
        "run as wiredesk, on the same data and machine. Each section names its own machine and commit.",
        "",
        f"Assembled on: {machine_info()}.",
        "",
    ]
    names = [n for n in ORDER if (SECTIONS / f"{n}.md").exists()]
    names += sorted(p.stem for p in SECTIONS.glob("*.md") if p.stem not in ORDER)
    for name in names:
        parts.append((SECTIONS / f"{name}.md").read_text(encoding="utf-8").rstrip())
        parts.append("")
    out = REPO / "docs" / "benchmarks.md"
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def main() -> None:
    if "--assemble" not in sys.argv:
        for script in sorted((REPO / "benchmarks").glob("bench_*.py")):
            print(f"== {script.name}", flush=True)
            subprocess.run([sys.executable, str(script)], cwd=REPO, check=False)
    print(assemble())


if __name__ == "__main__":
    main()
