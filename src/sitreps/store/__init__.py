"""The store: schema, SQLite/PostgreSQL engines, migrations, idempotent writes and typed queries."""

from sitreps.store.engine import make_engine, session_factory
from sitreps.store.query import EventFilter
from sitreps.store.write import SaveResult, replace_events, save_document

__all__ = ["EventFilter", "SaveResult", "make_engine", "replace_events", "save_document", "session_factory"]
