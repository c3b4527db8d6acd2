"""MUC, B-cubed and CEAF-e on textbook examples (values worked by hand from the metric definitions)."""

from __future__ import annotations

import pytest

from wiredesk.link.metrics import b_cubed, ceaf_e, conll, muc


def clusters(*groups: str) -> dict[str, int]:
    """'ab', 'cde' -> {a:0, b:0, c:1, d:1, e:1}"""
    return {m: i for i, g in enumerate(groups) for m in g}


# Pradhan et al. (2014), "Scoring coreference partitions": key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}.
# With singletons as in ECB+ practice we score over the same items, so h and i are in the key as singletons.
KEY = clusters("abc", "defg", "h", "i")
RESPONSE = clusters("ab", "cd", "fghi", "e")


def test_muc_textbook():
    # recall: key links 2 + 3 = 5; kept: {abc} splits in 2 parts -> 1, {defg} splits into {d},{e},{fg} -> 1 => 2/5
    # precision: response links 1 + 1 + 3 = 5; kept: {ab} 1, {cd} 0, {fghi} parts {fg},{h},{i} -> 1 => 2/5
    p, r, f = muc(KEY, RESPONSE)
    assert r == pytest.approx(2 / 5) and p == pytest.approx(2 / 5) and f == pytest.approx(2 / 5)


def test_muc_identity_and_all_singletons():
    assert muc(KEY, KEY)[2] == pytest.approx(1.0)
    singles = {m: m for m in KEY}
    p, r, f = muc(KEY, singles)
    assert r == 0.0 and f == 0.0


def test_b_cubed_textbook():
    # per item precision |K∩R|/|R|, recall |K∩R|/|K|
    prec = {"a": 1, "b": 1, "c": 1 / 2, "d": 1 / 2, "e": 1, "f": 2 / 4, "g": 2 / 4, "h": 1 / 4, "i": 1 / 4}
    rec = {"a": 2 / 3, "b": 2 / 3, "c": 1 / 3, "d": 1 / 4, "e": 1 / 4, "f": 2 / 4, "g": 2 / 4, "h": 1, "i": 1}
    p, r, f = b_cubed(KEY, RESPONSE)
    assert p == pytest.approx(sum(prec.values()) / 9)
    assert r == pytest.approx(sum(rec.values()) / 9)
    assert f == pytest.approx(2 * p * r / (p + r))


def test_b_cubed_one_big_cluster():
    key = clusters("ab", "c")
    p, r, _ = b_cubed(key, {"a": 0, "b": 0, "c": 0})
    assert r == pytest.approx(1.0) and p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)


def test_ceaf_e_textbook():
    # phi4 = 2|K∩R|/(|K|+|R|). Best one-to-one alignment: {abc}-{ab} .8, {defg}-{e} 2/5 = .4, {h}-{fghi} 2/5 = .4,
    # {i}-{cd} 0: total 1.6 (pairing {defg}-{fghi} .5 instead loses {h}'s .4 and {defg}-{e}'s: at most 1.53).
    p, r, f = ceaf_e(KEY, RESPONSE)
    assert p == pytest.approx(1.6 / 4) and r == pytest.approx(1.6 / 4)


def test_ceaf_e_one_to_one_alignment():
    # {abcd}-{abc} 6/7 and {ef}-{def} 4/5; {def} may not also serve {abcd}
    key = clusters("abcd", "ef")
    resp = clusters("abc", "def")
    p, r, _ = ceaf_e(key, resp)
    assert r == pytest.approx((2 * 3 / 7 + 2 * 2 / 5) / 2)


def test_conll_is_the_mean_and_perfect_is_one():
    s = conll(KEY, RESPONSE)
    assert s["conll_f1"] == pytest.approx((s["muc_f1"] + s["b3_f1"] + s["ceafe_f1"]) / 3)
    assert conll(KEY, KEY)["conll_f1"] == pytest.approx(1.0)
