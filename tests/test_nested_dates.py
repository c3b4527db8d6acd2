"""Two dates in the event's own clause that nest are one time said twice: the finer dates the event
(coding.coder._finest_nested). Both tests fail on the rule before it (the later timex won a tie in the tree)."""

from __future__ import annotations

from wiredesk.actors import get_resolver
from wiredesk.coding import code_article
from wiredesk.model import Article, Sentence
from wiredesk.nlp import spacy_pipeline
from wiredesk.timex import tag


def _code(text: str, published: str):
    article = Article(id="n1", text=text, published=published, sentences=[Sentence(0, 0, len(text), text)],
                      timexes=tag(text, published))
    docs = {0: spacy_pipeline()(text)}
    article.actors = get_resolver().resolve_article(article, docs)
    return [ev for ev in code_article(article, docs) if ev.event == "CONSULT"]


def test_a_weekday_beats_the_month_it_falls_in():
    # 30 December 2021 was a Thursday; "this month" (2021-12) came later in the sentence and used to win
    [ev] = _code("President Joe Biden spoke by telephone with Vladimir Putin on Thursday afternoon, the second "
                 "conversation between the two leaders this month.", "2021-12-31")
    assert (ev.date, ev.date_precision) == ("2021-12-30", "day")


def test_a_day_beats_the_year_it_falls_in_whatever_the_order():
    [ev] = _code("This year Chinese President Xi Jinping met French President Emmanuel Macron in Beijing on "
                 "6 April.", "2023-04-08")
    assert (ev.date, ev.date_precision) == ("2023-04-06", "day")

