"""``Record.to_dict`` (what the writer stores for every analysed article) with its fast paths gives the dicts of
the plain recursive ``dataclasses.asdict``-with-dates it replaced."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json

import pytest

from wiredesk import ingest, model
from wiredesk.engine.runner import analyse_batch
from wiredesk.engine.sources import expand
from wiredesk.model import Article


def reference(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: reference(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [reference(x) for x in obj]
    if isinstance(obj, dict):
        return {k: reference(v) for k, v in obj.items()}
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


class Colour(str, enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Inner(model.Record):
    when: dt.date
    pairs: tuple = ((1, 2), (3, 4))


@dataclasses.dataclass
class Outer(model.Record):
    name: str
    inner: Inner
    extra: dict = dataclasses.field(default_factory=dict)
    colour: Colour = Colour.RED
    ratio: float | None = None


def test_analysed_articles_give_the_same_dicts(examples_dir):
    found = [a for a in ingest.iter_articles([s.path for s in expand([str(examples_dir)])], None)
             if isinstance(a, Article)]
    done, _ = analyse_batch(found)
    assert sum(len(a.mentions) for a in done) > 100
    for article in done:
        got = article.to_dict()
        assert got == reference(article)
        assert json.dumps(got) == json.dumps(reference(article))  # same keys in the same order
        for mention in article.mentions:
            assert mention.to_dict() == reference(mention)


def test_nested_records_dates_tuples_enums_and_classes():
    value = Outer("x", Inner(dt.date(2024, 3, 5)), {"at": dt.datetime(2024, 3, 5, 14, 5), "n": [Inner(dt.date(2020,
                  1, 1))]}, ratio=0.5)
    assert value.to_dict() == reference(value)
    assert value.to_dict()["inner"] == {"when": "2024-03-05", "pairs": [[1, 2], [3, 4]]}
    assert type(value.to_dict()["colour"]) is Colour  # a str subclass is returned as itself, as before
    for convert in (reference, model._asdict):  # a dataclass itself, not an instance: fails as it did
        with pytest.raises(AttributeError):
            convert(Inner)
    assert type not in model._FIELD_NAMES
    assert model._asdict(value) == reference(value)  # after the class was met
