"""Article ids must not move: stored articles are found again by them."""

import re
import sys

from wiredesk.ingest.ids import article_id, normalise_for_id

_WS = re.compile(r"\s+")


def test_whitespace_of_split_is_whitespace_of_re():
    """normalise_for_id relies on str.split() and re's \\s agreeing on every code point."""
    differ = [c for c in map(chr, range(sys.maxunicode + 1)) if bool(_WS.fullmatch(c)) != c.isspace()]
    assert differ == []


def test_normalise_for_id_as_first_defined():
    samples = ["", " ", "\n\n", "a", "  a  b\t\tc\r\n", "x\u00a0y\u2003z\u3000w", "\x1c\x1d\x1e\x1fq\x85r\u2028s",
               "\ufeffno\u200bsplit", "Title\n\nBody  text.\n"]
    for text in samples:
        assert normalise_for_id(text) == _WS.sub(" ", text).strip(), repr(text)


def test_article_id_is_stable():
    assert article_id("Police  fired\non protesters.") == article_id("Police fired on protesters.")
    # sha256 of the text as first normalised (re.sub)
    assert article_id("Police fired on protesters.") == "29d69b04b9e78941"
