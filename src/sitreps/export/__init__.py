"""sitreps.export room (see design.md)."""
