"""The Python API: run a corpus, then query events, articles and stories as records, pandas or Arrow.

>>> import wiredesk, tempfile, os
>>> db = os.path.join(tempfile.mkdtemp(), "desk.duckdb")
>>> desk = wiredesk.open(db)
>>> desk.events()
[]
>>> desk.events_frame().shape[0]
0
>>> desk.close()

The CLI and the HTTP API are thin layers over this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wiredesk.engine.runner import RunReport
from wiredesk.engine.runner import run as _run
from wiredesk.export import ARTICLE_COLUMNS, EVENT_COLUMNS, flat_article, flat_event, to_arrow
from wiredesk.model import Event
from wiredesk.store import DEFAULT_DB, EventFilter, Store


class Desk:
    """An open wiredesk store. Use as a context manager or call :meth:`close`."""

    def __init__(self, db: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        self.db = str(db)
        self.store = Store(self.db, read_only=read_only)

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- running -------------------------------------------------------------------------------------------
    def run(self, *paths: str | Path, **options: Any) -> RunReport:
        """Ingest ``paths`` and update events (same options as :func:`wiredesk.engine.runner.run`)."""
        self.store.close()  # the runner opens its own writer; one writer at a time
        try:
            return _run([str(p) for p in paths], self.db, **options)
        finally:
            self.store = Store(self.db)

    # -- events --------------------------------------------------------------------------------------------
    def event_records(self, **filters: Any) -> list[dict[str, Any]]:
        """Canonical events as JSON-ready dicts; filters as :class:`wiredesk.store.EventFilter`."""
        return self.store.event_rows(EventFilter(**filters))

    def events(self, **filters: Any) -> list[Event]:
        """Canonical events as typed :class:`wiredesk.model.Event` records."""
        return [Event.from_dict(r) for r in self.event_records(**filters)]

    def event(self, event_id: str) -> Event | None:
        rec = self.store.event(event_id)
        return Event.from_dict(rec) if rec else None

    def events_frame(self, **filters: Any):
        """Events as a pandas DataFrame, one flat row per event (full record in column ``record``)."""
        import pandas as pd

        return pd.DataFrame([flat_event(r) for r in self.event_records(**filters)], columns=EVENT_COLUMNS)

    def events_arrow(self, **filters: Any):
        """Events as a pyarrow Table with the same columns as :meth:`events_frame`."""
        return to_arrow([flat_event(r) for r in self.event_records(**filters)], EVENT_COLUMNS)

    # -- articles and stories ------------------------------------------------------------------------------
    def articles(self) -> list[dict[str, Any]]:
        return self.store.article_rows()

    def article(self, article_id: str) -> dict[str, Any] | None:
        return self.store.article(article_id)

    def articles_frame(self):
        import pandas as pd

        return pd.DataFrame([flat_article(r) for r in self.articles()], columns=ARTICLE_COLUMNS)

    def stories(self) -> list[dict[str, Any]]:
        return self.store.stories()

    def actors(self) -> list[dict[str, Any]]:
        return self.store.actors()

    def errors(self) -> list[dict[str, Any]]:
        return self.store.errors()


def open(db: str | Path = DEFAULT_DB, read_only: bool = False) -> Desk:  # noqa: A001 - mirrors sqlite3/duckdb
    """Open (or create) a wiredesk store."""
    return Desk(db, read_only=read_only)


def run(*paths: str | Path, db: str | Path = DEFAULT_DB, **options: Any) -> RunReport:
    """Run the whole job on ``paths`` into the store ``db``."""
    return _run([str(p) for p in paths], str(db), **options)
