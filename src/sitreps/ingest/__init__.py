"""sitreps.ingest room (see design.md)."""
