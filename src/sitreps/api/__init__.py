"""sitreps.api room (see design.md)."""
