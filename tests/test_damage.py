"""Damage repair: a scrape that lost a letter sequence everywhere is detected and repaired; clean text is not."""

from __future__ import annotations

import re

from wiredesk.clean import clean_article
from wiredesk.clean.damage import detect, repair_text
from wiredesk.ingest.ids import article_id
from wiredesk.model import Article

_TOKEN = re.compile(r"[A-Za-z]+")


def make(text: str) -> Article:
    return Article(id=article_id(text), path="x.txt", raw_text=text)


def test_example_scrape_missing_ing(examples_dir):
    path = examples_dir / "macron-xi-beijing-harbor-courier-scrape.txt"
    if not path.exists():
        import pytest

        pytest.skip("example corpus not present")
    article = clean_article(make(path.read_text()))
    assert article.damage["sequences"] == ["ing"]
    assert "damaged" in article.quality and "repaired" in article.quality
    repaired = {(r.original, r.repaired) for r in article.repairs}
    assert {("Beij", "Beijing"), ("Jinp", "Jinping"), ("dur", "during"), ("Washton", "Washington")} <= repaired
    assert all(r.repaired.replace("ing", "") == r.original for r in article.repairs)
    assert all(0.8 <= r.confidence <= 1.0 for r in article.repairs)
    for r in article.repairs:  # offsets: the repaired word in the text, the damaged word in the raw text
        assert article.text[r.start:r.end] == r.repaired
        raw_at = article.to_raw_offset(r.start)
        assert article.raw_text[raw_at:raw_at + len(r.original)] == r.original


def _damage_and_score(raw: str, seq: str) -> tuple[int, int, int]:
    damaged = raw.replace(seq, "")
    report = detect(damaged)
    if report is None or seq not in report.sequences:
        return 0, 0, sum(1 for w in _TOKEN.findall(raw) if seq in w)
    _, repairs = repair_text(damaged, report.sequences)
    originals = {m.start(): m.group() for m in _TOKEN.finditer(damaged)}
    words = _TOKEN.findall(raw)
    kept = [w for w in words if w.replace(seq, "")]
    by_start = dict(zip(sorted(originals), kept))
    shift = 0
    right = wrong = 0
    for r in repairs:
        at = r.start - shift
        shift += len(r.repaired) - len(r.original)
        if by_start.get(at) == r.repaired:
            right += 1
        else:
            wrong += 1
    return right, wrong, sum(1 for w in words if seq in w)


def test_held_out_sequence_on_ecbplus(shared_data):
    """A sequence the detector was not tuned on ("ate", from the first held-out draw), deleted from longer articles: precise and mostly found."""
    from wiredesk.ingest import iter_articles

    files = sorted((shared_data / "ecbplus").glob("1*/*ecbplus.xml"))[:60]
    texts = [a.raw_text for a in iter_articles(files) if isinstance(a, Article) and len(a.raw_text) > 1500]
    right = wrong = total = 0
    for raw in texts[:25]:
        r, w, t = _damage_and_score(raw, "ate")
        right, wrong, total = right + r, wrong + w, total + t
    assert total > 50
    assert right / max(right + wrong, 1) >= 0.95
    assert right / total >= 0.75


def _long_ecbplus(shared_data, pattern: str, min_chars: int, n: int) -> list[str]:
    from wiredesk.ingest import iter_articles

    files = sorted((shared_data / "ecbplus").glob(pattern))[:60]
    return [a.raw_text for a in iter_articles(files) if isinstance(a, Article) and len(a.raw_text) > min_chars][:n]


def test_lone_letter_damage_on_ecbplus(shared_data):
    """Deleting "wit" leaves a lone "h" for every "with": one distinct damaged form, repeated. The old rule (two
    distinct explained tokens) missed most such articles; the evidence of the repeated lone letter in context
    now infers the sequence, and the word-pair model restores "with" where it reads right."""
    right = wrong = total = 0
    for raw in _long_ecbplus(shared_data, "1*/*ecbplus.xml", 1500, 25):
        r, w, t = _damage_and_score(raw, "wit")
        right, wrong, total = right + r, wrong + w, total + t
    assert total > 40
    assert right / max(right + wrong, 1) >= 0.95
    assert right / total >= 0.8


