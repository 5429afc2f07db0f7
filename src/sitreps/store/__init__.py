"""sitreps.store room (see design.md)."""
