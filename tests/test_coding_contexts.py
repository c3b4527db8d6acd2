"""Contexts from the sentence's lemmas and from its paragraph's words (``coder._contexts``), with the keyword
tests built once per lexicon."""

from __future__ import annotations

import dataclasses

from wiredesk.coding.coder import _contexts
from wiredesk.coding.lexicon import lexicon
from wiredesk.nlp import spacy_pipeline
from wiredesk.settings import CODING


def _ctx(sentence: str, paragraph: str, lex=None) -> list[str]:
    return _contexts(spacy_pipeline()(sentence), paragraph, None, lex or lexicon(), CODING)


def test_paragraph_keywords_count_with_their_endings_one_and_two_words():
    # "soldiers" (soldier + s) and "armed forces" (armed force + s): two military keywords in the paragraph
    assert "military" in _ctx("The talks ended.", "Soldiers moved in. The armed forces said nothing.")
    # one keyword is below the two a paragraph needs
    assert "military" not in _ctx("The talks ended.", "Soldiers moved in. Nobody said anything.")
    # "armed forcesx" is no form of "armed force"; "soldiering" is (soldier + ing)
    assert "military" not in _ctx("The talks ended.", "Soldiering went on. The armed forcesx said nothing.")
    assert "military" in _ctx("The talks ended.", "Soldiering went on. The armed forces said nothing.")


def test_sentence_lemma_sequences_give_a_context_and_a_new_lexicon_its_own():
    assert "human_rights" in _ctx("Amnesty International condemned the arrests.", "")
    lex = lexicon()
    other = dataclasses.replace(lex, contexts=((("tea", "party"), "leisure"), *lex.contexts))
    assert "leisure" in _ctx("They held a tea party.", "", other)
    assert "leisure" not in _ctx("They held a tea party.", "")