def test_two_sequences_deleted_at_once(shared_data):
    """Both "ing" and "tion" gone: both inferred in most long articles, repairs right and mapped to the raw text."""
    both = right = wrong = 0
    texts = _long_ecbplus(shared_data, "2*/*ecbplus.xml", 2500, 7)
    assert len(texts) == 7
    for raw in texts:
        damaged = raw.replace("ing", "").replace("tion", "")
        article = clean_article(make(damaged))
        both += {"ing", "tion"} <= set(article.damage.get("sequences") or [])
        kept = [w for w in _TOKEN.findall(raw) if w.replace("ing", "").replace("tion", "")]
        truth = dict(zip((m.start() for m in _TOKEN.finditer(damaged)), kept))
        for r in article.repairs:
            at = article.to_raw_offset(r.start)
            assert damaged[at:at + len(r.original)] == r.original
            right += truth.get(at) == r.repaired
            wrong += truth.get(at) != r.repaired
    assert both >= 4
    assert right >= 80 and right / (right + wrong) >= 0.95


def test_names_and_rare_words_do_not_carry_a_sequence(shared_data):
    """Real clean ECB+ articles whose only "evidence" is an unknown name inside sentences ("the Casty store",
    which "ual" would make "Casualty") or a rare word ("surfs" -> "surfaces", "warded" off -> "forwarded"):
    such tokens weigh too little alone, so nothing is changed. (24_11ecbplus, where "casty" also appears lower
    case in a URL: see test_web_address_slugs_are_no_evidence.)"""
    from wiredesk.ingest import iter_articles

    names = ["24/24_10ecbplus.xml", "27/27_8ecb.xml", "12/12_19ecb.xml"]
    files = [shared_data / "ecbplus" / n for n in names if (shared_data / "ecbplus" / n).exists()]
    assert len(files) == len(names)
    for item in iter_articles(files):
        assert isinstance(item, Article)
        article = clean_article(item)
        assert article.repairs == [] and article.damage == {}, item.path


def test_tokens_are_whole_words():
    """A letter run glued to digits or accented letters is no token: "76ers" gives no "rs", "Gérard" no "rard"
    (both once looked like words that lost a sequence)."""
    from wiredesk.clean.damage import _TOKEN as token

    assert [m.group() for m in token.finditer("the 76ers and Gérard Bénézat met at msnbc.com on 3rd")] == \
        ["the", "and", "met", "at", "on"]


def test_clean_path_never_builds_the_deletion_index(monkeypatch):
    """A text without a rare token is judged from word frequencies alone: the deletion index (seconds to build,
    hundreds of MB) is not touched."""
    from wiredesk.clean import damage

    def boom(*args, **kwargs):
        raise AssertionError("deletion index used on a text without rare tokens")

    monkeypatch.setattr(damage, "deletion_index", boom)
    damage._explanations.cache_clear()
    text = ("The president met the prime minister in the capital on Thursday to discuss trade and security. "
            "Officials said the talks would continue next week, and both leaders called the meeting useful. ") * 3
    assert damage.detect(text) is None


def test_spaced_apostrophes_are_not_damage():
    """Tokenised corpora write "Alaska ’ s history": the "s" is no word that lost "thi" or "work"."""
    from wiredesk.clean.damage import _guarded, _TOKEN as token

    text = "It took a piece of Alaska ’ s history and the state ' s list."
    lone = [m for m in token.finditer(text) if m.group() == "s"]
    assert len(lone) == 2 and all(_guarded(text, m) for m in lone)


def test_clean_text_has_no_damage(shared_data):
    from wiredesk.ingest import iter_articles

    files = sorted((shared_data / "ecbplus").glob("2*/*.xml"))[:80]
    for item in iter_articles(files):
        if isinstance(item, Article):
            assert detect(item.raw_text) is None, item.path


def test_short_or_plain_text_is_left_alone():
    text = "The meeting in Beijing ended on Thursday. " * 3
    assert detect(text) is None
    assert clean_article(make(text)).repairs == []


def _ecbplus_article(shared_data, name: str) -> str:
    from wiredesk.ingest import iter_articles

    [article] = [a for a in iter_articles([shared_data / "ecbplus" / name]) if isinstance(a, Article)]
    return article.raw_text


