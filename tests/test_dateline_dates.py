"""A dateline's date is when the reporter filed, not when the event happened (coding.coder._event_date)."""

from __future__ import annotations

from wiredesk.actors import get_resolver
from wiredesk.coding import code_article
from wiredesk.model import Article, Sentence
from wiredesk.nlp import spacy_pipeline
from wiredesk.timex import tag

DATELINE = "BEIJING, 7 January 2023 (THE):"


def _code(body: str, published: str = "2023-01-07"):
    text = f"{DATELINE} {body}"
    article = Article(id="d1", text=text, published=published, sentences=[Sentence(0, 0, len(text), text)],
                      timexes=tag(text, published),
                      dateline={"place": "BEIJING", "date": "2023-01-07", "agency": "THE", "text": DATELINE})
    nlp = spacy_pipeline()
    docs = {0: nlp(text)}
    article.actors = get_resolver().resolve_article(article, docs)
    return code_article(article, docs)


def test_the_sentence_own_weekday_dates_the_event_not_the_dateline_date():
    # 7 January 2023 was a Saturday: the visit began on Thursday the 5th
    [ev] = _code("President Vladimir Putin arrived in Beijing on Thursday for talks with President Xi Jinping.")
    assert ev.event == "CONSULT"
    assert (ev.date, ev.date_basis) == ("2023-01-05", "relative")


def test_without_a_date_of_its_own_the_sentence_falls_back_on_the_dateline():
    [ev] = _code("Germany expelled four Russian diplomats.")
    assert (ev.date, ev.date_basis) == ("2023-01-07", "dateline")
