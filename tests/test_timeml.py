"""TempEval-3 scoring of the temporal tagger (``wiredesk eval timeml``): the value F1 formula against the
official scorer's, and the check of each error against the gold's own annotation of the same phrase."""

from __future__ import annotations

from pathlib import Path

from wiredesk.eval.timeml import GoldForms, evaluate, iter_docs, phrase_key, value_form
from wiredesk.model import Timex


def _tml(dct: str, body: str) -> str:
    return ('<?xml version="1.0" ?>\n<TimeML>\n<DCT><TIMEX3 tid="t0" type="DATE" value="' + dct + '" '
            'functionInDocument="CREATION_TIME">' + dct + '</TIMEX3></DCT>\n<TEXT>\n' + body + '\n</TEXT>\n</TimeML>\n')


def _write(tmp_path: Path) -> Path:
    """Two wire stories whose annotators disagree on "last week" (a week number in one, WXX in the other)."""
    part = tmp_path / "Wire"
    part.mkdir()
    (part / "a.tml").write_text(_tml("1989-10-30", (
        'Officials said <TIMEX3 tid="t1" type="DATE" value="1989-W43">last week</TIMEX3> that the plant '
        'would close. Sales rose <TIMEX3 tid="t2" type="DATE" value="1988">a year ago</TIMEX3>, and '
        'profit is up now. The plant was once a mill.')))
    (part / "b.tml").write_text(_tml("1989-10-30", (
        'The bid was launched <TIMEX3 tid="t3" type="DATE" value="1989-WXX">last week</TIMEX3> by Paribas. '
        'Shares are <TIMEX3 tid="t4" type="DATE" value="PRESENT_REF">now</TIMEX3> higher. '
        'It was <TIMEX3 tid="t5" type="DATE" value="PAST_REF">once</TIMEX3> a bank and will be sold '
        '<TIMEX3 tid="t6" type="DATE" value="FUTURE_REF">as soon as possible</TIMEX3>.')))
    return tmp_path


def test_value_f1_equals_the_official_attribute_f1(shared_data):
    """TempEval-3's scorer reports value accuracy over relaxed matches times relaxed F1; with one-to-one matching
    that is our value F1 (2 * correct / (system + gold)), overall and per part."""
    result = evaluate(shared_data / "tempeval3")
    for scope in [result, *result["parts"].values()]:
        assert abs(scope["value_f1"] - scope["value_f1_te3"]) < 1e-3, scope
        hits = scope["value_precision"] * scope["system"]
        assert abs(2 * hits / (scope["system"] + scope["expressions"]) - scope["value_f1"]) < 1e-3


def test_errors_the_gold_contradicts_are_counted_apart(tmp_path):
    result = evaluate(_write(tmp_path))
    errors, contested = result["errors"], result["contested"]
    # "last week" = 1989-W43 is wrong in b.tml, but a.tml gives the same phrase that form: contested.
    assert errors["value: week"] == contested["value: week"] == 1
    # "now" is spurious in a.tml, but b.tml tags "now": contested.
    assert errors["spurious"] == contested["spurious"] == 1
    # Missed: "once" stands untagged in a.tml (contested); "as soon as possible" nowhere else (the tagger's own).
    assert errors["missed DATE"] == 2 and contested["missed DATE"] == 1
    assert [e["gold"] for e in result["error_examples"]["missed DATE"] if e["contested"] == "False"] == [
        "as soon as possible = FUTURE_REF"]


def test_a_wrong_day_is_never_contested(tmp_path):
    """A value of the gold's own form (another day) says nothing about annotation practice."""
    root = _write(tmp_path)

    def off_by_a_year(text, ref):
        from wiredesk.timex import tag
        out = []
        for t in tag(text, ref):
            value = str(int(t.value[:4]) - 1) + t.value[4:] if t.value[:4].isdigit() else t.value
            out.append(Timex(t.start, t.end, t.text, t.type, value, t.precision))
        return out

    result = evaluate(root, tagger=off_by_a_year)
    wrong = {k: v for k, v in result["errors"].items() if k.startswith("value:")}
    assert wrong, result["errors"]
    assert result["contested"].get("value: wrong year", 0) == 0


def test_gold_forms_of_a_phrase(tmp_path):
    forms = GoldForms(iter_docs(_write(tmp_path)))
    assert phrase_key("Friday  night") == phrase_key("sunday night") == "WD night"
    assert phrase_key("Oct. 23") == phrase_key("Nov. 2") == "MON N"
    assert value_form("1989-W43") == "dddd-Wdd" != value_form("1989-WXX")
    assert forms.gives("Last week", "DATE", "1989-W44") and forms.gives("last week", "DATE", "1990-WXX")
    assert not forms.gives("last week", "DURATION", "P1W")
    assert forms.tagged("Now") and not forms.tagged("profit")
    assert forms.untagged("now") == 1  # "profit is up now." in a.tml
    assert forms.untagged("once") == 1 and forms.untagged("as soon as possible") == 0


def test_halves_split_every_part(tmp_path):
    """Half A (even places in name order) and half B (odd) of each part together are the whole data."""
    root = _write(tmp_path)
    whole, a, b = evaluate(root), evaluate(root, halves="A"), evaluate(root, halves="B")
    assert (a["documents"], b["documents"]) == (1, 1)
    assert a["expressions"] + b["expressions"] == whole["expressions"] == 6
    assert a["errors"].get("spurious") == 1 and "spurious" not in b["errors"]  # "now" in a.tml


def test_contested_means_the_gold_majority_agrees_with_the_system(tmp_path):
    """An error is the gold's odd one out only where the gold's own majority for the phrase agrees with the
    system; a single contrary instance elsewhere is not enough."""
    part = tmp_path / "Wire"
    part.mkdir()
    for name, now in (("a", "now"), ("b", "now"), ("c", '<TIMEX3 tid="t1" type="DATE" value="PRESENT_REF">now</TIMEX3>')):
        (part / f"{name}.tml").write_text(_tml("1989-10-30", f"Profit is up {now}. Sales fell."))
    result = evaluate(tmp_path)
    # the tagger tags "now" in all three files; the gold leaves it twice and tags it once: the two spurious
    # "now" go against the gold's majority, so they are the tagger's own
    assert result["errors"]["spurious"] == 2 and result["contested"]["spurious"] == 0
    forms = GoldForms(iter_docs(tmp_path))
    assert forms.tagged("now") == 1 and forms.untagged("now") == 2