def test_fragments_that_are_words_raise_a_suspect(shared_data):
    """With "ther" or "ter" deleted, the damaged forms are all listed words ("mo", "bro", "ano" for "mother",
    "brother", "another"; "af", "la" for "after", "later"): no non-word shows the damage, yet the sequence is
    inferred from these fragments reading far better restored, again and again, and they are restored."""
    for name, seq, pairs in (("33/33_3ecbplus.xml", "ther", {("mo", "mother"), ("bro", "brother")}),
                             ("25/25_15ecbplus.xml", "ter", {("af", "after"), ("la", "later")})):
        raw = _ecbplus_article(shared_data, name)
        damaged = raw.replace(seq, "")
        report = detect(damaged)
        assert report is not None and report.sequences == [seq], name
        _, repairs = repair_text(damaged, report.sequences)
        assert pairs <= {(r.original, r.repaired) for r in repairs}, name
        for r in repairs:  # every repair puts the sequence back once
            assert r.repaired.replace(seq, "", 1) == r.original


def test_clitics_are_guarded_but_possessed_words_are_judged(shared_data):
    """Only the pieces of a contraction are never judged ("isn", "t", "O'Neill"); a possessive's word is an
    ordinary word, so "the build's eaves" (an ECB+ article that lost "ing") becomes "the building's eaves"."""
    from wiredesk.clean.damage import _guard, _TOKEN as token

    text = "the build's eaves, it isn't O'Neill ’ s"
    guards = {m.group(): _guard(text, m) for m in token.finditer(text)}
    assert guards["build"] is None and guards["eaves"] is None
    assert guards["isn"] == guards["t"] == guards["O"] == guards["s"] == "clitic"
    raw = _ecbplus_article(shared_data, "13/13_7ecbplus.xml")
    damaged = raw.replace("ing", "")
    assert "the build's eaves" in damaged
    report = detect(damaged)
    assert report is not None and report.sequences == ["ing"]
    repaired, _ = repair_text(damaged, report.sequences)
    assert "the building's eaves" in repaired


def test_a_coin_flip_between_sequences_repairs_only_what_both_agree_on(shared_data, monkeypatch):
    """With "eve" deleted from this ECB+ article, "bee" explains the damage just as well (a lone "n" is "even"
    without "eve" or "been" without "bee") and edges ahead. Repairs made as if "bee" were surely missing turn
    "n" into "been" where it was "even"; with the close rival mixed into the posteriors no repair is wrong.

    The rivalry here leaned on a lone "n" in the page's web address ("playoffs _ n _ 2356644"), which the sixth
    pass no longer counts as evidence: since then "bee" wins alone on this article and both "n" become "been"
    (counted in the benchmark). The address is let back in here to keep testing the mixture itself."""
    from wiredesk.clean import damage

    monkeypatch.setattr(damage, "_url_spans", lambda text: [])
    raw = _ecbplus_article(shared_data, "29/29_5ecbplus.xml")
    damaged = raw.replace("eve", "")
    report = detect(damaged)
    assert report is not None and "eve" in set(report.sequences) | set(report.rivals)
    kept = [w for w in _TOKEN.findall(raw) if w.replace("eve", "")]
    truth = dict(zip((m.start() for m in _TOKEN.finditer(damaged)), kept))

    def wrong(repairs) -> int:
        shift = bad = 0
        for r in repairs:
            bad += truth.get(r.start - shift) != r.repaired
            shift += len(r.repaired) - len(r.original)
        return bad

    assert wrong(repair_text(damaged, report.sequences)[1]) >= 1  # the sure-of-itself repair errs here
    assert wrong(repair_text(damaged, report.sequences, rivals=report.rivals)[1]) == 0
    article = clean_article(make(damaged))  # passes the rivals on
    assert all(truth.get(article.to_raw_offset(r.start)) == r.repaired for r in article.repairs)


def test_web_address_slugs_are_no_evidence(shared_data):
    """A scraped page's address, spaced out as ECB+ writes it ("http: / / gothamist. com / ... / nypds _ fatal _
    shooti. php"), is no prose: its slug is cut short and writes names in lower case, so "shooti" (which "ngs"
    would make "shootings") and "casty" ("ual": "casualty") once carried a sequence on their own and changed
    these clean articles. They are never evidence now; the prose around them decides."""
    from wiredesk.clean.damage import _TOKEN as token, _inside, _url_spans

    text = "See http: / / www. x. co. uk / paris _ stolen _ in _ casty _ shop for more, or www.y.com/a_b today."
    spans = _url_spans(text)
    inside = {m.group() for m in token.finditer(text) if _inside(spans, m.start())}
    assert {"casty", "shop", "paris"} <= inside and not {"See", "for", "more", "or", "today"} & inside
    for name in ("19/19_10ecbplus.xml", "24/24_11ecbplus.xml", "24/24_6ecbplus.xml"):
        article = clean_article(make(_ecbplus_article(shared_data, name)))
        assert article.repairs == [] and article.damage == {}, name


