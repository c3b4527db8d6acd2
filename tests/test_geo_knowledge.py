"""What the event-location chooser knows beyond the parse: repaired possessives, organisations from the actor
knowledge base, gazetteer containment, and the research-assistant convention flag (training only)."""

from __future__ import annotations

import pytest

from wiredesk.geo.choose import _gazetteer_entries, actor_kinds, featurize, gazetteer_containment
from wiredesk.geo.features import verb_token
from wiredesk.geo.text import repair_apostrophes


@pytest.fixture(scope="module")
def nlp():
    from wiredesk.nlp import spacy_pipeline

    return spacy_pipeline()


def _features(nlp, text: str, trigger: str) -> dict[str, dict[str, float]]:
    doc = nlp(text)
    start = text.index(trigger)
    cands, feats = featurize(doc, verb_token(doc, start, start + len(trigger)))
    return {c.text: f for c, f in zip(cands, feats)}


def test_lost_apostrophes_are_restored_in_place(nlp):
    damaged = "Dozens of civilians were killed in Iraq   s western province of Anbar on Friday   s raid."
    fixed = repair_apostrophes(damaged)
    assert fixed == "Dozens of civilians were killed in Iraq's   western province of Anbar on Friday's   raid."
    assert len(fixed) == len(damaged)
    for word in ("Iraq", "Anbar", "killed"):  # annotation offsets still point at the same words
        assert fixed[damaged.index(word):damaged.index(word) + len(word)] == word
    # the parse now reads a possessive, not a stray word "s"
    doc = nlp(fixed)
    assert [t.text for t in doc if t.text.endswith("s") and len(t.text) <= 2] == ["'s", "'s"]
    # untouched: ordinary text, decades, a plural
    for text in ("The 1980 s were different.", "Troops entered the villages on Monday.", "Syria's war"):
        assert repair_apostrophes(text) == text


def test_organisations_are_known_from_the_actor_knowledge_base():
    assert "org" in actor_kinds("SDF") and "org" in actor_kinds("APEC") and "org" in actor_kinds("Islamic State")
    assert "org" not in actor_kinds("Baghdad") and "org" not in actor_kinds("Raqqa")


def test_gazetteer_containment_marks_the_wider_place():
    names = ["Kobane", "Syria", "Berlin"]
    containers, contained = gazetteer_containment([_gazetteer_entries(n) for n in names])
    assert containers == {1} and contained == {0}  # Syria contains Kobane; Berlin is in neither
    names = ["Paris", "Texas"]
    assert gazetteer_containment([_gazetteer_entries(n) for n in names]) == ({1}, {0})
    names = ["Lebanon", "Syria"]  # two countries: neither contains the other
    assert gazetteer_containment([_gazetteer_entries(n) for n in names]) == (set(), set())


def test_candidate_features_for_organisations_and_modifiers(nlp):
    feats = _features(nlp, "At least ten militants were killed in the SDF shelling near Manbij on Monday.", "killed")
    assert feats["SDF"].get("kb=org") == 1.0 and feats["SDF"]["acronym"] == 1.0
    assert "kb=org" not in feats["Manbij"] and feats["Manbij"]["acronym"] == 0.0
    feats = _features(nlp, "The Iran-born cleric was arrested in Kobane, in northern Syria.", "arrested")
    assert feats["Iran"].get("hyphen_modifier") == 1.0 and "hyphen_modifier" not in feats["Kobane"]
    assert feats["Syria"]["gaz_container"] == 1.0 and feats["Kobane"]["gaz_contained"] == 1.0


def test_research_assistant_flag_is_for_training_only(nlp):
    from wiredesk.geo.choose import _model
    from wiredesk.geo.train_location import RESEARCH_ASSISTANT_FLAG, build_examples

    text = "Gunmen killed three soldiers in Tripoli overnight."
    verb = text.index("killed")
    tokens = [{"start": t.idx, "end": t.idx + len(t.text)} for t in nlp(text)]
    k = next(i for i, t in enumerate(tokens) if t["start"] == verb)
    rec = {"text": text, "tokens": tokens, "spans": [{"label": "VERB", "token_start": k, "token_end": k}]}
    docs = [nlp(text)] * 2
    ra, accepted = build_examples([rec, {**rec, "answer": "accept"}], docs, convention=True)
    assert all(f[RESEARCH_ASSISTANT_FLAG] == 1.0 for f in ra[2]) and ra[2]
    assert not any(RESEARCH_ASSISTANT_FLAG in f for f in accepted[2])
    # without ``convention`` (prediction, evaluation) the flag is never set
    assert not any(RESEARCH_ASSISTANT_FLAG in f for f in build_examples([rec], docs[:1])[0][2])
    # the shipped model was trained with it
    assert RESEARCH_ASSISTANT_FLAG in _model()["vectorizer"].feature_names_


def test_place_framing_reads_what_the_sentence_calls_a_name(nlp):
    from wiredesk.geo.features import candidates, place_framing

    doc = nlp("At least 9 militants were killed in the village of Ashmi in the western countryside of Kobane, "
              "and a bomber struck al-Zahawi school in western Baghdad.")
    framing = {c.text: place_framing(c.span) for c in candidates(doc)}
    assert framing["Ashmi"] == "of"  # "the village of Ashmi": the specific place
    assert framing["Kobane"] == "part"  # "the countryside of Kobane": the container
    assert framing["al-Zahawi"] == "noun"  # NER calls it ORG; the sentence calls it a school
    assert framing["Baghdad"] is None
    doc = nlp("The rebels captured Lubumbashi in mineral-rich Shaba province last week.")
    framing = {c.text: place_framing(c.span) for c in candidates(doc)}
    assert framing["Shaba"] == "region" and framing["Lubumbashi"] is None  # the province is the container
    feats = _features(nlp, "A Tampa woman was shot dead in a Miami hotel on Sunday.", "shot")
    assert feats["Tampa"].get("mod_noun_place=False|nsubjpass") == 1.0  # describes the woman
    assert feats["Miami"].get("named_as_place=noun") == 1.0 and feats["Tampa"]["rival_named_as_place"] == 1.0


def test_the_pipeline_path_parses_repaired_possessives(nlp):
    from wiredesk.geo.locate import repaired_doc

    # the cleaning stage collapses the feed's "Syria   s" to one space
    damaged = nlp("Two children were killed in Syria s northern province of Idlib on Monday.")
    fixed = repaired_doc(damaged)
    assert fixed.text == "Two children were killed in Syria's northern province of Idlib on Monday."
    assert len(fixed.text) == len(damaged.text) and "'s" in [t.text for t in fixed]
    intact = nlp("Two children were killed in Idlib on Monday.")
    assert repaired_doc(intact) is intact  # undamaged sentences are not parsed again
