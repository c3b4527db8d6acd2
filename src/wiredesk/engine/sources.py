"""Input sources: the files a run reads, each with the content hash that lets a resumed run skip it.

Folders are read recursively in sorted order (runs are reproducible). A folder may carry a ``.wiredeskignore``
file of glob patterns (one per line, like .gitignore without negation) naming files that are not news: the
bundled example corpus uses it for its README and its answer key.
"""

from __future__ import annotations

import fnmatch
import glob
import hashlib
from dataclasses import dataclass
from pathlib import Path

IGNORE_FILE = ".wiredeskignore"


@dataclass(frozen=True)
class Source:
    path: str  # as the user named it (relative paths stay relative: ids in the store are portable)
    sha256: str | None = None
    size: int = 0
    error: str | None = None


def _ignored(path: Path, root: Path, patterns: list[str]) -> bool:
    rel = path.relative_to(root).as_posix()
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(path.name, p) for p in patterns)


def _patterns(folder: Path) -> list[str]:
    f = folder / IGNORE_FILE
    if not f.is_file():
        return []
    lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def expand(paths: list[str]) -> list[Source]:
    """Files named by ``paths`` (files, folders, globs), with errors for names that match nothing."""
    out: list[Source] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = str(p)
        if key not in seen:
            seen.add(key)
            out.append(Source(path=key))

    for raw in paths:
        if raw == "-":
            add(Path("-"))
            continue
        p = Path(raw)
        if p.is_dir():
            patterns = _patterns(p)
            for child in sorted(p.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(p).parts) \
                        and not _ignored(child, p, patterns):
                    add(child)
        elif p.exists():
            add(p)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                out.append(Source(path=raw, error="no file matches this pattern"))
            for m in matches:
                if Path(m).is_file():
                    add(Path(m))
        else:
            out.append(Source(path=raw, error="no such file or folder"))
    return out


def fingerprint_file(source: Source, chunk: int = 1 << 20) -> Source:
    """The source with its sha256 and size filled in, or with an error saying why it cannot be read."""
    if source.error or source.path == "-":
        return source
    h = hashlib.sha256()
    size = 0
    try:
        with open(source.path, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
                size += len(block)
    except OSError as exc:
        return Source(path=source.path, error=f"cannot read file: {exc.strerror or exc}")
    return Source(path=source.path, sha256=h.hexdigest(), size=size)
