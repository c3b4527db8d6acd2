"""The TempEval-3 scorer's account of span-boundary pairs: relaxed matching forgives the span, so such a pair
costs value F1 only when its value is wrong too (``wiredesk.eval.timeml``)."""

from __future__ import annotations

from pathlib import Path

from wiredesk.eval.timeml import evaluate
from wiredesk.model import Timex


def _story(tmp_path: Path) -> Path:
    part = tmp_path / "Wire"
    part.mkdir()
    (part / "a.tml").write_text(
        '<?xml version="1.0" ?>\n<TimeML>\n<DCT><TIMEX3 tid="t0" type="DATE" value="1998-10-26" '
        'functionInDocument="CREATION_TIME">1998-10-26</TIMEX3></DCT>\n<TEXT>\n'
        'The talks lasted <TIMEX3 tid="t1" type="DURATION" value="PT5H">five hours</TIMEX3>. He was shot on '
        '<TIMEX3 tid="t2" type="DATE" value="1998-10-23">Friday</TIMEX3> night.\n</TEXT>\n</TimeML>\n')
    return tmp_path


def _tagger(text: str, ref: str | None) -> list[Timex]:
    """A wider span with the gold's value ("about five hours") and one with another value ("Friday night")."""
    out = []
    for phrase, type_, value in (("lasted five hours", "DURATION", "PT5H"), ("Friday night", "TIME",
                                                                             "1998-10-23TNI")):
        i = text.index(phrase)
        out.append(Timex(start=i, end=i + len(phrase), text=phrase, type=type_, value=value))
    return out


def test_a_span_boundary_alone_costs_no_value(tmp_path):
    r = evaluate(_story(tmp_path), tagger=_tagger)
    assert r["errors"]["span boundary"] == 2
    assert r["span_boundary_value_right"] == 1
    # only the pair whose value differs costs value F1, and it is counted under its value category as well
    assert r["value_f1"] == 0.5
    assert r["errors"]["value: time of day"] == 1
    assert r["relaxed_f1"] == 1.0 and r["strict_f1"] == 0.0
