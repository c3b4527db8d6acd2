"""Content-hash article ids: the same article ingested twice (from a file, a zip, a WARC) is one article."""

from __future__ import annotations

import hashlib
import re

_WS = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """Collapse every whitespace run to one space and strip the ends, so re-wrapped copies hash alike."""
    return _WS.sub(" ", text).strip()


def article_id(text: str) -> str:
    """sha256 of the whitespace-normalised raw text, first 16 hex characters."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8", "surrogatepass")).hexdigest()[:16]
