"""Unicode, quote and whitespace normalisation of one line, with exact offsets wherever the length holds."""

from __future__ import annotations

import re
import unicodedata

#: Curly quotes, primes and look-alikes become ASCII quotes; exotic spaces become a plain space. One character
#: for one character, so offsets stay exact.
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2007": " ",
    "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ", "\t": " ",
    "\u000b": " ", "\u000c": " ", "\r": " ",
})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_RUN = re.compile(r"\S+")
# Bytes of UTF-8 read as Latin-1/cp1252 (mojibake) show up as these pairs; only then is ftfy worth its cost.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00c3\u00e2\u00c5\u00d0\u00d1\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161"
                            "\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
                            "\u2039\u203a\u20ac\u2122]|\ufffd")


def needs_ftfy(line: str) -> bool:
    return not line.isascii() and (bool(_MOJIBAKE_HINT.search(line)) or not unicodedata.is_normalized("NFC", line))


def fix_line(line: str) -> str:
    """ftfy's repair of mojibake and broken Unicode, keeping our own quote handling."""
    import ftfy

    return ftfy.fix_text(line, normalization="NFC", uncurl_quotes=False, fix_line_breaks=False,
                         fix_latin_ligatures=True, fix_character_width=False)


def normalise_line(line: str, raw_start: int, add) -> bool:
    """Normalise one raw line and hand its pieces to ``add(piece, raw_start, raw_end)``; True when ftfy fixed it.

    Whitespace runs become one space, ends are stripped, quotes become ASCII. When ftfy must change the line
    (mojibake), the whole line becomes one piece mapped at its two ends.
    """
    fixed = False
    if needs_ftfy(line):
        repaired = fix_line(line)
        if repaired != line:
            text = " ".join(_ZERO_WIDTH.sub("", repaired).translate(_TRANSLATE).split())
            add(text, raw_start, raw_start + len(line))
            return True
    text = line.translate(_TRANSLATE)
    if "  " not in text and text.strip() == text and not _ZERO_WIDTH.search(text):
        add(text, raw_start, raw_start + len(line))  # the common case: one piece, offsets exact
        return False
    if _ZERO_WIDTH.search(text):
        # Dropping zero-width characters shifts offsets inside the line: map token by token below.
        text = _ZERO_WIDTH.sub("\u0000", text)
    first = True
    for m in _SPACE_RUN.finditer(text):
        token = m.group(0)
        if not first:
            add(" ", raw_start + m.start() - 1, raw_start + m.start())
        first = False
        if "\u0000" in token:
            add(token.replace("\u0000", ""), raw_start + m.start(), raw_start + m.end())
        else:
            add(token, raw_start + m.start(), raw_start + m.end())
    return fixed