def test_words_beside_spaced_apostrophes_are_judged():
    """Only a clitic follows a spaced apostrophe ("isn ' t", "Alaska ’ s"); the word after a plural possessive
    ("the Karamanlis' cervative party": "conservative" without "ons") and the word before a spaced "’ s"
    ("Creion ’ s": "Creighton" without "ght") are ordinary words and judged."""
    from wiredesk.clean.damage import _guard, _TOKEN as token

    text = "the Karamanlis' cervative party, it isn ' t Creion ’ s"
    guards = {m.group(): _guard(text, m) for m in token.finditer(text)}
    assert guards["cervative"] is None and guards["Creion"] is None
    assert guards["isn"] == guards["t"] == guards["s"] == "clitic"


def test_a_lone_letter_beside_a_hyphen_is_repaired_only_when_context_is_clear():
    """A lone letter beside a hyphen is never evidence ("e-mail"), but once "ear" is known to be missing,
    "16 - y - old" (hyphens spaced out as ECB+ writes them) reads as "16 - year - old", while "e - mail" and
    "T - shirt" stay."""
    text = "Police said a 16 - y - old boy was shot last y. He sent an e - mail and wore a T - shirt."
    repaired, repairs = repair_text(text, ["ear"])
    assert repaired == text.replace("16 - y -", "16 - year -").replace("last y.", "last year.")
    assert all(r.repaired == "year" for r in repairs)


def test_fragments_read_as_damage_when_a_common_word_fits(shared_data):
    """wordfreq lists "dr" and "ot" (it folds "Dr." and "OT" into them), so the word-pair model, silent on pairs
    such as "the ot police", used to keep them as the commoner reading. They are no words of lower-case prose
    (the spelling dictionary lacks them), so once "ive" or "ri" is known to be missing they are read as no
    likelier than a rare word and restored: "drive", "riot". A dictionary word is not discounted."""
    from wiredesk.clean.damage import _Context, _fragment
    from wiredesk.settings import DAMAGE

    ctx = _Context(DAMAGE.context_weight)
    assert _fragment("dr", ["drive"], ctx, DAMAGE) and _fragment("ho", ["hour"], ctx, DAMAGE)
    assert not _fragment("dr", ["dread"], ctx, DAMAGE)  # no common word fits: kept as it reads
    assert not _fragment("play", ["players"], ctx, DAMAGE)  # a word of prose: the word pairs decide
    assert not _fragment("Dr", ["Drive"], ctx, DAMAGE)  # capitalised: names and titles are guarded elsewhere
    for name, seq, pair in (("29/29_8ecbplus.xml", "ive", ("dr", "drive")),
                            ("19/19_9ecbplus.xml", "ri", ("ot", "riot"))):
        raw = _ecbplus_article(shared_data, name)
        damaged = raw.replace(seq, "")
        report = detect(damaged)
        assert report is not None and seq in report.sequences, name
        _, repairs = repair_text(damaged, report.sequences, rivals=report.rivals)
        assert pair in {(r.original, r.repaired) for r in repairs}, name
        for r in repairs:
            assert r.repaired.replace(seq, "", 1) == r.original


