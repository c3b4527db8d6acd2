"""Bytes to text: BOM and charset detection, and the refusal of files that are not text at all."""

from __future__ import annotations

import codecs

#: Magic numbers of common binary formats, to name what a refused file looks like.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"7z\xbc\xaf", "a 7-zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"SQLite format 3", "an SQLite database"),
)


#: Control bytes that do not occur in text (tab, newlines, form feed and escape do).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


class NotText(ValueError):
    """Raised when bytes are binary rather than text; the message is the one-line reason."""


def describe_binary(data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return "binary data"


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """NUL bytes or many control characters in the first block mean binary (UTF-16 is caught before this)."""
    head = data[:sample]
    if not head:
        return False
    if b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, _CONTROL))  # C-speed count (this runs on every input)
    return control / len(head) > 0.05


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to text and name the encoding used.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are taken as they are; anything else goes to
    charset_normalizer's detection. Raises :class:`NotText` for binary input.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if looks_binary(data):
        raise NotText(f"not text: looks like {describe_binary(data)}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        # Mostly UTF-8 with a few broken bytes: keep what is readable, mark the rest.
        return data.decode("utf-8", errors="replace"), "utf-8 (with replacement characters)"
    return data.decode(best.encoding, errors="replace"), best.encoding
