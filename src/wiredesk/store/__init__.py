"""Persistence: the versioned DuckDB store (the embedded default)."""

from wiredesk.store.duck import (
    DEFAULT_DB,
    EventFilter,
    SchemaTooNew,
    Store,
    StoreBusy,
    StoreError,
    StoreWriteError,
    period_bounds,
)
from wiredesk.store.schema import SCHEMA_VERSION

__all__ = ["DEFAULT_DB", "EventFilter", "SCHEMA_VERSION", "SchemaTooNew", "Store", "StoreBusy", "StoreError",
           "StoreWriteError", "period_bounds"]
