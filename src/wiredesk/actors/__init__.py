"""Who: political actors resolved to countries, sectors and offices at the date of the event (issue 5).

Public API::

    from wiredesk.actors import get_resolver
    resolver = get_resolver()                       # loads the knowledge base once per process
    resolver.resolve_article(article, docs)         # -> list[ActorMention] (docs may be None: fast path)
    resolver.resolve_name("the Kremlin", date="2020-05-01", context=["UKR"])   # -> Entity | None
    resolver.resolve_text("Chancellor Olaf Scholz met Macron.", date="2023-01-05")  # one sentence

Conventions (codes, sectors, PLURAL mentions, scores and candidates) are documented in ``docs/actors.md``.
"""

from __future__ import annotations

import functools

from .kb import KnowledgeBase
from .resolver import Resolver


@functools.cache
def get_resolver() -> Resolver:
    """The process-wide resolver; the knowledge base is read from the package data the first time."""
    return Resolver(KnowledgeBase())


__all__ = ["KnowledgeBase", "Resolver", "get_resolver"]
