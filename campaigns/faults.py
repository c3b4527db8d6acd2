"""Resource faults and concurrency: run ``tests/test_faults.py`` (disk full, read-only store file and folder, a store
path without permission, two runs and a server on one store) and write what each case checks and how it ended.

    .venv/bin/python campaigns/faults.py

Writes the "faults" section of docs/reliability.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _campaign import REPO, machine_info, write_section  # noqa: E402

CASES = {
    "test_disk_full_run_stops_clearly_and_a_later_run_completes":
        "Disk full: `wiredesk run` under a 400 kB file size limit (RLIMIT_FSIZE, SIGXFSZ ignored: writes fail with "
        "EFBIG) stops with `error: ...` (exit 2, no traceback); the store opens intact with no article stored "
        "half-done; the same run without the limit completes with every article and no stage error.",
    "test_store_write_past_the_disk_limit_is_a_clear_error_and_loses_nothing_committed":
        "Disk full in the store itself: batches of large articles until the limit stops one: a clear "
        "`StoreWriteError`; on reopening every committed batch is whole, nothing of the failed one is there, and "
        "writes work again.",
    "test_read_only_store_file_refuses_writes_clearly_and_still_reads":
        "Read-only store file: `wiredesk run` ends with a clear error naming the file; `wiredesk articles` still "
        "reads it.",
    "test_read_only_store_folder_refuses_writes_clearly":
        "Read-only folder (the write-ahead log cannot be created): clear error, store unchanged and intact.",
    "test_store_path_without_permission_is_a_clear_error":
        "Store in a folder without permissions: `run`, `events` and a new store below it end with clear errors.",
    "test_two_runs_and_a_server_on_one_store":
        "Concurrency: run A writes; run B on the same store gets `error: store is busy` (exit 2); a server started "
        "meanwhile answers 503 \"store is busy\" (never 500) until A is done, then A's work; a run started while "
        "the server is in use is refused as busy; the store is intact with everything A wrote.",
}


def main() -> int:
    junit = Path(tempfile.mkdtemp()) / "faults.xml"
    load_before = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, "-m", "pytest", "tests/test_faults.py", "-q", "-p", "no:cacheprovider",
                           f"--junitxml={junit}"], cwd=REPO, capture_output=True, text=True)
    print(proc.stdout[-3000:])
    rows = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name")
        outcome = "passed"
        for tag in ("failure", "error", "skipped"):
            node = case.find(tag)
            if node is not None:
                outcome = tag + ": " + (node.get("message") or "")[:200].replace("|", "/").replace("\n", " ")
        rows.append((name, outcome, float(case.get("time") or 0)))
    passed = sum(1 for _, o, _ in rows if o == "passed")
    root = os.geteuid() == 0
    lines = [
        "## Resource faults and concurrency",
        "",
        "`.venv/bin/python campaigns/faults.py` (runs `tests/test_faults.py`, which CI runs too)",
        "",
        f"Machine: {machine_info()}. Load average before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f}. "
        f"Run as {'root: the permission cases drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the commands, so file modes bind them' if root else 'an ordinary user'}.",
        "",
        f"**{passed} of {len(rows)} fault cases end as required** (a clear `error:` line and exit status 2, never a "
        "traceback, or success; the store opens intact afterwards).",
        "",
        "| case | what is checked | outcome | seconds |",
        "|---|---|---|---:|",
    ]
    for name, outcome, seconds in rows:
        lines.append(f"| `{name}` | {CASES.get(name, '')} | {outcome} | {seconds:.0f} |")
    lines += ["", "Older and newer schema versions (migrated / refused clearly) and a busy store are covered by "
              "`tests/test_store.py`."]
    write_section("faults", "\n".join(lines))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
