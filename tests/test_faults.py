"""Resource faults and concurrency: disk full, read-only and unreadable stores, two writers, a server reading while a
run writes. Each must end in a clear error (``error: ...`` and exit status 2, never a traceback) or in success, and
the store must still open intact afterwards.

- Disk full without root or a loop device: the writer runs under ``RLIMIT_FSIZE`` (with SIGXFSZ ignored), so every
  write past the limit fails with EFBIG, as on a full disk.
- File permissions: root ignores them through two capabilities (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so when the
  tests run as root the commands run with those two dropped from their capability bounding set: still root, but
  bound by file modes like any user.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "campaigns"))
import kill_run  # noqa: E402

WIREDESK = kill_run.WIREDESK
pytestmark = pytest.mark.skipif(not Path(WIREDESK).exists(), reason="the wiredesk script is not installed")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _without_permission_override() -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def wiredesk(*args: str, unprivileged: bool = False, home: Path | None = None, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if home is not None:
        env["HOME"] = str(home)
    if unprivileged and os.geteuid() == 0:
        kw["preexec_fn"] = _without_permission_override
    return subprocess.run([WIREDESK, *args], capture_output=True, text=True, timeout=900, env=env, **kw)


def assert_clear_error(proc: subprocess.CompletedProcess, *words: str) -> str:
    text = _flat(proc.stderr)
    assert proc.returncode == 2, f"exit {proc.returncode}: {proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr and "error:" in text, proc.stderr[-3000:]
    for word in words:
        assert word in text, proc.stderr[-3000:]
    return text


@pytest.fixture(scope="module")
def shared() -> Path:
    """A scratch folder with the corpora (under the temp dir), removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix="wiredesk-faults-"))
    folder.chmod(0o755)
    kill_run.make_corpus(3, folder / "corpus", seed=2, words=120)
    kill_run.make_corpus(2, folder / "more", seed=22, words=100)
    (folder / "home").mkdir(mode=0o777)
    (folder / "home").chmod(0o777)
    for path in folder.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def disk_full(shared: Path) -> dict:
    """A run under a 400 kB file size limit, then the same run without it, on one store."""
    db = shared / "full" / "store.duckdb"
    db.parent.mkdir()
    limited = wiredesk("run", str(shared / "corpus"), "--db", str(db), "-q", preexec_fn=_limit_file_size(400_000))
    after_fault = kill_run.snapshot(db)
    resumed = wiredesk("run", str(shared / "corpus"), "--db", str(db), "-q")
    return {"db": db, "limited": limited, "after_fault": after_fault, "resumed": resumed,
            "final": kill_run.snapshot(db)}


def test_disk_full_run_stops_clearly_and_a_later_run_completes(disk_full):
    # the models unpack to temporary files and the store grows: a full disk hits one or the other first
    text = assert_clear_error(disk_full["limited"])
    assert "disk" in text and ("File too large" in text or "Errno 27" in text), text
    snap = disk_full["after_fault"]
    assert kill_run.local_problems(snap) == []
    # nothing stored half-done: no article carries an error from the fault
    assert not [e for e in snap["ingest_errors"] if "Errno" in e[1] or "too large" in e[1]]
    assert disk_full["resumed"].returncode == 0, disk_full["resumed"].stderr[-3000:]
    final = disk_full["final"]
    assert kill_run.local_problems(final) == []
    assert len(final["articles"]) == 3 and ("done",) in final["runs"], final["runs"]
    assert final["ingest_errors"] == [], final["ingest_errors"]


def test_store_write_past_the_disk_limit_is_a_clear_error_and_loses_nothing_committed(tmp_path):
    """The store itself (no NLP): batches of large articles until the file size limit stops one."""
    script = textwrap.dedent("""
        import random, resource, signal, sys
        from wiredesk.model import Article
        from wiredesk.store import Store, StoreWriteError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))
        rng = random.Random(1)
        store = Store(sys.argv[1])
        run = store.begin_run({})
        for b in range(100):
            arts = []
            for i in range(4):
                text = "".join(rng.choice("abcdefghij klmnop") for _ in range(60_000))
                arts.append(Article(id=f"a{b}-{i}", path=f"p{b}", text=text, raw_text=text))
            try:
                store.write_batch(arts, [], [{"path": f"p{b}", "sha256": "x", "size": 1, "articles": 4,
                                             "errors": 0}], run)
            except StoreWriteError as exc:
                print("STOPPED", b, exc)
                break
        store.close()
    """)
    db = tmp_path / "s.duckdb"
    proc = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.stdout.startswith("STOPPED"), proc.stdout + proc.stderr[-2000:]
    batches = int(proc.stdout.split()[1])
    assert batches >= 1 and "disk is full or a file size limit" in proc.stdout and "Nothing of it" in proc.stdout
    from wiredesk.store import Store

    with Store(db) as store:  # opens (replays the log), every committed batch whole, nothing of the failed one
        counts = store.counts()
        assert counts["sources"] == batches and counts["articles"] == 4 * batches
        assert store.con.execute("SELECT count(*) FROM articles WHERE path = ?", [f"p{batches}"]).fetchall()[0][0] == 0
        store.write_batch([], [], [{"path": "later", "sha256": "y", "size": 1, "articles": 0, "errors": 0}], "r2")
        assert store.counts()["sources"] == batches + 1  # and writes work again without the limit


