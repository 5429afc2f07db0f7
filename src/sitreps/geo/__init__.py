"""sitreps.geo room (see design.md)."""
