"""A dateline names where the reporter files from, never a party (coding.coder.code_article)."""

from __future__ import annotations

from wiredesk.actors import get_resolver
from wiredesk.coding import code_article
from wiredesk.model import Article, Sentence
from wiredesk.nlp import spacy_pipeline
from wiredesk.timex import tag


def _code(dateline: str, body: str, published: str):
    text = f"{dateline} {body}"
    article = Article(id="p1", text=text, published=published, sentences=[Sentence(0, 0, len(text), text)],
                      timexes=tag(text, published),
                      dateline={"place": dateline.split(",")[0], "date": published, "text": dateline})
    docs = {0: spacy_pipeline()(text)}
    article.actors = get_resolver().resolve_article(article, docs)
    return article, code_article(article, docs)


def test_the_dateline_city_is_not_an_actor_of_the_event():
    # the city of the dateline is the recipient's capital: it made South Africa an actor of China's request
    article, events = _code("PRETORIA, 19 September 2023 (CONTINENTAL):",
                            "President Xi Jinping yesterday urged South Africa to do more on trade and investment.",
                            "2023-09-19")
    assert any(m.entity.code == "ZAF" and m.text == "PRETORIA" for m in article.actors)  # resolved, as a place
    [ev] = [e for e in events if e.event == "REQUEST"]
    assert [a.code for a in ev.actor] == ["CHN"]
    assert [r.code for r in ev.recipient] == ["ZAF"]


def test_a_party_named_in_the_sentence_itself_stays():
    _article, events = _code("JAKARTA, 24 April 2024 (MERIDIAN):",
                             "Indonesia's president urged Australia to do more on migration.", "2024-04-24")
    [ev] = [e for e in events if e.event == "REQUEST"]
    assert [a.code for a in ev.actor] == ["IDN"] and [r.code for r in ev.recipient] == ["AUS"]