@pytest.fixture(scope="module")
def small_store(shared: Path) -> Path:
    """A store with two articles, written directly (no NLP needed to test permissions)."""
    from wiredesk.model import Article
    from wiredesk.store import Store

    db = shared / "small" / "store.duckdb"
    db.parent.mkdir()
    with Store(db) as store:
        run = store.begin_run({})
        arts = [Article(id=f"art-{i}", path=f"p{i}", title=f"Title {i}", text="Some text.", raw_text="Some text.")
                for i in range(2)]
        store.write_batch(arts, [], [{"path": "p0", "sha256": "x", "size": 1, "articles": 2, "errors": 0}], run)
        store.finish_run(run, "done", {})
    return db


def _copy_store(src: Path, folder: Path, name: str = "store.duckdb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)
    target = folder / name
    shutil.copy(src, target)
    target.chmod(0o666)
    wal = Path(str(src) + ".wal")  # DuckDB keeps small write-ahead logs after a clean close: part of the store
    if wal.exists():
        shutil.copy(wal, str(target) + ".wal")
        Path(str(target) + ".wal").chmod(0o666)
    return target


def test_read_only_store_file_refuses_writes_clearly_and_still_reads(shared, small_store):
    db = _copy_store(small_store, shared / "ro-file")
    for path in (db, Path(str(db) + ".wal")):
        if path.exists():
            path.chmod(0o444)
    home = shared / "home"
    proc = wiredesk("run", str(shared / "more"), "--db", str(db), "-q", unprivileged=True, home=home)
    assert_clear_error(proc, str(db))
    assert "ermission denied" in _flat(proc.stderr) or "read-only" in _flat(proc.stderr)
    read = wiredesk("articles", "--db", str(db), "--format", "jsonl", unprivileged=True, home=home)
    assert read.returncode == 0 and read.stdout.count("\n") == 2, read.stdout + read.stderr[-2000:]
    assert kill_run.local_problems(kill_run.snapshot(db)) == []


def test_read_only_store_folder_refuses_writes_clearly(shared, small_store):
    db = _copy_store(small_store, shared / "ro-dir")
    db.parent.chmod(0o555)  # the file is writable, but its write-ahead log cannot be created
    try:
        proc = wiredesk("run", str(shared / "more"), "--db", str(db), "-q", unprivileged=True, home=shared / "home")
        assert_clear_error(proc, str(db))
    finally:
        db.parent.chmod(0o777)
    snap = kill_run.snapshot(db)
    assert kill_run.local_problems(snap) == []
    assert set(snap["articles"]) == {"art-0", "art-1"}  # nothing half-written


def test_store_path_without_permission_is_a_clear_error(shared, small_store):
    folder = shared / "locked"
    db = _copy_store(small_store, folder)
    folder.chmod(0o000)
    try:
        for args in (("run", str(shared / "more"), "--db", str(db), "-q"), ("events", "--db", str(db))):
            proc = wiredesk(*args, unprivileged=True, home=shared / "home")
            assert_clear_error(proc, str(db))
        fresh = wiredesk("run", str(shared / "more"), "--db", str(folder / "sub" / "new.duckdb"), "-q",
                         unprivileged=True, home=shared / "home")
        assert_clear_error(fresh)
    finally:
        folder.chmod(0o777)


def _get(port: int, path: str) -> tuple[int, dict]:
    import httpx

    r = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=60)
    return r.status_code, r.json()


def test_two_runs_and_a_server_on_one_store(shared, disk_full, tmp_path):
    """Run A writes; run B on the same store and the server's reads get a clear "store is busy"; once A is done
    the server answers with A's work, and a run while the server is in use is refused clearly; the file stays
    intact throughout."""
    db = _copy_store(disk_full["db"], tmp_path / "busy")
    before = len(disk_full["final"]["articles"])
    writer = subprocess.Popen([WIREDESK, "run", str(shared / "more"), "--db", str(db), "-q"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wal = Path(str(db) + ".wal")
    deadline = time.monotonic() + 300
    while writer.poll() is None and not wal.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the run record is written (and the lock held) at the run's start
    second = wiredesk("run", str(shared / "more"), "--db", str(db), "-q")
    port = kill_run.free_port()
    server = subprocess.Popen([WIREDESK, "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    answers: list[tuple[int, dict]] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                answers.append(_get(port, "/api/events?limit=5"))
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.3)
        while writer.poll() is None:
            answers.append(_get(port, "/api/events?limit=5"))
            time.sleep(0.5)
        _, err = writer.communicate()
        assert writer.returncode == 0, err[-3000:]
        if second.returncode != 0:  # B started while A held the store (the usual case)
            assert_clear_error(second, "store is busy")
        for status, body in answers:  # 503 "busy" while A wrote, else a normal page: never a 500
            assert status in (200, 503), (status, body)
            if status == 503:
                assert "busy" in body["detail"]
        time.sleep(2.5)  # the server's read handle is released after 2 s idle: the store is free again
        status, body = _get(port, "/api/articles?limit=5")
        assert status == 200 and body["total"] == before + 2, body  # the server sees A's work
        # keep the server reading, and start another run meanwhile: refused clearly (or it works if idle)
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                answers.append(_get(port, "/api/summary"))
                time.sleep(0.1)

        reader = threading.Thread(target=poll, daemon=True)
        reader.start()
        time.sleep(0.5)
        third = wiredesk("run", str(shared / "more"), "--db", str(db), "-q")
        stop.set()
        reader.join(60)
        if third.returncode != 0:
            assert_clear_error(third, "store is busy")
        assert all(status == 200 for status, _ in answers[-3:])
    finally:
        kill_run.stop(server)
    snap = kill_run.snapshot(db)
    assert kill_run.local_problems(snap) == []
    assert len(snap["articles"]) == before + 2