def test_non_words_are_restored_to_rarer_words_once_the_sequence_is_known():
    """Restorations outside the deletion index: "Hansbrough" (Zipf 1.9) and "imperiled" (2.4) are rarer than
    ``repair_zipf``, so "Hansbr" ("ough" missing) and "impeled" ("ri" missing) had no restoration and stayed.
    Once the sequence is inferred, a non-word is tried with it put back; a word that does not fit stays."""
    import dataclasses

    from wiredesk.settings import DAMAGE

    text = ("Tyler Hansbr scored 20 points as North Carolina beat Duke. Hansbr said the team played well. "
            "Zorbl stayed home.")
    repaired, repairs = repair_text(text, ["ough"])
    assert repaired == text.replace("Hansbr ", "Hansbrough ")
    assert [r.repaired for r in repairs] == ["Hansbrough", "Hansbrough"]
    for r in repairs:  # offsets are in the repaired text
        assert repaired[r.start:r.end] == r.repaired
    assert repair_text(text, ["ough"], dataclasses.replace(DAMAGE, rare_repair_zipf=0))[0] == text
    assert repair_text(text, ["ri"])[0] == text  # no word is "Hansbr" or "Zorbl" with "ri" put back
    repaired, _ = repair_text("The talks were impeled by the strike.", ["ri"])
    assert repaired == "The talks were imperiled by the strike."


def test_a_prefix_before_a_hyphen_is_not_a_fragment(monkeypatch):
    """"ex" is a fragment to the spelling dictionary, so once "ist" is missing it used to read as "exist" even in
    "ex - colleagues"; before a hyphen it is a prefix and stays."""
    import wiredesk.clean.damage as damage

    text = "A sacked worker shoots ex - colleagues at the plant. Police said the ex-boss was also hurt."
    assert repair_text(text, ["ist"]) == (text, [])
    monkeypatch.setattr(damage, "_prefix", lambda text, m: False)
    assert {r.repaired for r in repair_text(text, ["ist"])[1]} == {"exist"}  # what the guard prevents


def test_two_distinct_damaged_words_need_less_evidence(shared_data):
    """A short article with "der" deleted shows only a few damaged words, each weak alone; two word families that
    read clearly better restored carry the sequence at ``min_evidence_two`` (below ``min_evidence``), while one
    family (a clean text's "belied" or "lector") still needs the full amount."""
    import dataclasses

    from wiredesk.settings import DAMAGE

    damaged = _ecbplus_article(shared_data, "5/5_4ecbplus.xml").replace("der", "")
    report = detect(damaged)
    assert report is not None and report.sequences == ["der"]
    assert DAMAGE.min_evidence_two <= report.score < DAMAGE.min_evidence
    assert detect(damaged, dataclasses.replace(DAMAGE, min_evidence_two=0)) is None


def test_a_capitalised_word_keeps_the_sequence_it_starts_with():
    """Deletion is case-sensitive: "Church" with "ch" missing keeps its "Ch" and reads "Chur", which the lower-case
    deletion index ("church" -> "ur") cannot find; the sequence put back inside the token finds it."""
    text = "Police were called to Wasilla Bible Chur about 9:40 p.m. and found the Chur burning."
    repaired, repairs = repair_text(text, ["ch"])
    assert repaired == text.replace("Chur", "Church")
    assert [r.original for r in repairs] == ["Chur", "Chur"]
    assert repair_text(text, ["ur"])[0] == text  # "Chur" does not start with "ur": nothing to put back


def test_a_word_the_article_attests_elsewhere_is_restored():
    """With "eas" missing, "son" is "son" or "season"; the word pairs alone decide one place ("last son with") and
    leave another ("a strong son.", where no word pair follows). A non-word restored confidently elsewhere
    ("preson" -> "preseason") attests "season" in this article, and the second pass restores the place left;
    without that non-word it stays."""
    import dataclasses

    from wiredesk.settings import DAMAGE

    text = ("The striker scored twice in the preseason and expects a strong season. He missed most of last season "
            "with a knee injury, but the coach said he was fit again.")
    damaged = text.replace("eas", "")
    repaired, repairs = repair_text(damaged, ["eas"])
    assert repaired == text
    assert [(r.original, r.repaired) for r in repairs] == [("preson", "preseason"), ("son", "season"),
                                                           ("son", "season")]
    for r in repairs:  # offsets in the repaired text, in order, after the second pass too
        assert repaired[r.start:r.end] == r.repaired
    assert [r.start for r in repairs] == sorted(r.start for r in repairs)
    off = repair_text(damaged, ["eas"], dataclasses.replace(DAMAGE, attested_boost=0))[0]
    assert off == damaged.replace("preson", "preseason").replace("last son", "last season")
    unattested = damaged.replace("in the preson", "before the break")  # no non-word attests "season"
    assert repair_text(unattested, ["eas"])[0] == unattested.replace("last son", "last season")
